#include "cli_emit.h"

#include "cli_output.h"
#include "cli_parser.h"
#include "cli_send.h"
#include "cli_session.h"
#include "delivery/delivery_store.h"

QString CliEmit::usage()
{
    return tr("Deliveries:\n"
              "  emit KEY [--project ID] [--data FILE|-] [--queue]\n"
              "      Stores the event and one delivery per matching webhook, then makes the\n"
              "      first attempt of each; --queue only stores them for \"serve\" or the\n"
              "      window. --data is the payload as in the body, e.g. {\"tasks\": [...]};\n"
              "      without it the event's sample payload is sent. Exit 3 if one failed.\n");
}

int CliEmit::run(CliSession &session, const QStringList &args)
{
    CliParser parser(QStringLiteral("emit"));
    parser.addValue(QStringLiteral("project"));
    parser.addValue(QStringLiteral("data"));
    parser.addFlag(QStringLiteral("queue"));
    if (const QString e = parser.parse(args, 1, 1, tr("an event KEY")); !e.isEmpty())
        return parser.usageError(e);
    const QString key = parser.arguments().first();

    std::optional<qint64> projectId;
    if (parser.isSet(QStringLiteral("project"))) {
        bool ok = false;
        const qint64 id = parser.value(QStringLiteral("project")).toLongLong(&ok);
        if (!ok || id <= 0)
            return CliOutput::fail(
                ExitCode::InvalidInput,
                tr("\"%1\" is not a project id.").arg(parser.value(QStringLiteral("project"))));
        projectId = id;
    }
    std::optional<QJsonObject> data;
    if (parser.isSet(QStringLiteral("data"))) {
        QString error;
        data = CliSend::readData(parser.value(QStringLiteral("data")), &error);
        if (!data)
            return CliOutput::fail(ExitCode::InvalidInput, error);
    }

    if (auto e = session.open())
        return CliOutput::fail(*e);
    Result<QList<EventType>> custom = session.store().customEventTypes();
    if (!custom)
        return CliOutput::fail(custom.error());
    const EventCatalog catalog(custom.value());
    DeliveryStore deliveries(&session.database());
    Result<EmitResult> emitted =
        deliveries.emitEvent(catalog, key, projectId, data.value_or(catalog.samplePayload(key)),
                             QDateTime::currentDateTimeUtc());
    if (!emitted)
        return CliOutput::fail(emitted.error());

    const qsizetype count = emitted->deliveryIds.size();
    if (count == 0) {
        CliOutput::print(tr("Event %1 stored; no active webhook subscribes to %2, nothing to send.")
                             .arg(emitted->eventId)
                             .arg(key));
        return int(ExitCode::Success);
    }
    if (parser.isSet(QStringLiteral("queue"))) {
        CliOutput::print(tr("Event %1 stored; deliveries queued for \"serve\" or the window: %2.")
                             .arg(emitted->eventId)
                             .arg(count));
        return int(ExitCode::Success);
    }
    Result<QList<Attempt>> sent = CliSend::sendNow(deliveries, emitted->attemptIds);
    if (!sent)
        return CliOutput::fail(sent.error());
    CliOutput::print(tr("Event %1 stored; deliveries: %2.").arg(emitted->eventId).arg(count));
    CliOutput::print(CliSend::table(sent.value()));
    if (const QString note = CliSend::retryNote(sent.value()); !note.isEmpty())
        CliOutput::print(note);
    return CliSend::exitCode(sent.value());
}
