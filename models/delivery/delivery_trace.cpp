#include "delivery_trace.h"

#include <QMetaEnum>

QString DeliveryTrace::phaseName(Phase phase)
{
    switch (phase) {
    case Phase::Queued:
        return tr("queued (never left this machine)");
    case Phase::Connecting:
        return tr("connecting");
    case Phase::Sending:
        return tr("sending the request");
    case Phase::AwaitingResponse:
        return tr("awaiting the response");
    case Phase::Reading:
        return tr("reading the response");
    case Phase::Done:
        return tr("response received");
    }
    return {};
}

QString DeliveryTrace::networkErrorName(QNetworkReply::NetworkError error)
{
    const QMetaEnum meta = QMetaEnum::fromType<QNetworkReply::NetworkError>();
    const char *key = meta.valueToKey(error);
    return key ? QString::fromLatin1(key) : QString::number(int(error));
}

QString DeliveryTrace::errorKind() const
{
    if (timedOut)
        return QStringLiteral("timeout");
    // Qt sets content and server errors (201-499) for HTTP statuses; the
    // status says more. Below 100 the transport failed, whatever the status.
    const bool transportFailed = networkError != QNetworkReply::NoError && int(networkError) < 100;
    const bool protocolFailed = networkError == QNetworkReply::ProtocolFailure ||
                                networkError == QNetworkReply::ProtocolUnknownError;
    if (!transportFailed && !protocolFailed) {
        if (statusCode >= 200 && statusCode < 300)
            return {};
        if (statusCode > 0)
            return QStringLiteral("http");
    }
    switch (networkError) {
    case QNetworkReply::NoError:
        return QStringLiteral("protocol"); // finished without a status line
    case QNetworkReply::HostNotFoundError:
        return QStringLiteral("dns");
    case QNetworkReply::ConnectionRefusedError:
        return QStringLiteral("refused");
    case QNetworkReply::TimeoutError:
    case QNetworkReply::OperationCanceledError:
        return QStringLiteral("timeout");
    case QNetworkReply::SslHandshakeFailedError:
    case QNetworkReply::InsecureRedirectError:
        return QStringLiteral("tls");
    case QNetworkReply::RemoteHostClosedError:
    case QNetworkReply::TemporaryNetworkFailureError:
    case QNetworkReply::NetworkSessionFailedError:
    case QNetworkReply::UnknownNetworkError:
        return QStringLiteral("reset");
    default:
        break;
    }
    return QStringLiteral("protocol");
}

QString DeliveryTrace::summary() const
{
    const QString kind = errorKind();
    if (kind.isEmpty())
        return tr("HTTP %1 %2").arg(statusCode).arg(reasonPhrase).trimmed();
    if (kind == QLatin1String("http")) {
        QString line = tr("HTTP %1 %2").arg(statusCode).arg(reasonPhrase).trimmed();
        if (!location.isEmpty())
            line += tr(" (redirect to %1, not followed)").arg(location);
        return line;
    }
    if (kind == QLatin1String("timeout"))
        return tr("timed out after %1 s while %2").arg(timeoutSeconds).arg(phaseName(phase));
    if (kind == QLatin1String("dns"))
        return tr("host name not found (DNS)");
    if (kind == QLatin1String("refused"))
        return tr("connection refused");
    if (kind == QLatin1String("tls"))
        return tr("TLS handshake failed");
    if (kind == QLatin1String("reset") && statusCode == 0)
        // Qt reports an unparseable status line the same way as a reset.
        return tr("connection closed before a valid HTTP response arrived (the receiver reset "
                  "it, or does not speak HTTP)");
    if (kind == QLatin1String("reset"))
        return tr("connection closed by the receiver while %1").arg(phaseName(phase));
    // Qt leaves the text empty for some failures; a line that ends in ": "
    // tells the reader nothing.
    if (!qtErrorText.trimmed().isEmpty())
        return tr("protocol error: %1").arg(qtErrorText);
    if (networkError != QNetworkReply::NoError)
        //: %1 is Qt's name for the error, e.g. ProtocolFailure
        return tr("protocol error: the answer was not valid HTTP (%1)")
            .arg(networkErrorName(networkError));
    return tr("protocol error: the connection ended before an HTTP status line arrived");
}

QString DeliveryTrace::text() const
{
    QStringList lines;
    const QString kind = errorKind();
    lines << (kind.isEmpty() ? tr("Delivered: %1").arg(summary())
                             : tr("Failed: %1").arg(summary()));
    lines << (protocol.isEmpty() ? tr("Request: %1 %2").arg(method, url)
                                 : tr("Request: %1 %2 over %3").arg(method, url, protocol));
    if (!kind.isEmpty()) {
        lines << tr("Error kind: %1").arg(kind);
        // Qt's name only: its enum numbers (203 for a 404) read like HTTP statuses.
        if (networkError != QNetworkReply::NoError)
            lines << (qtErrorText.trimmed().isEmpty()
                          ? tr("Qt network error: %1").arg(networkErrorName(networkError))
                          : tr("Qt network error: %1 (%2)")
                                .arg(networkErrorName(networkError), qtErrorText));
    }
    lines << tr("Phase reached: %1").arg(phaseName(phase));
    QStringList timings;
    const auto add = [&](qint64 at, const QString &label) {
        if (at >= 0)
            timings << tr("%1 at %2 ms").arg(label).arg(at);
    };
    add(connectingAtMs, tr("connecting"));
    add(encryptedAtMs, tr("TLS ready"));
    add(requestSentAtMs, tr("request sent"));
    add(firstByteAtMs, tr("response started"));
    add(finishedAtMs, tr("finished"));
    if (startedAt.isValid())
        lines << tr("Started: %1").arg(startedAt.toUTC().toString(Qt::ISODateWithMs));
    if (!timings.isEmpty())
        lines << tr("Timings: %1").arg(timings.join(QStringLiteral(", ")));
    if (timedOut)
        lines << tr("Timeout: %1 s for the whole attempt").arg(timeoutSeconds);
    for (const QString &error : tlsErrors)
        lines << (tlsVerificationOff ? tr("TLS error (ignored: verification is off for this "
                                          "webhook): %1")
                                     : tr("TLS error: %1"))
                     .arg(error);
    if (!location.isEmpty())
        lines << tr("Redirect target: %1 (redirects are not followed)").arg(location);
    if (retryAfterSeconds)
        lines << tr("Retry-After: %1 s").arg(*retryAfterSeconds);
    if (statusCode > 0)
        lines << tr("Response: %1 bytes%2")
                     .arg(responseBytes)
                     .arg(responseTruncated ? tr(", kept the first 64 KiB") : QString());
    lines << tr("Attempt %1 of %2").arg(attempt).arg(maxAttempts);
    if (probe)
        lines << tr("This was the probe of a paused webhook: a success resumes it.");
    if (!deactivated.isEmpty())
        lines << tr("Webhook deactivated: %1").arg(deactivated);
    else if (!notRetried.isEmpty())
        lines << notRetried << tr("The delivery has failed.");
    else if (nextAttemptAt && probe)
        lines << tr("The delivery waits for the next probe.");
    else if (nextAttemptAt)
        lines << tr("Next attempt due: %1").arg(nextAttemptAt->toUTC().toString(Qt::ISODate));
    else if (!kind.isEmpty())
        lines << (attempt >= maxAttempts ? tr("No more attempts: the delivery has failed.")
                                         : tr("No further automatic attempt."));
    return lines.join(QLatin1Char('\n'));
}
