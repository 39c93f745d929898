#include "hook_stats_store.h"

#include "database.h"

#include <QLocale>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>
#include <cmath>

HookStatsStore::HookStatsStore(Database *database)
    : m_database(database)
{
}

Result<HookStats> HookStatsStore::stats(qint64 hookId, const QDateTime &since) const
{
    const QString context = tr("Reading the delivery statistics of webhook %1").arg(hookId);
    const QString finished = QStringLiteral(
        "FROM attempts WHERE webhook_id = ? AND created_at >= ? AND outcome IN ('succeeded', "
        "'failed') AND duration_ms IS NOT NULL");
    QSqlQuery query(m_database->connection());
    query.prepare(QStringLiteral("SELECT count(*), count(DISTINCT delivery_id), "
                                 "coalesce(sum(CASE WHEN outcome = 'succeeded' THEN 1 ELSE 0 "
                                 "END), 0) ") +
                  finished);
    query.addBindValue(hookId);
    query.addBindValue(since.toMSecsSinceEpoch());
    if (!query.exec() || !query.next())
        return StorageError::fromSql(query.lastError(), context);
    HookStats stats;
    stats.attempts = query.value(0).toLongLong();
    stats.deliveries = query.value(1).toLongLong();
    stats.succeeded = query.value(2).toLongLong();
    query.finish();
    if (stats.attempts == 0)
        return stats;

    QSqlQuery rank(m_database->connection());
    rank.prepare(QStringLiteral("SELECT duration_ms ") + finished +
                 QStringLiteral(" ORDER BY duration_ms LIMIT 1 OFFSET ?"));
    const auto percentile = [&](double p) -> std::optional<qint64> {
        const qint64 offset =
            std::max<qint64>(0, qint64(std::ceil(p * double(stats.attempts))) - 1);
        rank.addBindValue(hookId);
        rank.addBindValue(since.toMSecsSinceEpoch());
        rank.addBindValue(offset);
        if (!rank.exec() || !rank.next())
            return std::nullopt;
        const qint64 value = rank.value(0).toLongLong();
        rank.finish();
        return value;
    };
    stats.p50Ms = percentile(0.50);
    stats.p95Ms = percentile(0.95);
    if (!stats.p50Ms || !stats.p95Ms)
        return StorageError::fromSql(rank.lastError(), context);
    return stats;
}

QString HookStatsStore::summaryLine(const QString &window, const HookStats &stats)
{
    const auto rate = stats.successRate();
    if (!rate)
        //: %1 is "Last 24 hours" or "Last 7 days"
        return tr("%1: no finished attempts").arg(window);
    //: %1 the window, %2 deliveries, %3 percent succeeded, %4 and %5 milliseconds
    return tr("%1: %2 deliveries, %3 % succeeded, p50 %4 ms, p95 %5 ms")
        .arg(window, QString::number(stats.deliveries), QLocale().toString(*rate * 100.0, 'f', 1),
             QString::number(stats.p50Ms.value_or(0)), QString::number(stats.p95Ms.value_or(0)));
}

Result<QStringList> HookStatsStore::summary(qint64 hookId, const QDateTime &now) const
{
    QStringList lines;
    for (const auto &[window, seconds] : {std::pair{tr("Last 24 hours"), qint64(24 * 3600)},
                                          std::pair{tr("Last 7 days"), qint64(7 * 24 * 3600)}}) {
        const Result<HookStats> found = stats(hookId, now.addSecs(-seconds));
        if (!found)
            return found.error();
        lines.append(summaryLine(window, found.value()));
    }
    return lines;
}
