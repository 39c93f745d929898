#pragma once

#include "attempt.h"
#include "webhook.h"

#include <QString>

// Hides secrets wherever something is shown, logged or exported.
class SecretMask final
{
public:
    SecretMask() = delete;

    // https://user:pass@host/ -> https://user:••••••@host/, and the values
    // of query parameters named token, access_token, key, api_key, apikey,
    // secret, signature, sig or password: ?token=abc -> ?token=••••••
    static QString url(const QString &url);
    // The URL a user edited, starting from url(stored): a password or query
    // value still shown as the mask is the stored one again.
    static QString unmaskUrl(const QString &edited, const QString &stored);
    // Values of the hook's secret headers and of Authorization are replaced
    // by the mask. Signatures stay: an HMAC does not reveal its key, and the
    // receiver's developer needs to see it.
    static HeaderList headers(const HeaderList &headers, const Webhook &hook);
    static bool isSecretHeader(const QString &name, const Webhook &hook);
    // A header whose name says it carries credentials: Authorization,
    // Proxy-Authorization, Cookie, Set-Cookie, X-Api-Key, or a name holding
    // "token", "secret", "password" or "key". For headers that arrive from
    // outside (the local inbox), where no hook says which are secret.
    static bool looksLikeCredentialHeader(const QString &name);
};
