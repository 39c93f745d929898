#include "curl_command.h"

#include "domain/webhook.h"

#include <QStringList>
#include <QUrl>

namespace {

// Headers curl writes itself from the command; repeating them would lie.
bool curlOwnsHeader(const QString &name)
{
    return name.compare(QLatin1String("Content-Length"), Qt::CaseInsensitive) == 0 ||
           name.compare(QLatin1String("Host"), Qt::CaseInsensitive) == 0 ||
           name.compare(QLatin1String("Connection"), Qt::CaseInsensitive) == 0 ||
           name.compare(QLatin1String("Transfer-Encoding"), Qt::CaseInsensitive) == 0;
}

// A quoted word followed by an expanded variable: 'prefix'"$NAME"'suffix'.
QString withVariable(const QString &prefix, const QString &variable, const QString &suffix = {})
{
    QString word;
    if (!prefix.isEmpty())
        word += CurlCommand::shellQuote(prefix);
    word += QLatin1String("\"$") + variable + QLatin1Char('"');
    if (!suffix.isEmpty())
        word += CurlCommand::shellQuote(suffix);
    return word;
}

QString urlWord(const QString &text)
{
    QUrl url(text);
    if (!url.isValid() || url.password().isEmpty())
        return CurlCommand::shellQuote(text);
    // Whatever the stored password is (masked), the command asks for it.
    static const QString Token = QStringLiteral("WEBHOOKADMINPASSWORDTOKEN");
    url.setPassword(Token);
    const QString full = url.toString(QUrl::FullyEncoded);
    const qsizetype at = full.indexOf(Token);
    if (at < 0)
        return CurlCommand::shellQuote(text);
    return withVariable(full.left(at), CurlCommand::urlPasswordVariable(),
                        full.mid(at + Token.size()));
}

} // namespace

QString CurlCommand::shellQuote(const QString &text)
{
    QString quoted = text;
    quoted.replace(QLatin1Char('\''), QLatin1String("'\\''"));
    return QLatin1Char('\'') + quoted + QLatin1Char('\'');
}

QString CurlCommand::secretVariable(const QString &headerName)
{
    QString name = QStringLiteral("WEBHOOK_SECRET_");
    for (const QChar c : headerName.toUpper()) {
        const bool plain = (c >= QLatin1Char('A') && c <= QLatin1Char('Z')) ||
                           (c >= QLatin1Char('0') && c <= QLatin1Char('9'));
        name += plain ? c : QLatin1Char('_');
    }
    return name;
}

QString CurlCommand::build(const Attempt &attempt)
{
    QStringList lines;
    lines.append(QStringLiteral("curl -X POST"));

    HeaderList headers = attempt.requestHeaders;
    if (headers.isEmpty())
        headers.append({QStringLiteral("Content-Type"), QStringLiteral("application/json")});
    for (const auto &[name, value] : std::as_const(headers)) {
        if (curlOwnsHeader(name))
            continue;
        // Storage masks secrets; a masked value is a secret we do not have.
        if (value.contains(maskedSecret()))
            lines.append(QStringLiteral("-H ") +
                         withVariable(name + QLatin1String(": "), secretVariable(name)));
        else
            lines.append(QStringLiteral("-H ") + shellQuote(name + QLatin1String(": ") + value));
    }
    lines.append(QStringLiteral("--data-raw ") +
                 shellQuote(QString::fromUtf8(attempt.requestBody)));
    lines.append(urlWord(attempt.url));
    return lines.join(QLatin1String(" \\\n  "));
}
