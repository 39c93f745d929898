#include "command_line.h"

#include "cli_deliveries.h"
#include "cli_emit.h"
#include "cli_events.h"
#include "cli_hooks.h"
#include "cli_inbox.h"
#include "cli_intake.h"
#include "cli_migrate.h"
#include "cli_output.h"
#include "cli_projects.h"
#include "cli_redeliver.h"
#include "cli_serve.h"
#include "cli_session.h"
#include "cli_settings.h"
#include "cli_test_send.h"
#include "cli_verify.h"
#include "store/database.h"

namespace {

// A command group: the word that starts it, what runs it, its help text.
// Further groups (emit, test, deliveries, ...) join this table.
struct CommandGroup
{
    const char *name;
    int (*run)(CliSession &session, const QStringList &args);
    QString (*usage)();
};

const CommandGroup Groups[] = {
    {"hooks", &CliHooks::run, &CliHooks::usage},
    {"events", &CliEvents::run, &CliEvents::usage},
    {"projects", &CliProjects::run, &CliProjects::usage},
    {"emit", &CliEmit::run, &CliEmit::usage},
    {"test", &CliTestSend::run, &CliTestSend::usage},
    {"deliveries", &CliDeliveries::run, &CliDeliveries::usage},
    {"redeliver", &CliRedeliver::run, &CliRedeliver::usage},
    {"serve", &CliServe::run, &CliServe::usage},
    {"intake", &CliIntake::run, &CliIntake::usage},
    {"settings", &CliSettings::run, &CliSettings::usage},
    {"inbox", &CliInbox::run, &CliInbox::usage},
    {"migrate", &CliMigrate::run, &CliMigrate::usage},
    {"verify", &CliVerify::run, &CliVerify::usage},
};

const CommandGroup *findGroup(const QString &name)
{
    for (const CommandGroup &group : Groups) {
        if (name == QLatin1String(group.name))
            return &group;
    }
    return nullptr;
}

// Options QGuiApplication and QApplication take for themselves; they pass
// through to the GUI untouched.
bool isQtOption(const QString &argument, bool *takesValue)
{
    static const QStringList withValue{
        QStringLiteral("platform"),        QStringLiteral("platformpluginpath"),
        QStringLiteral("platformtheme"),   QStringLiteral("plugin"),
        QStringLiteral("qwindowgeometry"), QStringLiteral("qwindowicon"),
        QStringLiteral("qwindowtitle"),    QStringLiteral("session"),
        QStringLiteral("display"),         QStringLiteral("style"),
        QStringLiteral("stylesheet"),      QStringLiteral("geometry")};
    static const QStringList flags{QStringLiteral("reverse"), QStringLiteral("widgetcount"),
                                   QStringLiteral("nograb"), QStringLiteral("dograb"),
                                   QStringLiteral("sync")};
    QString name = argument.mid(argument.startsWith(QLatin1String("--")) ? 2 : 1);
    const qsizetype equals = name.indexOf(QLatin1Char('='));
    if (equals >= 0 || name.startsWith(QLatin1String("qmljsdebugger"))) {
        *takesValue = false;
        return equals >= 0 && (withValue.contains(name.left(equals)) ||
                               name.startsWith(QLatin1String("qmljsdebugger")));
    }
    *takesValue = withValue.contains(name);
    return *takesValue || flags.contains(name);
}

// Qt's own warnings (a driver, a plugin) would break the promise of one line
// per error on stderr; WEBHOOK_ADMIN_DEBUG=1 lets them through.
void quietMessageHandler(QtMsgType type, const QMessageLogContext &, const QString &message)
{
    if (type == QtCriticalMsg || type == QtFatalMsg)
        CliOutput::fail(ExitCode::StorageFailed, message);
}

bool isHelp(const QString &argument)
{
    return argument == QLatin1String("--help") || argument == QLatin1String("-h");
}

} // namespace

CommandLine::Invocation CommandLine::classify(const QStringList &arguments)
{
    Invocation invocation;
    bool optionsEnded = false;
    for (qsizetype i = 1; i < arguments.size(); ++i) {
        const QString &argument = arguments.at(i);
        // --db is global: before or after the command.
        if (!optionsEnded && argument == QLatin1String("--db")) {
            if (i + 1 >= arguments.size() || arguments.at(i + 1).isEmpty())
                return {Mode::UsageError, {}, {}, tr("--db needs the PATH of a database file.")};
            invocation.databasePath = arguments.at(++i);
            continue;
        }
        if (!optionsEnded && argument.startsWith(QLatin1String("--db="))) {
            invocation.databasePath = argument.mid(5);
            if (invocation.databasePath.isEmpty())
                return {Mode::UsageError, {}, {}, tr("--db needs the PATH of a database file.")};
            continue;
        }
        if (!invocation.command.isEmpty()) {
            if (argument == QLatin1String("--"))
                optionsEnded = true;
            invocation.command.append(argument);
            continue;
        }
        if (argument == QLatin1String("--")) {
            optionsEnded = true;
            continue;
        }
        if (optionsEnded || !argument.startsWith(QLatin1Char('-')) || argument.size() == 1) {
            if (argument.startsWith(QLatin1Char('-')) && !optionsEnded)
                return {Mode::UsageError, {}, {}, tr("Unknown option \"%1\".").arg(argument)};
            invocation.command.append(argument);
            continue;
        }
        if (isHelp(argument)) {
            invocation.mode = Mode::Help;
            continue;
        }
        if (argument == QLatin1String("--version") || argument == QLatin1String("-v")) {
            if (invocation.mode != Mode::Help)
                invocation.mode = Mode::Version;
            continue;
        }
        bool takesValue = false;
        if (isQtOption(argument, &takesValue)) {
            if (takesValue)
                ++i;
            continue;
        }
        return {Mode::UsageError, {}, {}, tr("Unknown option \"%1\".").arg(argument)};
    }
    if (!invocation.command.isEmpty() && invocation.mode == Mode::Gui)
        invocation.mode = Mode::Command;
    return invocation;
}

QString CommandLine::databasePath(const Invocation &invocation)
{
    if (!invocation.databasePath.isEmpty())
        return invocation.databasePath;
    // A team's server for every command without --db.
    if (const QString fromEnvironment = qEnvironmentVariable("WEBHOOK_ADMIN_DB");
        !fromEnvironment.isEmpty())
        return fromEnvironment;
    return Database::defaultPath();
}

QString CommandLine::usage()
{
    QString text = tr("Usage: %1 [--db PATH|URL] [COMMAND ...]\n"
                      "Without a command, opens the window. Options everywhere:\n"
                      "  --db PATH                 the database file (default: %2)\n"
                      "  --db postgresql://USER[:PASSWORD]@HOST[:PORT]/DBNAME[?sslmode=MODE]\n"
                      "                            a PostgreSQL database shared by a team;\n"
                      "                            WEBHOOK_ADMIN_DB sets the default\n"
                      "  --help, --version\n"
                      "Exit codes: 0 success, 1 usage, 2 invalid input, 3 delivery failed, "
                      "4 storage error.\n")
                       .arg(QCoreApplication::applicationName(), Database::defaultPath());
    for (const CommandGroup &group : Groups)
        text += QLatin1Char('\n') + group.usage();
    return text;
}

int CommandLine::run(const Invocation &invocation)
{
    if (!qEnvironmentVariableIsSet("WEBHOOK_ADMIN_DEBUG"))
        qInstallMessageHandler(quietMessageHandler);
    switch (invocation.mode) {
    case Mode::UsageError:
        return CliOutput::fail(
            ExitCode::Usage,
            tr("%1 See \"%2 --help\".").arg(invocation.error, QCoreApplication::applicationName()));
    case Mode::Version:
        CliOutput::print(QCoreApplication::applicationName() + QLatin1Char(' ') +
                         QCoreApplication::applicationVersion());
        return int(ExitCode::Success);
    case Mode::Help:
    case Mode::Gui:
        CliOutput::printRaw(usage().toUtf8());
        return int(ExitCode::Success);
    case Mode::Command:
        break;
    }

    const QString name = invocation.command.first();
    const CommandGroup *group = findGroup(name);
    if (!group)
        return CliOutput::fail(ExitCode::Usage,
                               tr("There is no command \"%1\". See \"%2 --help\".")
                                   .arg(name, QCoreApplication::applicationName()));
    const QStringList args = invocation.command.mid(1);
    const qsizetype end = args.indexOf(QStringLiteral("--"));
    for (qsizetype i = 0; i < (end < 0 ? args.size() : end); ++i) {
        if (isHelp(args.at(i))) {
            CliOutput::printRaw(group->usage().toUtf8());
            return int(ExitCode::Success);
        }
    }
    CliSession session(databasePath(invocation));
    return group->run(session, args);
}
