#include "delivery_store.h"

#include "domain/secret_mask.h"
#include "payload_builder.h"
#include "retry_policy.h"
#include "store/database.h"
#include "store/settings_table.h"
#include "store/sql_dialect.h"
#include "store/sql_text.h"
#include "store/statement_cache.h"
#include "store/transaction.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QScopeGuard>
#include <QSet>
#include <QSqlError>
#include <QSqlQuery>
#include <QStringTokenizer>
#include <QVariant>
#include <algorithm>
#include <signal.h>

namespace {

qint64 ms(const QDateTime &time)
{
    return time.toMSecsSinceEpoch();
}

// The hooks another dispatcher holds a delivery of; binds the owner and
// now. Read from the partial index of leased attempts (a few dozen rows):
// SQLite, left to itself, read every pending attempt through
// attempts_outcome on each claim (14 ms at 20,000 pending).
QString heldByOthers(const QSqlDatabase &db)
{
    return QStringLiteral("(SELECT h.webhook_id FROM attempts h") +
           SqlDialect::indexedBy(db, QStringLiteral("attempts_leased")) +
           QStringLiteral(" WHERE h.outcome = 'pending' AND h.lease_owner <> '' AND "
                          "h.lease_owner <> ? AND h.lease_until >= ?)");
}

// "1,2,3" for an IN (...) list: one statement for a batch instead of one per
// row halved the cost of claiming and recording. Only integers go in.
QString idList(const QList<qint64> &ids)
{
    QString list;
    list.reserve(ids.size() * 8);
    for (const qint64 id : ids) {
        if (!list.isEmpty())
            list += QLatin1Char(',');
        list += QString::number(id);
    }
    return list;
}

QDateTime fromMs(const QVariant &value)
{
    if (value.isNull())
        return {};
    return QDateTime::fromMSecsSinceEpoch(value.toLongLong(), Qt::UTC);
}

QString headersToJson(const HeaderList &headers)
{
    QJsonArray array;
    for (const auto &[name, value] : headers)
        array.append(QJsonArray{name, value});
    return QString::fromUtf8(QJsonDocument(array).toJson(QJsonDocument::Compact));
}

HeaderList headersFromJson(const QString &text)
{
    HeaderList headers;
    const QJsonArray array = QJsonDocument::fromJson(text.toUtf8()).array();
    for (const QJsonValue &pair : array) {
        const QJsonArray p = pair.toArray();
        headers.append({p.at(0).toString(), p.at(1).toString()});
    }
    return headers;
}

StorageError invalid(const QString &message)
{
    return {StorageError::Kind::Invalid, message};
}

// Deliveries of a deleted webhook stay in the log but are never sent again.
const QString NotDeletedHook = QStringLiteral(
    "d.webhook_id NOT IN (SELECT id FROM webhooks WHERE deleted_at IS NOT NULL) AND ");

// The columns of a log row, and with details those of the details pane.
const QString RowColumns = QStringLiteral(
    "a.id, a.delivery_id, a.webhook_id, a.action, d.message_id, a.number, a.max_attempts, "
    "a.trigger, a.outcome, a.due_at, a.started_at, a.finished_at, a.url, a.status_code, "
    "a.error_kind, a.error, a.duration_ms, a.created_at");
const QString DetailColumns = QStringLiteral(
    ", a.request_headers, d.body, a.response_headers, a.response_body, a.response_truncated, "
    "a.trace");

Attempt readAttempt(const QSqlQuery &q, bool withDetails)
{
    Attempt a;
    a.id = q.value(0).toLongLong();
    a.deliveryId = q.value(1).toLongLong();
    a.webhookId = q.value(2).toLongLong();
    a.action = q.value(3).toString();
    a.messageId = q.value(4).toString();
    a.number = q.value(5).toInt();
    a.maxAttempts = q.value(6).toInt();
    a.trigger = attemptTriggerFromKey(q.value(7).toString());
    a.outcome = attemptOutcomeFromKey(q.value(8).toString());
    a.dueAt = fromMs(q.value(9));
    a.startedAt = fromMs(q.value(10));
    a.finishedAt = fromMs(q.value(11));
    a.url = q.value(12).toString();
    a.statusCode = q.value(13).toInt();
    a.errorKind = q.value(14).toString();
    a.error = q.value(15).toString();
    a.durationMs = q.value(16).isNull() ? -1 : q.value(16).toLongLong();
    a.createdAt = fromMs(q.value(17));
    if (withDetails) {
        a.requestHeaders = headersFromJson(q.value(18).toString());
        a.requestBody = q.value(19).toByteArray();
        a.responseHeaders = headersFromJson(q.value(20).toString());
        a.responseBody = q.value(21).toByteArray();
        a.responseTruncated = q.value(22).toBool();
        a.trace = q.value(23).toString();
    }
    return a;
}

// WHERE clause and its bound values for a filter.
QString whereClause(const LogFilter &filter, QVariantList *values)
{
    QStringList where;
    if (filter.webhookId) {
        where.append(QStringLiteral("a.webhook_id = ?"));
        values->append(*filter.webhookId);
    }
    if (!filter.action.isEmpty()) {
        where.append(QStringLiteral("a.action = ?"));
        values->append(filter.action);
    }
    if (filter.outcome) {
        where.append(QStringLiteral("a.outcome = ?"));
        values->append(attemptOutcomeKey(*filter.outcome));
    }
    if (filter.since.isValid()) {
        where.append(QStringLiteral("a.created_at >= ?"));
        values->append(ms(filter.since));
    }
    if (filter.until.isValid()) {
        where.append(QStringLiteral("a.created_at < ?"));
        values->append(ms(filter.until));
    }
    const QString text = filter.text.trimmed();
    if (!text.isEmpty()) {
        QString escaped = text;
        escaped.replace(QLatin1Char('\\'), QLatin1String("\\\\"))
            .replace(QLatin1Char('%'), QLatin1String("\\%"))
            .replace(QLatin1Char('_'), QLatin1String("\\_"));
        const QString like = QLatin1Char('%') + escaped + QLatin1Char('%');
        where.append(QStringLiteral(
            "(a.url LIKE ? ESCAPE '\\' OR a.action LIKE ? ESCAPE '\\' OR a.error LIKE ? ESCAPE "
            "'\\' OR d.message_id LIKE ? ESCAPE '\\' OR CAST(a.status_code AS TEXT) = ?)"));
        for (int i = 0; i < 4; ++i)
            values->append(like);
        values->append(text);
    }
    return where.isEmpty() ? QString() : where.join(QStringLiteral(" AND "));
}

bool bindAndExec(QSqlQuery &query, const QVariantList &values)
{
    for (const QVariant &v : values)
        query.addBindValue(v);
    return query.exec();
}

} // namespace

DeliveryStore::DeliveryStore(Database *database, QObject *parent)
    : QObject(parent)
    , m_database(database)
{
}

QString DeliveryStore::databasePath() const
{
    return m_database->path();
}

qint64 DeliveryStore::dataVersion() const
{
    return m_database->dataVersion();
}

bool DeliveryStore::reconnectIfLost()
{
    QSqlDatabase db = m_database->connection();
    return SqlDialect::reconnect(db);
}

void DeliveryStore::onExternalChange(QObject *context, std::function<void()> changed) const
{
    m_database->onExternalChange(context, std::move(changed));
}

QString DeliveryStore::newMessageId()
{
    // The milliseconds since 1970 in 9 digits, then 18 random ones (107
    // bits): ids made later sort later, so the unique index on message_id
    // grows at one end, as the other indexes do. Random ids put every new
    // delivery on a random page of that index: one more page written per
    // delivery, and one more read once the index outgrew the cache.
    static const char alphabet[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    constexpr int TimeDigits = 9; // 62^9 ms: past the year 400,000
    constexpr int RandomDigits = 18;
    char digits[TimeDigits + RandomDigits];
    quint64 ms = quint64(std::max<qint64>(0, QDateTime::currentMSecsSinceEpoch()));
    for (int i = TimeDigits - 1; i >= 0; --i) {
        digits[i] = alphabet[ms % 62];
        ms /= 62;
    }
    QRandomGenerator *random = QRandomGenerator::system();
    for (int i = TimeDigits; i < TimeDigits + RandomDigits; ++i)
        digits[i] = alphabet[random->bounded(62)];
    return QStringLiteral("msg_") + QLatin1String(digits, TimeDigits + RandomDigits);
}

namespace {

// Finishes the statements a call used (kept ones must not stay active into
// the caller's commit) and, after a failure, empties the cache. Declared
// after the local statements, so it runs before they are destroyed.
class StatementScope final
{
public:
    explicit StatementScope(StatementCache *cache)
        : m_cache(cache)
    {
    }
    ~StatementScope()
    {
        for (QSqlQuery *query : std::as_const(m_used))
            query->finish();
        if (!m_succeeded && m_cache)
            m_cache->invalidate();
    }
    Q_DISABLE_COPY_MOVE(StatementScope)

    QSqlQuery *use(QSqlQuery *query)
    {
        if (query)
            m_used.append(query);
        return query;
    }
    template <typename T>
    T succeeded(T result)
    {
        m_succeeded = true;
        return result;
    }

private:
    StatementCache *m_cache;
    QList<QSqlQuery *> m_used;
    bool m_succeeded = false;
};

} // namespace

QSqlQuery *DeliveryStore::statement(const QString &sql, QSqlQuery &local, QSqlError *error)
{
    if (m_statements)
        return m_statements->get(sql, error);
    local.setForwardOnly(true);
    if (!local.prepare(sql)) {
        *error = local.lastError();
        return nullptr;
    }
    return &local;
}

Result<EmitResult> DeliveryStore::emitEvent(const EventCatalog &catalog, const QString &action,
                                            std::optional<qint64> projectId,
                                            const QJsonObject &data, const QDateTime &now,
                                            const std::function<Status(qint64)> &alsoStore)
{
    const std::optional<EventType> type = catalog.find(action);
    if (!type || action == EventCatalog::PingKey)
        return invalid(tr("Unknown event type %1; `events` lists them.").arg(action));
    if (EventCatalog::isOperational(action))
        return invalid(tr("%1 is an operational event: the engine sends it when a webhook breaks; "
                          "a test send shows what it looks like.")
                           .arg(action));
    if (const QString e = PayloadBuilder::checkData(*type, data); !e.isEmpty())
        return invalid(e);

    const QString context = tr("Matching webhooks for %1").arg(action);
    QSqlQuery local(m_database->connection());
    StatementScope scope(m_statements);
    QSqlError error;
    QSqlQuery *match = scope.use(statement(
        QStringLiteral(
            "SELECT w.id, w.url, w.send_payload, w.max_attempts, w.payload_filter FROM webhooks w "
            "WHERE w.is_active = 1 "
            "AND (w.project_id IS NULL OR (? = 0 AND w.project_id = ?)) "
            "AND (w.send_for_all_actions = 1 OR EXISTS (SELECT 1 FROM webhook_actions wa "
            "WHERE wa.webhook_id = w.id AND wa.action = ?)) ORDER BY w.id"),
        local, &error));
    if (!match)
        return StorageError::fromSql(error, context);
    match->addBindValue(type->organizationOnly ? 1 : 0);
    match->addBindValue(projectId ? QVariant(*projectId) : QVariant(qint64(-1)));
    match->addBindValue(action);
    if (!match->exec())
        return StorageError::fromSql(match->lastError(), context);
    QList<QPair<Webhook, int>> targets;
    while (match->next()) {
        Webhook hook;
        hook.id = match->value(0).toLongLong();
        hook.url = match->value(1).toString();
        hook.sendPayload = match->value(2).toBool();
        hook.maxAttempts = match->value(3).toInt();
        hook.filter = match->value(4).toString();
        targets.append({hook, hook.maxAttempts});
    }
    match->finish();
    Result<EmitResult> emitted = insertDeliveries(targets, *type, projectId, data,
                                                  AttemptTrigger::Scheduled, now, alsoStore);
    return emitted ? scope.succeeded(std::move(emitted)) : emitted;
}

Result<EmitResult> DeliveryStore::enqueueTest(const EventCatalog &catalog, qint64 hookId,
                                              const QString &action,
                                              std::optional<qint64> projectId,
                                              const QJsonObject &data, const QDateTime &now)
{
    return enqueueTestLike(catalog, hookId, action, projectId, data, now, {});
}

Result<EmitResult> DeliveryStore::enqueueResend(const EventCatalog &catalog, qint64 hookId,
                                                const QString &action,
                                                std::optional<qint64> projectId,
                                                const QJsonObject &data, qint64 editedFrom,
                                                const QString &targetUrl, const QDateTime &now)
{
    const QSqlDatabase db = m_database->connection();
    return enqueueTestLike(
        catalog, hookId, action, projectId, data, now, [&](qint64 eventId) -> Status {
            const QString context = tr("Storing the edited resend of delivery %1").arg(editedFrom);
            QSqlQuery query(db);
            query.prepare(QStringLiteral("SELECT id FROM deliveries WHERE id = ?"));
            query.addBindValue(editedFrom);
            if (!query.exec())
                return StorageError::fromSql(query.lastError(), context);
            if (!query.next())
                return StorageError{StorageError::Kind::NotFound,
                                    tr("There is no delivery with id %1.").arg(editedFrom)};
            query.finish();
            query.prepare(QStringLiteral(
                "UPDATE deliveries SET edited_from = ?, target_url = ? WHERE event_id = ?"));
            query.addBindValue(editedFrom);
            query.addBindValue(targetUrl.isEmpty() ? QVariant(QMetaType::fromType<QString>())
                                                   : QVariant(targetUrl));
            query.addBindValue(eventId);
            if (!query.exec())
                return StorageError::fromSql(query.lastError(), context);
            if (targetUrl.isEmpty())
                return Done{};
            // The log shows where it went (masked), not the hook's URL.
            query.prepare(QStringLiteral("UPDATE attempts SET url = ? WHERE delivery_id IN "
                                         "(SELECT id FROM deliveries WHERE event_id = ?)"));
            query.addBindValue(SecretMask::url(targetUrl));
            query.addBindValue(eventId);
            if (!query.exec())
                return StorageError::fromSql(query.lastError(), context);
            return Done{};
        });
}

Result<QHash<qint64, qint64>> DeliveryStore::editedFrom(const QList<qint64> &deliveryIds) const
{
    QHash<qint64, qint64> result;
    if (deliveryIds.isEmpty())
        return result;
    QSqlQuery query(m_database->connection());
    query.setForwardOnly(true);
    if (!query.exec(QStringLiteral("SELECT id, edited_from FROM deliveries WHERE id IN (") +
                    idList(deliveryIds) + QStringLiteral(") AND edited_from IS NOT NULL")))
        return StorageError::fromSql(query.lastError(), tr("Reading deliveries"));
    while (query.next())
        result.insert(query.value(0).toLongLong(), query.value(1).toLongLong());
    return result;
}

Result<EmitResult> DeliveryStore::enqueueTestLike(const EventCatalog &catalog, qint64 hookId,
                                                  const QString &action,
                                                  std::optional<qint64> projectId,
                                                  const QJsonObject &data, const QDateTime &now,
                                                  const std::function<Status(qint64)> &alsoStore)
{
    std::optional<EventType> type = catalog.find(action);
    if (action == EventCatalog::PingKey)
        type = EventType{EventCatalog::PingKey,
                         tr("Ping"),
                         {},
                         QStringLiteral("message"),
                         false,
                         false,
                         {},
                         true};
    if (!type)
        return invalid(tr("Unknown event type %1; `events` lists them.").arg(action));
    if (action != EventCatalog::PingKey) {
        if (const QString e = PayloadBuilder::checkData(*type, data); !e.isEmpty())
            return invalid(e);
    }
    QSqlQuery query(m_database->connection());
    query.prepare(QStringLiteral("SELECT id, url, send_payload FROM webhooks WHERE id = ? AND "
                                 "deleted_at IS NULL"));
    query.addBindValue(hookId);
    if (!query.exec())
        return StorageError::fromSql(query.lastError(), tr("Reading webhook %1").arg(hookId));
    if (!query.next())
        return StorageError{StorageError::Kind::NotFound,
                            tr("There is no webhook with id %1.").arg(hookId)};
    Webhook hook;
    hook.id = hookId;
    hook.url = query.value(1).toString();
    hook.sendPayload = query.value(2).toBool();
    // An open read keeps SQLite from waiting for the write lock below (no
    // busy handler for a connection that holds a read): locked would come at once.
    query.finish();
    // A test shows what happens now; retrying it would only confuse the log.
    return insertDeliveries({{hook, 1}}, *type, projectId, data, AttemptTrigger::Test, now,
                            alsoStore);
}

const PayloadFilter *DeliveryStore::filterFor(const QString &text)
{
    auto it = m_filters.find(text);
    if (it == m_filters.end()) {
        if (m_filters.size() > 10000) // hooks come and go; never grow without bound
            m_filters.clear();
        QString error;
        it = m_filters.insert(text, PayloadFilter::parse(text.toUtf8(), &error));
    }
    // Saved filters are valid; one that is not (edited by hand) lets everything through.
    return it->has_value() ? &it->value() : nullptr;
}

Result<EmitResult> DeliveryStore::insertDeliveries(const QList<QPair<Webhook, int>> &targets,
                                                   const EventType &type,
                                                   std::optional<qint64> projectId,
                                                   const QJsonObject &data, AttemptTrigger trigger,
                                                   const QDateTime &now,
                                                   const std::function<Status(qint64)> &alsoStore)
{
    const QSqlDatabase db = m_database->connection();
    const QString context = tr("Storing the %1 event").arg(type.key);

    // "project" in the body is the stored project, plus what the data adds.
    std::optional<QJsonObject> project;
    QJsonObject payload = data;
    if (type.payloadKey != QLatin1String("project") && payload.contains(QLatin1String("project"))) {
        project = payload.value(QLatin1String("project")).toObject();
        payload.remove(QStringLiteral("project"));
    }
    // Opened first: it is rolled back after the statements below are finished.
    Transaction transaction(db);
    if (!transaction.isOpen())
        return StorageError::fromSql(transaction.error(), context);
    QSqlQuery localProject(db);
    QSqlQuery localEvent(db);
    QSqlQuery localDelivery(db);
    QSqlQuery localAttempt(db);
    QSqlQuery localFiltered(db);
    StatementScope scope(m_statements);
    QSqlError error;
    if (projectId) {
        QSqlQuery *query = scope.use(statement(
            QStringLiteral("SELECT title FROM projects WHERE id = ?"), localProject, &error));
        if (!query)
            return StorageError::fromSql(error, context);
        query->addBindValue(*projectId);
        if (!query->exec())
            return StorageError::fromSql(query->lastError(), context);
        if (!query->next())
            return scope.succeeded(Result<EmitResult>(invalid(
                tr("Project %1 does not exist; `projects list` shows them.").arg(*projectId))));
        const QString title = query->value(0).toString();
        query->finish();
        if (type.payloadKey == QLatin1String("project")) {
            QJsonObject p = payload.value(QLatin1String("project")).toObject();
            p.insert(QStringLiteral("id"), *projectId);
            if (p.size() > 1 && !p.contains(QLatin1String("title")))
                p.insert(QStringLiteral("title"), title);
            payload.insert(QStringLiteral("project"), p);
        } else {
            QJsonObject p = project.value_or(QJsonObject());
            p.insert(QStringLiteral("id"), *projectId);
            p.insert(QStringLiteral("title"), title);
            project = p;
        }
    }

    const QList<QJsonObject> chunks =
        PayloadBuilder::chunks(type, payload, PayloadBuilder::batchSizeFromEnvironment());

    EmitResult result;
    // A server prepares each statement first: its errors (a lock that did not
    // come in time) are the ones to report, not the EXECUTE that follows.
    QSqlQuery *event = scope.use(statement(
        QStringLiteral("INSERT INTO events (action, project_id, created_at) VALUES (?, ?, ?) "
                       "RETURNING id"),
        localEvent, &error));
    QSqlQuery *deliveryStatement =
        event ? scope.use(statement(
                    QStringLiteral(
                        "INSERT INTO deliveries (event_id, webhook_id, action, message_id, body, "
                        "status, "
                        "attempt_count, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?) "
                        "RETURNING id"),
                    localDelivery, &error))
              : nullptr;
    QSqlQuery *attemptStatement =
        deliveryStatement
            ? scope.use(statement(QStringLiteral("INSERT INTO attempts (delivery_id, webhook_id, "
                                                 "action, number, max_attempts, "
                                                 "trigger, outcome, due_at, url, created_at) "
                                                 "VALUES (?, ?, ?, 1, ?, ?, 'pending', ?, "
                                                 "?, ?) RETURNING id"),
                                  localAttempt, &error))
            : nullptr;
    // A delivery the hook's filter keeps back is logged as filtered, with why.
    QSqlQuery *filteredStatement =
        attemptStatement
            ? scope.use(statement(QStringLiteral("INSERT INTO attempts (delivery_id, webhook_id, "
                                                 "action, number, max_attempts, "
                                                 "trigger, outcome, due_at, started_at, "
                                                 "finished_at, duration_ms, url, error_kind, "
                                                 "error, trace, created_at) VALUES (?, ?, ?, 1, ?, "
                                                 "?, 'filtered', ?, ?, ?, 0, ?, "
                                                 "'filter', ?, ?, ?)"),
                                  localFiltered, &error))
            : nullptr;
    if (!filteredStatement)
        return StorageError::fromSql(error, context);
    QSqlQuery &query = *event;
    QSqlQuery &delivery = *deliveryStatement;
    QSqlQuery &attempt = *attemptStatement;
    QSqlQuery &filtered = *filteredStatement;
    query.addBindValue(type.key);
    query.addBindValue(projectId ? QVariant(*projectId) : QVariant(QMetaType::fromType<qint64>()));
    query.addBindValue(ms(now));
    if (!query.exec())
        return StorageError::fromSql(query.lastError(), context);
    result.eventId = SqlDialect::returnedId(query);
    // The same body goes to every hook (two variants: with and without the
    // payload); build and serialize it once, not once per hook, and only the
    // variants some hook takes.
    QList<QJsonObject> objects[2];
    QList<QByteArray> bodies[2];
    bool wanted[2] = {false, false};
    for (const auto &target : targets)
        wanted[target.first.sendPayload] = true;
    for (const bool withPayload : {false, true}) {
        if (!wanted[withPayload])
            continue;
        const qsizetype count = withPayload ? chunks.size() : 1;
        for (qsizetype i = 0; i < count; ++i) {
            objects[withPayload].append(
                PayloadBuilder::object(type.key, project, chunks.at(i), withPayload));
            bodies[withPayload].append(
                QJsonDocument(objects[withPayload].constLast()).toJson(QJsonDocument::Compact));
        }
    }
    for (const auto &[hook, maxAttempts] : targets) {
        // Test sends show what the receiver does with anything; they are not filtered.
        const PayloadFilter *filter = trigger == AttemptTrigger::Test || hook.filter.isEmpty()
                                          ? nullptr
                                          : filterFor(hook.filter);
        // A hook without payloads gets one {"action": ...}, not one per chunk.
        const qsizetype count = hook.sendPayload ? chunks.size() : 1;
        for (qsizetype i = 0; i < count; ++i) {
            const QByteArray &body = bodies[hook.sendPayload].at(i);
            const std::optional<QString> why =
                filter ? filter->mismatch(objects[hook.sendPayload].at(i)) : std::nullopt;
            delivery.addBindValue(result.eventId);
            delivery.addBindValue(hook.id);
            delivery.addBindValue(type.key);
            delivery.addBindValue(newMessageId());
            delivery.addBindValue(body);
            delivery.addBindValue(why ? QStringLiteral("filtered") : QStringLiteral("pending"));
            delivery.addBindValue(ms(now));
            delivery.addBindValue(ms(now));
            if (!delivery.exec())
                return StorageError::fromSql(delivery.lastError(), context);
            const qint64 deliveryId = SqlDialect::returnedId(delivery);
            if (why) {
                filtered.addBindValue(deliveryId);
                filtered.addBindValue(hook.id);
                filtered.addBindValue(type.key);
                filtered.addBindValue(maxAttempts);
                filtered.addBindValue(attemptTriggerKey(trigger));
                filtered.addBindValue(ms(now));
                filtered.addBindValue(ms(now));
                filtered.addBindValue(ms(now));
                filtered.addBindValue(sqlText(SecretMask::url(hook.url)));
                filtered.addBindValue(sqlText(*why));
                filtered.addBindValue(sqlText(
                    tr("Filtered: not sent, because the webhook's filter does not match the "
                       "body.\nThe condition that failed: %1\nThe filter: %2")
                        .arg(*why, hook.filter)));
                filtered.addBindValue(ms(now));
                if (!filtered.exec())
                    return StorageError::fromSql(filtered.lastError(), context);
                result.deliveryIds.append(deliveryId);
                ++result.filtered;
                continue;
            }
            attempt.addBindValue(deliveryId);
            attempt.addBindValue(hook.id);
            attempt.addBindValue(type.key);
            attempt.addBindValue(maxAttempts);
            attempt.addBindValue(attemptTriggerKey(trigger));
            attempt.addBindValue(ms(now));
            attempt.addBindValue(sqlText(SecretMask::url(hook.url)));
            attempt.addBindValue(ms(now));
            if (!attempt.exec())
                return StorageError::fromSql(attempt.lastError(), context);
            result.deliveryIds.append(deliveryId);
            result.attemptIds.append(SqlDialect::returnedId(attempt));
        }
    }
    if (alsoStore) {
        if (Status s = alsoStore(result.eventId); !s)
            return s.error();
    }
    // Kept statements must not be active at the commit (RELEASE).
    query.finish();
    delivery.finish();
    attempt.finish();
    filtered.finish();
    if (!transaction.commit())
        return StorageError::fromSql(transaction.error(), context);
    emit attemptsChanged();
    return scope.succeeded(Result<EmitResult>(result));
}

namespace {

const QString ClaimColumns = QStringLiteral(
    "a.id, a.delivery_id, a.webhook_id, a.action, d.message_id, a.number, a.max_attempts, "
    "a.trigger, a.due_at, d.body, w.url, w.send_payload, w.secret, w.signature, "
    "w.timeout_seconds, w.is_active, w.project_id, w.verify_tls, w.http_version, w.rate_limit, "
    "w.max_in_flight, w.retry_on, w.retry_schedule, w.paused_at, w.next_probe_at, w.max_attempts, "
    "w.consecutive_failures");

ClaimedAttempt readClaim(const QSqlQuery &q)
{
    ClaimedAttempt c;
    Attempt &a = c.attempt;
    a.id = q.value(0).toLongLong();
    a.deliveryId = q.value(1).toLongLong();
    a.webhookId = q.value(2).toLongLong();
    a.action = q.value(3).toString();
    a.messageId = q.value(4).toString();
    a.number = q.value(5).toInt();
    a.maxAttempts = q.value(6).toInt();
    a.trigger = attemptTriggerFromKey(q.value(7).toString());
    a.dueAt = fromMs(q.value(8));
    a.requestBody = q.value(9).toByteArray();
    Webhook &h = c.hook;
    h.id = a.webhookId;
    h.url = q.value(10).toString();
    h.sendPayload = q.value(11).toBool();
    h.secret = q.value(12).toString();
    h.signature = signatureSchemeFromKey(q.value(13).toString()).value_or(SignatureScheme::None);
    h.timeoutSeconds = q.value(14).toInt();
    h.isActive = q.value(15).toBool();
    if (!q.value(16).isNull())
        h.projectId = q.value(16).toLongLong();
    h.verifyTls = q.value(17).toBool();
    h.httpVersion = httpVersionFromKey(q.value(18).toString()).value_or(HttpVersion::Auto);
    h.rateLimit = RateLimit::fromKey(q.value(19).toString()).value_or(RateLimit());
    h.maxInFlight = q.value(20).toInt();
    h.retryOn = q.value(21).toString();
    h.retrySchedule = RetryPolicy::parseSchedule(q.value(22).toString());
    h.pausedAt = fromMs(q.value(23));
    h.nextProbeAt = fromMs(q.value(24));
    h.maxAttempts = q.value(25).toInt();
    h.consecutiveFailures = q.value(26).toInt();
    a.url = SecretMask::url(h.url);
    return c;
}

// What a claim needs besides the hook's row: the secrets a rotation left
// valid (they sign too, see Signature::headers), and the one-off URL of an
// edited resend (deliveries.target_url) in place of the hook's.
std::optional<QSqlError> readSendingOverrides(const QSqlDatabase &db,
                                              QList<ClaimedAttempt> *claimed, qint64 nowMs)
{
    if (claimed->isEmpty())
        return std::nullopt;
    QHash<qint64, QList<PreviousSecret>> secrets;
    QSqlQuery secretQuery(db);
    secretQuery.setForwardOnly(true);
    secretQuery.prepare(
        QStringLiteral("SELECT secret, valid_until FROM previous_secrets "
                       "WHERE webhook_id = ? AND valid_until > ? ORDER BY id DESC"));
    QList<qint64> deliveryIds;
    for (ClaimedAttempt &c : *claimed) {
        deliveryIds.append(c.attempt.deliveryId);
        if (c.hook.signature != SignatureScheme::Standard)
            continue;
        if (!secrets.contains(c.hook.id)) {
            secretQuery.addBindValue(c.hook.id);
            secretQuery.addBindValue(nowMs);
            if (!secretQuery.exec())
                return secretQuery.lastError();
            QList<PreviousSecret> rows;
            while (secretQuery.next())
                rows.append({secretQuery.value(0).toString(), fromMs(secretQuery.value(1))});
            secrets.insert(c.hook.id, rows);
        }
        c.hook.previousSecrets = secrets.value(c.hook.id);
    }
    QSqlQuery targets(db);
    targets.setForwardOnly(true);
    if (!targets.exec(QStringLiteral("SELECT id, target_url FROM deliveries WHERE id IN (") +
                      idList(deliveryIds) + QStringLiteral(") AND target_url IS NOT NULL")))
        return targets.lastError();
    QHash<qint64, QString> urls;
    while (targets.next())
        urls.insert(targets.value(0).toLongLong(), targets.value(1).toString());
    for (ClaimedAttempt &c : *claimed) {
        if (const auto it = urls.constFind(c.attempt.deliveryId); it != urls.constEnd()) {
            c.hook.url = *it;
            c.attempt.url = SecretMask::url(*it);
        }
    }
    return std::nullopt;
}

} // namespace

Result<QList<ClaimedAttempt>> DeliveryStore::claimDue(const QString &owner, int limit,
                                                      const QDateTime &now,
                                                      const QDateTime &leaseUntil)
{
    const QSqlDatabase db = m_database->connection();
    const QString context = tr("Looking for due deliveries");
    // On a server, what is due and its lease in one transaction, the rows
    // locked (SKIP LOCKED): with several dispatchers each due attempt goes to
    // exactly one. SQLite reads outside the write lock, which many writers
    // share (holding it for the reads made them wait past the busy timeout),
    // and the claim's UPDATE checks each lease again.
    const bool server = SqlDialect::isPostgres(db);
    std::optional<Transaction> transaction;
    if (server) {
        transaction.emplace(db);
        if (!transaction->isOpen())
            return StorageError::fromSql(transaction->error(), context);
        // One claim at a time. Under READ COMMITTED a claim running beside
        // another would not see the other's fresh leases in its NOT IN below
        // and could take a hook's later deliveries while an earlier one is
        // still held elsewhere. A claim takes milliseconds.
        QSqlQuery lock(db);
        if (!lock.exec(
                QStringLiteral("SELECT pg_advisory_xact_lock(%1, 1)").arg(Database::ApplicationId)))
            return StorageError::fromSql(lock.lastError(), context);
    }
    QSqlQuery select(db);
    select.setForwardOnly(true);
    // Oldest due first, and within a hook in delivery (event) order: a
    // delivery's first attempt is stored right after the delivery, so attempt
    // ids follow delivery ids. (due_at, id) is the due index's own order, so
    // SQLite stops after `limit` rows; left to itself it sorted every pending
    // attempt on each claim (5 ms at 20,000 pending, seconds at 100,000).
    // Per-hook order across dispatchers: a hook whose deliveries another
    // dispatcher holds stays with it until they are done, and on PostgreSQL
    // the hook rows are locked while claiming (others skip them, never wait).
    select.prepare(
        QStringLiteral("SELECT a.id FROM attempts a") +
        SqlDialect::indexedBy(db, QStringLiteral("attempts_due")) + SqlDialect::orderedJoin(db) +
        QStringLiteral("webhooks w ON w.id = a.webhook_id "
                       "WHERE a.outcome = 'pending' AND a.due_at <= ? AND a.lease_until < ? "
                       "AND (w.is_active = 1 OR a.trigger != 'scheduled') "
                       "AND (w.paused_at IS NULL OR a.trigger != 'scheduled') "
                       "AND a.webhook_id NOT IN ") +
        heldByOthers(db) + QStringLiteral(" ORDER BY a.due_at, a.id LIMIT ?") +
        (SqlDialect::isPostgres(db) ? QStringLiteral(" FOR UPDATE OF a, w SKIP LOCKED")
                                    : QString()));
    select.addBindValue(ms(now));
    select.addBindValue(ms(now));
    select.addBindValue(owner);
    select.addBindValue(ms(now));
    select.addBindValue(limit);
    if (!select.exec())
        return StorageError::fromSql(select.lastError(), context);
    QList<qint64> ids;
    while (select.next())
        ids.append(select.value(0).toLongLong());
    select.finish();

    // A paused hook sends one probe when it is time: its oldest waiting
    // delivery, unless the last probe is still out. Waiting for the probe
    // replaces a retry's backoff, so the probe is the oldest even when its
    // retry was due later: the hook's deliveries stay in order.
    QSqlQuery paused(db);
    paused.setForwardOnly(true);
    paused.prepare(
        QStringLiteral(
            "SELECT (SELECT a.id || ':' || a.lease_until FROM attempts a WHERE a.webhook_id = w.id "
            "AND a.outcome = 'pending' AND a.trigger = 'scheduled' "
            "ORDER BY a.delivery_id, a.id LIMIT 1), w.id FROM webhooks w "
            "WHERE w.paused_at IS NOT NULL AND w.is_active = 1 AND w.next_probe_at <= ?") +
        SqlDialect::skipLocked(db));
    paused.addBindValue(ms(now));
    if (!paused.exec())
        return StorageError::fromSql(paused.lastError(), context);
    QList<QPair<qint64, qint64>> probes; // attempt, hook
    while (paused.next()) {
        const QStringList probe = paused.value(0).toString().split(QLatin1Char(':'));
        if (probe.size() == 2 && probe.at(1).toLongLong() < ms(now) && ids.size() < limit)
            probes.append({probe.at(0).toLongLong(), paused.value(1).toLongLong()});
    }
    paused.finish();
    if (!probes.isEmpty()) {
        // Until the probe's result is recorded, the next one is not due.
        QSqlQuery wait(db);
        wait.prepare(QStringLiteral("UPDATE webhooks SET next_probe_at = ? WHERE id = ?"));
        for (const auto &[attemptId, hookId] : std::as_const(probes)) {
            ids.append(attemptId);
            wait.addBindValue(ms(leaseUntil));
            wait.addBindValue(hookId);
            if (!wait.exec())
                return StorageError::fromSql(wait.lastError(), context);
        }
    }
    if (ids.isEmpty())
        return QList<ClaimedAttempt>();
    if (!server) {
        // SQLite read the due attempts outside the write lock; the claim
        // below checks each lease and each hook's holder again under it.
        transaction.emplace(db);
        if (!transaction->isOpen())
            return StorageError::fromSql(transaction->error(), context);
    }
    Result<QList<ClaimedAttempt>> claimed = claimLocked(ids, owner, leaseUntil, HookOrder::Keep);
    if (!claimed)
        return claimed;
    if (!transaction->commit())
        return StorageError::fromSql(transaction->error(), context);
    return claimed;
}

Result<QList<ClaimedAttempt>> DeliveryStore::claim(const QList<qint64> &attemptIds,
                                                   const QString &owner,
                                                   const QDateTime &leaseUntil)
{
    const QString context = tr("Claiming deliveries");
    Transaction transaction(m_database->connection());
    if (!transaction.isOpen())
        return StorageError::fromSql(transaction.error(), context);
    Result<QList<ClaimedAttempt>> claimed =
        claimLocked(attemptIds, owner, leaseUntil, HookOrder::Ignore);
    if (!claimed)
        return claimed;
    if (!transaction.commit())
        return StorageError::fromSql(transaction.error(), context);
    return claimed;
}

Result<QList<ClaimedAttempt>> DeliveryStore::claimLocked(const QList<qint64> &attemptIds,
                                                         const QString &owner,
                                                         const QDateTime &leaseUntil,
                                                         HookOrder order)
{
    const QSqlDatabase db = m_database->connection();
    const QString context = tr("Claiming deliveries");
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    // Those someone else holds, or that are done, are left out; keeping
    // hook order, so are hooks another dispatcher holds a delivery of.
    QSqlQuery update(db);
    update.setForwardOnly(true);
    update.prepare(
        QStringLiteral("UPDATE attempts SET lease_owner = ?, lease_until = ? WHERE id IN (") +
        idList(attemptIds) +
        QStringLiteral(") AND outcome = 'pending' AND (lease_until < ? OR lease_owner = ?)") +
        (order == HookOrder::Keep ? QStringLiteral(" AND webhook_id NOT IN ") + heldByOthers(db)
                                  : QString()) +
        QStringLiteral(" RETURNING id"));
    update.addBindValue(owner);
    update.addBindValue(ms(leaseUntil));
    update.addBindValue(now);
    update.addBindValue(owner);
    if (order == HookOrder::Keep) {
        update.addBindValue(owner);
        update.addBindValue(now);
    }
    if (!update.exec())
        return StorageError::fromSql(update.lastError(), context);
    QList<qint64> ids;
    while (update.next())
        ids.append(update.value(0).toLongLong());
    update.finish();

    QHash<qint64, ClaimedAttempt> byId;
    if (!ids.isEmpty()) {
        QSqlQuery read(db);
        read.setForwardOnly(true);
        if (!read.exec(QStringLiteral("SELECT ") + ClaimColumns +
                       QStringLiteral(" FROM attempts a JOIN deliveries d ON d.id = "
                                      "a.delivery_id JOIN webhooks w ON w.id = a.webhook_id "
                                      "WHERE a.id IN (") +
                       idList(ids) + QLatin1Char(')')))
            return StorageError::fromSql(read.lastError(), context);
        while (read.next()) {
            ClaimedAttempt c = readClaim(read);
            byId.insert(c.attempt.id, std::move(c));
        }
    }
    QList<ClaimedAttempt> claimed; // in the order asked for
    for (const qint64 id : attemptIds) {
        if (auto it = byId.find(id); it != byId.end())
            claimed.append(*it);
    }

    QHash<qint64, QList<HeaderRow>> headers;
    QSqlQuery headerQuery(db);
    headerQuery.setForwardOnly(true);
    headerQuery.prepare(QStringLiteral("SELECT name, value, is_secret FROM webhook_headers "
                                       "WHERE webhook_id = ? ORDER BY position"));
    for (ClaimedAttempt &c : claimed) {
        if (!headers.contains(c.hook.id)) {
            headerQuery.addBindValue(c.hook.id);
            if (!headerQuery.exec())
                return StorageError::fromSql(headerQuery.lastError(), context);
            QList<HeaderRow> rows;
            while (headerQuery.next())
                rows.append({headerQuery.value(0).toString(), headerQuery.value(1).toString(),
                             headerQuery.value(2).toBool()});
            headers.insert(c.hook.id, rows);
        }
        c.hook.headers = headers.value(c.hook.id);
    }
    if (auto e = readSendingOverrides(db, &claimed, now))
        return StorageError::fromSql(*e, context);
    return claimed;
}

Status DeliveryStore::renewLeases(const QString &owner, const QDateTime &leaseUntil)
{
    QSqlQuery update(m_database->connection());
    update.prepare(QStringLiteral("UPDATE attempts SET lease_until = ? WHERE outcome = 'pending' "
                                  "AND lease_owner = ? AND lease_until < ?"));
    update.addBindValue(ms(leaseUntil));
    update.addBindValue(owner);
    update.addBindValue(ms(leaseUntil));
    if (!update.exec())
        return StorageError::fromSql(update.lastError(), tr("Renewing the claims on deliveries"));
    return Done{};
}

Result<std::optional<QDateTime>> DeliveryStore::nextDue()
{
    // An attempt is due at max(due_at, lease_until). Walk the due index in
    // order up to the first attempt nobody holds: the leased ones before it
    // (the few in flight) are the only others that can come first. Reading
    // every pending attempt instead cost seconds with a backlog of 100,000.
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QSqlDatabase db = m_database->connection();
    if (!SqlDialect::ensureOpen(db))
        return StorageError::fromSql(QSqlError(), tr("Looking for due deliveries"));
    QSqlQuery query(db);
    query.setForwardOnly(true);
    query.prepare(
        QStringLiteral(
            "SELECT a.due_at, a.lease_until FROM attempts a%1%2webhooks w ON w.id = a.webhook_id "
            "WHERE a.outcome = 'pending' AND (w.is_active = 1 OR a.trigger != 'scheduled') "
            "AND (w.paused_at IS NULL OR a.trigger != 'scheduled') ORDER BY a.due_at, a.id")
            .arg(SqlDialect::indexedBy(m_database->connection(), QStringLiteral("attempts_due")),
                 SqlDialect::orderedJoin(m_database->connection())));
    if (!query.exec())
        return StorageError::fromSql(query.lastError(), tr("Looking for due deliveries"));
    std::optional<qint64> next;
    while (query.next()) {
        const qint64 due = query.value(0).toLongLong();
        const qint64 lease = query.value(1).toLongLong();
        const qint64 at = std::max(due, lease);
        next = std::min(next.value_or(at), at);
        if (lease < now)
            break;
    }
    query.finish();
    // Paused hooks: their next probe, when a delivery waits for it.
    QSqlQuery probes(m_database->connection());
    if (!probes.exec(QStringLiteral(
            "SELECT MIN(w.next_probe_at) FROM webhooks w WHERE w.paused_at IS NOT NULL AND "
            "w.is_active = 1 AND EXISTS (SELECT 1 FROM attempts a WHERE a.webhook_id = w.id AND "
            "a.outcome = 'pending' AND a.trigger = 'scheduled')")))
        return StorageError::fromSql(probes.lastError(), tr("Looking for due deliveries"));
    if (probes.next() && !probes.value(0).isNull()) {
        const qint64 at = probes.value(0).toLongLong();
        next = std::min(next.value_or(at), at);
    }
    if (!next)
        return std::optional<QDateTime>();
    return std::optional<QDateTime>(QDateTime::fromMSecsSinceEpoch(*next, Qt::UTC));
}

Result<int> DeliveryStore::releaseStaleLeases(const QString &hostPrefix)
{
    // Owners are "host:pid:nonce"; a pid that no longer runs has nothing in flight.
    QSqlDatabase db = m_database->connection();
    if (!SqlDialect::ensureOpen(db))
        return StorageError::fromSql(QSqlError(), tr("Resuming deliveries"));
    QSqlQuery owners(db);
    owners.setForwardOnly(true);
    owners.prepare(QStringLiteral("SELECT DISTINCT lease_owner FROM attempts WHERE outcome = "
                                  "'pending' AND lease_owner LIKE ? || ':%'"));
    owners.addBindValue(hostPrefix);
    if (!owners.exec())
        return StorageError::fromSql(owners.lastError(), tr("Resuming deliveries"));
    QStringList dead;
    while (owners.next()) {
        const QString owner = owners.value(0).toString();
        const QStringList parts = owner.split(QLatin1Char(':'));
        bool ok = false;
        const qint64 pid = parts.size() >= 2 ? parts.at(1).toLongLong(&ok) : 0;
        if (ok && pid > 0 && ::kill(pid_t(pid), 0) != 0 && errno == ESRCH)
            dead.append(owner);
    }
    int released = 0;
    for (const QString &owner : dead) {
        QSqlQuery update(db);
        update.prepare(QStringLiteral("UPDATE attempts SET lease_owner = '', lease_until = 0 "
                                      "WHERE outcome = 'pending' AND lease_owner = ?"));
        update.addBindValue(owner);
        if (!update.exec())
            return StorageError::fromSql(update.lastError(), tr("Resuming deliveries"));
        released += update.numRowsAffected();
    }
    return released;
}

Status DeliveryStore::releaseLeases(const QString &owner)
{
    QSqlDatabase db = m_database->connection();
    if (!SqlDialect::ensureOpen(db))
        return StorageError::fromSql(QSqlError(), tr("Releasing deliveries"));
    QSqlQuery update(db);
    update.prepare(QStringLiteral("UPDATE attempts SET lease_owner = '', lease_until = 0 WHERE "
                                  "outcome = 'pending' AND lease_owner = ?"));
    update.addBindValue(owner);
    if (!update.exec())
        return StorageError::fromSql(update.lastError(), tr("Releasing deliveries"));
    return Done{};
}

Status DeliveryStore::releaseLeases(const QString &owner, const QList<qint64> &attemptIds)
{
    QSqlDatabase db = m_database->connection();
    if (!SqlDialect::ensureOpen(db))
        return StorageError::fromSql(QSqlError(), tr("Releasing deliveries"));
    QSqlQuery update(db);
    update.prepare(QStringLiteral("UPDATE attempts SET lease_owner = '', lease_until = 0 WHERE "
                                  "id = ? AND outcome = 'pending' AND lease_owner = ?"));
    for (const qint64 id : attemptIds) {
        update.addBindValue(id);
        update.addBindValue(owner);
        if (!update.exec())
            return StorageError::fromSql(update.lastError(), tr("Releasing deliveries"));
    }
    return Done{};
}

Status DeliveryStore::enqueueOperationalEvent(const QString &key, qint64 aboutHookId,
                                              const QString &reason, const QString &lastError,
                                              std::optional<qint64> deliveryId,
                                              const QDateTime &now)
{
    const QSqlDatabase db = m_database->connection();
    const QString context = tr("Storing the %1 event about webhook %2").arg(key).arg(aboutHookId);
    // Only hooks that check the event: "all events" means the labeling
    // platform's, so a receiver written for those never gets these.
    QSqlQuery match(db);
    match.setForwardOnly(true);
    if (!match.prepare(QStringLiteral(
            "SELECT w.id, w.url, w.send_payload, w.max_attempts, w.payload_filter FROM webhooks w "
            "WHERE w.is_active = 1 AND w.id <> ? AND w.project_id IS NULL AND EXISTS (SELECT 1 "
            "FROM webhook_actions wa WHERE wa.webhook_id = w.id AND wa.action = ?) ORDER BY w.id")))
        return StorageError::fromSql(match.lastError(), context);
    match.addBindValue(aboutHookId);
    match.addBindValue(key);
    if (!match.exec())
        return StorageError::fromSql(match.lastError(), context);
    QList<QPair<Webhook, int>> targets;
    while (match.next()) {
        Webhook hook;
        hook.id = match.value(0).toLongLong();
        hook.url = match.value(1).toString();
        hook.sendPayload = match.value(2).toBool();
        hook.maxAttempts = match.value(3).toInt();
        hook.filter = match.value(4).toString();
        targets.append({hook, hook.maxAttempts});
    }
    match.finish();
    if (targets.isEmpty())
        return Done{};

    QSqlQuery about(db);
    about.setForwardOnly(true);
    about.prepare(QStringLiteral("SELECT url FROM webhooks WHERE id = ?"));
    about.addBindValue(aboutHookId);
    if (!about.exec())
        return StorageError::fromSql(about.lastError(), context);
    const QString url = about.next() ? SecretMask::url(about.value(0).toString()) : QString();
    about.finish();

    const std::optional<EventType> type = EventCatalog().find(key);
    if (!type)
        return invalid(tr("Unknown event type %1; `events` lists them.").arg(key));
    const QJsonObject data{
        {QStringLiteral("webhook"),
         QJsonObject{{QStringLiteral("id"), aboutHookId}, {QStringLiteral("url"), url}}},
        {QStringLiteral("reason"), reason},
        {QStringLiteral("last_error"), lastError},
        {QStringLiteral("delivery_id"), deliveryId ? QJsonValue(*deliveryId) : QJsonValue()},
        {QStringLiteral("occurred_at"), now.toUTC().toString(Qt::ISODateWithMs)},
    };
    Result<EmitResult> stored =
        insertDeliveries(targets, *type, std::nullopt, data, AttemptTrigger::Scheduled, now);
    if (!stored)
        return stored.error();
    return Done{};
}

Status DeliveryStore::recordResults(const QList<AttemptResult> &results, const QDateTime &now,
                                    QList<qint64> *pausedHooks)
{
    if (results.isEmpty())
        return Done{};
    const QSqlDatabase db = m_database->connection();
    const QString context = tr("Recording delivery attempts");
    Transaction transaction(db);
    if (!transaction.isOpen())
        return StorageError::fromSql(transaction.error(), context);

    struct Pending
    {
        qint64 deliveryId = 0;
        qint64 webhookId = 0;
        QString action;
        int number = 0;
        int maxAttempts = 0;
        bool isTest = false;
        QString url;
    };
    QHash<qint64, Pending> pending;
    {
        QList<qint64> ids;
        ids.reserve(results.size());
        for (const AttemptResult &r : results)
            ids.append(r.attemptId);
        QSqlQuery info(db);
        info.setForwardOnly(true);
        if (!info.exec(QStringLiteral("SELECT id, delivery_id, webhook_id, action, number, "
                                      "max_attempts, trigger, url FROM attempts WHERE id IN (") +
                       idList(ids) + QStringLiteral(") AND outcome = 'pending'")))
            return StorageError::fromSql(info.lastError(), context);
        while (info.next())
            pending.insert(info.value(0).toLongLong(),
                           {info.value(1).toLongLong(), info.value(2).toLongLong(),
                            info.value(3).toString(), info.value(4).toInt(), info.value(5).toInt(),
                            info.value(6).toString() == QLatin1String("test"),
                            info.value(7).toString()});
    }
    QSqlQuery update(db);
    if (!update.prepare(QStringLiteral(
            "UPDATE attempts SET outcome = ?, started_at = ?, finished_at = ?, duration_ms = ?, "
            "status_code = ?, error_kind = ?, error = ?, request_headers = ?, "
            "response_headers = ?, response_body = ?, response_truncated = ?, trace = ?, "
            "lease_owner = '', lease_until = 0 WHERE id = ?")))
        return StorageError::fromSql(update.lastError(), context);
    QSqlQuery delivery(db);
    delivery.prepare(QStringLiteral("UPDATE deliveries SET status = ?, attempt_count = "
                                    "attempt_count + 1, updated_at = ? WHERE id = ?"));
    QSqlQuery next(db);
    next.prepare(QStringLiteral(
        "INSERT INTO attempts (delivery_id, webhook_id, action, number, max_attempts, trigger, "
        "outcome, due_at, url, created_at) VALUES (?, ?, ?, ?, ?, 'scheduled', 'pending', ?, ?, "
        "?)"));
    // A success clears the streak (and a pause); the deliveries it counted
    // may count again.
    QSqlQuery succeeded(db);
    succeeded.setForwardOnly(true);
    succeeded.prepare(QStringLiteral(
        "UPDATE webhooks SET consecutive_failures = 0 WHERE id = ? AND (consecutive_failures "
        "!= 0 OR paused_at IS NOT NULL) RETURNING paused_at IS NOT NULL"));
    QSqlQuery uncount(db);
    uncount.prepare(QStringLiteral("UPDATE deliveries SET counted_failure = 0 WHERE webhook_id = "
                                   "? AND counted_failure = 1"));
    // A delivery counts once towards the streak, however many attempts fail.
    QSqlQuery count(db);
    count.prepare(QStringLiteral(
        "UPDATE deliveries SET counted_failure = 1 WHERE id = ? AND counted_failure = 0"));
    QSqlQuery failed(db);
    failed.setForwardOnly(true);
    failed.prepare(QStringLiteral(
        "UPDATE webhooks SET consecutive_failures = consecutive_failures + ?, last_error = ? "
        "WHERE id = ? RETURNING consecutive_failures, paused_at, probe_interval_ms"));
    QSqlQuery pause(db);
    pause.prepare(QStringLiteral(
        "UPDATE webhooks SET paused_at = ?, next_probe_at = ?, probe_interval_ms = ?, "
        "pause_reason = ? WHERE id = ? AND is_active = 1 AND paused_at IS NULL"));
    QSqlQuery probeAgain(db);
    probeAgain.prepare(QStringLiteral(
        "UPDATE webhooks SET next_probe_at = ?, probe_interval_ms = ? WHERE id = ?"));
    QSqlQuery deactivate(db);
    deactivate.prepare(QStringLiteral(
        "UPDATE webhooks SET is_active = 0, disabled_reason = ?, updated_at = ?, paused_at = "
        "NULL, next_probe_at = NULL, probe_interval_ms = 0, pause_reason = '' "
        "WHERE id = ? AND is_active = 1"));
    const int threshold = failureThreshold();
    const qint64 pauseLimitMs = pauseLimitSeconds() * 1000;

    QList<qint64> paused;
    // Hooks whose count is known to be 0 in this batch: most results are
    // successes of a few hooks, and resetting each one again cost a statement.
    QSet<qint64> reset;
    for (const AttemptResult &r : results) {
        // Not pending: recorded already (a redelivery raced it); keep the first.
        // Taken out, so the same attempt twice in a batch is recorded once.
        const auto found = pending.constFind(r.attemptId);
        if (found == pending.cend())
            continue;
        const auto [deliveryId, webhookId, action, number, maxAttempts, isTest, url] = *found;
        pending.remove(r.attemptId);

        update.addBindValue(attemptOutcomeKey(r.outcome));
        update.addBindValue(ms(r.startedAt));
        update.addBindValue(ms(r.finishedAt));
        update.addBindValue(r.durationMs);
        update.addBindValue(r.statusCode);
        update.addBindValue(sqlText(r.errorKind));
        update.addBindValue(sqlText(r.error));
        update.addBindValue(headersToJson(r.requestHeaders));
        update.addBindValue(headersToJson(r.responseHeaders));
        update.addBindValue(r.responseBody.left(ResponseCaptureBytes));
        update.addBindValue(
            r.responseTruncated || r.responseBody.size() > ResponseCaptureBytes ? 1 : 0);
        update.addBindValue(sqlText(r.trace));
        update.addBindValue(r.attemptId);
        if (!update.exec())
            return StorageError::fromSql(update.lastError(), context);

        // The dispatcher decided whether a retry follows (RetryPolicy::decide).
        const bool retry = r.outcome == AttemptOutcome::Failed && r.nextAttemptAt.has_value();
        const QString status = r.outcome == AttemptOutcome::Succeeded
                                   ? QStringLiteral("succeeded")
                                   : (retry ? QStringLiteral("pending") : QStringLiteral("failed"));
        delivery.addBindValue(status);
        delivery.addBindValue(ms(now));
        delivery.addBindValue(deliveryId);
        if (!delivery.exec())
            return StorageError::fromSql(delivery.lastError(), context);
        if (retry) {
            next.addBindValue(deliveryId);
            next.addBindValue(webhookId);
            next.addBindValue(action);
            next.addBindValue(number + 1);
            next.addBindValue(r.extendAttempts ? std::max(maxAttempts, number) + 1 : maxAttempts);
            next.addBindValue(ms(*r.nextAttemptAt));
            next.addBindValue(sqlText(url));
            next.addBindValue(ms(now));
            if (!next.exec())
                return StorageError::fromSql(next.lastError(), context);
        }
        if (isTest)
            continue; // a test send says nothing about the hook's health
        // Failed for good: the hooks that listen hear of it. Not of an
        // operational event's own delivery, or two failing listeners would
        // tell each other forever.
        if (r.outcome == AttemptOutcome::Failed && !retry && !EventCatalog::isOperational(action)) {
            if (Status told = enqueueOperationalEvent(
                    EventCatalog::DeliveryExhaustedKey, webhookId,
                    tr("Delivery %1 (%2) failed for good after %n attempt(s); no attempt follows.",
                       nullptr, number)
                        .arg(deliveryId)
                        .arg(action),
                    r.error, deliveryId, now);
                !told)
                return told;
        }
        QString reason = r.deactivateReason;
        if (r.outcome == AttemptOutcome::Succeeded) {
            if (!reset.contains(webhookId)) {
                succeeded.addBindValue(webhookId);
                if (!succeeded.exec())
                    return StorageError::fromSql(succeeded.lastError(), context);
                const bool changed = succeeded.next();
                const bool wasPaused = changed && succeeded.value(0).toBool();
                succeeded.finish();
                if (changed) {
                    uncount.addBindValue(webhookId);
                    if (!uncount.exec())
                        return StorageError::fromSql(uncount.lastError(), context);
                }
                if (wasPaused) {
                    if (Status resumed = resumeLocked(webhookId, ms(now)); !resumed)
                        return resumed;
                }
                reset.insert(webhookId);
            }
        } else {
            reset.remove(webhookId);
            count.addBindValue(deliveryId);
            if (!count.exec())
                return StorageError::fromSql(count.lastError(), context);
            const bool newlyFailed = count.numRowsAffected() > 0;
            failed.addBindValue(newlyFailed ? 1 : 0);
            failed.addBindValue(sqlText(r.error));
            failed.addBindValue(webhookId);
            if (!failed.exec())
                return StorageError::fromSql(failed.lastError(), context);
            if (failed.next()) {
                const int failures = failed.value(0).toInt();
                const bool isPaused = !failed.value(1).isNull();
                const qint64 pausedAt = failed.value(1).toLongLong();
                const qint64 interval = failed.value(2).toLongLong();
                failed.finish();
                if (isPaused && reason.isEmpty() && ms(now) - pausedAt >= pauseLimitMs) {
                    reason = tr("Paused since %1 without a successful delivery; deactivated "
                                "after %2 hours. The last error: %3")
                                 .arg(QDateTime::fromMSecsSinceEpoch(pausedAt, Qt::UTC)
                                          .toString(Qt::ISODate))
                                 .arg(pauseLimitMs / 3600000.0, 0, 'g', 3)
                                 .arg(r.error);
                } else if (isPaused && r.probe) {
                    const qint64 wait = m_breaker.nextIntervalMs(interval);
                    probeAgain.addBindValue(ms(now) + wait);
                    probeAgain.addBindValue(wait);
                    probeAgain.addBindValue(webhookId);
                    if (!probeAgain.exec())
                        return StorageError::fromSql(probeAgain.lastError(), context);
                } else if (!isPaused && threshold > 0 && failures >= threshold) {
                    const qint64 wait = m_breaker.firstProbeMs();
                    pause.addBindValue(ms(now));
                    pause.addBindValue(ms(now) + wait);
                    pause.addBindValue(wait);
                    const QString pauseReason =
                        tr("%n deliveries in a row failed; the last: %1", nullptr, failures)
                            .arg(r.error);
                    pause.addBindValue(pauseReason);
                    pause.addBindValue(webhookId);
                    if (!pause.exec())
                        return StorageError::fromSql(pause.lastError(), context);
                    if (pause.numRowsAffected() > 0) {
                        paused.append(webhookId);
                        if (Status told =
                                enqueueOperationalEvent(EventCatalog::WebhookPausedKey, webhookId,
                                                        pauseReason, r.error, deliveryId, now);
                            !told)
                            return told;
                    }
                }
            }
            failed.finish();
        }
        if (!reason.isEmpty()) {
            deactivate.addBindValue(reason);
            deactivate.addBindValue(
                QDateTime::fromMSecsSinceEpoch(ms(now), Qt::UTC).toString(Qt::ISODateWithMs));
            deactivate.addBindValue(webhookId);
            if (!deactivate.exec())
                return StorageError::fromSql(deactivate.lastError(), context);
            if (deactivate.numRowsAffected() > 0) {
                if (Status told =
                        enqueueOperationalEvent(EventCatalog::WebhookDisabledKey, webhookId, reason,
                                                r.error, deliveryId, now);
                    !told)
                    return told;
            }
        }
    }
    if (!transaction.commit())
        return StorageError::fromSql(transaction.error(), context);
    if (pausedHooks)
        *pausedHooks = paused;
    emit attemptsChanged();
    return Done{};
}

Status DeliveryStore::resumeLocked(qint64 webhookId, qint64 nowMs)
{
    const QSqlDatabase db = m_database->connection();
    const QString context = tr("Resuming webhook %1").arg(webhookId);
    QSqlQuery hook(db);
    hook.prepare(QStringLiteral(
        "UPDATE webhooks SET paused_at = NULL, next_probe_at = NULL, probe_interval_ms = 0, "
        "pause_reason = '', consecutive_failures = 0 WHERE id = ?"));
    hook.addBindValue(webhookId);
    if (!hook.exec())
        return StorageError::fromSql(hook.lastError(), context);
    QSqlQuery uncount(db);
    uncount.prepare(QStringLiteral("UPDATE deliveries SET counted_failure = 0 WHERE webhook_id = "
                                   "? AND counted_failure = 1"));
    uncount.addBindValue(webhookId);
    if (!uncount.exec())
        return StorageError::fromSql(uncount.lastError(), context);
    // What waited is due now, in delivery (event) order: the dispatcher takes
    // due attempts by due_at, so each gets a millisecond after the one before.
    QSqlQuery waiting(db);
    waiting.setForwardOnly(true);
    waiting.prepare(QStringLiteral(
        "SELECT id FROM attempts WHERE webhook_id = ? AND outcome = 'pending' AND trigger = "
        "'scheduled' AND lease_until < ? ORDER BY delivery_id, id"));
    waiting.addBindValue(webhookId);
    waiting.addBindValue(nowMs);
    if (!waiting.exec())
        return StorageError::fromSql(waiting.lastError(), context);
    QList<qint64> ids;
    while (waiting.next())
        ids.append(waiting.value(0).toLongLong());
    waiting.finish();
    QSqlQuery due(db);
    due.prepare(QStringLiteral("UPDATE attempts SET due_at = ? WHERE id = ?"));
    for (qsizetype i = 0; i < ids.size(); ++i) {
        due.addBindValue(nowMs - ids.size() + i);
        due.addBindValue(ids.at(i));
        if (!due.exec())
            return StorageError::fromSql(due.lastError(), context);
    }
    return Done{};
}

Status DeliveryStore::resumeHook(qint64 webhookId, const QDateTime &now)
{
    const QSqlDatabase db = m_database->connection();
    const QString context = tr("Resuming webhook %1").arg(webhookId);
    Transaction transaction(db);
    if (!transaction.isOpen())
        return StorageError::fromSql(transaction.error(), context);
    QSqlQuery exists(db);
    exists.prepare(QStringLiteral("SELECT 1 FROM webhooks WHERE id = ?"));
    exists.addBindValue(webhookId);
    if (!exists.exec())
        return StorageError::fromSql(exists.lastError(), context);
    if (!exists.next())
        return StorageError{StorageError::Kind::NotFound,
                            tr("There is no webhook with id %1.").arg(webhookId)};
    exists.finish();
    if (Status resumed = resumeLocked(webhookId, ms(now)); !resumed)
        return resumed;
    if (!transaction.commit())
        return StorageError::fromSql(transaction.error(), context);
    emit attemptsChanged();
    return Done{};
}

Result<qint64> DeliveryStore::takeRateToken(qint64 webhookId, qint64 intervalMs, qint64 nowMs)
{
    const QSqlDatabase db = m_database->connection();
    const QString context = tr("Holding deliveries back for the rate limit");
    // A timer may wake a dispatcher a little early; a millisecond is not
    // worth a round trip.
    QSqlQuery take(db);
    take.prepare(QStringLiteral(
        "UPDATE webhooks SET rate_next_at = CASE WHEN rate_next_at > ? THEN rate_next_at "
        "ELSE ? END + ? WHERE id = ? AND rate_next_at <= ? RETURNING id"));
    take.addBindValue(nowMs);
    take.addBindValue(nowMs);
    take.addBindValue(intervalMs);
    take.addBindValue(webhookId);
    take.addBindValue(nowMs + 1);
    if (!take.exec())
        return StorageError::fromSql(take.lastError(), context);
    if (take.next())
        return qint64(0);
    take.finish();
    QSqlQuery next(db);
    next.prepare(QStringLiteral("SELECT rate_next_at FROM webhooks WHERE id = ?"));
    next.addBindValue(webhookId);
    if (!next.exec())
        return StorageError::fromSql(next.lastError(), context);
    // A hook deleted meanwhile: its deliveries are not sent anyway.
    return next.next() ? std::max(next.value(0).toLongLong(), nowMs + 1) : qint64(0);
}

Status DeliveryStore::deferAttempts(const QString &owner,
                                    const QList<QPair<qint64, QDateTime>> &due)
{
    if (due.isEmpty())
        return Done{};
    const QSqlDatabase db = m_database->connection();
    const QString context = tr("Holding deliveries back for the rate limit");
    Transaction transaction(db);
    if (!transaction.isOpen())
        return StorageError::fromSql(transaction.error(), context);
    QSqlQuery update(db);
    update.prepare(QStringLiteral(
        "UPDATE attempts SET due_at = ?, lease_owner = '', lease_until = 0, error_kind = "
        "'rate_limit' WHERE id = ? AND outcome = 'pending' AND lease_owner = ?"));
    for (const auto &[id, when] : due) {
        update.addBindValue(ms(when));
        update.addBindValue(id);
        update.addBindValue(owner);
        if (!update.exec())
            return StorageError::fromSql(update.lastError(), context);
    }
    if (!transaction.commit())
        return StorageError::fromSql(transaction.error(), context);
    emit attemptsChanged();
    return Done{};
}

Result<QList<QJsonObject>> DeliveryStore::recentBodies(const Webhook &hook,
                                                       const EventCatalog &catalog, int limit) const
{
    QStringList keys;
    for (const EventType &type : catalog.types()) {
        if (type.key == EventCatalog::PingKey)
            continue;
        if (hook.projectId && type.organizationOnly)
            continue;
        if (hook.sendForAllActions || hook.actions.contains(type.key))
            keys.append(type.key);
    }
    QList<QJsonObject> bodies;
    if (keys.isEmpty() || limit <= 0)
        return bodies;
    QStringList marks;
    marks.fill(QStringLiteral("?"), keys.size());
    QSqlQuery query(m_database->connection());
    query.setForwardOnly(true);
    // Every hook's delivery of an event holds its body; keep one per event,
    // the longest (a hook without payloads stores only the action).
    query.prepare(QStringLiteral("SELECT d.event_id, d.body FROM deliveries d JOIN events e ON "
                                 "e.id = d.event_id WHERE d.action IN (") +
                  marks.join(QLatin1Char(',')) + QLatin1Char(')') +
                  (hook.projectId ? QStringLiteral(" AND e.project_id = ?") : QString()) +
                  QStringLiteral(" ORDER BY d.id DESC"));
    for (const QString &key : std::as_const(keys))
        query.addBindValue(key);
    if (hook.projectId)
        query.addBindValue(*hook.projectId);
    if (!query.exec())
        return StorageError::fromSql(query.lastError(), tr("Reading stored events"));
    QList<qint64> order;
    QHash<qint64, QByteArray> byEvent;
    while (query.next()) {
        const qint64 event = query.value(0).toLongLong();
        const QByteArray body = query.value(1).toByteArray();
        auto it = byEvent.find(event);
        if (it == byEvent.end()) {
            if (order.size() >= limit)
                break; // an older event than the last one wanted
            order.append(event);
            byEvent.insert(event, body);
        } else if (body.size() > it->size()) {
            *it = body;
        }
    }
    bodies.reserve(order.size());
    for (const qint64 event : std::as_const(order)) {
        QJsonObject body = QJsonDocument::fromJson(byEvent.value(event)).object();
        if (!hook.sendPayload)
            body = QJsonObject{{QStringLiteral("action"), body.value(QLatin1String("action"))}};
        bodies.append(body);
    }
    return bodies;
}

Result<qint64> DeliveryStore::redeliver(qint64 deliveryId, const QDateTime &now)
{
    const QSqlDatabase db = m_database->connection();
    const QString context = tr("Redelivering delivery %1").arg(deliveryId);
    Transaction transaction(db);
    if (!transaction.isOpen())
        return StorageError::fromSql(transaction.error(), context);
    QSqlQuery query(db);
    query.prepare(QStringLiteral("SELECT d.webhook_id, d.action, d.attempt_count, w.url, "
                                 "w.deleted_at IS NOT NULL FROM deliveries d JOIN webhooks w "
                                 "ON w.id = d.webhook_id WHERE d.id = ?"));
    query.addBindValue(deliveryId);
    if (!query.exec())
        return StorageError::fromSql(query.lastError(), context);
    if (!query.next())
        return StorageError{StorageError::Kind::NotFound,
                            tr("There is no delivery with id %1.").arg(deliveryId)};
    const qint64 webhookId = query.value(0).toLongLong();
    const QString action = query.value(1).toString();
    const int count = query.value(2).toInt();
    const QString url = SecretMask::url(query.value(3).toString());
    if (query.value(4).toBool())
        return invalid(tr("The webhook of delivery %1 was deleted; its history is kept, but "
                          "nothing is sent to it any more.")
                           .arg(deliveryId));
    query.finish();

    qint64 attemptId = 0;
    // A retry already waiting is simply brought forward.
    QSqlQuery pending(db);
    pending.prepare(QStringLiteral("SELECT id FROM attempts WHERE delivery_id = ? AND outcome = "
                                   "'pending' AND lease_until < ?"));
    pending.addBindValue(deliveryId);
    pending.addBindValue(ms(now));
    if (!pending.exec())
        return StorageError::fromSql(pending.lastError(), context);
    if (pending.next()) {
        attemptId = pending.value(0).toLongLong();
        pending.finish();
        QSqlQuery update(db);
        update.prepare(
            QStringLiteral("UPDATE attempts SET due_at = ?, trigger = 'manual' WHERE id = ?"));
        update.addBindValue(ms(now));
        update.addBindValue(attemptId);
        if (!update.exec())
            return StorageError::fromSql(update.lastError(), context);
    } else {
        QSqlQuery insert(db);
        insert.prepare(QStringLiteral(
            "INSERT INTO attempts (delivery_id, webhook_id, action, number, max_attempts, "
            "trigger, outcome, due_at, url, created_at) VALUES (?, ?, ?, ?, ?, 'manual', "
            "'pending', ?, ?, ?) RETURNING id"));
        insert.addBindValue(deliveryId);
        insert.addBindValue(webhookId);
        insert.addBindValue(action);
        insert.addBindValue(count + 1);
        insert.addBindValue(count + 1);
        insert.addBindValue(ms(now));
        insert.addBindValue(sqlText(url));
        insert.addBindValue(ms(now));
        if (!insert.exec())
            return StorageError::fromSql(insert.lastError(), context);
        attemptId = SqlDialect::returnedId(insert);
    }
    QSqlQuery status(db);
    status.prepare(QStringLiteral("UPDATE deliveries SET status = 'pending', updated_at = ? "
                                  "WHERE id = ?"));
    status.addBindValue(ms(now));
    status.addBindValue(deliveryId);
    if (!status.exec())
        return StorageError::fromSql(status.lastError(), context);
    if (!transaction.commit())
        return StorageError::fromSql(transaction.error(), context);
    emit attemptsChanged();
    return attemptId;
}

Result<QList<qint64>> DeliveryStore::redeliverFailed(const LogFilter &filter, const QDateTime &now)
{
    LogFilter failed = filter;
    failed.outcome = AttemptOutcome::Failed;
    QVariantList values;
    const QString where = whereClause(failed, &values);
    QSqlQuery query(m_database->connection());
    query.setForwardOnly(true);
    query.prepare(QStringLiteral("SELECT DISTINCT d.id FROM attempts a JOIN deliveries d ON d.id "
                                 "= a.delivery_id WHERE d.status = 'failed' AND ") +
                  NotDeletedHook + where + QStringLiteral(" ORDER BY d.id"));
    if (!bindAndExec(query, values))
        return StorageError::fromSql(query.lastError(), tr("Finding failed deliveries"));
    QList<qint64> deliveries;
    while (query.next())
        deliveries.append(query.value(0).toLongLong());
    QList<qint64> attempts;
    for (const qint64 id : deliveries) {
        Result<qint64> one = redeliver(id, now);
        if (!one)
            return one.error();
        attempts.append(one.value());
    }
    return attempts;
}

Result<QList<Attempt>> DeliveryStore::attempts(const LogFilter &filter, qint64 beforeId, int limit,
                                               bool withDetails) const
{
    QVariantList values;
    QString where = whereClause(filter, &values);
    if (beforeId > 0) {
        where =
            where.isEmpty() ? QStringLiteral("a.id < ?") : where + QStringLiteral(" AND a.id < ?");
        values.append(beforeId);
    }
    values.append(limit);
    QSqlQuery query(m_database->connection());
    query.setForwardOnly(true);
    query.prepare(QStringLiteral("SELECT ") + RowColumns +
                  (withDetails ? DetailColumns : QString()) +
                  QStringLiteral(" FROM attempts a JOIN deliveries d ON d.id = a.delivery_id ") +
                  (where.isEmpty() ? QString() : QStringLiteral("WHERE ") + where) +
                  QStringLiteral(" ORDER BY a.id DESC LIMIT ?"));
    if (!bindAndExec(query, values))
        return StorageError::fromSql(query.lastError(), tr("Reading the delivery log"));
    QList<Attempt> result;
    while (query.next())
        result.append(readAttempt(query, withDetails));
    return result;
}

Result<QList<Attempt>> DeliveryStore::attemptsNewerThan(const LogFilter &filter, qint64 afterId,
                                                        int limit) const
{
    QVariantList values;
    QString where = whereClause(filter, &values);
    where = where.isEmpty() ? QStringLiteral("a.id > ?") : where + QStringLiteral(" AND a.id > ?");
    values.append(afterId);
    values.append(limit);
    // The window's connection to a server that is away: ServerWatch opens
    // it again; a statement on it now would only make Qt warn on stderr.
    if (!m_database->isOpen())
        return StorageError::fromSql(QSqlError(), tr("Reading the delivery log"));
    QSqlQuery query(m_database->connection());
    query.setForwardOnly(true);
    query.prepare(QStringLiteral("SELECT ") + RowColumns +
                  QStringLiteral(" FROM attempts a JOIN deliveries d ON d.id = a.delivery_id "
                                 "WHERE ") +
                  where + QStringLiteral(" ORDER BY a.id ASC LIMIT ?"));
    if (!bindAndExec(query, values))
        return StorageError::fromSql(query.lastError(), tr("Reading the delivery log"));
    QList<Attempt> result;
    while (query.next())
        result.prepend(readAttempt(query, false));
    return result;
}

Result<QList<Attempt>> DeliveryStore::attemptsBetween(const LogFilter &filter, qint64 afterId,
                                                      qint64 beforeId, int limit,
                                                      bool oldestFirst) const
{
    QVariantList values;
    QStringList where;
    const QString filtered = whereClause(filter, &values);
    if (!filtered.isEmpty())
        where.append(filtered);
    if (afterId > 0) {
        where.append(QStringLiteral("a.id > ?"));
        values.append(afterId);
    }
    if (beforeId > 0) {
        where.append(QStringLiteral("a.id < ?"));
        values.append(beforeId);
    }
    values.append(limit);
    QSqlQuery query(m_database->connection());
    query.setForwardOnly(true);
    query.prepare(QStringLiteral("SELECT ") + RowColumns +
                  QStringLiteral(" FROM attempts a JOIN deliveries d ON d.id = a.delivery_id ") +
                  (where.isEmpty()
                       ? QString()
                       : QStringLiteral("WHERE ") + where.join(QStringLiteral(" AND "))) +
                  (oldestFirst ? QStringLiteral(" ORDER BY a.id ASC LIMIT ?")
                               : QStringLiteral(" ORDER BY a.id DESC LIMIT ?")));
    if (!bindAndExec(query, values))
        return StorageError::fromSql(query.lastError(), tr("Reading the delivery log"));
    QList<Attempt> result;
    while (query.next())
        result.append(readAttempt(query, false));
    return result;
}

Result<Attempt> DeliveryStore::attempt(qint64 id) const
{
    QSqlQuery query(m_database->connection());
    query.prepare(QStringLiteral("SELECT ") + RowColumns + DetailColumns +
                  QStringLiteral(" FROM attempts a JOIN deliveries d ON d.id = a.delivery_id "
                                 "WHERE a.id = ?"));
    query.addBindValue(id);
    if (!query.exec())
        return StorageError::fromSql(query.lastError(), tr("Reading attempt %1").arg(id));
    if (!query.next())
        return StorageError{StorageError::Kind::NotFound,
                            tr("There is no attempt with id %1.").arg(id)};
    return readAttempt(query, true);
}

Result<QList<Attempt>> DeliveryStore::attemptsWithIds(const QList<qint64> &ids) const
{
    // SQLite limits the number of bound values; read in chunks.
    constexpr qsizetype Chunk = 500;
    QList<Attempt> result;
    for (qsizetype start = 0; start < ids.size(); start += Chunk) {
        const QList<qint64> chunk = ids.mid(start, Chunk);
        QStringList marks;
        marks.fill(QStringLiteral("?"), chunk.size());
        QSqlQuery query(m_database->connection());
        query.setForwardOnly(true);
        query.prepare(QStringLiteral("SELECT ") + RowColumns +
                      QStringLiteral(" FROM attempts a JOIN deliveries d ON d.id = a.delivery_id "
                                     "WHERE a.id IN (") +
                      marks.join(QLatin1Char(',')) + QLatin1Char(')'));
        for (const qint64 id : chunk)
            query.addBindValue(id);
        if (!query.exec())
            return StorageError::fromSql(query.lastError(), tr("Reading the delivery log"));
        while (query.next())
            result.append(readAttempt(query, false));
    }
    return result;
}

Result<qint64> DeliveryStore::countFailedDeliveries(const LogFilter &filter) const
{
    // The same selection as redeliverFailed().
    LogFilter failed = filter;
    failed.outcome = AttemptOutcome::Failed;
    QVariantList values;
    const QString where = whereClause(failed, &values);
    QSqlQuery query(m_database->connection());
    query.prepare(QStringLiteral("SELECT count(DISTINCT d.id) FROM attempts a JOIN deliveries d "
                                 "ON d.id = a.delivery_id WHERE d.status = 'failed' AND ") +
                  NotDeletedHook + where);
    if (!bindAndExec(query, values) || !query.next())
        return StorageError::fromSql(query.lastError(), tr("Counting failed deliveries"));
    return query.value(0).toLongLong();
}

Result<qint64> DeliveryStore::countAttempts(const LogFilter &filter) const
{
    QVariantList values;
    const QString where = whereClause(filter, &values);
    QSqlQuery query(m_database->connection());
    query.prepare(QStringLiteral("SELECT count(*) FROM attempts a JOIN deliveries d ON d.id = "
                                 "a.delivery_id ") +
                  (where.isEmpty() ? QString() : QStringLiteral("WHERE ") + where));
    if (!bindAndExec(query, values) || !query.next())
        return StorageError::fromSql(query.lastError(), tr("Counting attempts"));
    return query.value(0).toLongLong();
}

Result<QList<AttemptBucket>> DeliveryStore::attemptBuckets(const LogFilter &filter,
                                                           const QDateTime &start, qint64 bucketMs,
                                                           int bucketCount) const
{
    if (bucketMs <= 0 || bucketCount <= 0)
        return QList<AttemptBucket>();
    LogFilter unbounded = filter;
    unbounded.since = {};
    unbounded.until = {};
    QVariantList filterValues;
    const QString where = whereClause(unbounded, &filterValues);
    // One row per bucket (a recursive count, BIGINT on PostgreSQL), and per
    // outcome the attempts in [start + n * size, start + (n + 1) * size):
    // each count is a range of the attempts_outcome_created index. A GROUP BY
    // on (created_at - start) / size, outcome read the same index but sorted
    // every row for the grouping: 260 ms for a million, against 50 ms so.
    // The integers are in the text, not bound: computed here, never the
    // user's, and PostgreSQL need not guess a parameter's type.
    const QString startMs = QString::number(ms(start));
    const QString size = QString::number(bucketMs);
    // The deliveries only for a text filter (the webhook-id).
    const bool needsDeliveries = !unbounded.text.trimmed().isEmpty();
    const QString from =
        needsDeliveries ? QStringLiteral("attempts a JOIN deliveries d ON d.id = a.delivery_id")
                        : QStringLiteral("attempts a");
    const QList<AttemptOutcome> outcomes = {AttemptOutcome::Succeeded, AttemptOutcome::Failed,
                                            AttemptOutcome::Pending, AttemptOutcome::Filtered};
    QStringList counts;
    QVariantList values;
    for (const AttemptOutcome outcome : outcomes) {
        counts.append(QStringLiteral("(SELECT count(*) FROM %1 WHERE a.outcome = '%2' AND "
                                     "a.created_at >= %3 + b.n * %4 AND a.created_at < %3 + "
                                     "(b.n + 1) * %4%5)")
                          .arg(from, attemptOutcomeKey(outcome), startMs, size,
                               where.isEmpty() ? QString() : QStringLiteral(" AND ") + where));
        values.append(filterValues);
    }
    QSqlQuery query(m_database->connection());
    query.setForwardOnly(true);
    query.prepare(QStringLiteral("WITH RECURSIVE b(n) AS (SELECT CAST(0 AS BIGINT) UNION ALL "
                                 "SELECT n + 1 FROM b WHERE n < %1) SELECT b.n, ")
                      .arg(bucketCount - 1) +
                  counts.join(QStringLiteral(", ")) + QStringLiteral(" FROM b ORDER BY b.n"));
    if (!bindAndExec(query, values))
        return StorageError::fromSql(query.lastError(), tr("Counting attempts over time"));
    QList<AttemptBucket> result;
    while (query.next()) {
        const int index = query.value(0).toInt();
        for (int i = 0; i < outcomes.size(); ++i) {
            const qint64 count = query.value(i + 1).toLongLong();
            if (count > 0)
                result.append({index, outcomes.at(i), count});
        }
    }
    return result;
}

Result<QHash<qint64, QList<AttemptOutcome>>> DeliveryStore::recentOutcomes(int perHook) const
{
    // One statement for every hook: a query per hook from here cost 10,000
    // round trips through Qt at start-up with 10,000 hooks.
    QHash<qint64, QList<AttemptOutcome>> result;
    QSqlQuery query(m_database->connection());
    query.setForwardOnly(true);
    query.prepare(QStringLiteral("SELECT w.id, (SELECT %1 FROM (SELECT outcome FROM attempts "
                                 "WHERE webhook_id = w.id AND outcome IN ('succeeded', 'failed') "
                                 "ORDER BY id DESC LIMIT ?) recent) FROM webhooks w")
                      .arg(SqlDialect::stringAgg(m_database->connection(),
                                                 QStringLiteral("outcome"), QStringLiteral(","))));
    query.addBindValue(perHook);
    if (!query.exec())
        return StorageError::fromSql(query.lastError(), tr("Reading recent deliveries"));
    while (query.next()) {
        QList<AttemptOutcome> outcomes;
        const QString keys = query.value(1).toString();
        if (!keys.isEmpty()) {
            for (const QStringView key : QStringTokenizer(keys, QLatin1Char(',')))
                outcomes.append(attemptOutcomeFromKey(key.toString()));
        }
        result.insert(query.value(0).toLongLong(), outcomes);
    }
    return result;
}

Result<int> DeliveryStore::pruneAttempts(const QDateTime &olderThan)
{
    const QSqlDatabase db = m_database->connection();
    const QString context = tr("Pruning old attempts");
    Transaction transaction(db);
    if (!transaction.isOpen())
        return StorageError::fromSql(transaction.error(), context);
    QSqlQuery query(db);
    query.prepare(QStringLiteral("DELETE FROM attempts WHERE outcome != 'pending' AND "
                                 "created_at < ?"));
    query.addBindValue(ms(olderThan));
    if (!query.exec())
        return StorageError::fromSql(query.lastError(), context);
    const int removed = query.numRowsAffected();
    // Deliveries that are finished and have no attempts left go too. Only
    // removed attempts can leave them behind; and deliveries have no index on
    // event_id, so NOT IN (one pass) rather than NOT EXISTS per event, which
    // took minutes at start-up with a few hundred thousand events.
    if (removed > 0 &&
        (!query.exec(QStringLiteral("DELETE FROM deliveries WHERE status != 'pending' AND NOT "
                                    "EXISTS (SELECT 1 FROM attempts a WHERE a.delivery_id = "
                                    "deliveries.id)")) ||
         !query.exec(QStringLiteral("DELETE FROM events WHERE id NOT IN (SELECT event_id FROM "
                                    "deliveries WHERE event_id IS NOT NULL)")) ||
         // A deleted webhook stayed for its history; with that gone, it goes too.
         !query.exec(QStringLiteral("DELETE FROM webhooks WHERE deleted_at IS NOT NULL AND NOT "
                                    "EXISTS (SELECT 1 FROM deliveries d WHERE d.webhook_id = "
                                    "webhooks.id)"))))
        return StorageError::fromSql(query.lastError(), context);
    if (!transaction.commit())
        return StorageError::fromSql(transaction.error(), context);
    if (removed > 0)
        emit attemptsChanged();
    return removed;
}

QString DeliveryStore::setting(const QString &key, const QString &fallback) const
{
    return SettingsTable::value(m_database->connection(), key, fallback);
}

Status DeliveryStore::setSetting(const QString &key, const QString &value)
{
    return SettingsTable::setValue(m_database->connection(), key, value);
}

int DeliveryStore::retentionDays() const
{
    bool ok = false;
    const int days = setting(QStringLiteral("retention_days"), QString()).toInt(&ok);
    return ok && days > 0 ? days : DefaultRetentionDays;
}

int DeliveryStore::failureThreshold() const
{
    return std::max(0, setting(QStringLiteral("failure_threshold"), QStringLiteral("0")).toInt());
}

Status DeliveryStore::setRetentionDays(int days)
{
    if (days < 1 || days > 3650)
        return invalid(tr("Retention must be between 1 and 3650 days."));
    return setSetting(QStringLiteral("retention_days"), QString::number(days));
}

QList<qint64> DeliveryStore::retrySchedule() const
{
    return RetryPolicy::parseSchedule(setting(QStringLiteral("retry_schedule"), QString()));
}

Status DeliveryStore::setRetrySchedule(const QList<qint64> &seconds)
{
    if (seconds.size() > 20)
        return invalid(tr("A retry schedule has at most 20 steps."));
    for (const qint64 s : seconds) {
        if (s < 0 || s > 7 * 24 * 3600)
            return invalid(tr("Each step of the retry schedule is between 0 seconds and a week."));
    }
    return setSetting(QStringLiteral("retry_schedule"), RetryPolicy::formatSchedule(seconds));
}

qint64 DeliveryStore::pauseLimitSeconds() const
{
    bool ok = false;
    const qint64 seconds =
        setting(QStringLiteral("pause_limit_seconds"), QString()).toLongLong(&ok);
    return ok && seconds > 0 ? seconds : qint64(DefaultPauseLimitDays) * 24 * 3600;
}

Status DeliveryStore::setPauseLimitSeconds(qint64 seconds)
{
    if (seconds < 1 || seconds > qint64(365) * 24 * 3600)
        return invalid(tr("A hook stays paused between a second and a year before it is "
                          "deactivated."));
    return setSetting(QStringLiteral("pause_limit_seconds"), QString::number(seconds));
}

Status DeliveryStore::setFailureThreshold(int failures)
{
    if (failures < 0 || failures > 1000)
        return invalid(tr("The failure threshold must be between 0 (off) and 1000."));
    return setSetting(QStringLiteral("failure_threshold"), QString::number(failures));
}

Status DeliveryStore::setGeneralSettings(const QList<qint64> &retrySchedule, int failureThreshold,
                                         int retentionDays, int lockWaitMs)
{
    QSqlDatabase db = m_database->connection();
    const QString context = tr("Saving the settings");
    if (!SqlDialect::setLockWait(db, lockWaitMs))
        return StorageError::fromSql(db.lastError(), context);
    // Back to the connection's usual patience whatever happens below.
    const auto restore =
        qScopeGuard([&db] { SqlDialect::setLockWait(db, Database::BusyTimeoutMs); });
    Transaction transaction(db);
    if (!transaction.isOpen())
        return StorageError::fromSql(transaction.error(), context);
    for (const Status &status :
         {setRetrySchedule(retrySchedule), setFailureThreshold(failureThreshold),
          setRetentionDays(retentionDays)}) {
        if (!status)
            return status.error();
    }
    if (!transaction.commit())
        return StorageError::fromSql(transaction.error(), context);
    return Done{};
}
