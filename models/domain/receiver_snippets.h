#pragma once

#include "webhook.h"

#include <QList>
#include <QString>

// Short receiver code that verifies a hook's signatures, for the person who
// writes the receiver: Python, Node.js and Go, standard library only. Each
// verifies the raw body (the classic mistake is to verify re-serialised
// JSON), compares in constant time, checks webhook-timestamp against a five
// minute tolerance for Standard Webhooks, and reads the secret from the
// environment variable SecretVariable: a snippet never holds a real secret.
// As a script it serves on 127.0.0.1:8000 (204 when valid, 401 when not);
// imported, its verify(headers, raw_body) is what a receiver calls.
class ReceiverSnippets final
{
public:
    enum class Language { Python, NodeJs, Go };

    static constexpr const char *SecretVariable = "WEBHOOK_SECRET";

    ReceiverSnippets() = delete;

    static QList<Language> languages();
    // "Python", "Node.js", "Go": names, not words to translate.
    static QString languageName(Language language);
    // The code for the scheme; empty for SignatureScheme::None.
    static QString snippet(SignatureScheme scheme, Language language);
};
