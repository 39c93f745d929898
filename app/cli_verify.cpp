#include "cli_verify.h"

#include "cli_output.h"
#include "cli_parser.h"
#include "cli_session.h"
#include "delivery/delivery_store.h"
#include "delivery/signature.h"
#include "domain/time_window.h"
#include "store/secret_rotation_store.h"

#include <QFile>
#include <QRegularExpression>

namespace {

// What was checked and against which secrets, for the messages.
struct Subject
{
    SignatureScheme scheme = SignatureScheme::Standard;
    QStringList secrets;
    QStringList secretNames; // in words, one per secret, never the secret
    HeaderList headers;
    QByteArray body;
    QDateTime now; // the receiver's clock: the attempt's send time for --attempt
    qint64 toleranceSeconds = Signature::DefaultToleranceSeconds;
};

// "Name: value" lines, as a receiver dumps them. A request line first
// ("POST /hook HTTP/1.1") is skipped, and a blank line after the headers
// ends them (a whole request may follow with its body).
std::optional<HeaderList> readHeaders(const QByteArray &text, QString *error)
{
    static const QRegularExpression requestLine(QStringLiteral("^[A-Z]+ \\S+ HTTP/\\d(\\.\\d)?$"));
    HeaderList headers;
    const QList<QByteArray> lines = text.split('\n');
    for (qsizetype i = 0; i < lines.size(); ++i) {
        const QString line = QString::fromUtf8(lines.at(i)).trimmed();
        if (line.isEmpty()) {
            if (!headers.isEmpty())
                break;
            continue;
        }
        if (headers.isEmpty() && requestLine.match(line).hasMatch())
            continue;
        const qsizetype colon = line.indexOf(QLatin1Char(':'));
        if (colon <= 0) {
            *error = CliVerify::tr("line %1 is not \"Name: value\"").arg(i + 1);
            return std::nullopt;
        }
        headers.append({line.left(colon).trimmed(), line.mid(colon + 1).trimmed()});
    }
    return headers;
}

std::optional<QByteArray> readFile(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = CliVerify::tr("Cannot read \"%1\": %2.").arg(path, file.errorString());
        return std::nullopt;
    }
    return file.readAll();
}

QString secondsAway(qint64 offset)
{
    return offset < 0 ? CliVerify::tr("%1 seconds in the past").arg(-offset)
                      : CliVerify::tr("%1 seconds in the future").arg(offset);
}

int report(const Subject &subject)
{
    const SignatureCheck check =
        Signature::verify(subject.scheme, subject.secrets, subject.headers, subject.body,
                          subject.now, subject.toleranceSeconds);
    using Outcome = SignatureCheck::Outcome;
    switch (check.outcome) {
    case Outcome::Valid: {
        const QString secret = subject.secretNames.value(check.matchedSecret);
        if (subject.scheme == SignatureScheme::GitHub)
            //: %1 names the secret, e.g. "the hook's current secret"
            CliOutput::print(CliVerify::tr("Valid: X-Hub-Signature-256 matches %1.").arg(secret));
        else
            //: %1 names the secret, %2 e.g. "3 seconds in the past"
            CliOutput::print(CliVerify::tr("Valid: webhook-signature matches %1; "
                                           "webhook-timestamp is %2.")
                                 .arg(secret, secondsAway(check.offsetSeconds)));
        return int(ExitCode::Success);
    }
    case Outcome::MissingHeader:
        return CliOutput::fail(ExitCode::NotVerified,
                               CliVerify::tr("Not valid: missing header %1.").arg(check.header));
    case Outcome::MalformedTimestamp:
        return CliOutput::fail(ExitCode::NotVerified,
                               CliVerify::tr("Not valid: webhook-timestamp is not a number of "
                                             "seconds since 1970."));
    case Outcome::Mismatch:
        //: %1 is the signature header, %2 how many secrets were tried
        return CliOutput::fail(
            ExitCode::NotVerified,
            CliVerify::tr("Not valid: signature mismatch: %1 matches none of the %2 secret(s) "
                          "for this body (a changed body, a re-serialised one instead of the "
                          "raw bytes, or the wrong secret).")
                .arg(check.header)
                .arg(subject.secrets.size()));
    case Outcome::StaleTimestamp:
        //: %1 e.g. "600 seconds in the past", %2 the tolerance in seconds
        return CliOutput::fail(
            ExitCode::NotVerified,
            CliVerify::tr("Not valid: stale timestamp: the signature matches, but "
                          "webhook-timestamp is %1 (more than %2 seconds).")
                .arg(secondsAway(check.offsetSeconds))
                .arg(subject.toleranceSeconds));
    }
    return int(ExitCode::NotVerified);
}

} // namespace

QString CliVerify::usage()
{
    return tr("Checking a request's signature as its receiver would (exit 0 valid, 3 not):\n"
              "  verify --secret S [--signature standard|github] --headers FILE --body FILE\n"
              "      FILE of headers: \"Name: value\" lines, as a receiver dumps them; the\n"
              "      body file holds the raw bytes received. --secret may be repeated (a\n"
              "      rotation's old and new secret).\n"
              "  verify --attempt ID\n"
              "      Checks a logged attempt's request again with its hook's secret and the\n"
              "      previous secrets that are still valid; the timestamp against the time\n"
              "      it was sent.\n"
              "  Both: [--tolerance DURATION] how far webhook-timestamp may be from now\n"
              "      (default 5m; Standard Webhooks only).\n");
}

int CliVerify::run(CliSession &session, const QStringList &args)
{
    CliParser parser(QStringLiteral("verify"));
    parser.addValue(QStringLiteral("secret"), true);
    parser.addValue(QStringLiteral("signature"));
    parser.addValue(QStringLiteral("headers"));
    parser.addValue(QStringLiteral("body"));
    parser.addValue(QStringLiteral("attempt"));
    parser.addValue(QStringLiteral("tolerance"));
    if (const QString e = parser.parse(args, 0, 0); !e.isEmpty())
        return parser.usageError(e);
    const bool fromLog = parser.isSet(QStringLiteral("attempt"));
    const bool fromFiles =
        parser.isSet(QStringLiteral("secret")) || parser.isSet(QStringLiteral("headers")) ||
        parser.isSet(QStringLiteral("body")) || parser.isSet(QStringLiteral("signature"));
    if (fromLog == fromFiles)
        return parser.usageError(
            tr("Give either --attempt ID, or --secret, --headers and --body."));
    if (fromFiles &&
        (!parser.isSet(QStringLiteral("secret")) || !parser.isSet(QStringLiteral("headers")) ||
         !parser.isSet(QStringLiteral("body"))))
        return parser.usageError(tr("--secret, --headers and --body go together."));

    Subject subject;
    if (parser.isSet(QStringLiteral("tolerance"))) {
        const auto seconds = TimeWindow::parseDuration(parser.value(QStringLiteral("tolerance")));
        if (!seconds)
            return CliOutput::fail(ExitCode::InvalidInput,
                                   tr("--tolerance \"%1\" is not a duration such as 300, 5m or 1h.")
                                       .arg(parser.value(QStringLiteral("tolerance"))));
        subject.toleranceSeconds = *seconds;
    }

    if (fromFiles) {
        const QString schemeKey = parser.isSet(QStringLiteral("signature"))
                                      ? parser.value(QStringLiteral("signature"))
                                      : QStringLiteral("standard");
        const auto scheme = signatureSchemeFromKey(schemeKey);
        if (!scheme || *scheme == SignatureScheme::None)
            return CliOutput::fail(
                ExitCode::InvalidInput,
                tr("--signature \"%1\" is not standard or github.").arg(schemeKey));
        subject.scheme = *scheme;
        subject.secrets = parser.values(QStringLiteral("secret"));
        for (qsizetype i = 0; i < subject.secrets.size(); ++i) {
            const QString &secret = subject.secrets.at(i);
            if (secret.isEmpty())
                return CliOutput::fail(ExitCode::InvalidInput, tr("--secret is empty."));
            if (subject.scheme == SignatureScheme::Standard &&
                Signature::standard(secret, QStringLiteral("msg"), 0, {}).isEmpty())
                return CliOutput::fail(ExitCode::InvalidInput,
                                       tr("A Standard Webhooks secret is \"whsec_\" followed by "
                                          "base64 (--secret number %1 is not).")
                                           .arg(i + 1));
            subject.secretNames.append(subject.secrets.size() == 1
                                           ? tr("the secret given")
                                           : tr("secret number %1 given").arg(i + 1));
        }
        QString error;
        const auto headerText = readFile(parser.value(QStringLiteral("headers")), &error);
        if (!headerText)
            return CliOutput::fail(ExitCode::InvalidInput, error);
        const auto headers = readHeaders(*headerText, &error);
        if (!headers)
            return CliOutput::fail(ExitCode::InvalidInput, parser.value(QStringLiteral("headers")) +
                                                               QStringLiteral(": ") + error +
                                                               QLatin1Char('.'));
        subject.headers = *headers;
        const auto body = readFile(parser.value(QStringLiteral("body")), &error);
        if (!body)
            return CliOutput::fail(ExitCode::InvalidInput, error);
        subject.body = *body;
        subject.now = QDateTime::currentDateTimeUtc();
        return report(subject);
    }

    bool ok = false;
    const qint64 attemptId = parser.value(QStringLiteral("attempt")).toLongLong(&ok);
    if (!ok || attemptId <= 0)
        return CliOutput::fail(ExitCode::InvalidInput,
                               tr("\"%1\" is not an attempt id; \"deliveries\" lists them.")
                                   .arg(parser.value(QStringLiteral("attempt"))));
    if (auto e = session.open())
        return CliOutput::fail(*e);
    DeliveryStore deliveries(&session.database());
    Result<Attempt> attempt = deliveries.attempt(attemptId);
    if (!attempt)
        return CliOutput::fail(attempt.error());
    if (!attempt->startedAt.isValid() || attempt->requestHeaders.isEmpty())
        return CliOutput::fail(ExitCode::InvalidInput,
                               tr("Attempt %1 has not sent a request (yet).").arg(attemptId));
    Result<Webhook> hook = session.store().hook(attempt->webhookId);
    if (!hook)
        return CliOutput::fail(hook.error());
    if (hook->signature == SignatureScheme::None || hook->secret.isEmpty())
        return CliOutput::fail(ExitCode::InvalidInput,
                               tr("Webhook %1 does not sign its requests; there is nothing to "
                                  "verify.")
                                   .arg(hook->id));
    const QDateTime now = QDateTime::currentDateTimeUtc();
    Result<QList<PreviousSecret>> previous =
        SecretRotationStore(&session.database()).previousSecrets(hook->id, now);
    if (!previous)
        return CliOutput::fail(previous.error());
    subject.scheme = hook->signature;
    subject.secrets.append(hook->secret);
    subject.secretNames.append(tr("the current secret of webhook %1").arg(hook->id));
    for (const PreviousSecret &secret : previous.value()) {
        subject.secrets.append(secret.secret);
        subject.secretNames.append(
            tr("a previous secret of webhook %1 (valid until %2)")
                .arg(hook->id)
                .arg(secret.validUntil.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm 'UTC'"))));
    }
    subject.headers = attempt->requestHeaders;
    subject.body = attempt->requestBody;
    subject.now = attempt->startedAt;
    return report(subject);
}
