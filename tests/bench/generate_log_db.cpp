// generate_log_db: writes a Webhook Admin database for the benchmarks, fast
// (one transaction, prepared statements, synchronous=OFF for generation only).
//
//   generate_log_db --db PATH [--hooks 10000] [--attempts 1000000]
//                   [--pending N --pending-url URL]
//
// --attempts: finished attempts spread over the last 7 days, about 80 %
// succeeded, the rest failed (HTTP errors, refused, timeouts), some retried.
// --pending: N deliveries, each with one pending attempt due now, to one more
// hook at --pending-url (what `serve` finds after an outage).

#include "delivery/payload_builder.h"
#include "domain/event_catalog.h"
#include "store/database.h"
#include "store/sql_text.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QRandomGenerator>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>
#include <cstdio>

namespace {

QString option(const QString &name, const QString &fallback = {})
{
    const QStringList args = QCoreApplication::arguments();
    const qsizetype at = args.indexOf(name);
    return at > 0 ? args.value(at + 1) : fallback;
}

bool exec(QSqlQuery &query)
{
    if (query.exec())
        return true;
    std::fprintf(stderr, "generate_log_db: %s\n", qPrintable(query.lastError().text()));
    return false;
}

struct Failure
{
    int status;
    const char *kind;
    const char *error;
};

const Failure Failures[] = {
    {500, "http", "HTTP 500 Internal Server Error"},
    {503, "http", "HTTP 503 Service Unavailable"},
    {404, "http", "HTTP 404 Not Found"},
    {0, "refused", "Connection refused by the receiver"},
    {0, "timeout", "No answer within 10 s (timeout)"},
    {0, "dns", "Host not found"},
};

// Like DeliveryStore::newMessageId, from a seeded generator: the system one
// is slow for a million ids.
QString messageId(QRandomGenerator &random)
{
    static const char alphabet[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    QString id = QStringLiteral("msg_");
    for (int i = 0; i < 27; ++i)
        id.append(QLatin1Char(alphabet[random.bounded(62)]));
    return id;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QString path = option(QStringLiteral("--db"));
    const int hookCount = option(QStringLiteral("--hooks"), QStringLiteral("10000")).toInt();
    const int attemptCount =
        option(QStringLiteral("--attempts"), QStringLiteral("1000000")).toInt();
    const int pendingCount = option(QStringLiteral("--pending"), QStringLiteral("0")).toInt();
    const QString pendingUrl = option(QStringLiteral("--pending-url"));
    if (path.isEmpty() || hookCount < 1 || (pendingCount > 0 && pendingUrl.isEmpty())) {
        std::fprintf(stderr, "usage: generate_log_db --db PATH [--hooks N] [--attempts N] "
                             "[--pending N --pending-url URL]\n");
        return 1;
    }
    QElapsedTimer clock;
    clock.start();
    Database database;
    if (const auto error = database.open(path)) {
        std::fprintf(stderr, "generate_log_db: %s\n", qPrintable(error->message));
        return 1;
    }
    QSqlDatabase db = database.connection();
    QSqlQuery query(db);
    query.exec(QStringLiteral("PRAGMA synchronous = OFF"));
    if (!db.transaction())
        return 1;

    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const QString created = QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs);
    QSqlQuery hook(db);
    hook.prepare(QStringLiteral("INSERT INTO webhooks (id, url, description, send_for_all_actions, "
                                "created_at, updated_at) VALUES (?, ?, ?, 1, ?, ?)"));
    QStringList urls;
    for (int i = 1; i <= hookCount + (pendingCount > 0 ? 1 : 0); ++i) {
        const QString url = i > hookCount
                                ? pendingUrl
                                : QStringLiteral("https://hooks-%1.example.internal/webhook/%2")
                                      .arg(i % 500)
                                      .arg(i);
        urls.append(url);
        hook.addBindValue(i);
        hook.addBindValue(url);
        hook.addBindValue(QStringLiteral("Pipeline %1").arg(i));
        hook.addBindValue(created);
        hook.addBindValue(created);
        if (!exec(hook))
            return 1;
    }

    const EventCatalog catalog;
    const QList<EventType> types = EventCatalog::builtInTypes();
    QList<QByteArray> bodies;
    const QJsonObject project = EventCatalog::sampleProject(1, QStringLiteral("Street scenes"));
    // Short bodies keep the file small; the log pane reads them only for the
    // details of one attempt.
    for (const EventType &type : types) {
        const QByteArray full =
            PayloadBuilder::body(type.key, project, catalog.samplePayload(type.key), true);
        bodies.append(full.size() <= 400 ? full
                                         : PayloadBuilder::body(type.key, project, {}, false));
    }

    QSqlQuery event(db);
    event.prepare(QStringLiteral("INSERT INTO events (id, action, project_id, created_at) "
                                 "VALUES (?, ?, 1, ?)"));
    QSqlQuery delivery(db);
    delivery.prepare(QStringLiteral(
        "INSERT INTO deliveries (id, event_id, webhook_id, action, message_id, body, status, "
        "attempt_count, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    QSqlQuery attempt(db);
    attempt.prepare(QStringLiteral(
        "INSERT INTO attempts (delivery_id, webhook_id, action, number, max_attempts, trigger, "
        "outcome, due_at, started_at, finished_at, duration_ms, url, status_code, error_kind, "
        "error, request_headers, response_headers, response_body, trace, created_at) "
        "VALUES (?, ?, ?, ?, 8, 'scheduled', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));

    QRandomGenerator random(42);
    const QString requestHeaders = QStringLiteral(
        R"([["Content-Type","application/json"],["User-Agent","WebhookAdmin/0.1.0"],)"
        R"(["webhook-id","msg_0000"],["webhook-timestamp","1700000000"]])");
    const QString responseHeaders =
        QStringLiteral(R"([["Content-Type","application/json"],["Content-Length","11"]])");
    const QByteArray okBody = R"({"ok":true})";
    const qint64 span = 7LL * 24 * 3600 * 1000;
    qint64 deliveryId = 0;
    qint64 eventId = 0;
    int written = 0;
    while (written < attemptCount) {
        // One event fans out to 1-5 hooks; a delivery takes 1-3 attempts.
        const qint64 start = now - span + span * written / std::max(1, attemptCount);
        const int typeIndex = int(random.bounded(int(types.size())));
        const QString action = types.at(typeIndex).key;
        ++eventId;
        event.addBindValue(eventId);
        event.addBindValue(action);
        event.addBindValue(start);
        if (!exec(event))
            return 1;
        const int fanOut = 1 + int(random.bounded(5));
        for (int f = 0; f < fanOut && written < attemptCount; ++f) {
            const int hookId = 1 + int(random.bounded(hookCount));
            const int roll = int(random.bounded(100));
            const int tries = roll < 85 ? 1 : (roll < 95 ? 2 : 3);
            const bool lastFails = random.bounded(100) < 40 || tries == 1 ? roll >= 92 : false;
            ++deliveryId;
            delivery.addBindValue(deliveryId);
            delivery.addBindValue(eventId);
            delivery.addBindValue(hookId);
            delivery.addBindValue(action);
            delivery.addBindValue(messageId(random));
            delivery.addBindValue(bodies.at(typeIndex));
            delivery.addBindValue(lastFails ? QStringLiteral("failed")
                                            : QStringLiteral("succeeded"));
            delivery.addBindValue(tries);
            delivery.addBindValue(start);
            delivery.addBindValue(start);
            if (!exec(delivery))
                return 1;
            for (int n = 1; n <= tries && written < attemptCount; ++n, ++written) {
                const bool failed = n < tries || lastFails;
                const Failure &failure = Failures[random.bounded(int(std::size(Failures)))];
                const qint64 at = start + (n - 1) * 5000 + f * 3;
                const qint64 duration =
                    failed && QLatin1String(failure.kind) == QLatin1String("timeout")
                        ? 10000
                        : 20 + random.bounded(400);
                attempt.addBindValue(deliveryId);
                attempt.addBindValue(hookId);
                attempt.addBindValue(action);
                attempt.addBindValue(n);
                attempt.addBindValue(failed ? QStringLiteral("failed")
                                            : QStringLiteral("succeeded"));
                attempt.addBindValue(at);
                attempt.addBindValue(at);
                attempt.addBindValue(at + duration);
                attempt.addBindValue(duration);
                attempt.addBindValue(urls.at(hookId - 1));
                attempt.addBindValue(failed ? failure.status : 200);
                attempt.addBindValue(
                    sqlText(failed ? QString::fromLatin1(failure.kind) : QString()));
                attempt.addBindValue(
                    sqlText(failed ? QString::fromLatin1(failure.error) : QString()));
                attempt.addBindValue(requestHeaders);
                attempt.addBindValue(
                    sqlText(failed && failure.status == 0 ? QString() : responseHeaders));
                attempt.addBindValue(failed && failure.status == 0 ? QByteArray() : okBody);
                attempt.addBindValue(sqlText(
                    failed ? QStringLiteral("Attempt %1 of 8 failed: %2\nURL: %3\nPhase: "
                                            "awaiting response\nNext attempt in 5 s")
                                 .arg(n)
                                 .arg(QString::fromLatin1(failure.error), urls.at(hookId - 1))
                           : QString()));
                attempt.addBindValue(at + duration);
                if (!exec(attempt))
                    return 1;
            }
        }
    }

    // The backlog: pending deliveries to the last hook, due now.
    const int pendingHook = hookCount + 1;
    for (int i = 0; i < pendingCount; ++i) {
        ++eventId;
        event.addBindValue(eventId);
        event.addBindValue(types.at(6).key);
        event.addBindValue(now);
        if (!exec(event))
            return 1;
        ++deliveryId;
        delivery.addBindValue(deliveryId);
        delivery.addBindValue(eventId);
        delivery.addBindValue(pendingHook);
        delivery.addBindValue(types.at(6).key);
        delivery.addBindValue(messageId(random));
        delivery.addBindValue(bodies.at(6));
        delivery.addBindValue(QStringLiteral("pending"));
        delivery.addBindValue(0);
        delivery.addBindValue(now);
        delivery.addBindValue(now);
        if (!exec(delivery))
            return 1;
        attempt.addBindValue(deliveryId);
        attempt.addBindValue(pendingHook);
        attempt.addBindValue(types.at(6).key);
        attempt.addBindValue(1);
        attempt.addBindValue(QStringLiteral("pending"));
        attempt.addBindValue(now);
        for (int k = 0; k < 3; ++k)
            attempt.addBindValue(QVariant(QMetaType::fromType<qint64>()));
        attempt.addBindValue(pendingUrl);
        attempt.addBindValue(0);
        for (int k = 0; k < 6; ++k)
            attempt.addBindValue(sqlText(QString()));
        attempt.addBindValue(now);
        if (!exec(attempt))
            return 1;
    }
    if (!db.commit())
        return 1;
    std::printf("wrote %d hooks, %d attempts, %d pending to %s in %.1f s\n", hookCount,
                attemptCount, pendingCount, qPrintable(path), clock.elapsed() / 1000.0);
    return 0;
}
