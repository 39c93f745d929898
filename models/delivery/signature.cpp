#include "signature.h"

#include <QMessageAuthenticationCode>
#include <QRandomGenerator>
#include <cstdlib>

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

namespace {

// The value of the first header called `name`; empty when it is absent.
QString headerValue(const HeaderList &headers, QLatin1String name)
{
    for (const auto &[key, value] : headers) {
        if (key.trimmed().compare(name, Qt::CaseInsensitive) == 0)
            return value.trimmed();
    }
    return {};
}

} // namespace

bool Signature::constantTimeEquals(const QByteArray &a, const QByteArray &b)
{
    if (a.size() != b.size())
        return false;
    unsigned char difference = 0;
    for (qsizetype i = 0; i < a.size(); ++i)
        difference |= static_cast<unsigned char>(a.at(i) ^ b.at(i));
    return difference == 0;
}

SignatureCheck Signature::verify(SignatureScheme scheme, const QStringList &secrets,
                                 const HeaderList &headers, const QByteArray &body,
                                 const QDateTime &now, qint64 toleranceSeconds)
{
    using Outcome = SignatureCheck::Outcome;
    SignatureCheck check;
    if (scheme == SignatureScheme::GitHub) {
        const QString received = headerValue(headers, QLatin1String("X-Hub-Signature-256"));
        if (received.isEmpty())
            return {Outcome::MissingHeader, QStringLiteral("X-Hub-Signature-256")};
        for (qsizetype i = 0; i < secrets.size(); ++i) {
            if (secrets.at(i).isEmpty())
                continue;
            if (constantTimeEquals(received.toLower().toLatin1(),
                                   github(secrets.at(i), body).toLatin1())) {
                check.outcome = Outcome::Valid;
                check.matchedSecret = int(i);
                return check;
            }
        }
        check.header = QStringLiteral("X-Hub-Signature-256");
        return check;
    }

    const QLatin1String names[] = {QLatin1String("webhook-id"), QLatin1String("webhook-timestamp"),
                                   QLatin1String("webhook-signature")};
    QString values[3];
    for (int i = 0; i < 3; ++i) {
        values[i] = headerValue(headers, names[i]);
        if (values[i].isEmpty())
            return {Outcome::MissingHeader, QString(names[i])};
    }
    const QString &messageId = values[0];
    bool ok = false;
    const qint64 timestamp = values[1].toLongLong(&ok);
    if (!ok)
        return {Outcome::MalformedTimestamp, QStringLiteral("webhook-timestamp")};

    check.header = QStringLiteral("webhook-signature");
    const QStringList entries = values[2].split(QLatin1Char(' '), Qt::SkipEmptyParts);
    for (qsizetype i = 0; i < secrets.size() && check.matchedSecret < 0; ++i) {
        const QByteArray expected = standard(secrets.at(i), messageId, timestamp, body).toLatin1();
        if (expected.isEmpty())
            continue;
        for (const QString &entry : entries) {
            if (constantTimeEquals(entry.toLatin1(), expected))
                check.matchedSecret = int(i);
        }
    }
    if (check.matchedSecret < 0)
        return check;
    check.offsetSeconds = timestamp - now.toSecsSinceEpoch();
    if (std::abs(check.offsetSeconds) > toleranceSeconds) {
        check.outcome = Outcome::StaleTimestamp;
        check.header = QStringLiteral("webhook-timestamp");
        return check;
    }
    check.outcome = Outcome::Valid;
    check.header.clear();
    return check;
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
