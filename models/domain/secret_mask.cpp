#include "secret_mask.h"

#include <QUrl>

namespace {

// Query parameters that carry credentials by their name.
bool isCredentialParameter(QStringView name)
{
    static const QStringList names{
        QStringLiteral("token"),     QStringLiteral("access_token"), QStringLiteral("key"),
        QStringLiteral("api_key"),   QStringLiteral("apikey"),       QStringLiteral("secret"),
        QStringLiteral("signature"), QStringLiteral("sig"),          QStringLiteral("password")};
    const QString decoded =
        QUrl::fromPercentEncoding(
            name.toString().replace(QLatin1Char('+'), QLatin1Char(' ')).toLatin1())
            .toLower();
    return names.contains(decoded);
}

// Where the query of a URL text is: [begin, end), or begin < 0 for none.
std::pair<qsizetype, qsizetype> queryRange(const QString &text)
{
    const qsizetype question = text.indexOf(QLatin1Char('?'));
    if (question < 0)
        return {-1, -1};
    const qsizetype hash = text.indexOf(QLatin1Char('#'), question);
    return {question + 1, hash < 0 ? text.size() : hash};
}

// The query's name=value pairs, as written.
QStringList queryPairs(const QString &text, std::pair<qsizetype, qsizetype> range)
{
    return text.mid(range.first, range.second - range.first).split(QLatin1Char('&'));
}

QString parameterName(const QString &pair)
{
    const qsizetype equals = pair.indexOf(QLatin1Char('='));
    return equals < 0 ? pair : pair.left(equals);
}

QString parameterValue(const QString &pair)
{
    const qsizetype equals = pair.indexOf(QLatin1Char('='));
    return equals < 0 ? QString() : pair.mid(equals + 1);
}

// ?token=abc&page=2 -> ?token=••••••&page=2; the text is otherwise untouched.
QString maskQuery(const QString &text)
{
    const auto range = queryRange(text);
    if (range.first < 0)
        return text;
    QStringList pairs = queryPairs(text, range);
    bool changed = false;
    for (QString &pair : pairs) {
        const QString name = parameterName(pair);
        if (isCredentialParameter(name) && !parameterValue(pair).isEmpty()) {
            pair = name + QLatin1Char('=') + maskedSecret();
            changed = true;
        }
    }
    if (!changed)
        return text;
    return text.left(range.first) + pairs.join(QLatin1Char('&')) + text.mid(range.second);
}

// The masked values of the edited URL's credential parameters are the stored
// URL's values of the same parameters, matched by name in order.
QString unmaskQuery(const QString &edited, const QString &stored)
{
    const auto editedRange = queryRange(edited);
    const auto storedRange = queryRange(stored);
    if (editedRange.first < 0 || storedRange.first < 0)
        return edited;
    QStringList pairs = queryPairs(edited, editedRange);
    QStringList original = queryPairs(stored, storedRange);
    bool changed = false;
    for (QString &pair : pairs) {
        if (parameterValue(pair) != maskedSecret())
            continue;
        const QString name = parameterName(pair);
        for (auto it = original.begin(); it != original.end(); ++it) {
            if (parameterName(*it) == name && isCredentialParameter(name)) {
                pair = *it;
                original.erase(it);
                changed = true;
                break;
            }
        }
    }
    if (!changed)
        return edited;
    return edited.left(editedRange.first) + pairs.join(QLatin1Char('&')) +
           edited.mid(editedRange.second);
}

QString maskUserInfo(const QString &text)
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

} // namespace

QString SecretMask::url(const QString &text)
{
    return maskQuery(maskUserInfo(text));
}

QString SecretMask::unmaskUrl(const QString &edited, const QString &stored)
{
    if (edited == url(stored))
        return stored;
    // The query first: the user info's QUrl round trip may re-encode it.
    const QString withQuery = unmaskQuery(edited, stored);
    QUrl parsed(withQuery);
    const QUrl original(stored);
    if (!parsed.isValid() || parsed.password() != maskedSecret() || original.password().isEmpty())
        return withQuery;
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
