#include "delivery/circuit_breaker.h"
#include "delivery/delivery_store.h"
#include "delivery/dispatcher.h"
#include "store/database.h"
#include "store/hook_store.h"
#include "test_database.h"
#include "test_receiver.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <functional>
#include <memory>

// WEBHOOK_DISABLED, WEBHOOK_PAUSED and DELIVERY_EXHAUSTED with the real
// engine: a receiver on 127.0.0.1 playing a 410 hook, an always-500 hook and
// a "pager" hook that listens; the file or the PostgreSQL database behind.
class TestOperationalEvents : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void subscribedLikeAnyEventButNeverEmittedByHand();
    void goneHookTellsThePager();
    void failingHookIsPausedAndNeverHearsOfItself();
    void nobodyListeningStoresNothing();

private:
    qint64 addHook(const QString &path, const QStringList &actions);
    EmitResult emitTasks();
    // The requests of one receiver path, parsed.
    QList<QJsonObject> bodies(const QByteArray &path) const;
    // How many deliveries of the event `key` are stored, to any hook.
    int storedDeliveries(const QString &key, std::optional<qint64> toHook = std::nullopt);
    bool waitFor(const std::function<bool()> &done, int timeoutMs);

    QStringList m_operational{EventCatalog::WebhookDisabledKey, EventCatalog::WebhookPausedKey,
                              EventCatalog::DeliveryExhaustedKey};
    QTemporaryDir m_dir;
    std::unique_ptr<Database> m_db;
    std::unique_ptr<HookStore> m_hooks;
    std::unique_ptr<DeliveryStore> m_deliveries;
    std::unique_ptr<QNetworkAccessManager> m_network;
    std::unique_ptr<Dispatcher> m_dispatcher;
    std::unique_ptr<TestReceiver> m_receiver;
    int m_run = 0;
};

void TestOperationalEvents::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_dir.isValid());
}

void TestOperationalEvents::init()
{
    qputenv("WEBHOOK_RETRY_SCHEDULE", "0,0.2,0.2,0.2");
    const QString path =
        TestDatabase::create(m_dir.path(), QStringLiteral("db%1.sqlite").arg(++m_run));
    QVERIFY(!path.isEmpty());
    m_db = std::make_unique<Database>();
    QVERIFY(!m_db->open(path));
    m_hooks = std::make_unique<HookStore>(m_db.get());
    m_deliveries = std::make_unique<DeliveryStore>(m_db.get());
    m_network = std::make_unique<QNetworkAccessManager>();
    m_dispatcher = std::make_unique<Dispatcher>(m_deliveries.get(), m_network.get());
    // No probe of a paused hook while the test looks.
    m_dispatcher->setCircuitBreaker(CircuitBreaker(60000, 60000));
    connect(m_dispatcher.get(), &Dispatcher::storageFailed, this,
            [](const QString &message) { qWarning() << "storage failed:" << message; });
    m_receiver = std::make_unique<TestReceiver>();
    QVERIFY(m_receiver->listen());
}

void TestOperationalEvents::cleanup()
{
    m_dispatcher.reset();
    m_network.reset();
    m_receiver.reset();
    m_deliveries.reset();
    m_hooks.reset();
    m_db.reset();
    qunsetenv("WEBHOOK_RETRY_SCHEDULE");
}

qint64 TestOperationalEvents::addHook(const QString &path, const QStringList &actions)
{
    Webhook hook;
    hook.url = m_receiver->url(path);
    hook.timeoutSeconds = 5;
    hook.maxAttempts = 2;
    hook.sendForAllActions = actions.isEmpty();
    hook.actions = actions;
    Result<Webhook> saved = m_hooks->saveHook(hook);
    if (!saved)
        qWarning() << saved.error().message;
    return saved ? saved->id : 0;
}

EmitResult TestOperationalEvents::emitTasks()
{
    const EventCatalog catalog = m_hooks->catalog();
    Result<EmitResult> emitted = m_deliveries->emitEvent(
        catalog, QStringLiteral("TASKS_CREATED"), std::nullopt,
        catalog.samplePayload(QStringLiteral("TASKS_CREATED")), QDateTime::currentDateTimeUtc());
    if (!emitted)
        qWarning() << emitted.error().message;
    return emitted ? emitted.value() : EmitResult();
}

QList<QJsonObject> TestOperationalEvents::bodies(const QByteArray &path) const
{
    QList<QJsonObject> result;
    for (const TestReceiver::Request &request : m_receiver->requests()) {
        if (request.path == path)
            result.append(QJsonDocument::fromJson(request.body).object());
    }
    return result;
}

int TestOperationalEvents::storedDeliveries(const QString &key, std::optional<qint64> toHook)
{
    QSqlQuery query(m_db->connection());
    query.prepare(QStringLiteral("SELECT count(*) FROM deliveries WHERE action = ? AND "
                                 "(? = 0 OR webhook_id = ?)"));
    query.addBindValue(key);
    query.addBindValue(toHook ? 1 : 0);
    query.addBindValue(toHook.value_or(0));
    if (!query.exec() || !query.next())
        return -1;
    return query.value(0).toInt();
}

bool TestOperationalEvents::waitFor(const std::function<bool()> &done, int timeoutMs)
{
    QElapsedTimer waited;
    waited.start();
    while (!done()) {
        if (waited.elapsed() > timeoutMs)
            return false;
        QTest::qWait(20);
    }
    return true;
}

void TestOperationalEvents::subscribedLikeAnyEventButNeverEmittedByHand()
{
    const EventCatalog catalog = m_hooks->catalog();
    for (const QString &key : std::as_const(m_operational)) {
        const std::optional<EventType> type = catalog.find(key);
        QVERIFY(type);
        QCOMPARE(type->group, EventCatalog::OperationsGroup);
        QVERIFY(type->organizationOnly);
        QCOMPARE(type->payloadKey, QStringLiteral("webhook"));
        // Test sends show them with a sample payload.
        QVERIFY(catalog.samplePayload(key).value(QLatin1String("webhook")).isObject());
        Result<EmitResult> emitted =
            m_deliveries->emitEvent(catalog, key, std::nullopt, catalog.samplePayload(key),
                                    QDateTime::currentDateTimeUtc());
        QVERIFY(!emitted);
        QVERIFY2(emitted.error().message.contains(QLatin1String("operational event")),
                 qPrintable(emitted.error().message));
    }
    const qint64 pager = addHook(QStringLiteral("/ok"), m_operational);
    QVERIFY(pager > 0);
    QCOMPARE(m_hooks->hook(pager)->actions, m_operational);
    Result<EmitResult> test = m_deliveries->enqueueTest(
        catalog, pager, EventCatalog::WebhookPausedKey, std::nullopt,
        catalog.samplePayload(EventCatalog::WebhookPausedKey), QDateTime::currentDateTimeUtc());
    QVERIFY2(test, qPrintable(test.error().message));
}

void TestOperationalEvents::goneHookTellsThePager()
{
    QVERIFY(m_deliveries->setFailureThreshold(0));
    const qint64 pager = addHook(QStringLiteral("/ok"), m_operational);
    // The gone hook listens too: it must not hear of itself.
    const qint64 gone = addHook(QStringLiteral("/gone"),
                                QStringList{QStringLiteral("TASKS_CREATED")} + m_operational);
    // A hook for "all events" gets the platform's events, not these.
    const qint64 everything = addHook(QStringLiteral("/status/200"), {});
    QVERIFY(pager > 0 && gone > 0 && everything > 0);
    {
        // A password in the URL: the event shows it masked, never as it is.
        Webhook withPassword = m_hooks->hook(gone).value();
        withPassword.url =
            m_receiver->url(QStringLiteral("/gone"))
                .replace(QLatin1String("http://"), QLatin1String("http://ops:hunter2@"));
        QVERIFY(m_hooks->saveHook(withPassword));
    }
    const EmitResult emitted = emitTasks();
    QCOMPARE(emitted.deliveryIds.size(), 2); // the gone hook's and everything's
    const qint64 goneDelivery = emitted.deliveryIds.first();

    m_dispatcher->start();
    QVERIFY(waitFor([&] { return bodies("/ok").size() >= 2; }, 10000));
    QTest::qWait(300); // nothing more arrives
    const QList<QJsonObject> told = bodies("/ok");
    QCOMPARE(told.size(), 2);
    QVERIFY(!m_hooks->hook(gone)->isActive);

    QJsonObject disabled;
    QJsonObject exhausted;
    for (const QJsonObject &body : told) {
        if (body.value(QLatin1String("action")) == EventCatalog::WebhookDisabledKey)
            disabled = body;
        if (body.value(QLatin1String("action")) == EventCatalog::DeliveryExhaustedKey)
            exhausted = body;
    }
    QVERIFY(!disabled.isEmpty());
    QVERIFY(!exhausted.isEmpty());
    const QJsonObject about = disabled.value(QLatin1String("webhook")).toObject();
    QCOMPARE(about.value(QLatin1String("id")).toInteger(), gone);
    // The URL is masked: the token never leaves.
    QVERIFY2(about.value(QLatin1String("url")).toString().contains(QStringLiteral("ops:••••••@")),
             qPrintable(about.value(QLatin1String("url")).toString()));
    QVERIFY(!QJsonDocument(disabled).toJson().contains("hunter2"));
    QVERIFY(!QJsonDocument(exhausted).toJson().contains("hunter2"));
    QVERIFY2(disabled.value(QLatin1String("reason")).toString().contains(QLatin1String("410")),
             qPrintable(disabled.value(QLatin1String("reason")).toString()));
    QVERIFY(!disabled.value(QLatin1String("last_error")).toString().isEmpty());
    QCOMPARE(disabled.value(QLatin1String("delivery_id")).toInteger(), goneDelivery);
    QCOMPARE(
        exhausted.value(QLatin1String("webhook")).toObject().value(QLatin1String("id")).toInteger(),
        gone);
    QCOMPARE(exhausted.value(QLatin1String("delivery_id")).toInteger(), goneDelivery);

    // The gone hook got its own event once, the "all events" hook only TASKS_CREATED.
    QCOMPARE(bodies("/gone").size(), 1);
    QCOMPARE(bodies("/status/200").size(), 1);
    QCOMPARE(bodies("/status/200").first().value(QLatin1String("action")).toString(),
             QStringLiteral("TASKS_CREATED"));
    QCOMPARE(storedDeliveries(EventCatalog::WebhookDisabledKey, gone), 0);
    QCOMPARE(storedDeliveries(EventCatalog::WebhookDisabledKey), 1);
}

void TestOperationalEvents::failingHookIsPausedAndNeverHearsOfItself()
{
    QVERIFY(m_deliveries->setFailureThreshold(2));
    m_deliveries->setCircuitBreaker(CircuitBreaker(60000, 60000));
    const qint64 pager = addHook(QStringLiteral("/ok"), m_operational);
    const qint64 failing = addHook(QStringLiteral("/status/500"),
                                   QStringList{QStringLiteral("TASKS_CREATED")} + m_operational);
    QVERIFY(pager > 0 && failing > 0);
    {
        Webhook once = m_hooks->hook(failing).value();
        once.maxAttempts = 1; // each failure uses the delivery's only attempt
        once.maxInFlight = 1; // one after the other: the second delivery's failure pauses it
        QVERIFY(m_hooks->saveHook(once));
    }
    const qint64 first = emitTasks().deliveryIds.value(0);
    const qint64 second = emitTasks().deliveryIds.value(0);
    QVERIFY(first > 0 && second > first);

    m_dispatcher->start();
    QVERIFY(waitFor([&] { return m_hooks->hook(failing)->isPaused(); }, 10000));
    // Paused and told in one transaction: the event is there the moment the pause is.
    QCOMPARE(storedDeliveries(EventCatalog::WebhookPausedKey, pager), 1);
    QVERIFY(waitFor([&] { return bodies("/ok").size() >= 3; }, 10000));
    QTest::qWait(300);
    const QList<QJsonObject> told = bodies("/ok");
    QCOMPARE(told.size(), 3);
    QList<qint64> exhaustedDeliveries;
    int paused = 0;
    for (const QJsonObject &body : told) {
        QCOMPARE(
            body.value(QLatin1String("webhook")).toObject().value(QLatin1String("id")).toInteger(),
            failing);
        const QString action = body.value(QLatin1String("action")).toString();
        if (action == EventCatalog::DeliveryExhaustedKey) {
            exhaustedDeliveries.append(body.value(QLatin1String("delivery_id")).toInteger());
            QVERIFY(
                body.value(QLatin1String("last_error")).toString().contains(QLatin1String("500")));
        } else if (action == EventCatalog::WebhookPausedKey) {
            ++paused;
            QVERIFY2(body.value(QLatin1String("reason"))
                         .toString()
                         .contains(QLatin1String("2 deliveries in a row failed")),
                     qPrintable(body.value(QLatin1String("reason")).toString()));
            QCOMPARE(body.value(QLatin1String("delivery_id")).toInteger(), second);
        }
    }
    std::sort(exhaustedDeliveries.begin(), exhaustedDeliveries.end());
    QCOMPARE(exhaustedDeliveries, (QList<qint64>{first, second}));
    QCOMPARE(paused, 1);
    // The failing hook checks these events too, and never got one about itself.
    for (const QJsonObject &body : bodies("/status/500"))
        QCOMPARE(body.value(QLatin1String("action")).toString(), QStringLiteral("TASKS_CREATED"));
    QCOMPARE(bodies("/status/500").size(), 2);
    for (const QString &key : std::as_const(m_operational))
        QCOMPARE(storedDeliveries(key, failing), 0);
}

void TestOperationalEvents::nobodyListeningStoresNothing()
{
    QVERIFY(m_deliveries->setFailureThreshold(1));
    const qint64 failing = addHook(QStringLiteral("/status/500"), {});
    QVERIFY(failing > 0);
    {
        Webhook once = m_hooks->hook(failing).value();
        once.maxAttempts = 1;
        QVERIFY(m_hooks->saveHook(once));
    }
    emitTasks();
    m_dispatcher->start();
    QVERIFY(waitFor([&] { return m_hooks->hook(failing)->isPaused(); }, 10000));
    QTest::qWait(200);
    for (const QString &key : std::as_const(m_operational))
        QCOMPARE(storedDeliveries(key), 0);
    QSqlQuery events(m_db->connection());
    QVERIFY(events.exec(QStringLiteral("SELECT count(*) FROM events")));
    QVERIFY(events.next());
    QCOMPARE(events.value(0).toInt(), 1); // the TASKS_CREATED only
}

QTEST_GUILESS_MAIN(TestOperationalEvents)
#include "tst_operational_events.moc"
