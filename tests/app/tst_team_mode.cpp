#include "cli_process.h"
#include "receiver_process.h"
#include "store/database.h"
#include "team_setup.h"
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
    void threeDispatchersSurviveAKillAndARestart();
    void wrongPasswordIsOneMaskedLine();

private:
    static constexpr int Hooks = 30;
    static constexpr int Events = 10;
    static constexpr int TasksPerEvent = 10;

    QProcess *startServe(int n);
    bool restartServer();

    TeamSetup m_team;
};

void TestTeamMode::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    if (!TestDatabase::onServer())
        QSKIP("team mode needs the PostgreSQL fixture (run as tst_team_mode_pg)");
    const QString problem = m_team.start();
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
}

QProcess *TestTeamMode::startServe(int n)
{
    auto *process = new QProcess(this);
    process->setProcessEnvironment(m_team.environment());
    process->setStandardOutputFile(m_team.filePath(QStringLiteral("serve%1.out").arg(n)));
    process->setStandardErrorFile(m_team.filePath(QStringLiteral("serve%1.err").arg(n)));
    process->start(CliTest::adminBinary(),
                   {QStringLiteral("--db"), m_team.db(), QStringLiteral("serve")});
    process->waitForStarted(10000);
    return process;
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
    const QString stored =
        m_team.queueBurst(Hooks, QStringLiteral("/slow/20"), Events, TasksPerEvent);
    QVERIFY2(stored.isEmpty(), qPrintable(stored));
    const int total = Hooks * Events * TasksPerEvent;
    qInfo("stored %d deliveries; received so far %d", total, m_team.receivedCount());
    QCOMPARE(m_team.scalar(QStringLiteral("SELECT count(*) FROM deliveries")), qint64(total));
    // The burst is queued; three dispatchers share it.
    QList<QProcess *> serves;
    for (int n = 0; n < 3; ++n) {
        serves.append(startServe(n));
        QVERIFY(serves.last()->state() == QProcess::Running);
    }

    // One dispatcher dies mid-burst, without a chance to release anything.
    QTRY_VERIFY_WITH_TIMEOUT(m_team.receivedCount() >= total / 10, 60000);
    qInfo("killing serve 0 at %d received", m_team.receivedCount());
    serves.first()->kill();
    QVERIFY(serves.first()->waitForFinished(10000));
    // The server restarts under the two others.
    QTRY_VERIFY_WITH_TIMEOUT(m_team.receivedCount() >= total / 3, 60000);
    qInfo("restarting the server at %d received", m_team.receivedCount());
    QVERIFY(restartServer());
    qInfo("restarted");

    // The others take over what the dead one held once its leases run out.
    QTRY_COMPARE_WITH_TIMEOUT(
        m_team.scalar(QStringLiteral("SELECT count(*) FROM deliveries WHERE status = 'succeeded'")),
        qint64(total), 150000);
    for (int n = 1; n < serves.size(); ++n) {
        serves.at(n)->terminate();
        QVERIFY(serves.at(n)->waitForFinished(20000));
        QCOMPARE(serves.at(n)->exitStatus(), QProcess::NormalExit);
        QCOMPARE(serves.at(n)->exitCode(), 0);
    }
    qDeleteAll(serves);
    QTest::qWait(200);
    QFile reconnects(m_team.filePath(QStringLiteral("serve1.err")));
    QVERIFY(reconnects.open(QIODevice::ReadOnly));
    const QByteArray err = reconnects.readAll();
    qInfo("serve 1 stderr: %s", err.constData());
    QVERIFY2(!err.contains(":test-"), "the password must never be printed");

    // Every delivery arrived; per hook, first arrivals are in event order.
    const TeamSetup::Arrivals arrivals = m_team.arrivals();
    const int duplicates = arrivals.duplicates;
    qInfo("%d deliveries, %d duplicate requests (from the killed dispatcher)", total, duplicates);
    QCOMPARE(arrivals.deliveries, qint64(total));
    QVERIFY2(arrivals.unknown.isEmpty(), qPrintable(arrivals.unknown.mid(0, 10).join(u'\n')));
    QCOMPARE(arrivals.arrived, qsizetype(total));
    QVERIFY2(arrivals.outOfOrder.isEmpty(),
             qPrintable(arrivals.outOfOrder.mid(0, 10).join(QLatin1Char('\n'))));
    // Only what the killed one held can come twice: at most one per hook
    // (one request in flight each), and a restart's unrecorded results.
    QVERIFY2(duplicates <= Hooks * 2, qPrintable(QString::number(duplicates)));
}

void TestTeamMode::wrongPasswordIsOneMaskedLine()
{
    QString wrong = m_team.db();
    wrong.replace(QStringLiteral(":test-"), QStringLiteral(":wrong-"));
    QVERIFY(wrong != m_team.db());
    const CliTest::Run run =
        CliTest::runCli(m_team.environment(), {QStringLiteral("--db"), wrong,
                                               QStringLiteral("hooks"), QStringLiteral("list")});
    QCOMPARE(run.exitCode, 4);
    QVERIFY2(CliTest::isOneLineError(run), qPrintable(CliTest::describe(run)));
    QVERIFY2(run.err.contains("password authentication failed"), run.err.constData());
    QVERIFY2(run.err.contains(":•••@"), run.err.constData());
    QVERIFY2(!run.err.contains("wrong-"), run.err.constData());
}

QTEST_GUILESS_MAIN(TestTeamMode)
#include "tst_team_mode.moc"
