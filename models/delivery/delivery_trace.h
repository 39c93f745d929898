#pragma once

#include <QCoreApplication>
#include <QDateTime>
#include <QNetworkReply>
#include <QString>
#include <QStringList>
#include <optional>

// What the dispatcher saw of one attempt, turned into the readable account
// the log's Trace tab shows.
struct DeliveryTrace
{
    Q_DECLARE_TR_FUNCTIONS(DeliveryTrace)

public:
    enum class Phase { Queued, Connecting, Sending, AwaitingResponse, Reading, Done };

    QString url; // masked
    QString method = QStringLiteral("POST");
    QString protocol; // "HTTP/1.1", "HTTP/2"; empty when no answer says which
    Phase phase = Phase::Queued;
    QDateTime startedAt;
    qint64 connectingAtMs = -1; // relative to start
    qint64 encryptedAtMs = -1;
    qint64 requestSentAtMs = -1;
    qint64 firstByteAtMs = -1;
    qint64 finishedAtMs = -1;
    int statusCode = 0;
    QString reasonPhrase;
    QNetworkReply::NetworkError networkError = QNetworkReply::NoError;
    QString qtErrorText;
    bool timedOut = false;
    int timeoutSeconds = 0;
    QStringList tlsErrors;
    bool tlsVerificationOff = false; // the errors were ignored on the hook's say-so
    QString location;                // redirect target
    std::optional<qint64> retryAfterSeconds;
    qint64 responseBytes = 0;
    bool responseTruncated = false;
    int attempt = 1;
    int maxAttempts = 1;
    std::optional<QDateTime> nextAttemptAt;
    QString deactivated; // why the hook was switched off, if it was
    QString notRetried;  // why a failure ends the delivery at once
    bool probe = false;  // the circuit breaker's probe of a paused hook

    // dns, refused, timeout, tls, reset, protocol, http; empty on success.
    QString errorKind() const;
    // One line: "HTTP 500 Internal Server Error", "connection refused", ...
    QString summary() const;
    QString text() const;

    static QString phaseName(Phase phase);
    static QString networkErrorName(QNetworkReply::NetworkError error);
};
