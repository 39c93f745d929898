#include "cli_process.h"
#include "receiver_process.h"
#include "store/database.h"
#include "test_database.h"

#include <QDir>
#include <QFile>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSet>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <memory>
#include <unistd.h>

// Team mode on a real PostgreSQL server: three `serve` processes share one
// outbox. 3,000 deliveries over 30 hooks go to a real receiver (a process of
// its own that logs each request in arrival order) while one serve gets
// SIGKILL and the server restarts once. Every webhook-id must arrive, and
// per hook in event order; duplicates (only the killed one may cause them)
// are counted and reported.
class TestTeamMode : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void threeDispatchersSurviveAKillAndARestart();
    void wrongPasswordIsOneMaskedLine();

private:
    static constexpr int Hooks = 30;
    static constexpr int Events = 10;
    static constexpr int TasksPerEvent = 10;

    CliTest::Run cli(const QStringList &arguments);
    QProcess *startServe(int n);
    qint64 scalar(const QString &sql);
    int receivedCount() const;
    bool restartServer();

    QTemporaryDir m_home;
    QProcessEnvironment m_environment;
    QString m_db;
    QString m_log;
    QProcess m_receiver;
    int m_port = 0;
};

void TestTeamMode::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    if (!TestDatabase::onServer())
        QSKIP("team mode needs the PostgreSQL fixture (run as tst_team_mode_pg)");
    QVERIFY(m_home.isValid());
    m_db = TestDatabase::create(m_home.path(), QString());
    QVERIFY(!m_db.isEmpty());
    m_log = m_home.filePath(QStringLiteral("receiver.log"));
    m_environment = CliTest::cleanEnvironment(m_home.path());
    m_environment.insert(QStringLiteral("WEBHOOK_BATCH_SIZE"), QStringLiteral("1"));
    m_port = CliTest::startReceiver(&m_receiver, m_log);
    QVERIFY(m_port > 0);
}

void TestTeamMode::cleanupTestCase()
{
    m_receiver.kill();
    m_receiver.waitForFinished();
}

CliTest::Run TestTeamMode::cli(const QStringList &arguments)
{
    return CliTest::runCli(m_environment, QStringList{QStringLiteral("--db"), m_db} + arguments);
}

QProcess *TestTeamMode::startServe(int n)
{
    auto *process = new QProcess(this);
    process->setProcessEnvironment(m_environment);
    process->setStandardOutputFile(m_home.filePath(QStringLiteral("serve%1.out").arg(n)));
    process->setStandardErrorFile(m_home.filePath(QStringLiteral("serve%1.err").arg(n)));
    process->start(CliTest::adminBinary(), {QStringLiteral("--db"), m_db, QStringLiteral("serve")});
    process->waitForStarted(10000);
    return process;
}

qint64 TestTeamMode::scalar(const QString &sql)
{
    // A connection per question: the server restarts under this test too.
    Database db;
    if (db.open(m_db))
        return -1;
    QSqlQuery query(db.connection());
    if (!query.exec(sql) || !query.next())
        return -1;
    return query.value(0).toLongLong();
}

int TestTeamMode::receivedCount() const
{
    return int(CliTest::receiverLog(m_log).size());
}

bool TestTeamMode::restartServer()
{
    const QString dir = TestDatabase::clusterFolder();
    auto readLine = [&dir](const char *name) {
        QFile file(dir + QLatin1Char('/') + QLatin1String(name));
        return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readLine()).trimmed()
                                              : QString();
    };
    const QString pgCtl = readLine("bindir") + QStringLiteral("/pg_ctl");
    const QString owner = readLine("owner");
    QStringList command{pgCtl,
                        QStringLiteral("-D"),
                        dir + QStringLiteral("/data"),
                        QStringLiteral("-m"),
                        QStringLiteral("fast"),
                        QStringLiteral("-w"),
                        QStringLiteral("restart"),
                        QStringLiteral("-l"),
                        dir + QStringLiteral("/server.log")};
    QProcess process;
    if (::geteuid() == 0) // the cluster belongs to an unprivileged user
        command = QStringList{QStringLiteral("runuser"), QStringLiteral("-u"), owner,
                              QStringLiteral("--")} +
                  command;
    process.start(command.takeFirst(), command);
    if (!process.waitForFinished(60000) || process.exitCode() != 0) {
        qWarning("pg_ctl restart: %s %s", process.readAllStandardOutput().constData(),
                 process.readAllStandardError().constData());
        return false;
    }
    return true;
}

void TestTeamMode::threeDispatchersSurviveAKillAndARestart()
{
    for (int h = 0; h < Hooks; ++h) {
        const CliTest::Run added =
            cli({QStringLiteral("hooks"), QStringLiteral("add"), QStringLiteral("--url"),
                 QStringLiteral("http://127.0.0.1:%1/slow/20").arg(m_port),
                 QStringLiteral("--event"), QStringLiteral("TASKS_CREATED"),
                 QStringLiteral("--max-in-flight"), QStringLiteral("1")});
        QVERIFY2(added.exitCode == 0, qPrintable(CliTest::describe(added)));
    }
    int task = 1;
    for (int e = 0; e < Events; ++e) {
        QJsonArray tasks;
        for (int i = 0; i < TasksPerEvent; ++i)
            tasks.append(QJsonObject{{QStringLiteral("id"), task++}});
        const QString path = m_home.filePath(QStringLiteral("tasks%1.json").arg(e));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QJsonDocument(QJsonObject{{QStringLiteral("tasks"), tasks}}).toJson());
        file.close();
        const CliTest::Run emitted =
            cli({QStringLiteral("emit"), QStringLiteral("TASKS_CREATED"), QStringLiteral("--data"),
                 path, QStringLiteral("--queue")});
        QVERIFY2(emitted.exitCode == 0, qPrintable(CliTest::describe(emitted)));
    }
    const int total = Hooks * Events * TasksPerEvent;
    qInfo("stored %d deliveries; received so far %d", total, receivedCount());
    QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM deliveries")), qint64(total));
    // The burst is queued; three dispatchers share it.
    QList<QProcess *> serves;
    for (int n = 0; n < 3; ++n) {
        serves.append(startServe(n));
        QVERIFY(serves.last()->state() == QProcess::Running);
    }

    // One dispatcher dies mid-burst, without a chance to release anything.
    QTRY_VERIFY_WITH_TIMEOUT(receivedCount() >= total / 10, 60000);
    qInfo("killing serve 0 at %d received", receivedCount());
    serves.first()->kill();
    QVERIFY(serves.first()->waitForFinished(10000));
    // The server restarts under the two others.
    QTRY_VERIFY_WITH_TIMEOUT(receivedCount() >= total / 3, 60000);
    qInfo("restarting the server at %d received", receivedCount());
    QVERIFY(restartServer());
    qInfo("restarted");

    // The others take over what the dead one held once its leases run out.
    QTRY_COMPARE_WITH_TIMEOUT(
        scalar(QStringLiteral("SELECT count(*) FROM deliveries WHERE status = 'succeeded'")),
        qint64(total), 150000);
    for (int n = 1; n < serves.size(); ++n) {
        serves.at(n)->terminate();
        QVERIFY(serves.at(n)->waitForFinished(20000));
        QCOMPARE(serves.at(n)->exitStatus(), QProcess::NormalExit);
        QCOMPARE(serves.at(n)->exitCode(), 0);
    }
    qDeleteAll(serves);
    QTest::qWait(200);
    QFile reconnects(m_home.filePath(QStringLiteral("serve1.err")));
    QVERIFY(reconnects.open(QIODevice::ReadOnly));
    const QByteArray err = reconnects.readAll();
    qInfo("serve 1 stderr: %s", err.constData());
    QVERIFY2(!err.contains(":test-"), "the password must never be printed");

    // Every delivery arrived; per hook, first arrivals are in event order.
    Database db;
    QVERIFY(!db.open(m_db));
    QHash<QString, QPair<qint64, qint64>> deliveryOf; // message id -> hook, delivery
    QSqlQuery query(db.connection());
    QVERIFY(query.exec(QStringLiteral("SELECT message_id, webhook_id, id FROM deliveries")));
    while (query.next())
        deliveryOf.insert(query.value(0).toString(),
                          {query.value(1).toLongLong(), query.value(2).toLongLong()});
    QCOMPARE(deliveryOf.size(), total);
    QSet<QString> seen;
    QHash<qint64, qint64> lastOfHook;
    int duplicates = 0;
    QStringList outOfOrder;
    for (const QString &line : CliTest::receiverLog(m_log)) {
        const QString id = line.section(QLatin1Char(' '), 0, 0);
        QVERIFY2(deliveryOf.contains(id), qPrintable(line));
        if (seen.contains(id)) {
            ++duplicates;
            continue;
        }
        seen.insert(id);
        const auto [hook, delivery] = deliveryOf.value(id);
        if (delivery < lastOfHook.value(hook))
            outOfOrder.append(QStringLiteral("hook %1: delivery %2 after %3")
                                  .arg(hook)
                                  .arg(delivery)
                                  .arg(lastOfHook.value(hook)));
        lastOfHook[hook] = delivery;
    }
    qInfo("%d deliveries, %d duplicate requests (from the killed dispatcher)", total, duplicates);
    QCOMPARE(seen.size(), total);
    QVERIFY2(outOfOrder.isEmpty(), qPrintable(outOfOrder.mid(0, 10).join(QLatin1Char('\n'))));
    // Only what the killed one held can come twice: at most one per hook
    // (one request in flight each), and a restart's unrecorded results.
    QVERIFY2(duplicates <= Hooks * 2, qPrintable(QString::number(duplicates)));
}

void TestTeamMode::wrongPasswordIsOneMaskedLine()
{
    QString wrong = m_db;
    wrong.replace(QStringLiteral(":test-"), QStringLiteral(":wrong-"));
    QVERIFY(wrong != m_db);
    const CliTest::Run run =
        CliTest::runCli(m_environment, {QStringLiteral("--db"), wrong, QStringLiteral("hooks"),
                                        QStringLiteral("list")});
    QCOMPARE(run.exitCode, 4);
    QVERIFY2(CliTest::isOneLineError(run), qPrintable(CliTest::describe(run)));
    QVERIFY2(run.err.contains("password authentication failed"), run.err.constData());
    QVERIFY2(run.err.contains(":•••@"), run.err.constData());
    QVERIFY2(!run.err.contains("wrong-"), run.err.constData());
}

QTEST_GUILESS_MAIN(TestTeamMode)
#include "tst_team_mode.moc"
