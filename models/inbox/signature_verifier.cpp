#include "signature_verifier.h"

#include "delivery/signature.h"

#include <QStringList>

namespace {

QString headerValue(const HeaderList &headers, QLatin1String name, bool *present)
{
    for (const auto &[key, value] : headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0) {
            *present = true;
            return value.trimmed();
        }
    }
    *present = false;
    return {};
}

// Equal without leaking where they differ through timing.
bool sameBytes(const QByteArray &a, const QByteArray &b)
{
    if (a.size() != b.size())
        return false;
    unsigned char difference = 0;
    for (qsizetype i = 0; i < a.size(); ++i)
        difference |= static_cast<unsigned char>(a.at(i) ^ b.at(i));
    return difference == 0;
}

QString shortName(const InboxSecret &secret)
{
    return secret.hookId ? SignatureVerifier::tr("hook %1").arg(*secret.hookId)
                         : SignatureVerifier::tr("inbox secret");
}

} // namespace

QString SignatureVerifier::secretName(const InboxSecret &secret)
{
    return secret.hookId ? tr("the secret of hook %1").arg(*secret.hookId) : tr("the inbox secret");
}

QString SignatureVerifier::schemeName(SignatureScheme scheme)
{
    switch (scheme) {
    case SignatureScheme::Standard:
        return tr("Standard Webhooks");
    case SignatureScheme::GitHub:
        return tr("GitHub");
    case SignatureScheme::None:
        break;
    }
    return tr("none");
}

InboxVerification SignatureVerifier::verify(const HeaderList &headers, const QByteArray &body,
                                            const QList<InboxSecret> &secrets, const QDateTime &now)
{
    bool hasStandard = false;
    bool hasGitHub = false;
    bool hasId = false;
    bool hasTimestamp = false;
    const QString standardValue =
        headerValue(headers, QLatin1String("webhook-signature"), &hasStandard);
    const QString gitHubValue =
        headerValue(headers, QLatin1String("X-Hub-Signature-256"), &hasGitHub);
    const QString messageId = headerValue(headers, QLatin1String("webhook-id"), &hasId);
    const QString timestampText =
        headerValue(headers, QLatin1String("webhook-timestamp"), &hasTimestamp);

    if (!hasStandard && !hasGitHub)
        return {InboxVerdict::Unsigned, tr("no webhook-signature or X-Hub-Signature-256 header")};

    bool timestampOk = false;
    const qint64 timestamp = timestampText.toLongLong(&timestampOk);
    if (hasStandard && !hasGitHub) {
        if (!hasId || !hasTimestamp)
            return {InboxVerdict::Invalid,
                    tr("webhook-signature cannot be verified without webhook-id and "
                       "webhook-timestamp")};
        if (!timestampOk)
            return {InboxVerdict::Invalid,
                    tr("webhook-timestamp \"%1\" is not a number of seconds").arg(timestampText)};
    }

    // Every entry of webhook-signature: "v1,<base64>" separated by spaces.
    const QStringList standardEntries = standardValue.split(QLatin1Char(' '), Qt::SkipEmptyParts);
    QStringList tried;
    std::optional<InboxSecret> match;
    for (const InboxSecret &candidate : secrets) {
        if (candidate.secret.isEmpty())
            continue;
        if (candidate.scheme == SignatureScheme::Standard && hasStandard && hasId && timestampOk) {
            tried.append(shortName(candidate));
            const QByteArray expected =
                Signature::standard(candidate.secret, messageId, timestamp, body).toLatin1();
            for (const QString &entry : standardEntries) {
                if (!expected.isEmpty() && sameBytes(entry.toLatin1(), expected))
                    match = candidate;
            }
        } else if (candidate.scheme == SignatureScheme::GitHub && hasGitHub) {
            tried.append(shortName(candidate));
            const QByteArray expected = Signature::github(candidate.secret, body).toLatin1();
            if (sameBytes(gitHubValue.toLower().toLatin1(), expected))
                match = candidate;
        }
        if (match)
            break;
    }

    const QString header = hasStandard && hasGitHub
                               ? tr("webhook-signature and X-Hub-Signature-256")
                           : hasStandard ? QStringLiteral("webhook-signature")
                                         : QStringLiteral("X-Hub-Signature-256");
    if (!match) {
        if (tried.isEmpty())
            return {InboxVerdict::Invalid,
                    tr("%1 cannot be checked: no hook with a matching signing scheme points at "
                       "this inbox, and it has no secret of its own (inbox set NAME --secret S "
                       "--signature standard|github)")
                        .arg(header)};
        //: %1 names the signature header(s), %2 lists what was tried, e.g. "hook 3, inbox secret"
        return {InboxVerdict::Invalid, tr("%1 does not match any secret: tried %2")
                                           .arg(header, tried.join(QLatin1String(", ")))};
    }

    const QString signedWith =
        tr("signed with %1 (%2)").arg(secretName(*match), schemeName(match->scheme));
    if (hasTimestamp && timestampOk) {
        const qint64 offset = timestamp - now.toSecsSinceEpoch();
        if (std::abs(offset) > ToleranceSeconds) {
            const QString away = offset < 0 ? tr("%1 seconds in the past").arg(-offset)
                                            : tr("%1 seconds in the future").arg(offset);
            //: %1 is "signed with ...", %2 e.g. "600 seconds in the past"
            return {InboxVerdict::Stale,
                    tr("%1, but webhook-timestamp is %2 (more than 5 minutes from now)")
                        .arg(signedWith, away)};
        }
    }
    return {InboxVerdict::Valid, signedWith};
}
