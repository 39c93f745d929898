#include "delivery/delivery_store.h"
#include "delivery/dispatcher.h"
#include "delivery/signature.h"
#include "domain/time_window.h"
#include "inbox/signature_verifier.h"
#include "store/database.h"
#include "store/hook_store.h"
#include "store/secret_rotation_store.h"
#include "test_receiver.h"

#include <QNetworkAccessManager>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <memory>

// Rotating a signing secret with a real SQLite file and a real receiver on
// 127.0.0.1: during the overlap a request carries a signature for each valid
// secret, and a receiver knowing either one verifies it.
class TestSecretRotation : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void durations_data();
    void durations();
    void times();
    void overlapSignsWithBothSecrets();
    void expiredSecretNoLongerSigns();
    void retryIsSignedWithTheSecretsValidAtSendTime();
    void expireOldEndsEveryOverlap();
    void keepsAtMostFivePreviousSecrets();
    void githubSignsWithTheNewSecretOnly();
    void refusesWhatCannotBeRotated();

private:
    qint64 addHook(const QString &path, SignatureScheme scheme, const QString &secret,
                   int maxAttempts = 1);
    TestReceiver::Request sendOne(qint64 hookId);
    static InboxVerdict verify(const TestReceiver::Request &request, const QString &secret);
    qint64 storedPreviousSecrets(qint64 hookId);

    QTemporaryDir m_dir;
    std::unique_ptr<Database> m_db;
    std::unique_ptr<HookStore> m_hooks;
    std::unique_ptr<DeliveryStore> m_deliveries;
    std::unique_ptr<SecretRotationStore> m_rotations;
    std::unique_ptr<QNetworkAccessManager> m_network;
    std::unique_ptr<Dispatcher> m_dispatcher;
    std::unique_ptr<TestReceiver> m_receiver;
    int m_run = 0;
};

namespace {

const QString OldSecret = QStringLiteral("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");

} // namespace

void TestSecretRotation::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_dir.isValid());
}

void TestSecretRotation::init()
{
    qputenv("WEBHOOK_RETRY_SCHEDULE", "0,3");
    m_db = std::make_unique<Database>();
    QVERIFY(!m_db->open(m_dir.filePath(QStringLiteral("db%1.sqlite").arg(++m_run))));
    m_hooks = std::make_unique<HookStore>(m_db.get());
    m_deliveries = std::make_unique<DeliveryStore>(m_db.get());
    m_rotations = std::make_unique<SecretRotationStore>(m_db.get());
    m_network = std::make_unique<QNetworkAccessManager>();
    m_dispatcher = std::make_unique<Dispatcher>(m_deliveries.get(), m_network.get());
    m_receiver = std::make_unique<TestReceiver>();
    QVERIFY(m_receiver->listen());
}

void TestSecretRotation::cleanup()
{
    m_dispatcher.reset();
    m_network.reset();
    m_receiver.reset();
    m_rotations.reset();
    m_deliveries.reset();
    m_hooks.reset();
    m_db.reset();
    qunsetenv("WEBHOOK_RETRY_SCHEDULE");
}

qint64 TestSecretRotation::addHook(const QString &path, SignatureScheme scheme,
                                   const QString &secret, int maxAttempts)
{
    Webhook hook;
    hook.url = m_receiver->url(path);
    hook.signature = scheme;
    hook.secret = secret;
    hook.maxAttempts = maxAttempts;
    Result<Webhook> saved = m_hooks->saveHook(hook);
    if (!saved)
        qWarning() << saved.error().message;
    return saved ? saved->id : 0;
}

TestReceiver::Request TestSecretRotation::sendOne(qint64 hookId)
{
    const EventCatalog catalog = m_hooks->catalog();
    const int before = int(m_receiver->requests().size());
    Result<EmitResult> queued = m_deliveries->enqueueTest(
        catalog, hookId, QStringLiteral("PING"), std::nullopt,
        catalog.samplePayload(QStringLiteral("PING")), QDateTime::currentDateTimeUtc());
    if (!queued) {
        qWarning() << queued.error().message;
        return {};
    }
    m_dispatcher->send(queued->attemptIds);
    if (!QTest::qWaitFor([&] { return m_receiver->requests().size() > before; }, 10000))
        return {};
    return m_receiver->requests().at(before);
}

InboxVerdict TestSecretRotation::verify(const TestReceiver::Request &request, const QString &secret)
{
    HeaderList headers;
    for (auto it = request.headers.cbegin(); it != request.headers.cend(); ++it)
        headers.append({QString::fromLatin1(it.key()), QString::fromLatin1(it.value())});
    const SignatureScheme scheme = request.headers.contains("x-hub-signature-256")
                                       ? SignatureScheme::GitHub
                                       : SignatureScheme::Standard;
    return SignatureVerifier::verify(headers, request.body, {{std::nullopt, secret, scheme}},
                                     QDateTime::currentDateTimeUtc())
        .verdict;
}

qint64 TestSecretRotation::storedPreviousSecrets(qint64 hookId)
{
    QSqlQuery query(m_db->connection());
    query.prepare(QStringLiteral("SELECT count(*) FROM previous_secrets WHERE webhook_id = ?"));
    query.addBindValue(hookId);
    if (!query.exec() || !query.next())
        return -1;
    return query.value(0).toLongLong();
}

void TestSecretRotation::durations_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<qint64>("seconds"); // -1: refused
    QTest::newRow("hours") << QStringLiteral("24h") << qint64(86400);
    QTest::newRow("minutes") << QStringLiteral("30m") << qint64(1800);
    QTest::newRow("days") << QStringLiteral("3d") << qint64(3 * 86400);
    QTest::newRow("seconds") << QStringLiteral("90s") << qint64(90);
    QTest::newRow("bare number") << QStringLiteral("45") << qint64(45);
    QTest::newRow("zero") << QStringLiteral("0") << qint64(0);
    QTest::newRow("upper case") << QStringLiteral("2H") << qint64(7200);
    QTest::newRow("negative") << QStringLiteral("-2h") << qint64(-1);
    QTest::newRow("unknown unit") << QStringLiteral("2w") << qint64(-1);
    QTest::newRow("empty") << QString() << qint64(-1);
    QTest::newRow("over a year") << QStringLiteral("400d") << qint64(-1);
    QTest::newRow("fraction") << QStringLiteral("1.5h") << qint64(-1);
}

void TestSecretRotation::durations()
{
    QFETCH(QString, text);
    QFETCH(qint64, seconds);
    const auto parsed = TimeWindow::parseDuration(text);
    QCOMPARE(parsed.has_value(), seconds >= 0);
    if (parsed)
        QCOMPARE(*parsed, seconds);
}

void TestSecretRotation::times()
{
    const QDateTime now = QDateTime(QDate(2026, 12, 1), QTime(12, 0), Qt::UTC);
    QCOMPARE(TimeWindow::parseTime(QStringLiteral("2h"), now), now.addSecs(-7200));
    QCOMPARE(TimeWindow::parseTime(QStringLiteral("2026-11-30T08:30:00Z"), now),
             QDateTime(QDate(2026, 11, 30), QTime(8, 30), Qt::UTC));
    QCOMPARE(TimeWindow::parseTime(QStringLiteral("2026-11-30T08:30:00+02:00"), now),
             QDateTime(QDate(2026, 11, 30), QTime(6, 30), Qt::UTC));
    // Without an offset: local time, as a person types it.
    QCOMPARE(TimeWindow::parseTime(QStringLiteral("2026-11-30T08:30"), now),
             QDateTime(QDate(2026, 11, 30), QTime(8, 30), Qt::LocalTime).toUTC());
    QCOMPARE(TimeWindow::parseTime(QStringLiteral("2026-11-30"), now),
             QDate(2026, 11, 30).startOfDay().toUTC());
    QVERIFY(!TimeWindow::parseTime(QStringLiteral("yesterday"), now));
    QVERIFY(!TimeWindow::parseTime(QStringLiteral("2026-13-40"), now));
}

void TestSecretRotation::overlapSignsWithBothSecrets()
{
    const qint64 id = addHook(QStringLiteral("/ok"), SignatureScheme::Standard, OldSecret);
    QVERIFY(id);
    const QDateTime now = QDateTime::currentDateTimeUtc();
    Result<SecretRotation> rotated = m_rotations->rotate(id, {}, 24 * 3600, now);
    QVERIFY2(rotated, qPrintable(rotated.error().message));
    const QString newSecret = rotated->secret;
    QVERIFY(newSecret.startsWith(QLatin1String("whsec_")));
    QVERIFY(newSecret != OldSecret);
    QCOMPARE(rotated->stillValid.size(), 1);
    QCOMPARE(rotated->stillValid.first().secret, OldSecret);
    QCOMPARE(rotated->stillValid.first().validUntil.toMSecsSinceEpoch(),
             now.addSecs(24 * 3600).toMSecsSinceEpoch());
    QCOMPARE(m_hooks->hook(id)->secret, newSecret);

    const TestReceiver::Request request = sendOne(id);
    const QList<QByteArray> signatures = request.headers.value("webhook-signature").split(' ');
    QCOMPARE(signatures.size(), 2);
    const QString messageId = QString::fromLatin1(request.headers.value("webhook-id"));
    const qint64 timestamp = request.headers.value("webhook-timestamp").toLongLong();
    // The new one first, then the old one.
    QCOMPARE(QString::fromLatin1(signatures.at(0)),
             Signature::standard(newSecret, messageId, timestamp, request.body));
    QCOMPARE(QString::fromLatin1(signatures.at(1)),
             Signature::standard(OldSecret, messageId, timestamp, request.body));
    // A receiver that knows either secret accepts it; one that knows neither does not.
    QCOMPARE(verify(request, newSecret), InboxVerdict::Valid);
    QCOMPARE(verify(request, OldSecret), InboxVerdict::Valid);
    QCOMPARE(verify(request, Signature::generateSecret(SignatureScheme::Standard)),
             InboxVerdict::Invalid);

    // The log keeps the signatures (they reveal no key) but never a secret.
    Result<QList<Attempt>> logged = m_deliveries->attempts({}, 0, 10, true);
    QVERIFY(logged && !logged->isEmpty());
    for (const auto &[name, value] : logged->first().requestHeaders) {
        QVERIFY(!value.contains(newSecret.mid(6)));
        QVERIFY(!value.contains(OldSecret.mid(6)));
    }
}

void TestSecretRotation::expiredSecretNoLongerSigns()
{
    const qint64 id = addHook(QStringLiteral("/ok"), SignatureScheme::Standard, OldSecret);
    // Rotated two hours ago with a one-hour overlap: the overlap is over.
    Result<SecretRotation> rotated =
        m_rotations->rotate(id, {}, 3600, QDateTime::currentDateTimeUtc().addSecs(-7200));
    QVERIFY(rotated);
    QVERIFY(m_rotations->previousSecrets(id, QDateTime::currentDateTimeUtc())->isEmpty());
    const TestReceiver::Request request = sendOne(id);
    QVERIFY(!request.headers.value("webhook-signature").contains(' '));
    QCOMPARE(verify(request, rotated->secret), InboxVerdict::Valid);
    QCOMPARE(verify(request, OldSecret), InboxVerdict::Invalid);
}

void TestSecretRotation::retryIsSignedWithTheSecretsValidAtSendTime()
{
    // The first attempt fails (500) while the old secret is valid; the
    // retry, 3 s later, comes after the overlap has ended.
    const qint64 id = addHook(QStringLiteral("/fail/1"), SignatureScheme::Standard, OldSecret, 2);
    QVERIFY(id);
    Result<SecretRotation> rotated = m_rotations->rotate(
        id, {}, 3600, QDateTime::currentDateTimeUtc().addSecs(-3600).addMSecs(1500));
    QVERIFY(rotated);
    QCOMPARE(m_rotations->previousSecrets(id, QDateTime::currentDateTimeUtc())->size(), 1);
    const EventCatalog catalog = m_hooks->catalog();
    Result<EmitResult> emitted = m_deliveries->emitEvent(
        catalog, QStringLiteral("PROJECT_CREATED"), std::nullopt,
        catalog.samplePayload(QStringLiteral("PROJECT_CREATED")), QDateTime::currentDateTimeUtc());
    QVERIFY(emitted);
    m_dispatcher->start();
    QTRY_COMPARE_WITH_TIMEOUT(m_receiver->count("/fail"), 2, 15000);
    const TestReceiver::Request first = m_receiver->requests().at(0);
    const TestReceiver::Request retry = m_receiver->requests().at(1);
    QCOMPARE(first.headers.value("webhook-id"), retry.headers.value("webhook-id"));
    QCOMPARE(first.headers.value("webhook-signature").split(' ').size(), 2);
    QCOMPARE(retry.headers.value("webhook-signature").split(' ').size(), 1);
    QCOMPARE(verify(first, OldSecret), InboxVerdict::Valid);
    QCOMPARE(verify(retry, OldSecret), InboxVerdict::Invalid);
    QCOMPARE(verify(retry, rotated->secret), InboxVerdict::Valid);
}

void TestSecretRotation::expireOldEndsEveryOverlap()
{
    const qint64 id = addHook(QStringLiteral("/ok"), SignatureScheme::Standard, OldSecret);
    const QDateTime now = QDateTime::currentDateTimeUtc();
    QVERIFY(m_rotations->rotate(id, {}, 3600, now));
    QVERIFY(m_rotations->rotate(id, {}, 3600, now));
    QCOMPARE(m_rotations->previousSecrets(id, now)->size(), 2);
    Result<SecretRotation> last = m_rotations->rotate(id, {}, 0, now);
    QVERIFY(last);
    QVERIFY(last->stillValid.isEmpty());
    QCOMPARE(storedPreviousSecrets(id), 0);
    const TestReceiver::Request request = sendOne(id);
    QVERIFY(!request.headers.value("webhook-signature").contains(' '));
    QCOMPARE(verify(request, last->secret), InboxVerdict::Valid);
}

void TestSecretRotation::keepsAtMostFivePreviousSecrets()
{
    const qint64 id = addHook(QStringLiteral("/ok"), SignatureScheme::Standard, OldSecret);
    const QDateTime now = QDateTime::currentDateTimeUtc();
    QStringList secrets{OldSecret};
    for (int i = 0; i < 7; ++i) {
        Result<SecretRotation> rotated = m_rotations->rotate(id, {}, 3600, now);
        QVERIFY(rotated);
        secrets.append(rotated->secret);
    }
    QCOMPARE(storedPreviousSecrets(id), qint64(PreviousSecret::MaxKept));
    const QList<PreviousSecret> kept = m_rotations->previousSecrets(id, now).value();
    QCOMPARE(kept.size(), PreviousSecret::MaxKept);
    // The newest five that were rotated out, newest first.
    for (int i = 0; i < PreviousSecret::MaxKept; ++i)
        QCOMPARE(kept.at(i).secret, secrets.at(secrets.size() - 2 - i));
    const TestReceiver::Request request = sendOne(id);
    QCOMPARE(request.headers.value("webhook-signature").split(' ').size(), 6);
    QCOMPARE(verify(request, secrets.at(2)), InboxVerdict::Valid);
    QCOMPARE(verify(request, secrets.at(1)), InboxVerdict::Invalid);
}

void TestSecretRotation::githubSignsWithTheNewSecretOnly()
{
    const QString old = QStringLiteral("It's a Secret to Everybody");
    const qint64 id = addHook(QStringLiteral("/ok"), SignatureScheme::GitHub, old);
    Result<SecretRotation> rotated =
        m_rotations->rotate(id, {}, 24 * 3600, QDateTime::currentDateTimeUtc());
    QVERIFY(rotated);
    QCOMPARE(rotated->scheme, SignatureScheme::GitHub);
    QVERIFY(rotated->stillValid.isEmpty());
    QCOMPARE(storedPreviousSecrets(id), 0);
    const TestReceiver::Request request = sendOne(id);
    QCOMPARE(QString::fromLatin1(request.headers.value("x-hub-signature-256")),
             Signature::github(rotated->secret, request.body));
    QCOMPARE(verify(request, old), InboxVerdict::Invalid);
}

void TestSecretRotation::refusesWhatCannotBeRotated()
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const qint64 unsigned_ = addHook(QStringLiteral("/ok"), SignatureScheme::None, {});
    Result<SecretRotation> none = m_rotations->rotate(unsigned_, {}, 3600, now);
    QVERIFY(!none);
    QCOMPARE(none.error().kind, StorageError::Kind::Invalid);
    QVERIFY(!m_rotations->rotate(9999, {}, 3600, now));
    QCOMPARE(m_rotations->rotate(9999, {}, 3600, now).error().kind, StorageError::Kind::NotFound);

    const qint64 id = addHook(QStringLiteral("/ok"), SignatureScheme::Standard, OldSecret);
    Result<SecretRotation> malformed =
        m_rotations->rotate(id, QStringLiteral("not-a-whsec"), 3600, now);
    QVERIFY(!malformed);
    QCOMPARE(malformed.error().kind, StorageError::Kind::Invalid);
    QVERIFY(!m_rotations->rotate(id, OldSecret, 3600, now));
    // Nothing was written by the refusals.
    QCOMPARE(m_hooks->hook(id)->secret, OldSecret);
    QCOMPARE(storedPreviousSecrets(id), 0);
}

QTEST_GUILESS_MAIN(TestSecretRotation)
#include "tst_secret_rotation.moc"
