#include "cli_serve.h"

#include "cli_output.h"
#include "cli_parser.h"
#include "cli_send.h"
#include "cli_session.h"
#include "delivery/delivery_store.h"
#include "delivery/engine_host.h"
#include "store/listener_settings_store.h"
#include "store/sql_dialect.h"

#include <QEventLoop>
#include <QHostAddress>
#include <QScopeGuard>
#include <QSocketNotifier>
#include <csignal>
#include <cstring>
#include <sys/socket.h>
#include <unistd.h>

namespace {

// A signal handler may only write to a descriptor; the event loop reads the
// other end (the self-pipe trick, with a socket pair).
int signalSockets[2] = {-1, -1};

void onStopSignal(int)
{
    const char byte = 1;
    [[maybe_unused]] const ssize_t written = ::write(signalSockets[1], &byte, 1);
}

bool installStopSignals()
{
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, signalSockets) != 0)
        return false;
    struct sigaction action = {};
    action.sa_handler = onStopSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    return ::sigaction(SIGINT, &action, nullptr) == 0 &&
           ::sigaction(SIGTERM, &action, nullptr) == 0;
}

void restoreStopSignals()
{
    ::signal(SIGINT, SIG_DFL);
    ::signal(SIGTERM, SIG_DFL);
    for (int &fd : signalSockets) {
        if (fd >= 0)
            ::close(fd);
        fd = -1;
    }
}

QString now()
{
    return QDateTime::currentDateTimeUtc().toString(Qt::ISODate);
}

// "127.0.0.1:8484", "[::1]:0", "localhost:8484".
std::optional<std::pair<QHostAddress, quint16>> parseListen(const QString &text)
{
    const qsizetype colon = text.lastIndexOf(QLatin1Char(':'));
    if (colon <= 0)
        return std::nullopt;
    QString host = text.left(colon);
    if (host.startsWith(QLatin1Char('[')) && host.endsWith(QLatin1Char(']')))
        host = host.mid(1, host.size() - 2);
    if (host == QLatin1String("localhost"))
        host = QStringLiteral("127.0.0.1");
    const QHostAddress address(host);
    bool ok = false;
    const uint port = text.mid(colon + 1).toUInt(&ok);
    if (address.isNull() || !ok || port > 65535)
        return std::nullopt;
    return std::pair{address, quint16(port)};
}

} // namespace

QString CliServe::usage()
{
    return tr("  serve [--listen HOST:PORT [--no-deliver]]\n"
              "                            the headless dispatcher: sends what is due, retries on\n"
              "                            schedule, one line per attempt; stop with Ctrl+C.\n"
              "                            --listen also runs the HTTP listener (the intake, the\n"
              "                            local inbox, /healthz) and prints \"listening on URL\"\n"
              "                            (the real port when PORT is 0) before it accepts\n"
              "                            --no-deliver: the listener alone; what it stores is\n"
              "                            sent by another serve or window on the same database\n");
}

int CliServe::run(CliSession &session, const QStringList &args)
{
    CliParser parser(QStringLiteral("serve"));
    parser.addValue(QStringLiteral("listen"));
    parser.addFlag(QStringLiteral("no-deliver"));
    if (const QString e = parser.parse(args, 0, 0); !e.isEmpty())
        return parser.usageError(e);
    // An intake node: it stores and answers; dispatchers elsewhere send.
    const bool deliver = !parser.isSet(QStringLiteral("no-deliver"));
    if (!deliver && !parser.isSet(QStringLiteral("listen")))
        return parser.usageError(
            tr("--no-deliver needs --listen: without either, serve would do nothing."));
    std::optional<std::pair<QHostAddress, quint16>> listen;
    if (parser.isSet(QStringLiteral("listen"))) {
        listen = parseListen(parser.value(QStringLiteral("listen")));
        if (!listen)
            return parser.usageError(
                tr("--listen takes HOST:PORT with an IP address, e.g. 127.0.0.1:8484 or "
                   "[::1]:0, not \"%1\".")
                    .arg(parser.value(QStringLiteral("listen"))));
    }
    if (auto e = session.open())
        return CliOutput::fail(*e);
    if (!installStopSignals()) {
        restoreStopSignals();
        return CliOutput::fail(ExitCode::StorageFailed,
                               tr("Cannot watch for stop signals: %1")
                                   .arg(QString::fromLocal8Bit(std::strerror(errno))));
    }

    // A server that restarts: each lost connection and each reconnect, once.
    SqlDialect::setReconnectReporter([](const QString &message) { CliOutput::warn(message); });
    const auto noReporter = qScopeGuard([] { SqlDialect::setReconnectReporter({}); });

    QEventLoop loop;
    bool stopping = false;
    int exitCode = int(ExitCode::Success);
    EngineHost host(session.databasePath());
    // One line per attempt, written a batch at a time (one write for what
    // finished within about 20 ms); the notes name hook, action and number.
    QObject::connect(&host, &EngineHost::attemptsFinished, &loop,
                     [](const QList<FinishedAttemptNote> &notes) {
                         const QString time = now();
                         QString lines;
                         for (const FinishedAttemptNote &n : notes) {
                             lines += tr("%1 hook %2 %3 delivery %4 attempt %5/%6 %7: %8")
                                          .arg(time)
                                          .arg(n.webhookId)
                                          .arg(n.action)
                                          .arg(n.deliveryId)
                                          .arg(n.number)
                                          .arg(n.maxAttempts)
                                          .arg(CliSend::outcomeText(n.outcome), n.summary);
                             lines += QLatin1Char('\n');
                         }
                         CliOutput::printRaw(lines.toUtf8());
                     });
    QObject::connect(&host, &EngineHost::failed, &loop, [](const QString &message) {
        CliOutput::fail(ExitCode::StorageFailed, message);
    });
    QObject::connect(&host, &EngineHost::pruned, &loop, [](int removed, int days) {
        CliOutput::print(
            tr("%1 pruned attempts older than %2 days: %3.").arg(now()).arg(days).arg(removed));
    });
    QObject::connect(&host, &EngineHost::stopped, &loop, &QEventLoop::quit);

    QSocketNotifier notifier(signalSockets[0], QSocketNotifier::Read);
    QObject::connect(&notifier, &QSocketNotifier::activated, &loop, [&] {
        char byte = 0;
        [[maybe_unused]] const ssize_t read = ::read(signalSockets[0], &byte, 1);
        if (stopping) {
            host.hurry(); // asked twice: do not wait any longer
            return;
        }
        stopping = true;
        CliOutput::print(tr("%1 stopping").arg(now()));
        host.requestStop();
    });

    CliOutput::print(deliver ? tr("serving %1").arg(session.database().display())
                             : tr("serving %1 (listener only: another serve or window delivers)")
                                   .arg(session.database().display()));
    if (deliver)
        host.start();
    if (listen) {
        ListenerConfig config;
        config.address = listen->first;
        config.port = listen->second;
        config.bodyLimit = ListenerSettingsStore(&session.database()).settings().bodyLimit;
        QString error;
        const QString url = host.startListener(config, &error, true);
        if (url.isEmpty()) {
            exitCode = CliOutput::fail(ExitCode::StorageFailed, error);
            host.stop();
            restoreStopSignals();
            return exitCode;
        }
        if (!config.address.isLoopback())
            CliOutput::warn(
                tr("%1 is reachable from other machines: anyone who can reach it may post to "
                   "/inbox/NAME and read /healthz without the token; /intake needs the token.")
                    .arg(url));
        CliOutput::print(tr("listening on %1").arg(url));
        host.acceptRequests();
    }
    loop.exec();
    host.stop(); // the dispatcher recorded what finished and released the rest for the next run
    restoreStopSignals();
    CliOutput::print(tr("%1 stopped").arg(now()));
    return exitCode;
}
