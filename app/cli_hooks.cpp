#include "cli_hooks.h"

#include "cli_output.h"
#include "cli_parser.h"
#include "cli_session.h"
#include "delivery/delivery_store.h"
#include "delivery/filter_trial.h"
#include "delivery/retry_policy.h"
#include "domain/payload_filter.h"
#include "domain/retry_on.h"
#include "domain/secret_mask.h"
#include "domain/time_window.h"
#include "io/label_studio_json.h"
#include "store/hook_stats_store.h"
#include "store/secret_rotation_store.h"

#include <QFile>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>

namespace {

QHash<qint64, QString> projectTitles(CliSession &session)
{
    QHash<qint64, QString> titles;
    Result<QList<Project>> projects = session.store().projects();
    if (projects) {
        for (const Project &project : projects.value())
            titles.insert(project.id, project.title);
    }
    return titles;
}

// The state in words: one vocabulary with --json's "state" and the GUI.
QString stateText(const Webhook &hook)
{
    if (!hook.isActive)
        return CliHooks::tr("inactive");
    if (!hook.isPaused())
        return CliHooks::tr("active");
    const qint64 seconds = QDateTime::currentDateTimeUtc().secsTo(hook.nextProbeAt);
    if (!hook.nextProbeAt.isValid())
        return CliHooks::tr("paused");
    return seconds > 0 ? CliHooks::tr("paused (next probe in %1 s)").arg(seconds)
                       : CliHooks::tr("paused (probe due)");
}

QString httpVersionText(HttpVersion version)
{
    switch (version) {
    case HttpVersion::Http1:
        return CliHooks::tr("http1 (HTTP/1.1 only)");
    case HttpVersion::Http2:
        return CliHooks::tr("http2 (HTTP/2 with prior knowledge)");
    case HttpVersion::Auto:
        break;
    }
    return CliHooks::tr("auto (HTTP/2 where TLS offers it, else HTTP/1.1)");
}

QString formatUtc(const QDateTime &time)
{
    return time.toUTC().toString(QStringLiteral("yyyy-MM-dd HH:mm 'UTC'"));
}

// Never the secrets themselves: how many still sign, and until when.
QString previousSecretsText(const QList<PreviousSecret> &secrets)
{
    if (secrets.isEmpty())
        return CliHooks::tr("(none)");
    QStringList lines;
    for (const PreviousSecret &secret : secrets)
        lines.append(
            CliHooks::tr("%1, valid until %2").arg(maskedSecret(), formatUtc(secret.validUntil)));
    return lines.join(QLatin1Char('\n'));
}

} // namespace

QString CliHooks::usage()
{
    return tr("Webhooks:\n"
              "  hooks list [--json]\n"
              "  hooks show ID [--json]\n"
              "  hooks add --url URL [--project ID] [--event KEY]... [--header 'Name: value']...\n"
              "            [--secret-header 'Name: value']... [--plain-header 'Name: value']...\n"
              "            [--description TEXT] [--inactive]\n"
              "            [--no-payload] [--secret S --signature standard|github]\n"
              "            [--timeout SECONDS] [--max-attempts N] [--no-verify-tls]\n"
              "            [--http auto|http1|http2] [--filter JSON|@FILE]\n"
              "            [--rate-limit N/s|N/min] [--max-in-flight N] [--retry-on LIST]\n"
              "            [--retry-schedule SECONDS,...]\n"
              "      Prints the new webhook's id. --event turns off sending for all events.\n"
              "      --header keeps a credential secret (Authorization, Proxy-Authorization,\n"
              "      Cookie, X-Api-Key, names with token, secret, password or key);\n"
              "      --plain-header does not.\n"
              "      --no-verify-tls accepts any certificate (a self-signed test receiver).\n"
              "      --http: auto (the default) uses HTTP/2 where TLS offers it, http1 never;\n"
              "      http2 speaks HTTP/2 with prior knowledge, also over http (h2c): only\n"
              "      for a receiver known to speak HTTP/2, or every attempt fails.\n"
              "      --filter: only bodies matching this JSON filter are sent, e.g.\n"
              "      '{\"annotation.ground_truth\": true}'; the others are logged as filtered.\n"
              "      --rate-limit: at most N requests a second or a minute (none: no limit).\n"
              "      --max-in-flight: at most N requests at once (1: one after the other).\n"
              "      --retry-on: which failures are retried (default\n"
              "      network,timeout,408,425,429,5xx); others fail at once.\n"
              "      --retry-schedule: seconds before each attempt (default: the file's).\n"
              "  hooks update ID [the options of add] [--active] [--payload] [--all-events]\n"
              "            [--project none] [--clear-headers] [--no-secret] [--verify-tls]\n"
              "            [--no-filter]\n"
              "      Changes only what is given; --header replaces a header of the same name.\n"
              "  hooks remove ID\n"
              "  hooks resume ID           ends a pause of the circuit breaker now\n"
              "  hooks rotate-secret ID [--overlap DURATION] [--expire-old] [--secret S]\n"
              "      Sets a new signing secret (generated unless --secret gives it) and\n"
              "      prints it once. With Standard Webhooks the old secret keeps signing for\n"
              "      the overlap (default 24h; e.g. 30m, 2h, 3d): requests carry both\n"
              "      signatures. --expire-old ends every overlap at once. GitHub's header\n"
              "      has room for one signature: it signs with the new secret at once.\n"
              "  hooks stats [ID] [--json]\n"
              "      Per hook, over 24 hours and over 7 days: deliveries, finished attempts,\n"
              "      success rate, and the median (p50) and p95 duration.\n"
              "  hooks test-filter ID [--data FILE] [--last N]\n"
              "      Runs the hook's filter on its events' sample payloads, on a body in\n"
              "      FILE, or on the last N stored events of its event types.\n"
              "  hooks import FILE|-       Label Studio webhook API JSON; all or nothing\n"
              "  hooks export [FILE] [--include-secrets]\n");
}

int CliHooks::run(CliSession &session, const QStringList &args)
{
    const QString sub = args.value(0);
    const QStringList rest = args.mid(1);
    if (sub == QLatin1String("list"))
        return list(session, rest);
    if (sub == QLatin1String("show"))
        return show(session, rest);
    if (sub == QLatin1String("add"))
        return add(session, rest);
    if (sub == QLatin1String("update"))
        return update(session, rest);
    if (sub == QLatin1String("remove"))
        return remove(session, rest);
    if (sub == QLatin1String("resume"))
        return resume(session, rest);
    if (sub == QLatin1String("rotate-secret"))
        return rotateSecret(session, rest);
    if (sub == QLatin1String("stats"))
        return stats(session, rest);
    if (sub == QLatin1String("test-filter"))
        return testFilter(session, rest);
    if (sub == QLatin1String("import"))
        return importFile(session, rest);
    if (sub == QLatin1String("export"))
        return exportFile(session, rest);
    CliParser parser(QStringLiteral("hooks"));
    if (sub.isEmpty())
        return parser.usageError(tr("Name what to do: list, show, add, update, remove, resume, "
                                    "rotate-secret, stats, test-filter, import or export."));
    return parser.usageError(tr("There is no command \"hooks %1\".").arg(sub));
}

int CliHooks::list(CliSession &session, const QStringList &args)
{
    CliParser parser(QStringLiteral("hooks list"));
    parser.addFlag(QStringLiteral("json"));
    if (const QString e = parser.parse(args, 0, 0); !e.isEmpty())
        return parser.usageError(e);
    if (auto e = session.open())
        return CliOutput::fail(*e);
    Result<QList<Webhook>> hooks = session.store().hooks();
    if (!hooks)
        return CliOutput::fail(hooks.error());

    if (parser.isSet(QStringLiteral("json"))) {
        CliOutput::printJson(LabelStudioJson::toJson(hooks.value(), false));
        return int(ExitCode::Success);
    }
    if (hooks->isEmpty()) {
        CliOutput::print(tr("No webhooks yet. Add one with: %1 hooks add --url URL")
                             .arg(QCoreApplication::applicationName()));
        return int(ExitCode::Success);
    }
    const QHash<qint64, QString> titles = projectTitles(session);
    QList<QStringList> rows;
    for (const Webhook &hook : hooks.value()) {
        const QString scope =
            hook.projectId
                ? tr("project %1 (%2)").arg(*hook.projectId).arg(titles.value(*hook.projectId))
                : tr("organization");
        const QString events =
            hook.sendForAllActions ? tr("all") : hook.actions.join(QStringLiteral(", "));
        rows.append(
            {QString::number(hook.id), stateText(hook), scope, events, SecretMask::url(hook.url)});
    }
    CliOutput::print(
        CliOutput::table({tr("ID"), tr("STATE"), tr("SCOPE"), tr("EVENTS"), tr("URL")}, rows));
    return int(ExitCode::Success);
}

QString CliHooks::describeHook(const Webhook &hook, const QString &projectTitle)
{
    QStringList headers;
    for (const HeaderRow &row : hook.headers)
        headers.append(tr("%1: %2").arg(row.name, row.secret ? maskedSecret() : row.value));
    const QString none = tr("(none)");
    const QString project = hook.projectId ? tr("%1 (%2)").arg(*hook.projectId).arg(projectTitle)
                                           : tr("none (organization-wide)");
    const QString events =
        hook.sendForAllActions ? tr("all") : hook.actions.join(QLatin1Char('\n'));
    return CliOutput::keyValues({
        {tr("ID"), QString::number(hook.id)},
        {tr("URL"), SecretMask::url(hook.url)},
        {tr("Project"), project},
        {tr("Description"), hook.description.isEmpty() ? none : hook.description},
        {tr("Active"), CliOutput::yesNo(hook.isActive)},
        {tr("Send payload"), CliOutput::yesNo(hook.sendPayload)},
        {tr("Events"), events},
        {tr("Headers"), headers.isEmpty() ? none : headers.join(QLatin1Char('\n'))},
        {tr("Signature"),
         hook.signature == SignatureScheme::None ? none : signatureSchemeKey(hook.signature)},
        {tr("Secret"), hook.secret.isEmpty() ? none : maskedSecret()},
        {tr("Previous secrets"), previousSecretsText(hook.previousSecrets)},
        {tr("Timeout"), tr("%1 s").arg(hook.timeoutSeconds)},
        {tr("Max attempts"), QString::number(hook.maxAttempts)},
        {tr("Verify TLS"),
         hook.verifyTls ? CliOutput::yesNo(true) : tr("no (any certificate is accepted)")},
        {tr("HTTP version"), httpVersionText(hook.httpVersion)},
        {tr("Filter"), hook.filter.isEmpty() ? tr("(none: every event is sent)") : hook.filter},
        {tr("Rate limit"), hook.rateLimit.isSet() ? hook.rateLimit.key() : none},
        {tr("Max in flight"), hook.maxInFlight > 0 ? QString::number(hook.maxInFlight)
                                                   : tr("(the engine's per-host limit)")},
        {tr("Retry on"), hook.retryOn.isEmpty() ? RetryOn::defaultKey() : hook.retryOn},
        {tr("Retry schedule"), hook.retrySchedule.isEmpty()
                                   ? tr("(the file's schedule)")
                                   : RetryPolicy::formatSchedule(hook.retrySchedule)},
        {tr("State"), stateText(hook)},
        {tr("Paused because"), hook.isPaused() ? hook.pauseReason : none},
        {tr("Last error"), hook.lastError.isEmpty() ? none : hook.lastError},
        {tr("Consecutive failures"), QString::number(hook.consecutiveFailures)},
        {tr("Disabled because"), hook.disabledReason.isEmpty() ? none : hook.disabledReason},
        {tr("Created"), LabelStudioJson::formatTime(hook.createdAt)},
        {tr("Updated"), LabelStudioJson::formatTime(hook.updatedAt)},
    });
}

int CliHooks::show(CliSession &session, const QStringList &args)
{
    CliParser parser(QStringLiteral("hooks show"));
    parser.addFlag(QStringLiteral("json"));
    if (const QString e = parser.parse(args, 1, 1, tr("a webhook ID")); !e.isEmpty())
        return parser.usageError(e);
    const auto id = parseId(parser.arguments().first());
    if (!id)
        return CliOutput::fail(ExitCode::InvalidInput,
                               tr("\"%1\" is not a webhook id.").arg(parser.arguments().first()));
    if (auto e = session.open())
        return CliOutput::fail(*e);
    Result<Webhook> hook = session.store().hook(*id);
    if (!hook)
        return CliOutput::fail(hook.error());
    if (parser.isSet(QStringLiteral("json"))) {
        CliOutput::printJson(LabelStudioJson::toJson(hook.value(), false));
        return int(ExitCode::Success);
    }
    const QString title =
        hook->projectId ? projectTitles(session).value(*hook->projectId) : QString();
    Webhook shown = hook.value();
    Result<QList<PreviousSecret>> previous =
        SecretRotationStore(&session.database())
            .previousSecrets(*id, QDateTime::currentDateTimeUtc());
    if (!previous)
        return CliOutput::fail(previous.error());
    shown.previousSecrets = previous.value();
    CliOutput::print(describeHook(shown, title));
    return int(ExitCode::Success);
}

void CliHooks::addEditOptions(CliParser &parser, bool forUpdate)
{
    parser.addValue(QStringLiteral("url"));
    parser.addValue(QStringLiteral("project"));
    parser.addValue(QStringLiteral("event"), true);
    parser.addValue(QStringLiteral("header"), true);
    parser.addValue(QStringLiteral("secret-header"), true);
    parser.addValue(QStringLiteral("plain-header"), true);
    parser.addValue(QStringLiteral("description"));
    parser.addFlag(QStringLiteral("inactive"));
    parser.addFlag(QStringLiteral("no-payload"));
    parser.addValue(QStringLiteral("secret"));
    parser.addValue(QStringLiteral("signature"));
    parser.addValue(QStringLiteral("timeout"));
    parser.addValue(QStringLiteral("max-attempts"));
    parser.addFlag(QStringLiteral("no-verify-tls"));
    parser.addValue(QStringLiteral("http"));
    parser.addValue(QStringLiteral("filter"));
    parser.addValue(QStringLiteral("rate-limit"));
    parser.addValue(QStringLiteral("max-in-flight"));
    parser.addValue(QStringLiteral("retry-on"));
    parser.addValue(QStringLiteral("retry-schedule"));
    if (forUpdate) {
        for (const char *flag : {"active", "payload", "all-events", "clear-headers", "no-secret",
                                 "verify-tls", "no-filter"})
            parser.addFlag(QLatin1String(flag));
    }
}

QString CliHooks::applyEditOptions(const CliParser &parser, Webhook *hook)
{
    const auto given = [&parser](const char *name) {
        return parser.isSet(QLatin1String(name));
    };
    const auto value = [&parser](const char *name) {
        return parser.value(QLatin1String(name));
    };

    if (given("url"))
        hook->url = value("url");
    if (given("project")) {
        if (value("project") == QLatin1String("none")) {
            hook->projectId.reset();
        } else if (const auto id = parseId(value("project"))) {
            hook->projectId = *id;
        } else {
            return tr("--project takes a project id or \"none\", not \"%1\".")
                .arg(value("project"));
        }
    }
    if (given("event")) {
        QStringList keys;
        for (const QString &item : parser.values(QStringLiteral("event")))
            keys += item.split(QLatin1Char(','), Qt::SkipEmptyParts);
        for (QString &key : keys)
            key = key.trimmed();
        hook->actions = keys;
        hook->sendForAllActions = false;
    }
    if (given("all-events"))
        hook->sendForAllActions = true;

    if (given("clear-headers"))
        hook->headers.clear();
    // A header given here replaces a stored one of the same name; naming one
    // twice on the command line is left for the validator to refuse.
    const qsizetype storedHeaders = hook->headers.size();
    // Credentials stay secret by default, as in the editor: --header marks
    // Authorization, Cookie, X-Api-Key and names with token, secret, password
    // or key secret; --plain-header keeps such a header in the clear.
    for (const char *option : {"header", "secret-header", "plain-header"}) {
        for (const QString &text : parser.values(QLatin1String(option))) {
            const qsizetype colon = text.indexOf(QLatin1Char(':'));
            if (colon <= 0)
                return tr("--%1 takes \"Name: value\", with a colon after the name; got \"%2\".")
                    .arg(QLatin1String(option), text);
            const QString name = text.left(colon).trimmed();
            const bool secret =
                qstrcmp(option, "secret-header") == 0 ||
                (qstrcmp(option, "header") == 0 && SecretMask::looksLikeCredentialHeader(name));
            const HeaderRow row{name, text.mid(colon + 1).trimmed(), secret};
            const auto stored = hook->headers.begin() + storedHeaders;
            auto same = std::find_if(hook->headers.begin(), stored, [&row](const HeaderRow &h) {
                return h.name.compare(row.name, Qt::CaseInsensitive) == 0;
            });
            if (same != stored)
                *same = row;
            else
                hook->headers.append(row);
        }
    }

    if (given("description"))
        hook->description = value("description");
    if (given("inactive"))
        hook->isActive = false;
    if (given("active"))
        hook->isActive = true;
    if (given("no-payload"))
        hook->sendPayload = false;
    if (given("payload"))
        hook->sendPayload = true;
    if (given("no-verify-tls"))
        hook->verifyTls = false;
    if (given("verify-tls"))
        hook->verifyTls = true;
    if (given("http")) {
        const auto version = httpVersionFromKey(value("http"));
        // An empty value would mean auto to the parser; on the command line it is a slip.
        if (!version || value("http").trimmed().isEmpty())
            return tr("--http takes auto, http1 or http2, not \"%1\".").arg(value("http"));
        hook->httpVersion = *version;
    }

    if (given("no-secret")) {
        hook->secret.clear();
        hook->signature = SignatureScheme::None;
    }
    if (given("secret"))
        hook->secret = value("secret");
    if (given("signature")) {
        const auto scheme = signatureSchemeFromKey(value("signature"));
        if (!scheme)
            return tr("--signature takes standard or github, not \"%1\".").arg(value("signature"));
        hook->signature = *scheme;
    }

    if (given("no-filter"))
        hook->filter.clear();
    if (given("filter")) {
        QString text = value("filter");
        if (text.startsWith(QLatin1Char('@'))) {
            QFile file(text.mid(1));
            if (!file.open(QIODevice::ReadOnly))
                return tr("--filter: cannot read %1: %2").arg(text.mid(1), file.errorString());
            text = QString::fromUtf8(file.readAll());
        }
        if (const QString e = PayloadFilter::check(text); !e.isEmpty())
            return tr("--filter: %1").arg(e);
        hook->filter = text.trimmed();
    }
    if (given("rate-limit")) {
        const std::optional<RateLimit> limit = RateLimit::fromKey(value("rate-limit"));
        if (!limit)
            return tr("--rate-limit takes N/s or N/min with N from 1 to %1, or none; not \"%2\".")
                .arg(RateLimit::MaxCount)
                .arg(value("rate-limit"));
        hook->rateLimit = *limit;
    }
    if (given("retry-on")) {
        QString error;
        const std::optional<RetryOn> on = RetryOn::parse(value("retry-on"), &error);
        if (!on)
            return tr("--retry-on: %1").arg(error);
        hook->retryOn = on->key();
    }
    if (given("retry-schedule")) {
        const QString text = value("retry-schedule").trimmed();
        const QList<qint64> schedule = RetryPolicy::parseSchedule(text);
        const bool reset = text.isEmpty() || text == QLatin1String("default");
        if (!reset && schedule.isEmpty())
            return tr("--retry-schedule takes seconds before each attempt, like 0,10,60 (each "
                      "at most a week, at most %1 steps), or default; not \"%2\".")
                .arg(Webhook::MaxAttemptsLimit)
                .arg(text);
        hook->retrySchedule = reset ? QList<qint64>() : schedule;
    }

    for (const auto &[option, target] : {std::pair{"timeout", &hook->timeoutSeconds},
                                         {"max-attempts", &hook->maxAttempts},
                                         {"max-in-flight", &hook->maxInFlight}}) {
        if (!given(option))
            continue;
        bool ok = false;
        const int number = value(option).toInt(&ok);
        if (!ok)
            return tr("--%1 takes a whole number, not \"%2\".")
                .arg(QLatin1String(option), value(option));
        *target = number;
    }
    return {};
}

int CliHooks::add(CliSession &session, const QStringList &args)
{
    CliParser parser(QStringLiteral("hooks add"));
    addEditOptions(parser, false);
    if (QString e = parser.parse(args, 0, 0); !e.isEmpty())
        return parser.usageError(e);
    if (!parser.isSet(QStringLiteral("url")))
        return parser.usageError(tr("--url is required."));
    Webhook hook;
    if (const QString e = applyEditOptions(parser, &hook); !e.isEmpty())
        return CliOutput::fail(ExitCode::InvalidInput, e);
    if (auto e = session.open())
        return CliOutput::fail(*e);
    Result<Webhook> saved = session.store().saveHook(hook);
    if (!saved)
        return CliOutput::fail(saved.error());
    CliOutput::print(QString::number(saved->id));
    return int(ExitCode::Success);
}

int CliHooks::update(CliSession &session, const QStringList &args)
{
    CliParser parser(QStringLiteral("hooks update"));
    addEditOptions(parser, true);
    if (QString e = parser.parse(args, 1, 1, tr("a webhook ID")); !e.isEmpty())
        return parser.usageError(e);
    for (const auto &[a, b] : {std::pair{"active", "inactive"},
                               {"payload", "no-payload"},
                               {"all-events", "event"},
                               {"secret", "no-secret"},
                               {"verify-tls", "no-verify-tls"},
                               {"filter", "no-filter"}}) {
        if (parser.isSet(QLatin1String(a)) && parser.isSet(QLatin1String(b)))
            return parser.usageError(
                tr("--%1 and --%2 contradict each other.").arg(QLatin1String(a), QLatin1String(b)));
    }
    const auto id = parseId(parser.arguments().first());
    if (!id)
        return CliOutput::fail(ExitCode::InvalidInput,
                               tr("\"%1\" is not a webhook id.").arg(parser.arguments().first()));
    if (auto e = session.open())
        return CliOutput::fail(*e);
    Result<Webhook> hook = session.store().hook(*id);
    if (!hook)
        return CliOutput::fail(hook.error());
    Webhook changed = hook.value();
    if (const QString e = applyEditOptions(parser, &changed); !e.isEmpty())
        return CliOutput::fail(ExitCode::InvalidInput, e);
    if (changed == hook.value()) {
        CliOutput::print(tr("Webhook %1 is unchanged.").arg(*id));
        return int(ExitCode::Success);
    }
    Result<Webhook> saved = session.store().saveHook(changed);
    if (!saved)
        return CliOutput::fail(saved.error());
    CliOutput::print(tr("Webhook %1 updated.").arg(*id));
    return int(ExitCode::Success);
}

int CliHooks::remove(CliSession &session, const QStringList &args)
{
    CliParser parser(QStringLiteral("hooks remove"));
    if (QString e = parser.parse(args, 1, 1, tr("a webhook ID")); !e.isEmpty())
        return parser.usageError(e);
    const auto id = parseId(parser.arguments().first());
    if (!id)
        return CliOutput::fail(ExitCode::InvalidInput,
                               tr("\"%1\" is not a webhook id.").arg(parser.arguments().first()));
    if (auto e = session.open())
        return CliOutput::fail(*e);
    if (Status removed = session.store().removeHook(*id); !removed)
        return CliOutput::fail(removed.error());
    CliOutput::print(tr("Webhook %1 removed.").arg(*id));
    return int(ExitCode::Success);
}

int CliHooks::resume(CliSession &session, const QStringList &args)
{
    CliParser parser(QStringLiteral("hooks resume"));
    if (QString e = parser.parse(args, 1, 1, tr("a webhook ID")); !e.isEmpty())
        return parser.usageError(e);
    const auto id = parseId(parser.arguments().first());
    if (!id)
        return CliOutput::fail(ExitCode::InvalidInput,
                               tr("\"%1\" is not a webhook id.").arg(parser.arguments().first()));
    if (auto e = session.open())
        return CliOutput::fail(*e);
    Result<Webhook> hook = session.store().hook(*id);
    if (!hook)
        return CliOutput::fail(hook.error());
    if (!hook->isPaused()) {
        CliOutput::print(tr("Webhook %1 is not paused.").arg(*id));
        return int(ExitCode::Success);
    }
    DeliveryStore deliveries(&session.database());
    if (Status resumed = deliveries.resumeHook(*id, QDateTime::currentDateTimeUtc()); !resumed)
        return CliOutput::fail(resumed.error());
    CliOutput::print(
        tr("Webhook %1 resumed; its waiting deliveries are due now, in order.").arg(*id));
    return int(ExitCode::Success);
}

int CliHooks::rotateSecret(CliSession &session, const QStringList &args)
{
    CliParser parser(QStringLiteral("hooks rotate-secret"));
    parser.addValue(QStringLiteral("overlap"));
    parser.addFlag(QStringLiteral("expire-old"));
    parser.addValue(QStringLiteral("secret"));
    if (QString e = parser.parse(args, 1, 1, tr("a webhook ID")); !e.isEmpty())
        return parser.usageError(e);
    const auto id = parseId(parser.arguments().first());
    if (!id)
        return CliOutput::fail(ExitCode::InvalidInput,
                               tr("\"%1\" is not a webhook id.").arg(parser.arguments().first()));
    const bool expireOld = parser.isSet(QStringLiteral("expire-old"));
    if (expireOld && parser.isSet(QStringLiteral("overlap")))
        return parser.usageError(
            tr("--expire-old ends the overlap; it does not go with --overlap."));
    qint64 overlap = DefaultOverlapSeconds;
    if (parser.isSet(QStringLiteral("overlap"))) {
        const auto seconds = TimeWindow::parseDuration(parser.value(QStringLiteral("overlap")));
        if (!seconds)
            return CliOutput::fail(ExitCode::InvalidInput,
                                   tr("--overlap \"%1\" is not a duration such as 30m, 24h or 7d "
                                      "(at most a year).")
                                       .arg(parser.value(QStringLiteral("overlap"))));
        overlap = *seconds;
    }
    if (expireOld)
        overlap = 0;
    if (auto e = session.open())
        return CliOutput::fail(*e);
    SecretRotationStore rotations(&session.database());
    Result<SecretRotation> rotated = rotations.rotate(*id, parser.value(QStringLiteral("secret")),
                                                      overlap, QDateTime::currentDateTimeUtc());
    if (!rotated)
        return CliOutput::fail(rotated.error());

    QStringList lines;
    if (parser.isSet(QStringLiteral("secret")))
        lines.append(tr("Webhook %1 signs with the secret given from now on.").arg(*id));
    else
        lines.append(tr("New signing secret of webhook %1 (shown this once; give it to the "
                        "receiver):\n%2")
                         .arg(*id)
                         .arg(rotated->secret));
    if (rotated->scheme == SignatureScheme::GitHub)
        lines.append(tr("GitHub's X-Hub-Signature-256 has room for one signature: requests are "
                        "signed with the new secret only, from now on. Update the receiver now."));
    else if (rotated->stillValid.isEmpty())
        lines.append(tr("No earlier secret signs any more: receivers must use the new one now."));
    else
        lines.append(tr("The previous secret keeps signing until %1: until then requests carry "
                        "a signature for each (webhook-signature: v1,<new> v1,<old>).")
                         .arg(formatUtc(rotated->stillValid.first().validUntil)));
    CliOutput::print(lines.join(QLatin1Char('\n')));
    return int(ExitCode::Success);
}

int CliHooks::stats(CliSession &session, const QStringList &args)
{
    CliParser parser(QStringLiteral("hooks stats"));
    parser.addFlag(QStringLiteral("json"));
    if (QString e = parser.parse(args, 0, 1); !e.isEmpty())
        return parser.usageError(e);
    std::optional<qint64> only;
    if (!parser.arguments().isEmpty()) {
        only = parseId(parser.arguments().first());
        if (!only)
            return CliOutput::fail(
                ExitCode::InvalidInput,
                tr("\"%1\" is not a webhook id.").arg(parser.arguments().first()));
    }
    if (auto e = session.open())
        return CliOutput::fail(*e);
    QList<qint64> ids;
    if (only) {
        Result<Webhook> hook = session.store().hook(*only);
        if (!hook)
            return CliOutput::fail(hook.error());
        ids.append(*only);
    } else {
        Result<QList<QPair<qint64, QString>>> hooks = session.store().hookUrls();
        if (!hooks)
            return CliOutput::fail(hooks.error());
        for (const auto &[id, url] : hooks.value())
            ids.append(id);
    }

    const QDateTime now = QDateTime::currentDateTimeUtc();
    const QList<std::pair<QString, qint64>> windows{{QStringLiteral("24h"), 24 * 3600},
                                                    {QStringLiteral("7d"), 7 * 24 * 3600}};
    HookStatsStore store(&session.database());
    const bool json = parser.isSet(QStringLiteral("json"));
    QJsonArray list;
    QList<QStringList> rows;
    for (const qint64 id : std::as_const(ids)) {
        QJsonObject object{{QStringLiteral("webhook"), id}};
        for (const auto &[name, seconds] : windows) {
            Result<HookStats> stats = store.stats(id, now.addSecs(-seconds));
            if (!stats)
                return CliOutput::fail(stats.error());
            const auto rate = stats->successRate();
            const auto ms = [](const std::optional<qint64> &value) {
                return value ? QJsonValue(*value) : QJsonValue(QJsonValue::Null);
            };
            object.insert(name, QJsonObject{
                                    {QStringLiteral("deliveries"), stats->deliveries},
                                    {QStringLiteral("attempts"), stats->attempts},
                                    {QStringLiteral("succeeded"), stats->succeeded},
                                    {QStringLiteral("success_rate"),
                                     rate ? QJsonValue(*rate) : QJsonValue(QJsonValue::Null)},
                                    {QStringLiteral("p50_ms"), ms(stats->p50Ms)},
                                    {QStringLiteral("p95_ms"), ms(stats->p95Ms)},
                                });
            const auto msText = [](const std::optional<qint64> &value) {
                return value ? CliHooks::tr("%1 ms").arg(*value) : QStringLiteral("-");
            };
            rows.append(
                {QString::number(id), name, QString::number(stats->deliveries),
                 QString::number(stats->attempts),
                 rate ? CliHooks::tr("%1 %").arg(*rate * 100.0, 0, 'f', 1) : QStringLiteral("-"),
                 msText(stats->p50Ms), msText(stats->p95Ms)});
        }
        list.append(object);
    }
    if (json) {
        CliOutput::printJson(only ? QJsonValue(list.first()) : QJsonValue(list));
        return int(ExitCode::Success);
    }
    if (rows.isEmpty()) {
        CliOutput::print(tr("No webhooks yet."));
        return int(ExitCode::Success);
    }
    CliOutput::print(CliOutput::table({tr("ID"), tr("WINDOW"), tr("DELIVERIES"), tr("ATTEMPTS"),
                                       tr("SUCCESS"), tr("P50"), tr("P95")},
                                      rows));
    return int(ExitCode::Success);
}

int CliHooks::testFilter(CliSession &session, const QStringList &args)
{
    CliParser parser(QStringLiteral("hooks test-filter"));
    parser.addValue(QStringLiteral("data"));
    parser.addValue(QStringLiteral("last"));
    if (QString e = parser.parse(args, 1, 1, tr("a webhook ID")); !e.isEmpty())
        return parser.usageError(e);
    const auto id = parseId(parser.arguments().first());
    if (!id)
        return CliOutput::fail(ExitCode::InvalidInput,
                               tr("\"%1\" is not a webhook id.").arg(parser.arguments().first()));
    int last = 0;
    if (parser.isSet(QStringLiteral("last"))) {
        bool ok = false;
        last = parser.value(QStringLiteral("last")).toInt(&ok);
        if (!ok || last < 1 || last > 1000000)
            return CliOutput::fail(ExitCode::InvalidInput,
                                   tr("--last takes a number of events from 1 to 1000000, not "
                                      "\"%1\".")
                                       .arg(parser.value(QStringLiteral("last"))));
    }
    QJsonObject pasted;
    if (parser.isSet(QStringLiteral("data"))) {
        const QString path = parser.value(QStringLiteral("data"));
        QFile file;
        const bool opened = path == QLatin1String("-")
                                ? file.open(stdin, QIODevice::ReadOnly)
                                : (file.setFileName(path), file.open(QIODevice::ReadOnly));
        if (!opened)
            return CliOutput::fail(ExitCode::InvalidInput,
                                   tr("Cannot read %1: %2").arg(path, file.errorString()));
        QJsonParseError error;
        const QJsonDocument document = QJsonDocument::fromJson(file.readAll(), &error);
        if (error.error != QJsonParseError::NoError || !document.isObject())
            return CliOutput::fail(
                ExitCode::InvalidInput,
                tr("%1 is not a JSON object (the body as it is sent).").arg(path));
        pasted = document.object();
    }
    if (auto e = session.open())
        return CliOutput::fail(*e);
    Result<Webhook> hook = session.store().hook(*id);
    if (!hook)
        return CliOutput::fail(hook.error());
    QString error;
    const std::optional<PayloadFilter> filter = PayloadFilter::parse(hook->filter.toUtf8(), &error);
    if (!filter)
        return CliOutput::fail(ExitCode::InvalidInput, tr("The stored filter: %1").arg(error));
    if (filter->isEmpty())
        CliOutput::print(tr("Webhook %1 has no filter: every event is sent.").arg(*id));

    if (parser.isSet(QStringLiteral("data")))
        CliOutput::print(tr("%1: %2").arg(parser.value(QStringLiteral("data")),
                                          FilterTrial::verdict(*filter, pasted)));
    if (last > 0) {
        Result<FilterTrial::Count> count =
            FilterTrial::overHistory(session.databasePath(), hook.value(), *filter, last);
        if (!count)
            return CliOutput::fail(count.error());
        CliOutput::print(
            tr("Last %1 events: %2").arg(last).arg(FilterTrial::describe(count.value())));
    }
    if (!parser.isSet(QStringLiteral("data")) && last == 0) {
        const EventCatalog catalog = session.store().catalog();
        for (const QString &key : FilterTrial::eventKeys(catalog, hook.value()))
            CliOutput::print(
                tr("%1 sample: %2")
                    .arg(key, FilterTrial::verdict(
                                  *filter, FilterTrial::sampleBody(catalog, hook.value(), key))));
    }
    return int(ExitCode::Success);
}

int CliHooks::importFile(CliSession &session, const QStringList &args)
{
    CliParser parser(QStringLiteral("hooks import"));
    if (QString e = parser.parse(args, 1, 1, tr("a FILE, or - for standard input")); !e.isEmpty())
        return parser.usageError(e);
    const QString path = parser.arguments().first();
    QFile file;
    const bool opened = path == QLatin1String("-")
                            ? file.open(stdin, QIODevice::ReadOnly)
                            : (file.setFileName(path), file.open(QIODevice::ReadOnly));
    if (!opened)
        return CliOutput::fail(ExitCode::InvalidInput,
                               tr("Cannot read %1: %2").arg(path, file.errorString()));
    const LabelStudioJson::Parsed parsed = LabelStudioJson::read(&file);
    if (!parsed.ok())
        return CliOutput::fail(ExitCode::InvalidInput, tr("%1: %2").arg(path, parsed.error));
    if (auto e = session.open())
        return CliOutput::fail(*e);
    Result<QList<Webhook>> imported = session.store().importHooks(parsed.hooks);
    if (!imported)
        return CliOutput::fail(imported.error());
    CliOutput::print(tr("Imported %n webhook(s).", nullptr, int(imported->size())));
    return int(ExitCode::Success);
}

int CliHooks::exportFile(CliSession &session, const QStringList &args)
{
    CliParser parser(QStringLiteral("hooks export"));
    parser.addFlag(QStringLiteral("include-secrets"));
    if (QString e = parser.parse(args, 0, 1); !e.isEmpty())
        return parser.usageError(e);
    const QString path = parser.arguments().value(0, QStringLiteral("-"));
    const bool includeSecrets = parser.isSet(QStringLiteral("include-secrets"));
    if (auto e = session.open())
        return CliOutput::fail(*e);
    Result<QList<Webhook>> hooks = session.store().hooks();
    if (!hooks)
        return CliOutput::fail(hooks.error());
    const QByteArray json = LabelStudioJson::serialize(hooks.value(), includeSecrets);
    if (path == QLatin1String("-")) {
        CliOutput::printRaw(json);
        return int(ExitCode::Success);
    }
    // Written whole or not at all; private, since it may hold secrets.
    QSaveFile file(path);
    const auto privateMode = QFileDevice::ReadOwner | QFileDevice::WriteOwner;
    if (!file.open(QIODevice::WriteOnly) || !file.setPermissions(privateMode) ||
        file.write(json) != json.size() || !file.commit())
        return CliOutput::fail(ExitCode::InvalidInput,
                               tr("Cannot write %1: %2").arg(path, file.errorString()));
    CliOutput::print(tr("Exported %n webhook(s) to %1.", nullptr, int(hooks->size())).arg(path));
    return int(ExitCode::Success);
}
