#include "delivery/attempt_recorder.h"
#include "store/database.h"
#include "store/hook_store.h"
#include "test_database.h"

#include <QFile>
#include <QMutex>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>
#include <atomic>
#include <memory>

// The dispatcher's writer thread on a real file: results given in several
// pieces are all recorded, claims come back for their owner, a locked file
// keeps the results until it can take them, and stopping records what was
// given.
class TestAttemptRecorder : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void recordsEveryResultGivenInPieces();
    void claimsDueAttemptsForTheOwner();
    void keepsResultsWhileTheFileIsLocked();
    void stoppingRecordsWhatWasGiven();
    void aFileThatCannotBeOpenedIsReported();

private:
    // Stores `count` events for one hook and claims their attempts.
    QList<ClaimedAttempt> claimEvents(int count);
    static AttemptResult succeeded(const ClaimedAttempt &claim);
    qint64 count(const QString &sql);
    std::unique_ptr<AttemptRecorder> makeRecorder();

    QTemporaryDir m_dir;
    QString m_path;
    std::unique_ptr<Database> m_db;
    std::unique_ptr<HookStore> m_hooks;
    std::unique_ptr<DeliveryStore> m_store;
    int m_run = 0;

    std::atomic<int> m_recorded = 0;
    std::atomic<int> m_claimCalls = 0;
    QMutex m_mutex; // guards what the callbacks leave
    QStringList m_failures;
    QList<ClaimedAttempt> m_claimed;
};

void TestAttemptRecorder::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_dir.isValid());
}

void TestAttemptRecorder::init()
{
    m_path = TestDatabase::create(m_dir.path(), QStringLiteral("recorder%1.sqlite").arg(++m_run));
    m_db = std::make_unique<Database>();
    QVERIFY(!m_db->open(m_path));
    m_hooks = std::make_unique<HookStore>(m_db.get());
    m_store = std::make_unique<DeliveryStore>(m_db.get());
    m_recorded = 0;
    m_claimCalls = 0;
    m_failures.clear();
    m_claimed.clear();
}

void TestAttemptRecorder::cleanup()
{
    m_store.reset();
    m_hooks.reset();
    m_db.reset();
}

std::unique_ptr<AttemptRecorder> TestAttemptRecorder::makeRecorder()
{
    AttemptRecorder::Callbacks callbacks;
    callbacks.recorded = [this](int n, const QList<qint64> &) {
        m_recorded += n;
    };
    callbacks.recordFailed = [this](const QString &message) {
        QMutexLocker lock(&m_mutex);
        m_failures.append(message);
    };
    callbacks.claimed = [this](const Result<QList<ClaimedAttempt>> &claimed) {
        QMutexLocker lock(&m_mutex);
        if (claimed)
            m_claimed += claimed.value();
        else
            m_failures.append(claimed.error().message);
        ++m_claimCalls;
    };
    return std::make_unique<AttemptRecorder>(m_path, callbacks);
}

QList<ClaimedAttempt> TestAttemptRecorder::claimEvents(int n)
{
    Webhook hook;
    hook.url = QStringLiteral("http://receiver.invalid/hook");
    if (!m_hooks->saveHook(hook))
        return {};
    const EventCatalog catalog = m_hooks->catalog();
    const QString action = QStringLiteral("ANNOTATION_CREATED");
    QList<qint64> ids;
    for (int i = 0; i < n; ++i) {
        Result<EmitResult> emitted =
            m_store->emitEvent(catalog, action, std::nullopt, catalog.samplePayload(action),
                               QDateTime::currentDateTimeUtc());
        if (!emitted)
            return {};
        ids += emitted->attemptIds;
    }
    Result<QList<ClaimedAttempt>> claimed = m_store->claim(
        ids, QStringLiteral("test:1:claim"), QDateTime::currentDateTimeUtc().addSecs(600));
    return claimed ? claimed.value() : QList<ClaimedAttempt>();
}

AttemptResult TestAttemptRecorder::succeeded(const ClaimedAttempt &claim)
{
    AttemptResult r;
    r.attemptId = claim.attempt.id;
    r.startedAt = QDateTime::currentDateTimeUtc();
    r.finishedAt = r.startedAt.addMSecs(3);
    r.durationMs = 3;
    r.statusCode = 200;
    r.outcome = AttemptOutcome::Succeeded;
    r.responseBody = "{\"ok\":true}";
    r.trace = QStringLiteral("POST answered 200 OK in 3 ms");
    return r;
}

qint64 TestAttemptRecorder::count(const QString &sql)
{
    QSqlQuery query(m_db->connection());
    if (!query.exec(sql) || !query.next())
        return -1;
    return query.value(0).toLongLong();
}

void TestAttemptRecorder::recordsEveryResultGivenInPieces()
{
    const QList<ClaimedAttempt> claimed = claimEvents(50);
    QCOMPARE(claimed.size(), 50);
    auto recorder = makeRecorder();
    QVERIFY(!recorder->begin());
    for (qsizetype i = 0; i < claimed.size(); i += 10) {
        QList<AttemptResult> piece;
        for (const ClaimedAttempt &c : claimed.mid(i, 10))
            piece.append(succeeded(c));
        recorder->record(piece);
    }
    QTRY_COMPARE(m_recorded.load(), 50);
    QCOMPARE(count(QStringLiteral("SELECT COUNT(*) FROM attempts WHERE outcome = 'succeeded' "
                                  "AND status_code = 200 AND lease_owner = ''")),
             50);
    QCOMPARE(count(QStringLiteral("SELECT COUNT(*) FROM deliveries WHERE status = 'succeeded'")),
             50);
    QVERIFY(m_failures.isEmpty());
}

void TestAttemptRecorder::claimsDueAttemptsForTheOwner()
{
    Webhook hook;
    hook.url = QStringLiteral("http://receiver.invalid/hook");
    QVERIFY(m_hooks->saveHook(hook));
    const EventCatalog catalog = m_hooks->catalog();
    const QString action = QStringLiteral("ANNOTATION_UPDATED");
    for (int i = 0; i < 10; ++i)
        QVERIFY(m_store->emitEvent(catalog, action, std::nullopt, catalog.samplePayload(action),
                                   QDateTime::currentDateTimeUtc().addSecs(-1)));
    auto recorder = makeRecorder();
    QVERIFY(!recorder->begin());
    const QString owner = QStringLiteral("test:2:owner");
    recorder->claimDue(owner, 4, QDateTime::currentDateTimeUtc().addSecs(600));
    QTRY_COMPARE(m_claimCalls.load(), 1);
    QMutexLocker lock(&m_mutex);
    QCOMPARE(m_claimed.size(), 4);
    for (const ClaimedAttempt &c : std::as_const(m_claimed)) {
        QCOMPARE(c.attempt.action, action);
        QVERIFY(!c.attempt.requestBody.isEmpty());
    }
    QCOMPARE(
        count(QStringLiteral("SELECT COUNT(*) FROM attempts WHERE lease_owner = '%1'").arg(owner)),
        4);
    // The oldest first: the claims are the first four attempts.
    QCOMPARE(m_claimed.first().attempt.id, count(QStringLiteral("SELECT MIN(id) FROM attempts")));
}

void TestAttemptRecorder::keepsResultsWhileTheFileIsLocked()
{
    const QList<ClaimedAttempt> claimed = claimEvents(3);
    QCOMPARE(claimed.size(), 3);
    auto recorder = makeRecorder();
    QVERIFY(!recorder->begin());

    // Another writer holds the file past the busy timeout.
    {
        const bool server = TestDatabase::onServer();
        QSqlDatabase locker = QSqlDatabase::addDatabase(
            server ? QStringLiteral("QPSQL") : QStringLiteral("QSQLITE"), QStringLiteral("locker"));
        if (server) {
            const QUrl url(m_path);
            locker.setHostName(url.host());
            locker.setPort(url.port());
            locker.setUserName(url.userName());
            locker.setPassword(url.password());
            locker.setDatabaseName(url.path().mid(1));
        } else {
            locker.setDatabaseName(m_path);
        }
        QVERIFY(locker.open());
        QSqlQuery lock(locker);
        if (server) {
            QVERIFY(lock.exec(QStringLiteral("BEGIN")));
            QVERIFY(lock.exec(QStringLiteral("LOCK TABLE attempts IN EXCLUSIVE MODE")));
        } else {
            QVERIFY(lock.exec(QStringLiteral("BEGIN IMMEDIATE")));
        }
        QList<AttemptResult> results;
        for (const ClaimedAttempt &c : claimed)
            results.append(succeeded(c));
        recorder->record(results);
        QTRY_VERIFY_WITH_TIMEOUT(
            [this] {
                QMutexLocker guard(&m_mutex);
                return !m_failures.isEmpty();
            }(),
            Database::BusyTimeoutMs + 5000);
        QCOMPARE(m_recorded.load(), 0);
        QVERIFY(lock.exec(QStringLiteral("ROLLBACK")));
        lock.finish();
        locker.close();
    }
    QSqlDatabase::removeDatabase(QStringLiteral("locker"));
    // Tried again once the file is free, nothing lost.
    QTRY_COMPARE_WITH_TIMEOUT(m_recorded.load(), 3, Database::BusyTimeoutMs + 5000);
    QCOMPARE(count(QStringLiteral("SELECT COUNT(*) FROM attempts WHERE outcome = 'succeeded'")), 3);
    QVERIFY(m_failures.first().contains(QStringLiteral("Recording delivery attempts")));
}

void TestAttemptRecorder::stoppingRecordsWhatWasGiven()
{
    const QList<ClaimedAttempt> claimed = claimEvents(200);
    QCOMPARE(claimed.size(), 200);
    {
        auto recorder = makeRecorder();
        QVERIFY(!recorder->begin());
        for (const ClaimedAttempt &c : claimed)
            recorder->record({succeeded(c)});
        // Destroyed at once: whatever is still queued is written first.
    }
    QCOMPARE(m_recorded.load(), 200);
    QCOMPARE(count(QStringLiteral("SELECT COUNT(*) FROM attempts WHERE outcome = 'succeeded'")),
             200);
}

void TestAttemptRecorder::aFileThatCannotBeOpenedIsReported()
{
    const QString garbage = m_dir.filePath(QStringLiteral("garbage.sqlite"));
    QFile file(garbage);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(QByteArray(8192, 'x'));
    file.close();
    AttemptRecorder recorder(garbage, {});
    const std::optional<StorageError> error = recorder.begin();
    QVERIFY(error);
    QVERIFY(!error->message.isEmpty());
}

QTEST_GUILESS_MAIN(TestAttemptRecorder)
#include "tst_attempt_recorder.moc"
