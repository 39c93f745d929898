#include "delivery/delivery_store.h"
#include "delivery/dispatcher.h"
#include "store/database.h"
#include "store/hook_store.h"
#include "test_database.h"
#include "test_receiver.h"

#include <QFile>
#include <QNetworkAccessManager>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <memory>

namespace {

qint64 residentKiB()
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : status.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            return line.mid(6).trimmed().split(' ').first().toLongLong();
    }
    return -1;
}

} // namespace

// The receiver faults beyond the basic ones: each is a real behaviour of a
// server on this machine, and each ends in a recorded attempt whose trace
// names what happened.
class TestReceiverFaults : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void validButUnusualResponses_data();
    void validButUnusualResponses();
    void ipv6Receiver();
    void hugeResponseKeepsMemoryFlat();
    void receiverThatNeverReads();
    void selfSignedCertificateFailsClearly();
    void verificationOffAcceptsItWithAWarning();

private:
    qint64 addHook(const QString &url, bool verifyTls = true, int timeoutSeconds = 5);
    Attempt deliverOnce(const QString &url, bool verifyTls = true, int timeoutSeconds = 5);

    QTemporaryDir m_dir;
    std::unique_ptr<Database> m_db;
    std::unique_ptr<HookStore> m_hooks;
    std::unique_ptr<DeliveryStore> m_deliveries;
    std::unique_ptr<QNetworkAccessManager> m_network;
    std::unique_ptr<Dispatcher> m_dispatcher;
    int m_run = 0;
};

void TestReceiverFaults::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_dir.isValid());
}

void TestReceiverFaults::init()
{
    qputenv("WEBHOOK_RETRY_SCHEDULE", "0,1");
    m_db = std::make_unique<Database>();
    QVERIFY(!m_db->open(
        TestDatabase::create(m_dir.path(), QStringLiteral("faults%1.sqlite").arg(++m_run))));
    m_hooks = std::make_unique<HookStore>(m_db.get());
    m_deliveries = std::make_unique<DeliveryStore>(m_db.get());
    m_network = std::make_unique<QNetworkAccessManager>();
    m_dispatcher = std::make_unique<Dispatcher>(m_deliveries.get(), m_network.get());
}

void TestReceiverFaults::cleanup()
{
    m_dispatcher.reset();
    m_network.reset();
    m_deliveries.reset();
    m_hooks.reset();
    m_db.reset();
    qunsetenv("WEBHOOK_RETRY_SCHEDULE");
}

qint64 TestReceiverFaults::addHook(const QString &url, bool verifyTls, int timeoutSeconds)
{
    Webhook hook;
    hook.url = url;
    hook.verifyTls = verifyTls;
    hook.timeoutSeconds = timeoutSeconds;
    hook.maxAttempts = 2;
    Result<Webhook> saved = m_hooks->saveHook(hook);
    return saved ? saved->id : 0;
}

Attempt TestReceiverFaults::deliverOnce(const QString &url, bool verifyTls, int timeoutSeconds)
{
    if (addHook(url, verifyTls, timeoutSeconds) == 0)
        return {};
    const EventCatalog catalog = m_hooks->catalog();
    const QString action = QStringLiteral("TASKS_CREATED");
    Result<EmitResult> emitted =
        m_deliveries->emitEvent(catalog, action, std::nullopt, catalog.samplePayload(action),
                                QDateTime::currentDateTimeUtc());
    if (!emitted || emitted->attemptIds.isEmpty())
        return {};
    const qint64 id = emitted->attemptIds.first();
    m_dispatcher->send({id});
    Attempt done;
    (void)QTest::qWaitFor(
        [&] {
            Result<Attempt> a = m_deliveries->attempt(id);
            if (a && a->outcome != AttemptOutcome::Pending) {
                done = a.value();
                return true;
            }
            return false;
        },
        (timeoutSeconds + 10) * 1000);
    return done;
}

void TestReceiverFaults::validButUnusualResponses_data()
{
    QTest::addColumn<QString>("path");
    QTest::addColumn<QByteArray>("body");
    QTest::newRow("no Content-Length, closed by the peer")
        << QStringLiteral("/close") << QByteArray("body without length");
    QTest::newRow("HTTP/1.0 reply") << QStringLiteral("/http10") << QByteArray("old school");
    QTest::newRow("100 Continue first")
        << QStringLiteral("/continue") << QByteArray(R"({"ok":true})");
}

void TestReceiverFaults::validButUnusualResponses()
{
    QFETCH(QString, path);
    QFETCH(QByteArray, body);
    TestReceiver receiver;
    QVERIFY(receiver.listen());
    const Attempt done = deliverOnce(receiver.url(path));
    QCOMPARE(done.outcome, AttemptOutcome::Succeeded);
    QCOMPARE(done.statusCode, 200);
    QCOMPARE(done.responseBody, body);
    QVERIFY2(done.trace.startsWith(QStringLiteral("Delivered: HTTP 200")), qPrintable(done.trace));
}

void TestReceiverFaults::ipv6Receiver()
{
    TestReceiver receiver;
    if (!receiver.listen(QHostAddress::LocalHostIPv6))
        QSKIP("IPv6 loopback is not available on this machine");
    const QString url = receiver.url(QStringLiteral("/ok"));
    QVERIFY(url.startsWith(QStringLiteral("http://[::1]:")));
    const Attempt done = deliverOnce(url);
    QCOMPARE(done.outcome, AttemptOutcome::Succeeded);
    QCOMPARE(receiver.requests().size(), 1);
    QVERIFY(done.url.contains(QStringLiteral("[::1]")));
}

void TestReceiverFaults::hugeResponseKeepsMemoryFlat()
{
    TestReceiver receiver;
    QVERIFY(receiver.listen());
    const qint64 before = residentKiB();
    const Attempt done = deliverOnce(receiver.url(QStringLiteral("/big/100000000")));
    const qint64 after = residentKiB();
    QCOMPARE(done.outcome, AttemptOutcome::Succeeded);
    QVERIFY(done.responseTruncated);
    QCOMPARE(done.responseBody.size(), DeliveryStore::ResponseCaptureBytes);
    QVERIFY2(done.trace.contains(QStringLiteral("kept the first 64 KiB")), qPrintable(done.trace));
    // 100 MB went by; the process grew by far less.
    QVERIFY2(after - before < 40 * 1024,
             qPrintable(QStringLiteral("RSS grew by %1 KiB").arg(after - before)));
}

void TestReceiverFaults::receiverThatNeverReads()
{
    QTcpServer silent;
    QVERIFY(silent.listen(QHostAddress::LocalHost));
    QList<QTcpSocket *> held; // accepted, never read
    connect(&silent, &QTcpServer::newConnection, this, [&] {
        while (QTcpSocket *socket = silent.nextPendingConnection())
            held.append(socket);
    });
    const Attempt done =
        deliverOnce(QStringLiteral("http://127.0.0.1:%1/hook").arg(silent.serverPort()), true, 1);
    QCOMPARE(done.outcome, AttemptOutcome::Failed);
    QCOMPARE(done.errorKind, QStringLiteral("timeout"));
    QVERIFY2(done.trace.contains(QStringLiteral("timed out after 1 s")), qPrintable(done.trace));
    QVERIFY2(done.trace.contains(QStringLiteral("Next attempt due")), qPrintable(done.trace));
    QCOMPARE(held.size(), 1);
    qDeleteAll(held);
}

void TestReceiverFaults::selfSignedCertificateFailsClearly()
{
    TestReceiver receiver;
    QVERIFY(receiver.listenTls(QStringLiteral(WEBHOOK_TEST_TLS_DIR "/localhost.crt"),
                               QStringLiteral(WEBHOOK_TEST_TLS_DIR "/localhost.key")));
    const Attempt done = deliverOnce(receiver.url(QStringLiteral("/ok")));
    QCOMPARE(done.outcome, AttemptOutcome::Failed);
    QCOMPARE(done.errorKind, QStringLiteral("tls"));
    QVERIFY2(done.trace.contains(QStringLiteral("TLS error: The certificate is self-signed")),
             qPrintable(done.trace));
    QCOMPARE(receiver.requests().size(), 0);
}

void TestReceiverFaults::verificationOffAcceptsItWithAWarning()
{
    TestReceiver receiver;
    QVERIFY(receiver.listenTls(QStringLiteral(WEBHOOK_TEST_TLS_DIR "/localhost.crt"),
                               QStringLiteral(WEBHOOK_TEST_TLS_DIR "/localhost.key")));
    const Attempt done = deliverOnce(receiver.url(QStringLiteral("/ok")), false);
    QCOMPARE(done.outcome, AttemptOutcome::Succeeded);
    QCOMPARE(receiver.requests().size(), 1);
    QVERIFY2(done.trace.contains(QStringLiteral("ignored: verification is off")),
             qPrintable(done.trace));
}

QTEST_GUILESS_MAIN(TestReceiverFaults)
#include "tst_receiver_faults.moc"
