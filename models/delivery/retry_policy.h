#pragma once

#include "domain/attempt.h"
#include "domain/retry_on.h"

#include <QByteArray>
#include <QCoreApplication>
#include <QDateTime>
#include <QList>
#include <optional>

// One finished attempt, as far as deciding what follows goes.
struct FinishedAttempt
{
    QString errorKind; // empty: it succeeded
    int statusCode = 0;
    std::optional<qint64> retryAfterSeconds;
    int number = 1;
    int maxAttempts = 1;
    AttemptTrigger trigger = AttemptTrigger::Scheduled;
    bool probe = false; // the hook was paused: this was its circuit breaker's probe
    QDateTime finishedAt;
};

// What follows from a finished attempt. Decided once, by RetryPolicy::decide;
// the store records it as it is.
struct RetryDecision
{
    std::optional<QDateTime> nextAttemptAt; // a retry is due then
    bool extendAttempts = false;            // a failed probe keeps the delivery's attempts
    QString notRetried;                     // why a failure ends the delivery at once
    QString deactivateReason;               // 410 Gone
};

// When to try a failed delivery again.
class RetryPolicy final
{
    Q_DECLARE_TR_FUNCTIONS(RetryPolicy)

public:
    // About 0 s, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h (Standard Webhooks' schedule).
    static QList<qint64> defaultScheduleSeconds();
    // WEBHOOK_RETRY_SCHEDULE="0,1,2" (seconds) overrides the default, so tests
    // and impatient users can shorten it. Malformed values are ignored.
    static RetryPolicy fromEnvironment();
    // The stored schedule (a setting of the file) unless WEBHOOK_RETRY_SCHEDULE
    // overrides it; an empty one means the default.
    static RetryPolicy fromSettings(const QList<qint64> &storedSeconds);
    // "0,5,300" -> {0, 5, 300}; empty when malformed, negative or over a week.
    static QList<qint64> parseSchedule(const QString &text);
    static QString formatSchedule(const QList<qint64> &seconds);

    RetryPolicy();
    explicit RetryPolicy(QList<qint64> scheduleSeconds, double jitter = 0.1);

    const QList<qint64> &scheduleSeconds() const { return m_schedule; }
    // The delays before attempts 2..maxAttempts, as the schedule gives them.
    QList<qint64> effectiveSchedule(int maxAttempts) const;

    // Whether and when a failed attempt is tried again, by this schedule and
    // the hook's list of failures to retry on. A success decides nothing.
    RetryDecision decide(const FinishedAttempt &attempt, const RetryOn &retryOn) const;

    // Delay before attempt `nextAttempt` (1-based; attempt 1 is the first
    // send), with ±jitter applied. retryAfterSeconds, when the receiver sent
    // one, wins if it is later than the schedule.
    qint64 delayMs(int nextAttempt, std::optional<qint64> retryAfterSeconds = std::nullopt) const;

    // Retry-After: delta-seconds or an HTTP-date. Empty when absent or
    // unparseable; capped at a day so a hostile receiver cannot park a delivery.
    static std::optional<qint64> parseRetryAfter(const QByteArray &value, const QDateTime &now);
    static constexpr qint64 MaxRetryAfterSeconds = 24 * 3600;

private:
    QList<qint64> m_schedule;
    double m_jitter;
};
