#pragma once

#include "domain/attempt.h"

#include <QString>

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
    static QString build(const Attempt &attempt);

    // "X-Api-Key" -> "WEBHOOK_SECRET_X_API_KEY" (without the $).
    static QString secretVariable(const QString &headerName);
    static QString urlPasswordVariable() { return QStringLiteral("WEBHOOK_URL_PASSWORD"); }

    // 'text' for a POSIX shell: single quotes, a ' written as '\''.
    static QString shellQuote(const QString &text);
};
