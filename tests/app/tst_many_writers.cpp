#include "cli_process.h"
#include "receiver_process.h"
#include "store/database.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSet>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <memory>
#include <vector>

// Several writers on one file: four `emit --jsonl` processes store their
// events one transaction each, while `serve` sends and records attempts and
// the window (the real binary, offscreen) has the same file open with its own
// engine and live log. No event may be lost, every delivery must arrive, and
// no process may say "database is locked" — or anything else — on stderr.
//
// WEBHOOK_MANY_WRITERS_EVENTS sets the events per writer (default 25,000:
// 100,000 in all).
class TestManyWriters : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void fourWritersServeAndWindow();

private:
    static constexpr int Writers = 4;

    std::unique_ptr<QProcess> start(const QStringList &arguments, const QString &name);
    QByteArray readFile(const QString &name) const;
    qint64 scalar(const QString &sql);

    QTemporaryDir m_home;
    QProcessEnvironment m_environment;
    QString m_db;
    QString m_log;
    QProcess m_receiver;
    Database m_database;
};

void TestManyWriters::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_home.isValid());
    QVERIFY(QFile::exists(QStringLiteral(WEBHOOK_ADMIN_BINARY)));
    QVERIFY(QFile::exists(QStringLiteral(WEBHOOK_TEST_RECEIVER_BINARY)));
    m_db = m_home.filePath(QStringLiteral("writers.sqlite"));
    m_log = m_home.filePath(QStringLiteral("receiver.log"));

    m_environment = CliTest::cleanEnvironment(m_home.path());
    m_environment.insert(QStringLiteral("XDG_CONFIG_HOME"),
                         m_home.filePath(QStringLiteral("config")));
    m_environment.insert(QStringLiteral("XDG_DATA_HOME"), m_home.filePath(QStringLiteral("data")));
    const QString runtime = m_home.filePath(QStringLiteral("runtime"));
    QVERIFY(QDir().mkpath(runtime));
    QVERIFY(QFile::setPermissions(runtime, QFileDevice::ReadOwner | QFileDevice::WriteOwner |
                                               QFileDevice::ExeOwner));
    m_environment.insert(QStringLiteral("XDG_RUNTIME_DIR"), runtime);

    const int port = CliTest::startReceiver(&m_receiver, m_log);
    QVERIFY(port > 0);

    // One organization-wide hook for every event.
    const CliTest::Run add = CliTest::runCli(m_environment,
                                             {QStringLiteral("--db"), m_db, QStringLiteral("hooks"),
                                              QStringLiteral("add"), QStringLiteral("--url"),
                                              QStringLiteral("http://127.0.0.1:%1/ok").arg(port)},
                                             {}, {.timeoutMs = 30000});
    QVERIFY2(add.exitCode == 0, add.err.constData());
    QVERIFY(!m_database.open(m_db));
}

void TestManyWriters::cleanupTestCase()
{
    m_database.close();
    m_receiver.kill();
    m_receiver.waitForFinished();
}

std::unique_ptr<QProcess> TestManyWriters::start(const QStringList &arguments, const QString &name)
{
    auto process = std::make_unique<QProcess>();
    process->setProcessEnvironment(m_environment);
    // To files: nobody reads the pipes while the test waits, and a full
    // pipe would stall the writer.
    process->setStandardOutputFile(m_home.filePath(name + QStringLiteral(".out")));
    process->setStandardErrorFile(m_home.filePath(name + QStringLiteral(".err")));
    process->start(QStringLiteral(WEBHOOK_ADMIN_BINARY),
                   QStringList{QStringLiteral("--db"), m_db} + arguments);
    process->waitForStarted(10000);
    return process;
}

QByteArray TestManyWriters::readFile(const QString &name) const
{
    QFile file(m_home.filePath(name));
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

qint64 TestManyWriters::scalar(const QString &sql)
{
    QSqlQuery query(m_database.connection());
    if (!query.exec(sql) || !query.next())
        return -1;
    return query.value(0).toLongLong();
}

void TestManyWriters::fourWritersServeAndWindow()
{
    const int perWriter =
        qEnvironmentVariableIsSet("WEBHOOK_MANY_WRITERS_EVENTS")
            ? std::max(1, qEnvironmentVariableIntValue("WEBHOOK_MANY_WRITERS_EVENTS"))
            : 25000;
    const qint64 total = qint64(Writers) * perWriter;

    // One payload a line; the task ids tell the writers apart.
    for (int w = 0; w < Writers; ++w) {
        QFile file(m_home.filePath(QStringLiteral("writer-%1.jsonl").arg(w)));
        QVERIFY(file.open(QIODevice::WriteOnly));
        for (int i = 0; i < perWriter; ++i) {
            const int id = w * perWriter + i + 1;
            file.write(R"({"tasks": [{"id": )" + QByteArray::number(id) +
                       R"(, "data": {"text": "writer )" + QByteArray::number(w) + " item " +
                       QByteArray::number(i) + R"("}}]})" + '\n');
        }
    }

    QElapsedTimer clock;
    clock.start();
    std::unique_ptr<QProcess> window = start({}, QStringLiteral("window"));
    std::unique_ptr<QProcess> serve = start({QStringLiteral("serve")}, QStringLiteral("serve"));
    QTRY_VERIFY_WITH_TIMEOUT(readFile(QStringLiteral("serve.out")).startsWith("serving "), 20000);
    QTest::qWait(500); // the window is up and polling
    QCOMPARE(window->state(), QProcess::Running);

    std::vector<std::unique_ptr<QProcess>> writers;
    for (int w = 0; w < Writers; ++w)
        writers.push_back(start(
            {QStringLiteral("emit"), QStringLiteral("TASKS_CREATED"), QStringLiteral("--jsonl"),
             m_home.filePath(QStringLiteral("writer-%1.jsonl").arg(w)), QStringLiteral("--queue")},
            QStringLiteral("writer-%1").arg(w)));
    const auto writing = [&writers] {
        for (const auto &w : writers) {
            if (w->state() != QProcess::NotRunning)
                return true;
        }
        return false;
    };
    QTRY_VERIFY_WITH_TIMEOUT(!writing(), 240000);
    const qint64 writeMs = clock.elapsed();
    for (int w = 0; w < Writers; ++w) {
        const QString name = QStringLiteral("writer-%1").arg(w);
        const QByteArray err = readFile(name + QStringLiteral(".err"));
        QVERIFY2(err.isEmpty(), err.constData());
        QCOMPARE(writers.at(w)->exitStatus(), QProcess::NormalExit);
        QCOMPARE(writers.at(w)->exitCode(), 0);
        const QByteArray out = readFile(name + QStringLiteral(".out"));
        QVERIFY2(out.contains(QByteArray("Events stored: " + QByteArray::number(perWriter) + ';')),
                 out.constData());
    }
    QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM events")), total);
    QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM deliveries WHERE webhook_id = 1")), total);

    // serve and the window's engine share the sending; all of it succeeds.
    QTRY_COMPARE_WITH_TIMEOUT(
        scalar(QStringLiteral("SELECT count(*) FROM deliveries WHERE status = 'succeeded'")), total,
        240000);
    const qint64 deliverMs = clock.elapsed();
    QCOMPARE(window->state(), QProcess::Running); // the window lived through it
    QCOMPARE(serve->state(), QProcess::Running);
    serve->terminate();
    QVERIFY(serve->waitForFinished(20000));
    QCOMPARE(serve->exitStatus(), QProcess::NormalExit);
    QCOMPARE(serve->exitCode(), 0);
    window->terminate();
    window->waitForFinished(20000);
    QTest::qWait(200);

    for (const QString &name : {QStringLiteral("serve.err"), QStringLiteral("window.err")}) {
        const QByteArray err = readFile(name);
        QVERIFY2(!err.contains("locked"), err.left(2000).constData());
        // Qt's offscreen platform notes what it cannot do; nothing else may appear.
        QByteArrayList lines = err.split('\n');
        lines.removeIf([](const QByteArray &line) {
            return line.isEmpty() || line.contains("This plugin does not support");
        });
        QVERIFY2(lines.isEmpty(), qPrintable(name + QLatin1String(": ") +
                                             QString::fromUtf8(lines.join('\n').left(2000))));
    }

    QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM attempts WHERE outcome <> 'succeeded'")),
             0);
    QSet<QByteArray> expected;
    QSqlQuery query(m_database.connection());
    QVERIFY(query.exec(QStringLiteral("SELECT message_id FROM deliveries")));
    while (query.next())
        expected.insert(query.value(0).toString().toLatin1());
    QCOMPARE(qint64(expected.size()), total);
    QSet<QByteArray> received;
    qint64 requests = 0;
    for (const QByteArray &line : readFile(QStringLiteral("receiver.log")).split('\n')) {
        if (line.isEmpty())
            continue;
        ++requests;
        received.insert(line.left(line.indexOf(' ')));
    }
    const QSet<QByteArray> missing = expected - received;
    QVERIFY2(missing.isEmpty(),
             qPrintable(QStringLiteral("%1 deliveries never arrived").arg(missing.size())));
    qInfo("%d writers x %d events = %lld events: stored in %lld ms, all delivered after %lld ms "
          "(%lld requests, %lld duplicates)",
          Writers, perWriter, total, writeMs, deliverMs, requests,
          requests - qint64(received.size()));
}

QTEST_GUILESS_MAIN(TestManyWriters)
#include "tst_many_writers.moc"
