#include "delivery/delivery_store.h"
#include "delivery/dispatcher.h"
#include "delivery/signature.h"
#include "http2_receiver.h"
#include "store/database.h"
#include "store/hook_store.h"
#include "test_database.h"
#include "test_receiver.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <memory>

// The dispatcher against a real HTTP server on 127.0.0.1 that plays every
// receiver fault, with a real SQLite file.
class TestDispatcher : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void deliversExactBodyAndHeaders();
    void githubSignatureAndNoPayload();
    void failures_data();
    void failures();
    void retriesOnScheduleUntilSuccess();
    void honoursRetryAfter();
    void usesTheScheduleStoredInTheFile();
    void goneDeactivatesTheHook();
    void redeliverKeepsWebhookId();
    void capturesOnlyTheFirst64KiB();
    void basicAuthFromUrlIsSentButNeverShown();
    void consecutiveFailureThresholdPauses();
    void testSendsGoToOneHookAndNeverRetry();
    void http2WithPriorKnowledge();
    void http2ToAnHttp1ReceiverFailsClearly();
    void severalNetworkManagersShareTheWork();

private:
    qint64 addHook(const QString &url, int maxAttempts = 1, int timeoutSeconds = 10);
    QList<qint64> emitEvent(const QString &action = QStringLiteral("ANNOTATION_CREATED"));
    Attempt waitForFinished(qint64 attemptId);
    QList<Attempt> attemptsOf(qint64 deliveryId);

    QTemporaryDir m_dir;
    std::unique_ptr<Database> m_db;
    std::unique_ptr<HookStore> m_hooks;
    std::unique_ptr<DeliveryStore> m_deliveries;
    std::unique_ptr<QNetworkAccessManager> m_network;
    std::unique_ptr<Dispatcher> m_dispatcher;
    std::unique_ptr<TestReceiver> m_receiver;
    qint64 m_projectId = 0;
    int m_run = 0;
};

void TestDispatcher::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_dir.isValid());
}

void TestDispatcher::init()
{
    qputenv("WEBHOOK_RETRY_SCHEDULE", "0,1,1,1");
    m_db = std::make_unique<Database>();
    QVERIFY(!m_db->open(
        TestDatabase::create(m_dir.path(), QStringLiteral("db%1.sqlite").arg(++m_run))));
    m_hooks = std::make_unique<HookStore>(m_db.get());
    m_deliveries = std::make_unique<DeliveryStore>(m_db.get());
    m_network = std::make_unique<QNetworkAccessManager>();
    m_dispatcher = std::make_unique<Dispatcher>(m_deliveries.get(), m_network.get());
    connect(m_dispatcher.get(), &Dispatcher::storageFailed, this,
            [](const QString &message) { qWarning() << "storage failed:" << message; });
    m_receiver = std::make_unique<TestReceiver>();
    QVERIFY(m_receiver->listen());
    Result<Project> project = m_hooks->addProject(QStringLiteral("Street scenes"));
    QVERIFY(project);
    m_projectId = project->id;
}

void TestDispatcher::cleanup()
{
    m_dispatcher.reset();
    m_network.reset();
    m_receiver.reset();
    m_deliveries.reset();
    m_hooks.reset();
    m_db.reset();
    qunsetenv("WEBHOOK_RETRY_SCHEDULE");
}

qint64 TestDispatcher::addHook(const QString &url, int maxAttempts, int timeoutSeconds)
{
    Webhook hook;
    hook.url = url;
    hook.maxAttempts = maxAttempts;
    hook.timeoutSeconds = timeoutSeconds;
    Result<Webhook> saved = m_hooks->saveHook(hook);
    if (!saved)
        qWarning() << saved.error().message;
    return saved ? saved->id : 0;
}

QList<qint64> TestDispatcher::emitEvent(const QString &action)
{
    const EventCatalog catalog = m_hooks->catalog();
    Result<EmitResult> emitted =
        m_deliveries->emitEvent(catalog, action, m_projectId, catalog.samplePayload(action),
                                QDateTime::currentDateTimeUtc());
    if (!emitted) {
        qWarning() << emitted.error().message;
        return {};
    }
    return emitted->attemptIds;
}

Attempt TestDispatcher::waitForFinished(qint64 attemptId)
{
    Attempt result;
    const bool done = QTest::qWaitFor(
        [&] {
            Result<Attempt> a = m_deliveries->attempt(attemptId);
            if (a && a->outcome != AttemptOutcome::Pending) {
                result = a.value();
                return true;
            }
            return false;
        },
        20000);
    if (!done)
        qWarning() << "attempt" << attemptId << "did not finish";
    return result;
}

QList<Attempt> TestDispatcher::attemptsOf(qint64 deliveryId)
{
    Result<QList<Attempt>> all = m_deliveries->attempts({}, 0, 1000, true);
    QList<Attempt> result;
    for (const Attempt &a : all.value()) {
        if (a.deliveryId == deliveryId)
            result.prepend(a);
    }
    return result;
}

void TestDispatcher::deliversExactBodyAndHeaders()
{
    Webhook hook;
    hook.url = m_receiver->url(QStringLiteral("/ok"));
    hook.projectId = m_projectId;
    hook.sendForAllActions = false;
    hook.actions = {QStringLiteral("ANNOTATION_CREATED")};
    hook.headers = {
        {QStringLiteral("Authorization"), QStringLiteral("Bearer top-secret-token"), true},
        {QStringLiteral("X-Team"), QStringLiteral("vision"), false}};
    hook.signature = SignatureScheme::Standard;
    hook.secret = QStringLiteral("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
    QVERIFY(m_hooks->saveHook(hook));

    const QList<qint64> attempts = emitEvent();
    QCOMPARE(attempts.size(), 1);
    const qint64 before = QDateTime::currentSecsSinceEpoch();
    m_dispatcher->send(attempts);
    const Attempt done = waitForFinished(attempts.first());
    QCOMPARE(done.outcome, AttemptOutcome::Succeeded);
    QCOMPARE(done.statusCode, 200);
    QCOMPARE(done.responseBody, QByteArray(R"({"ok":true})"));
    QCOMPARE(m_receiver->requests().size(), 1);

    const TestReceiver::Request &request = m_receiver->requests().first();
    QCOMPARE(request.method, QByteArray("POST"));
    QCOMPARE(request.headers.value("content-type"), QByteArray("application/json"));
    QCOMPARE(request.headers.value("user-agent"),
             QByteArray("WebhookAdmin/" WEBHOOK_ADMIN_VERSION));
    QCOMPARE(request.headers.value("authorization"), QByteArray("Bearer top-secret-token"));
    QCOMPARE(request.headers.value("x-team"), QByteArray("vision"));
    const QByteArray id = request.headers.value("webhook-id");
    QVERIFY(id.startsWith("msg_"));
    QCOMPARE(QString::fromLatin1(id), done.messageId);
    const qint64 timestamp = request.headers.value("webhook-timestamp").toLongLong();
    QVERIFY(qAbs(timestamp - before) <= 2);
    QCOMPARE(QString::fromLatin1(request.headers.value("webhook-signature")),
             Signature::standard(hook.secret, QString::fromLatin1(id), timestamp, request.body));

    const QJsonObject body = QJsonDocument::fromJson(request.body).object();
    QCOMPARE(body.value(QLatin1String("action")).toString(), QStringLiteral("ANNOTATION_CREATED"));
    QCOMPARE(body.value(QLatin1String("project")).toObject().value(QLatin1String("id")).toInteger(),
             m_projectId);
    QCOMPARE(
        body.value(QLatin1String("project")).toObject().value(QLatin1String("title")).toString(),
        QStringLiteral("Street scenes"));
    QVERIFY(body.value(QLatin1String("annotation")).isObject());
    QVERIFY(body.value(QLatin1String("task")).isObject());
    QCOMPARE(body.keys().size(), 4);

    // The log keeps the request with the secret header masked.
    bool sawAuthorization = false;
    for (const auto &[name, value] : done.requestHeaders) {
        QVERIFY(!value.contains(QLatin1String("top-secret-token")));
        if (name == QLatin1String("Authorization")) {
            sawAuthorization = true;
            QCOMPARE(value, maskedSecret());
        }
    }
    QVERIFY(sawAuthorization);
    QCOMPARE(done.requestBody, request.body);
}

void TestDispatcher::http2WithPriorKnowledge()
{
    Http2Receiver receiver; // nghttpd: answers 200 with the body it got
    const QString error = receiver.start();
    QVERIFY2(error.isEmpty(), qPrintable(error));
    Webhook hook;
    hook.url = receiver.url(QStringLiteral("/hook")).toString();
    hook.httpVersion = HttpVersion::Http2;
    QVERIFY(m_hooks->saveHook(hook));
    QCOMPARE(m_hooks->hooks()->first().httpVersion, HttpVersion::Http2);

    // More than the six HTTP/1.1 connections at once: one multiplexed connection.
    QList<qint64> attempts;
    for (int i = 0; i < 20; ++i)
        attempts += emitEvent();
    m_dispatcher->send(attempts);
    for (const qint64 id : std::as_const(attempts)) {
        const Attempt done = waitForFinished(id);
        QCOMPARE(done.outcome, AttemptOutcome::Succeeded);
        QCOMPARE(done.statusCode, 200);
        QCOMPARE(done.responseBody, done.requestBody); // echoed: the body arrived whole
        QVERIFY2(done.trace.contains(QLatin1String(" over HTTP/2")), qPrintable(done.trace));
    }
}

void TestDispatcher::http2ToAnHttp1ReceiverFailsClearly()
{
    Webhook hook;
    hook.url = m_receiver->url(QStringLiteral("/ok"));
    hook.httpVersion = HttpVersion::Http2;
    hook.timeoutSeconds = 5;
    QVERIFY(m_hooks->saveHook(hook));
    const QList<qint64> attempts = emitEvent();
    m_dispatcher->send(attempts);
    const Attempt done = waitForFinished(attempts.first());
    QCOMPARE(done.outcome, AttemptOutcome::Failed);
    QCOMPARE(done.statusCode, 0);
    QVERIFY(!done.errorKind.isEmpty());
    // The trace says what was asked for, so the user can see the mismatch.
    QVERIFY2(done.trace.contains(QLatin1String("over HTTP/2 (prior knowledge)")),
             qPrintable(done.trace));

    // The same receiver over HTTP/1.1 says so in its trace.
    Webhook plain;
    plain.url = m_receiver->url(QStringLiteral("/ok"));
    plain.httpVersion = HttpVersion::Http1;
    QVERIFY(m_hooks->saveHook(plain));
    const QList<qint64> more = emitEvent();
    m_dispatcher->send(more);
    for (const qint64 id : more) {
        const Attempt a = waitForFinished(id);
        if (a.webhookId != m_hooks->hooks()->last().id)
            continue;
        QCOMPARE(a.outcome, AttemptOutcome::Succeeded);
        QVERIFY2(a.trace.contains(QLatin1String(" over HTTP/1.1")), qPrintable(a.trace));
    }
}

void TestDispatcher::githubSignatureAndNoPayload()
{
    Webhook hook;
    hook.url = m_receiver->url(QStringLiteral("/ok"));
    hook.sendPayload = false;
    hook.signature = SignatureScheme::GitHub;
    hook.secret = QStringLiteral("It's a Secret to Everybody");
    QVERIFY(m_hooks->saveHook(hook));
    const QList<qint64> attempts = emitEvent(QStringLiteral("TASKS_CREATED"));
    m_dispatcher->send(attempts);
    QCOMPARE(waitForFinished(attempts.first()).outcome, AttemptOutcome::Succeeded);
    const TestReceiver::Request &request = m_receiver->requests().first();
    QCOMPARE(request.body, QByteArray(R"({"action":"TASKS_CREATED"})"));
    QCOMPARE(QString::fromLatin1(request.headers.value("x-hub-signature-256")),
             Signature::github(hook.secret, request.body));
    QVERIFY(!request.headers.contains("webhook-signature"));
}

void TestDispatcher::failures_data()
{
    QTest::addColumn<QString>("path"); // empty: a closed port
    QTest::addColumn<QString>("kind");
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("traceSays");
    QTest::newRow("500") << QStringLiteral("/status/500") << QStringLiteral("http") << 500
                         << QStringLiteral("HTTP 500");
    QTest::newRow("301 not followed") << QStringLiteral("/redirect") << QStringLiteral("http")
                                      << 301 << QStringLiteral("Redirect target: http://127.0.0.1");
    QTest::newRow("refused") << QString() << QStringLiteral("refused") << 0
                             << QStringLiteral("connection refused");
    QTest::newRow("hang past the timeout") << QStringLiteral("/hang") << QStringLiteral("timeout")
                                           << 0 << QStringLiteral("timed out after 1 s");
    QTest::newRow("reset mid-response")
        << QStringLiteral("/reset") << QStringLiteral("reset") << 200
        << QStringLiteral("closed by the receiver while reading the response");
    // Qt cannot tell an unparseable status line from a reset; the trace says both.
    QTest::newRow("not HTTP") << QStringLiteral("/garbage") << QStringLiteral("reset") << 0
                              << QStringLiteral("does not speak HTTP");
    QTest::newRow("drip past the timeout") << QStringLiteral("/drip") << QStringLiteral("timeout")
                                           << 0 << QStringLiteral("reading the response");
}

void TestDispatcher::failures()
{
    QFETCH(QString, path);
    QFETCH(QString, kind);
    QFETCH(int, status);
    QFETCH(QString, traceSays);
    QString url;
    if (path.isEmpty()) {
        QTcpServer closed;
        QVERIFY(closed.listen(QHostAddress::LocalHost));
        url = QStringLiteral("http://127.0.0.1:%1/hook").arg(closed.serverPort());
    } else {
        url = m_receiver->url(path);
    }
    const qint64 hookId = addHook(url, 3, 1);
    QVERIFY(hookId > 0);
    const QList<qint64> attempts = emitEvent();
    m_dispatcher->send(attempts);
    const Attempt done = waitForFinished(attempts.first());
    QCOMPARE(done.outcome, AttemptOutcome::Failed);
    QCOMPARE(done.errorKind, kind);
    QCOMPARE(done.statusCode, status);
    QVERIFY2(done.trace.contains(traceSays), qPrintable(done.trace));
    QVERIFY2(done.trace.contains(QStringLiteral("Attempt 1 of 3")), qPrintable(done.trace));
    QCOMPARE(m_receiver->count("/ok"), 0); // the redirect was not followed
    if (status / 100 == 3) {
        // A redirect is not on the default list of failures to retry on.
        QVERIFY2(done.trace.contains(QStringLiteral("301 is not retried")), qPrintable(done.trace));
        QCOMPARE(attemptsOf(done.deliveryId).size(), 1);
        return;
    }
    QVERIFY2(done.trace.contains(QStringLiteral("Next attempt due")), qPrintable(done.trace));
    // The next attempt is scheduled, not lost.
    const QList<Attempt> all = attemptsOf(done.deliveryId);
    QCOMPARE(all.size(), 2);
    QCOMPARE(all.last().outcome, AttemptOutcome::Pending);
    QCOMPARE(all.last().number, 2);
    Result<Webhook> hook = m_hooks->hook(hookId);
    QCOMPARE(hook->consecutiveFailures, 1);
}

void TestDispatcher::retriesOnScheduleUntilSuccess()
{
    addHook(m_receiver->url(QStringLiteral("/fail/2")), 4);
    const QList<qint64> attempts = emitEvent();
    m_dispatcher->start();
    QTRY_COMPARE_WITH_TIMEOUT(m_receiver->count("/fail"), 3, 15000);
    Result<Attempt> first = m_deliveries->attempt(attempts.first());
    QTRY_COMPARE_WITH_TIMEOUT(attemptsOf(first->deliveryId).size(), 3, 5000);
    QTRY_COMPARE_WITH_TIMEOUT(attemptsOf(first->deliveryId).last().outcome,
                              AttemptOutcome::Succeeded, 5000);
    const QList<Attempt> all = attemptsOf(first->deliveryId);
    QCOMPARE(all.at(0).outcome, AttemptOutcome::Failed);
    QCOMPARE(all.at(1).outcome, AttemptOutcome::Failed);
    QCOMPARE(all.at(2).number, 3);
    // The schedule says 1 s between the attempts.
    QVERIFY(all.at(0).startedAt.msecsTo(all.at(1).startedAt) >= 900);
    QVERIFY(all.at(1).startedAt.msecsTo(all.at(2).startedAt) >= 900);
    // The same webhook-id every time.
    const QList<TestReceiver::Request> &requests = m_receiver->requests();
    QCOMPARE(requests.at(0).headers.value("webhook-id"),
             requests.at(2).headers.value("webhook-id"));
    QCOMPARE(m_hooks->hook(all.first().webhookId)->consecutiveFailures, 0);
}

void TestDispatcher::honoursRetryAfter()
{
    qputenv("WEBHOOK_RETRY_SCHEDULE", "0,0,0");
    m_dispatcher->setRetryPolicy(RetryPolicy::fromEnvironment());
    addHook(m_receiver->url(QStringLiteral("/retry-after/2")), 3);
    const QList<qint64> attempts = emitEvent();
    m_dispatcher->start();
    const Attempt first = waitForFinished(attempts.first());
    QCOMPARE(first.statusCode, 429);
    QVERIFY2(first.trace.contains(QStringLiteral("Retry-After: 2 s")), qPrintable(first.trace));
    QTRY_COMPARE_WITH_TIMEOUT(m_receiver->count("/retry-after"), 2, 10000);
    const QList<Attempt> all = attemptsOf(first.deliveryId);
    QTRY_COMPARE(attemptsOf(first.deliveryId).last().outcome, AttemptOutcome::Succeeded);
    QVERIFY2(all.at(0).startedAt.msecsTo(attemptsOf(first.deliveryId).at(1).startedAt) >= 1900,
             "the second attempt came before Retry-After allowed");
}

void TestDispatcher::usesTheScheduleStoredInTheFile()
{
    qunsetenv("WEBHOOK_RETRY_SCHEDULE");
    QVERIFY(m_deliveries->setRetrySchedule({0, 2}));
    QCOMPARE(m_deliveries->retrySchedule(), (QList<qint64>{0, 2}));
    QVERIFY(!m_deliveries->setRetrySchedule({0, -1}));
    Dispatcher dispatcher(m_deliveries.get(), m_network.get());
    addHook(m_receiver->url(QStringLiteral("/status/500")), 3);
    const QList<qint64> attempts = emitEvent();
    dispatcher.send(attempts);
    const Attempt failed = waitForFinished(attempts.first());
    QCOMPARE(failed.outcome, AttemptOutcome::Failed);
    const QList<Attempt> all = attemptsOf(failed.deliveryId);
    QCOMPARE(all.size(), 2);
    // Due two seconds after the failure, as stored, not five (the default).
    const qint64 delay = failed.finishedAt.msecsTo(all.last().dueAt);
    QVERIFY2(delay >= 1900 && delay <= 2200, qPrintable(QString::number(delay)));
}

void TestDispatcher::goneDeactivatesTheHook()
{
    const qint64 hookId = addHook(m_receiver->url(QStringLiteral("/gone")), 5);
    const QList<qint64> attempts = emitEvent();
    m_dispatcher->send(attempts);
    const Attempt done = waitForFinished(attempts.first());
    QCOMPARE(done.statusCode, 410);
    QVERIFY(done.trace.contains(QStringLiteral("Webhook deactivated")));
    Result<Webhook> hook = m_hooks->hook(hookId);
    QVERIFY(!hook->isActive);
    QVERIFY(hook->disabledReason.contains(QStringLiteral("410")));
    QCOMPARE(attemptsOf(done.deliveryId).size(), 1); // no retry
    // An inactive hook no longer matches.
    QVERIFY(emitEvent().isEmpty());
}

void TestDispatcher::redeliverKeepsWebhookId()
{
    addHook(m_receiver->url(QStringLiteral("/fail/1")), 1);
    const QList<qint64> attempts = emitEvent();
    m_dispatcher->send(attempts);
    const Attempt failed = waitForFinished(attempts.first());
    QCOMPARE(failed.outcome, AttemptOutcome::Failed);
    QVERIFY(failed.trace.contains(QStringLiteral("the delivery has failed")));

    Result<qint64> again =
        m_deliveries->redeliver(failed.deliveryId, QDateTime::currentDateTimeUtc());
    QVERIFY(again);
    m_dispatcher->send({again.value()});
    const Attempt manual = waitForFinished(again.value());
    QCOMPARE(manual.outcome, AttemptOutcome::Succeeded);
    QCOMPARE(manual.trigger, AttemptTrigger::Manual);
    QCOMPARE(manual.number, 2);
    QCOMPARE(manual.messageId, failed.messageId);
    QCOMPARE(m_receiver->requests().at(0).headers.value("webhook-id"),
             m_receiver->requests().at(1).headers.value("webhook-id"));
}

void TestDispatcher::capturesOnlyTheFirst64KiB()
{
    addHook(m_receiver->url(QStringLiteral("/big/10000000")));
    const QList<qint64> attempts = emitEvent();
    m_dispatcher->send(attempts);
    const Attempt done = waitForFinished(attempts.first());
    QCOMPARE(done.outcome, AttemptOutcome::Succeeded);
    QCOMPARE(done.statusCode, 200);
    QVERIFY(done.responseTruncated);
    QCOMPARE(done.responseBody.size(), DeliveryStore::ResponseCaptureBytes);
}

void TestDispatcher::basicAuthFromUrlIsSentButNeverShown()
{
    QString url = m_receiver->url(QStringLiteral("/ok"));
    url.replace(QStringLiteral("http://"), QStringLiteral("http://robot:hunter2secret@"));
    addHook(url);
    const QList<qint64> attempts = emitEvent();
    m_dispatcher->send(attempts);
    const Attempt done = waitForFinished(attempts.first());
    QCOMPARE(done.outcome, AttemptOutcome::Succeeded);
    QCOMPARE(m_receiver->requests().first().headers.value("authorization"),
             "Basic " + QByteArray("robot:hunter2secret").toBase64());
    QVERIFY(!done.url.contains(QLatin1String("hunter2secret")));
    QVERIFY(!done.trace.contains(QLatin1String("hunter2secret")));
    for (const auto &[name, value] : done.requestHeaders)
        QVERIFY(!value.contains(QLatin1String(QByteArray("robot:hunter2secret").toBase64())));
}

void TestDispatcher::consecutiveFailureThresholdPauses()
{
    QVERIFY(m_deliveries->setFailureThreshold(2));
    const qint64 hookId = addHook(m_receiver->url(QStringLiteral("/status/503")), 1);
    for (int i = 0; i < 2; ++i) {
        const QList<qint64> attempts = emitEvent();
        m_dispatcher->send(attempts);
        waitForFinished(attempts.first());
    }
    // The circuit breaker pauses the hook; it is not switched off.
    Result<Webhook> hook = m_hooks->hook(hookId);
    QVERIFY(hook->isActive);
    QVERIFY(hook->isPaused());
    QVERIFY2(hook->pauseReason.contains(QStringLiteral("2 deliveries in a row")),
             qPrintable(hook->pauseReason));
    // Editing the URL starts the count afresh, and ends the pause.
    Webhook edited = hook.value();
    edited.url = m_receiver->url(QStringLiteral("/ok"));
    QVERIFY(m_hooks->saveHook(edited));
    QCOMPARE(m_hooks->hook(hookId)->consecutiveFailures, 0);
    QVERIFY(!m_hooks->hook(hookId)->isPaused());
}

void TestDispatcher::testSendsGoToOneHookAndNeverRetry()
{
    const qint64 target = addHook(m_receiver->url(QStringLiteral("/status/500")), 5);
    addHook(m_receiver->url(QStringLiteral("/ok")), 5);
    const EventCatalog catalog = m_hooks->catalog();
    Result<EmitResult> test = m_deliveries->enqueueTest(
        catalog, target, EventCatalog::PingKey, std::nullopt,
        catalog.samplePayload(EventCatalog::PingKey), QDateTime::currentDateTimeUtc());
    QVERIFY(test);
    QCOMPARE(test->attemptIds.size(), 1);
    m_dispatcher->send(test->attemptIds);
    const Attempt done = waitForFinished(test->attemptIds.first());
    QCOMPARE(done.trigger, AttemptTrigger::Test);
    QCOMPARE(done.outcome, AttemptOutcome::Failed);
    QCOMPARE(m_receiver->requests().size(), 1);
    QCOMPARE(attemptsOf(done.deliveryId).size(), 1);
    QCOMPARE(m_hooks->hook(target)->consecutiveFailures, 0); // tests leave health alone
}

// WEBHOOK_NETWORK_MANAGERS=2: a second manager (with its own HTTP thread)
// takes every other request; each delivery still arrives once, and a hook
// with one request in flight keeps its order.
void TestDispatcher::severalNetworkManagersShareTheWork()
{
    qputenv("WEBHOOK_NETWORK_MANAGERS", "2");
    Dispatcher dispatcher(m_deliveries.get(), m_network.get());
    qunsetenv("WEBHOOK_NETWORK_MANAGERS");
    Webhook ordered;
    ordered.url = m_receiver->url(QStringLiteral("/slow/5"));
    ordered.maxInFlight = 1;
    QVERIFY(m_hooks->saveHook(ordered));
    QVERIFY(addHook(m_receiver->url(QStringLiteral("/slow/6"))) > 0);
    QList<qint64> attempts;
    for (int i = 0; i < 20; ++i)
        attempts += emitEvent();
    QCOMPARE(attempts.size(), 40);
    dispatcher.send(attempts);
    QVERIFY(QTest::qWaitFor([&] { return dispatcher.isIdle(); }, 20000));
    QCOMPARE(dispatcher.findChildren<QNetworkAccessManager *>().size(), 1); // the second one
    QCOMPARE(m_receiver->requests().size(), 40);
    QSet<QByteArray> ids;
    QList<QByteArray> orderedIds;
    for (const TestReceiver::Request &request : m_receiver->requests()) {
        ids.insert(request.headers.value("webhook-id"));
        if (request.path == "/slow/5")
            orderedIds.append(request.headers.value("webhook-id"));
    }
    QCOMPARE(ids.size(), 40);
    QList<QByteArray> expected;
    for (const qint64 id : std::as_const(attempts)) {
        const Result<Attempt> a = m_deliveries->attempt(id);
        QVERIFY(a);
        QCOMPARE(a->outcome, AttemptOutcome::Succeeded);
        if (a->url.endsWith(QLatin1String("/slow/5")))
            expected.append(a->messageId.toLatin1());
    }
    QCOMPARE(orderedIds, expected);
}

QTEST_GUILESS_MAIN(TestDispatcher)
#include "tst_dispatcher.moc"
