#include "retry_policy.h"

#include <QLocale>
#include <QRandomGenerator>
#include <QString>
#include <QStringList>
#include <algorithm>

QList<qint64> RetryPolicy::defaultScheduleSeconds()
{
    return {0, 5, 5 * 60, 30 * 60, 2 * 3600, 5 * 3600, 10 * 3600, 10 * 3600};
}

RetryPolicy::RetryPolicy()
    : RetryPolicy(defaultScheduleSeconds())
{
}

RetryPolicy::RetryPolicy(QList<qint64> scheduleSeconds, double jitter)
    : m_schedule(std::move(scheduleSeconds))
    , m_jitter(jitter)
{
    if (m_schedule.isEmpty())
        m_schedule = defaultScheduleSeconds();
}

QList<qint64> RetryPolicy::parseSchedule(const QString &text)
{
    QList<qint64> schedule;
    const QStringList parts = text.split(QLatin1Char(','), Qt::SkipEmptyParts);
    if (parts.size() > 20)
        return {};
    for (const QString &part : parts) {
        bool ok = false;
        const double seconds = part.trimmed().toDouble(&ok);
        if (!ok || seconds < 0 || seconds > 7 * 24 * 3600)
            return {};
        schedule.append(qint64(seconds));
    }
    return schedule;
}

QString RetryPolicy::formatSchedule(const QList<qint64> &seconds)
{
    QStringList parts;
    for (const qint64 s : seconds)
        parts.append(QString::number(s));
    return parts.join(QLatin1Char(','));
}

RetryPolicy RetryPolicy::fromEnvironment()
{
    return fromSettings({});
}

RetryPolicy RetryPolicy::fromSettings(const QList<qint64> &storedSeconds)
{
    const QString text = qEnvironmentVariable("WEBHOOK_RETRY_SCHEDULE").trimmed();
    const QList<qint64> fromEnvironment = parseSchedule(text);
    // A schedule someone wrote down is meant literally: no jitter.
    if (!fromEnvironment.isEmpty())
        return RetryPolicy(fromEnvironment, 0.0);
    if (!storedSeconds.isEmpty())
        return RetryPolicy(storedSeconds, 0.0);
    return RetryPolicy();
}

qint64 RetryPolicy::delayMs(int nextAttempt, std::optional<qint64> retryAfterSeconds) const
{
    const int index = std::clamp(nextAttempt - 1, 0, int(m_schedule.size()) - 1);
    double ms = double(m_schedule.at(index)) * 1000.0;
    if (m_jitter > 0 && ms > 0)
        ms *= 1.0 + m_jitter * (2.0 * QRandomGenerator::global()->generateDouble() - 1.0);
    if (retryAfterSeconds)
        ms = std::max(ms, double(*retryAfterSeconds) * 1000.0);
    return qint64(ms);
}

QList<qint64> RetryPolicy::effectiveSchedule(int maxAttempts) const
{
    QList<qint64> delays;
    for (int next = 2; next <= maxAttempts; ++next)
        delays.append(m_schedule.at(std::clamp(next - 1, 0, int(m_schedule.size()) - 1)));
    return delays;
}

RetryDecision RetryPolicy::decide(const FinishedAttempt &attempt, const RetryOn &retryOn) const
{
    RetryDecision decision;
    if (attempt.errorKind.isEmpty())
        return decision;
    if (attempt.errorKind == QLatin1String("http") && attempt.statusCode == 410) {
        decision.deactivateReason =
            tr("The receiver answered 410 Gone on %1; the webhook was deactivated.")
                .arg(attempt.finishedAt.toString(Qt::ISODate));
        return decision;
    }
    if (attempt.trigger == AttemptTrigger::Test)
        return decision; // a test send is never retried
    if (!retryOn.covers(attempt.errorKind, attempt.statusCode)) {
        decision.notRetried =
            tr("%1 is not retried (this hook retries on %2).")
                .arg(RetryOn::describe(attempt.errorKind, attempt.statusCode),
                     retryOn.key().replace(QLatin1Char(','), QStringLiteral(", ")));
        return decision;
    }
    if (attempt.probe) {
        // The probe failed: the delivery stays first in line for the next
        // probe, and probing does not use up its attempts.
        decision.nextAttemptAt = attempt.finishedAt;
        decision.extendAttempts = true;
        return decision;
    }
    if (attempt.number >= attempt.maxAttempts)
        return decision;
    decision.nextAttemptAt =
        attempt.finishedAt.addMSecs(delayMs(attempt.number + 1, attempt.retryAfterSeconds));
    return decision;
}

std::optional<qint64> RetryPolicy::parseRetryAfter(const QByteArray &value, const QDateTime &now)
{
    const QByteArray trimmed = value.trimmed();
    if (trimmed.isEmpty() || trimmed.size() > 64)
        return std::nullopt;
    bool isNumber =
        std::all_of(trimmed.begin(), trimmed.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (isNumber) {
        bool ok = false;
        const qint64 seconds = trimmed.toLongLong(&ok);
        if (!ok) // too many digits
            return MaxRetryAfterSeconds;
        return std::min(seconds, MaxRetryAfterSeconds);
    }
    // IMF-fixdate, e.g. "Wed, 21 Oct 2015 07:28:00 GMT".
    QDateTime when = QLocale::c().toDateTime(QString::fromLatin1(trimmed),
                                             QStringLiteral("ddd, dd MMM yyyy HH:mm:ss 'GMT'"));
    if (!when.isValid())
        return std::nullopt;
    when.setTimeSpec(Qt::UTC);
    const qint64 seconds = now.secsTo(when);
    return std::clamp<qint64>(seconds, 0, MaxRetryAfterSeconds);
}
