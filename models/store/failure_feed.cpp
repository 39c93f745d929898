#include "failure_feed.h"

#include "database.h"
#include "domain/secret_mask.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

FailureFeed::FailureFeed(Database *database)
    : m_database(database)
{
}

Result<QList<FailureAlert>> FailureFeed::poll()
{
    const QString context = tr("Looking for failed deliveries");
    const QSqlDatabase db = m_database->connection();
    if (!db.isOpen()) // a server away: the window says so once, elsewhere
        return StorageError::fromSql(QSqlError(), context);
    QList<FailureAlert> alerts;

    QSqlQuery hooks(db);
    hooks.setForwardOnly(true);
    if (!hooks.exec(QStringLiteral(
            "SELECT id, url, is_active, paused_at, pause_reason, disabled_reason, last_error "
            "FROM webhooks WHERE deleted_at IS NULL AND (paused_at IS NOT NULL OR "
            "(is_active = 0 AND disabled_reason != ''))")))
        return StorageError::fromSql(hooks.lastError(), context);
    QSet<qint64> paused;
    QSet<qint64> deactivated;
    while (hooks.next()) {
        FailureAlert alert;
        alert.hookId = hooks.value(0).toLongLong();
        alert.hookUrl = SecretMask::url(hooks.value(1).toString());
        if (!hooks.value(3).isNull()) {
            paused.insert(alert.hookId);
            alert.kind = FailureAlert::Kind::Paused;
            alert.reason = hooks.value(4).toString();
            if (m_primed && !m_paused.contains(alert.hookId))
                alerts.append(alert);
        } else if (hooks.value(2).toInt() == 0) {
            deactivated.insert(alert.hookId);
            alert.kind = FailureAlert::Kind::Deactivated;
            alert.reason = hooks.value(5).toString();
            if (m_primed && !m_deactivated.contains(alert.hookId))
                alerts.append(alert);
        }
    }
    hooks.finish();
    m_paused = paused;
    m_deactivated = deactivated;

    if (!m_primed) {
        QSqlQuery latest(db);
        latest.setForwardOnly(true);
        if (!latest.exec(QStringLiteral(
                "SELECT id, updated_at FROM deliveries WHERE status = 'failed' AND updated_at = "
                "(SELECT max(updated_at) FROM deliveries WHERE status = 'failed')")))
            return StorageError::fromSql(latest.lastError(), context);
        while (latest.next()) {
            m_failedSinceMs = latest.value(1).toLongLong();
            m_failedAtWatermark.insert(latest.value(0).toLongLong());
        }
        m_primed = true;
        return alerts; // empty
    }

    // Deliveries that failed for good since the last look, on the
    // (status, updated_at) index; those updated in the same millisecond as
    // the last one seen are told apart by id.
    QSqlQuery failed(db);
    failed.setForwardOnly(true);
    failed.prepare(QStringLiteral(
        "SELECT d.id, d.webhook_id, d.action, d.updated_at, w.url, "
        "(SELECT max(a.id) FROM attempts a WHERE a.delivery_id = d.id), "
        "(SELECT a.error FROM attempts a WHERE a.delivery_id = d.id ORDER BY a.id DESC LIMIT 1), "
        "(SELECT count(*) FROM attempts a WHERE a.delivery_id = d.id AND a.trigger = 'test') "
        "FROM deliveries d JOIN webhooks w ON w.id = d.webhook_id "
        "WHERE d.status = 'failed' AND d.updated_at >= ? ORDER BY d.updated_at, d.id LIMIT ?"));
    failed.addBindValue(m_failedSinceMs);
    failed.addBindValue(MaxPerPoll);
    if (!failed.exec())
        return StorageError::fromSql(failed.lastError(), context);
    qint64 watermark = m_failedSinceMs;
    QSet<qint64> atWatermark = m_failedAtWatermark;
    while (failed.next()) {
        const qint64 id = failed.value(0).toLongLong();
        const qint64 updated = failed.value(3).toLongLong();
        if (updated == m_failedSinceMs && m_failedAtWatermark.contains(id))
            continue;
        if (updated > watermark) {
            watermark = updated;
            atWatermark.clear();
        }
        atWatermark.insert(id);
        if (failed.value(7).toLongLong() > 0)
            continue; // a test send: its sender is watching
        FailureAlert alert;
        alert.kind = FailureAlert::Kind::Exhausted;
        alert.deliveryId = id;
        alert.hookId = failed.value(1).toLongLong();
        alert.action = failed.value(2).toString();
        alert.hookUrl = SecretMask::url(failed.value(4).toString());
        alert.attemptId = failed.value(5).toLongLong();
        alert.reason = failed.value(6).toString();
        alerts.append(alert);
    }
    m_failedSinceMs = watermark;
    m_failedAtWatermark = atWatermark;
    return alerts;
}
