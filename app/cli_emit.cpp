#include "cli_emit.h"

#include "cli_output.h"
#include "cli_parser.h"
#include "cli_send.h"
#include "cli_session.h"
#include "delivery/delivery_store.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>

namespace {

// Reads one line (without its end) of at most `limit` bytes; false at the end
// of the input. *tooLong is set when the line goes on past the limit.
bool readLine(QFile &file, QByteArray *line, qint64 limit, bool *tooLong)
{
    line->clear();
    *tooLong = false;
    char chunk[64 * 1024];
    bool readAny = false;
    for (;;) {
        const qint64 n = file.readLine(chunk, sizeof chunk);
        if (n <= 0)
            break;
        readAny = true;
        line->append(chunk, n);
        if (line->endsWith('\n'))
            break;
        if (line->size() > limit) {
            *tooLong = true;
            return true;
        }
    }
    if (line->endsWith('\n'))
        line->chop(1);
    if (line->endsWith('\r'))
        line->chop(1);
    *tooLong = line->size() > limit;
    return readAny;
}

} // namespace

QString CliEmit::usage()
{
    return tr("Deliveries:\n"
              "  emit KEY [--project ID] [--data FILE|- | --jsonl FILE|-] [--queue]\n"
              "      Stores the event and one delivery per matching webhook, then makes the\n"
              "      first attempt of each; --queue only stores them for \"serve\" or the\n"
              "      window. --data is the payload as in the body, e.g. {\"tasks\": [...]};\n"
              "      without it the event's sample payload is sent. Exit 3 if one failed.\n"
              "      --jsonl stores one event per line (one payload object a line), each in\n"
              "      its own transaction; at the first bad line it stops, says how many\n"
              "      events were stored before it, and exits 2.\n");
}

int CliEmit::run(CliSession &session, const QStringList &args)
{
    CliParser parser(QStringLiteral("emit"));
    parser.addValue(QStringLiteral("project"));
    parser.addValue(QStringLiteral("data"));
    parser.addValue(QStringLiteral("jsonl"));
    parser.addFlag(QStringLiteral("queue"));
    if (const QString e = parser.parse(args, 1, 1, tr("an event KEY")); !e.isEmpty())
        return parser.usageError(e);
    if (parser.isSet(QStringLiteral("data")) && parser.isSet(QStringLiteral("jsonl")))
        return parser.usageError(tr("--data and --jsonl cannot be used together."));
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
    if (parser.isSet(QStringLiteral("jsonl")))
        return runLines(session, key, projectId, parser.value(QStringLiteral("jsonl")),
                        parser.isSet(QStringLiteral("queue")));

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
    if (const QString note = CliSend::waitingNote(session.store(), sent.value()); !note.isEmpty())
        CliOutput::print(note);
    return CliSend::exitCode(sent.value());
}

int CliEmit::runLines(CliSession &session, const QString &key, std::optional<qint64> projectId,
                      const QString &path, bool queue)
{
    // The file is checked before the database is opened, so a typo creates nothing.
    QFile file;
    const QString name = path == QLatin1String("-") ? tr("standard input") : path;
    if (path == QLatin1String("-")) {
        if (!file.open(stdin, QIODevice::ReadOnly))
            return CliOutput::fail(ExitCode::InvalidInput,
                                   tr("Cannot read standard input: %1").arg(file.errorString()));
    } else {
        if (!QFileInfo::exists(path))
            return CliOutput::fail(ExitCode::InvalidInput,
                                   tr("The data file %1 does not exist.").arg(path));
        file.setFileName(path);
        if (!file.open(QIODevice::ReadOnly))
            return CliOutput::fail(ExitCode::InvalidInput,
                                   tr("Cannot read %1: %2").arg(path, file.errorString()));
    }

    if (auto e = session.open())
        return CliOutput::fail(*e);
    Result<QList<EventType>> custom = session.store().customEventTypes();
    if (!custom)
        return CliOutput::fail(custom.error());
    const EventCatalog catalog(custom.value());
    if (!catalog.find(key) || key == EventCatalog::PingKey)
        return CliOutput::fail(ExitCode::InvalidInput,
                               tr("Unknown event type %1; `events` lists them.").arg(key));
    DeliveryStore deliveries(&session.database());

    qint64 lineNumber = 0;
    qint64 events = 0;
    qint64 deliveryCount = 0;
    QList<qint64> attemptIds;
    // Stops at the first bad line: what came before it is stored (each line is
    // its own event, as if separate writers had sent them), nothing after it.
    const auto failAt = [&](ExitCode code, const QString &problem) {
        //: %1 the file, %2 the line number, %3 what is wrong, %4 how many events were stored
        return CliOutput::fail(code, tr("%1, line %2: %3 Events stored before this line: %4; "
                                        "nothing after it was stored.")
                                         .arg(name)
                                         .arg(lineNumber)
                                         .arg(problem)
                                         .arg(events));
    };
    QByteArray line;
    bool tooLong = false;
    while (readLine(file, &line, CliSend::MaxDataBytes, &tooLong)) {
        ++lineNumber;
        if (tooLong)
            return failAt(
                ExitCode::InvalidInput,
                tr("the line is larger than %1 MB.").arg(CliSend::MaxDataBytes / (1024 * 1024)));
        if (line.trimmed().isEmpty())
            continue;
        QJsonParseError parseError;
        const QJsonDocument document = QJsonDocument::fromJson(line, &parseError);
        if (parseError.error != QJsonParseError::NoError)
            return failAt(ExitCode::InvalidInput, tr("not valid JSON: %1 at column %2.")
                                                      .arg(parseError.errorString())
                                                      .arg(parseError.offset + 1));
        if (!document.isObject())
            return failAt(ExitCode::InvalidInput,
                          tr("each line must be a JSON object with the event's payload key, "
                             "such as {\"tasks\": [...]}."));
        Result<EmitResult> emitted = deliveries.emitEvent(
            catalog, key, projectId, document.object(), QDateTime::currentDateTimeUtc());
        if (!emitted) {
            const StorageError &e = emitted.error();
            const bool input =
                e.kind == StorageError::Kind::Invalid || e.kind == StorageError::Kind::NotFound;
            return failAt(input ? ExitCode::InvalidInput : ExitCode::StorageFailed, e.message);
        }
        ++events;
        deliveryCount += emitted->deliveryIds.size();
        if (!queue)
            attemptIds += emitted->attemptIds;
    }
    if (file.error() != QFileDevice::NoError)
        return failAt(ExitCode::InvalidInput, tr("cannot read on: %1").arg(file.errorString()));

    if (queue || attemptIds.isEmpty()) {
        CliOutput::print(tr("Events stored: %1; deliveries queued for \"serve\" or the window: %2.")
                             .arg(events)
                             .arg(deliveryCount));
        return int(ExitCode::Success);
    }
    Result<QList<Attempt>> sent = CliSend::sendNow(deliveries, attemptIds);
    if (!sent)
        return CliOutput::fail(sent.error());
    CliOutput::print(tr("Events stored: %1; deliveries: %2.").arg(events).arg(deliveryCount));
    CliOutput::print(CliSend::table(sent.value()));
    if (const QString note = CliSend::retryNote(sent.value()); !note.isEmpty())
        CliOutput::print(note);
    if (const QString note = CliSend::waitingNote(session.store(), sent.value()); !note.isEmpty())
        CliOutput::print(note);
    return CliSend::exitCode(sent.value());
}
