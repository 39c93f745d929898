// libFuzzer target: a receiver's Retry-After header.
#include "delivery/retry_policy.h"

#include <QByteArray>
#include <QDateTime>
#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray value(reinterpret_cast<const char *>(data), qsizetype(size));
    static const QDateTime now = QDateTime::fromSecsSinceEpoch(1795000000, Qt::UTC);
    const std::optional<qint64> seconds = RetryPolicy::parseRetryAfter(value, now);
    // Whatever a receiver says, a delivery is parked for at most a day.
    if (seconds && (*seconds < 0 || *seconds > RetryPolicy::MaxRetryAfterSeconds))
        __builtin_trap();
    const RetryPolicy policy;
    const qint64 delay = policy.delayMs(2, seconds);
    if (delay < 0)
        __builtin_trap();
    return 0;
}
