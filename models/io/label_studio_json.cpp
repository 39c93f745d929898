#include "label_studio_json.h"

#include "domain/retry_on.h"
#include "domain/secret_mask.h"

#include <QIODevice>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QSaveFile>
#include <QSet>
#include <QUrl>
#include <cmath>
#include <limits>

namespace {

QString key(const char *name)
{
    return QLatin1String(name);
}

// A JSON number that is a whole number in [min, max], or nothing.
std::optional<qint64> wholeNumber(const QJsonValue &value, qint64 min, qint64 max)
{
    if (!value.isDouble())
        return std::nullopt;
    const double d = value.toDouble();
    if (!std::isfinite(d) || std::floor(d) != d || d < double(min) || d > double(max))
        return std::nullopt;
    return qint64(d);
}

// Reads one entry; returns the problem, or an empty string.
class EntryReader
{
    Q_DECLARE_TR_FUNCTIONS(LabelStudioJson)

public:
    explicit EntryReader(const QJsonObject &object)
        : m_object(object)
    {
    }

    QString read(Webhook *hook) const
    {
        const QJsonValue url = m_object.value(key("url"));
        if (url.isUndefined() || url.isNull())
            return tr("url is missing");
        if (!url.isString())
            return tr("url must be a string");
        hook->url = url.toString();
        if (QUrl(hook->url).password() == maskedSecret())
            return maskedMessage();

        const QJsonValue project = m_object.value(key("project"));
        if (!project.isUndefined() && !project.isNull()) {
            const auto id = wholeNumber(project, 1, qint64(1) << 53);
            if (!id)
                return tr("project must be a project id (a positive whole number) or null");
            hook->projectId = *id;
        }

        if (QString e = readString("description", &hook->description); !e.isEmpty())
            return e;
        if (QString e = readBool("is_active", &hook->isActive); !e.isEmpty())
            return e;
        if (QString e = readBool("send_payload", &hook->sendPayload); !e.isEmpty())
            return e;
        if (QString e = readBool("send_for_all_actions", &hook->sendForAllActions); !e.isEmpty())
            return e;

        const QJsonValue actions = m_object.value(key("actions"));
        if (!actions.isUndefined() && !actions.isNull()) {
            if (!actions.isArray())
                return tr("actions must be a list of event keys");
            for (const QJsonValue &action : actions.toArray()) {
                if (!action.isString())
                    return tr("actions must be a list of event keys");
                hook->actions.append(action.toString());
            }
        }

        if (QString e = readHeaders(hook); !e.isEmpty())
            return e;

        const QJsonValue signature = m_object.value(key("signature"));
        if (!signature.isUndefined() && !signature.isNull()) {
            const auto scheme = signature.isString() ? signatureSchemeFromKey(signature.toString())
                                                     : std::optional<SignatureScheme>();
            if (!scheme)
                return tr("signature must be \"standard\", \"github\" or null");
            hook->signature = *scheme;
        }
        if (QString e = readString("secret", &hook->secret); !e.isEmpty())
            return e;
        if (!hook->secret.isEmpty() && hook->secret == maskedSecret())
            return maskedMessage();

        if (QString e = readInt("timeout", &hook->timeoutSeconds); !e.isEmpty())
            return e;
        if (QString e = readInt("max_attempts", &hook->maxAttempts); !e.isEmpty())
            return e;
        if (QString e = readBool("verify_tls", &hook->verifyTls); !e.isEmpty())
            return e;
        const QJsonValue http = m_object.value(key("http_version"));
        if (!http.isUndefined() && !http.isNull()) {
            const auto version = http.isString() ? httpVersionFromKey(http.toString())
                                                 : std::optional<HttpVersion>();
            if (!version)
                return tr("http_version must be \"auto\", \"http1\" or \"http2\"");
            hook->httpVersion = *version;
        }
        // This app's delivery policy; Label Studio has none and sends none.
        if (QString e = readString("filter", &hook->filter); !e.isEmpty())
            return e;
        QString rate;
        if (QString e = readString("rate_limit", &rate); !e.isEmpty())
            return e;
        const std::optional<RateLimit> limit = RateLimit::fromKey(rate);
        if (!limit)
            return tr("rate_limit must be like \"5/s\" or \"300/min\"");
        hook->rateLimit = *limit;
        if (QString e = readInt("max_in_flight", &hook->maxInFlight); !e.isEmpty())
            return e;
        if (QString e = readString("retry_on", &hook->retryOn); !e.isEmpty())
            return e;
        QString retryOnError;
        const std::optional<RetryOn> retryOn = RetryOn::parse(hook->retryOn, &retryOnError);
        if (!retryOn)
            return tr("retry_on: %1").arg(retryOnError);
        hook->retryOn = retryOn->key() == RetryOn::defaultKey() ? QString() : retryOn->key();
        const QJsonValue schedule = m_object.value(key("retry_schedule"));
        if (!schedule.isUndefined() && !schedule.isNull()) {
            if (!schedule.isArray())
                return tr("retry_schedule must be a list of seconds");
            for (const QJsonValue &step : schedule.toArray()) {
                const auto seconds = wholeNumber(step, 0, 7 * 24 * 3600);
                if (!seconds)
                    return tr("retry_schedule must be a list of seconds");
                hook->retrySchedule.append(*seconds);
            }
        }
        if (QString e = readTime("created_at", &hook->createdAt); !e.isEmpty())
            return e;
        if (QString e = readTime("updated_at", &hook->updatedAt); !e.isEmpty())
            return e;
        // id, consecutive_failures and disabled_reason are this file's state,
        // not the new hook's; Label Studio's organization field has no meaning here.
        return {};
    }

private:
    static QString maskedMessage()
    {
        return tr("its secrets are masked; export with --include-secrets to copy hooks "
                  "together with their secrets");
    }

    QString readString(const char *name, QString *out) const
    {
        const QJsonValue value = m_object.value(key(name));
        if (value.isUndefined() || value.isNull())
            return {};
        if (!value.isString())
            return tr("%1 must be a string").arg(key(name));
        *out = value.toString();
        return {};
    }

    QString readBool(const char *name, bool *out) const
    {
        const QJsonValue value = m_object.value(key(name));
        if (value.isUndefined())
            return {};
        if (!value.isBool())
            return tr("%1 must be true or false").arg(key(name));
        *out = value.toBool();
        return {};
    }

    QString readInt(const char *name, int *out) const
    {
        const QJsonValue value = m_object.value(key(name));
        if (value.isUndefined() || value.isNull())
            return {};
        const auto number =
            wholeNumber(value, std::numeric_limits<int>::min(), std::numeric_limits<int>::max());
        if (!number)
            return tr("%1 must be a whole number").arg(key(name));
        *out = int(*number);
        return {};
    }

    QString readTime(const char *name, QDateTime *out) const
    {
        const QJsonValue value = m_object.value(key(name));
        if (value.isUndefined() || value.isNull())
            return {};
        QDateTime time = value.isString()
                             ? QDateTime::fromString(value.toString(), Qt::ISODateWithMs)
                             : QDateTime();
        if (!time.isValid())
            return tr("%1 must be a date in ISO 8601 form, like 2024-05-01T12:00:00Z")
                .arg(key(name));
        *out = time.toUTC();
        return {};
    }

    QString readHeaders(Webhook *hook) const
    {
        const QJsonValue headers = m_object.value(key("headers"));
        if (!headers.isUndefined() && !headers.isNull()) {
            if (!headers.isObject())
                return tr("headers must be an object of strings");
            const QJsonObject object = headers.toObject();
            for (auto it = object.constBegin(); it != object.constEnd(); ++it) {
                if (!it.value().isString())
                    return tr("headers must be an object of strings");
                if (it.value().toString() == maskedSecret())
                    return maskedMessage();
                hook->headers.append({it.key(), it.value().toString(), false});
            }
        }
        const QJsonValue secretHeaders = m_object.value(key("secret_headers"));
        if (secretHeaders.isUndefined() || secretHeaders.isNull())
            return {};
        if (!secretHeaders.isArray())
            return tr("secret_headers must be a list of header names");
        for (const QJsonValue &name : secretHeaders.toArray()) {
            if (!name.isString())
                return tr("secret_headers must be a list of header names");
            bool found = false;
            for (HeaderRow &row : hook->headers) {
                if (row.name.compare(name.toString(), Qt::CaseInsensitive) == 0) {
                    row.secret = true;
                    found = true;
                }
            }
            if (!found)
                return tr("secret_headers names %1, which is not in headers").arg(name.toString());
        }
        return {};
    }

    QJsonObject m_object;
};

} // namespace

LabelStudioJson::Parsed LabelStudioJson::parse(const QByteArray &json)
{
    Parsed result;
    if (json.size() > MaxBytes) {
        result.error = tr("The file is larger than %1 MB; split it into smaller files.")
                           .arg(MaxBytes / (1024 * 1024));
        return result;
    }
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        result.error = tr("The file is not valid JSON: %1 at byte %2.")
                           .arg(parseError.errorString())
                           .arg(parseError.offset);
        return result;
    }
    QJsonArray entries;
    if (document.isObject())
        entries.append(document.object());
    else if (document.isArray())
        entries = document.array();
    else {
        result.error = tr("The file must hold a webhook object or a list of them.");
        return result;
    }
    if (entries.size() > MaxEntries) {
        result.error = tr("The file holds %1 webhooks; at most %2 can be imported at once.")
                           .arg(entries.size())
                           .arg(MaxEntries);
        return result;
    }

    result.hooks.reserve(entries.size());
    for (qsizetype i = 0; i < entries.size(); ++i) {
        const QJsonValue entry = entries.at(i);
        QString problem;
        Webhook hook;
        if (!entry.isObject())
            problem = tr("must be a webhook object");
        else
            problem = EntryReader(entry.toObject()).read(&hook);
        if (!problem.isEmpty()) {
            result.hooks.clear();
            result.error = tr("entry %1: %2").arg(i + 1).arg(problem);
            return result;
        }
        result.hooks.append(hook);
    }
    return result;
}

LabelStudioJson::Parsed LabelStudioJson::read(QIODevice *device)
{
    QByteArray data;
    // Read one byte past the limit to tell "exactly the limit" from "more". A
    // file or stdin blocks until data comes; an empty read is the end.
    while (data.size() <= MaxBytes) {
        const QByteArray chunk =
            device->read(std::min<qint64>(qint64(1) << 20, MaxBytes + 1 - data.size()));
        if (chunk.isEmpty())
            break;
        data.append(chunk);
    }
    if (data.size() > MaxBytes) {
        Parsed result;
        result.error = tr("The file is larger than %1 MB; split it into smaller files.")
                           .arg(MaxBytes / (1024 * 1024));
        return result;
    }
    return parse(data);
}

QString LabelStudioJson::formatTime(const QDateTime &time)
{
    return time.isValid() ? time.toUTC().toString(Qt::ISODateWithMs) : QString();
}

QJsonObject LabelStudioJson::toJson(const Webhook &hook, bool includeSecrets)
{
    QJsonObject headers;
    QJsonArray secretHeaders;
    for (const HeaderRow &row : hook.headers) {
        headers.insert(row.name, row.secret && !includeSecrets ? maskedSecret() : row.value);
        if (row.secret)
            secretHeaders.append(row.name);
    }
    QJsonArray actions;
    for (const QString &action : hook.actions)
        actions.append(action);
    const auto orNull = [](const QString &text) {
        return text.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(text);
    };
    QJsonArray schedule;
    for (const qint64 seconds : hook.retrySchedule)
        schedule.append(seconds);
    return QJsonObject{
        {key("id"), hook.id},
        {key("project"), hook.projectId ? QJsonValue(*hook.projectId) : QJsonValue()},
        {key("url"), includeSecrets ? hook.url : SecretMask::url(hook.url)},
        {key("send_payload"), hook.sendPayload},
        {key("send_for_all_actions"), hook.sendForAllActions},
        {key("headers"), headers},
        {key("is_active"), hook.isActive},
        {key("actions"), actions},
        {key("created_at"), orNull(formatTime(hook.createdAt))},
        {key("updated_at"), orNull(formatTime(hook.updatedAt))},
        {key("description"), hook.description},
        {key("signature"), orNull(signatureSchemeKey(hook.signature))},
        {key("secret"), hook.secret.isEmpty()
                            ? QJsonValue()
                            : QJsonValue(includeSecrets ? hook.secret : maskedSecret())},
        {key("secret_headers"), secretHeaders},
        {key("timeout"), hook.timeoutSeconds},
        {key("max_attempts"), hook.maxAttempts},
        {key("verify_tls"), hook.verifyTls},
        {key("http_version"), httpVersionKey(hook.httpVersion)},
        {key("filter"), orNull(hook.filter)},
        {key("rate_limit"), orNull(hook.rateLimit.key())},
        {key("max_in_flight"), hook.maxInFlight},
        {key("retry_on"), hook.retryOn.isEmpty() ? RetryOn::defaultKey() : hook.retryOn},
        {key("retry_schedule"), schedule},
        {key("state"), hookStateKey(hook)},
        {key("paused_at"), orNull(formatTime(hook.pausedAt))},
        {key("next_probe_at"), orNull(formatTime(hook.nextProbeAt))},
        {key("pause_reason"), orNull(hook.pauseReason)},
        {key("last_error"), orNull(hook.lastError)},
        {key("consecutive_failures"), hook.consecutiveFailures},
        {key("disabled_reason"), orNull(hook.disabledReason)},
    };
}

QJsonArray LabelStudioJson::toJson(const QList<Webhook> &hooks, bool includeSecrets)
{
    QJsonArray list;
    for (const Webhook &hook : hooks)
        list.append(toJson(hook, includeSecrets));
    return list;
}

QByteArray LabelStudioJson::serialize(const QList<Webhook> &hooks, bool includeSecrets)
{
    return QJsonDocument(toJson(hooks, includeSecrets)).toJson(QJsonDocument::Indented);
}

QString LabelStudioJson::writeFile(const QString &path, const QList<Webhook> &hooks,
                                   bool includeSecrets)
{
    const QByteArray json = serialize(hooks, includeSecrets);
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) ||
        !file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner) ||
        file.write(json) != json.size() || !file.commit())
        return tr("Cannot write %1: %2").arg(path, file.errorString());
    return {};
}
