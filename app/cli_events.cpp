#include "cli_events.h"

#include "cli_output.h"
#include "cli_parser.h"
#include "cli_session.h"

#include <QJsonArray>
#include <QJsonObject>

QString CliEvents::usage()
{
    return tr("Event types:\n"
              "  events [--json]           the catalog, built-in and custom types\n"
              "  events add KEY --name NAME [--description TEXT] --payload-key KEY [--list]\n"
              "  events update KEY [--name NAME] [--description TEXT] [--payload-key KEY]\n"
              "                [--list | --object]\n"
              "                            changes a custom type; built-in types are read-only\n"
              "  events delete KEY [--unsubscribe]\n"
              "                            refused while webhooks subscribe to the type, unless\n"
              "                            --unsubscribe removes it from their events\n");
}

int CliEvents::run(CliSession &session, const QStringList &args)
{
    if (args.value(0) == QLatin1String("add"))
        return add(session, args.mid(1));
    if (args.value(0) == QLatin1String("list"))
        return list(session, args.mid(1));
    if (args.value(0) == QLatin1String("update"))
        return update(session, args.mid(1));
    if (args.value(0) == QLatin1String("delete"))
        return remove(session, args.mid(1));
    return list(session, args);
}

int CliEvents::list(CliSession &session, const QStringList &args)
{
    CliParser parser(QStringLiteral("events"));
    parser.addFlag(QStringLiteral("json"));
    if (const QString e = parser.parse(args, 0, 0); !e.isEmpty())
        return parser.usageError(e);
    if (auto e = session.open())
        return CliOutput::fail(*e);
    // Custom types are read apart from the catalog so a read error is reported.
    Result<QList<EventType>> custom = session.store().customEventTypes();
    if (!custom)
        return CliOutput::fail(custom.error());
    const EventCatalog catalog(custom.value());

    if (parser.isSet(QStringLiteral("json"))) {
        QJsonArray list;
        for (const EventType &type : catalog.types()) {
            list.append(QJsonObject{
                {QStringLiteral("key"), type.key},
                {QStringLiteral("name"), type.name},
                {QStringLiteral("description"), type.description},
                {QStringLiteral("payload_key"), type.payloadKey},
                {QStringLiteral("is_list"), type.isList},
                {QStringLiteral("organization_only"), type.organizationOnly},
                {QStringLiteral("group"), type.group},
                {QStringLiteral("built_in"), type.builtIn},
            });
        }
        CliOutput::printJson(list);
        return int(ExitCode::Success);
    }
    QList<QStringList> rows;
    for (const EventType &type : catalog.types()) {
        rows.append({type.key, EventCatalog::groupTitle(type.group), type.payloadKey,
                     CliOutput::yesNo(type.isList), CliOutput::yesNo(type.organizationOnly),
                     type.name});
    }
    CliOutput::print(CliOutput::table(
        {tr("KEY"), tr("GROUP"), tr("PAYLOAD KEY"), tr("LIST"), tr("ORG ONLY"), tr("NAME")}, rows));
    return int(ExitCode::Success);
}

int CliEvents::add(CliSession &session, const QStringList &args)
{
    CliParser parser(QStringLiteral("events add"));
    parser.addValue(QStringLiteral("name"));
    parser.addValue(QStringLiteral("description"));
    parser.addValue(QStringLiteral("payload-key"));
    parser.addFlag(QStringLiteral("list"));
    if (const QString e = parser.parse(args, 1, 1, tr("an event KEY")); !e.isEmpty())
        return parser.usageError(e);
    for (const char *required : {"name", "payload-key"}) {
        if (!parser.isSet(QLatin1String(required)))
            return parser.usageError(tr("--%1 is required.").arg(QLatin1String(required)));
    }
    EventType type;
    type.key = parser.arguments().first();
    type.name = parser.value(QStringLiteral("name"));
    type.description = parser.value(QStringLiteral("description"));
    type.payloadKey = parser.value(QStringLiteral("payload-key"));
    type.isList = parser.isSet(QStringLiteral("list"));
    if (auto e = session.open())
        return CliOutput::fail(*e);
    Result<EventType> added = session.store().addEventType(type);
    if (!added)
        return CliOutput::fail(added.error());
    CliOutput::print(tr("Event type %1 added.").arg(added->key));
    return int(ExitCode::Success);
}

int CliEvents::update(CliSession &session, const QStringList &args)
{
    CliParser parser(QStringLiteral("events update"));
    parser.addValue(QStringLiteral("name"));
    parser.addValue(QStringLiteral("description"));
    parser.addValue(QStringLiteral("payload-key"));
    parser.addFlag(QStringLiteral("list"));
    parser.addFlag(QStringLiteral("object"));
    if (const QString e = parser.parse(args, 1, 1, tr("an event KEY")); !e.isEmpty())
        return parser.usageError(e);
    if (parser.isSet(QStringLiteral("list")) && parser.isSet(QStringLiteral("object")))
        return parser.usageError(tr("Give --list or --object, not both."));
    if (auto e = session.open())
        return CliOutput::fail(*e);
    const QString key = parser.arguments().first();
    Result<QList<EventType>> custom = session.store().customEventTypes();
    if (!custom)
        return CliOutput::fail(custom.error());
    const std::optional<EventType> stored = EventCatalog(custom.value()).find(key);
    if (!stored)
        return CliOutput::fail(ExitCode::InvalidInput, tr("There is no event type %1.").arg(key));
    if (stored->builtIn)
        return CliOutput::fail(ExitCode::InvalidInput,
                               tr("%1 is a built-in event type; it cannot be changed.").arg(key));
    EventType type = *stored;
    if (parser.isSet(QStringLiteral("name")))
        type.name = parser.value(QStringLiteral("name"));
    if (parser.isSet(QStringLiteral("description")))
        type.description = parser.value(QStringLiteral("description"));
    if (parser.isSet(QStringLiteral("payload-key")))
        type.payloadKey = parser.value(QStringLiteral("payload-key"));
    if (parser.isSet(QStringLiteral("list")))
        type.isList = true;
    if (parser.isSet(QStringLiteral("object")))
        type.isList = false;
    const Result<EventType> updated = session.store().updateEventType(type);
    if (!updated)
        return CliOutput::fail(updated.error());
    CliOutput::print(tr("Event type %1 changed.").arg(updated->key));
    return int(ExitCode::Success);
}

int CliEvents::remove(CliSession &session, const QStringList &args)
{
    CliParser parser(QStringLiteral("events delete"));
    parser.addFlag(QStringLiteral("unsubscribe"));
    if (const QString e = parser.parse(args, 1, 1, tr("an event KEY")); !e.isEmpty())
        return parser.usageError(e);
    if (auto e = session.open())
        return CliOutput::fail(*e);
    const QString key = parser.arguments().first();
    const bool unsubscribe = parser.isSet(QStringLiteral("unsubscribe"));
    const Result<int> users = session.store().eventTypeHookCount(key);
    if (!users)
        return CliOutput::fail(users.error());
    if (users.value() > 0 && !unsubscribe && !EventCatalog().contains(key))
        return CliOutput::fail(
            ExitCode::InvalidInput,
            tr("Webhooks subscribe to %1 (%2); nothing was deleted. Add --unsubscribe to remove "
               "it from their events too.")
                .arg(key)
                .arg(users.value()));
    const Status removed = session.store().removeEventType(
        key, unsubscribe ? HookStore::Subscribers::Unsubscribe : HookStore::Subscribers::Refuse);
    if (!removed)
        return CliOutput::fail(removed.error());
    if (users.value() > 0)
        CliOutput::print(
            tr("Event type %1 deleted; webhooks unsubscribed: %2.").arg(key).arg(users.value()));
    else
        CliOutput::print(tr("Event type %1 deleted.").arg(key));
    return int(ExitCode::Success);
}
