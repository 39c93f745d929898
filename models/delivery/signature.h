#pragma once

#include "domain/attempt.h"
#include "domain/webhook.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

// What checking a received request's signature found (Signature::verify).
struct SignatureCheck
{
    enum class Outcome {
        Valid,
        MissingHeader,      // `header` is absent or empty
        MalformedTimestamp, // webhook-timestamp is not a number of seconds
        Mismatch,           // no signature matches any of the secrets
        StaleTimestamp,     // it matches, but was signed too far from `now`
    };

    Outcome outcome = Outcome::Mismatch;
    QString header;           // the header concerned (missing, malformed)
    int matchedSecret = -1;   // index into the secrets given, when it matches
    qint64 offsetSeconds = 0; // webhook-timestamp minus now (Standard Webhooks)

    bool isValid() const { return outcome == Outcome::Valid; }
};

// Request signing: Standard Webhooks and GitHub's X-Hub-Signature-256.
class Signature final
{
public:
    // Standard Webhooks' default: a timestamp more than five minutes away is refused.
    static constexpr qint64 DefaultToleranceSeconds = 5 * 60;

    Signature() = delete;

    // webhook-signature value: "v1,<base64 HMAC-SHA256(key, id.timestamp.body)>",
    // where the secret is "whsec_<base64 key>". Empty when the secret is malformed.
    static QString standard(const QString &secret, const QString &messageId, qint64 timestamp,
                            const QByteArray &body);
    // X-Hub-Signature-256 value: "sha256=<hex HMAC-SHA256(secret, body)>".
    static QString github(const QString &secret, const QByteArray &body);

    // The header (name, value) the scheme adds, or an empty list for None.
    static QList<QPair<QByteArray, QByteArray>> headers(SignatureScheme scheme,
                                                        const QString &secret,
                                                        const QString &messageId, qint64 timestamp,
                                                        const QByteArray &body);

    // The same, while secrets rotated out still sign (see PreviousSecret):
    // Standard Webhooks carries one signature per secret, space-separated,
    // the current one first, so a receiver that knows either verifies.
    // GitHub's header has room for one: the current secret's.
    static QList<QPair<QByteArray, QByteArray>>
    headers(SignatureScheme scheme, const QString &secret, const QStringList &previousSecrets,
            const QString &messageId, qint64 timestamp, const QByteArray &body);

    // Checks a received request as a receiver would: the scheme's headers
    // (names case-insensitive) must be there; one of the signatures (Standard
    // Webhooks: any space-separated "v1," entry) must equal the one computed
    // from the raw body with one of the secrets, compared in constant time;
    // for Standard Webhooks, webhook-timestamp must be within
    // toleranceSeconds of now. GitHub's scheme signs no timestamp.
    static SignatureCheck verify(SignatureScheme scheme, const QStringList &secrets,
                                 const HeaderList &headers, const QByteArray &body,
                                 const QDateTime &now,
                                 qint64 toleranceSeconds = DefaultToleranceSeconds);
    // Equal without leaking where they differ through timing.
    static bool constantTimeEquals(const QByteArray &a, const QByteArray &b);

    // A fresh random secret in the scheme's usual form.
    static QString generateSecret(SignatureScheme scheme);
};
