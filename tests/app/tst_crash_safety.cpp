#include "cli_process.h"
#include "receiver_process.h"
#include "store/database.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSet>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

// An accepted event is never lost: `serve` killed with SIGKILL in the middle
// of a thousand deliveries, then started again, still delivers every one of
// them (at least once) to a receiver running in a process of its own.
class TestCrashSafety : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void killedServeLosesNothing();

private:
    int runCli(const QStringList &arguments, QByteArray *out = nullptr);
    QProcess *startServe();
    qint64 scalar(const QString &sql);

    QTemporaryDir m_home;
    QProcessEnvironment m_environment;
    QString m_db;
    QString m_log;
    QProcess m_receiver;
    Database m_database;
};

void TestCrashSafety::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_home.isValid());
    QVERIFY(QFile::exists(QStringLiteral(WEBHOOK_ADMIN_BINARY)));
    QVERIFY(QFile::exists(QStringLiteral(WEBHOOK_TEST_RECEIVER_BINARY)));
    m_db = m_home.filePath(QStringLiteral("crash.sqlite"));
    m_log = m_home.filePath(QStringLiteral("receiver.log"));

    m_environment = CliTest::cleanEnvironment(m_home.path());
    // One task per delivery: a thousand deliveries from one event.
    m_environment.insert(QStringLiteral("WEBHOOK_BATCH_SIZE"), QStringLiteral("1"));

    const int port = CliTest::startReceiver(&m_receiver, m_log);
    QVERIFY(port > 0);

    // The receiver takes 20 ms per request, so sending takes a few seconds.
    QByteArray out;
    QCOMPARE(runCli({QStringLiteral("hooks"), QStringLiteral("add"), QStringLiteral("--url"),
                     QStringLiteral("http://127.0.0.1:%1/slow/20").arg(port),
                     QStringLiteral("--event"), QStringLiteral("TASKS_CREATED")},
                    &out),
             0);
    QVERIFY(!m_database.open(m_db));
}

void TestCrashSafety::cleanupTestCase()
{
    m_database.close();
    m_receiver.kill();
    m_receiver.waitForFinished();
}

int TestCrashSafety::runCli(const QStringList &arguments, QByteArray *out)
{
    const CliTest::Run result =
        CliTest::runCli(m_environment, QStringList{QStringLiteral("--db"), m_db} + arguments);
    if (out)
        *out = result.out;
    if (!result.err.isEmpty())
        qWarning("%s", result.err.constData());
    return result.exitCode;
}

QProcess *TestCrashSafety::startServe()
{
    auto *process = new QProcess(this);
    process->setProcessEnvironment(m_environment);
    process->start(QStringLiteral(WEBHOOK_ADMIN_BINARY),
                   {QStringLiteral("--db"), m_db, QStringLiteral("serve")});
    if (!process->waitForReadyRead(20000) || !process->readLine().startsWith("serving "))
        qWarning("serve did not start");
    return process;
}

qint64 TestCrashSafety::scalar(const QString &sql)
{
    QSqlQuery query(m_database.connection());
    if (!query.exec(sql) || !query.next())
        return -1;
    return query.value(0).toLongLong();
}

void TestCrashSafety::killedServeLosesNothing()
{
    constexpr int Tasks = 1000;
    QJsonArray tasks;
    for (int i = 1; i <= Tasks; ++i)
        tasks.append(
            QJsonObject{{QStringLiteral("id"), i},
                        {QStringLiteral("data"),
                         QJsonObject{{QStringLiteral("text"), QStringLiteral("item %1").arg(i)}}}});
    const QString data = m_home.filePath(QStringLiteral("tasks.json"));
    QFile file(data);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(QJsonDocument(QJsonObject{{QStringLiteral("tasks"), tasks}}).toJson());
    file.close();

    QElapsedTimer clock;
    clock.start();
    QByteArray out;
    QCOMPARE(runCli({QStringLiteral("emit"), QStringLiteral("TASKS_CREATED"),
                     QStringLiteral("--data"), data, QStringLiteral("--queue")},
                    &out),
             0);
    QVERIFY2(out.contains(": 1000."), out.constData());
    QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM deliveries")), Tasks);

    // Kill serve once some, but not all, deliveries reached the receiver.
    QProcess *serve = startServe();
    QTRY_VERIFY_WITH_TIMEOUT(CliTest::receiverLog(m_log).size() >= 100, 20000);
    serve->kill(); // SIGKILL: no chance to record or release anything
    QVERIFY(serve->waitForFinished(10000));
    QCOMPARE(serve->exitStatus(), QProcess::CrashExit);
    QTest::qWait(200); // what was on the wire reaches the log
    const int beforeRestart = int(CliTest::receiverLog(m_log).size());
    qInfo("killed serve after %d of %d deliveries reached the receiver", beforeRestart, Tasks);
    QVERIFY2(beforeRestart < Tasks, "serve finished before it was killed; slow the receiver");
    QVERIFY(scalar(QStringLiteral("SELECT count(*) FROM deliveries WHERE status = 'pending'")) > 0);
    delete serve;

    // A new serve resumes what the dead one held, and sends the rest.
    serve = startServe();
    QTRY_COMPARE_WITH_TIMEOUT(
        scalar(QStringLiteral("SELECT count(*) FROM deliveries WHERE status = 'succeeded'")),
        qint64(Tasks), 45000);
    serve->terminate();
    QVERIFY(serve->waitForFinished(15000));
    QCOMPARE(serve->exitStatus(), QProcess::NormalExit);
    QCOMPARE(serve->exitCode(), 0);
    delete serve;

    QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM attempts WHERE outcome = 'pending'")), 0);
    QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM attempts WHERE outcome = 'failed'")), 0);

    // Every delivery's webhook-id reached the receiver; nothing else did.
    QSet<QString> expected;
    QSqlQuery query(m_database.connection());
    QVERIFY(query.exec(QStringLiteral("SELECT message_id FROM deliveries")));
    while (query.next())
        expected.insert(query.value(0).toString());
    QCOMPARE(expected.size(), Tasks);
    const QStringList lines = CliTest::receiverLog(m_log);
    QSet<QString> received;
    for (const QString &line : lines) {
        QVERIFY2(line.endsWith(QLatin1String(" /slow/20")), qPrintable(line));
        received.insert(line.section(QLatin1Char(' '), 0, 0));
    }
    const QSet<QString> missing = expected - received;
    QVERIFY2(missing.isEmpty(),
             qPrintable(QStringLiteral("%1 deliveries never arrived, e.g. %2")
                            .arg(missing.size())
                            .arg(missing.isEmpty() ? QString() : *missing.begin())));
    QCOMPARE(received, expected);
    qInfo("%lld requests for %d deliveries: %lld duplicates (at least once), %lld ms in all",
          qint64(lines.size()), Tasks, qint64(lines.size() - received.size()), clock.elapsed());
}

QTEST_GUILESS_MAIN(TestCrashSafety)
#include "tst_crash_safety.moc"
