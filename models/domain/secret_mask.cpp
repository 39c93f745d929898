#include "secret_mask.h"

#include <QUrl>

QString SecretMask::url(const QString &text)
{
    // Most URLs have no user info; lists call this for every row they sort.
    const qsizetype authority = text.indexOf(QLatin1String("://"));
    const qsizetype at = text.indexOf(QLatin1Char('@'), authority < 0 ? 0 : authority);
    if (at < 0)
        return text;
    QUrl url(text);
    if (!url.isValid() || url.password().isEmpty())
        return text;
    url.setPassword(maskedSecret());
    return url.toString();
}

QString SecretMask::unmaskUrl(const QString &edited, const QString &stored)
{
    if (edited == url(stored))
        return stored;
    QUrl parsed(edited);
    const QUrl original(stored);
    if (!parsed.isValid() || parsed.password() != maskedSecret() || original.password().isEmpty())
        return edited;
    parsed.setPassword(original.password(QUrl::FullyDecoded), QUrl::DecodedMode);
    return parsed.toString();
}

bool SecretMask::isSecretHeader(const QString &name, const Webhook &hook)
{
    const QString lower = name.toLower();
    // Basic auth from a user:password@ URL ends up here; always credentials.
    if (lower == QLatin1String("authorization") || lower == QLatin1String("proxy-authorization"))
        return true;
    for (const HeaderRow &row : hook.headers) {
        if (row.secret && row.name.compare(name, Qt::CaseInsensitive) == 0)
            return true;
    }
    return false;
}

HeaderList SecretMask::headers(const HeaderList &headers, const Webhook &hook)
{
    HeaderList masked = headers;
    for (auto &[name, value] : masked) {
        if (isSecretHeader(name, hook))
            value = maskedSecret();
    }
    return masked;
}

bool SecretMask::looksLikeCredentialHeader(const QString &name)
{
    const QString lower = name.toLower();
    static const QStringList exact{QStringLiteral("authorization"),
                                   QStringLiteral("proxy-authorization"), QStringLiteral("cookie"),
                                   QStringLiteral("set-cookie"), QStringLiteral("x-api-key")};
    if (exact.contains(lower))
        return true;
    for (const char *part : {"token", "secret", "password", "key"}) {
        if (lower.contains(QLatin1String(part)))
            return true;
    }
    return false;
}
