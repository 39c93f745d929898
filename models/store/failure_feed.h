#pragma once

#include "storage_error.h"

#include <QCoreApplication>
#include <QSet>
#include <QString>

class Database;

// Something an operator should hear about.
struct FailureAlert
{
    enum class Kind {
        Paused,      // the circuit breaker paused the hook
        Deactivated, // the engine switched the hook off (410 Gone, a long outage)
        Exhausted,   // a delivery used all its attempts without success
    };

    Kind kind = Kind::Exhausted;
    qint64 hookId = 0;
    qint64 deliveryId = 0; // Exhausted only
    qint64 attemptId = 0;  // its last attempt, for showing the log row
    QString action;
    QString hookUrl; // masked
    QString reason;  // why paused or deactivated, or the last error

    friend bool operator==(const FailureAlert &, const FailureAlert &) = default;
};

// What failed since the last look, read from the shared file, so failures
// of any process on it (the window's engine, serve, a CLI emit) are seen.
class FailureFeed final
{
    Q_DECLARE_TR_FUNCTIONS(FailureFeed)
    Q_DISABLE_COPY_MOVE(FailureFeed)

public:
    static constexpr int MaxPerPoll = 200;

    explicit FailureFeed(Database *database);

    // The alerts new since the last call. The first call only learns where
    // things stand and returns nothing: opening the window does not replay
    // yesterday's failures. Test sends are left out (their sender watches).
    Result<QList<FailureAlert>> poll();

private:
    Database *m_database;
    bool m_primed = false;
    QSet<qint64> m_paused;
    QSet<qint64> m_deactivated;
    qint64 m_failedSinceMs = 0;
    QSet<qint64> m_failedAtWatermark; // deliveries already reported at m_failedSinceMs
};
