#pragma once

#include "attempt.h"
#include "webhook.h"

#include <QByteArray>
#include <QDateTime>
#include <QMetaType>
#include <QString>

// Whether a request the local inbox received carries a signature it can
// verify with a secret it knows (a hook pointing at it, or its own).
enum class InboxVerdict {
    Valid,    // a known secret produced one of its signatures, in time
    Invalid,  // signed, but no known secret matches
    Stale,    // signed correctly, but webhook-timestamp is over 5 minutes from now
    Unsigned, // no signature header at all
};

QString inboxVerdictKey(InboxVerdict verdict); // "valid", "invalid", "stale", "unsigned"
InboxVerdict inboxVerdictFromKey(const QString &key);

// How one inbox answers, and the secret it verifies with besides those of
// the hooks pointing at it.
struct InboxSettings
{
    static constexpr int DefaultStatus = 200;
    static constexpr int MaxDelayMs = 60000;
    static constexpr int MaxBodyBytes = 64 * 1024;
    static constexpr int MaxNameLength = 64;

    QString name;
    int status = DefaultStatus;
    int delayMs = 0;
    QByteArray body = defaultBody();
    QString secret;
    SignatureScheme signature = SignatureScheme::None;

    static QByteArray defaultBody() { return QByteArrayLiteral("{\"ok\": true}"); }
    // Letters, digits, '.', '_', '-' and '~', at most 64: a name that sits in
    // a URL path unencoded.
    static bool isValidName(const QString &name);

    friend bool operator==(const InboxSettings &, const InboxSettings &) = default;
};

// One request the local inbox received. Headers are stored with credential
// values masked; the verdict was reached on the request as it arrived.
struct InboxRequest
{
    static constexpr qint64 MaxStoredBodyBytes = 1024 * 1024;

    qint64 id = 0;
    QString inbox;
    QDateTime receivedAt;
    QString remoteAddress;
    QString method;
    QString path;
    QString query;
    HeaderList headers; // masked
    QByteArray body;    // the first MaxStoredBodyBytes
    qint64 size = 0;    // the whole body's size
    InboxVerdict verdict = InboxVerdict::Unsigned;
    QString reason;

    bool isTruncated() const { return size > body.size(); }
};

Q_DECLARE_METATYPE(InboxVerdict)
