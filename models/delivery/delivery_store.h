#pragma once

#include "circuit_breaker.h"
#include "domain/attempt.h"
#include "domain/event_catalog.h"
#include "domain/payload_filter.h"
#include "domain/webhook.h"
#include "store/storage_error.h"

#include <QJsonObject>
#include <QObject>
#include <functional>
#include <optional>

class Database;
class QSqlError;
class QSqlQuery;
class StatementCache;

// What the log shows; every field is optional.
struct LogFilter
{
    std::optional<qint64> webhookId;
    QString action;
    std::optional<AttemptOutcome> outcome;
    QString text; // matched against URL, action, error, message id and status code
    // A time window on when attempts were queued (the log's Time column):
    // since <= created_at < until.
    QDateTime since = {};
    QDateTime until = {};

    bool isEmpty() const
    {
        return !webhookId && action.isEmpty() && !outcome && text.isEmpty() && !since.isValid() &&
               !until.isValid();
    }
    friend bool operator==(const LogFilter &, const LogFilter &) = default;
};

// How many attempts of one outcome were queued in one bucket of time (the
// chart above the log): bucket n covers [start + n * size, start + (n+1) * size).
struct AttemptBucket
{
    int index = 0;
    AttemptOutcome outcome = AttemptOutcome::Pending;
    qint64 count = 0;
    friend bool operator==(const AttemptBucket &, const AttemptBucket &) = default;
};

struct EmitResult
{
    qint64 eventId = 0;
    QList<qint64> deliveryIds;
    QList<qint64> attemptIds; // the first, pending attempt of each delivery
    int filtered = 0;         // deliveries the hooks' filters kept back (logged, not sent)
};

// A pending attempt a dispatcher has claimed, with what it needs to send it.
struct ClaimedAttempt
{
    Attempt attempt; // requestBody holds the delivery's body
    Webhook hook;
};

// The finished attempt as the dispatcher saw it, and what follows from it.
struct AttemptResult
{
    qint64 attemptId = 0;
    AttemptOutcome outcome = AttemptOutcome::Failed;
    QDateTime startedAt;
    QDateTime finishedAt;
    qint64 durationMs = 0;
    int statusCode = 0;
    QString errorKind;
    QString error;
    HeaderList requestHeaders; // masked
    HeaderList responseHeaders;
    QByteArray responseBody;
    bool responseTruncated = false;
    QString trace;
    std::optional<QDateTime> nextAttemptAt; // a retry is scheduled then (RetryPolicy::decide)
    bool extendAttempts = false;            // the retry gets one more attempt (a failed probe)
    bool probe = false;                     // the circuit breaker's probe of a paused hook
    QString deactivateReason;               // e.g. 410 Gone: the hook is switched off
};

// The outbox and the log: events, their deliveries, and every attempt, in the
// shared SQLite file. Writes are whole transactions; an accepted event is on
// disk before anything is sent.
class DeliveryStore final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DeliveryStore)

public:
    static constexpr int ResponseCaptureBytes = 64 * 1024;
    static constexpr int DefaultRetentionDays = 30;

    explicit DeliveryStore(Database *database, QObject *parent = nullptr);

    // Stores the event and one pending delivery per matching hook and chunk.
    // `data` is the body minus "action" (and "project", unless it adds fields
    // to the stored project); see PayloadBuilder::checkData. `alsoStore`
    // runs inside the event's transaction once its rows are written (the
    // listener remembers an idempotency key there); its error rolls all back.
    Result<EmitResult> emitEvent(const EventCatalog &catalog, const QString &action,
                                 std::optional<qint64> projectId, const QJsonObject &data,
                                 const QDateTime &now,
                                 const std::function<Status(qint64 eventId)> &alsoStore = {});
    // A test send: one delivery to one hook (active or not), never retried.
    Result<EmitResult> enqueueTest(const EventCatalog &catalog, qint64 hookId,
                                   const QString &action, std::optional<qint64> projectId,
                                   const QJsonObject &data, const QDateTime &now);

    // Edit and Resend: a test send like enqueueTest, recorded as edited from
    // `editedFrom` (a delivery; it stays as it was), and sent to `targetUrl`
    // instead of the hook's URL when that is not empty (a one-off; the hook
    // is unchanged). One transaction: no dispatcher sees it half written.
    Result<EmitResult> enqueueResend(const EventCatalog &catalog, qint64 hookId,
                                     const QString &action, std::optional<qint64> projectId,
                                     const QJsonObject &data, qint64 editedFrom,
                                     const QString &targetUrl, const QDateTime &now);
    // For each of these deliveries made by Edit and Resend, the delivery it
    // was edited from; the others are left out.
    Result<QHash<qint64, qint64>> editedFrom(const QList<qint64> &deliveryIds) const;

    // Claims up to `limit` due attempts for `owner` until `leaseUntil`, oldest
    // first, skipping inactive hooks (except manual and test sends).
    Result<QList<ClaimedAttempt>> claimDue(const QString &owner, int limit, const QDateTime &now,
                                           const QDateTime &leaseUntil);
    // Claims specific attempts (the ones `emit` just stored).
    Result<QList<ClaimedAttempt>> claim(const QList<qint64> &attemptIds, const QString &owner,
                                        const QDateTime &leaseUntil);
    // When the next pending attempt is due; empty when there is none.
    // Moves this dispatcher's claims on what it still holds forward (a
    // dispatcher that dies lets them run out, and another takes over).
    Status renewLeases(const QString &owner, const QDateTime &leaseUntil);
    Result<std::optional<QDateTime>> nextDue();
    // Releases claims of processes on this machine that no longer run, so a
    // restart resumes what a killed process had in flight.
    Result<int> releaseStaleLeases(const QString &hostPrefix);
    Status releaseLeases(const QString &owner);
    Status releaseLeases(const QString &owner, const QList<qint64> &attemptIds);

    // Records what the dispatcher decided (see RetryPolicy::decide), and keeps
    // each hook's health: failed deliveries in a row pause it (the circuit
    // breaker), a success resumes it, a long pause deactivates it. The hooks
    // this batch paused go to `pausedHooks` once committed.
    Status recordResults(const QList<AttemptResult> &results, const QDateTime &now,
                         QList<qint64> *pausedHooks = nullptr);
    // Takes a send of a rate-limited hook, `intervalMs` apart from the one
    // before it, whoever sent that: 0 if it may send now, else the time in
    // ms when the next send is free. One statement, atomic across processes.
    Result<qint64> takeRateToken(qint64 webhookId, qint64 intervalMs, qint64 nowMs);
    // Attempts over their hook's rate limit wait, unclaimed, until `due`; the
    // log shows them as waiting (rate limit). Only those `owner` holds.
    Status deferAttempts(const QString &owner, const QList<QPair<qint64, QDateTime>> &due);
    // Ends a hook's pause now: its waiting deliveries become due, in order.
    Status resumeHook(qint64 webhookId, const QDateTime &now);
    // The bodies of the newest `limit` stored events `hook` would have got
    // (its event types and scope), one per event, newest first; as the hook
    // would send them. For trying a filter on history.
    Result<QList<QJsonObject>> recentBodies(const Webhook &hook, const EventCatalog &catalog,
                                            int limit) const;
    void setCircuitBreaker(const CircuitBreaker &breaker) { m_breaker = breaker; }

    // Sends the delivery again now: same webhook-id, trigger manual.
    Result<qint64> redeliver(qint64 deliveryId, const QDateTime &now);
    // Redelivers every failed delivery whose latest attempt the filter shows.
    Result<QList<qint64>> redeliverFailed(const LogFilter &filter, const QDateTime &now);

    // Newest first, `limit` attempts older than `beforeId` (0: from the newest).
    // Without details only what a log row shows is read.
    Result<QList<Attempt>> attempts(const LogFilter &filter, qint64 beforeId, int limit,
                                    bool withDetails = false) const;
    Result<QList<Attempt>> attemptsNewerThan(const LogFilter &filter, qint64 afterId,
                                             int limit) const;
    // Up to `limit` attempts with afterId < id < beforeId (0: no bound), newest
    // first or oldest first. A narrow id range bounds what a text filter
    // scans, so a search can be read in pieces and stopped between them.
    Result<QList<Attempt>> attemptsBetween(const LogFilter &filter, qint64 afterId, qint64 beforeId,
                                           int limit, bool oldestFirst) const;
    Result<Attempt> attempt(qint64 id) const;
    // The log rows of these attempts (without details), in no particular
    // order; ids that no longer exist are left out. For re-reading the rows a
    // view holds, e.g. pending ones that may have finished.
    Result<QList<Attempt>> attemptsWithIds(const QList<qint64> &ids) const;
    Result<qint64> countAttempts(const LogFilter &filter) const;
    // The attempts the filter shows, counted per bucket of `bucketMs` from
    // `start` (bucketCount of them) and per outcome, in SQL (counts): the
    // chart never reads rows. The filter's own time window is left out; the
    // buckets are the window. Buckets without attempts are left out.
    Result<QList<AttemptBucket>> attemptBuckets(const LogFilter &filter, const QDateTime &start,
                                                qint64 bucketMs, int bucketCount) const;
    // How many deliveries redeliverFailed(filter) would send again.
    Result<qint64> countFailedDeliveries(const LogFilter &filter) const;
    // The newest finished outcomes per hook, newest first, for the list's strip.
    Result<QHash<qint64, QList<AttemptOutcome>>> recentOutcomes(int perHook) const;

    Result<int> pruneAttempts(const QDateTime &olderThan);

    // Settings kept in the file, shared by every process.
    int retentionDays() const;
    int failureThreshold() const; // 0: never deactivate for failures
    Status setRetentionDays(int days);
    Status setFailureThreshold(int failures);
    // Seconds before each attempt; empty: the default schedule.
    QList<qint64> retrySchedule() const;
    Status setRetrySchedule(const QList<qint64> &seconds);
    // The three above in one transaction, all or nothing, waiting at most
    // lockWaitMs for another writer's lock (the window must not hang behind
    // another process; Locked is the answer then).
    Status setGeneralSettings(const QList<qint64> &retrySchedule, int failureThreshold,
                              int retentionDays, int lockWaitMs);
    static constexpr int DefaultPauseLimitDays = 5;
    // How long a hook stays paused without a successful probe before it is
    // deactivated; seconds, for tests, but set in days by people.
    qint64 pauseLimitSeconds() const;
    Status setPauseLimitSeconds(qint64 seconds);

    static QString newMessageId();
    QString databasePath() const;
    // Changes when another connection commits; see Database::dataVersion.
    // A server connection that was lost is opened again (SqlDialect::reconnect).
    bool reconnectIfLost();
    // See Database::onExternalChange: a server announces other commits at once.
    void onExternalChange(QObject *context, std::function<void()> changed) const;
    qint64 dataVersion() const;
    // Keeps the emit path's statements prepared in `cache` (on this store's
    // connection) instead of preparing them on every event: for the intake.
    void setStatementCache(StatementCache *cache) { m_statements = cache; }

signals:
    // This connection changed the log.
    void attemptsChanged();

private:
    // Whether a claim leaves out hooks whose deliveries another dispatcher
    // holds (scheduled sends keep each hook's order), or takes what it is
    // given (a manual send goes now).
    enum class HookOrder { Keep, Ignore };
    // claim() inside a transaction the caller holds.
    Result<QList<ClaimedAttempt>> claimLocked(const QList<qint64> &attemptIds, const QString &owner,
                                              const QDateTime &leaseUntil, HookOrder order);
    // The emit path's statement for `sql`: the cache's when one is set, else
    // `local` prepared; nullptr with *error if it cannot be prepared.
    QSqlQuery *statement(const QString &sql, QSqlQuery &local, QSqlError *error);
    // The parsed filter of a hook, kept across emits (keyed by its text).
    const PayloadFilter *filterFor(const QString &text);
    Status resumeLocked(qint64 webhookId, qint64 nowMs);
    // Inside the caller's transaction (the state change it reports): stores
    // the operational event `key` about hook `aboutHookId` for every active,
    // organization-wide hook that checks it, except that hook. Nothing is
    // stored when no hook listens.
    Status enqueueOperationalEvent(const QString &key, qint64 aboutHookId, const QString &reason,
                                   const QString &lastError, std::optional<qint64> deliveryId,
                                   const QDateTime &now);
    Result<EmitResult> enqueueTestLike(const EventCatalog &catalog, qint64 hookId,
                                       const QString &action, std::optional<qint64> projectId,
                                       const QJsonObject &data, const QDateTime &now,
                                       const std::function<Status(qint64)> &alsoStore);
    Result<EmitResult> insertDeliveries(const QList<QPair<Webhook, int>> &targets,
                                        const EventType &type, std::optional<qint64> projectId,
                                        const QJsonObject &data, AttemptTrigger trigger,
                                        const QDateTime &now,
                                        const std::function<Status(qint64)> &alsoStore = {});
    QString setting(const QString &key, const QString &fallback) const;
    Status setSetting(const QString &key, const QString &value);

    Database *m_database;
    StatementCache *m_statements = nullptr;
    CircuitBreaker m_breaker = CircuitBreaker::fromEnvironment();
    QHash<QString, std::optional<PayloadFilter>> m_filters;
};
