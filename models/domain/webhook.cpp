#include "webhook.h"

#include <QtGlobal>

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

int Webhook::defaultTimeoutSeconds()
{
    bool ok = false;
    const int fromEnv = qEnvironmentVariableIntValue("WEBHOOK_TIMEOUT", &ok);
    if (ok && fromEnv > 0 && fromEnv <= MaxTimeoutSeconds)
        return fromEnv;
    return DefaultTimeoutSeconds;
}
