#include "hook_store.h"

#include "database.h"
#include "delivery/delivery_store.h"
#include "delivery/retry_policy.h"
#include "domain/retry_on.h"
#include "domain/webhook_validator.h"
#include "sql_dialect.h"
#include "sql_text.h"
#include "transaction.h"

#include <QHash>
#include <QRegularExpression>
#include <QSignalBlocker>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>
#include <utility>

namespace {

QString toStored(const QDateTime &time)
{
    return time.toUTC().toString(Qt::ISODateWithMs);
}

QDateTime fromStored(const QString &text)
{
    QDateTime time = QDateTime::fromString(text, Qt::ISODateWithMs);
    time.setTimeSpec(Qt::UTC);
    return time;
}

bool exec(QSqlQuery &query, QSqlError *error)
{
    if (query.exec())
        return true;
    *error = query.lastError();
    return false;
}

// Runs each statement with its values, in order, inside the caller's
// transaction; false with *error at the first that fails.
bool execAll(const QSqlDatabase &db, const QList<std::pair<QString, QVariantList>> &steps,
             QSqlError *error)
{
    for (const auto &[sql, values] : steps) {
        QSqlQuery step(db);
        step.prepare(sql);
        for (const QVariant &value : values)
            step.addBindValue(value);
        if (!exec(step, error))
            return false;
    }
    return true;
}

} // namespace

HookStore::HookStore(Database *database, QObject *parent)
    : QObject(parent)
    , m_database(database)
{
    m_lastDataVersion = m_database->dataVersion();
    // On a server another client's commit is announced at once (NOTIFY):
    // look then, rather than at the caller's next poll. A burst of commits
    // (a dispatcher recording) is one look per ChangeDelayMs.
    m_changeTimer.setSingleShot(true);
    m_changeTimer.setInterval(ChangeDelayMs);
    connect(&m_changeTimer, &QTimer::timeout, this, &HookStore::checkExternalChanges);
    m_database->onExternalChange(this, [this] {
        if (!m_changeTimer.isActive())
            m_changeTimer.start();
    });
}

Result<QList<Webhook>> HookStore::hooks() const
{
    const QSqlDatabase db = m_database->connection();
    QSqlQuery query(db);
    query.setForwardOnly(true);
    if (!query.exec(QStringLiteral(
            "SELECT id, project_id, url, description, is_active, send_payload, "
            "send_for_all_actions, secret, signature, timeout_seconds, max_attempts, "
            "consecutive_failures, disabled_reason, created_at, updated_at, verify_tls, "
            "http_version, payload_filter, rate_limit, max_in_flight, retry_on, retry_schedule, "
            "paused_at, next_probe_at, pause_reason, last_error FROM "
            "webhooks WHERE deleted_at IS NULL "
            "ORDER BY id")))
        return StorageError::fromSql(query.lastError(), tr("Reading webhooks"));

    QList<Webhook> result;
    QHash<qint64, qsizetype> index;
    while (query.next()) {
        Webhook w;
        w.id = query.value(0).toLongLong();
        if (!query.value(1).isNull())
            w.projectId = query.value(1).toLongLong();
        w.url = query.value(2).toString();
        w.description = query.value(3).toString();
        w.isActive = query.value(4).toBool();
        w.sendPayload = query.value(5).toBool();
        w.sendForAllActions = query.value(6).toBool();
        w.secret = query.value(7).toString();
        w.signature =
            signatureSchemeFromKey(query.value(8).toString()).value_or(SignatureScheme::None);
        w.timeoutSeconds = query.value(9).toInt();
        w.maxAttempts = query.value(10).toInt();
        w.consecutiveFailures = query.value(11).toInt();
        w.disabledReason = query.value(12).toString();
        w.createdAt = fromStored(query.value(13).toString());
        w.updatedAt = fromStored(query.value(14).toString());
        w.verifyTls = query.value(15).toBool();
        w.httpVersion = httpVersionFromKey(query.value(16).toString()).value_or(HttpVersion::Auto);
        w.filter = query.value(17).toString();
        w.rateLimit = RateLimit::fromKey(query.value(18).toString()).value_or(RateLimit());
        w.maxInFlight = query.value(19).toInt();
        w.retryOn = query.value(20).toString();
        w.retrySchedule = RetryPolicy::parseSchedule(query.value(21).toString());
        if (!query.value(22).isNull())
            w.pausedAt = QDateTime::fromMSecsSinceEpoch(query.value(22).toLongLong(), Qt::UTC);
        if (!query.value(23).isNull())
            w.nextProbeAt = QDateTime::fromMSecsSinceEpoch(query.value(23).toLongLong(), Qt::UTC);
        w.pauseReason = query.value(24).toString();
        w.lastError = query.value(25).toString();
        index.insert(w.id, result.size());
        result.append(std::move(w));
    }

    QSqlQuery headers(db);
    headers.setForwardOnly(true);
    if (!headers.exec(QStringLiteral("SELECT webhook_id, name, value, is_secret FROM "
                                     "webhook_headers ORDER BY webhook_id, position")))
        return StorageError::fromSql(headers.lastError(), tr("Reading webhook headers"));
    while (headers.next()) {
        const auto it = index.constFind(headers.value(0).toLongLong());
        if (it != index.constEnd())
            result[*it].headers.append({headers.value(1).toString(), headers.value(2).toString(),
                                        headers.value(3).toBool()});
    }

    QSqlQuery actions(db);
    actions.setForwardOnly(true);
    if (!actions.exec(QStringLiteral("SELECT webhook_id, action FROM webhook_actions")))
        return StorageError::fromSql(actions.lastError(), tr("Reading webhook events"));
    while (actions.next()) {
        const auto it = index.constFind(actions.value(0).toLongLong());
        if (it != index.constEnd())
            result[*it].actions.append(actions.value(1).toString());
    }
    const EventCatalog eventCatalog = catalog();
    for (Webhook &w : result)
        w.actions = eventCatalog.sorted(w.actions);
    return result;
}

Result<QList<QPair<qint64, QString>>> HookStore::hookUrls() const
{
    QSqlQuery query(m_database->connection());
    query.setForwardOnly(true);
    if (!query.exec(QStringLiteral("SELECT id, url FROM webhooks WHERE deleted_at IS NULL "
                                   "ORDER BY id")))
        return StorageError::fromSql(query.lastError(), tr("Reading webhooks"));
    QList<QPair<qint64, QString>> result;
    while (query.next())
        result.append({query.value(0).toLongLong(), query.value(1).toString()});
    return result;
}

Result<QList<QPair<qint64, QString>>> HookStore::hookUrls(const QList<qint64> &ids) const
{
    QList<QPair<qint64, QString>> result;
    // In slices: a statement takes a limited number of values.
    constexpr qsizetype Slice = 500;
    for (qsizetype from = 0; from < ids.size(); from += Slice) {
        const QList<qint64> slice = ids.mid(from, Slice);
        QStringList marks;
        marks.fill(QStringLiteral("?"), slice.size());
        QSqlQuery query(m_database->connection());
        query.setForwardOnly(true);
        query.prepare(QStringLiteral("SELECT id, url FROM webhooks WHERE deleted_at IS NULL AND "
                                     "id IN (%1) ORDER BY id")
                          .arg(marks.join(QLatin1Char(','))));
        for (const qint64 id : slice)
            query.addBindValue(id);
        if (!query.exec())
            return StorageError::fromSql(query.lastError(), tr("Reading webhooks"));
        while (query.next())
            result.append({query.value(0).toLongLong(), query.value(1).toString()});
    }
    return result;
}

Result<QList<HookStore::HookLabel>> HookStore::hookLabels() const
{
    QSqlQuery query(m_database->connection());
    query.setForwardOnly(true);
    if (!query.exec(QStringLiteral("SELECT id, url, description FROM webhooks "
                                   "WHERE deleted_at IS NULL ORDER BY id")))
        return StorageError::fromSql(query.lastError(), tr("Reading webhooks"));
    QList<HookLabel> result;
    while (query.next())
        result.append(
            {query.value(0).toLongLong(), query.value(1).toString(), query.value(2).toString()});
    return result;
}

Result<Webhook> HookStore::hook(qint64 id) const
{
    Result<QList<Webhook>> all = hooks();
    if (!all)
        return all.error();
    for (const Webhook &w : all.value()) {
        if (w.id == id)
            return w;
    }
    return StorageError{StorageError::Kind::NotFound,
                        tr("There is no webhook with id %1.").arg(id)};
}

bool HookStore::projectExists(qint64 id) const
{
    QSqlQuery query(m_database->connection());
    query.prepare(QStringLiteral("SELECT 1 FROM projects WHERE id = ?"));
    query.addBindValue(id);
    return query.exec() && query.next();
}

std::optional<StorageError> HookStore::validateForSave(const Webhook &webhook,
                                                       const EventCatalog &catalog) const
{
    const bool hasProject = !webhook.projectId || projectExists(*webhook.projectId);
    const QList<FieldError> errors = WebhookValidator::validate(webhook, catalog, hasProject);
    if (errors.isEmpty())
        return std::nullopt;
    return StorageError{StorageError::Kind::Invalid, WebhookValidator::describe(errors)};
}

Result<Webhook> HookStore::writeHook(const Webhook &input, const EventCatalog &catalog)
{
    const QSqlDatabase db = m_database->connection();
    const QString context = tr("Saving the webhook for %1").arg(input.url);
    QSqlError error;
    Webhook w = input;
    w.url = w.url.trimmed();
    w.actions = catalog.sorted(w.actions);
    w.actions.removeDuplicates();
    const QDateTime now = QDateTime::currentDateTimeUtc();
    w.updatedAt = now;

    QSqlQuery query(db);
    if (w.id == 0) {
        if (!w.createdAt.isValid())
            w.createdAt = now;
        if (!input.updatedAt.isNull())
            w.updatedAt = input.updatedAt;
        query.prepare(QStringLiteral(
            "INSERT INTO webhooks (project_id, url, description, is_active, send_payload, "
            "send_for_all_actions, secret, signature, timeout_seconds, max_attempts, verify_tls, "
            "http_version, payload_filter, rate_limit, max_in_flight, retry_on, retry_schedule, "
            "consecutive_failures, disabled_reason, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, '', ?, ?) RETURNING "
            "id"));
    } else {
        // Editing where the hook sends starts its failure count afresh.
        QSqlQuery old(db);
        old.prepare(QStringLiteral("SELECT url, consecutive_failures, disabled_reason FROM "
                                   "webhooks WHERE id = ? AND deleted_at IS NULL"));
        old.addBindValue(w.id);
        if (!exec(old, &error))
            return StorageError::fromSql(error, context);
        if (!old.next())
            return StorageError{StorageError::Kind::NotFound,
                                tr("There is no webhook with id %1.").arg(w.id)};
        Result<Webhook> stored = hook(w.id);
        const bool targetChanged =
            old.value(0).toString() != w.url || (stored && stored->headers != w.headers);
        w.consecutiveFailures = targetChanged ? 0 : old.value(1).toInt();
        w.disabledReason = (targetChanged || w.isActive) ? QString() : old.value(2).toString();
        // A new target gets a fresh start from the circuit breaker too.
        if (targetChanged) {
            w.pausedAt = QDateTime();
            w.nextProbeAt = QDateTime();
            w.pauseReason.clear();
        } else if (stored) {
            w.pausedAt = stored->pausedAt;
            w.nextProbeAt = stored->nextProbeAt;
            w.pauseReason = stored->pauseReason;
            w.lastError = stored->lastError;
        }
        query.prepare(QStringLiteral(
            "UPDATE webhooks SET project_id = ?, url = ?, description = ?, is_active = ?, "
            "send_payload = ?, send_for_all_actions = ?, secret = ?, signature = ?, "
            "timeout_seconds = ?, max_attempts = ?, verify_tls = ?, http_version = ?, "
            "payload_filter = ?, rate_limit = ?, max_in_flight = ?, retry_on = ?, "
            "retry_schedule = ?, consecutive_failures = ?, "
            "paused_at = CASE WHEN ? = 1 THEN NULL ELSE paused_at END, "
            "next_probe_at = CASE WHEN ? = 1 THEN NULL ELSE next_probe_at END, "
            "pause_reason = CASE WHEN ? = 1 THEN '' ELSE pause_reason END, "
            "disabled_reason = ?, updated_at = ? WHERE id = ?"));
    }
    query.addBindValue(w.projectId ? QVariant(*w.projectId)
                                   : QVariant(QMetaType::fromType<qint64>()));
    query.addBindValue(sqlText(w.url));
    query.addBindValue(sqlText(w.description));
    query.addBindValue(w.isActive ? 1 : 0);
    query.addBindValue(w.sendPayload ? 1 : 0);
    query.addBindValue(w.sendForAllActions ? 1 : 0);
    query.addBindValue(sqlText(w.secret));
    query.addBindValue(sqlText(signatureSchemeKey(w.signature)));
    query.addBindValue(w.timeoutSeconds);
    query.addBindValue(w.maxAttempts);
    query.addBindValue(w.verifyTls ? 1 : 0);
    query.addBindValue(httpVersionKey(w.httpVersion));
    w.filter = w.filter.trimmed();
    QString retryOnError;
    const std::optional<RetryOn> retryOn = RetryOn::parse(w.retryOn, &retryOnError);
    // The default list is stored as empty, so a later default applies to it.
    w.retryOn = !retryOn || retryOn->key() == RetryOn::defaultKey() ? QString() : retryOn->key();
    query.addBindValue(sqlText(w.filter));
    query.addBindValue(sqlText(w.rateLimit.key()));
    query.addBindValue(w.maxInFlight);
    query.addBindValue(sqlText(w.retryOn));
    query.addBindValue(sqlText(RetryPolicy::formatSchedule(w.retrySchedule)));
    if (w.id == 0) {
        query.addBindValue(toStored(w.createdAt));
        query.addBindValue(toStored(w.updatedAt));
    } else {
        query.addBindValue(w.consecutiveFailures);
        const bool resume = !w.pausedAt.isValid();
        query.addBindValue(resume ? 1 : 0);
        query.addBindValue(resume ? 1 : 0);
        query.addBindValue(resume ? 1 : 0);
        query.addBindValue(sqlText(w.disabledReason));
        query.addBindValue(toStored(w.updatedAt));
        query.addBindValue(w.id);
    }
    if (!exec(query, &error))
        return StorageError::fromSql(error, context);
    if (w.id == 0)
        w.id = SqlDialect::returnedId(query);

    QSqlQuery clear(db);
    for (const char *sql : {"DELETE FROM webhook_headers WHERE webhook_id = ?",
                            "DELETE FROM webhook_actions WHERE webhook_id = ?"}) {
        clear.prepare(QLatin1String(sql));
        clear.addBindValue(w.id);
        if (!exec(clear, &error))
            return StorageError::fromSql(error, context);
    }
    QSqlQuery header(db);
    header.prepare(QStringLiteral("INSERT INTO webhook_headers (webhook_id, position, name, "
                                  "value, is_secret) VALUES (?, ?, ?, ?, ?)"));
    for (int i = 0; i < w.headers.size(); ++i) {
        header.addBindValue(w.id);
        header.addBindValue(i);
        header.addBindValue(sqlText(w.headers.at(i).name));
        header.addBindValue(sqlText(w.headers.at(i).value));
        header.addBindValue(w.headers.at(i).secret ? 1 : 0);
        if (!exec(header, &error))
            return StorageError::fromSql(error, context);
    }
    QSqlQuery action(db);
    action.prepare(
        QStringLiteral("INSERT INTO webhook_actions (webhook_id, action) VALUES (?, ?)"));
    for (const QString &key : std::as_const(w.actions)) {
        action.addBindValue(w.id);
        action.addBindValue(key);
        if (!exec(action, &error))
            return StorageError::fromSql(error, context);
    }
    return w;
}

Result<Webhook> HookStore::saveHook(const Webhook &webhook)
{
    const EventCatalog eventCatalog = catalog();
    if (auto invalid = validateForSave(webhook, eventCatalog))
        return *invalid;
    Transaction transaction(m_database->connection());
    if (!transaction.isOpen())
        return StorageError::fromSql(transaction.error(), tr("Saving the webhook"));
    Result<Webhook> saved = writeHook(webhook, eventCatalog);
    if (!saved)
        return saved;
    if (!transaction.commit())
        return StorageError::fromSql(transaction.error(), tr("Saving the webhook"));
    m_lastDataVersion = m_database->dataVersion();
    emit hooksChanged();
    return saved;
}

Result<QList<Webhook>> HookStore::importHooks(const QList<Webhook> &hooks)
{
    const EventCatalog eventCatalog = catalog();
    for (int i = 0; i < hooks.size(); ++i) {
        if (auto invalid = validateForSave(hooks.at(i), eventCatalog))
            return StorageError{
                StorageError::Kind::Invalid,
                tr("Entry %1 (%2): %3").arg(i + 1).arg(hooks.at(i).url, invalid->message)};
    }
    Transaction transaction(m_database->connection());
    if (!transaction.isOpen())
        return StorageError::fromSql(transaction.error(), tr("Importing webhooks"));
    QList<Webhook> saved;
    for (const Webhook &w : hooks) {
        Webhook fresh = w;
        fresh.id = 0; // an import always adds; ids are the file's own
        Result<Webhook> one = writeHook(fresh, eventCatalog);
        if (!one)
            return one.error();
        saved.append(one.value());
    }
    if (!transaction.commit())
        return StorageError::fromSql(transaction.error(), tr("Importing webhooks"));
    m_lastDataVersion = m_database->dataVersion();
    emit hooksChanged();
    return saved;
}

Status HookStore::removeHook(qint64 id, History history)
{
    const QSqlDatabase db = m_database->connection();
    const QString context = tr("Deleting webhook %1").arg(id);
    Transaction transaction(db);
    if (!transaction.isOpen())
        return StorageError::fromSql(transaction.error(), context);
    QSqlError error;
    QSqlQuery query(db);
    query.prepare(QStringLiteral("SELECT 1 FROM webhooks WHERE id = ? AND deleted_at IS NULL"));
    query.addBindValue(id);
    if (!exec(query, &error))
        return StorageError::fromSql(error, context);
    if (!query.next())
        return StorageError{StorageError::Kind::NotFound,
                            tr("There is no webhook with id %1.").arg(id)};
    query.finish();

    if (history == History::Keep) {
        // Nothing more is sent: attempts not yet made end as cancelled, so
        // the log still says what became of each delivery.
        const QDateTime now = QDateTime::currentDateTimeUtc();
        const QList<std::pair<QString, QVariantList>> steps{
            {QStringLiteral("UPDATE attempts SET outcome = 'failed', error_kind = 'cancelled', "
                            "error = ?, finished_at = ?, lease_owner = '', lease_until = 0 "
                            "WHERE webhook_id = ? AND outcome = 'pending'"),
             {tr("Not sent: the webhook was deleted."), now.toMSecsSinceEpoch(), id}},
            {QStringLiteral("UPDATE deliveries SET status = 'failed' WHERE webhook_id = ? AND "
                            "status = 'pending'"),
             {id}},
            {QStringLiteral("UPDATE webhooks SET deleted_at = ?, is_active = 0, updated_at = ? "
                            "WHERE id = ?"),
             {toStored(now), toStored(now), id}},
            // With no history to keep, the row goes now.
            {QStringLiteral("DELETE FROM webhooks WHERE id = ? AND NOT EXISTS (SELECT 1 FROM "
                            "deliveries d WHERE d.webhook_id = webhooks.id)"),
             {id}},
        };
        if (!execAll(db, steps, &error))
            return StorageError::fromSql(error, context);
    } else {
        // Deliveries and their attempts go with the hook (ON DELETE CASCADE).
        QSqlQuery remove(db);
        remove.prepare(QStringLiteral("DELETE FROM webhooks WHERE id = ?"));
        remove.addBindValue(id);
        if (!exec(remove, &error))
            return StorageError::fromSql(error, context);
    }
    if (!transaction.commit())
        return StorageError::fromSql(transaction.error(), context);
    m_lastDataVersion = m_database->dataVersion();
    emit hooksChanged();
    return Done{};
}

Status HookStore::resumeHook(qint64 id)
{
    DeliveryStore deliveries(m_database);
    if (Status resumed = deliveries.resumeHook(id, QDateTime::currentDateTimeUtc()); !resumed)
        return resumed;
    m_lastDataVersion = m_database->dataVersion();
    emit hooksChanged();
    return Done{};
}

QString HookStore::databasePath() const
{
    return m_database->path();
}

Status HookStore::setHookActive(qint64 id, bool active)
{
    QSqlQuery query(m_database->connection());
    query.prepare(
        QStringLiteral("UPDATE webhooks SET is_active = ?, updated_at = ?, "
                       "disabled_reason = CASE WHEN ? = 1 THEN '' ELSE disabled_reason END, "
                       "consecutive_failures = CASE WHEN ? = 1 THEN 0 ELSE "
                       "consecutive_failures END WHERE id = ? AND deleted_at IS NULL"));
    query.addBindValue(active ? 1 : 0);
    query.addBindValue(toStored(QDateTime::currentDateTimeUtc()));
    query.addBindValue(active ? 1 : 0);
    query.addBindValue(active ? 1 : 0);
    query.addBindValue(id);
    if (!query.exec())
        return StorageError::fromSql(query.lastError(), tr("Changing webhook %1").arg(id));
    if (query.numRowsAffected() == 0)
        return StorageError{StorageError::Kind::NotFound,
                            tr("There is no webhook with id %1.").arg(id)};
    m_lastDataVersion = m_database->dataVersion();
    emit hooksChanged();
    return Done{};
}

Status HookStore::removeHooks(const QList<qint64> &ids, History history)
{
    // Each removal is a savepoint inside this transaction: all go, or none.
    Transaction transaction(m_database->connection());
    if (!transaction.isOpen())
        return StorageError::fromSql(transaction.error(), tr("Deleting webhooks"));
    {
        const QSignalBlocker quiet(this); // one hooksChanged at the end
        for (const qint64 id : ids) {
            if (Status removed = removeHook(id, history); !removed)
                return removed;
        }
    }
    if (!transaction.commit())
        return StorageError::fromSql(transaction.error(), tr("Deleting webhooks"));
    m_lastDataVersion = m_database->dataVersion();
    emit hooksChanged();
    return Done{};
}

Status HookStore::setHooksActive(const QList<qint64> &ids, bool active)
{
    Transaction transaction(m_database->connection());
    if (!transaction.isOpen())
        return StorageError::fromSql(transaction.error(), tr("Changing webhooks"));
    {
        const QSignalBlocker quiet(this);
        for (const qint64 id : ids) {
            if (Status changed = setHookActive(id, active); !changed)
                return changed;
        }
    }
    if (!transaction.commit())
        return StorageError::fromSql(transaction.error(), tr("Changing webhooks"));
    m_lastDataVersion = m_database->dataVersion();
    emit hooksChanged();
    return Done{};
}

Result<QList<Project>> HookStore::projects() const
{
    QSqlQuery query(m_database->connection());
    query.setForwardOnly(true);
    if (!query.exec(QStringLiteral("SELECT id, title, created_at FROM projects ORDER BY id")))
        return StorageError::fromSql(query.lastError(), tr("Reading projects"));
    QList<Project> result;
    while (query.next())
        result.append({query.value(0).toLongLong(), query.value(1).toString(),
                       fromStored(query.value(2).toString())});
    return result;
}

Result<Project> HookStore::addProject(const QString &title)
{
    const QString trimmed = title.trimmed();
    if (const QString e = checkProjectTitle(trimmed); !e.isEmpty())
        return StorageError{StorageError::Kind::Invalid, e};
    Project project{0, trimmed, QDateTime::currentDateTimeUtc()};
    QSqlQuery query(m_database->connection());
    query.prepare(
        QStringLiteral("INSERT INTO projects (title, created_at) VALUES (?, ?) RETURNING id"));
    query.addBindValue(sqlText(project.title));
    query.addBindValue(toStored(project.createdAt));
    if (!query.exec())
        return StorageError::fromSql(query.lastError(), tr("Adding project %1").arg(trimmed));
    project.id = SqlDialect::returnedId(query);
    m_lastDataVersion = m_database->dataVersion();
    emit projectsChanged();
    return project;
}

Result<QList<EventType>> HookStore::customEventTypes() const
{
    QSqlQuery query(m_database->connection());
    query.setForwardOnly(true);
    // In the order they were added: SQLite's rowid; a server has no such
    // column, and the time they were added (to the millisecond) comes close.
    if (!query.exec(QStringLiteral("SELECT key, name, description, payload_key, is_list FROM "
                                   "event_types ORDER BY %1")
                        .arg(SqlDialect::isPostgres(m_database->connection())
                                 ? QStringLiteral("created_at, key")
                                 : QStringLiteral("rowid"))))
        return StorageError::fromSql(query.lastError(), tr("Reading event types"));
    QList<EventType> result;
    while (query.next()) {
        EventType type;
        type.key = query.value(0).toString();
        type.name = query.value(1).toString();
        type.description = query.value(2).toString();
        type.payloadKey = query.value(3).toString();
        type.isList = query.value(4).toBool();
        type.group = EventCatalog::CustomGroup;
        type.builtIn = false;
        result.append(type);
    }
    return result;
}

EventCatalog HookStore::catalog() const
{
    Result<QList<EventType>> custom = customEventTypes();
    return custom ? EventCatalog(custom.value()) : EventCatalog();
}

QString HookStore::checkEventType(const EventType &type, const EventCatalog &catalog)
{
    static const QRegularExpression payloadKey(QStringLiteral("^[a-z][a-z0-9_]*$"));
    if (QString e = WebhookValidator::checkEventKey(type.key); !e.isEmpty())
        return e;
    if (type.key == EventCatalog::PingKey || catalog.contains(type.key))
        return tr("An event type %1 exists already.").arg(type.key);
    if (type.name.trimmed().isEmpty())
        return tr("An event type needs a display name.");
    if (type.name.size() > 100)
        return tr("An event name has at most 100 characters.");
    if (!payloadKey.match(type.payloadKey).hasMatch())
        return tr("The payload key must be lower_snake_case, for example model_version.");
    if (type.payloadKey == QLatin1String("action") || type.payloadKey == QLatin1String("project"))
        return tr("The payload key cannot be \"action\" or \"project\"; the body has those "
                  "already.");
    return {};
}

Result<EventType> HookStore::addEventType(const EventType &input)
{
    EventType type = input;
    type.name = type.name.trimmed();
    type.group = EventCatalog::CustomGroup;
    type.builtIn = false;
    type.organizationOnly = false;
    if (const QString e = checkEventType(type, catalog()); !e.isEmpty())
        return StorageError{StorageError::Kind::Invalid, e};
    QSqlQuery query(m_database->connection());
    query.prepare(QStringLiteral("INSERT INTO event_types (key, name, description, payload_key, "
                                 "is_list, created_at) VALUES (?, ?, ?, ?, ?, ?)"));
    query.addBindValue(type.key);
    query.addBindValue(sqlText(type.name));
    query.addBindValue(sqlText(type.description));
    query.addBindValue(sqlText(type.payloadKey));
    query.addBindValue(type.isList ? 1 : 0);
    query.addBindValue(toStored(QDateTime::currentDateTimeUtc()));
    if (!query.exec())
        return StorageError::fromSql(query.lastError(), tr("Adding event type %1").arg(type.key));
    m_lastDataVersion = m_database->dataVersion();
    emit eventTypesChanged();
    return type;
}

void HookStore::checkExternalChanges()
{
    compareWithStored(false);
}

void HookStore::lookAgain()
{
    compareWithStored(true);
}

void HookStore::compareWithStored(bool force)
{
    const qint64 version = m_database->dataVersion();
    const bool first = m_hooksPrint.isEmpty();
    if ((version == m_lastDataVersion && !first && !force) || version < 0)
        return;
    // A server away: nothing to compare with, and no statement on the lost
    // connection. The window looks again once it is back (lookAgain).
    if (m_database->isServer() && !m_database->isOpen())
        return;
    const bool changed = force || version != m_lastDataVersion;
    m_lastDataVersion = version;
    // data_version does not say what changed. Reloading the hooks on every
    // commit of the engine froze the window with 10,000 hooks, so compare a
    // summary of each table (a few milliseconds at that size). Every save of
    // a hook sets its updated_at; the engine changes failure counts and
    // switches hooks off.
    QSqlQuery query(m_database->connection());
    query.setForwardOnly(true);
    if (!query.exec(QStringLiteral(
            "SELECT (SELECT COUNT(*) || ':' || COALESCE(MAX(id), 0) || ':' || "
            "COALESCE(MAX(updated_at), '') || ':' || COALESCE(SUM(consecutive_failures), 0) || "
            "':' || COALESCE(SUM(is_active), 0) || ':' || COALESCE(SUM(paused_at), 0) || ':' || "
            "COALESCE(SUM(next_probe_at), 0) FROM webhooks), "
            "(SELECT COUNT(*) || ':' || COALESCE(MAX(id), 0) || ':' || "
            "COALESCE(SUM(LENGTH(title)), 0) || ':' || COALESCE(MAX(updated_at), 0) FROM "
            "projects), "
            "(SELECT COUNT(*) || ':' || COALESCE(MAX(created_at), '') || ':' || "
            "COALESCE(MAX(updated_at), 0) FROM event_types)")) ||
        !query.next()) {
        // The server is away: every reader would fail the same way. The
        // window says so once, and looks again when it is back (lookAgain).
        if (m_database->isServer() && SqlDialect::inOutage())
            return;
        // Cannot tell: assume everything changed, as before.
        emit eventTypesChanged();
        emit projectsChanged();
        emit hooksChanged();
        return;
    }
    const QString hooks = query.value(0).toString();
    const QString projects = query.value(1).toString();
    const QString eventTypes = query.value(2).toString();
    if (first) {
        // Nothing seen before to compare with.
        m_hooksPrint = hooks;
        m_projectsPrint = projects;
        m_eventTypesPrint = eventTypes;
        if (changed) {
            emit eventTypesChanged();
            emit projectsChanged();
            emit hooksChanged();
        }
        return;
    }
    bool any = false;
    if (eventTypes != std::exchange(m_eventTypesPrint, eventTypes)) {
        any = true;
        emit eventTypesChanged();
    }
    if (projects != std::exchange(m_projectsPrint, projects)) {
        any = true;
        emit projectsChanged();
    }
    if (hooks != std::exchange(m_hooksPrint, hooks)) {
        any = true;
        emit hooksChanged();
    }
    if (!any)
        emit otherDataChanged();
}

QString HookStore::checkProjectTitle(const QString &title)
{
    const QString trimmed = title.trimmed();
    if (trimmed.isEmpty())
        return tr("A project needs a title.");
    if (trimmed.size() > 200)
        return tr("A project title has at most 200 characters.");
    return {};
}

Result<Project> HookStore::renameProject(qint64 id, const QString &title)
{
    const QString trimmed = title.trimmed();
    if (const QString e = checkProjectTitle(trimmed); !e.isEmpty())
        return StorageError{StorageError::Kind::Invalid, e};
    QSqlQuery query(m_database->connection());
    query.prepare(QStringLiteral("UPDATE projects SET title = ?, updated_at = ? WHERE id = ? "
                                 "RETURNING id, title, created_at"));
    query.addBindValue(sqlText(trimmed));
    query.addBindValue(QDateTime::currentMSecsSinceEpoch());
    query.addBindValue(id);
    if (!query.exec())
        return StorageError::fromSql(query.lastError(), tr("Renaming project %1").arg(id));
    if (!query.next())
        return StorageError{StorageError::Kind::NotFound,
                            tr("There is no project with id %1.").arg(id)};
    const Project project{query.value(0).toLongLong(), query.value(1).toString(),
                          fromStored(query.value(2).toString())};
    query.finish();
    m_lastDataVersion = m_database->dataVersion();
    emit projectsChanged();
    emit hooksChanged(); // the list shows each hook's project title
    return project;
}

Result<int> HookStore::projectHookCount(qint64 id) const
{
    QSqlQuery query(m_database->connection());
    query.prepare(QStringLiteral(
        "SELECT COUNT(*) FROM webhooks WHERE project_id = ? AND deleted_at IS NULL"));
    query.addBindValue(id);
    if (!query.exec() || !query.next())
        return StorageError::fromSql(query.lastError(), tr("Reading project %1").arg(id));
    return query.value(0).toInt();
}

Status HookStore::removeProject(qint64 id, ProjectHooks hooks)
{
    const QSqlDatabase db = m_database->connection();
    const QString context = tr("Deleting project %1").arg(id);
    Transaction transaction(db);
    if (!transaction.isOpen())
        return StorageError::fromSql(transaction.error(), context);
    QSqlError error;
    QSqlQuery query(db);
    query.prepare(QStringLiteral("SELECT title FROM projects WHERE id = ?"));
    query.addBindValue(id);
    if (!exec(query, &error))
        return StorageError::fromSql(error, context);
    if (!query.next())
        return StorageError{StorageError::Kind::NotFound,
                            tr("There is no project with id %1.").arg(id)};
    const QString title = query.value(0).toString();
    query.finish();

    QList<qint64> scoped;
    query.prepare(QStringLiteral(
        "SELECT id FROM webhooks WHERE project_id = ? AND deleted_at IS NULL ORDER BY id"));
    query.addBindValue(id);
    if (!exec(query, &error))
        return StorageError::fromSql(error, context);
    while (query.next())
        scoped.append(query.value(0).toLongLong());
    query.finish();
    if (!scoped.isEmpty() && hooks == ProjectHooks::Refuse)
        return StorageError{StorageError::Kind::Invalid,
                            tr("The project %1 still has webhooks (%2); delete them with it or "
                               "give them another scope first.")
                                .arg(title)
                                .arg(scoped.size())};
    {
        const QSignalBlocker quiet(this); // one signal of each kind at the end
        for (const qint64 hook : std::as_const(scoped)) {
            if (Status removed = removeHook(hook, History::Keep); !removed)
                return removed;
        }
    }
    // What is left scoped to it are deleted hooks kept for their history:
    // the project's foreign key would take them (and that history) along.
    const QList<std::pair<QString, QVariantList>> steps{
        {QStringLiteral("UPDATE webhooks SET project_id = NULL WHERE project_id = ?"), {id}},
        {QStringLiteral("DELETE FROM projects WHERE id = ?"), {id}},
    };
    if (!execAll(db, steps, &error))
        return StorageError::fromSql(error, context);
    if (!transaction.commit())
        return StorageError::fromSql(transaction.error(), context);
    m_lastDataVersion = m_database->dataVersion();
    emit projectsChanged();
    emit hooksChanged();
    return Done{};
}

QString HookStore::checkEventTypeEdit(const EventType &type, const EventCatalog &catalog)
{
    const std::optional<EventType> stored = catalog.find(type.key);
    if (!stored)
        return tr("There is no event type %1.").arg(type.key);
    if (stored->builtIn)
        return tr("%1 is a built-in event type; it cannot be changed.").arg(type.key);
    QList<EventType> others;
    for (const EventType &t : catalog.types()) {
        if (!t.builtIn && t.key != type.key)
            others.append(t);
    }
    return checkEventType(type, EventCatalog(others));
}

Result<EventType> HookStore::updateEventType(const EventType &input)
{
    EventType type = input;
    type.name = type.name.trimmed();
    type.group = EventCatalog::CustomGroup;
    type.builtIn = false;
    type.organizationOnly = false;
    Result<QList<EventType>> custom = customEventTypes();
    if (!custom)
        return custom.error();
    const EventCatalog current(custom.value());
    if (const QString e = checkEventTypeEdit(type, current); !e.isEmpty())
        return StorageError{current.contains(type.key) ? StorageError::Kind::Invalid
                                                       : StorageError::Kind::NotFound,
                            e};
    QSqlQuery query(m_database->connection());
    query.prepare(QStringLiteral("UPDATE event_types SET name = ?, description = ?, "
                                 "payload_key = ?, is_list = ?, updated_at = ? WHERE key = ?"));
    query.addBindValue(sqlText(type.name));
    query.addBindValue(sqlText(type.description));
    query.addBindValue(sqlText(type.payloadKey));
    query.addBindValue(type.isList ? 1 : 0);
    query.addBindValue(QDateTime::currentMSecsSinceEpoch());
    query.addBindValue(type.key);
    if (!query.exec())
        return StorageError::fromSql(query.lastError(), tr("Changing event type %1").arg(type.key));
    if (query.numRowsAffected() == 0)
        return StorageError{StorageError::Kind::NotFound,
                            tr("There is no event type %1.").arg(type.key)};
    m_lastDataVersion = m_database->dataVersion();
    emit eventTypesChanged();
    return type;
}

Result<int> HookStore::eventTypeHookCount(const QString &key) const
{
    QSqlQuery query(m_database->connection());
    query.prepare(QStringLiteral("SELECT COUNT(*) FROM webhook_actions a JOIN webhooks w ON "
                                 "w.id = a.webhook_id WHERE a.action = ? AND w.deleted_at IS "
                                 "NULL"));
    query.addBindValue(key);
    if (!query.exec() || !query.next())
        return StorageError::fromSql(query.lastError(), tr("Reading event type %1").arg(key));
    return query.value(0).toInt();
}

Status HookStore::removeEventType(const QString &key, Subscribers subscribers)
{
    if (EventCatalog().contains(key) || key == EventCatalog::PingKey)
        return StorageError{StorageError::Kind::Invalid,
                            tr("%1 is a built-in event type; it cannot be deleted.").arg(key)};
    const QSqlDatabase db = m_database->connection();
    const QString context = tr("Deleting event type %1").arg(key);
    Transaction transaction(db);
    if (!transaction.isOpen())
        return StorageError::fromSql(transaction.error(), context);
    QSqlError error;
    QSqlQuery query(db);
    query.prepare(QStringLiteral("SELECT 1 FROM event_types WHERE key = ?"));
    query.addBindValue(key);
    if (!exec(query, &error))
        return StorageError::fromSql(error, context);
    if (!query.next())
        return StorageError{StorageError::Kind::NotFound,
                            tr("There is no event type %1.").arg(key)};
    query.finish();
    const Result<int> users = eventTypeHookCount(key);
    if (!users)
        return users.error();
    if (users.value() > 0 && subscribers == Subscribers::Refuse)
        return StorageError{StorageError::Kind::Invalid,
                            tr("Webhooks subscribe to %1 (%2); unsubscribe them with it or "
                               "uncheck it in each first.")
                                .arg(key)
                                .arg(users.value())};
    // The hooks' event lists change: their updated_at says so to open windows.
    const QList<std::pair<QString, QVariantList>> steps{
        {QStringLiteral("UPDATE webhooks SET updated_at = ? WHERE id IN (SELECT webhook_id FROM "
                        "webhook_actions WHERE action = ?)"),
         {toStored(QDateTime::currentDateTimeUtc()), key}},
        {QStringLiteral("DELETE FROM webhook_actions WHERE action = ?"), {key}},
        {QStringLiteral("DELETE FROM event_types WHERE key = ?"), {key}},
    };
    if (!execAll(db, steps, &error))
        return StorageError::fromSql(error, context);
    if (!transaction.commit())
        return StorageError::fromSql(transaction.error(), context);
    m_lastDataVersion = m_database->dataVersion();
    emit eventTypesChanged();
    emit hooksChanged();
    return Done{};
}

Result<QHash<qint64, int>> HookStore::hookCountsByProject() const
{
    QSqlQuery query(m_database->connection());
    query.setForwardOnly(true);
    if (!query.exec(QStringLiteral("SELECT project_id, COUNT(*) FROM webhooks WHERE project_id IS "
                                   "NOT NULL AND deleted_at IS NULL GROUP BY project_id")))
        return StorageError::fromSql(query.lastError(), tr("Reading projects"));
    QHash<qint64, int> counts;
    while (query.next())
        counts.insert(query.value(0).toLongLong(), query.value(1).toInt());
    return counts;
}

Result<QHash<QString, int>> HookStore::hookCountsByEventType() const
{
    QSqlQuery query(m_database->connection());
    query.setForwardOnly(true);
    if (!query.exec(QStringLiteral("SELECT a.action, COUNT(*) FROM webhook_actions a JOIN "
                                   "webhooks w ON w.id = a.webhook_id WHERE w.deleted_at IS NULL "
                                   "GROUP BY a.action")))
        return StorageError::fromSql(query.lastError(), tr("Reading event types"));
    QHash<QString, int> counts;
    while (query.next())
        counts.insert(query.value(0).toString(), query.value(1).toInt());
    return counts;
}
