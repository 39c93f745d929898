#pragma once

#include "storage_error.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QStringList>
#include <optional>

class Database;

// A hook's delivery health over a time window: what was attempted (queued in
// the window and finished), how much of it succeeded, and how long it took.
struct HookStats
{
    qint64 deliveries = 0; // distinct deliveries with a finished attempt
    qint64 attempts = 0;   // finished attempts (succeeded or failed)
    qint64 succeeded = 0;
    std::optional<qint64> p50Ms; // duration percentiles; empty without attempts
    std::optional<qint64> p95Ms;

    // succeeded / attempts, 0..1; empty without attempts.
    std::optional<double> successRate() const
    {
        return attempts > 0 ? std::optional<double>(double(succeeded) / double(attempts))
                            : std::nullopt;
    }
};

class HookStatsStore final
{
    Q_DECLARE_TR_FUNCTIONS(HookStatsStore)
    Q_DISABLE_COPY_MOVE(HookStatsStore)

public:
    explicit HookStatsStore(Database *database);

    // The nearest-rank percentile: the smallest duration at least p % of the
    // attempts took no longer than.
    Result<HookStats> stats(qint64 hookId, const QDateTime &since) const;
    // One line per window, the last 24 hours and the last 7 days before now:
    // "Last 24 hours: 12 deliveries, 91.7 % succeeded, p50 40 ms, p95 210 ms".
    Result<QStringList> summary(qint64 hookId, const QDateTime &now) const;
    static QString summaryLine(const QString &window, const HookStats &stats);

private:
    Database *m_database;
};
