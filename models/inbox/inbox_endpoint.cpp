#include "inbox_endpoint.h"

#include "domain/secret_mask.h"
#include "inbox/signature_verifier.h"

#include <QJsonDocument>
#include <QJsonObject>

InboxEndpoint::InboxEndpoint(Database *database)
    : m_store(database)
    , m_clock([] { return QDateTime::currentDateTimeUtc(); })
{
}

ListenerHandler InboxEndpoint::handler()
{
    return [this](const ListenerRequest &request) {
        return receive(request);
    };
}

ListenerReply InboxEndpoint::error(int status, const QString &message)
{
    ListenerReply reply;
    reply.status = status;
    reply.body = QJsonDocument(QJsonObject{{QStringLiteral("error"), message}})
                     .toJson(QJsonDocument::Compact);
    return reply;
}

ListenerReply InboxEndpoint::receive(const ListenerRequest &request)
{
    if (!request.path.startsWith(PathPrefix))
        return error(404, tr("There is nothing at %1.").arg(request.path));
    const QString name = request.path.mid(PathPrefix.size());
    if (!InboxSettings::isValidName(name))
        return error(404, tr("There is no inbox at %1: an inbox name is 1 to %2 letters, digits, "
                             "'.', '_', '-' or '~'.")
                              .arg(request.path)
                              .arg(InboxSettings::MaxNameLength));

    const auto unavailable = [](const StorageError &e) {
        ListenerReply reply = error(e.kind == StorageError::Kind::Invalid ? 400 : 503, e.message);
        if (reply.status == 503)
            reply.headers.append({QByteArrayLiteral("Retry-After"), QByteArrayLiteral("1")});
        return reply;
    };

    const Result<InboxSettings> settings = m_store.settings(name);
    if (!settings)
        return unavailable(settings.error());
    const Result<QList<InboxSecret>> secrets = m_store.secretsFor(name);
    if (!secrets)
        return unavailable(secrets.error());

    InboxRequest stored;
    stored.inbox = name;
    stored.receivedAt = m_clock();
    stored.remoteAddress = request.remoteAddress.toString();
    stored.method = request.method;
    stored.path = request.path;
    stored.query = request.query;
    HeaderList headers;
    headers.reserve(request.headers.size());
    for (const auto &[key, value] : request.headers)
        headers.append({QString::fromLatin1(key), QString::fromUtf8(value)});
    const InboxVerification verification =
        SignatureVerifier::verify(headers, request.body, secrets.value(), stored.receivedAt);
    stored.verdict = verification.verdict;
    stored.reason = verification.reason;
    // Verified on what arrived; stored with credentials masked.
    for (auto &[key, value] : headers) {
        if (SecretMask::looksLikeCredentialHeader(key))
            value = maskedSecret();
    }
    stored.headers = headers;
    stored.body = request.body.left(InboxRequest::MaxStoredBodyBytes);
    stored.size = std::max<qint64>(request.fullSize, request.body.size());

    const Result<qint64> id = m_store.addRequest(stored);
    if (!id)
        return unavailable(id.error());

    ListenerReply reply;
    reply.status = settings->status;
    reply.body = settings->body;
    reply.delayMs = settings->delayMs;
    return reply;
}
