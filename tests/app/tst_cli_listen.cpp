#include "cli_process.h"
#include "receiver_process.h"
#include "store/database.h"
#include "test_database.h"

#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QRegularExpression>
#include <QSet>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <csignal>
#include <memory>
#include <sys/stat.h>
#include <tuple>
#include <unistd.h>

using namespace CliTest;

// `serve --listen` and `intake token` through the real binary, with the
// receiver in a process of its own.
class TestCliListen : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void intakeTokenIsCreatedOnceAndRotated();
    void listenTakesHostAndPort();
    void serveListenPrintsOneLineBeforeAccepting();
    void nonLoopbackAddressWarns();
    void sigkillRightAfter202LosesNothing();
    void readOnlyDatabaseAnswers503AndStoresNothing();
    void noDeliverStoresAndAnotherServeSends();

private:
    Run cli(const QStringList &arguments);
    // Starts serve and returns the URL it announced (empty when it did not).
    QString startServe(QProcess *process, const QString &listen, QByteArray *seen,
                       const QStringList &extra = {});
    int post(const QString &url, const QByteArray &body, qint64 *event);
    qint64 scalar(const QString &sql);

    QTemporaryDir m_home;
    QProcessEnvironment m_environment;
    QString m_db;
    QString m_log;
    QProcess m_receiver;
    QNetworkAccessManager m_network;
    QString m_token;
};

void TestCliListen::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_home.isValid());
    m_db = TestDatabase::create(m_home.path(), QStringLiteral("listen.sqlite"));
    m_log = m_home.filePath(QStringLiteral("receiver.log"));
    m_environment = cleanEnvironment(m_home.path());
    const int port = startReceiver(&m_receiver, m_log);
    QVERIFY(port > 0);
    const Run added = cli({QStringLiteral("hooks"), QStringLiteral("add"), QStringLiteral("--url"),
                           QStringLiteral("http://127.0.0.1:%1/slow/200").arg(port)});
    QVERIFY2(added.exitCode == 0, qPrintable(describe(added)));
}

void TestCliListen::cleanupTestCase()
{
    m_receiver.kill();
    m_receiver.waitForFinished();
}

Run TestCliListen::cli(const QStringList &arguments)
{
    return runCli(m_environment, QStringList{QStringLiteral("--db"), m_db} + arguments);
}

qint64 TestCliListen::scalar(const QString &sql)
{
    Database db;
    if (db.open(m_db))
        return -1;
    QSqlQuery query(db.connection());
    if (!query.exec(sql) || !query.next())
        return -1;
    return query.value(0).toLongLong();
}

QString TestCliListen::startServe(QProcess *process, const QString &listen, QByteArray *seen,
                                  const QStringList &extra)
{
    process->setProcessEnvironment(m_environment);
    process->start(adminBinary(), QStringList{QStringLiteral("--db"), m_db, QStringLiteral("serve"),
                                              QStringLiteral("--listen"), listen} +
                                      extra);
    static const QRegularExpression line(QStringLiteral("^listening on (http://\\S+)$"),
                                         QRegularExpression::MultilineOption);
    QString url;
    (void)QTest::qWaitFor(
        [&] {
            *seen += process->readAllStandardOutput();
            const QRegularExpressionMatch m = line.match(QString::fromUtf8(*seen));
            if (m.hasMatch())
                url = m.captured(1);
            return !url.isEmpty() || process->state() == QProcess::NotRunning;
        },
        20000);
    return url;
}

int TestCliListen::post(const QString &url, const QByteArray &body, qint64 *event)
{
    QNetworkRequest request(QUrl(url + QStringLiteral("/intake/label-studio")));
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    request.setRawHeader("Authorization", "Bearer " + m_token.toUtf8());
    QNetworkReply *reply = m_network.post(request, body);
    QSignalSpy finished(reply, &QNetworkReply::finished);
    if (!finished.wait(10000))
        return 0;
    reply->deleteLater();
    if (event)
        *event = QJsonDocument::fromJson(reply->readAll())
                     .object()
                     .value(QLatin1String("event"))
                     .toInteger();
    return reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
}

void TestCliListen::intakeTokenIsCreatedOnceAndRotated()
{
    const Run first = cli({QStringLiteral("intake"), QStringLiteral("token")});
    QVERIFY2(first.exitCode == 0, qPrintable(describe(first)));
    m_token = QString::fromUtf8(first.out.trimmed());
    QVERIFY(m_token.startsWith(QLatin1String("whi_")));
    QVERIFY(m_token.size() >= 40);
    QCOMPARE(first.out.count('\n'), 1);
    const Run again = cli({QStringLiteral("intake"), QStringLiteral("token")});
    QCOMPARE(QString::fromUtf8(again.out.trimmed()), m_token);

    const Run rotated =
        cli({QStringLiteral("intake"), QStringLiteral("token"), QStringLiteral("--rotate")});
    QCOMPARE(rotated.exitCode, 0);
    const QString next = QString::fromUtf8(rotated.out.trimmed());
    QVERIFY(next.startsWith(QLatin1String("whi_")));
    QVERIFY(next != m_token);
    QCOMPARE(
        QString::fromUtf8(cli({QStringLiteral("intake"), QStringLiteral("token")}).out.trimmed()),
        next);
    m_token = next;

    // Shown nowhere else.
    for (const QStringList &command :
         {QStringList{QStringLiteral("settings")},
          QStringList{QStringLiteral("settings"), QStringLiteral("--json")},
          QStringList{QStringLiteral("hooks"), QStringLiteral("export")}}) {
        const Run run = cli(command);
        QVERIFY2(!run.out.contains(m_token.toUtf8()), qPrintable(command.join(QLatin1Char(' '))));
    }
    const Run wrong = cli({QStringLiteral("intake"), QStringLiteral("tokens")});
    QCOMPARE(wrong.exitCode, 1);
    QVERIFY(isOneLineError(wrong));
}

void TestCliListen::listenTakesHostAndPort()
{
    for (const char *bad : {"8484", "nowhere:8484", "127.0.0.1:99999", "127.0.0.1:"}) {
        const Run run =
            cli({QStringLiteral("serve"), QStringLiteral("--listen"), QString::fromLatin1(bad)});
        QVERIFY2(run.exitCode == 1, bad);
        QVERIFY(isOneLineError(run));
    }
}

void TestCliListen::serveListenPrintsOneLineBeforeAccepting()
{
    QProcess serve;
    QByteArray seen;
    const QString url = startServe(&serve, QStringLiteral("127.0.0.1:0"), &seen);
    QVERIFY2(!url.isEmpty(), seen.constData());
    QVERIFY(url.startsWith(QLatin1String("http://127.0.0.1:")));
    QVERIFY(QUrl(url).port() > 0);
    QVERIFY(seen.startsWith("serving "));
    QCOMPARE(seen.count("listening on "), 1);

    QNetworkReply *reply = m_network.get(QNetworkRequest(QUrl(url + QStringLiteral("/healthz"))));
    QSignalSpy finished(reply, &QNetworkReply::finished);
    QVERIFY(finished.wait(10000));
    QCOMPARE(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 200);
    reply->deleteLater();

    ::kill(pid_t(serve.processId()), SIGTERM);
    QVERIFY(serve.waitForFinished(15000));
    QCOMPARE(serve.exitCode(), 0);
    QVERIFY(serve.readAllStandardError().isEmpty());

    // The port is taken: a clear error, exit 4.
    QTcpServer taken;
    QVERIFY(taken.listen(QHostAddress::LocalHost));
    const Run busy = cli({QStringLiteral("serve"), QStringLiteral("--listen"),
                          QStringLiteral("127.0.0.1:%1").arg(taken.serverPort())});
    QCOMPARE(busy.exitCode, 4);
    QVERIFY2(busy.err.contains("Cannot listen on 127.0.0.1"), busy.err.constData());
}

void TestCliListen::nonLoopbackAddressWarns()
{
    QProcess serve;
    QByteArray seen;
    const QString url = startServe(&serve, QStringLiteral("0.0.0.0:0"), &seen);
    QVERIFY2(!url.isEmpty(), seen.constData());
    QTRY_VERIFY_WITH_TIMEOUT(
        serve.bytesAvailable() >= 0 && !(seen += serve.readAllStandardError()).isEmpty(), 5000);
    QVERIFY2(seen.contains("warning: http://0.0.0.0:"), seen.constData());
    QVERIFY(seen.contains("reachable from other machines"));
    ::kill(pid_t(serve.processId()), SIGTERM);
    QVERIFY(serve.waitForFinished(15000));
}

void TestCliListen::sigkillRightAfter202LosesNothing()
{
    constexpr int Events = 40;
    m_token =
        QString::fromUtf8(cli({QStringLiteral("intake"), QStringLiteral("token")}).out.trimmed());
    const qint64 before = CliTest::receiverLog(m_log).size();
    QProcess serve;
    QByteArray seen;
    const QString url = startServe(&serve, QStringLiteral("127.0.0.1:0"), &seen);
    QVERIFY2(!url.isEmpty(), seen.constData());
    QSet<qint64> accepted;
    for (int i = 0; i < Events; ++i) {
        const QByteArray body =
            QJsonDocument(
                QJsonObject{
                    {QStringLiteral("action"), QStringLiteral("TASKS_CREATED")},
                    {QStringLiteral("project"),
                     QJsonObject{{QStringLiteral("id"), 3},
                                 {QStringLiteral("title"), QStringLiteral("LS")}}},
                    {QStringLiteral("tasks"), QJsonArray{QJsonObject{{QStringLiteral("id"), i}}}}})
                .toJson(QJsonDocument::Compact);
        qint64 event = 0;
        QCOMPARE(post(url, body, &event), 202);
        accepted.insert(event);
    }
    serve.kill(); // SIGKILL the instant after the last 202
    QVERIFY(serve.waitForFinished(10000));
    QCOMPARE(accepted.size(), Events);
    // The receiver takes 200 ms a request: most deliveries were still to go.
    const qint64 deliveredBeforeKill = CliTest::receiverLog(m_log).size() - before;
    qInfo("killed serve with %lld of %d deliveries made", deliveredBeforeKill, Events);
    QVERIFY2(deliveredBeforeKill < Events,
             "everything went out before the kill; slow the receiver");
    QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM events WHERE project_id = 3")), Events);

    QProcess again;
    again.setProcessEnvironment(m_environment);
    again.start(adminBinary(), {QStringLiteral("--db"), m_db, QStringLiteral("serve")});
    QTRY_COMPARE_WITH_TIMEOUT(
        scalar(QStringLiteral("SELECT count(DISTINCT d.event_id) FROM deliveries d JOIN attempts "
                              "a ON a.delivery_id = d.id WHERE a.outcome = 'succeeded' AND "
                              "d.event_id IN (SELECT id FROM events WHERE project_id = 3)")),
        qint64(Events), 30000);
    // Each delivery reached the receiver at least once: one webhook-id each.
    QSet<QString> ids;
    const QStringList lines = CliTest::receiverLog(m_log).mid(before);
    for (const QString &line : lines)
        ids.insert(line.section(QLatin1Char(' '), 0, 0));
    QCOMPARE(ids.size(), Events);
    ::kill(pid_t(again.processId()), SIGTERM);
    QVERIFY(again.waitForFinished(15000));
}

void TestCliListen::readOnlyDatabaseAnswers503AndStoresNothing()
{
    // A file of its own, read-only for its owner. As root, file modes stop
    // no write: serve runs as "nobody" then, owning the file.
    constexpr uid_t NobodyId = 65534;
    const bool root = ::geteuid() == 0;
    QTemporaryDir home;
    QVERIFY(home.isValid());
    const QProcessEnvironment environment = cleanEnvironment(home.path());
    const QString path = home.filePath(QStringLiteral("readonly.sqlite"));
    const Run added = runCli(environment, {QStringLiteral("--db"), path, QStringLiteral("hooks"),
                                           QStringLiteral("add"), QStringLiteral("--url"),
                                           QStringLiteral("http://127.0.0.1:9/hook")});
    QVERIFY2(added.exitCode == 0, qPrintable(describe(added)));
    const Run token = runCli(environment, {QStringLiteral("--db"), path, QStringLiteral("intake"),
                                           QStringLiteral("token")});
    QVERIFY2(token.exitCode == 0, qPrintable(describe(token)));
    if (root) {
        QVERIFY(::chown(QFile::encodeName(path).constData(), NobodyId, NobodyId) == 0);
        QVERIFY(::chmod(QFile::encodeName(home.path()).constData(), 0777) == 0);
    }
    QVERIFY(QFile::setPermissions(path, QFileDevice::ReadOwner | QFileDevice::ReadUser));
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray bytes = file.readAll();
    file.close();

    QProcess serve;
    serve.setProcessEnvironment(environment);
    if (root)
        serve.setChildProcessModifier([] {
            if (::setgid(NobodyId) != 0 || ::setuid(NobodyId) != 0)
                ::_exit(99);
        });
    serve.start(adminBinary(), {QStringLiteral("--db"), path, QStringLiteral("serve"),
                                QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0")});
    static const QRegularExpression line(QStringLiteral("^listening on (http://\\S+)$"),
                                         QRegularExpression::MultilineOption);
    QByteArray seen;
    QString url;
    QVERIFY(QTest::qWaitFor(
        [&] {
            seen += serve.readAllStandardOutput();
            url = line.match(QString::fromUtf8(seen)).captured(1);
            return !url.isEmpty() || serve.state() == QProcess::NotRunning;
        },
        20000));
    QVERIFY2(!url.isEmpty(), seen.constData());

    const auto exchange = [&](const QByteArray &method, const QString &where,
                              const QByteArray &body) {
        QNetworkRequest request(QUrl(url + where));
        request.setHeader(QNetworkRequest::ContentTypeHeader,
                          QByteArrayLiteral("application/json"));
        request.setRawHeader("Authorization", "Bearer " + token.out.trimmed());
        std::unique_ptr<QNetworkReply> reply(m_network.sendCustomRequest(request, method, body));
        QSignalSpy finished(reply.get(), &QNetworkReply::finished);
        (void)finished.wait(15000);
        return reply;
    };
    const QByteArray event =
        QJsonDocument(QJsonObject{{QStringLiteral("action"), QStringLiteral("TASKS_CREATED")},
                                  {QStringLiteral("project"),
                                   QJsonObject{{QStringLiteral("id"), 5},
                                               {QStringLiteral("title"), QStringLiteral("LS")}}},
                                  {QStringLiteral("tasks"),
                                   QJsonArray{QJsonObject{{QStringLiteral("id"), 1}}}}})
            .toJson(QJsonDocument::Compact);
    for (const auto &[method, where, body] :
         {std::tuple{QByteArray("POST"), QStringLiteral("/intake/label-studio"), event},
          std::tuple{QByteArray("POST"), QStringLiteral("/intake/events/TASKS_CREATED"),
                     QByteArray(R"({"tasks": [{"id": 2}]})")},
          std::tuple{QByteArray("GET"), QStringLiteral("/healthz"), QByteArray()}}) {
        const std::unique_ptr<QNetworkReply> reply = exchange(method, where, body);
        const QByteArray answer = reply->readAll();
        QVERIFY2(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() == 503,
                 answer.constData());
        QCOMPARE(reply->rawHeader("Retry-After"), QByteArray("5"));
        const QJsonObject json = QJsonDocument::fromJson(answer).object();
        QCOMPARE(json.keys(), QStringList{QStringLiteral("error")});
        QVERIFY2(json.value(QLatin1String("error")).toString().contains(QLatin1String("read-only")),
                 answer.constData());
    }
    ::kill(pid_t(serve.processId()), SIGTERM);
    QVERIFY(serve.waitForFinished(15000));

    // Nothing was written: the file is as it was, and no event waits in a WAL.
    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll(), bytes);
    file.close();
    QCOMPARE(QFileInfo(path + QStringLiteral("-wal")).size(), 0);
    QVERIFY(QFile::setPermissions(path, QFileDevice::ReadOwner | QFileDevice::WriteOwner));
    Database db;
    QVERIFY(!db.open(path));
    QSqlQuery query(db.connection());
    QVERIFY(query.exec(QStringLiteral("SELECT count(*) FROM events")) && query.next());
    QCOMPARE(query.value(0).toInt(), 0);
    if (root)
        QVERIFY(::chmod(QFile::encodeName(home.path()).constData(), 0700) == 0);
}

QTEST_GUILESS_MAIN(TestCliListen)
void TestCliListen::noDeliverStoresAndAnotherServeSends()
{
    // Without --listen there is nothing to run.
    const Run alone = cli({QStringLiteral("serve"), QStringLiteral("--no-deliver")});
    QCOMPARE(alone.exitCode, 1);
    QVERIFY2(alone.err.contains("--no-deliver needs --listen"), alone.err.constData());

    m_token =
        QString::fromUtf8(cli({QStringLiteral("intake"), QStringLiteral("token")}).out.trimmed());
    const qint64 before = CliTest::receiverLog(m_log).size();
    QProcess intake;
    QByteArray seen;
    const QString url =
        startServe(&intake, QStringLiteral("127.0.0.1:0"), &seen, {QStringLiteral("--no-deliver")});
    QVERIFY2(!url.isEmpty(), seen.constData());
    QVERIFY2(seen.contains("listener only"), seen.constData());
    const QByteArray body =
        QJsonDocument(QJsonObject{{QStringLiteral("action"), QStringLiteral("TASKS_CREATED")},
                                  {QStringLiteral("project"),
                                   QJsonObject{{QStringLiteral("id"), 11},
                                               {QStringLiteral("title"), QStringLiteral("Edge")}}},
                                  {QStringLiteral("tasks"), QJsonArray{}}})
            .toJson(QJsonDocument::Compact);
    qint64 event = 0;
    QCOMPARE(post(url, body, &event), 202);
    QVERIFY(event > 0);
    // Stored and waiting: this process sends nothing.
    QTest::qWait(1500);
    QCOMPARE(CliTest::receiverLog(m_log).size(), before);
    QCOMPARE(scalar(QStringLiteral("SELECT count(*) FROM attempts a JOIN deliveries d ON "
                                   "d.id = a.delivery_id WHERE a.outcome = 'pending' AND "
                                   "d.event_id = %1")
                        .arg(event)),
             1);

    // A dispatcher on the same file sends it, while the intake still runs.
    QProcess dispatcher;
    dispatcher.setProcessEnvironment(m_environment);
    dispatcher.start(adminBinary(), {QStringLiteral("--db"), m_db, QStringLiteral("serve")});
    QTRY_COMPARE_WITH_TIMEOUT(CliTest::receiverLog(m_log).size(), before + 1, 15000);
    QTRY_COMPARE_WITH_TIMEOUT(
        scalar(QStringLiteral("SELECT count(*) FROM attempts a JOIN deliveries d ON "
                              "d.id = a.delivery_id WHERE a.outcome = 'succeeded' AND "
                              "d.event_id = %1")
                   .arg(event)),
        qint64(1), 10000);
    for (QProcess *process : {&dispatcher, &intake}) {
        ::kill(pid_t(process->processId()), SIGTERM);
        QVERIFY(process->waitForFinished(15000));
        QCOMPARE(process->exitCode(), 0);
    }
}

#include "tst_cli_listen.moc"
