#include "cli_process.h"
#include "delivery/delivery_store.h"
#include "delivery_log_pane.h"
#include "hook_list_view.h"
#include "items/delivery_log_model.h"
#include "items/hook_list_model.h"
#include "main_window.h"
#include "store/database.h"
#include "store/hook_store.h"
#include "store/store_writer.h"
#include "test_database.h"
#include "test_receiver.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QLineEdit>
#include <QProcess>
#include <QPushButton>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <memory>

// Issue 10: two windows on one database (two people of a team, or two copies
// on one desk) see each other's work live: a hook saved in one appears in the
// other within a second, and a delivery a `serve` process records shows in
// both logs within a second. The windows are what the application builds
// (list, editor, writer thread, log pane), each on connections of its own;
// on PostgreSQL they learn of changes by LISTEN, on SQLite by polling.
class TestTwoWindows : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void aHookSavedInOneShowsInTheOther();
    void aServedDeliveryShowsInBothLogs();

private:
    // One window as the application makes it, on its own connections.
    struct Window
    {
        explicit Window(const QString &location);
        std::unique_ptr<Database> database;
        std::unique_ptr<HookStore> hooks;
        std::unique_ptr<DeliveryStore> deliveries;
        std::unique_ptr<StoreWriter> writer;
        std::unique_ptr<MainWindow> window;
        QStringList shownUrls() const;
        int logRows(AttemptOutcome outcome) const;
    };

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_location;
    std::unique_ptr<Window> m_first;
    std::unique_ptr<Window> m_second;
    // The allowance for "live": 1 s, as issue 10 asks.
    static constexpr qint64 LiveMs = 1000;
};

TestTwoWindows::Window::Window(const QString &location)
    : database(std::make_unique<Database>())
{
    if (database->open(location))
        return;
    hooks = std::make_unique<HookStore>(database.get());
    deliveries = std::make_unique<DeliveryStore>(database.get());
    writer = std::make_unique<StoreWriter>(location);
    window = std::make_unique<MainWindow>(hooks.get(), location);
    window->setStoreWriter(writer.get());
    window->setDeliveryService(nullptr, deliveries.get());
    window->show();
}

QStringList TestTwoWindows::Window::shownUrls() const
{
    QStringList urls;
    auto *list = window->findChild<HookListView *>(QStringLiteral("hookList"));
    if (!list || !list->model())
        return urls;
    for (int row = 0; row < list->model()->rowCount(); ++row)
        urls.append(list->model()->index(row, 0).data(HookListModel::UrlRole).toString());
    return urls;
}

int TestTwoWindows::Window::logRows(AttemptOutcome outcome) const
{
    DeliveryLogPane *pane = window->logPane();
    if (!pane || !pane->model())
        return -1;
    int rows = 0;
    DeliveryLogModel *model = pane->model();
    for (int row = 0; row < model->rowCount(); ++row) {
        if (model->attemptAt(row).outcome == outcome)
            ++rows;
    }
    return rows;
}

void TestTwoWindows::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
}

void TestTwoWindows::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_location = TestDatabase::create(m_dir->path(), QStringLiteral("team.sqlite"));
    QVERIFY(!m_location.isEmpty());
    m_first = std::make_unique<Window>(m_location);
    m_second = std::make_unique<Window>(m_location);
    QVERIFY(m_first->window && m_second->window);
    QVERIFY(QTest::qWaitForWindowExposed(m_first->window.get()));
    QVERIFY(QTest::qWaitForWindowExposed(m_second->window.get()));
}

void TestTwoWindows::cleanup()
{
    m_second.reset();
    m_first.reset();
    m_dir.reset();
}

void TestTwoWindows::aHookSavedInOneShowsInTheOther()
{
    const QString url = QStringLiteral("https://trainer.example.com/hook");
    MainWindow *first = m_first->window.get();
    first->newHook();
    auto *urlEdit = first->findChild<QLineEdit *>(QStringLiteral("urlEdit"));
    QVERIFY(urlEdit && urlEdit->isVisible());
    QTest::mouseClick(urlEdit, Qt::LeftButton);
    QTest::keyClicks(urlEdit, url);
    auto *save = first->findChild<QPushButton *>(QStringLiteral("saveButton"));
    QVERIFY(save && save->isEnabled());
    QTest::mouseClick(save, Qt::LeftButton);
    // Saved (through the first window's writer thread) ...
    QTRY_COMPARE_WITH_TIMEOUT(m_first->shownUrls(), QStringList{url}, 10000);
    QElapsedTimer sinceSaved;
    sinceSaved.start();
    // ... and, within a second, in the second window too.
    QTRY_COMPARE_WITH_TIMEOUT(m_second->shownUrls(), QStringList{url}, 5000);
    const qint64 latency = sinceSaved.elapsed();
    qInfo("the second window showed the hook %lld ms after the first did", latency);
    // A server announces the commit; a file is polled once a second.
    const qint64 allowed =
        TestDatabase::onServer() ? LiveMs : MainWindow::ExternalChangePollMs + LiveMs / 2;
    QVERIFY2(latency <= allowed, qPrintable(QString::number(latency)));
    // And the other way round, for an edit: the second window deactivates it.
    m_second->window->findChild<HookListView *>(QStringLiteral("hookList"))
        ->selectHook(m_first->hooks->hooks()->first().id);
    m_second->window->setSelectedHooksActive(false);
    QElapsedTimer sinceToggled;
    sinceToggled.start();
    QTRY_VERIFY_WITH_TIMEOUT(!m_first->hooks->hooks()->first().isActive, 5000);
    auto *list = first->findChild<HookListView *>(QStringLiteral("hookList"));
    QTRY_VERIFY_WITH_TIMEOUT(!list->model()->index(0, 0).data(HookListModel::IsActiveRole).toBool(),
                             5000);
    qInfo("the first window showed it inactive %lld ms after the toggle", sinceToggled.elapsed());
}

void TestTwoWindows::aServedDeliveryShowsInBothLogs()
{
    TestReceiver receiver;
    QVERIFY(receiver.listen());
    {
        Webhook hook;
        hook.url = receiver.url(QStringLiteral("/ok"));
        QVERIFY(m_first->hooks->saveHook(hook));
    }
    QTRY_COMPARE_WITH_TIMEOUT(m_second->shownUrls().size(), 1, 5000);

    QTemporaryDir home;
    QVERIFY(home.isValid());
    const QProcessEnvironment environment = CliTest::cleanEnvironment(home.path());
    QProcess serve;
    serve.setProcessEnvironment(environment);
    serve.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    serve.start(CliTest::adminBinary(),
                {QStringLiteral("--db"), m_location, QStringLiteral("serve")});
    QVERIFY(serve.waitForStarted(10000));
    const auto stopServe = qScopeGuard([&serve] {
        serve.terminate();
        if (!serve.waitForFinished(20000))
            serve.kill();
    });
    // Events stored by another process, delivered by serve (not the windows,
    // which run no engine here): three rounds, each timed from the request's
    // arrival to the row in both logs.
    qint64 worst = 0;
    for (int round = 1; round <= 3; ++round) {
        const CliTest::Run emitted =
            CliTest::runCli(environment,
                            {QStringLiteral("--db"), m_location, QStringLiteral("emit"),
                             QStringLiteral("PROJECT_UPDATED"), QStringLiteral("--queue")},
                            {}, {.keepEventLoopRunning = true});
        QVERIFY2(emitted.exitCode == 0, qPrintable(CliTest::describe(emitted)));
        QVERIFY(QTest::qWaitFor([&receiver, round] { return receiver.count() >= round; }, 20000));
        QElapsedTimer sinceSent;
        sinceSent.start();
        QVERIFY(QTest::qWaitFor(
            [this, round] {
                return m_first->logRows(AttemptOutcome::Succeeded) >= round &&
                       m_second->logRows(AttemptOutcome::Succeeded) >= round;
            },
            10000));
        worst = std::max(worst, sinceSent.elapsed());
    }
    qInfo("the slowest delivery showed in both logs %lld ms after the receiver got it", worst);
    // The receiver answers before serve records: the time includes that.
    QVERIFY2(worst <= LiveMs, qPrintable(QString::number(worst)));
}

QTEST_MAIN(TestTwoWindows)
#include "tst_two_windows.moc"
