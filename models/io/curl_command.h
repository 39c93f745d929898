#pragma once

#include "domain/attempt.h"

#include <QString>
#include <QStringList>

// A curl command line that sends an attempt's request again, for pasting into
// a shell. Secrets are never in it: the stored request is masked already, and
// every masked value (a secret header, Authorization, the URL's password)
// becomes a shell variable the user sets, e.g. "$WEBHOOK_SECRET_AUTHORIZATION".
class CurlCommand final
{
public:
    CurlCommand() = delete;

    // `attempt` read with details. A pending attempt has not recorded its
    // headers yet; the command then carries Content-Type only.
    // variables, when given, receives the shell variables the command needs.
    static QString build(const Attempt &attempt, QStringList *variables = nullptr);

    // The same request signed again with the current time, for receivers
    // that reject a timestamp older than a few minutes: a small shell script
    // that computes the signature with openssl from $WEBHOOK_SIGNING_SECRET.
    // Empty when the attempt was not signed.
    static QString buildSigningNow(const Attempt &attempt, QStringList *variables = nullptr);
    static QString signingSecretVariable() { return QStringLiteral("WEBHOOK_SIGNING_SECRET"); }

    // "X-Api-Key" -> "WEBHOOK_SECRET_X_API_KEY" (without the $).
    static QString secretVariable(const QString &headerName);
    static QString urlPasswordVariable() { return QStringLiteral("WEBHOOK_URL_PASSWORD"); }

    // 'text' for a POSIX shell: single quotes, a ' written as '\''.
    static QString shellQuote(const QString &text);
};
