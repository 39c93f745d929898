#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <optional>

// When to try a failed delivery again.
class RetryPolicy final
{
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
