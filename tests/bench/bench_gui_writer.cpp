// B10: the window's writes while another process holds the write lock. A
// child process (this program with --hold-lock) takes the lock for 3 s; the
// real window (offscreen) meanwhile sends a test, redelivers, toggles Active
// and saves, through QTest. A 1 ms heartbeat timer measures the longest time
// the GUI thread went without running its event loop; every action must land
// once the lock is released. Target: longest stall <= 50 ms.
//
//   bench_gui_writer [--db LOCATION] [--hold-ms 3000] [--inline]
//
// --inline runs the same without the writer thread (every write on the GUI
// thread, as before), for comparison. LOCATION may be postgresql://…
#include "bench_report.h"
#include "delivery/delivery_store.h"
#include "delivery/engine_host.h"
#include "delivery_log_pane.h"
#include "hook_editor.h"
#include "hook_list_view.h"
#include "items/hook_list_model.h"
#include "lock_holder.h"
#include "main_window.h"
#include "store/database.h"
#include "store/hook_store.h"
#include "store/store_writer.h"
#include "test_send_dialog.h"

#include <QAction>
#include <QApplication>
#include <QElapsedTimer>
#include <QPlainTextEdit>
#include <QProcess>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <cstdio>
#include <memory>

namespace {

QString option(const QString &name, const QString &fallback = {})
{
    const QStringList args = QCoreApplication::arguments();
    const qsizetype i = args.indexOf(name);
    return i >= 0 && i + 1 < args.size() ? args.at(i + 1) : fallback;
}

int holdLock(const QString &location, int holdMs)
{
    LockHolder holder(location, holdMs);
    holder.start();
    while (!holder.isHolding() && !holder.hasReleased())
        QThread::msleep(1);
    if (!holder.error().isEmpty()) {
        std::fprintf(stderr, "cannot lock: %s\n", qPrintable(holder.error()));
        return 1;
    }
    std::printf("locked\n");
    std::fflush(stdout);
    holder.wait();
    std::printf("released\n");
    std::fflush(stdout);
    return holder.error().isEmpty() ? 0 : 1;
}

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    const int holdMs = option(QStringLiteral("--hold-ms"), QStringLiteral("3000")).toInt();
    if (app.arguments().contains(QStringLiteral("--hold-lock")))
        return holdLock(option(QStringLiteral("--hold-lock")), holdMs);
    const bool inlineWrites = app.arguments().contains(QStringLiteral("--inline"));
    QStandardPaths::setTestModeEnabled(true);

    QTemporaryDir dir;
    const QString location =
        option(QStringLiteral("--db"), dir.filePath(QStringLiteral("b10.sqlite")));
    Database database;
    if (auto error = database.open(location)) {
        BenchReport::note(error->message);
        return 1;
    }
    HookStore hooks(&database);
    DeliveryStore deliveries(&database);
    Webhook hook;
    hook.url = QStringLiteral("http://127.0.0.1:9/b10-first");
    const Result<Webhook> first = hooks.saveHook(hook);
    hook.url = QStringLiteral("http://127.0.0.1:9/b10-second");
    const Result<Webhook> second = hooks.saveHook(hook);
    const Result<EmitResult> earlier =
        first ? deliveries.enqueueTest(hooks.catalog(), first->id, QStringLiteral("PING"),
                                       std::nullopt, {}, QDateTime::currentDateTimeUtc())
              : Result<EmitResult>(first.error());
    if (!first || !second || !earlier) {
        BenchReport::note(QStringLiteral("cannot set up the database"));
        return 1;
    }

    EngineHost service(location); // not started: nothing is sent
    std::unique_ptr<StoreWriter> writer =
        inlineWrites ? nullptr : std::make_unique<StoreWriter>(location);
    MainWindow window(&hooks, location);
    window.setStoreWriter(writer.get());
    window.setDeliveryService(&service, &deliveries);
    window.show();
    if (!QTest::qWaitForWindowExposed(&window))
        return 1;
    if (writer)
        (void)writer->wait(QString(), [](const WriterStores &) { return Status(Done{}); });
    auto *list = window.findChild<HookListView *>(QStringLiteral("hookList"));
    list->selectHook(first->id);

    // The lock, held by another process.
    QProcess holder;
    holder.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    holder.start(QCoreApplication::applicationFilePath(),
                 {QStringLiteral("--hold-lock"), location, QStringLiteral("--hold-ms"),
                  QString::number(holdMs)});
    if (!QTest::qWaitFor([&] { return holder.canReadLine(); }, 20000) ||
        holder.readLine().trimmed() != "locked") {
        BenchReport::note(QStringLiteral("the lock holder did not start"));
        return 1;
    }
    QElapsedTimer sinceLock;
    sinceLock.start();

    qint64 longestGapMs = 0;
    QElapsedTimer sinceBeat;
    sinceBeat.start();
    QTimer heartbeat;
    heartbeat.setInterval(1);
    heartbeat.setTimerType(Qt::PreciseTimer);
    QObject::connect(&heartbeat, &QTimer::timeout, &heartbeat,
                     [&] { longestGapMs = std::max(longestGapMs, sinceBeat.restart()); });
    heartbeat.start();
    sinceBeat.restart();

    // Send Test…
    window.sendTestAction()->trigger();
    auto *dialog = window.findChild<TestSendDialog *>();
    if (!dialog || !QTest::qWaitFor([dialog] { return dialog->isVisible(); }, 5000))
        return 1;
    QSignalSpy tested(dialog, &TestSendDialog::testQueued);
    QTest::mouseClick(dialog->findChild<QPushButton *>(QStringLiteral("sendButton")),
                      Qt::LeftButton);
    // Redeliver, from the log.
    DeliveryLogPane *log = window.logPane();
    log->refresh();
    log->selectAttempt(earlier->attemptIds.first());
    QSignalSpy redelivered(log, &DeliveryLogPane::deliveriesQueued);
    log->redeliverAction()->trigger();
    // The Active toggle of the second hook.
    QAbstractItemModel *model = list->model();
    const QModelIndex row =
        model->match(model->index(0, HookListModel::Url), HookListModel::HookIdRole, second->id)
            .value(0);
    model->setData(model->index(row.row(), HookListModel::Active), Qt::Unchecked,
                   Qt::CheckStateRole);
    // Save an edit.
    auto *description =
        window.editor()->findChild<QPlainTextEdit *>(QStringLiteral("descriptionEdit"));
    description->setFocus();
    QTest::keyClicks(description, QStringLiteral("B10"));
    QTest::mouseClick(window.editor()->findChild<QPushButton *>(QStringLiteral("saveButton")),
                      Qt::LeftButton);
    const qint64 clicksDoneMs = sinceLock.elapsed();

    // Until the lock is gone and everything has landed.
    const bool released =
        QTest::qWaitFor([&] { return holder.state() == QProcess::NotRunning; }, holdMs + 20000);
    const qint64 releasedMs = sinceLock.elapsed();
    const bool landed = QTest::qWaitFor(
        [&] {
            return tested.count() == 1 && redelivered.count() == 1 &&
                   (!writer || writer->pendingCount() == 0) && !window.editor()->isDirty();
        },
        20000);
    const qint64 landedMs = sinceLock.elapsed();
    heartbeat.stop();
    const Result<Webhook> saved = hooks.hook(first->id);
    const Result<Webhook> toggled = hooks.hook(second->id);
    const bool stored = released && landed && saved && saved->description == QLatin1String("B10") &&
                        toggled && !toggled->isActive;

    const QString prefix = inlineWrites ? QStringLiteral("b10_inline_") : QStringLiteral("b10_");
    BenchReport::note(QStringLiteral("%1: lock held %2 ms (released after %3 ms); clicks done "
                                     "after %4 ms; all landed after %5 ms; longest GUI stall %6 ms")
                          .arg(inlineWrites ? QStringLiteral("GUI-thread writes")
                                            : QStringLiteral("writer thread"))
                          .arg(holdMs)
                          .arg(releasedMs)
                          .arg(clicksDoneMs)
                          .arg(landedMs)
                          .arg(longestGapMs));
    BenchReport::metric(prefix + QStringLiteral("max_stall_ms"), double(longestGapMs),
                        QStringLiteral("ms"));
    BenchReport::metric(prefix + QStringLiteral("clicks_ms"), double(clicksDoneMs),
                        QStringLiteral("ms"));
    BenchReport::metric(prefix + QStringLiteral("landed_after_release_ms"),
                        double(landedMs - releasedMs), QStringLiteral("ms"));
    BenchReport::metric(prefix + QStringLiteral("all_landed"), stored ? 1 : 0, QString());
    window.close();
    return stored ? 0 : 2;
}
