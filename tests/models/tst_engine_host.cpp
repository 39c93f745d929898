#include "delivery/delivery_store.h"
#include "delivery/engine_host.h"
#include "store/database.h"
#include "store/hook_store.h"
#include "test_database.h"
#include "test_receiver.h"

#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

// The dispatcher on its own thread, fed by another connection, as in the GUI.
class TestEngineHost : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void sendsWhatAnotherConnectionStores();
    void stopsWithWorkPendingAndResumes();
};

void TestEngineHost::sendsWhatAnotherConnectionStores()
{
    QTemporaryDir dir;
    const QString path = TestDatabase::create(dir.path(), QStringLiteral("hooks.sqlite"));
    Database db;
    QVERIFY(!db.open(path));
    HookStore hooks(&db);
    DeliveryStore deliveries(&db);
    TestReceiver receiver;
    QVERIFY(receiver.listen());
    Webhook hook;
    hook.url = receiver.url(QStringLiteral("/ok"));
    Result<Webhook> saved = hooks.saveHook(hook);
    QVERIFY(saved);

    EngineHost service(path);
    QSignalSpy finished(&service, &EngineHost::attemptFinished);
    QSignalSpy failures(&service, &EngineHost::failed);
    service.start();

    const EventCatalog catalog = hooks.catalog();
    Result<EmitResult> test = deliveries.enqueueTest(
        catalog, saved->id, EventCatalog::PingKey, std::nullopt,
        catalog.samplePayload(EventCatalog::PingKey), QDateTime::currentDateTimeUtc());
    QVERIFY(test);
    service.wake();
    QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 5000);
    QCOMPARE(finished.first().at(0).toLongLong(), test->attemptIds.first());
    QCOMPARE(finished.first().at(2).value<AttemptOutcome>(), AttemptOutcome::Succeeded);
    QCOMPARE(receiver.requests().size(), 1);
    // Recorded by the worker's connection, read back by ours.
    QTRY_COMPARE_WITH_TIMEOUT(deliveries.attempt(test->attemptIds.first())->outcome,
                              AttemptOutcome::Succeeded, 5000);

    // An event emitted without a wake is found by the poll.
    Result<EmitResult> emitted = deliveries.emitEvent(
        catalog, QStringLiteral("TASKS_CREATED"), std::nullopt,
        catalog.samplePayload(QStringLiteral("TASKS_CREATED")), QDateTime::currentDateTimeUtc());
    QVERIFY(emitted);
    QTRY_COMPARE_WITH_TIMEOUT(receiver.requests().size(), 2, 5000);
    service.stop();
    QVERIFY(!service.isRunning());
    QCOMPARE(failures.size(), 0);
}

void TestEngineHost::stopsWithWorkPendingAndResumes()
{
    QTemporaryDir dir;
    const QString path = TestDatabase::create(dir.path(), QStringLiteral("hooks.sqlite"));
    Database db;
    QVERIFY(!db.open(path));
    HookStore hooks(&db);
    DeliveryStore deliveries(&db);
    TestReceiver receiver;
    QVERIFY(receiver.listen());
    Webhook hook;
    hook.url = receiver.url(QStringLiteral("/slow/300"));
    QVERIFY(hooks.saveHook(hook));
    const EventCatalog catalog = hooks.catalog();
    for (int i = 0; i < 20; ++i)
        QVERIFY(deliveries.emitEvent(catalog, QStringLiteral("PROJECT_UPDATED"), std::nullopt,
                                     catalog.samplePayload(QStringLiteral("PROJECT_UPDATED")),
                                     QDateTime::currentDateTimeUtc()));
    {
        EngineHost service(path);
        service.start();
        QTRY_VERIFY_WITH_TIMEOUT(receiver.total() >= 1, 5000);
        service.stop();
    }
    const qint64 pending =
        deliveries.countAttempts({std::nullopt, {}, AttemptOutcome::Pending, {}}).value();
    QVERIFY2(pending > 0, "everything was sent before the stop; the test proves nothing");
    EngineHost again(path);
    again.start();
    QTRY_COMPARE_WITH_TIMEOUT(
        deliveries.countAttempts({std::nullopt, {}, AttemptOutcome::Succeeded, {}}).value(), 20,
        20000);
}

QTEST_GUILESS_MAIN(TestEngineHost)
#include "tst_engine_host.moc"
