#include "retry_on.h"

RetryOn::RetryOn()
    : m_items(defaultKey().split(QLatin1Char(',')))
{
}

std::optional<RetryOn> RetryOn::parse(const QString &text, QString *error)
{
    RetryOn result;
    if (text.trimmed().isEmpty())
        return result;
    result.m_items.clear();
    const QStringList parts = text.split(QLatin1Char(','));
    for (const QString &part : parts) {
        const QString item = part.trimmed().toLower();
        if (item.isEmpty())
            continue;
        bool valid = item == QLatin1String("network") || item == QLatin1String("timeout");
        if (!valid && item.size() == 3) {
            bool ok = false;
            if (item.endsWith(QLatin1String("xx"))) {
                const int hundreds = item.left(1).toInt(&ok);
                valid = ok && hundreds >= 1 && hundreds <= 5;
            } else {
                const int code = item.toInt(&ok);
                valid = ok && code >= 100 && code <= 599;
            }
        }
        if (!valid) {
            *error = tr("\"%1\" is not a failure to retry on; use network, timeout, a status "
                        "code (429) or a class (5xx).")
                         .arg(part.trimmed());
            return std::nullopt;
        }
        if (!result.m_items.contains(item))
            result.m_items.append(item);
    }
    return result;
}

bool RetryOn::covers(const QString &errorKind, int statusCode) const
{
    if (errorKind == QLatin1String("timeout"))
        return m_items.contains(QLatin1String("timeout"));
    if (errorKind == QLatin1String("http") || (errorKind.isEmpty() && statusCode > 0)) {
        const QString code = QString::number(statusCode);
        const QString cls = code.left(1) + QLatin1String("xx");
        return m_items.contains(code) || m_items.contains(cls);
    }
    // dns, refused, reset, tls, protocol, interrupted: the network failed.
    return m_items.contains(QLatin1String("network"));
}

QString RetryOn::describe(const QString &errorKind, int statusCode)
{
    if (errorKind == QLatin1String("http") && statusCode > 0)
        return QString::number(statusCode);
    if (errorKind == QLatin1String("timeout"))
        return tr("a timeout");
    return tr("a network error (%1)").arg(errorKind);
}
