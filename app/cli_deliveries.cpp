#include "cli_deliveries.h"

#include "cli_output.h"
#include "cli_parser.h"
#include "cli_send.h"
#include "cli_session.h"
#include "delivery/delivery_store.h"
#include "domain/time_window.h"
#include "io/log_exporter.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace {

QJsonValue isoTime(const QDateTime &time)
{
    return time.isValid() ? QJsonValue(time.toUTC().toString(Qt::ISODateWithMs))
                          : QJsonValue(QJsonValue::Null);
}

QJsonValue textOrNull(const QString &text)
{
    return text.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(text);
}

} // namespace

QString CliDeliveries::usage()
{
    return tr("  deliveries [--status ok|failed|pending|filtered] [--hook ID] [--event KEY] "
              "[--limit N]\n"
              "             [--since TIME] [--until TIME] [--json]\n"
              "      The log of attempts, newest first (default: the last %1).\n"
              "      TIME is ISO 8601 (2026-12-01T08:00, local time without an offset)\n"
              "      or a time ago (30m, 2h, 3d); the window holds when attempts were queued.\n")
        .arg(DefaultLimit);
}

QJsonObject CliDeliveries::toJson(const Attempt &a)
{
    const QJsonValue status = a.statusCode > 0 ? QJsonValue(a.statusCode) : QJsonValue::Null;
    return QJsonObject{
        {QStringLiteral("id"), a.id},
        {QStringLiteral("delivery"), a.deliveryId},
        {QStringLiteral("webhook"), a.webhookId},
        {QStringLiteral("action"), a.action},
        {QStringLiteral("message_id"), a.messageId},
        {QStringLiteral("attempt"), a.number},
        {QStringLiteral("max_attempts"), a.maxAttempts},
        {QStringLiteral("trigger"), attemptTriggerKey(a.trigger)},
        {QStringLiteral("outcome"), attemptOutcomeKey(a.outcome)},
        {QStringLiteral("status_code"), status},
        {QStringLiteral("error"), textOrNull(a.error)},
        {QStringLiteral("error_kind"), textOrNull(a.errorKind)},
        {QStringLiteral("duration_ms"),
         a.durationMs >= 0 ? QJsonValue(a.durationMs) : QJsonValue(QJsonValue::Null)},
        {QStringLiteral("created_at"), isoTime(a.time())},
        {QStringLiteral("due_at"), isoTime(a.dueAt)},
        {QStringLiteral("started_at"), isoTime(a.startedAt)},
        {QStringLiteral("finished_at"), isoTime(a.finishedAt)},
        {QStringLiteral("url"), a.url},
        {QStringLiteral("trace"), textOrNull(a.trace)},
        {QStringLiteral("request_headers"), LogExporter::headersObject(a.requestHeaders)},
        {QStringLiteral("request_body"), LogExporter::bodyValue(a.requestBody)},
        {QStringLiteral("response_status"), status},
        {QStringLiteral("response_headers"), LogExporter::headersObject(a.responseHeaders)},
        {QStringLiteral("response_body"), LogExporter::bodyValue(a.responseBody)},
        {QStringLiteral("response_truncated"), a.responseTruncated},
    };
}

QString CliDeliveries::applyTimeWindow(const CliParser &parser, LogFilter *filter)
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    for (const char *option : {"since", "until"}) {
        const QString name = QLatin1String(option);
        if (!parser.isSet(name))
            continue;
        const auto time = TimeWindow::parseTime(parser.value(name), now);
        if (!time)
            return TimeWindow::timeError(QStringLiteral("--") + name, parser.value(name));
        (name == QLatin1String("since") ? filter->since : filter->until) = *time;
    }
    if (filter->since.isValid() && filter->until.isValid() && filter->since >= filter->until)
        return tr("--since must come before --until.");
    return {};
}

int CliDeliveries::run(CliSession &session, const QStringList &args)
{
    CliParser parser(QStringLiteral("deliveries"));
    parser.addValue(QStringLiteral("status"));
    parser.addValue(QStringLiteral("hook"));
    parser.addValue(QStringLiteral("event"));
    parser.addValue(QStringLiteral("limit"));
    parser.addValue(QStringLiteral("since"));
    parser.addValue(QStringLiteral("until"));
    parser.addFlag(QStringLiteral("json"));
    if (const QString e = parser.parse(args, 0, 0); !e.isEmpty())
        return parser.usageError(e);

    LogFilter filter;
    if (parser.isSet(QStringLiteral("status"))) {
        const QString status = parser.value(QStringLiteral("status"));
        if (status == QLatin1String("ok") || status == QLatin1String("succeeded"))
            filter.outcome = AttemptOutcome::Succeeded;
        else if (status == QLatin1String("failed"))
            filter.outcome = AttemptOutcome::Failed;
        else if (status == QLatin1String("pending"))
            filter.outcome = AttemptOutcome::Pending;
        else if (status == QLatin1String("filtered"))
            filter.outcome = AttemptOutcome::Filtered;
        else
            return parser.usageError(
                tr("--status takes ok, failed, pending or filtered, not \"%1\".").arg(status));
    }
    if (parser.isSet(QStringLiteral("hook"))) {
        bool ok = false;
        const qint64 id = parser.value(QStringLiteral("hook")).toLongLong(&ok);
        if (!ok || id <= 0)
            return CliOutput::fail(
                ExitCode::InvalidInput,
                tr("\"%1\" is not a webhook id.").arg(parser.value(QStringLiteral("hook"))));
        filter.webhookId = id;
    }
    filter.action = parser.value(QStringLiteral("event"));
    if (const QString e = applyTimeWindow(parser, &filter); !e.isEmpty())
        return CliOutput::fail(ExitCode::InvalidInput, e);
    int limit = DefaultLimit;
    if (parser.isSet(QStringLiteral("limit"))) {
        bool ok = false;
        limit = parser.value(QStringLiteral("limit")).toInt(&ok);
        if (!ok || limit < 1)
            return parser.usageError(tr("--limit takes a positive number, not \"%1\".")
                                         .arg(parser.value(QStringLiteral("limit"))));
    }
    const bool json = parser.isSet(QStringLiteral("json"));

    if (auto e = session.open())
        return CliOutput::fail(*e);
    DeliveryStore deliveries(&session.database());
    Result<QList<Attempt>> attempts = deliveries.attempts(filter, 0, limit, json);
    if (!attempts)
        return CliOutput::fail(attempts.error());

    if (json) {
        QList<qint64> deliveryIds;
        for (const Attempt &a : attempts.value())
            deliveryIds.append(a.deliveryId);
        // Where an Edit and Resend delivery came from (null for the others).
        Result<QHash<qint64, qint64>> edited = deliveries.editedFrom(deliveryIds);
        if (!edited)
            return CliOutput::fail(edited.error());
        QJsonArray list;
        for (const Attempt &a : attempts.value()) {
            QJsonObject object = toJson(a);
            const auto from = edited->constFind(a.deliveryId);
            object.insert(QStringLiteral("edited_from"),
                          from != edited->constEnd() ? QJsonValue(*from) : QJsonValue::Null);
            list.append(object);
        }
        CliOutput::printJson(list);
        return int(ExitCode::Success);
    }
    if (attempts->isEmpty()) {
        CliOutput::print(tr("No delivery attempts match."));
        return int(ExitCode::Success);
    }
    QList<QStringList> rows;
    for (const Attempt &a : attempts.value()) {
        QString result = CliSend::outcomeText(a.outcome);
        if (a.outcome == AttemptOutcome::Pending)
            result = tr("pending, due %1").arg(a.dueAt.toLocalTime().toString(Qt::ISODate));
        else if (a.statusCode > 0)
            result = tr("%1 %2").arg(result).arg(a.statusCode);
        else if (!a.errorKind.isEmpty())
            result = tr("%1 (%2)").arg(result, a.errorKind);
        rows.append({QString::number(a.id), QString::number(a.deliveryId),
                     (a.createdAt.isValid() ? a.createdAt : a.time())
                         .toLocalTime()
                         .toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")),
                     QString::number(a.webhookId), a.action, result, CliSend::durationText(a),
                     tr("%1/%2").arg(a.number).arg(a.maxAttempts), attemptTriggerKey(a.trigger)});
    }
    CliOutput::print(
        // QUEUED: when each attempt was queued, the order of the list (newest
        // first); a pending one's due time is in OUTCOME.
        CliOutput::table({tr("ID"), tr("DELIVERY"), tr("QUEUED"), tr("HOOK"), tr("EVENT"),
                          tr("OUTCOME"), tr("DURATION"), tr("ATTEMPT"), tr("TRIGGER")},
                         rows));
    return int(ExitCode::Success);
}
