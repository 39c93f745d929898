#include "delivery/delivery_store.h"
#include "delivery/dispatcher.h"
#include "delivery/signature.h"
#include "domain/event_catalog.h"
#include "inbox/inbox_endpoint.h"
#include "store/database.h"
#include "store/hook_store.h"
#include "store/inbox_store.h"
#include "test_database.h"
#include "test_receiver.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <memory>

namespace {

const QString StandardSecret = QStringLiteral("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
const QString OtherStandardSecret = QStringLiteral("whsec_c2VjcmV0LW9mLWFub3RoZXItcmVjZWl2ZXI=");
const QString GitHubSecret = QStringLiteral("It's a Secret to Everybody");

using RawHeaders = QList<QPair<QByteArray, QByteArray>>;

ListenerRequest post(const QString &inbox, const QByteArray &body, const RawHeaders &headers = {})
{
    ListenerRequest request;
    request.method = QStringLiteral("POST");
    request.path = QStringLiteral("/inbox/") + inbox;
    request.headers = RawHeaders{{"Content-Type", "application/json"}} + headers;
    request.body = body;
    request.fullSize = body.size();
    request.remoteAddress = QHostAddress::LocalHost;
    return request;
}

// Headers as the dispatcher sends them: webhook-id, webhook-timestamp, then
// the signature of the scheme, made by the app's own signing code.
RawHeaders signedHeaders(SignatureScheme scheme, const QString &secret, const QByteArray &body,
                         qint64 timestamp)
{
    const QString id = QStringLiteral("msg_2mJ5m9YcBq1pVw0aQ7sUxZ");
    RawHeaders headers{{"webhook-id", id.toLatin1()},
                       {"webhook-timestamp", QByteArray::number(timestamp)}};
    headers += Signature::headers(scheme, secret, id, timestamp, body);
    return headers;
}

} // namespace

class TestInboxEndpoint : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void storesTheRequestAndAnswersOk();
    void storedBeforeTheAnswer();
    void answersAsConfigured();
    void keepsTheFirstMegabyteAndTheFullSize();
    void masksCredentialHeaders();
    void verdicts_data();
    void verdicts();
    void hookPointingAtTheInboxSignedByTheDispatcher();
    void onlyHooksPointingAtThisInboxAreTried();
    void badNamesAreNotFoundAndNothingIsStored_data();
    void badNamesAreNotFoundAndNothingIsStored();
    void keepsTheNewestRequestsPerInbox();
    void settingsAreValidated_data();
    void settingsAreValidated();
    void clearDeletesOneInbox();

private:
    qint64 addHook(const QString &url, SignatureScheme scheme, const QString &secret);
    InboxRequest lastStored();

    QTemporaryDir m_dir;
    int m_run = 0;
    std::unique_ptr<Database> m_db;
    std::unique_ptr<HookStore> m_hooks;
    std::unique_ptr<InboxStore> m_inbox;
    std::unique_ptr<InboxEndpoint> m_endpoint;
};

void TestInboxEndpoint::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_dir.isValid());
}

void TestInboxEndpoint::init()
{
    m_db = std::make_unique<Database>();
    QVERIFY(!m_db->open(
        TestDatabase::create(m_dir.path(), QStringLiteral("db%1.sqlite").arg(++m_run))));
    m_hooks = std::make_unique<HookStore>(m_db.get());
    m_inbox = std::make_unique<InboxStore>(m_db.get());
    m_endpoint = std::make_unique<InboxEndpoint>(m_db.get());
}

void TestInboxEndpoint::cleanup()
{
    m_endpoint.reset();
    m_inbox.reset();
    m_hooks.reset();
    m_db.reset();
}

qint64 TestInboxEndpoint::addHook(const QString &url, SignatureScheme scheme, const QString &secret)
{
    Webhook hook;
    hook.url = url;
    hook.signature = scheme;
    hook.secret = secret;
    const Result<Webhook> saved = m_hooks->saveHook(hook);
    if (!saved)
        qWarning() << saved.error().message;
    return saved ? saved->id : 0;
}

InboxRequest TestInboxEndpoint::lastStored()
{
    const Result<QList<InboxRequest>> rows = m_inbox->requests(QString(), 0, 1, true);
    if (!rows || rows->isEmpty())
        return {};
    return rows->first();
}

void TestInboxEndpoint::storesTheRequestAndAnswersOk()
{
    const QByteArray body = R"({"action": "PING"})";
    ListenerRequest request = post(QStringLiteral("ci"), body, {{"X-Team", "vision"}});
    request.query = QStringLiteral("a=1");
    const QDateTime before = QDateTime::currentDateTimeUtc().addMSecs(-1);
    const ListenerReply reply = m_endpoint->receive(request);
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.body, QByteArray(R"({"ok": true})"));
    QCOMPARE(reply.contentType, QByteArray("application/json"));
    QCOMPARE(reply.delayMs, 0);

    const InboxRequest stored = lastStored();
    QVERIFY(stored.id > 0);
    QCOMPARE(stored.inbox, QStringLiteral("ci"));
    QCOMPARE(stored.method, QStringLiteral("POST"));
    QCOMPARE(stored.path, QStringLiteral("/inbox/ci"));
    QCOMPARE(stored.query, QStringLiteral("a=1"));
    QCOMPARE(stored.remoteAddress, QStringLiteral("127.0.0.1"));
    QVERIFY(stored.receivedAt >= before);
    QVERIFY(stored.receivedAt <= QDateTime::currentDateTimeUtc());
    QCOMPARE(stored.body, body);
    QCOMPARE(stored.size, body.size());
    const HeaderList expected{{QStringLiteral("Content-Type"), QStringLiteral("application/json")},
                              {QStringLiteral("X-Team"), QStringLiteral("vision")}};
    QCOMPARE(stored.headers, expected);
    QCOMPARE(stored.verdict, InboxVerdict::Unsigned);
    QVERIFY2(stored.reason.contains(QLatin1String("no webhook-signature")),
             qPrintable(stored.reason));
}

void TestInboxEndpoint::storedBeforeTheAnswer()
{
    // A second connection (another process) sees the request once receive()
    // has returned: it was committed, not merely written.
    Database other;
    QVERIFY(!other.open(m_db->path()));
    const InboxStore otherStore(&other);
    QCOMPARE(m_endpoint->receive(post(QStringLiteral("ci"), "{}")).status, 200);
    const Result<QList<InboxRequest>> seen = otherStore.requests(QStringLiteral("ci"), 0, 10);
    QVERIFY(seen);
    QCOMPARE(seen->size(), 1);
}

void TestInboxEndpoint::answersAsConfigured()
{
    InboxSettings settings;
    settings.name = QStringLiteral("flaky");
    settings.status = 503;
    settings.delayMs = 300;
    settings.body = R"({"busy": true})";
    QVERIFY(m_inbox->saveSettings(settings));

    const ListenerReply reply = m_endpoint->receive(post(QStringLiteral("flaky"), "{}"));
    QCOMPARE(reply.status, 503);
    QCOMPARE(reply.delayMs, 300);
    QCOMPARE(reply.body, QByteArray(R"({"busy": true})"));
    // Stored all the same: the inbox shows what it refused.
    QCOMPARE(lastStored().inbox, QStringLiteral("flaky"));

    // Another inbox keeps the default answer.
    const ListenerReply other = m_endpoint->receive(post(QStringLiteral("ci"), "{}"));
    QCOMPARE(other.status, 200);
    QCOMPARE(other.delayMs, 0);
    QCOMPARE(other.body, InboxSettings::defaultBody());
}

void TestInboxEndpoint::keepsTheFirstMegabyteAndTheFullSize()
{
    const QByteArray body(InboxRequest::MaxStoredBodyBytes + 500 * 1024, 'x');
    QCOMPARE(m_endpoint->receive(post(QStringLiteral("big"), body)).status, 200);
    const InboxRequest stored = lastStored();
    QCOMPARE(stored.body.size(), InboxRequest::MaxStoredBodyBytes);
    QCOMPARE(stored.body, body.left(InboxRequest::MaxStoredBodyBytes));
    QCOMPARE(stored.size, body.size());
    QVERIFY(stored.isTruncated());

    // The listener may hand over less than was announced (its own limit).
    ListenerRequest cut = post(QStringLiteral("big"), "abc");
    cut.fullSize = 12 * 1024 * 1024;
    QCOMPARE(m_endpoint->receive(cut).status, 200);
    QCOMPARE(lastStored().size, 12 * 1024 * 1024);
    QCOMPARE(lastStored().body, QByteArray("abc"));
}

void TestInboxEndpoint::masksCredentialHeaders()
{
    QCOMPARE(m_endpoint
                 ->receive(post(QStringLiteral("ci"), "{}",
                                {{"Authorization", "Bearer top-secret-token"},
                                 {"Cookie", "session=top-secret-cookie"},
                                 {"X-Api-Key", "top-secret-key"},
                                 {"X-Access-Token", "top-secret-access"},
                                 {"X-Team", "vision"}}))
                 .status,
             200);
    const InboxRequest stored = lastStored();
    const Result<InboxRequest> read = m_inbox->request(stored.id);
    QVERIFY(read);
    for (const auto &[name, value] : read->headers) {
        QVERIFY2(!value.contains(QLatin1String("top-secret")), qPrintable(name));
        if (name != QLatin1String("X-Team") && name != QLatin1String("Content-Type"))
            QCOMPARE(value, maskedSecret());
    }
    QCOMPARE(read->headers.last(), qMakePair(QStringLiteral("X-Team"), QStringLiteral("vision")));
}

void TestInboxEndpoint::verdicts_data()
{
    QTest::addColumn<int>("scheme"); // the inbox's own secret
    QTest::addColumn<QString>("secret");
    QTest::addColumn<int>("signScheme"); // how the request is signed
    QTest::addColumn<QString>("signSecret");
    QTest::addColumn<qint64>("age"); // seconds before now the request was signed
    QTest::addColumn<bool>("tamper");
    QTest::addColumn<QString>("verdict");
    QTest::addColumn<QString>("reason");

    const int standard = int(SignatureScheme::Standard);
    const int github = int(SignatureScheme::GitHub);
    const int none = int(SignatureScheme::None);
    QTest::newRow("standard valid")
        << standard << StandardSecret << standard << StandardSecret << qint64(0) << false << "valid"
        << "signed with the inbox secret (Standard Webhooks)";
    QTest::newRow("github valid") << github << GitHubSecret << github << GitHubSecret << qint64(0)
                                  << false << "valid"
                                  << "signed with the inbox secret (GitHub)";
    QTest::newRow("standard tampered body")
        << standard << StandardSecret << standard << StandardSecret << qint64(0) << true
        << "invalid"
        << "webhook-signature does not match any secret: tried inbox secret";
    QTest::newRow("github tampered body")
        << github << GitHubSecret << github << GitHubSecret << qint64(0) << true << "invalid"
        << "X-Hub-Signature-256 does not match any secret: tried inbox secret";
    QTest::newRow("standard wrong secret")
        << standard << StandardSecret << standard << OtherStandardSecret << qint64(0) << false
        << "invalid"
        << "webhook-signature does not match any secret: tried inbox secret";
    QTest::newRow("github wrong secret")
        << github << GitHubSecret << github << QStringLiteral("another") << qint64(0) << false
        << "invalid"
        << "does not match any secret";
    QTest::newRow("stale, 10 minutes old") << standard << StandardSecret << standard
                                           << StandardSecret << qint64(600) << false << "stale"
                                           << "webhook-timestamp is 600 seconds in the past";
    QTest::newRow("stale, 10 minutes ahead") << standard << StandardSecret << standard
                                             << StandardSecret << qint64(-600) << false << "stale"
                                             << "600 seconds in the future";
    QTest::newRow("4 minutes old is still valid")
        << standard << StandardSecret << standard << StandardSecret << qint64(240) << false
        << "valid"
        << "signed with the inbox secret";
    QTest::newRow("unsigned") << standard << StandardSecret << none << QString() << qint64(0)
                              << false << "unsigned"
                              << "no webhook-signature or X-Hub-Signature-256 header";
    QTest::newRow("signed, but no secret known")
        << none << QString() << standard << StandardSecret << qint64(0) << false << "invalid"
        << "webhook-signature cannot be checked";
    QTest::newRow("scheme differs from the inbox's")
        << github << GitHubSecret << standard << StandardSecret << qint64(0) << false << "invalid"
        << "cannot be checked";
}

void TestInboxEndpoint::verdicts()
{
    QFETCH(int, scheme);
    QFETCH(QString, secret);
    QFETCH(int, signScheme);
    QFETCH(QString, signSecret);
    QFETCH(qint64, age);
    QFETCH(bool, tamper);
    QFETCH(QString, verdict);
    QFETCH(QString, reason);

    InboxSettings settings;
    settings.name = QStringLiteral("ci");
    settings.signature = SignatureScheme(scheme);
    settings.secret = secret;
    QVERIFY(m_inbox->saveSettings(settings));

    const QByteArray body = R"({"action": "TASKS_CREATED", "tasks": [{"id": 1}]})";
    RawHeaders headers;
    if (SignatureScheme(signScheme) != SignatureScheme::None)
        headers = signedHeaders(SignatureScheme(signScheme), signSecret, body,
                                QDateTime::currentSecsSinceEpoch() - age);
    const QByteArray sent = tamper ? QByteArray(body).replace("\"id\": 1", "\"id\": 2") : body;
    QCOMPARE(m_endpoint->receive(post(QStringLiteral("ci"), sent, headers)).status, 200);

    const InboxRequest stored = lastStored();
    QCOMPARE(inboxVerdictKey(stored.verdict), verdict);
    QVERIFY2(stored.reason.contains(reason), qPrintable(stored.reason));
}

void TestInboxEndpoint::hookPointingAtTheInboxSignedByTheDispatcher()
{
    // The app's own engine sends a test to a hook whose URL is the inbox; a
    // local server stands in for the listener and hands the request over.
    TestReceiver receiver;
    QVERIFY(receiver.listen());
    const qint64 hookId = addHook(receiver.url(QStringLiteral("/inbox/ci")),
                                  SignatureScheme::Standard, StandardSecret);
    QVERIFY(hookId > 0);
    // Another hook, elsewhere, signs with another secret: it is not tried.
    QVERIFY(addHook(QStringLiteral("https://example.com/inbox/ci"), SignatureScheme::Standard,
                    OtherStandardSecret) > 0);

    DeliveryStore deliveries(m_db.get());
    QNetworkAccessManager network;
    Dispatcher dispatcher(&deliveries, &network);
    const EventCatalog catalog = m_hooks->catalog();
    const Result<EmitResult> test = deliveries.enqueueTest(
        catalog, hookId, EventCatalog::PingKey, std::nullopt,
        catalog.samplePayload(EventCatalog::PingKey), QDateTime::currentDateTimeUtc());
    QVERIFY(test);
    dispatcher.send(test->attemptIds);
    QTRY_COMPARE_WITH_TIMEOUT(receiver.requests().size(), 1, 10000);

    const TestReceiver::Request &sent = receiver.requests().first();
    ListenerRequest request;
    request.method = QString::fromLatin1(sent.method);
    request.path = QString::fromLatin1(sent.path);
    for (auto it = sent.headers.cbegin(); it != sent.headers.cend(); ++it)
        request.headers.append({it.key(), it.value()});
    request.body = sent.body;
    request.fullSize = sent.body.size();
    request.remoteAddress = QHostAddress::LocalHost;
    QCOMPARE(m_endpoint->receive(request).status, 200);
    InboxRequest stored = lastStored();
    QCOMPARE(stored.verdict, InboxVerdict::Valid);
    QCOMPARE(stored.reason,
             QStringLiteral("signed with the secret of hook %1 (Standard Webhooks)").arg(hookId));

    // The same request with its body changed in transit.
    request.body.replace("PING", "PONG");
    QCOMPARE(m_endpoint->receive(request).status, 200);
    stored = lastStored();
    QCOMPARE(stored.verdict, InboxVerdict::Invalid);
    QCOMPARE(
        stored.reason,
        QStringLiteral("webhook-signature does not match any secret: tried hook %1").arg(hookId));

    // With the inbox's own secret as well, both are named.
    InboxSettings settings;
    settings.name = QStringLiteral("ci");
    settings.signature = SignatureScheme::Standard;
    settings.secret = OtherStandardSecret;
    QVERIFY(m_inbox->saveSettings(settings));
    QCOMPARE(m_endpoint->receive(request).status, 200);
    QCOMPARE(lastStored().reason,
             QStringLiteral("webhook-signature does not match any secret: tried hook %1, inbox "
                            "secret")
                 .arg(hookId));
}

void TestInboxEndpoint::onlyHooksPointingAtThisInboxAreTried()
{
    const qint64 localhost = addHook(QStringLiteral("http://localhost:9999/inbox/ci"),
                                     SignatureScheme::GitHub, QStringLiteral("a"));
    const qint64 ipv6 =
        addHook(QStringLiteral("http://[::1]/inbox/ci"), SignatureScheme::Standard, StandardSecret);
    addHook(QStringLiteral("http://127.0.0.1:8484/inbox/ci2"), SignatureScheme::GitHub,
            QStringLiteral("b"));
    addHook(QStringLiteral("http://127.0.0.1:8484/inbox/ci/more"), SignatureScheme::GitHub,
            QStringLiteral("c"));
    addHook(QStringLiteral("http://192.0.2.10:8484/inbox/ci"), SignatureScheme::GitHub,
            QStringLiteral("d"));
    addHook(QStringLiteral("http://127.0.0.1:8484/inbox/ci"), SignatureScheme::None, QString());
    const Result<QList<InboxSecret>> secrets = m_inbox->secretsFor(QStringLiteral("ci"));
    QVERIFY(secrets);
    QCOMPARE(secrets->size(), 2);
    QCOMPARE(secrets->at(0).hookId, std::optional<qint64>(localhost));
    QCOMPARE(secrets->at(1).hookId, std::optional<qint64>(ipv6));

    // A GitHub-signed request with hook 1's secret verifies; with another's it does not.
    const QByteArray body = "{}";
    QCOMPARE(m_endpoint
                 ->receive(post(QStringLiteral("ci"), body,
                                signedHeaders(SignatureScheme::GitHub, QStringLiteral("a"), body,
                                              QDateTime::currentSecsSinceEpoch())))
                 .status,
             200);
    QCOMPARE(lastStored().verdict, InboxVerdict::Valid);
    QCOMPARE(m_endpoint
                 ->receive(post(QStringLiteral("ci"), body,
                                signedHeaders(SignatureScheme::GitHub, QStringLiteral("d"), body,
                                              QDateTime::currentSecsSinceEpoch())))
                 .status,
             200);
    QCOMPARE(lastStored().verdict, InboxVerdict::Invalid);
    QCOMPARE(lastStored().reason,
             QStringLiteral("X-Hub-Signature-256 does not match any secret: tried hook %1")
                 .arg(localhost));
}

void TestInboxEndpoint::badNamesAreNotFoundAndNothingIsStored_data()
{
    QTest::addColumn<QString>("path");
    QTest::newRow("no name") << QStringLiteral("/inbox/");
    QTest::newRow("nested") << QStringLiteral("/inbox/a/b");
    QTest::newRow("dot dot") << QStringLiteral("/inbox/..");
    QTest::newRow("space") << QStringLiteral("/inbox/a b");
    QTest::newRow("too long") << QStringLiteral("/inbox/") + QString(65, QLatin1Char('a'));
    QTest::newRow("other path") << QStringLiteral("/intake/label-studio");
}

void TestInboxEndpoint::badNamesAreNotFoundAndNothingIsStored()
{
    QFETCH(QString, path);
    ListenerRequest request = post(QStringLiteral("x"), "{}");
    request.path = path;
    const ListenerReply reply = m_endpoint->receive(request);
    QCOMPARE(reply.status, 404);
    QVERIFY(QJsonDocument::fromJson(reply.body).object().value(QLatin1String("error")).isString());
    QCOMPARE(m_inbox->requests(QString(), 0, 10)->size(), 0);
}

void TestInboxEndpoint::keepsTheNewestRequestsPerInbox()
{
    QCOMPARE(m_endpoint->receive(post(QStringLiteral("other"), "{}")).status, 200);
    const int total = InboxStore::MaxRequestsPerInbox + 5;
    for (int i = 0; i < total; ++i) {
        const QByteArray body = QByteArray::number(i);
        QCOMPARE(m_endpoint->receive(post(QStringLiteral("ci"), body)).status, 200);
    }
    const Result<QList<InboxRequest>> rows =
        m_inbox->requests(QStringLiteral("ci"), 0, total, true);
    QVERIFY(rows);
    QCOMPARE(rows->size(), InboxStore::MaxRequestsPerInbox);
    QCOMPARE(rows->first().body, QByteArray::number(total - 1));
    QCOMPARE(rows->last().body, QByteArray::number(5));
    // Another inbox loses nothing.
    QCOMPARE(m_inbox->requests(QStringLiteral("other"), 0, 10)->size(), 1);
}

void TestInboxEndpoint::settingsAreValidated_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<int>("status");
    QTest::addColumn<int>("delayMs");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<int>("scheme");
    QTest::addColumn<QString>("secret");
    QTest::addColumn<QString>("error"); // empty: accepted

    const int none = int(SignatureScheme::None);
    const int standard = int(SignatureScheme::Standard);
    const QByteArray ok = InboxSettings::defaultBody();
    QTest::newRow("defaults") << "ci" << 200 << 0 << ok << none << QString() << QString();
    QTest::newRow("503 with delay, empty body")
        << "ci" << 503 << 60000 << QByteArray() << none << QString() << QString();
    QTest::newRow("bad name") << "a/b" << 200 << 0 << ok << none << QString() << "inbox name";
    QTest::newRow("status 99") << "ci" << 99 << 0 << ok << none << QString() << "between 200";
    QTest::newRow("status 600") << "ci" << 600 << 0 << ok << none << QString() << "between 200";
    QTest::newRow("negative delay") << "ci" << 200 << -1 << ok << none << QString() << "delay";
    QTest::newRow("delay over a minute")
        << "ci" << 200 << 60001 << ok << none << QString() << "delay";
    QTest::newRow("body not JSON")
        << "ci" << 200 << 0 << QByteArray("{ok") << none << QString() << "not JSON";
    QTest::newRow("body too large")
        << "ci" << 200 << 0 << QByteArray(70000, ' ') << none << QString() << "larger";
    QTest::newRow("standard secret without whsec_")
        << "ci" << 200 << 0 << ok << standard << QStringLiteral("plain") << "whsec_";
    QTest::newRow("secret without scheme")
        << "ci" << 200 << 0 << ok << none << StandardSecret << "signature scheme";
}

void TestInboxEndpoint::settingsAreValidated()
{
    QFETCH(QString, name);
    QFETCH(int, status);
    QFETCH(int, delayMs);
    QFETCH(QByteArray, body);
    QFETCH(int, scheme);
    QFETCH(QString, secret);
    QFETCH(QString, error);
    InboxSettings settings;
    settings.name = name;
    settings.status = status;
    settings.delayMs = delayMs;
    settings.body = body;
    settings.signature = SignatureScheme(scheme);
    settings.secret = secret;
    const Status saved = m_inbox->saveSettings(settings);
    if (error.isEmpty()) {
        QVERIFY2(saved, qPrintable(saved.ok() ? QString() : saved.error().message));
        const Result<InboxSettings> read = m_inbox->settings(name);
        QVERIFY(read);
        QCOMPARE(read.value(), settings);
        return;
    }
    QVERIFY(!saved);
    QCOMPARE(saved.error().kind, StorageError::Kind::Invalid);
    QVERIFY2(saved.error().message.contains(error), qPrintable(saved.error().message));
    QCOMPARE(m_inbox->inboxNames()->size(), 0);
}

void TestInboxEndpoint::clearDeletesOneInbox()
{
    for (const char *name : {"a", "a", "b"})
        QCOMPARE(m_endpoint->receive(post(QString::fromLatin1(name), "{}")).status, 200);
    QCOMPARE(m_inbox->inboxNames().value(),
             QStringList({QStringLiteral("a"), QStringLiteral("b")}));
    const Result<int> cleared = m_inbox->clear(QStringLiteral("a"));
    QVERIFY(cleared);
    QCOMPARE(cleared.value(), 2);
    QCOMPARE(m_inbox->requests(QString(), 0, 10)->size(), 1);
    QCOMPARE(m_inbox->requests(QString(), 0, 10)->first().inbox, QStringLiteral("b"));
}

QTEST_GUILESS_MAIN(TestInboxEndpoint)
#include "tst_inbox_endpoint.moc"
