#include "signature.h"

#include <QMessageAuthenticationCode>
#include <QRandomGenerator>

QString Signature::standard(const QString &secret, const QString &messageId, qint64 timestamp,
                            const QByteArray &body)
{
    if (!secret.startsWith(QLatin1String("whsec_")))
        return {};
    const auto key = QByteArray::fromBase64Encoding(secret.mid(6).toLatin1(),
                                                    QByteArray::AbortOnBase64DecodingErrors);
    if (!key || key.decoded.isEmpty())
        return {};
    QMessageAuthenticationCode mac(QCryptographicHash::Sha256, key.decoded);
    mac.addData(messageId.toUtf8());
    mac.addData(".", 1);
    mac.addData(QByteArray::number(timestamp));
    mac.addData(".", 1);
    mac.addData(body);
    return QStringLiteral("v1,") + QString::fromLatin1(mac.result().toBase64());
}

QString Signature::github(const QString &secret, const QByteArray &body)
{
    const QByteArray mac =
        QMessageAuthenticationCode::hash(body, secret.toUtf8(), QCryptographicHash::Sha256);
    return QStringLiteral("sha256=") + QString::fromLatin1(mac.toHex());
}

QList<QPair<QByteArray, QByteArray>> Signature::headers(SignatureScheme scheme,
                                                        const QString &secret,
                                                        const QString &messageId, qint64 timestamp,
                                                        const QByteArray &body)
{
    if (secret.isEmpty())
        return {};
    switch (scheme) {
    case SignatureScheme::Standard:
        return {{QByteArrayLiteral("webhook-signature"),
                 standard(secret, messageId, timestamp, body).toLatin1()}};
    case SignatureScheme::GitHub:
        return {{QByteArrayLiteral("X-Hub-Signature-256"), github(secret, body).toLatin1()}};
    case SignatureScheme::None:
        break;
    }
    return {};
}

QList<QPair<QByteArray, QByteArray>> Signature::headers(SignatureScheme scheme,
                                                        const QString &secret,
                                                        const QStringList &previousSecrets,
                                                        const QString &messageId, qint64 timestamp,
                                                        const QByteArray &body)
{
    if (scheme != SignatureScheme::Standard || secret.isEmpty() || previousSecrets.isEmpty())
        return headers(scheme, secret, messageId, timestamp, body);
    QByteArray value = standard(secret, messageId, timestamp, body).toLatin1();
    for (const QString &previous : previousSecrets) {
        const QByteArray signature = standard(previous, messageId, timestamp, body).toLatin1();
        if (!signature.isEmpty() && !value.contains(signature))
            value += ' ' + signature;
    }
    return {{QByteArrayLiteral("webhook-signature"), value}};
}

QString Signature::generateSecret(SignatureScheme scheme)
{
    QByteArray key(24, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(key.data()),
                                          key.size() / int(sizeof(quint32)));
    if (scheme == SignatureScheme::GitHub)
        return QString::fromLatin1(key.toHex());
    return QStringLiteral("whsec_") + QString::fromLatin1(key.toBase64());
}
