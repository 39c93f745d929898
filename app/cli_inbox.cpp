#include "cli_inbox.h"

#include "cli_output.h"
#include "cli_parser.h"
#include "cli_session.h"
#include "io/log_exporter.h"
#include "store/inbox_store.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QLocale>

namespace {

QString prettyBody(const QByteArray &body)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(body, &error);
    if (error.error == QJsonParseError::NoError && !document.isNull())
        return QString::fromUtf8(document.toJson(QJsonDocument::Indented)).trimmed();
    return QString::fromUtf8(body);
}

QString localTime(const QDateTime &time)
{
    return time.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
}

QString sizeText(qint64 bytes)
{
    return QLocale::c().formattedDataSize(bytes, 1, QLocale::DataSizeTraditionalFormat);
}

bool parseNumber(const QString &text, int *value)
{
    bool ok = false;
    *value = text.trimmed().toInt(&ok);
    return ok;
}

QString settingsText(const InboxSettings &settings)
{
    QString secret = CliInbox::tr("none");
    if (settings.signature != SignatureScheme::None)
        secret = maskedSecret() + QStringLiteral(" (") + signatureSchemeKey(settings.signature) +
                 QLatin1Char(')');
    return CliOutput::keyValues({
        {CliInbox::tr("inbox"), settings.name},
        {CliInbox::tr("status"), QString::number(settings.status)},
        {CliInbox::tr("delay_ms"), QString::number(settings.delayMs)},
        {CliInbox::tr("body"),
         settings.body.isEmpty() ? CliInbox::tr("(empty)") : QString::fromUtf8(settings.body)},
        {CliInbox::tr("secret"), secret},
    });
}

} // namespace

QString CliInbox::usage()
{
    return tr("The local inbox (POST /inbox/NAME on the listener), for trying hooks:\n"
              "  inbox set NAME [--status N] [--delay-ms N] [--body JSON]\n"
              "            [--secret S --signature standard|github] [--no-secret]\n"
              "      How the inbox answers (default 200 {\"ok\": true}, no delay) and its own\n"
              "      secret; hooks whose URL points at it are verified with theirs.\n"
              "  inbox list [--name NAME] [--limit N] [--json]\n"
              "      What it received, newest first (default: the last %1), with the verdict:\n"
              "      valid, invalid, stale or unsigned. Each inbox keeps its newest %2.\n"
              "  inbox show ID [--json]\n"
              "  inbox clear NAME\n")
        .arg(DefaultLimit)
        .arg(InboxStore::MaxRequestsPerInbox);
}

int CliInbox::run(CliSession &session, const QStringList &args)
{
    const QString command = args.value(0);
    if (command == QLatin1String("set"))
        return set(session, args.mid(1));
    if (command == QLatin1String("list"))
        return list(session, args.mid(1));
    if (command == QLatin1String("show"))
        return show(session, args.mid(1));
    if (command == QLatin1String("clear"))
        return clear(session, args.mid(1));
    CliParser parser(QStringLiteral("inbox"));
    return parser.usageError(
        command.isEmpty()
            ? tr("Say what to do: set, list, show or clear.")
            : tr("There is no \"inbox %1\": use set, list, show or clear.").arg(command));
}

QJsonObject CliInbox::toJson(const InboxRequest &r)
{
    return QJsonObject{
        {QStringLiteral("id"), r.id},
        {QStringLiteral("inbox"), r.inbox},
        {QStringLiteral("received_at"), r.receivedAt.toUTC().toString(Qt::ISODateWithMs)},
        {QStringLiteral("remote_address"), r.remoteAddress},
        {QStringLiteral("method"), r.method},
        {QStringLiteral("path"), r.path},
        {QStringLiteral("query"), r.query},
        {QStringLiteral("verdict"), inboxVerdictKey(r.verdict)},
        {QStringLiteral("reason"), r.reason},
        {QStringLiteral("size"), r.size},
        {QStringLiteral("truncated"), r.isTruncated()},
        {QStringLiteral("headers"), LogExporter::headersObject(r.headers)},
        {QStringLiteral("body"), LogExporter::bodyValue(r.body)},
    };
}

int CliInbox::set(CliSession &session, const QStringList &args)
{
    CliParser parser(QStringLiteral("inbox set"));
    parser.addValue(QStringLiteral("status"));
    parser.addValue(QStringLiteral("delay-ms"));
    parser.addValue(QStringLiteral("body"));
    parser.addValue(QStringLiteral("secret"));
    parser.addValue(QStringLiteral("signature"));
    parser.addFlag(QStringLiteral("no-secret"));
    if (const QString e = parser.parse(args, 1, 1, tr("the NAME of an inbox")); !e.isEmpty())
        return parser.usageError(e);
    const QString name = parser.arguments().first();
    if (!InboxSettings::isValidName(name))
        return CliOutput::fail(ExitCode::InvalidInput,
                               tr("An inbox name is 1 to %1 letters, digits, '.', '_', '-' or "
                                  "'~', not \"%2\".")
                                   .arg(InboxSettings::MaxNameLength)
                                   .arg(name));
    const bool hasSecret = parser.isSet(QStringLiteral("secret"));
    const bool hasScheme = parser.isSet(QStringLiteral("signature"));
    if (parser.isSet(QStringLiteral("no-secret")) && (hasSecret || hasScheme))
        return CliOutput::fail(ExitCode::InvalidInput,
                               tr("--no-secret removes the secret; it cannot go with --secret or "
                                  "--signature."));
    if (hasSecret != hasScheme)
        return CliOutput::fail(ExitCode::InvalidInput,
                               tr("--secret and --signature standard|github go together."));
    std::optional<SignatureScheme> scheme;
    if (hasScheme) {
        scheme = signatureSchemeFromKey(parser.value(QStringLiteral("signature")));
        if (!scheme || *scheme == SignatureScheme::None)
            return CliOutput::fail(ExitCode::InvalidInput,
                                   tr("--signature is standard or github, not \"%1\".")
                                       .arg(parser.value(QStringLiteral("signature"))));
    }
    int status = 0;
    if (parser.isSet(QStringLiteral("status")) &&
        !parseNumber(parser.value(QStringLiteral("status")), &status))
        return CliOutput::fail(ExitCode::InvalidInput,
                               tr("--status takes an HTTP status code, not \"%1\".")
                                   .arg(parser.value(QStringLiteral("status"))));
    int delay = 0;
    if (parser.isSet(QStringLiteral("delay-ms")) &&
        !parseNumber(parser.value(QStringLiteral("delay-ms")), &delay))
        return CliOutput::fail(ExitCode::InvalidInput,
                               tr("--delay-ms takes a whole number of milliseconds, not \"%1\".")
                                   .arg(parser.value(QStringLiteral("delay-ms"))));

    if (auto e = session.open())
        return CliOutput::fail(*e);
    InboxStore store(&session.database());
    Result<InboxSettings> current = store.settings(name);
    if (!current)
        return CliOutput::fail(current.error());
    InboxSettings settings = current.value();
    if (parser.isSet(QStringLiteral("status")))
        settings.status = status;
    if (parser.isSet(QStringLiteral("delay-ms")))
        settings.delayMs = delay;
    if (parser.isSet(QStringLiteral("body")))
        settings.body = parser.value(QStringLiteral("body")).toUtf8();
    if (parser.isSet(QStringLiteral("no-secret"))) {
        settings.secret.clear();
        settings.signature = SignatureScheme::None;
    }
    if (hasSecret) {
        settings.secret = parser.value(QStringLiteral("secret"));
        settings.signature = *scheme;
    }
    if (const QString e = InboxStore::checkSettings(settings); !e.isEmpty())
        return CliOutput::fail(ExitCode::InvalidInput, e);
    if (const Status saved = store.saveSettings(settings); !saved)
        return CliOutput::fail(saved.error());
    CliOutput::print(settingsText(settings));
    return int(ExitCode::Success);
}

int CliInbox::list(CliSession &session, const QStringList &args)
{
    CliParser parser(QStringLiteral("inbox list"));
    parser.addValue(QStringLiteral("name"));
    parser.addValue(QStringLiteral("limit"));
    parser.addFlag(QStringLiteral("json"));
    if (const QString e = parser.parse(args, 0, 0); !e.isEmpty())
        return parser.usageError(e);
    const QString name = parser.value(QStringLiteral("name"));
    if (parser.isSet(QStringLiteral("name")) && !InboxSettings::isValidName(name))
        return CliOutput::fail(ExitCode::InvalidInput,
                               tr("An inbox name is 1 to %1 letters, digits, '.', '_', '-' or "
                                  "'~', not \"%2\".")
                                   .arg(InboxSettings::MaxNameLength)
                                   .arg(name));
    int limit = DefaultLimit;
    if (parser.isSet(QStringLiteral("limit")) &&
        (!parseNumber(parser.value(QStringLiteral("limit")), &limit) || limit < 1 ||
         limit > 100000))
        return CliOutput::fail(ExitCode::InvalidInput,
                               tr("--limit takes a number from 1 to 100000, not \"%1\".")
                                   .arg(parser.value(QStringLiteral("limit"))));

    if (auto e = session.open())
        return CliOutput::fail(*e);
    const InboxStore store(&session.database());
    const bool json = parser.isSet(QStringLiteral("json"));
    const Result<QList<InboxRequest>> rows = store.requests(name, 0, limit, json);
    if (!rows)
        return CliOutput::fail(rows.error());
    if (json) {
        QJsonArray array;
        for (const InboxRequest &r : rows.value())
            array.append(toJson(r));
        CliOutput::printJson(array);
        return int(ExitCode::Success);
    }
    if (rows->isEmpty()) {
        CliOutput::print(name.isEmpty()
                             ? tr("No requests received. Point a hook at "
                                  "http://127.0.0.1:PORT/inbox/NAME and send a test to it.")
                             : tr("The inbox %1 has received nothing.").arg(name));
        return int(ExitCode::Success);
    }
    QList<QStringList> table;
    for (const InboxRequest &r : rows.value())
        table.append({QString::number(r.id), localTime(r.receivedAt), r.inbox, r.method,
                      sizeText(r.size), inboxVerdictKey(r.verdict), r.reason});
    CliOutput::print(CliOutput::table({tr("ID"), tr("RECEIVED"), tr("INBOX"), tr("METHOD"),
                                       tr("SIZE"), tr("VERDICT"), tr("REASON")},
                                      table));
    return int(ExitCode::Success);
}

int CliInbox::show(CliSession &session, const QStringList &args)
{
    CliParser parser(QStringLiteral("inbox show"));
    parser.addFlag(QStringLiteral("json"));
    if (const QString e = parser.parse(args, 1, 1, tr("the ID of a received request"));
        !e.isEmpty())
        return parser.usageError(e);
    bool ok = false;
    const qint64 id = parser.arguments().first().toLongLong(&ok);
    if (!ok || id <= 0)
        return CliOutput::fail(ExitCode::InvalidInput,
                               tr("\"%1\" is not the ID of a received request; \"inbox list\" "
                                  "shows them.")
                                   .arg(parser.arguments().first()));
    if (auto e = session.open())
        return CliOutput::fail(*e);
    const InboxStore store(&session.database());
    const Result<InboxRequest> request = store.request(id);
    if (!request)
        return CliOutput::fail(request.error());
    const InboxRequest &r = request.value();
    if (parser.isSet(QStringLiteral("json"))) {
        CliOutput::printJson(toJson(r));
        return int(ExitCode::Success);
    }
    QStringList headerLines;
    for (const auto &[name, value] : r.headers)
        headerLines.append(name + QStringLiteral(": ") + value);
    QString size = sizeText(r.size);
    if (r.isTruncated())
        size += tr(" (the first %1 are stored)").arg(sizeText(r.body.size()));
    const QString target = r.query.isEmpty() ? r.path : r.path + QLatin1Char('?') + r.query;
    CliOutput::print(CliOutput::keyValues({
        {tr("id"), QString::number(r.id)},
        {tr("inbox"), r.inbox},
        {tr("received_at"), localTime(r.receivedAt)},
        {tr("from"), r.remoteAddress},
        {tr("request"), r.method + QLatin1Char(' ') + target},
        {tr("verdict"), inboxVerdictKey(r.verdict)},
        {tr("reason"), r.reason},
        {tr("size"), size},
        {tr("headers"), headerLines.isEmpty() ? tr("(none)") : headerLines.join(QLatin1Char('\n'))},
        {tr("body"), r.body.isEmpty() ? tr("(empty)") : prettyBody(r.body)},
    }));
    return int(ExitCode::Success);
}

int CliInbox::clear(CliSession &session, const QStringList &args)
{
    CliParser parser(QStringLiteral("inbox clear"));
    if (const QString e = parser.parse(args, 1, 1, tr("the NAME of an inbox")); !e.isEmpty())
        return parser.usageError(e);
    const QString name = parser.arguments().first();
    if (!InboxSettings::isValidName(name))
        return CliOutput::fail(ExitCode::InvalidInput,
                               tr("An inbox name is 1 to %1 letters, digits, '.', '_', '-' or "
                                  "'~', not \"%2\".")
                                   .arg(InboxSettings::MaxNameLength)
                                   .arg(name));
    if (auto e = session.open())
        return CliOutput::fail(*e);
    InboxStore store(&session.database());
    const Result<QStringList> names = store.inboxNames();
    if (!names)
        return CliOutput::fail(names.error());
    if (!names->contains(name))
        return CliOutput::fail(ExitCode::InvalidInput,
                               tr("There is no inbox \"%1\"; \"inbox list\" shows what was "
                                  "received.")
                                   .arg(name));
    const Result<int> cleared = store.clear(name);
    if (!cleared)
        return CliOutput::fail(cleared.error());
    CliOutput::print(tr("Deleted %1 requests from the inbox %2.").arg(cleared.value()).arg(name));
    return int(ExitCode::Success);
}
