#include "cli_process.h"
#include "delivery/signature.h"
#include "store/database.h"
#include "test_database.h"
#include "test_receiver.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

// The delivery commands (emit, test, deliveries, redeliver, serve) of the
// real binary, run as a child process against a real HTTP receiver in this
// process. The child is waited for with the event loop running, so the
// receiver keeps answering meanwhile.

namespace {

using namespace CliTest;

QJsonObject bodyOf(const TestReceiver::Request &request)
{
    return QJsonDocument::fromJson(request.body).object();
}

// Secrets the tests configure; none may ever show in any output.
const char *const SigningSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const char *const HeaderSecret = "top-secret-token-4711";
const char *const UrlPassword = "hunter2pass";

} // namespace

class TestCliDelivery : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void helpListsTheDeliveryCommands();
    void emitDeliversWithHeadersAndSignature();
    void emitWithDataFile();
    void emitWithDataFromStandardInput();
    void emitWithoutMatchingHook();
    void invalidEmitStoresNothing_data();
    void invalidEmitStoresNothing();
    void hugeDataFileIsRefusedUnread();
    void emitToClosedPortFailsAndSchedulesRetry();
    void queueStoresOnlyThenServeSends();
    void emitKeepsTheRateLimit();
    void emitLeavesAPausedHooksDeliveriesWaiting();
    void testSendsOneToOneHook();
    void testFailureShowsTrace();
    void deliveriesFiltersAndJson();
    void redeliverKeepsWebhookId();
    void redeliverFailed();
    void serveRetriesOnSchedule();
    void serveFinishesInFlightOnSigterm();

private:
    Run run(const QStringList &arguments, const QByteArray &input = {});
    QJsonArray deliveriesJson(const QStringList &options = {});
    qint64 addHook(const QStringList &options);
    qint64 addSecretHook(const QString &path, const QStringList &options = {});
    QString writeFile(const QString &name, const QByteArray &contents);
    qint64 countRows(const QString &table);
    QProcess *startServe();
    void stopServe(QProcess *process, Run *result);
    QString closedPortUrl();

    QTemporaryDir m_home;
    QProcessEnvironment m_environment;
    QString m_db;
    int m_counter = 0;
    std::unique_ptr<TestReceiver> m_receiver;
    QByteArray m_allOutput; // every stdout and stderr of this test function
};

void TestCliDelivery::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_home.isValid());
    QVERIFY(QFile::exists(QStringLiteral(WEBHOOK_ADMIN_BINARY)));

    m_environment = cleanEnvironment(m_home.path());
    // Retries after 1 s, so a test can watch them happen.
    m_environment.insert(QStringLiteral("WEBHOOK_RETRY_SCHEDULE"), QStringLiteral("0,1,1"));
    QVERIFY(usePrivateXdgDirs(&m_environment, m_home.path()));
}

void TestCliDelivery::init()
{
    m_db = TestDatabase::create(m_home.path(), QStringLiteral("db-%1.sqlite").arg(++m_counter));
    m_receiver = std::make_unique<TestReceiver>();
    QVERIFY(m_receiver->listen());
    m_allOutput.clear();
}

void TestCliDelivery::cleanup()
{
    m_receiver.reset();
    // Whatever a test did, no secret reached stdout or stderr.
    const QByteArray basic =
        QByteArray(QByteArray("robot:") + UrlPassword).toBase64(); // what Authorization would carry
    for (const QByteArray &secret : {QByteArray(SigningSecret), QByteArray(SigningSecret).mid(6),
                                     QByteArray(HeaderSecret), QByteArray(UrlPassword), basic})
        QVERIFY2(!m_allOutput.contains(secret), secret.constData());
}

Run TestCliDelivery::run(const QStringList &arguments, const QByteArray &input)
{
    // Not waitForFinished: the receiver in this process must keep answering.
    const Run result =
        runCli(m_environment, QStringList{QStringLiteral("--db"), m_db} + arguments, input,
               {.workingDirectory = m_home.path(), .keepEventLoopRunning = true});
    m_allOutput += result.out + result.err;
    return result;
}

QJsonArray TestCliDelivery::deliveriesJson(const QStringList &options)
{
    const Run result =
        run(QStringList{QStringLiteral("deliveries"), QStringLiteral("--json")} + options);
    if (result.exitCode != 0 || !result.err.isEmpty()) {
        qWarning("%s", qPrintable(describe(result)));
        return {};
    }
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(result.out, &error);
    if (error.error != QJsonParseError::NoError || !document.isArray())
        qWarning("not a JSON list: %s", qPrintable(describe(result)));
    return document.array();
}

qint64 TestCliDelivery::addHook(const QStringList &options)
{
    const Run result = run(QStringList{QStringLiteral("hooks"), QStringLiteral("add")} + options);
    if (result.exitCode != 0) {
        qWarning("%s", qPrintable(describe(result)));
        return -1;
    }
    return result.out.trimmed().toLongLong();
}

// A hook with every kind of secret: signing secret, secret header, URL password.
qint64 TestCliDelivery::addSecretHook(const QString &path, const QStringList &options)
{
    QString url = m_receiver->url(path);
    url.replace(QLatin1String("http://"),
                QStringLiteral("http://robot:%1@").arg(QLatin1String(UrlPassword)));
    return addHook(QStringList{QStringLiteral("--url"), url, QStringLiteral("--secret"),
                               QLatin1String(SigningSecret), QStringLiteral("--signature"),
                               QStringLiteral("standard"), QStringLiteral("--secret-header"),
                               QStringLiteral("X-Api-Key: ") + QLatin1String(HeaderSecret),
                               QStringLiteral("--header"), QStringLiteral("X-Team: vision")} +
                   options);
}

QString TestCliDelivery::writeFile(const QString &name, const QByteArray &contents)
{
    const QString path = m_home.filePath(name);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(contents) < 0)
        qWarning("cannot write %s", qPrintable(path));
    return path;
}

qint64 TestCliDelivery::countRows(const QString &table)
{
    if (!TestDatabase::onServer() && !QFile::exists(m_db))
        return 0;
    Database database;
    if (auto error = database.open(m_db)) {
        qWarning() << error->message;
        return -1;
    }
    QSqlQuery query(database.connection());
    if (!query.exec(QStringLiteral("SELECT count(*) FROM ") + table) || !query.next())
        return -1;
    return query.value(0).toLongLong();
}

QProcess *TestCliDelivery::startServe()
{
    auto *process = new QProcess(this);
    process->setProcessEnvironment(m_environment);
    process->setWorkingDirectory(m_home.path());
    process->start(QStringLiteral(WEBHOOK_ADMIN_BINARY),
                   QStringList{QStringLiteral("--db"), m_db, QStringLiteral("serve")});
    QByteArray seen;
    const bool serving = QTest::qWaitFor(
        [&] {
            seen += process->readAllStandardOutput();
            return seen.contains("serving ") || process->state() == QProcess::NotRunning;
        },
        20000);
    if (!serving || !seen.startsWith(QByteArray("serving " + m_db.toUtf8())))
        qWarning("serve did not start: %s %s", seen.constData(),
                 process->readAllStandardError().constData());
    m_allOutput += seen;
    return process;
}

void TestCliDelivery::stopServe(QProcess *process, Run *result)
{
    process->terminate(); // SIGTERM
    if (!QTest::qWaitFor([process] { return process->state() == QProcess::NotRunning; }, 15000)) {
        process->kill();
        process->waitForFinished();
    }
    result->out = process->readAllStandardOutput();
    result->err = process->readAllStandardError();
    result->exitCode = process->exitStatus() == QProcess::NormalExit ? process->exitCode() : -2;
    m_allOutput += result->out + result->err;
    process->deleteLater();
}

QString TestCliDelivery::closedPortUrl()
{
    QTcpServer server;
    if (!server.listen(QHostAddress::LocalHost))
        return {};
    const quint16 port = server.serverPort();
    server.close();
    return QStringLiteral("http://127.0.0.1:%1/hook").arg(port);
}

void TestCliDelivery::helpListsTheDeliveryCommands()
{
    const Run result = run(args({"--help"}));
    QCOMPARE(result.exitCode, 0);
    for (const char *text : {"emit KEY", "--queue", "test HOOK_ID", "deliveries [--status",
                             "redeliver DELIVERY_ID", "redeliver --failed", "serve"})
        QVERIFY2(result.out.contains(text), text);
    const Run usage = run(args({"emit"}));
    QCOMPARE(usage.exitCode, 1);
    QVERIFY(isOneLineError(usage));
    QCOMPARE(run(args({"deliveries", "--status", "maybe"})).exitCode, 1);
    QCOMPARE(run(args({"deliveries", "--limit", "0"})).exitCode, 1);
    QCOMPARE(run(args({"redeliver"})).exitCode, 1);
    QCOMPARE(run(args({"redeliver", "1", "--failed"})).exitCode, 1);
    QCOMPARE(run(args({"serve", "extra"})).exitCode, 1);
}

void TestCliDelivery::emitDeliversWithHeadersAndSignature()
{
    QCOMPARE(run(args({"projects", "add", "Street scenes"})).out, QByteArray("1\n"));
    const qint64 hook = addSecretHook(QStringLiteral("/ok"), args({"--project", "1"}));
    QVERIFY(hook > 0);

    const qint64 before = QDateTime::currentSecsSinceEpoch();
    const Run result = run(args({"emit", "ANNOTATION_CREATED", "--project", "1"}));
    QVERIFY2(result.exitCode == 0, qPrintable(describe(result)));
    QVERIFY(result.err.isEmpty());
    QVERIFY2(result.out.contains("succeeded"), result.out.constData());
    QVERIFY(result.out.contains("HTTP 200"));
    QVERIFY(result.out.contains("Event 1 stored; deliveries: 1."));
    QVERIFY(result.out.contains("robot:••••••@127.0.0.1"));

    QCOMPARE(m_receiver->requests().size(), 1);
    const TestReceiver::Request &request = m_receiver->requests().first();
    QCOMPARE(request.path, QByteArray("/ok"));
    const QJsonObject body = bodyOf(request);
    QCOMPARE(body.value(QLatin1String("action")).toString(), QStringLiteral("ANNOTATION_CREATED"));
    QCOMPARE(body.value(QLatin1String("project")).toObject().value(QLatin1String("id")).toInt(), 1);
    QCOMPARE(
        body.value(QLatin1String("project")).toObject().value(QLatin1String("title")).toString(),
        QStringLiteral("Street scenes"));
    QVERIFY(body.value(QLatin1String("annotation")).isObject());
    QVERIFY(body.value(QLatin1String("task")).isObject());
    QCOMPARE(request.headers.value("x-api-key"), QByteArray(HeaderSecret));
    QCOMPARE(request.headers.value("x-team"), QByteArray("vision"));
    QCOMPARE(request.headers.value("authorization"),
             "Basic " + QByteArray(QByteArray("robot:") + UrlPassword).toBase64());
    const QByteArray id = request.headers.value("webhook-id");
    QVERIFY(id.startsWith("msg_"));
    const qint64 timestamp = request.headers.value("webhook-timestamp").toLongLong();
    QVERIFY(qAbs(timestamp - before) <= 5);
    QCOMPARE(QString::fromLatin1(request.headers.value("webhook-signature")),
             Signature::standard(QLatin1String(SigningSecret), QString::fromLatin1(id), timestamp,
                                 request.body));

    // The log has the same message id and shows no secret.
    const QJsonArray log = deliveriesJson();
    QCOMPARE(log.size(), 1);
    const QJsonObject attempt = log.first().toObject();
    QCOMPARE(attempt.value(QLatin1String("message_id")).toString(), QString::fromLatin1(id));
    QCOMPARE(attempt.value(QLatin1String("outcome")).toString(), QStringLiteral("succeeded"));
    QCOMPARE(attempt.value(QLatin1String("status_code")).toInt(), 200);
    QCOMPARE(attempt.value(QLatin1String("trigger")).toString(), QStringLiteral("scheduled"));
    QCOMPARE(attempt.value(QLatin1String("webhook")).toInteger(), hook);
    const QJsonObject headers = attempt.value(QLatin1String("request_headers")).toObject();
    QCOMPARE(headers.value(QLatin1String("webhook-id")).toString(), QString::fromLatin1(id));
    QCOMPARE(headers.value(QLatin1String("X-Api-Key")).toString(), maskedSecret());
    QCOMPARE(headers.value(QLatin1String("Authorization")).toString(), maskedSecret());
    QCOMPARE(headers.value(QLatin1String("X-Team")).toString(), QStringLiteral("vision"));
}

void TestCliDelivery::emitWithDataFile()
{
    QCOMPARE(run(args({"projects", "add", "Cats"})).exitCode, 0);
    QVERIFY(addHook(QStringList{QStringLiteral("--url"), m_receiver->url(QStringLiteral("/ok")),
                                QStringLiteral("--project"), QStringLiteral("1")}) > 0);
    const QString data = writeFile(
        QStringLiteral("tasks.json"),
        R"({"tasks": [{"id": 7, "data": {"image": "a.jpg"}}, {"id": 8, "data": {}}, {"id": 9}],
            "project": {"label_config": "<View/>"}})");
    const Run result = run(QStringList{QStringLiteral("emit"), QStringLiteral("TASKS_CREATED"),
                                       QStringLiteral("--project"), QStringLiteral("1"),
                                       QStringLiteral("--data"), data});
    QVERIFY2(result.exitCode == 0, qPrintable(describe(result)));
    QCOMPARE(m_receiver->requests().size(), 1);
    const QJsonObject body = bodyOf(m_receiver->requests().first());
    QCOMPARE(body.value(QLatin1String("action")).toString(), QStringLiteral("TASKS_CREATED"));
    const QJsonArray tasks = body.value(QLatin1String("tasks")).toArray();
    QCOMPARE(tasks.size(), 3);
    QCOMPARE(tasks.at(0).toObject().value(QLatin1String("id")).toInt(), 7);
    QCOMPARE(tasks.at(0)
                 .toObject()
                 .value(QLatin1String("data"))
                 .toObject()
                 .value(QLatin1String("image"))
                 .toString(),
             QStringLiteral("a.jpg"));
    // "project" is the stored project plus what the data adds.
    const QJsonObject project = body.value(QLatin1String("project")).toObject();
    QCOMPARE(project.value(QLatin1String("id")).toInt(), 1);
    QCOMPARE(project.value(QLatin1String("title")).toString(), QStringLiteral("Cats"));
    QCOMPARE(project.value(QLatin1String("label_config")).toString(), QStringLiteral("<View/>"));
}

void TestCliDelivery::emitWithDataFromStandardInput()
{
    QVERIFY(addHook(QStringList{QStringLiteral("--url"), m_receiver->url(QStringLiteral("/ok"))}) >
            0);
    const Run result = run(args({"emit", "ANNOTATIONS_DELETED", "--data", "-"}),
                           R"({"annotations": [{"id": 1}, {"id": 2}]})");
    QVERIFY2(result.exitCode == 0, qPrintable(describe(result)));
    QCOMPARE(m_receiver->requests().size(), 1);
    const QJsonObject body = bodyOf(m_receiver->requests().first());
    QCOMPARE(body.value(QLatin1String("annotations")).toArray().size(), 2);
    QVERIFY(!body.contains(QLatin1String("project"))); // no --project, none in the data
}

void TestCliDelivery::emitWithoutMatchingHook()
{
    // Subscribed to another event only.
    QVERIFY(addHook(QStringList{QStringLiteral("--url"), m_receiver->url(QStringLiteral("/ok")),
                                QStringLiteral("--event"), QStringLiteral("TASKS_DELETED")}) > 0);
    const Run result = run(args({"emit", "TASKS_CREATED"}));
    QVERIFY2(result.exitCode == 0, qPrintable(describe(result)));
    QVERIFY(result.out.contains("nothing to send"));
    QCOMPARE(countRows(QStringLiteral("deliveries")), 0);
    QCOMPARE(countRows(QStringLiteral("events")), 1);
    QTest::qWait(100);
    QCOMPARE(m_receiver->requests().size(), 0);
}

void TestCliDelivery::invalidEmitStoresNothing_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QByteArray>("data");
    QTest::addColumn<QString>("message");

    QTest::newRow("bad JSON") << args({"emit", "TASKS_CREATED", "--data", "@file"})
                              << QByteArray(R"({"tasks": [)") << QStringLiteral("not valid JSON");
    QTest::newRow("not an object")
        << args({"emit", "TASKS_CREATED", "--data", "@file"}) << QByteArray(R"([{"id": 1}])")
        << QStringLiteral("must hold a JSON object");
    QTest::newRow("payload without key")
        << args({"emit", "TASKS_CREATED", "--data", "@file"})
        << QByteArray(R"({"annotation": {"id": 1}})") << QStringLiteral("needs the key \"tasks\"");
    QTest::newRow("list expected")
        << args({"emit", "TASKS_CREATED", "--data", "@file"})
        << QByteArray(R"({"tasks": {"id": 1}})") << QStringLiteral("must be a list");
    QTest::newRow("action in data")
        << args({"emit", "TASKS_CREATED", "--data", "@file"})
        << QByteArray(R"({"tasks": [], "action": "X"})") << QStringLiteral("action");
    QTest::newRow("unknown event") << args({"emit", "TASKS_EXPLODED"}) << QByteArray()
                                   << QStringLiteral("Unknown event type TASKS_EXPLODED");
    QTest::newRow("ping is for tests only")
        << args({"emit", "PING"}) << QByteArray() << QStringLiteral("Unknown event type PING");
    QTest::newRow("unknown project") << args({"emit", "TASKS_CREATED", "--project", "42"})
                                     << QByteArray() << QStringLiteral("Project 42 does not exist");
    QTest::newRow("malformed project") << args({"emit", "TASKS_CREATED", "--project", "x1"})
                                       << QByteArray() << QStringLiteral("not a project id");
    QTest::newRow("missing data file")
        << args({"emit", "TASKS_CREATED", "--data", "/nonexistent/tasks.json"}) << QByteArray()
        << QStringLiteral("does not exist");
}

void TestCliDelivery::invalidEmitStoresNothing()
{
    QFETCH(QStringList, arguments);
    QFETCH(QByteArray, data);
    QFETCH(QString, message);

    QVERIFY(addHook(QStringList{QStringLiteral("--url"), m_receiver->url(QStringLiteral("/ok"))}) >
            0);
    const qsizetype at = arguments.indexOf(QStringLiteral("@file"));
    if (at >= 0)
        arguments[at] = writeFile(QStringLiteral("data-%1.json").arg(m_counter), data);
    const Run result = run(arguments);
    QVERIFY2(result.exitCode == 2, qPrintable(describe(result)));
    QVERIFY2(isOneLineError(result), qPrintable(describe(result)));
    QVERIFY2(QString::fromUtf8(result.err).contains(message), result.err.constData());
    QCOMPARE(countRows(QStringLiteral("events")), 0);
    QCOMPARE(countRows(QStringLiteral("deliveries")), 0);
    QCOMPARE(m_receiver->requests().size(), 0);
}

void TestCliDelivery::hugeDataFileIsRefusedUnread()
{
    QVERIFY(addHook(QStringList{QStringLiteral("--url"), m_receiver->url(QStringLiteral("/ok"))}) >
            0);
    // Sparse: 50 MB and one byte that cost nothing on disk.
    const QString path = m_home.filePath(QStringLiteral("huge.json"));
    QFile file(path);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    QVERIFY(file.resize(50 * 1024 * 1024 + 1));
    file.close();
    const Run result = run(QStringList{QStringLiteral("emit"), QStringLiteral("TASKS_CREATED"),
                                       QStringLiteral("--data"), path});
    QVERIFY2(result.exitCode == 2, qPrintable(describe(result)));
    QVERIFY(isOneLineError(result));
    QVERIFY(result.err.contains("larger than 50 MB"));
    QCOMPARE(countRows(QStringLiteral("events")), 0);
    QVERIFY(QFile::remove(path));
}

void TestCliDelivery::emitToClosedPortFailsAndSchedulesRetry()
{
    const QString url = closedPortUrl();
    QVERIFY(!url.isEmpty());
    QVERIFY(addHook(QStringList{QStringLiteral("--url"), url, QStringLiteral("--max-attempts"),
                                QStringLiteral("3")}) > 0);
    const Run result = run(args({"emit", "PROJECT_CREATED"}));
    QVERIFY2(result.exitCode == 3, qPrintable(describe(result)));
    QVERIFY(result.err.isEmpty());
    QVERIFY(result.out.contains("failed"));
    QVERIFY(result.out.contains("connection refused"));
    QVERIFY(result.out.contains("will retry"));

    // Newest first: the retry waiting for serve, then the failed attempt.
    const QJsonArray log = deliveriesJson();
    QCOMPARE(log.size(), 2);
    const QJsonObject pending = log.at(0).toObject();
    const QJsonObject failed = log.at(1).toObject();
    QCOMPARE(failed.value(QLatin1String("outcome")).toString(), QStringLiteral("failed"));
    QCOMPARE(failed.value(QLatin1String("error_kind")).toString(), QStringLiteral("refused"));
    QVERIFY(failed.value(QLatin1String("status_code")).isNull());
    QVERIFY(failed.value(QLatin1String("trace"))
                .toString()
                .contains(QLatin1String("connection refused")));
    QCOMPARE(failed.value(QLatin1String("attempt")).toInt(), 1);
    QCOMPARE(failed.value(QLatin1String("max_attempts")).toInt(), 3);
    QCOMPARE(pending.value(QLatin1String("outcome")).toString(), QStringLiteral("pending"));
    QCOMPARE(pending.value(QLatin1String("attempt")).toInt(), 2);
    QCOMPARE(pending.value(QLatin1String("trigger")).toString(), QStringLiteral("scheduled"));
    QCOMPARE(pending.value(QLatin1String("delivery")), failed.value(QLatin1String("delivery")));
    QCOMPARE(pending.value(QLatin1String("message_id")), failed.value(QLatin1String("message_id")));
    QVERIFY(pending.value(QLatin1String("duration_ms")).isNull());
    QVERIFY(pending.value(QLatin1String("error")).isNull());
}

void TestCliDelivery::queueStoresOnlyThenServeSends()
{
    QVERIFY(addHook(QStringList{QStringLiteral("--url"), m_receiver->url(QStringLiteral("/ok"))}) >
            0);
    const Run queued = run(args({"emit", "TASKS_CREATED", "--queue"}));
    QVERIFY2(queued.exitCode == 0, qPrintable(describe(queued)));
    QVERIFY(queued.out.contains("queued"));
    QTest::qWait(300);
    QCOMPARE(m_receiver->requests().size(), 0);
    const QJsonArray log = deliveriesJson(args({"--status", "pending"}));
    QCOMPARE(log.size(), 1);

    QProcess *serve = startServe();
    QTRY_COMPARE_WITH_TIMEOUT(m_receiver->requests().size(), 1, 20000);
    QCOMPARE(bodyOf(m_receiver->requests().first()).value(QLatin1String("action")).toString(),
             QStringLiteral("TASKS_CREATED"));
    QCOMPARE(m_receiver->requests().first().headers.value("webhook-id"),
             log.first().toObject().value(QLatin1String("message_id")).toString().toLatin1());
    // serve logs the attempt; give it a moment to record before stopping.
    QTRY_VERIFY_WITH_TIMEOUT(serve->peek(4096).contains("succeeded"), 10000);
    Run stopped;
    stopServe(serve, &stopped);
    QVERIFY2(stopped.exitCode == 0, qPrintable(describe(stopped)));
    QVERIFY(stopped.out.contains("hook 1 TASKS_CREATED"));
    QVERIFY(stopped.out.contains("stopped"));
    QCOMPARE(deliveriesJson(args({"--status", "ok"})).size(), 1);
    QCOMPARE(deliveriesJson(args({"--status", "pending"})).size(), 0);
}

// emit sends what the hook's rate limit allows now and leaves the rest
// pending for serve or the window: it neither waits them out nor sends
// them faster than the limit.
void TestCliDelivery::emitKeepsTheRateLimit()
{
    QVERIFY(addHook(QStringList{QStringLiteral("--url"), m_receiver->url(QStringLiteral("/ok")),
                                QStringLiteral("--rate-limit"), QStringLiteral("1/min")}) > 0);
    const QString data = writeFile(QStringLiteral("four.json"),
                                   R"({"tasks": [{"id": 1}, {"id": 2}, {"id": 3}, {"id": 4}]})");
    m_environment.insert(QStringLiteral("WEBHOOK_BATCH_SIZE"), QStringLiteral("1"));
    QElapsedTimer clock;
    clock.start();
    const Run result = run(QStringList{QStringLiteral("emit"), QStringLiteral("TASKS_CREATED"),
                                       QStringLiteral("--data"), data});
    m_environment.remove(QStringLiteral("WEBHOOK_BATCH_SIZE"));
    QVERIFY2(result.exitCode == 0, qPrintable(describe(result)));
    QVERIFY2(clock.elapsed() < 20000, "emit waited for the rate limit");
    QTest::qWait(300);
    QCOMPARE(m_receiver->requests().size(), 1);
    QCOMPARE(result.out.count("succeeded"), 1);
    QCOMPARE(result.out.count("waiting (rate limit)"), 3);
    QVERIFY2(
        result.out.contains("Webhook 1 is over its rate limit (1/min). Deliveries waiting their "
                            "turn for \"serve\" or the window: 3."),
        result.out.constData());
    QCOMPARE(deliveriesJson(args({"--status", "pending"})).size(), 3);
}

// The circuit breaker stops a one-shot emit too: once the hook pauses, the
// deliveries it already took wait for the probe, and a later emit sends
// nothing to it. Both say why.
void TestCliDelivery::emitLeavesAPausedHooksDeliveriesWaiting()
{
    QVERIFY(run(args({"settings", "set", "failure_threshold", "2"})).exitCode == 0);
    QVERIFY(
        addHook(QStringList{QStringLiteral("--url"), m_receiver->url(QStringLiteral("/status/503")),
                            QStringLiteral("--max-in-flight"), QStringLiteral("1"),
                            QStringLiteral("--retry-schedule"), QStringLiteral("0,600")}) > 0);
    const QString data =
        writeFile(QStringLiteral("five.json"),
                  R"({"tasks": [{"id": 1}, {"id": 2}, {"id": 3}, {"id": 4}, {"id": 5}]})");
    m_environment.insert(QStringLiteral("WEBHOOK_BATCH_SIZE"), QStringLiteral("1"));
    const Run result = run(QStringList{QStringLiteral("emit"), QStringLiteral("TASKS_CREATED"),
                                       QStringLiteral("--data"), data});
    m_environment.remove(QStringLiteral("WEBHOOK_BATCH_SIZE"));
    QCOMPARE(result.exitCode, 3); // two failed
    QTest::qWait(300);
    // The second failed delivery paused the hook; the three behind it stayed.
    QCOMPARE(m_receiver->requests().size(), 2);
    QCOMPARE(result.out.count("not sent yet"), 3);
    QVERIFY2(result.out.contains("Webhook 1 is paused (2 deliveries in a row failed; the last: "),
             result.out.constData());
    QVERIFY2(result.out.contains(", then in order: 3."), result.out.constData());
    QVERIFY(result.out.contains("\"hooks resume 1\" sends them now."));

    // Emitted while paused: stored and left waiting, nothing sent.
    const Run later = run(QStringList{QStringLiteral("emit"), QStringLiteral("TASKS_CREATED")});
    QVERIFY2(later.exitCode == 0, qPrintable(describe(later)));
    QTest::qWait(300);
    QCOMPARE(m_receiver->requests().size(), 2);
    QVERIFY2(later.out.contains(", then in order: 1."), later.out.constData());
    // Three first attempts, the new one, and the two failed ones' retries (600 s away).
    QCOMPARE(deliveriesJson(args({"--status", "pending"})).size(), 6);
    QVERIFY(run(args({"hooks", "show", "1"})).out.contains("paused (next probe in"));
}

void TestCliDelivery::testSendsOneToOneHook()
{
    const qint64 first =
        addHook(QStringList{QStringLiteral("--url"), m_receiver->url(QStringLiteral("/ok")),
                            QStringLiteral("--event"), QStringLiteral("ANNOTATION_UPDATED"),
                            QStringLiteral("--event"), QStringLiteral("TASKS_CREATED")});
    const qint64 second =
        addHook(QStringList{QStringLiteral("--url"), m_receiver->url(QStringLiteral("/ok"))});
    QVERIFY(first > 0 && second > 0);

    // Default: the hook's first event, in catalog order.
    Run result = run(args({"test"}) << QString::number(first));
    QVERIFY2(result.exitCode == 0, qPrintable(describe(result)));
    QVERIFY(result.out.contains("succeeded"));
    QVERIFY(!result.out.contains("Trace:"));
    QCOMPARE(m_receiver->requests().size(), 1); // one hook only, though both match
    QCOMPARE(bodyOf(m_receiver->requests().last()).value(QLatin1String("action")).toString(),
             QStringLiteral("TASKS_CREATED"));

    // A hook for all events: PING.
    result = run(args({"test"}) << QString::number(second));
    QCOMPARE(result.exitCode, 0);
    QCOMPARE(bodyOf(m_receiver->requests().last()).value(QLatin1String("action")).toString(),
             QStringLiteral("PING"));

    const QString data = writeFile(QStringLiteral("annotation.json"),
                                   R"({"annotation": {"id": 99}, "task": {"id": 5}})");
    result =
        run(QStringList{QStringLiteral("test"), QString::number(second), QStringLiteral("--event"),
                        QStringLiteral("ANNOTATION_CREATED"), QStringLiteral("--data"), data});
    QVERIFY2(result.exitCode == 0, qPrintable(describe(result)));
    const QJsonObject body = bodyOf(m_receiver->requests().last());
    QCOMPARE(body.value(QLatin1String("annotation")).toObject().value(QLatin1String("id")).toInt(),
             99);
    QCOMPARE(m_receiver->requests().size(), 3);

    const QJsonArray log = deliveriesJson();
    QCOMPARE(log.size(), 3);
    for (const QJsonValue &attempt : log) {
        QCOMPARE(attempt.toObject().value(QLatin1String("trigger")).toString(),
                 QStringLiteral("test"));
        QCOMPARE(attempt.toObject().value(QLatin1String("max_attempts")).toInt(), 1);
    }

    result = run(args({"test", "999"}));
    QCOMPARE(result.exitCode, 2);
    QVERIFY(isOneLineError(result));
    result = run(args({"test"}) << QString::number(first) << QStringLiteral("--event")
                                << QStringLiteral("NO_SUCH_EVENT"));
    QCOMPARE(result.exitCode, 2);
    QVERIFY(isOneLineError(result));
    QCOMPARE(m_receiver->requests().size(), 3);
}

void TestCliDelivery::testFailureShowsTrace()
{
    const qint64 hook = addSecretHook(QStringLiteral("/status/500"));
    QVERIFY(hook > 0);
    const Run result = run(args({"test"}) << QString::number(hook));
    QVERIFY2(result.exitCode == 3, qPrintable(describe(result)));
    QVERIFY(result.out.contains("failed"));
    QVERIFY(result.out.contains("HTTP 500"));
    QVERIFY(result.out.contains("Trace:"));
    QVERIFY(result.out.contains("Attempt 1 of 1"));
    QCOMPARE(m_receiver->requests().size(), 1);
    // A test is never retried.
    QCOMPARE(deliveriesJson(args({"--status", "pending"})).size(), 0);
}

void TestCliDelivery::deliveriesFiltersAndJson()
{
    const qint64 ok =
        addHook(QStringList{QStringLiteral("--url"), m_receiver->url(QStringLiteral("/ok"))});
    const qint64 bad = addSecretHook(QStringLiteral("/status/500"),
                                     args({"--max-attempts", "1", "--event", "TASKS_CREATED"}));
    QVERIFY(ok > 0 && bad > 0);
    QCOMPARE(run(args({"emit", "TASKS_CREATED"})).exitCode, 3);            // ok + bad
    QCOMPARE(run(args({"emit", "PROJECT_UPDATED"})).exitCode, 0);          // ok only
    QCOMPARE(run(args({"emit", "TASKS_DELETED", "--queue"})).exitCode, 0); // ok, pending

    const QJsonArray all = deliveriesJson();
    QCOMPARE(all.size(), 4);
    qint64 previous = std::numeric_limits<qint64>::max();
    const QStringList fields{QStringLiteral("id"),
                             QStringLiteral("delivery"),
                             QStringLiteral("webhook"),
                             QStringLiteral("action"),
                             QStringLiteral("message_id"),
                             QStringLiteral("attempt"),
                             QStringLiteral("max_attempts"),
                             QStringLiteral("trigger"),
                             QStringLiteral("outcome"),
                             QStringLiteral("status_code"),
                             QStringLiteral("error"),
                             QStringLiteral("error_kind"),
                             QStringLiteral("duration_ms"),
                             QStringLiteral("created_at"),
                             QStringLiteral("url"),
                             QStringLiteral("trace"),
                             QStringLiteral("request_headers"),
                             QStringLiteral("response_status")};
    for (const QJsonValue &value : all) {
        const QJsonObject attempt = value.toObject();
        for (const QString &field : fields)
            QVERIFY2(attempt.contains(field), qPrintable(field));
        const qint64 id = attempt.value(QLatin1String("id")).toInteger();
        QVERIFY(id < previous); // newest first
        previous = id;
        const QDateTime created = QDateTime::fromString(
            attempt.value(QLatin1String("created_at")).toString(), Qt::ISODateWithMs);
        QVERIFY(created.isValid());
        QCOMPARE(created.timeSpec(), Qt::UTC);
        QVERIFY(qAbs(created.secsTo(QDateTime::currentDateTimeUtc())) < 120);
        QVERIFY(attempt.value(QLatin1String("message_id"))
                    .toString()
                    .startsWith(QLatin1String("msg_")));
        QVERIFY(attempt.value(QLatin1String("request_headers")).isObject());
    }
    QCOMPARE(all.first().toObject().value(QLatin1String("action")).toString(),
             QStringLiteral("TASKS_DELETED"));
    QCOMPARE(all.first().toObject().value(QLatin1String("outcome")).toString(),
             QStringLiteral("pending"));

    const QJsonArray failed = deliveriesJson(args({"--status", "failed"}));
    QCOMPARE(failed.size(), 1);
    QCOMPARE(failed.first().toObject().value(QLatin1String("webhook")).toInteger(), bad);
    QCOMPARE(failed.first().toObject().value(QLatin1String("status_code")).toInt(), 500);
    QCOMPARE(failed.first().toObject().value(QLatin1String("error_kind")).toString(),
             QStringLiteral("http"));
    QCOMPARE(deliveriesJson(args({"--status", "ok"})).size(), 2);
    QCOMPARE(deliveriesJson(args({"--status", "pending"})).size(), 1);
    QCOMPARE(deliveriesJson(args({"--hook"}) << QString::number(ok)).size(), 3);
    QCOMPARE(deliveriesJson(args({"--hook"}) << QString::number(bad)).size(), 1);
    QCOMPARE(deliveriesJson(args({"--event", "TASKS_CREATED"})).size(), 2);
    const QJsonArray limited = deliveriesJson(args({"--limit", "1"}));
    QCOMPARE(limited.size(), 1);
    QCOMPARE(limited.first().toObject().value(QLatin1String("id")),
             all.first().toObject().value(QLatin1String("id")));
    QCOMPARE(deliveriesJson(args({"--hook", "77"})).size(), 0);

    // Human: a header and one aligned row per attempt.
    const Run table = run(args({"deliveries"}));
    QCOMPARE(table.exitCode, 0);
    const QList<QByteArray> lines = table.out.trimmed().split('\n');
    QCOMPARE(lines.size(), 5);
    QVERIFY(lines.first().startsWith("ID"));
    const qsizetype eventColumn = lines.first().indexOf("EVENT");
    QVERIFY(eventColumn > 0);
    QVERIFY(lines.at(1).mid(eventColumn).startsWith("TASKS_DELETED"));
    QVERIFY(table.out.contains("failed 500"));
    QVERIFY(table.out.contains("succeeded 200"));
    QVERIFY(table.out.contains("1/1"));
    const Run none = run(args({"deliveries", "--hook", "77"}));
    QCOMPARE(none.exitCode, 0);
    QVERIFY(none.out.contains("No delivery attempts"));
}

void TestCliDelivery::redeliverKeepsWebhookId()
{
    // /fail/1: 500 for the first request of each webhook-id, then 200.
    const qint64 hook = addSecretHook(QStringLiteral("/fail/1"), args({"--max-attempts", "1"}));
    QVERIFY(hook > 0);
    QCOMPARE(run(args({"emit", "ANNOTATION_CREATED"})).exitCode, 3);
    const QJsonArray before = deliveriesJson();
    QCOMPARE(before.size(), 1);
    const QString delivery =
        QString::number(before.first().toObject().value(QLatin1String("delivery")).toInteger());

    const Run result = run(args({"redeliver"}) << delivery);
    QVERIFY2(result.exitCode == 0, qPrintable(describe(result)));
    QVERIFY(result.out.contains("succeeded"));
    QCOMPARE(m_receiver->requests().size(), 2);
    QCOMPARE(m_receiver->requests().at(1).headers.value("webhook-id"),
             m_receiver->requests().at(0).headers.value("webhook-id"));
    QCOMPARE(m_receiver->requests().at(1).body, m_receiver->requests().at(0).body);

    const QJsonArray after = deliveriesJson();
    QCOMPARE(after.size(), 2);
    const QJsonObject manual = after.first().toObject();
    QCOMPARE(manual.value(QLatin1String("trigger")).toString(), QStringLiteral("manual"));
    QCOMPARE(manual.value(QLatin1String("outcome")).toString(), QStringLiteral("succeeded"));
    QCOMPARE(manual.value(QLatin1String("attempt")).toInt(), 2);
    QCOMPARE(manual.value(QLatin1String("message_id")),
             before.first().toObject().value(QLatin1String("message_id")));

    Run unknown = run(args({"redeliver", "4242"}));
    QCOMPARE(unknown.exitCode, 2);
    QVERIFY(isOneLineError(unknown));
    unknown = run(args({"redeliver", "abc"}));
    QCOMPARE(unknown.exitCode, 2);
    QVERIFY(isOneLineError(unknown));
}

void TestCliDelivery::redeliverFailed()
{
    const qint64 flaky =
        addHook(QStringList{QStringLiteral("--url"), m_receiver->url(QStringLiteral("/fail/1")),
                            QStringLiteral("--max-attempts"), QStringLiteral("1")});
    const qint64 fine =
        addHook(QStringList{QStringLiteral("--url"), m_receiver->url(QStringLiteral("/ok"))});
    QVERIFY(flaky > 0 && fine > 0);
    QCOMPARE(run(args({"emit", "TASKS_CREATED"})).exitCode, 3);
    QCOMPARE(run(args({"emit", "TASKS_DELETED"})).exitCode, 3);
    QCOMPARE(deliveriesJson(args({"--status", "failed"})).size(), 2);
    QCOMPARE(m_receiver->requests().size(), 4);

    const Run result = run(args({"redeliver", "--failed"}));
    QVERIFY2(result.exitCode == 0, qPrintable(describe(result)));
    QVERIFY(result.out.contains("Failed deliveries sent again: 2."));
    QCOMPARE(m_receiver->requests().size(), 6);
    QCOMPARE(m_receiver->count("/fail/1"), 4);
    const QJsonArray manual = deliveriesJson(args({"--limit", "2"}));
    for (const QJsonValue &attempt : manual) {
        QCOMPARE(attempt.toObject().value(QLatin1String("trigger")).toString(),
                 QStringLiteral("manual"));
        QCOMPARE(attempt.toObject().value(QLatin1String("outcome")).toString(),
                 QStringLiteral("succeeded"));
    }

    const Run again = run(args({"redeliver", "--failed"}));
    QCOMPARE(again.exitCode, 0);
    QVERIFY(again.out.contains("No failed deliveries"));
    QCOMPARE(m_receiver->requests().size(), 6);
}

void TestCliDelivery::serveRetriesOnSchedule()
{
    // 500 twice for each webhook-id, then 200; the schedule is 0, 1, 1 seconds.
    const qint64 hook = addSecretHook(QStringLiteral("/fail/2"), args({"--max-attempts", "3"}));
    QVERIFY(hook > 0);
    QCOMPARE(run(args({"emit", "LABEL_LINK_UPDATED"})).exitCode, 3);
    QCOMPARE(m_receiver->requests().size(), 1);

    QElapsedTimer clock;
    clock.start();
    QList<qint64> arrivals;
    connect(m_receiver.get(), &TestReceiver::requestReceived, this,
            [&arrivals, &clock] { arrivals.append(clock.elapsed()); });
    QProcess *serve = startServe();
    QTRY_COMPARE_WITH_TIMEOUT(m_receiver->requests().size(), 3, 20000);
    // The third attempt waits its second (less 10 % jitter) after the second.
    QCOMPARE(arrivals.size(), 2);
    QVERIFY2(arrivals.at(1) - arrivals.at(0) >= 850,
             qPrintable(QString::number(arrivals.at(1) - arrivals.at(0))));
    const QByteArray id = m_receiver->requests().first().headers.value("webhook-id");
    for (const TestReceiver::Request &request : m_receiver->requests())
        QCOMPARE(request.headers.value("webhook-id"), id);
    QTRY_VERIFY_WITH_TIMEOUT(serve->peek(8192).contains("attempt 3/3 succeeded"), 10000);
    Run stopped;
    stopServe(serve, &stopped);
    QVERIFY2(stopped.exitCode == 0, qPrintable(describe(stopped)));
    QVERIFY(stopped.out.contains("attempt 2/3 failed: HTTP 500"));

    const QJsonArray log = deliveriesJson();
    QCOMPARE(log.size(), 3);
    QCOMPARE(log.at(0).toObject().value(QLatin1String("outcome")).toString(),
             QStringLiteral("succeeded"));
    QCOMPARE(log.at(0).toObject().value(QLatin1String("attempt")).toInt(), 3);
    QCOMPARE(log.at(1).toObject().value(QLatin1String("outcome")).toString(),
             QStringLiteral("failed"));
    QCOMPARE(m_receiver->requests().size(), 3); // nothing more after success
}

void TestCliDelivery::serveFinishesInFlightOnSigterm()
{
    QVERIFY(addHook(QStringList{QStringLiteral("--url"),
                                m_receiver->url(QStringLiteral("/slow/1500"))}) > 0);
    QCOMPARE(run(args({"emit", "PROJECT_CREATED", "--queue"})).exitCode, 0);
    QProcess *serve = startServe();
    QTRY_COMPARE_WITH_TIMEOUT(m_receiver->requests().size(), 1, 20000);
    // SIGTERM while the receiver is still thinking: serve waits for the
    // answer, records it, and exits 0.
    QElapsedTimer clock;
    clock.start();
    Run stopped;
    stopServe(serve, &stopped);
    QVERIFY2(stopped.exitCode == 0, qPrintable(describe(stopped)));
    QVERIFY(clock.elapsed() < 10000);
    QVERIFY(stopped.out.contains("stopping"));
    QVERIFY(stopped.out.contains("succeeded"));
    const QJsonArray log = deliveriesJson();
    QCOMPARE(log.size(), 1);
    QCOMPARE(log.first().toObject().value(QLatin1String("outcome")).toString(),
             QStringLiteral("succeeded"));
}

QTEST_GUILESS_MAIN(TestCliDelivery)
#include "tst_cli_delivery.moc"
