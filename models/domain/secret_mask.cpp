#include "secret_mask.h"

#include <QUrl>

QString SecretMask::url(const QString &text)
{
    QUrl url(text);
    if (!url.isValid() || url.password().isEmpty())
        return text;
    url.setPassword(maskedSecret());
    return url.toString();
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
