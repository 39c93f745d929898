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

namespace {

bool isHeader(const QString &name, const char *wanted)
{
    return name.compare(QLatin1String(wanted), Qt::CaseInsensitive) == 0;
}

// The -H lines of a request; signature headers left out when signing anew.
QStringList headerLines(const Attempt &attempt, bool dropSignature, QStringList *variables)
{
    QStringList lines;
    HeaderList headers = attempt.requestHeaders;
    if (headers.isEmpty())
        headers.append({QStringLiteral("Content-Type"), QStringLiteral("application/json")});
    for (const auto &[name, value] : std::as_const(headers)) {
        if (curlOwnsHeader(name))
            continue;
        if (dropSignature &&
            (isHeader(name, "webhook-timestamp") || isHeader(name, "webhook-signature") ||
             isHeader(name, "X-Hub-Signature-256")))
            continue;
        // Storage masks secrets; a masked value is a secret we do not have.
        if (value.contains(maskedSecret())) {
            const QString variable = CurlCommand::secretVariable(name);
            if (variables && !variables->contains(variable))
                variables->append(variable);
            lines.append(QStringLiteral("-H ") +
                         withVariable(name + QLatin1String(": "), variable));
        } else {
            lines.append(QStringLiteral("-H ") +
                         CurlCommand::shellQuote(name + QLatin1String(": ") + value));
        }
    }
    return lines;
}

QString urlWordNoting(const QString &url, QStringList *variables)
{
    const QString word = urlWord(url);
    if (variables && word.contains(QLatin1Char('$') + CurlCommand::urlPasswordVariable()))
        variables->append(CurlCommand::urlPasswordVariable());
    return word;
}

} // namespace

QString CurlCommand::build(const Attempt &attempt, QStringList *variables)
{
    QStringList lines;
    lines.append(QStringLiteral("curl -X POST"));
    lines += headerLines(attempt, false, variables);
    lines.append(QStringLiteral("--data-raw ") +
                 shellQuote(QString::fromUtf8(attempt.requestBody)));
    lines.append(urlWordNoting(attempt.url, variables));
    return lines.join(QLatin1String(" \\\n  "));
}

QString CurlCommand::buildSigningNow(const Attempt &attempt, QStringList *variables)
{
    bool standard = false;
    bool github = false;
    QString messageId = attempt.messageId;
    for (const auto &[name, value] : attempt.requestHeaders) {
        standard = standard || isHeader(name, "webhook-signature");
        github = github || isHeader(name, "X-Hub-Signature-256");
        if (isHeader(name, "webhook-id"))
            messageId = value;
    }
    if (!standard && !github)
        return {};
    if (variables)
        variables->append(signingSecretVariable());
    const QString secret = QLatin1String("\"$") + signingSecretVariable() + QLatin1Char('"');

    QStringList script;
    script.append(QStringLiteral("body=") + shellQuote(QString::fromUtf8(attempt.requestBody)));
    script.append(QStringLiteral("ts=$(date +%s)"));
    QStringList signatureHeaders;
    if (standard) {
        // Standard Webhooks: HMAC-SHA256 over "id.timestamp.body", keyed with
        // the base64 part of whsec_..., the result in base64.
        script.append(QStringLiteral("key=$(printf '%s' \"${") + signingSecretVariable() +
                      QStringLiteral("#whsec_}\" | base64 -d | od -An -v -tx1 | tr -d ' \\n')"));
        script.append(QStringLiteral("sig=$(printf '%s' ") +
                      shellQuote(messageId + QLatin1Char('.')) +
                      QStringLiteral("\"$ts.$body\" | openssl dgst -sha256 -binary -mac HMAC "
                                     "-macopt hexkey:\"$key\" | base64)"));
        signatureHeaders << QStringLiteral("-H \"webhook-timestamp: $ts\"")
                         << QStringLiteral("-H \"webhook-signature: v1,$sig\"");
    } else {
        // GitHub: hex HMAC-SHA256 of the body, keyed with the secret as is.
        script.append(QStringLiteral("sig=$(printf '%s' \"$body\" | openssl dgst -sha256 -hmac ") +
                      secret + QStringLiteral(" | sed 's/^.*= //')"));
        signatureHeaders << QStringLiteral("-H \"X-Hub-Signature-256: sha256=$sig\"");
        // The timestamp header is not signed; sent fresh all the same.
        for (const auto &[name, value] : attempt.requestHeaders) {
            if (isHeader(name, "webhook-timestamp"))
                signatureHeaders << QStringLiteral("-H \"webhook-timestamp: $ts\"");
        }
    }
    QStringList curl;
    curl.append(QStringLiteral("curl -X POST"));
    curl += headerLines(attempt, true, variables);
    curl += signatureHeaders;
    curl.append(QStringLiteral("--data-raw \"$body\""));
    curl.append(urlWordNoting(attempt.url, variables));
    script.append(curl.join(QLatin1String(" \\\n  ")));
    return script.join(QLatin1Char('\n'));
}
