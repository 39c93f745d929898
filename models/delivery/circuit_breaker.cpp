#include "circuit_breaker.h"

#include <QString>
#include <QStringList>
#include <algorithm>

CircuitBreaker::CircuitBreaker(qint64 firstProbeMs, qint64 maxProbeMs)
    : m_firstProbeMs(std::max<qint64>(1, firstProbeMs))
    , m_maxProbeMs(std::max(m_firstProbeMs, maxProbeMs))
{
}

CircuitBreaker CircuitBreaker::fromEnvironment()
{
    const QStringList parts =
        qEnvironmentVariable("WEBHOOK_PROBE_INTERVAL").split(QLatin1Char(','), Qt::SkipEmptyParts);
    if (parts.size() != 2)
        return {};
    bool firstOk = false;
    bool maxOk = false;
    const double first = parts.at(0).trimmed().toDouble(&firstOk);
    const double max = parts.at(1).trimmed().toDouble(&maxOk);
    if (!firstOk || !maxOk || first <= 0 || max < first || max > 24 * 3600)
        return {};
    return CircuitBreaker(qint64(first * 1000), qint64(max * 1000));
}

qint64 CircuitBreaker::nextIntervalMs(qint64 previousMs) const
{
    if (previousMs <= 0)
        return m_firstProbeMs;
    return std::min(previousMs * 2, m_maxProbeMs);
}
