#include "cli_serve.h"

#include "cli_output.h"
#include "cli_parser.h"
#include "cli_send.h"
#include "cli_session.h"
#include "delivery/delivery_store.h"
#include "delivery/dispatcher.h"

#include <QEventLoop>
#include <QNetworkAccessManager>
#include <QSocketNotifier>
#include <QTimer>
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

void prune(DeliveryStore &store)
{
    const QDateTime before =
        QDateTime::currentDateTimeUtc().addDays(-qint64(store.retentionDays()));
    Result<int> removed = store.pruneAttempts(before);
    if (!removed)
        CliOutput::fail(removed.error());
    else if (removed.value() > 0)
        CliOutput::print(CliServe::tr("%1 pruned attempts older than %2 days: %3.")
                             .arg(now())
                             .arg(store.retentionDays())
                             .arg(removed.value()));
}

} // namespace

QString CliServe::usage()
{
    return tr("  serve                     the headless dispatcher: sends what is due, retries on\n"
              "                            schedule, one line per attempt; stop with Ctrl+C\n");
}

int CliServe::run(CliSession &session, const QStringList &args)
{
    CliParser parser(QStringLiteral("serve"));
    if (const QString e = parser.parse(args, 0, 0); !e.isEmpty())
        return parser.usageError(e);
    if (auto e = session.open())
        return CliOutput::fail(*e);
    if (!installStopSignals()) {
        restoreStopSignals();
        return CliOutput::fail(ExitCode::StorageFailed,
                               tr("Cannot watch for stop signals: %1")
                                   .arg(QString::fromLocal8Bit(std::strerror(errno))));
    }

    DeliveryStore store(&session.database());
    prune(store);
    QTimer pruneTimer;
    QObject::connect(&pruneTimer, &QTimer::timeout, &pruneTimer, [&store] { prune(store); });
    pruneTimer.start(PruneIntervalMs);

    QEventLoop loop;
    bool stopping = false;
    {
        QNetworkAccessManager network;
        Dispatcher dispatcher(&store, &network);
        QObject::connect(&dispatcher, &Dispatcher::attemptFinished, &loop,
                         [&store](qint64 attemptId, qint64 deliveryId, AttemptOutcome outcome,
                                  const QString &summary) {
                             // The row is still pending here: hook, action and number are set.
                             Result<Attempt> a = store.attempt(attemptId);
                             if (!a) {
                                 CliOutput::print(tr("%1 delivery %2 %3 %4")
                                                      .arg(now())
                                                      .arg(deliveryId)
                                                      .arg(CliSend::outcomeText(outcome), summary));
                                 return;
                             }
                             CliOutput::print(tr("%1 hook %2 %3 delivery %4 attempt %5/%6 %7: %8")
                                                  .arg(now())
                                                  .arg(a->webhookId)
                                                  .arg(a->action)
                                                  .arg(deliveryId)
                                                  .arg(a->number)
                                                  .arg(a->maxAttempts)
                                                  .arg(CliSend::outcomeText(outcome), summary));
                         });
        QObject::connect(
            &dispatcher, &Dispatcher::storageFailed, &loop,
            [](const QString &message) { CliOutput::fail(ExitCode::StorageFailed, message); });
        QObject::connect(&dispatcher, &Dispatcher::idle, &loop, [&] {
            if (stopping)
                loop.quit();
        });

        QSocketNotifier notifier(signalSockets[0], QSocketNotifier::Read);
        QObject::connect(&notifier, &QSocketNotifier::activated, &loop, [&] {
            char byte = 0;
            [[maybe_unused]] const ssize_t read = ::read(signalSockets[0], &byte, 1);
            if (stopping) {
                loop.quit(); // asked twice: do not wait any longer
                return;
            }
            stopping = true;
            CliOutput::print(tr("%1 stopping").arg(now()));
            dispatcher.stop();
            if (dispatcher.isIdle()) {
                loop.quit();
                return;
            }
            QTimer::singleShot(StopGraceMs, &loop, &QEventLoop::quit);
        });

        CliOutput::print(tr("serving %1").arg(session.databasePath()));
        dispatcher.start();
        loop.exec();
    } // the dispatcher records what finished and releases the rest for the next run
    restoreStopSignals();
    CliOutput::print(tr("%1 stopped").arg(now()));
    return int(ExitCode::Success);
}
