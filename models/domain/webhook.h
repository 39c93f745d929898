#pragma once

#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>
#include <optional>

struct HeaderRow
{
    QString name;
    QString value;
    bool secret = false; // masked wherever it is shown or exported

    friend bool operator==(const HeaderRow &, const HeaderRow &) = default;
};

enum class SignatureScheme {
    None,
    Standard, // Standard Webhooks: webhook-signature: v1,<base64 HMAC>
    GitHub,   // X-Hub-Signature-256: sha256=<hex HMAC>
};

QString signatureSchemeKey(SignatureScheme scheme);
std::optional<SignatureScheme> signatureSchemeFromKey(const QString &key);

// Which HTTP the hook speaks.
enum class HttpVersion {
    Auto,  // HTTP/2 over TLS when the receiver offers it (ALPN), else HTTP/1.1
    Http1, // HTTP/1.1 only
    Http2, // HTTP/2 with prior knowledge, also without TLS (h2c)
};

QString httpVersionKey(HttpVersion version); // "auto", "http1", "http2"
std::optional<HttpVersion> httpVersionFromKey(const QString &key);

// A configured outgoing webhook. Field names and defaults follow Label Studio.
struct Webhook
{
    static constexpr int DefaultTimeoutSeconds = 10;
    static constexpr int DefaultMaxAttempts = 8;
    static constexpr int MaxUrlLength = 2048;
    static constexpr int MaxHeaders = 50;
    static constexpr int MaxHeaderValueLength = 8192;
    static constexpr int MaxDescriptionLength = 10000;
    static constexpr int MaxTimeoutSeconds = 300;
    static constexpr int MaxAttemptsLimit = 20;

    qint64 id = 0;
    std::optional<qint64> projectId; // empty: organization-wide
    QString url;
    QString description;
    bool isActive = true;
    bool sendPayload = true;
    bool sendForAllActions = true;
    QStringList actions; // event keys, in catalog order when saved
    QList<HeaderRow> headers;
    QString secret;
    SignatureScheme signature = SignatureScheme::None;
    int timeoutSeconds = defaultTimeoutSeconds();
    int maxAttempts = DefaultMaxAttempts;
    // Off only on purpose, for a receiver with a self-signed certificate.
    bool verifyTls = true;
    HttpVersion httpVersion = HttpVersion::Auto;
    int consecutiveFailures = 0; // read-only state, kept by the engine
    QString disabledReason;      // read-only state, kept by the engine
    QDateTime createdAt;
    QDateTime updatedAt;

    bool isOrganizationWide() const { return !projectId.has_value(); }

    // WEBHOOK_TIMEOUT (seconds, Label Studio's name) sets the default timeout,
    // unless the window's preference overrides it (0: no override).
    static int defaultTimeoutSeconds();
    static void setDefaultTimeoutOverride(int seconds);

    friend bool operator==(const Webhook &, const Webhook &) = default;
};

// What a secret is shown as wherever secrets are masked.
inline QString maskedSecret()
{
    return QStringLiteral("••••••");
}
