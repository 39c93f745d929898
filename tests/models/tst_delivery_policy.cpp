#include "delivery/circuit_breaker.h"
#include "delivery/delivery_store.h"
#include "delivery/dispatcher.h"
#include "delivery/filter_trial.h"
#include "items/delivery_log_model.h"
#include "store/database.h"
#include "store/hook_store.h"
#include "test_database.h"
#include "test_receiver.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <memory>

// A hook's delivery policy with the real engine: a real HTTP receiver on
// 127.0.0.1, a real SQLite file, the dispatcher in scheduled mode.
class TestDeliveryPolicy : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void filterSendsOnlyMatchingEvents();
    void rateLimitSpreadsDeliveriesWithoutUsingAttempts();
    void twoDispatchersShareTheRateLimit();
    void maxInFlightOneSendsOneAfterTheOther();
    void retriesOnlyWhatTheHookRetriesOn();
    void perHookRetrySchedule();
    void outagePausesProbesAndResumesWithNothingLost();
    void longPauseDeactivates();
    void resumeNowDrainsInOrder();
    void pauseHoldsBackWhatIsAlreadyClaimed();
    void oneShotSendLeavesAPausedHookWaiting();

private:
    qint64 addHook(const QString &path, const std::function<void(Webhook &)> &edit = {});
    EmitResult emitAnnotation(bool groundTruth, const QString &label);
    QList<Attempt> attemptsOfHook(qint64 hookId);
    bool waitFor(const std::function<bool()> &done, int timeoutMs);

    QTemporaryDir m_dir;
    std::unique_ptr<Database> m_db;
    std::unique_ptr<HookStore> m_hooks;
    std::unique_ptr<DeliveryStore> m_deliveries;
    std::unique_ptr<QNetworkAccessManager> m_network;
    std::unique_ptr<Dispatcher> m_dispatcher;
    std::unique_ptr<TestReceiver> m_receiver;
    QList<QPair<qint64, QByteArray>> m_arrivals; // ms since start, path
    QElapsedTimer m_clock;
    QString m_path;
    int m_run = 0;
};

void TestDeliveryPolicy::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_dir.isValid());
}

void TestDeliveryPolicy::init()
{
    qputenv("WEBHOOK_RETRY_SCHEDULE", "0,1,1,1");
    m_path = TestDatabase::create(m_dir.path(), QStringLiteral("db%1.sqlite").arg(++m_run));
    m_db = std::make_unique<Database>();
    QVERIFY(!m_db->open(m_path));
    m_hooks = std::make_unique<HookStore>(m_db.get());
    m_deliveries = std::make_unique<DeliveryStore>(m_db.get());
    m_network = std::make_unique<QNetworkAccessManager>();
    m_dispatcher = std::make_unique<Dispatcher>(m_deliveries.get(), m_network.get());
    connect(m_dispatcher.get(), &Dispatcher::storageFailed, this,
            [](const QString &message) { qWarning() << "storage failed:" << message; });
    m_receiver = std::make_unique<TestReceiver>();
    QVERIFY(m_receiver->listen());
    m_arrivals.clear();
    m_clock.start();
    connect(m_receiver.get(), &TestReceiver::requestReceived, this, [this] {
        m_arrivals.append({m_clock.elapsed(), m_receiver->requests().constLast().path});
    });
}

void TestDeliveryPolicy::cleanup()
{
    m_dispatcher.reset();
    m_network.reset();
    m_receiver.reset();
    m_deliveries.reset();
    m_hooks.reset();
    m_db.reset();
    qunsetenv("WEBHOOK_RETRY_SCHEDULE");
}

qint64 TestDeliveryPolicy::addHook(const QString &path, const std::function<void(Webhook &)> &edit)
{
    Webhook hook;
    hook.url = m_receiver->url(path);
    hook.maxAttempts = 4;
    hook.timeoutSeconds = 5;
    if (edit)
        edit(hook);
    Result<Webhook> saved = m_hooks->saveHook(hook);
    if (!saved)
        qWarning() << saved.error().message;
    return saved ? saved->id : 0;
}

EmitResult TestDeliveryPolicy::emitAnnotation(bool groundTruth, const QString &label)
{
    const EventCatalog catalog = m_hooks->catalog();
    QJsonObject data = catalog.samplePayload(QStringLiteral("ANNOTATION_CREATED"));
    QJsonObject annotation = data.value(QLatin1String("annotation")).toObject();
    annotation.insert(QStringLiteral("ground_truth"), groundTruth);
    annotation.insert(QStringLiteral("result"),
                      QJsonDocument::fromJson(
                          QStringLiteral(R"([{"value": {"choices": ["%1"]}}])").arg(label).toUtf8())
                          .array());
    data.insert(QStringLiteral("annotation"), annotation);
    Result<EmitResult> emitted =
        m_deliveries->emitEvent(catalog, QStringLiteral("ANNOTATION_CREATED"), std::nullopt, data,
                                QDateTime::currentDateTimeUtc());
    if (!emitted)
        qWarning() << emitted.error().message;
    return emitted ? emitted.value() : EmitResult();
}

QList<Attempt> TestDeliveryPolicy::attemptsOfHook(qint64 hookId)
{
    LogFilter filter;
    filter.webhookId = hookId;
    Result<QList<Attempt>> all = m_deliveries->attempts(filter, 0, 100000, true);
    if (!all)
        return {};
    QList<Attempt> oldestFirst = all.value();
    std::reverse(oldestFirst.begin(), oldestFirst.end());
    return oldestFirst;
}

bool TestDeliveryPolicy::waitFor(const std::function<bool()> &done, int timeoutMs)
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

void TestDeliveryPolicy::filterSendsOnlyMatchingEvents()
{
    const QString filterText = QStringLiteral(
        R"({"annotation.ground_truth": true, "annotation.result.0.value.choices": {"$in": ["Car"]}})");
    const qint64 hookId =
        addHook(QStringLiteral("/ok"), [&](Webhook &h) { h.filter = filterText; });
    QVERIFY(hookId);
    // Matching: ground truth Car. Not matching: not ground truth, or not a Car.
    const QList<QPair<bool, QString>> events{
        {true, QStringLiteral("Car")},  {false, QStringLiteral("Car")},
        {true, QStringLiteral("Bus")},  {true, QStringLiteral("Car")},
        {false, QStringLiteral("Bus")}, {true, QStringLiteral("Car")}};
    int filtered = 0;
    for (const auto &[truth, label] : events)
        filtered += emitAnnotation(truth, label).filtered;
    QCOMPARE(filtered, 3);
    m_dispatcher->start();
    QVERIFY(waitFor([this] { return m_receiver->count() >= 3; }, 10000));
    QTest::qWait(500); // nothing else arrives
    QCOMPARE(m_receiver->count(), 3);
    for (const TestReceiver::Request &request : m_receiver->requests()) {
        const QJsonObject body = QJsonDocument::fromJson(request.body).object();
        QVERIFY(PayloadFilter::valueAt(
                    body, {QStringLiteral("annotation"), QStringLiteral("ground_truth")})
                    .toBool());
    }

    LogFilter onlyFiltered;
    onlyFiltered.outcome = AttemptOutcome::Filtered;
    QCOMPARE(m_deliveries->countAttempts(onlyFiltered).value(), 3);
    const QList<Attempt> log = attemptsOfHook(hookId);
    QCOMPARE(log.size(), 6);
    QCOMPARE(log.at(1).outcome, AttemptOutcome::Filtered);
    QCOMPARE(log.at(1).error, QStringLiteral("annotation.ground_truth is false"));
    QVERIFY2(log.at(1).trace.contains(QLatin1String("annotation.ground_truth is false")),
             qPrintable(log.at(1).trace));
    QCOMPARE(log.at(2).error,
             QStringLiteral(R"(annotation.result.0.value.choices is ["Bus"], not one of ["Car"])"));
    QVERIFY(log.at(1).startedAt.isValid());
    // Filtered is not a failure: the hook's health is untouched.
    QCOMPARE(m_hooks->hook(hookId)->consecutiveFailures, 0);

    // What if, over the stored history: the same verdict, counted.
    QString error;
    const std::optional<PayloadFilter> filter = PayloadFilter::parse(filterText.toUtf8(), &error);
    QVERIFY(filter);
    Result<FilterTrial::Count> count =
        FilterTrial::overHistory(m_path, m_hooks->hook(hookId).value(), *filter, 10000);
    QVERIFY(count);
    QCOMPARE(count->total, 6);
    QCOMPARE(count->matched, 3);
    // Only the newest N.
    count = FilterTrial::overHistory(m_path, m_hooks->hook(hookId).value(), *filter, 2);
    QCOMPARE(count->total, 2);
    QCOMPARE(count->matched, 1); // the last two: (false, Bus), (true, Car)
    // A wider filter on the same history.
    const std::optional<PayloadFilter> cars =
        PayloadFilter::parse(R"({"annotation.result.0.value.choices": "Car"})", &error);
    count = FilterTrial::overHistory(m_path, m_hooks->hook(hookId).value(), *cars, 10000);
    QCOMPARE(count->matched, 4);
}

void TestDeliveryPolicy::rateLimitSpreadsDeliveriesWithoutUsingAttempts()
{
    const qint64 throttled = addHook(QStringLiteral("/slow/0"), [](Webhook &h) {
        h.rateLimit = RateLimit::fromKey(QStringLiteral("5/s")).value();
    });
    const qint64 free = addHook(QStringLiteral("/ok"));
    for (int i = 0; i < 50; ++i)
        emitAnnotation(true, QStringLiteral("Car"));
    m_dispatcher->start();
    QVERIFY(waitFor([this] { return m_receiver->count("/ok") >= 50; }, 5000));
    const qint64 freeDone = m_clock.elapsed();
    // Meanwhile the throttled hook's deliveries wait, shown as such.
    const QList<Attempt> early = attemptsOfHook(throttled);
    const auto waiting = std::count_if(early.begin(), early.end(), [](const Attempt &a) {
        return a.outcome == AttemptOutcome::Pending && a.errorKind == QLatin1String("rate_limit");
    });
    QVERIFY2(waiting > 30, qPrintable(QString::number(waiting)));
    const auto shown = std::find_if(early.begin(), early.end(), [](const Attempt &a) {
        return a.outcome == AttemptOutcome::Pending && a.errorKind == QLatin1String("rate_limit");
    });
    QVERIFY(shown != early.end());
    QVERIFY(DeliveryLogModel::outcomeText(*shown).startsWith(QLatin1String("waiting")));

    QVERIFY(waitFor([this] { return m_receiver->count("/slow") >= 50; }, 20000));
    QList<qint64> times;
    for (const auto &[at, path] : std::as_const(m_arrivals)) {
        if (path.startsWith("/slow"))
            times.append(at);
    }
    QCOMPARE(times.size(), 50);
    const qint64 span = times.constLast() - times.constFirst();
    QVERIFY2(span >= 9000, qPrintable(QString::number(span)));
    QVERIFY2(freeDone < 3000, qPrintable(QString::number(freeDone)));
    // Sent 200 ms apart, at most 5 a second. The arrivals carry the
    // network's and a busy machine's jitter (one late arrival brings the
    // next closer to it), so what is checked is what the receiver sees: any
    // six consecutive arrivals span five intervals, less a jitter of 300 ms.
    // Without the limit they would come within milliseconds.
    for (qsizetype i = 5; i < times.size(); ++i)
        QVERIFY2(times.at(i) - times.at(i - 5) >= 700,
                 qPrintable(QStringLiteral("%1: %2").arg(i).arg(times.at(i) - times.at(i - 5))));
    // No attempt was used up waiting: one attempt per delivery, all succeeded.
    QVERIFY(waitFor(
        [&] {
            const QList<Attempt> all = attemptsOfHook(throttled);
            return std::all_of(all.begin(), all.end(), [](const Attempt &a) {
                return a.outcome != AttemptOutcome::Pending;
            });
        },
        3000));
    const QList<Attempt> done = attemptsOfHook(throttled);
    QCOMPARE(done.size(), 50);
    for (const Attempt &a : done) {
        QCOMPARE(a.number, 1);
        QCOMPARE(a.outcome, AttemptOutcome::Succeeded);
    }
    QCOMPARE(attemptsOfHook(free).size(), 50);
}

// serve beside the window, or a team's dispatchers: each with its own
// connection, together they keep the hook's limit (the token is stored).
void TestDeliveryPolicy::twoDispatchersShareTheRateLimit()
{
    const qint64 throttled = addHook(QStringLiteral("/ok"), [](Webhook &h) {
        h.rateLimit = RateLimit::fromKey(QStringLiteral("5/s")).value();
    });
    QVERIFY(throttled > 0);
    for (int i = 0; i < 16; ++i)
        emitAnnotation(true, QStringLiteral("Car"));
    Database otherDb;
    QVERIFY(!otherDb.open(m_path));
    DeliveryStore otherStore(&otherDb);
    QNetworkAccessManager otherNetwork;
    Dispatcher other(&otherStore, &otherNetwork);
    m_dispatcher->start();
    other.start();
    QVERIFY(waitFor([this] { return m_receiver->count("/ok") >= 16; }, 20000));
    other.stop();
    QList<qint64> times;
    for (const auto &[at, path] : std::as_const(m_arrivals))
        times.append(at);
    QCOMPARE(times.size(), 16);
    // 16 at 5/s: at least 15 intervals of 200 ms, whichever dispatcher sent.
    const qint64 span = times.constLast() - times.constFirst();
    QVERIFY2(span >= 2800, qPrintable(QString::number(span)));
    for (qsizetype i = 1; i < times.size(); ++i)
        QVERIFY2(times.at(i) - times.at(i - 1) >= 150,
                 qPrintable(QStringLiteral("%1: %2").arg(i).arg(times.at(i) - times.at(i - 1))));
}

void TestDeliveryPolicy::maxInFlightOneSendsOneAfterTheOther()
{
    addHook(QStringLiteral("/slow/150"), [](Webhook &h) { h.maxInFlight = 1; });
    addHook(QStringLiteral("/slow/151")); // the engine's per-host limit: in parallel
    // Five each: with the hook's one slot, the host's six are enough for all.
    for (int i = 0; i < 5; ++i)
        emitAnnotation(true, QStringLiteral("Car"));
    m_dispatcher->start();
    QVERIFY(waitFor([this] { return m_receiver->count("/slow") >= 10; }, 10000));
    QList<qint64> one;
    QList<qint64> parallel;
    for (const auto &[at, path] : std::as_const(m_arrivals))
        (path == "/slow/150" ? one : parallel).append(at);
    QCOMPARE(one.size(), 5);
    for (qsizetype i = 1; i < one.size(); ++i)
        QVERIFY2(one.at(i) - one.at(i - 1) >= 140,
                 qPrintable(QString::number(one.at(i) - one.at(i - 1))));
    QVERIFY2(parallel.constLast() - parallel.constFirst() < 140,
             qPrintable(QString::number(parallel.constLast() - parallel.constFirst())));
}

void TestDeliveryPolicy::retriesOnlyWhatTheHookRetriesOn()
{
    const qint64 unauthorized = addHook(QStringLiteral("/status/401"));
    const qint64 unavailable = addHook(QStringLiteral("/status/503"));
    const qint64 custom = addHook(QStringLiteral("/status/409"), [](Webhook &h) {
        h.retryOn = QStringLiteral("4xx");
        h.maxAttempts = 2;
    });
    emitAnnotation(true, QStringLiteral("Car"));
    m_dispatcher->start();
    QVERIFY(waitFor([this] { return m_receiver->count("/status/503") >= 4; }, 10000));
    QVERIFY(waitFor([this] { return m_receiver->count("/status/409") >= 2; }, 5000));
    QTest::qWait(300);
    QCOMPARE(m_receiver->count("/status/401"), 1);

    const QList<Attempt> refused = attemptsOfHook(unauthorized);
    QCOMPARE(refused.size(), 1);
    QCOMPARE(refused.first().outcome, AttemptOutcome::Failed);
    QVERIFY2(
        refused.first().trace.contains(QLatin1String(
            "401 is not retried (this hook retries on network, timeout, 408, 425, 429, 5xx).")),
        qPrintable(refused.first().trace));
    QCOMPARE(attemptsOfHook(unavailable).size(), 4);
    QCOMPARE(attemptsOfHook(custom).size(), 2);
}

void TestDeliveryPolicy::perHookRetrySchedule()
{
    const qint64 hookId = addHook(QStringLiteral("/fail/1"), [](Webhook &h) {
        h.retrySchedule = {0, 2};
    });
    emitAnnotation(true, QStringLiteral("Car"));
    m_dispatcher->start();
    QVERIFY(waitFor([this] { return m_receiver->count("/fail") >= 2; }, 10000));
    const QList<Attempt> attempts = attemptsOfHook(hookId);
    QVERIFY(waitFor(
        [&] { return attemptsOfHook(hookId).constLast().outcome == AttemptOutcome::Succeeded; },
        3000));
    const qint64 gap = attempts.at(0).finishedAt.msecsTo(attempts.at(1).dueAt);
    QVERIFY2(gap >= 1990 && gap <= 2100, qPrintable(QString::number(gap))); // not the file's 1 s
    const qint64 waited = m_arrivals.at(1).first - m_arrivals.at(0).first;
    QVERIFY2(waited >= 1900, qPrintable(QString::number(waited)));
}

void TestDeliveryPolicy::outagePausesProbesAndResumesWithNothingLost()
{
    // Probes after 0.5 s, then 1 s, 2 s, 2 s… (60 s doubling to an hour, shortened).
    m_dispatcher->setCircuitBreaker(CircuitBreaker(500, 2000));
    QVERIFY(m_deliveries->setFailureThreshold(3));
    const quint16 port = m_receiver->port();
    // One at a time, so the order the receiver sees is the order they left in.
    const qint64 hookId = addHook(QStringLiteral("/ok"), [](Webhook &h) {
        h.maxAttempts = 3;
        h.maxInFlight = 1;
    });
    m_receiver->close(); // the receiver goes down
    QList<qint64> deliveries;
    for (int i = 0; i < 5; ++i)
        deliveries += emitAnnotation(true, QStringLiteral("Car")).deliveryIds;
    m_dispatcher->start();
    QVERIFY(waitFor([&] { return m_hooks->hook(hookId)->isPaused(); }, 5000));
    Webhook paused = m_hooks->hook(hookId).value();
    QVERIFY(paused.isActive);
    QVERIFY2(paused.pauseReason.contains(QLatin1String("3 deliveries in a row failed")),
             qPrintable(paused.pauseReason));
    QVERIFY(!paused.lastError.isEmpty());
    QCOMPARE(hookStateKey(paused), QStringLiteral("paused"));

    // Down for a while: only probes go out, one at a time, further and further apart.
    QTest::qWait(4200);
    const QList<Attempt> during = attemptsOfHook(hookId);
    QList<Attempt> probes;
    for (const Attempt &a : during) {
        if (a.trace.contains(QLatin1String("probe of a paused webhook")))
            probes.append(a);
    }
    QVERIFY2(probes.size() >= 3 && probes.size() <= 4, qPrintable(QString::number(probes.size())));
    // Each probe is the oldest delivery; its attempts are not used up.
    for (const Attempt &probe : std::as_const(probes))
        QCOMPARE(probe.deliveryId, deliveries.first());
    const qint64 first = probes.at(0).startedAt.msecsTo(probes.at(1).startedAt);
    const qint64 second = probes.at(1).startedAt.msecsTo(probes.at(2).startedAt);
    QVERIFY2(first >= 950 && first < 1500, qPrintable(QString::number(first)));
    QVERIFY2(second >= 1950 && second < 2600, qPrintable(QString::number(second)));
    QVERIFY(m_hooks->hook(hookId)->isActive);

    // The receiver returns: the next probe succeeds, the hook resumes and
    // every delivery arrives, in order.
    QVERIFY(m_receiver->listen(QHostAddress::LocalHost, port));
    QVERIFY(waitFor([this] { return m_receiver->count("/ok") >= 5; }, 8000));
    QVERIFY(waitFor([&] { return !m_hooks->hook(hookId)->isPaused(); }, 2000));
    QCOMPARE(m_hooks->hook(hookId)->consecutiveFailures, 0);
    QTest::qWait(300);
    QCOMPARE(m_receiver->count("/ok"), 5);
    QStringList ids;
    for (const TestReceiver::Request &request : m_receiver->requests())
        ids.append(QString::fromLatin1(request.headers.value("webhook-id")));
    QCOMPARE(ids.size(), 5);
    QCOMPARE(QSet<QString>(ids.begin(), ids.end()).size(), 5);
    QStringList expected;
    for (const qint64 id : std::as_const(deliveries)) {
        LogFilter filter;
        filter.webhookId = hookId;
        for (const Attempt &a : attemptsOfHook(hookId)) {
            if (a.deliveryId == id) {
                expected.append(a.messageId);
                break;
            }
        }
    }
    QCOMPARE(ids, expected);
}

void TestDeliveryPolicy::longPauseDeactivates()
{
    m_dispatcher->setCircuitBreaker(CircuitBreaker(300, 300));
    QVERIFY(m_deliveries->setFailureThreshold(1));
    QVERIFY(m_deliveries->setPauseLimitSeconds(1));
    const qint64 hookId = addHook(QStringLiteral("/status/500"));
    emitAnnotation(true, QStringLiteral("Car"));
    m_dispatcher->start();
    QVERIFY(waitFor([&] { return m_hooks->hook(hookId)->isPaused(); }, 5000));
    QVERIFY(waitFor([&] { return !m_hooks->hook(hookId)->isActive; }, 5000));
    const Webhook off = m_hooks->hook(hookId).value();
    QVERIFY2(off.disabledReason.startsWith(QLatin1String("Paused since")),
             qPrintable(off.disabledReason));
    QVERIFY(!off.isPaused());
}

void TestDeliveryPolicy::resumeNowDrainsInOrder()
{
    m_dispatcher->setCircuitBreaker(CircuitBreaker(60000, 3600000)); // no probe in this test
    QVERIFY(m_deliveries->setFailureThreshold(1));
    const quint16 port = m_receiver->port();
    const qint64 hookId = addHook(QStringLiteral("/ok"), [](Webhook &h) {
        h.maxInFlight = 1;
        h.retrySchedule = {0, 600}; // far off: only a resume sends it now
    });
    m_receiver->close(); // down: the first delivery fails and pauses the hook
    QList<qint64> deliveries;
    for (int i = 0; i < 3; ++i)
        deliveries += emitAnnotation(true, QStringLiteral("Car")).deliveryIds;
    m_dispatcher->start();
    QVERIFY(waitFor([&] { return m_hooks->hook(hookId)->isPaused(); }, 5000));
    QTest::qWait(500);
    // The two behind it waited for the probe instead of failing too.
    QCOMPARE(attemptsOfHook(hookId).size(), 4); // the first, its retry, the two waiting

    QVERIFY(m_receiver->listen(QHostAddress::LocalHost, port));
    QVERIFY(m_deliveries->resumeHook(hookId, QDateTime::currentDateTimeUtc()));
    QVERIFY(!m_hooks->hook(hookId)->isPaused());
    m_dispatcher->wake();
    // Every delivery ends succeeded, in order, the first one (failed before) first.
    QVERIFY(waitFor(
        [&] {
            const QList<Attempt> all = attemptsOfHook(hookId);
            return std::count_if(all.begin(), all.end(), [](const Attempt &a) {
                       return a.outcome == AttemptOutcome::Succeeded;
                   }) == 3;
        },
        8000));
    QList<Attempt> sent;
    for (const Attempt &a : attemptsOfHook(hookId)) {
        if (a.outcome == AttemptOutcome::Succeeded)
            sent.append(a);
    }
    std::sort(sent.begin(), sent.end(),
              [](const Attempt &a, const Attempt &b) { return a.startedAt < b.startedAt; });
    QList<qint64> order;
    for (const Attempt &a : std::as_const(sent))
        order.append(a.deliveryId);
    QCOMPARE(order, deliveries);
    QCOMPARE(m_receiver->count("/ok"), 3);
}

// The dispatcher claims a batch ahead. When the hook pauses, what it holds
// for that hook must wait for the probe too, not go out to a receiver that
// is down (a refused connection fails in a millisecond).
void TestDeliveryPolicy::pauseHoldsBackWhatIsAlreadyClaimed()
{
    m_dispatcher->setCircuitBreaker(CircuitBreaker(60000, 3600000)); // no probe in this test
    QVERIFY(m_deliveries->setFailureThreshold(3));
    // One at a time, so all twelve are claimed and wait in the dispatcher.
    const qint64 hookId = addHook(QStringLiteral("/status/503"), [](Webhook &h) {
        h.maxInFlight = 1;
        h.retrySchedule = {0, 600};
    });
    const qint64 other = addHook(QStringLiteral("/ok"));
    for (int i = 0; i < 12; ++i)
        emitAnnotation(true, QStringLiteral("Car"));
    m_dispatcher->start();
    QVERIFY(waitFor([&] { return m_hooks->hook(hookId)->isPaused(); }, 5000));
    QVERIFY(waitFor([this] { return m_receiver->count("/ok") == 12; }, 5000));
    QTest::qWait(500);
    QCOMPARE(m_receiver->count("/status/503"), 3);
    const QList<Attempt> attempts = attemptsOfHook(hookId);
    const auto failed = std::count_if(attempts.begin(), attempts.end(), [](const Attempt &a) {
        return a.outcome == AttemptOutcome::Failed;
    });
    QCOMPARE(failed, 3);
    // The nine never sent, and the three retries, wait unclaimed for the probe.
    QCOMPARE(attempts.size(), 15);
    for (const Attempt &a : attempts) {
        if (a.outcome == AttemptOutcome::Pending)
            QVERIFY2(a.number == 1 || a.number == 2, qPrintable(QString::number(a.number)));
    }
    QCOMPARE(m_hooks->hook(other)->isPaused(), false);
}

// emit's one-shot dispatcher: the same when the pause happens during its
// run, and a hook paused already gets nothing. What was left is reported.
void TestDeliveryPolicy::oneShotSendLeavesAPausedHookWaiting()
{
    m_dispatcher->setCircuitBreaker(CircuitBreaker(60000, 3600000));
    QVERIFY(m_deliveries->setFailureThreshold(2));
    const qint64 hookId = addHook(QStringLiteral("/status/503"), [](Webhook &h) {
        h.maxInFlight = 1;
        h.retrySchedule = {0, 600};
    });
    QList<qint64> attemptIds;
    for (int i = 0; i < 6; ++i)
        attemptIds += emitAnnotation(true, QStringLiteral("Car")).attemptIds;
    m_dispatcher->send(attemptIds);
    QVERIFY(waitFor([this] { return m_dispatcher->isIdle(); }, 5000));
    QCOMPARE(m_receiver->count("/status/503"), 2);
    QVERIFY(m_hooks->hook(hookId)->isPaused());
    QCOMPARE(m_dispatcher->heldBack(), attemptIds.mid(2));
    for (const qint64 id : attemptIds.mid(2)) {
        const Result<Attempt> waiting = m_deliveries->attempt(id);
        QVERIFY(waiting);
        QCOMPARE(waiting->outcome, AttemptOutcome::Pending);
    }

    const QList<qint64> later = emitAnnotation(true, QStringLiteral("Car")).attemptIds;
    m_dispatcher->send(later);
    QVERIFY(waitFor([this] { return m_dispatcher->isIdle(); }, 5000));
    QTest::qWait(200);
    QCOMPARE(m_receiver->count("/status/503"), 2);
    const QList<qint64> &heldBack = m_dispatcher->heldBack();
    QCOMPARE(heldBack.mid(heldBack.size() - later.size()), later);
}

QTEST_GUILESS_MAIN(TestDeliveryPolicy)
#include "tst_delivery_policy.moc"
