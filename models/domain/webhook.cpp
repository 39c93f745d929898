#include "webhook.h"

#include <QtGlobal>
#include <atomic>

QString signatureSchemeKey(SignatureScheme scheme)
{
    switch (scheme) {
    case SignatureScheme::Standard:
        return QStringLiteral("standard");
    case SignatureScheme::GitHub:
        return QStringLiteral("github");
    case SignatureScheme::None:
        break;
    }
    return {};
}

std::optional<SignatureScheme> signatureSchemeFromKey(const QString &key)
{
    const QString k = key.trimmed().toLower();
    if (k.isEmpty() || k == QLatin1String("none"))
        return SignatureScheme::None;
    if (k == QLatin1String("standard"))
        return SignatureScheme::Standard;
    if (k == QLatin1String("github"))
        return SignatureScheme::GitHub;
    return std::nullopt;
}

QString httpVersionKey(HttpVersion version)
{
    switch (version) {
    case HttpVersion::Http1:
        return QStringLiteral("http1");
    case HttpVersion::Http2:
        return QStringLiteral("http2");
    case HttpVersion::Auto:
        break;
    }
    return QStringLiteral("auto");
}

std::optional<HttpVersion> httpVersionFromKey(const QString &key)
{
    const QString k = key.trimmed().toLower();
    if (k.isEmpty() || k == QLatin1String("auto"))
        return HttpVersion::Auto;
    if (k == QLatin1String("http1") || k == QLatin1String("1.1"))
        return HttpVersion::Http1;
    if (k == QLatin1String("http2") || k == QLatin1String("2"))
        return HttpVersion::Http2;
    return std::nullopt;
}

namespace {
std::atomic<int> timeoutOverride{0};
} // namespace

void Webhook::setDefaultTimeoutOverride(int seconds)
{
    timeoutOverride = seconds > 0 && seconds <= MaxTimeoutSeconds ? seconds : 0;
}

int Webhook::defaultTimeoutSeconds()
{
    if (const int preferred = timeoutOverride; preferred > 0)
        return preferred;
    bool ok = false;
    const int fromEnv = qEnvironmentVariableIntValue("WEBHOOK_TIMEOUT", &ok);
    if (ok && fromEnv > 0 && fromEnv <= MaxTimeoutSeconds)
        return fromEnv;
    return DefaultTimeoutSeconds;
}

QString RateLimit::key() const
{
    if (count <= 0)
        return {};
    return QString::number(count) +
           (periodSeconds == 60 ? QStringLiteral("/min") : QStringLiteral("/s"));
}

std::optional<RateLimit> RateLimit::fromKey(const QString &text)
{
    const QString t = text.trimmed().toLower();
    if (t.isEmpty() || t == QLatin1String("none") || t == QLatin1String("0"))
        return RateLimit();
    const qsizetype slash = t.indexOf(QLatin1Char('/'));
    if (slash <= 0)
        return std::nullopt;
    bool ok = false;
    const int count = t.left(slash).trimmed().toInt(&ok);
    if (!ok || count < 1 || count > MaxCount)
        return std::nullopt;
    const QString unit = t.mid(slash + 1).trimmed();
    RateLimit limit;
    limit.count = count;
    if (unit == QLatin1String("s") || unit == QLatin1String("sec") ||
        unit == QLatin1String("second"))
        limit.periodSeconds = 1;
    else if (unit == QLatin1String("min") || unit == QLatin1String("m") ||
             unit == QLatin1String("minute"))
        limit.periodSeconds = 60;
    else
        return std::nullopt;
    return limit;
}

QString hookStateKey(const Webhook &hook)
{
    if (!hook.isActive)
        return QStringLiteral("inactive");
    if (hook.isPaused())
        return QStringLiteral("paused");
    return QStringLiteral("active");
}
