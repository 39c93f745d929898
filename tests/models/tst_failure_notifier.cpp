#include "delivery/delivery_store.h"
#include "delivery/dispatcher.h"
#include "notify/desktop_notifications.h"
#include "notify/failure_notifier.h"
#include "store/database.h"
#include "store/hook_store.h"
#include "test_receiver.h"

#include <QDBusConnection>
#include <QDBusConnectionInterface>
#include <QDBusMessage>
#include <QNetworkAccessManager>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <memory>

// Failure notifications over a real D-Bus session bus: the test starts its
// own dbus-daemon and owns org.freedesktop.Notifications on it, as a
// desktop's notification server does; the hooks fail for real against a
// receiver on 127.0.0.1.

// What a notification server records; it answers Notify like one.
class NotificationServer : public QObject
{
    Q_OBJECT
    Q_CLASSINFO("D-Bus Interface", "org.freedesktop.Notifications")

public:
    struct Shown
    {
        uint id;
        QString summary;
        QString body;
        QStringList actions;
    };
    QList<Shown> shown;

public slots:
    uint Notify(const QString &appName, uint replacesId, const QString &appIcon,
                const QString &summary, const QString &body, const QStringList &actions,
                const QVariantMap &hints, int expireTimeout)
    {
        Q_UNUSED(appName);
        Q_UNUSED(replacesId);
        Q_UNUSED(appIcon);
        Q_UNUSED(hints);
        Q_UNUSED(expireTimeout);
        const uint id = uint(shown.size()) + 100;
        shown.append({id, summary, body, actions});
        return id;
    }
    QStringList GetCapabilities() { return {QStringLiteral("actions"), QStringLiteral("body")}; }
};

class TestFailureNotifier : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void init();
    void cleanup();

    void describesOneAndMany();
    void exhaustedDeliveryIsToldAtOnce();
    void aBurstMakesOneSummary();
    void pausedAndDeactivatedHooksAreTold();
    void clickShowsTheHookAndRow();
    void switchedOffTellsNothing();
    void oldFailuresAndTestSendsAreNotNews();

private:
    qint64 addHook(const QString &path, int maxAttempts = 1);
    // Emits and sends `count` events to the hooks and waits for the outcome.
    void failDeliveries(int count);

    QProcess m_daemon;
    QString m_address;
    std::unique_ptr<QDBusConnection> m_serverBus;
    NotificationServer m_server;
    QTemporaryDir m_dir;
    int m_run = 0;
    std::unique_ptr<Database> m_db;
    std::unique_ptr<HookStore> m_hooks;
    std::unique_ptr<DeliveryStore> m_deliveries;
    std::unique_ptr<QNetworkAccessManager> m_network;
    std::unique_ptr<Dispatcher> m_dispatcher;
    std::unique_ptr<TestReceiver> m_receiver;
    std::unique_ptr<DesktopNotifications> m_notifications;
    std::unique_ptr<FailureNotifier> m_notifier;
};

void TestFailureNotifier::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_dir.isValid());
    const QString daemon = QStandardPaths::findExecutable(QStringLiteral("dbus-daemon"));
    QVERIFY2(!daemon.isEmpty(), "dbus-daemon is needed (packaging/install-deps.sh)");
    m_daemon.start(daemon, {QStringLiteral("--session"), QStringLiteral("--nofork"),
                            QStringLiteral("--print-address")});
    QVERIFY(m_daemon.waitForStarted());
    QVERIFY(QTest::qWaitFor([this] { return m_daemon.canReadLine(); }, 10000));
    m_address = QString::fromUtf8(m_daemon.readLine().trimmed());
    QVERIFY2(m_address.startsWith(QLatin1String("unix:")), qPrintable(m_address));

    m_serverBus = std::make_unique<QDBusConnection>(
        QDBusConnection::connectToBus(m_address, QStringLiteral("notification-server")));
    QVERIFY2(m_serverBus->isConnected(), qPrintable(m_serverBus->lastError().message()));
    QVERIFY(m_serverBus->registerObject(DesktopNotifications::Path, &m_server,
                                        QDBusConnection::ExportAllSlots));
    QVERIFY(m_serverBus->registerService(DesktopNotifications::Service));
}

void TestFailureNotifier::cleanupTestCase()
{
    m_serverBus.reset();
    QDBusConnection::disconnectFromBus(QStringLiteral("notification-server"));
    QDBusConnection::disconnectFromBus(QStringLiteral("app"));
    m_daemon.terminate();
    m_daemon.waitForFinished(5000);
}

void TestFailureNotifier::init()
{
    m_server.shown.clear();
    m_db = std::make_unique<Database>();
    QVERIFY(!m_db->open(m_dir.filePath(QStringLiteral("db%1.sqlite").arg(++m_run))));
    m_hooks = std::make_unique<HookStore>(m_db.get());
    m_deliveries = std::make_unique<DeliveryStore>(m_db.get());
    m_network = std::make_unique<QNetworkAccessManager>();
    m_dispatcher = std::make_unique<Dispatcher>(m_deliveries.get(), m_network.get());
    m_receiver = std::make_unique<TestReceiver>();
    QVERIFY(m_receiver->listen());
    // The app's own connection to the bus, as the window has to its session bus.
    const QDBusConnection app = QDBusConnection::connectToBus(m_address, QStringLiteral("app"));
    QVERIFY(app.isConnected());
    m_notifications = std::make_unique<DesktopNotifications>(app);
    QVERIFY(m_notifications->isAvailable());
    m_notifier = std::make_unique<FailureNotifier>(m_db.get(), m_notifications.get());
    m_notifier->setBurstInterval(1500);
}

void TestFailureNotifier::cleanup()
{
    m_notifier.reset();
    m_notifications.reset();
    m_dispatcher.reset();
    m_network.reset();
    m_receiver.reset();
    m_deliveries.reset();
    m_hooks.reset();
    m_db.reset();
}

qint64 TestFailureNotifier::addHook(const QString &path, int maxAttempts)
{
    Webhook hook;
    QString url = m_receiver->url(path);
    hook.url = url.replace(QLatin1String("http://"), QLatin1String("http://robot:hunter2@"));
    hook.maxAttempts = maxAttempts;
    Result<Webhook> saved = m_hooks->saveHook(hook);
    return saved ? saved->id : 0;
}

void TestFailureNotifier::failDeliveries(int count)
{
    const EventCatalog catalog = m_hooks->catalog();
    QList<qint64> attempts;
    for (int i = 0; i < count; ++i) {
        Result<EmitResult> emitted =
            m_deliveries->emitEvent(catalog, QStringLiteral("PROJECT_CREATED"), std::nullopt,
                                    catalog.samplePayload(QStringLiteral("PROJECT_CREATED")),
                                    QDateTime::currentDateTimeUtc());
        QVERIFY(emitted);
        attempts += emitted->attemptIds;
    }
    m_dispatcher->send(attempts);
    QVERIFY(QTest::qWaitFor(
        [&] {
            for (const qint64 id : std::as_const(attempts)) {
                if (m_deliveries->attempt(id)->outcome == AttemptOutcome::Pending)
                    return false;
            }
            return true;
        },
        15000));
}

void TestFailureNotifier::describesOneAndMany()
{
    FailureAlert exhausted{FailureAlert::Kind::Exhausted,
                           3,
                           17,
                           40,
                           QStringLiteral("TASKS_CREATED"),
                           QStringLiteral("http://robot:••••••@trainer/hook"),
                           QStringLiteral("HTTP 500")};
    const auto [summary, body] = FailureNotifier::describe({exhausted});
    QCOMPARE(summary, QStringLiteral("Delivery failed"));
    QCOMPARE(body, QStringLiteral("TASKS_CREATED delivery 17 to webhook 3 "
                                  "(http://robot:••••••@trainer/hook) failed after all attempts: "
                                  "HTTP 500"));
    FailureAlert paused{FailureAlert::Kind::Paused,
                        4,
                        0,
                        0,
                        {},
                        QStringLiteral("http://a/"),
                        QStringLiteral("5 failed deliveries in a row")};
    QList<FailureAlert> many{exhausted, exhausted, exhausted, exhausted, paused};
    const auto [manySummary, manyBody] = FailureNotifier::describe(many);
    QCOMPARE(manySummary, QStringLiteral("4 deliveries failed after all attempts; 1 webhooks "
                                         "paused or deactivated"));
    QCOMPARE(manyBody.count(QLatin1Char('\n')), 3);
    QVERIFY(manyBody.endsWith(QStringLiteral("…and 2 more; the delivery log has them all.")));
}

void TestFailureNotifier::exhaustedDeliveryIsToldAtOnce()
{
    QVERIFY(addHook(QStringLiteral("/status/500")));
    failDeliveries(1);
    QSignalSpy notified(m_notifier.get(), &FailureNotifier::notified);
    m_notifier->check();
    QCOMPARE(notified.size(), 1);
    QTRY_COMPARE(m_server.shown.size(), 1);
    const NotificationServer::Shown shown = m_server.shown.first();
    QCOMPARE(shown.summary, QStringLiteral("Delivery failed"));
    QVERIFY2(shown.body.contains(QLatin1String("PROJECT_CREATED delivery 1 to webhook 1")),
             qPrintable(shown.body));
    QVERIFY(shown.body.contains(QLatin1String("HTTP 500")));
    // The URL's password is masked.
    QVERIFY(!shown.body.contains(QLatin1String("hunter2")));
    QVERIFY(shown.body.contains(QStringLiteral("robot:••••••@")));
    QVERIFY(shown.actions.contains(QStringLiteral("default")));
    // Nothing new: nothing told.
    m_notifier->check();
    QTest::qWait(200);
    QCOMPARE(m_server.shown.size(), 1);
}

void TestFailureNotifier::aBurstMakesOneSummary()
{
    QVERIFY(addHook(QStringLiteral("/status/500")));
    failDeliveries(1);
    m_notifier->check();
    QTRY_COMPARE(m_server.shown.size(), 1);
    // Within the burst interval: kept back, then told as one summary.
    for (int i = 0; i < 3; ++i) {
        failDeliveries(2);
        m_notifier->check();
    }
    QTest::qWait(300);
    QCOMPARE(m_server.shown.size(), 1);
    QTRY_COMPARE_WITH_TIMEOUT(m_server.shown.size(), 2, 5000);
    QCOMPARE(m_server.shown.at(1).summary,
             QStringLiteral("6 deliveries failed after all attempts"));
    QTest::qWait(2000);
    QCOMPARE(m_server.shown.size(), 2);
}

void TestFailureNotifier::pausedAndDeactivatedHooksAreTold()
{
    m_notifier->setBurstInterval(0);
    QVERIFY(m_deliveries->setFailureThreshold(2));
    const qint64 flaky = addHook(QStringLiteral("/status/503"));
    failDeliveries(2);
    QVERIFY(m_hooks->hook(flaky)->isPaused());
    m_notifier->check();
    QTRY_COMPARE(m_server.shown.size(), 1);
    QVERIFY2(m_server.shown.first().summary.contains(QLatin1String("paused or deactivated")),
             qPrintable(m_server.shown.first().summary));
    QVERIFY(m_server.shown.first().body.contains(QLatin1String("Webhook 1 (")));
    QVERIFY(m_server.shown.first().body.contains(QLatin1String("is paused")));

    Webhook paused = m_hooks->hook(flaky).value();
    paused.isActive = false;
    QVERIFY(m_hooks->saveHook(paused)); // switched off by hand: not news
    const qint64 gone = addHook(QStringLiteral("/gone"));
    failDeliveries(1);
    QVERIFY(!m_hooks->hook(gone)->isActive);
    m_notifier->check();
    QTRY_COMPARE(m_server.shown.size(), 2);
    QVERIFY2(m_server.shown.at(1).body.contains(QLatin1String("Webhook 2 (")),
             qPrintable(m_server.shown.at(1).body));
    QVERIFY(m_server.shown.at(1).body.contains(QLatin1String("was deactivated")));
}

void TestFailureNotifier::clickShowsTheHookAndRow()
{
    const qint64 hook = addHook(QStringLiteral("/status/500"));
    failDeliveries(1);
    m_notifier->check();
    QTRY_COMPARE(m_server.shown.size(), 1);
    QSignalSpy activated(m_notifier.get(), &FailureNotifier::activated);
    // Another program's notification: not ours to act on.
    QDBusMessage other = QDBusMessage::createSignal(
        DesktopNotifications::Path, DesktopNotifications::Service, QStringLiteral("ActionInvoked"));
    other << uint(9999) << QStringLiteral("default");
    QVERIFY(m_serverBus->send(other));
    QDBusMessage click = QDBusMessage::createSignal(
        DesktopNotifications::Path, DesktopNotifications::Service, QStringLiteral("ActionInvoked"));
    click << m_server.shown.first().id << QStringLiteral("default");
    QVERIFY(m_serverBus->send(click));
    QTRY_COMPARE(activated.size(), 1);
    QCOMPARE(activated.first().at(0).toLongLong(), hook);
    const Result<QList<Attempt>> last = m_deliveries->attempts({}, 0, 1);
    QCOMPARE(activated.first().at(1).toLongLong(), last->first().id);
}

void TestFailureNotifier::switchedOffTellsNothing()
{
    QVERIFY(addHook(QStringLiteral("/status/500")));
    m_notifier->setEnabled(false);
    failDeliveries(2);
    m_notifier->check();
    QTest::qWait(300);
    QVERIFY(m_server.shown.isEmpty());
    // Switched on again: what failed meanwhile is not replayed.
    m_notifier->setEnabled(true);
    m_notifier->check();
    QTest::qWait(300);
    QVERIFY(m_server.shown.isEmpty());
    failDeliveries(1);
    m_notifier->check();
    QTRY_COMPARE(m_server.shown.size(), 1);
}

void TestFailureNotifier::oldFailuresAndTestSendsAreNotNews()
{
    QVERIFY(addHook(QStringLiteral("/status/500")));
    failDeliveries(2);
    // A notifier started now (the window opening) does not replay them.
    FailureNotifier fresh(m_db.get(), m_notifications.get());
    fresh.check();
    // A failed test send is watched by its sender.
    const EventCatalog catalog = m_hooks->catalog();
    Result<EmitResult> test = m_deliveries->enqueueTest(
        catalog, 1, QStringLiteral("PING"), std::nullopt,
        catalog.samplePayload(QStringLiteral("PING")), QDateTime::currentDateTimeUtc());
    QVERIFY(test);
    m_dispatcher->send(test->attemptIds);
    QTRY_VERIFY(m_deliveries->attempt(test->attemptIds.first())->outcome == AttemptOutcome::Failed);
    fresh.check();
    QTest::qWait(300);
    QVERIFY(m_server.shown.isEmpty());
}

QTEST_GUILESS_MAIN(TestFailureNotifier)
#include "tst_failure_notifier.moc"
