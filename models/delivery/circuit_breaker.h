#pragma once

#include <QtGlobal>

// When a paused hook is probed: the first probe one interval after the
// pause, each failed probe doubling the wait up to the maximum. A value
// type passed to the dispatcher and the store, so tests can shorten it.
class CircuitBreaker final
{
public:
    static constexpr qint64 DefaultFirstProbeMs = 60 * 1000;
    static constexpr qint64 DefaultMaxProbeMs = 3600 * 1000;

    CircuitBreaker() = default;
    CircuitBreaker(qint64 firstProbeMs, qint64 maxProbeMs);
    // WEBHOOK_PROBE_INTERVAL="FIRST,MAX" (seconds) overrides the default, as
    // WEBHOOK_RETRY_SCHEDULE does the schedule: for tests of whole processes.
    static CircuitBreaker fromEnvironment();

    qint64 firstProbeMs() const { return m_firstProbeMs; }
    qint64 maxProbeMs() const { return m_maxProbeMs; }
    // The wait after a probe that failed, given the wait before it (0: the pause began).
    qint64 nextIntervalMs(qint64 previousMs) const;

private:
    qint64 m_firstProbeMs = DefaultFirstProbeMs;
    qint64 m_maxProbeMs = DefaultMaxProbeMs;
};
