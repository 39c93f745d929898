#pragma once

#include "domain/attempt.h"
#include "domain/inbox.h"
#include "domain/webhook.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QList>
#include <QString>

// A secret the inbox may verify a request with: a hook's that points at the
// inbox, or the inbox's own.
struct InboxSecret
{
    std::optional<qint64> hookId; // empty: the inbox's own secret
    QString secret;
    SignatureScheme scheme = SignatureScheme::None;
};

struct InboxVerification
{
    InboxVerdict verdict = InboxVerdict::Unsigned;
    QString reason; // in words, for the list and the details
};

// Decides the verdict of a received request: which known secret, if any,
// produced its webhook-signature (Standard Webhooks, any of the
// space-separated "v1," entries, as a rotated secret sends several) or its
// X-Hub-Signature-256 (GitHub), and whether webhook-timestamp is within five
// minutes of now.
class SignatureVerifier final
{
    Q_DECLARE_TR_FUNCTIONS(SignatureVerifier)

public:
    static constexpr qint64 ToleranceSeconds = 5 * 60;

    SignatureVerifier() = delete;

    static InboxVerification verify(const HeaderList &headers, const QByteArray &body,
                                    const QList<InboxSecret> &secrets, const QDateTime &now);

    // "the secret of hook 3", "the inbox secret"
    static QString secretName(const InboxSecret &secret);
    static QString schemeName(SignatureScheme scheme);
};
