#include "cli_process.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

// Oversized input through the command line: refused with a clear message
// naming the limit, nothing stored; or, up to the documented limit, taken in
// reasonable time. And `emit --jsonl`, the batch form of emit. (A --data
// file over 50 MB is in tst_cli_delivery.)
using namespace CliTest;

class TestCliLimits : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();

    void headerValueLimit_data();
    void headerValueLimit();
    void urlLimit_data();
    void urlLimit();
    void importOfTheMostHooks();
    void importOfTooManyHooksIsRefused();

    void emitLinesStoresOneEventPerLine();
    void emitLinesFromStandardInputAndSends();
    void emitLinesStopsAtTheFirstBadLine_data();
    void emitLinesStopsAtTheFirstBadLine();
    void emitLinesUsage();

private:
    Run run(const QStringList &arguments, const QByteArray &input = {});
    qint64 count(const QString &table);
    QString writeFile(const QString &name, const QByteArray &contents);

    QTemporaryDir m_home;
    QProcessEnvironment m_environment;
    QString m_db;
    int m_counter = 0;
};

void TestCliLimits::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_home.isValid());
    QVERIFY(QFile::exists(QStringLiteral(WEBHOOK_ADMIN_BINARY)));
    m_environment = CliTest::cleanEnvironment(m_home.path());
}

void TestCliLimits::init()
{
    m_db = m_home.filePath(QStringLiteral("db-%1.sqlite").arg(++m_counter));
}

Run TestCliLimits::run(const QStringList &arguments, const QByteArray &input)
{
    return CliTest::runCli(m_environment, QStringList{QStringLiteral("--db"), m_db} + arguments,
                           input, {.workingDirectory = m_home.path(), .timeoutMs = 120000});
}

qint64 TestCliLimits::count(const QString &table)
{
    qint64 result = -1;
    const QString name = QStringLiteral("count");
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(m_db);
        db.setConnectOptions(QStringLiteral("QSQLITE_OPEN_READONLY"));
        if (QFile::exists(m_db) && db.open()) {
            QSqlQuery query(db);
            if (query.exec(QStringLiteral("SELECT count(*) FROM ") + table) && query.next())
                result = query.value(0).toLongLong();
            db.close();
        }
    }
    QSqlDatabase::removeDatabase(name);
    return result;
}

QString TestCliLimits::writeFile(const QString &name, const QByteArray &contents)
{
    const QString path = m_home.filePath(name);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(contents) < 0)
        qWarning("cannot write %s", qPrintable(path));
    return path;
}

void TestCliLimits::headerValueLimit_data()
{
    QTest::addColumn<int>("length");
    QTest::addColumn<bool>("accepted");
    QTest::newRow("8192, the limit") << 8192 << true;
    QTest::newRow("8193") << 8193 << false;
    QTest::newRow("10000") << 10000 << false;
}

void TestCliLimits::headerValueLimit()
{
    QFETCH(int, length);
    QFETCH(bool, accepted);
    const QString header = QStringLiteral("X-Big: ") + QString(length, QLatin1Char('v'));
    for (const char *option : {"--header", "--secret-header"}) {
        const Run result = run(args({"hooks", "add", "--url", "https://a.example/hook"})
                               << QString::fromLatin1(option) << header);
        if (accepted) {
            QVERIFY2(result.exitCode == 0, qPrintable(describe(result)));
            continue;
        }
        QVERIFY2(result.exitCode == 2, qPrintable(describe(result)));
        QVERIFY2(isOneLineError(result), qPrintable(describe(result)));
        QVERIFY2(result.err.contains("at most 8192"), qPrintable(describe(result)));
        // The message names the limit, it does not echo ten thousand characters.
        QVERIFY2(result.err.size() < 400, qPrintable(describe(result)));
    }
    QCOMPARE(count(QStringLiteral("webhooks")), accepted ? 2 : 0);
}

void TestCliLimits::urlLimit_data()
{
    QTest::addColumn<int>("length");
    QTest::addColumn<bool>("accepted");
    QTest::newRow("2048, the limit") << 2048 << true;
    QTest::newRow("2049") << 2049 << false;
    QTest::newRow("100000") << 100000 << false;
}

void TestCliLimits::urlLimit()
{
    QFETCH(int, length);
    QFETCH(bool, accepted);
    const QString prefix = QStringLiteral("https://a.example/");
    const QString url = prefix + QString(length - prefix.size(), QLatin1Char('p'));
    QCOMPARE(url.size(), length);

    Run result = run(args({"hooks", "add", "--url"}) << url);
    if (accepted) {
        QVERIFY2(result.exitCode == 0, qPrintable(describe(result)));
        QCOMPARE(count(QStringLiteral("webhooks")), 1);
        return;
    }
    QVERIFY2(result.exitCode == 2, qPrintable(describe(result)));
    QVERIFY2(isOneLineError(result), qPrintable(describe(result)));
    QVERIFY2(result.err.contains("at most 2048"), qPrintable(describe(result)));
    QVERIFY2(result.err.size() < 400, qPrintable(describe(result)));
    QVERIFY(count(QStringLiteral("webhooks")) <= 0); // nothing stored

    // The same through an update and an import.
    QCOMPARE(run(args({"hooks", "add", "--url", "https://a.example/hook"})).exitCode, 0);
    result = run(args({"hooks", "update", "1", "--url"}) << url);
    QVERIFY2(result.exitCode == 2 && isOneLineError(result), qPrintable(describe(result)));
    const QByteArray json =
        QJsonDocument(QJsonObject{{QStringLiteral("url"), url}}).toJson(QJsonDocument::Compact);
    result = run(args({"hooks", "import", "-"}), json);
    QVERIFY2(result.exitCode == 2 && isOneLineError(result), qPrintable(describe(result)));
    QVERIFY2(result.err.contains("2048"), qPrintable(describe(result)));
    QCOMPARE(count(QStringLiteral("webhooks")), 1);
}

void TestCliLimits::importOfTheMostHooks()
{
    // 100,000 hooks, the import limit, in one file of Label Studio's shape.
    constexpr int Hooks = 100000;
    QByteArray json = "[";
    for (int i = 0; i < Hooks; ++i) {
        if (i > 0)
            json += ",\n";
        json += R"({"url": "https://hooks.example/)" + QByteArray::number(i) +
                R"(", "send_payload": true, "send_for_all_actions": false, "headers": )"
                R"({"X-Team": "ml"}, "is_active": true, "actions": ["TASKS_CREATED"]})";
    }
    json += "]";
    const QString file = writeFile(QStringLiteral("many.json"), json);

    const Run result = run(args({"hooks", "import"}) << file);
    QVERIFY2(result.exitCode == 0, qPrintable(describe(result)));
    QCOMPARE(count(QStringLiteral("webhooks")), Hooks);
    QCOMPARE(count(QStringLiteral("webhook_headers")), Hooks);
    qInfo("imported %d hooks (%lld KB) in %lld ms", Hooks, qint64(json.size() / 1024),
          result.elapsedMs);
    // A guard against a hang or a quadratic slide, not a speed test (speed is
    // for tests/bench): under AddressSanitizer it takes about a minute here.
    QVERIFY2(result.elapsedMs < 110000, qPrintable(describe(result)));

    // And the list of them still comes out whole.
    const Run listed = run(args({"hooks", "list", "--json"}));
    QCOMPARE(listed.exitCode, 0);
    QCOMPARE(QJsonDocument::fromJson(listed.out).array().size(), Hooks);
    qInfo("listed %d hooks as JSON in %lld ms", Hooks, listed.elapsedMs);
}

void TestCliLimits::importOfTooManyHooksIsRefused()
{
    QByteArray json = "[";
    for (int i = 0; i <= 100000; ++i)
        json += (i > 0 ? ",{" : "{") + QByteArray(R"("url": "https://h.example/")") + "}";
    json += "]";
    const Run result = run(args({"hooks", "import", "-"}), json);
    QVERIFY2(result.exitCode == 2, qPrintable(describe(result)));
    QVERIFY2(isOneLineError(result), qPrintable(describe(result)));
    QVERIFY2(result.err.contains("100001") && result.err.contains("at most 100000"),
             qPrintable(describe(result)));
    QVERIFY(count(QStringLiteral("webhooks")) <= 0);
}

void TestCliLimits::emitLinesStoresOneEventPerLine()
{
    QCOMPARE(run(args({"hooks", "add", "--url", "http://127.0.0.1:9/unused"})).exitCode, 0);
    QByteArray lines;
    for (int i = 1; i <= 50; ++i)
        lines += R"({"tasks": [{"id": )" + QByteArray::number(i) + R"(}, {"id": )" +
                 QByteArray::number(1000 + i) + "}]}\n";
    lines += "\n   \n"; // blank lines are skipped
    const QString file = writeFile(QStringLiteral("events.jsonl"), lines);

    const Run result = run(args({"emit", "TASKS_CREATED", "--queue", "--jsonl"}) << file);
    QVERIFY2(result.exitCode == 0 && result.err.isEmpty(), qPrintable(describe(result)));
    QVERIFY2(result.out.contains("Events stored: 50; deliveries queued"),
             qPrintable(describe(result)));
    QCOMPARE(count(QStringLiteral("events")), 50);
    QCOMPARE(count(QStringLiteral("deliveries")), 50);
    QCOMPARE(count(QStringLiteral("attempts")), 50);
}

void TestCliLimits::emitLinesFromStandardInputAndSends()
{
    // Without --queue the first attempt of each is made, as for one event;
    // nothing listens on port 9, so they fail and exit 3.
    QCOMPARE(
        run(args({"hooks", "add", "--url", "http://127.0.0.1:9/closed", "--max-attempts", "1"}))
            .exitCode,
        0);
    const Run result = run(args({"emit", "ANNOTATION_CREATED", "--jsonl", "-"}),
                           "{\"annotation\": {\"id\": 1}, \"task\": {\"id\": 7}}\r\n"
                           "{\"annotation\": {\"id\": 2}, \"task\": {\"id\": 7}}");
    QVERIFY2(result.exitCode == 3, qPrintable(describe(result)));
    QVERIFY2(result.out.contains("Events stored: 2; deliveries: 2."), qPrintable(describe(result)));
    QCOMPARE(count(QStringLiteral("events")), 2);
    QCOMPARE(count(QStringLiteral("attempts")), 2);
}

void TestCliLimits::emitLinesStopsAtTheFirstBadLine_data()
{
    QTest::addColumn<QByteArray>("badLine");
    QTest::addColumn<QString>("problem");
    QTest::newRow("not JSON") << QByteArray(R"({"tasks": [)") << QStringLiteral("not valid JSON");
    QTest::newRow("not an object")
        << QByteArray(R"([{"id": 1}])") << QStringLiteral("must be a JSON object");
    QTest::newRow("no payload key")
        << QByteArray(R"({"annotation": {"id": 1}})") << QStringLiteral("tasks");
}

void TestCliLimits::emitLinesStopsAtTheFirstBadLine()
{
    QFETCH(QByteArray, badLine);
    QFETCH(QString, problem);
    QCOMPARE(run(args({"hooks", "add", "--url", "http://127.0.0.1:9/unused"})).exitCode, 0);
    const QByteArray good = R"({"tasks": [{"id": 1}]})";
    const QByteArray input = good + '\n' + good + "\n\n" + badLine + '\n' + good + '\n';

    const Run result = run(args({"emit", "TASKS_CREATED", "--queue", "--jsonl", "-"}), input);
    QVERIFY2(result.exitCode == 2, qPrintable(describe(result)));
    QVERIFY2(isOneLineError(result), qPrintable(describe(result)));
    // Which line, what is wrong with it, and what became of the rest.
    QVERIFY2(result.err.contains("standard input, line 4: "), qPrintable(describe(result)));
    QVERIFY2(QString::fromUtf8(result.err).contains(problem), qPrintable(describe(result)));
    QVERIFY2(result.err.contains("Events stored before this line: 2; nothing after it was stored."),
             qPrintable(describe(result)));
    QCOMPARE(count(QStringLiteral("events")), 2);
    QCOMPARE(count(QStringLiteral("deliveries")), 2);
}

void TestCliLimits::emitLinesUsage()
{
    const QString file = writeFile(QStringLiteral("one.jsonl"), R"({"tasks": []})");
    Run result = run(args({"emit", "TASKS_CREATED", "--data", "x.json", "--jsonl"}) << file);
    QVERIFY2(result.exitCode == 1, qPrintable(describe(result)));
    QVERIFY2(result.err.contains("--data and --jsonl"), qPrintable(describe(result)));
    result = run(args({"emit", "TASKS_CREATED", "--jsonl", "/nonexistent/events.jsonl"}));
    QVERIFY2(result.exitCode == 2 && isOneLineError(result), qPrintable(describe(result)));
    QVERIFY(!QFile::exists(m_db)); // a typo creates no database
    result = run(args({"emit", "NO_SUCH_EVENT", "--jsonl"}) << file);
    QVERIFY2(result.exitCode == 2 && isOneLineError(result), qPrintable(describe(result)));
    QVERIFY2(result.err.contains("NO_SUCH_EVENT"), qPrintable(describe(result)));
    const Run help = run(args({"--help"}));
    QVERIFY(help.out.contains("--jsonl FILE|-"));
}

QTEST_GUILESS_MAIN(TestCliLimits)
#include "tst_cli_limits.moc"
