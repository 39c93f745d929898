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

// A per-hook throttle: at most `count` requests per second or per minute,
// spaced evenly (a token bucket holding one token). count 0: no limit.
struct RateLimit
{
    static constexpr int MaxCount = 10000;

    int count = 0;
    int periodSeconds = 1; // 1 or 60

    bool isSet() const { return count > 0; }
    // The time one token takes to come back.
    double intervalMs() const { return count > 0 ? periodSeconds * 1000.0 / count : 0.0; }
    // "5/s", "10/min"; empty when unset.
    QString key() const;
    // "5/s", "5/sec", "300/min", "" (unset); nothing when malformed or out of range.
    static std::optional<RateLimit> fromKey(const QString &text);

    friend bool operator==(const RateLimit &, const RateLimit &) = default;
};

// A signing secret that was rotated out and still signs until validUntil,
// so receivers can switch over without rejecting a request.
struct PreviousSecret
{
    static constexpr int MaxKept = 5;

    QString secret;
    QDateTime validUntil;

    friend bool operator==(const PreviousSecret &, const PreviousSecret &) = default;
};

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
    static constexpr int MaxInFlightLimit = 64;

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
    // Read for sending only (DeliveryStore::claim), newest first; the
    // settings page reads them from SecretRotationStore.
    QList<PreviousSecret> previousSecrets;
    int timeoutSeconds = defaultTimeoutSeconds();
    int maxAttempts = DefaultMaxAttempts;
    // Off only on purpose, for a receiver with a self-signed certificate.
    bool verifyTls = true;
    HttpVersion httpVersion = HttpVersion::Auto;
    // What is sent, and at what pace (see DESIGN.md, "Deciding what to send").
    QString filter;              // PayloadFilter JSON; empty: every event is sent
    RateLimit rateLimit;         // unset: as fast as the engine goes
    int maxInFlight = 0;         // 0: the engine's per-host limit
    QString retryOn;             // RetryOn list; empty: RetryOn::defaultKey()
    QList<qint64> retrySchedule; // seconds before each attempt; empty: the file's schedule
    int consecutiveFailures = 0; // read-only state: failed deliveries in a row
    QString disabledReason;      // read-only state, kept by the engine
    // Read-only circuit-breaker state: while paused, one probe at a time.
    QDateTime pausedAt; // invalid: not paused
    QDateTime nextProbeAt;
    QString pauseReason;
    QString lastError; // the last failed attempt's summary
    QDateTime createdAt;
    QDateTime updatedAt;

    bool isOrganizationWide() const { return !projectId.has_value(); }
    bool isPaused() const { return pausedAt.isValid(); }

    // WEBHOOK_TIMEOUT (seconds, Label Studio's name) sets the default timeout,
    // unless the window's preference overrides it (0: no override).
    static int defaultTimeoutSeconds();
    static void setDefaultTimeoutOverride(int seconds);

    friend bool operator==(const Webhook &, const Webhook &) = default;
};

// "active", "paused" or "inactive": one vocabulary for the CLI, --json and the GUI.
QString hookStateKey(const Webhook &hook);

// What a secret is shown as wherever secrets are masked.
inline QString maskedSecret()
{
    return QStringLiteral("••••••");
}
