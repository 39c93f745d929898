#include "cli_projects.h"

#include "cli_output.h"
#include "cli_parser.h"
#include "cli_session.h"
#include "io/label_studio_json.h"

#include <QJsonArray>
#include <QJsonObject>
#include <optional>

QString CliProjects::usage()
{
    return tr("Projects:\n"
              "  projects add TITLE        prints the new project's id\n"
              "  projects list [--json]\n"
              "  projects rename ID TITLE\n"
              "  projects delete ID [--delete-hooks]\n"
              "                            refused while webhooks are scoped to the project,\n"
              "                            unless --delete-hooks deletes them with it (their\n"
              "                            delivery history is kept)\n");
}

int CliProjects::run(CliSession &session, const QStringList &args)
{
    const QString sub = args.value(0);
    if (sub == QLatin1String("add"))
        return add(session, args.mid(1));
    if (sub == QLatin1String("list"))
        return list(session, args.mid(1));
    if (sub == QLatin1String("rename"))
        return rename(session, args.mid(1));
    if (sub == QLatin1String("delete"))
        return remove(session, args.mid(1));
    CliParser parser(QStringLiteral("projects"));
    if (sub.isEmpty())
        return parser.usageError(tr("Name what to do: add, list, rename or delete."));
    return parser.usageError(tr("There is no command \"projects %1\".").arg(sub));
}

int CliProjects::list(CliSession &session, const QStringList &args)
{
    CliParser parser(QStringLiteral("projects list"));
    parser.addFlag(QStringLiteral("json"));
    if (const QString e = parser.parse(args, 0, 0); !e.isEmpty())
        return parser.usageError(e);
    if (auto e = session.open())
        return CliOutput::fail(*e);
    Result<QList<Project>> projects = session.store().projects();
    if (!projects)
        return CliOutput::fail(projects.error());

    if (parser.isSet(QStringLiteral("json"))) {
        QJsonArray list;
        for (const Project &project : projects.value()) {
            list.append(QJsonObject{
                {QStringLiteral("id"), project.id},
                {QStringLiteral("title"), project.title},
                {QStringLiteral("created_at"), LabelStudioJson::formatTime(project.createdAt)},
            });
        }
        CliOutput::printJson(list);
        return int(ExitCode::Success);
    }
    if (projects->isEmpty()) {
        CliOutput::print(tr("No projects yet. Add one with: %1 projects add TITLE")
                             .arg(QCoreApplication::applicationName()));
        return int(ExitCode::Success);
    }
    QList<QStringList> rows;
    for (const Project &project : projects.value())
        rows.append({QString::number(project.id), LabelStudioJson::formatTime(project.createdAt),
                     project.title});
    CliOutput::print(CliOutput::table({tr("ID"), tr("CREATED"), tr("TITLE")}, rows));
    return int(ExitCode::Success);
}

int CliProjects::add(CliSession &session, const QStringList &args)
{
    CliParser parser(QStringLiteral("projects add"));
    if (const QString e = parser.parse(args, 1, 1, tr("a TITLE")); !e.isEmpty())
        return parser.usageError(e);
    if (auto e = session.open())
        return CliOutput::fail(*e);
    Result<Project> added = session.store().addProject(parser.arguments().first());
    if (!added)
        return CliOutput::fail(added.error());
    CliOutput::print(QString::number(added->id));
    return int(ExitCode::Success);
}

int CliProjects::rename(CliSession &session, const QStringList &args)
{
    CliParser parser(QStringLiteral("projects rename"));
    if (const QString e = parser.parse(args, 2, 2, tr("a project ID and a TITLE")); !e.isEmpty())
        return parser.usageError(e);
    const auto id = parseId(parser.arguments().first());
    if (!id)
        return CliOutput::fail(ExitCode::InvalidInput,
                               tr("\"%1\" is not a project id.").arg(parser.arguments().first()));
    if (auto e = session.open())
        return CliOutput::fail(*e);
    const Result<Project> renamed = session.store().renameProject(*id, parser.arguments().at(1));
    if (!renamed)
        return CliOutput::fail(renamed.error());
    CliOutput::print(tr("Project %1 renamed to %2.").arg(renamed->id).arg(renamed->title));
    return int(ExitCode::Success);
}

int CliProjects::remove(CliSession &session, const QStringList &args)
{
    CliParser parser(QStringLiteral("projects delete"));
    parser.addFlag(QStringLiteral("delete-hooks"));
    if (const QString e = parser.parse(args, 1, 1, tr("a project ID")); !e.isEmpty())
        return parser.usageError(e);
    const auto id = parseId(parser.arguments().first());
    if (!id)
        return CliOutput::fail(ExitCode::InvalidInput,
                               tr("\"%1\" is not a project id.").arg(parser.arguments().first()));
    if (auto e = session.open())
        return CliOutput::fail(*e);
    const bool withHooks = parser.isSet(QStringLiteral("delete-hooks"));
    const Result<int> hooks = session.store().projectHookCount(*id);
    if (!hooks)
        return CliOutput::fail(hooks.error());
    if (hooks.value() > 0 && !withHooks)
        return CliOutput::fail(
            ExitCode::InvalidInput,
            tr("Project %1 still has webhooks (%2); nothing was deleted. Add --delete-hooks to "
               "delete them with it (their delivery history is kept), or give them another "
               "scope first (hooks update ID --project ...).")
                .arg(*id)
                .arg(hooks.value()));
    const Status removed = session.store().removeProject(
        *id, withHooks ? HookStore::ProjectHooks::Delete : HookStore::ProjectHooks::Refuse);
    if (!removed)
        return CliOutput::fail(removed.error());
    if (hooks.value() > 0)
        CliOutput::print(
            tr("Project %1 deleted with its webhooks (%2).").arg(*id).arg(hooks.value()));
    else
        CliOutput::print(tr("Project %1 deleted.").arg(*id));
    return int(ExitCode::Success);
}
