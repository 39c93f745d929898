#include "webhook_validator.h"

#include "payload_filter.h"
#include "retry_on.h"

#include <QRegularExpression>
#include <QSet>
#include <QUrl>

namespace {

bool isTokenChar(QChar c)
{
    // RFC 9110 tchar
    static const QString extra = QStringLiteral("!#$%&'*+-.^_`|~");
    const ushort u = c.unicode();
    return (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') ||
           extra.contains(c);
}

} // namespace

bool WebhookValidator::isReservedHeader(const QString &name)
{
    static const QSet<QString> reserved{QStringLiteral("host"),
                                        QStringLiteral("content-length"),
                                        QStringLiteral("content-type"),
                                        QStringLiteral("transfer-encoding"),
                                        QStringLiteral("connection"),
                                        QStringLiteral("x-hub-signature-256"),
                                        QStringLiteral("webhook-id"),
                                        QStringLiteral("webhook-timestamp"),
                                        QStringLiteral("webhook-signature")};
    const QString lower = name.trimmed().toLower();
    return reserved.contains(lower) || lower.startsWith(QLatin1String("webhook-"));
}

QString WebhookValidator::checkUrl(const QString &text)
{
    const QString url = text.trimmed();
    if (url.isEmpty())
        return tr("Enter the URL that receives the webhook.");
    if (url.size() > Webhook::MaxUrlLength)
        return tr("The URL is %1 characters long; at most %2 are allowed.")
            .arg(url.size())
            .arg(Webhook::MaxUrlLength);
    for (const QChar c : url) {
        if (c.isSpace() || c.unicode() < 0x20 || c.unicode() == 0x7f)
            return tr("The URL contains a space or a control character.");
    }
    const QUrl parsed(url, QUrl::StrictMode);
    if (!parsed.isValid())
        return tr("This is not a valid URL: %1").arg(parsed.errorString());
    const QString scheme = parsed.scheme().toLower();
    if (scheme.isEmpty() || !url.contains(QLatin1String("://")))
        return tr("The URL must start with http:// or https://.");
    if (scheme != QLatin1String("http") && scheme != QLatin1String("https"))
        return tr("Only http and https URLs can receive webhooks, not %1.").arg(scheme);
    if (parsed.host().isEmpty())
        return tr("The URL has no host name.");
    if (parsed.host().startsWith(QLatin1Char('.')) || parsed.host().endsWith(QLatin1String("..")))
        return tr("The host name \"%1\" is not valid.").arg(parsed.host());
    return {};
}

QString WebhookValidator::checkHeaderName(const QString &name)
{
    if (name.isEmpty())
        return tr("A header needs a name.");
    if (name.size() > 256)
        return tr("The header name is longer than 256 characters.");
    for (const QChar c : name) {
        if (!isTokenChar(c))
            return tr("\"%1\" is not a valid header name: use letters, digits and "
                      "!#$%&'*+-.^_`|~ only, no spaces or colons.")
                .arg(name);
    }
    if (isReservedHeader(name))
        return tr("%1 is set by Webhook Admin itself and cannot be overridden.").arg(name);
    return {};
}

QString WebhookValidator::checkHeaderValue(const QString &value)
{
    if (value.size() > Webhook::MaxHeaderValueLength)
        return tr("The header value is %1 characters long; at most %2 are allowed.")
            .arg(value.size())
            .arg(Webhook::MaxHeaderValueLength);
    for (const QChar c : value) {
        if (c == QLatin1Char('\r') || c == QLatin1Char('\n') || c.unicode() == 0)
            return tr("A header value cannot contain line breaks or NUL characters.");
    }
    return {};
}

QString WebhookValidator::checkSecret(const QString &secret, SignatureScheme scheme)
{
    if (scheme == SignatureScheme::None)
        return secret.isEmpty() ? QString()
                                : tr("Choose a signature scheme for the signing secret, or "
                                     "clear the secret.");
    if (secret.isEmpty())
        return tr("Signing needs a secret: generate one or paste the receiver's.");
    if (secret.size() > 1024)
        return tr("The signing secret is longer than 1024 characters.");
    if (scheme == SignatureScheme::Standard) {
        if (!secret.startsWith(QLatin1String("whsec_")))
            return tr("A Standard Webhooks secret starts with whsec_ followed by base64.");
        const QByteArray encoded = secret.mid(6).toLatin1();
        const auto decoded =
            QByteArray::fromBase64Encoding(encoded, QByteArray::AbortOnBase64DecodingErrors);
        if (!decoded || decoded.decoded.size() < 16 || decoded.decoded.size() > 64)
            return tr("The part after whsec_ must be base64 of a 16 to 64 byte key.");
    }
    return {};
}

QString WebhookValidator::checkEventKey(const QString &key)
{
    static const QRegularExpression pattern(QStringLiteral("^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$"));
    if (key.isEmpty())
        return tr("An event type needs a key.");
    if (key.size() > 64)
        return tr("An event key has at most 64 characters.");
    if (!pattern.match(key).hasMatch())
        return tr("\"%1\" is not in UPPER_SNAKE_CASE (for example MODEL_TRAINED).").arg(key);
    return {};
}

QList<FieldError> WebhookValidator::validate(const Webhook &webhook, const EventCatalog &catalog,
                                             bool projectExists)
{
    using F = FieldError::Field;
    QList<FieldError> errors;

    if (const QString e = checkUrl(webhook.url); !e.isEmpty())
        errors.append({F::Url, e});

    if (webhook.projectId && !projectExists)
        errors.append({F::Project, tr("Project %1 does not exist.").arg(*webhook.projectId)});

    if (webhook.description.size() > Webhook::MaxDescriptionLength)
        errors.append({F::Description, tr("The description is longer than %1 characters.")
                                           .arg(Webhook::MaxDescriptionLength)});

    if (webhook.headers.size() > Webhook::MaxHeaders)
        errors.append(
            {F::Headers, tr("A hook can have at most %1 headers.").arg(Webhook::MaxHeaders)});
    QSet<QString> seen;
    for (int row = 0; row < webhook.headers.size(); ++row) {
        const HeaderRow &header = webhook.headers.at(row);
        QString e = checkHeaderName(header.name);
        if (e.isEmpty())
            e = checkHeaderValue(header.value);
        if (e.isEmpty() && seen.contains(header.name.toLower()))
            e = tr("The header %1 is listed twice.").arg(header.name);
        seen.insert(header.name.toLower());
        if (!e.isEmpty())
            errors.append({F::Headers, e, row});
    }

    if (!webhook.sendForAllActions) {
        if (webhook.actions.isEmpty())
            errors.append({F::Actions, tr("Choose at least one event, or send for all actions.")});
        for (const QString &key : webhook.actions) {
            const std::optional<EventType> type = catalog.find(key);
            if (!type) {
                errors.append({F::Actions, tr("Unknown event type %1.").arg(key)});
            } else if (type->organizationOnly && webhook.projectId) {
                errors.append({F::Actions, tr("%1 is an organization-wide event; a hook scoped "
                                              "to one project never receives it.")
                                               .arg(type->key)});
            }
        }
    }

    if (const QString e = checkSecret(webhook.secret, webhook.signature); !e.isEmpty())
        errors.append({F::Secret, e});

    if (webhook.timeoutSeconds < 1 || webhook.timeoutSeconds > Webhook::MaxTimeoutSeconds)
        errors.append(
            {F::Timeout,
             tr("The timeout must be between 1 and %1 seconds.").arg(Webhook::MaxTimeoutSeconds)});
    if (webhook.maxAttempts < 1 || webhook.maxAttempts > Webhook::MaxAttemptsLimit)
        errors.append({F::MaxAttempts, tr("The number of attempts must be between 1 and %1.")
                                           .arg(Webhook::MaxAttemptsLimit)});

    if (const QString e = PayloadFilter::check(webhook.filter); !e.isEmpty())
        errors.append({F::Filter, e});
    if (webhook.rateLimit.count < 0 || webhook.rateLimit.count > RateLimit::MaxCount ||
        (webhook.rateLimit.periodSeconds != 1 && webhook.rateLimit.periodSeconds != 60))
        errors.append({F::RateLimit, tr("The rate limit is between 1 and %1 requests a second "
                                        "or a minute.")
                                         .arg(RateLimit::MaxCount)});
    if (webhook.maxInFlight < 0 || webhook.maxInFlight > Webhook::MaxInFlightLimit)
        errors.append({F::MaxInFlight, tr("At most between 1 and %1 requests in flight, or 0 for "
                                          "the engine's limit.")
                                           .arg(Webhook::MaxInFlightLimit)});
    if (QString e; !RetryOn::parse(webhook.retryOn, &e))
        errors.append({F::RetryOn, e});
    if (const QString e = checkRetrySchedule(webhook.retrySchedule); !e.isEmpty())
        errors.append({F::RetrySchedule, e});
    return errors;
}

QString WebhookValidator::checkRetrySchedule(const QList<qint64> &seconds)
{
    if (seconds.size() > Webhook::MaxAttemptsLimit)
        return tr("A retry schedule has at most %1 steps.").arg(Webhook::MaxAttemptsLimit);
    for (const qint64 s : seconds) {
        if (s < 0 || s > 7 * 24 * 3600)
            return tr("Each step of the retry schedule is between 0 seconds and a week.");
    }
    return {};
}

QString WebhookValidator::fieldName(FieldError::Field field)
{
    using F = FieldError::Field;
    switch (field) {
    case F::Url:
        return QStringLiteral("url");
    case F::Project:
        return QStringLiteral("project");
    case F::Description:
        return QStringLiteral("description");
    case F::Headers:
        return QStringLiteral("headers");
    case F::Actions:
        return QStringLiteral("actions");
    case F::Secret:
        return QStringLiteral("secret");
    case F::Timeout:
        return QStringLiteral("timeout");
    case F::MaxAttempts:
        return QStringLiteral("max_attempts");
    case F::Filter:
        return QStringLiteral("filter");
    case F::RateLimit:
        return QStringLiteral("rate_limit");
    case F::MaxInFlight:
        return QStringLiteral("max_in_flight");
    case F::RetryOn:
        return QStringLiteral("retry_on");
    case F::RetrySchedule:
        return QStringLiteral("retry_schedule");
    }
    return {};
}

QString WebhookValidator::describe(const QList<FieldError> &errors)
{
    QStringList lines;
    for (const FieldError &error : errors)
        lines.append(fieldName(error.field) % QStringLiteral(": ") % error.message);
    return lines.join(QStringLiteral("; "));
}
