#pragma once

#include "domain/webhook.h"

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

// Request signing: Standard Webhooks and GitHub's X-Hub-Signature-256.
class Signature final
{
public:
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

    // A fresh random secret in the scheme's usual form.
    static QString generateSecret(SignatureScheme scheme);
};
