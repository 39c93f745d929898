#include "delivery/delivery_store.h"
#include "io/log_exporter.h"
#include "store/database.h"
#include "store/hook_store.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <memory>

// Exports of the delivery log, from a real SQLite file.
class TestLogExporter : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void jsonLinesShape();
    void csvShape();
    void csvLine_data();
    void csvLine();
    void filterIsHonoured_data();
    void filterIsHonoured();
    void pagesThroughLargeLogs();
    void noSecretsInEitherFormat();
    void cancelledExportWritesNothing();
    void unwritablePathIsAClearError();
    void formatFromPath();

private:
    qint64 addHook(const QString &url, const QList<HeaderRow> &headers = {});
    QList<qint64> emitEvent(const QString &action);
    QByteArray readFile(const QString &path);
    QString path(const QString &name) const { return m_dir->filePath(name); }
    // Two hooks; a success, a failure with an awkward error, a pending attempt.
    void fillLog();

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Database> m_db;
    std::unique_ptr<HookStore> m_hooks;
    std::unique_ptr<DeliveryStore> m_store;
    qint64 m_hookA = 0;
    qint64 m_hookB = 0;
};

void TestLogExporter::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
}

void TestLogExporter::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_db = std::make_unique<Database>();
    QVERIFY(!m_db->open(path(QStringLiteral("log.sqlite"))));
    m_hooks = std::make_unique<HookStore>(m_db.get());
    m_store = std::make_unique<DeliveryStore>(m_db.get());
}

void TestLogExporter::cleanup()
{
    m_store.reset();
    m_hooks.reset();
    m_db.reset();
    m_dir.reset();
}

qint64 TestLogExporter::addHook(const QString &url, const QList<HeaderRow> &headers)
{
    Webhook hook;
    hook.url = url;
    hook.headers = headers;
    hook.sendForAllActions = true;
    Result<Webhook> saved = m_hooks->saveHook(hook);
    if (!saved)
        qWarning() << saved.error().message;
    return saved ? saved->id : 0;
}

QList<qint64> TestLogExporter::emitEvent(const QString &action)
{
    const EventCatalog catalog = m_hooks->catalog();
    Result<EmitResult> emitted =
        m_store->emitEvent(catalog, action, std::nullopt, catalog.samplePayload(action),
                           QDateTime::currentDateTimeUtc());
    return emitted ? emitted->attemptIds : QList<qint64>();
}

QByteArray TestLogExporter::readFile(const QString &name)
{
    QFile file(name);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll();
}

void TestLogExporter::fillLog()
{
    m_hookA = addHook(QStringLiteral("https://robot:hunter2@a.example/hook"),
                      {{QStringLiteral("X-Api-Key"), QStringLiteral("sk_live_topsecret"), true}});
    m_hookB = addHook(QStringLiteral("https://b.example/other"));
    QVERIFY(m_hookA && m_hookB);
    const QList<qint64> first = emitEvent(QStringLiteral("ANNOTATION_CREATED"));
    QCOMPARE(first.size(), 2);
    const QDateTime start =
        QDateTime::fromString(QStringLiteral("2026-03-01T10:42:13.250Z"), Qt::ISODateWithMs);
    AttemptResult ok;
    ok.attemptId = first.at(0);
    ok.outcome = AttemptOutcome::Succeeded;
    ok.startedAt = start;
    ok.finishedAt = start.addMSecs(87);
    ok.durationMs = 87;
    ok.statusCode = 200;
    ok.requestHeaders = {{QStringLiteral("X-Api-Key"), maskedSecret()},
                         {QStringLiteral("Authorization"), maskedSecret()}};
    AttemptResult bad = ok;
    bad.attemptId = first.at(1);
    bad.outcome = AttemptOutcome::Failed;
    bad.statusCode = 0;
    bad.durationMs = 10000;
    bad.errorKind = QStringLiteral("timeout");
    bad.error = QStringLiteral("no answer, \"still waiting\"\nafter 10 s");
    QVERIFY(m_store->recordResults({ok, bad}, QDateTime::currentDateTimeUtc()));
    QCOMPARE(emitEvent(QStringLiteral("TASKS_CREATED")).size(), 2); // pending
}

void TestLogExporter::jsonLinesShape()
{
    fillLog();
    Result<qint64> written = LogExporter::exportToFile(*m_store, {}, LogExporter::Format::JsonLines,
                                                       path(QStringLiteral("log.jsonl")));
    QVERIFY2(written, written ? "" : qPrintable(written.error().message));
    QCOMPARE(written.value(), 4);
    const QByteArray data = readFile(path(QStringLiteral("log.jsonl")));
    QVERIFY(data.endsWith('\n'));
    const QList<QByteArray> lines = data.trimmed().split('\n');
    QCOMPARE(lines.size(), 4);
    QList<QJsonObject> objects;
    for (const QByteArray &line : lines) {
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(line, &error);
        QCOMPARE(error.error, QJsonParseError::NoError);
        QVERIFY(doc.isObject());
        objects.append(doc.object());
    }
    // Newest first.
    for (int i = 1; i < objects.size(); ++i)
        QVERIFY(objects.at(i - 1).value(QLatin1String("id")).toInteger() >
                objects.at(i).value(QLatin1String("id")).toInteger());
    for (const char *key :
         {"id", "delivery", "webhook", "action", "message_id", "attempt", "trigger", "outcome",
          "status_code", "error", "duration_ms", "created_at"})
        QVERIFY2(objects.first().contains(QLatin1String(key)), key);

    const QJsonObject pending = objects.at(0);
    QCOMPARE(pending.value(QLatin1String("outcome")).toString(), QStringLiteral("pending"));
    QVERIFY(pending.value(QLatin1String("status_code")).isNull());
    QVERIFY(pending.value(QLatin1String("duration_ms")).isNull());
    QCOMPARE(pending.value(QLatin1String("action")).toString(), QStringLiteral("TASKS_CREATED"));

    const QJsonObject failed = objects.at(2);
    QCOMPARE(failed.value(QLatin1String("outcome")).toString(), QStringLiteral("failed"));
    QCOMPARE(failed.value(QLatin1String("webhook")).toInteger(), m_hookB);
    QCOMPARE(failed.value(QLatin1String("error")).toString(),
             QStringLiteral("no answer, \"still waiting\"\nafter 10 s"));
    QCOMPARE(failed.value(QLatin1String("duration_ms")).toInteger(), 10000);

    const QJsonObject ok = objects.at(3);
    QCOMPARE(ok.value(QLatin1String("status_code")).toInt(), 200);
    QCOMPARE(ok.value(QLatin1String("attempt")).toInt(), 1);
    QCOMPARE(ok.value(QLatin1String("trigger")).toString(), QStringLiteral("scheduled"));
    QVERIFY(ok.value(QLatin1String("error")).isNull());
    QVERIFY(ok.value(QLatin1String("message_id")).toString().startsWith(QLatin1String("msg_")));
    QCOMPARE(ok.value(QLatin1String("created_at")).toString(),
             QStringLiteral("2026-03-01T10:42:13.250Z"));
    // Whole attempts, as `deliveries --json` has them: headers (masked as
    // stored), bodies, the trace.
    for (const char *key : {"trace", "request_headers", "request_body", "response_headers",
                            "response_body", "response_truncated"})
        QVERIFY2(ok.contains(QLatin1String(key)), key);
    QCOMPARE(
        ok.value(QLatin1String("request_headers")).toObject().value(QLatin1String("X-Api-Key")),
        QJsonValue(maskedSecret()));
    QVERIFY(ok.value(QLatin1String("request_body")).isObject());
    QCOMPARE(ok.value(QLatin1String("request_body")).toObject().value(QLatin1String("action")),
             ok.value(QLatin1String("action")));

    // Private to the user, like the database.
    QCOMPARE(QFileInfo(path(QStringLiteral("log.jsonl"))).permissions() &
                 (QFileDevice::ReadGroup | QFileDevice::ReadOther | QFileDevice::WriteGroup |
                  QFileDevice::WriteOther),
             QFileDevice::Permissions());
}

void TestLogExporter::csvShape()
{
    fillLog();
    Result<qint64> written = LogExporter::exportToFile(*m_store, {}, LogExporter::Format::Csv,
                                                       path(QStringLiteral("log.csv")));
    QVERIFY(written);
    QCOMPARE(written.value(), 4);
    const QByteArray data = readFile(path(QStringLiteral("log.csv")));
    QVERIFY(data.startsWith("id,delivery,webhook,url,action,message_id,attempt,max_attempts,"
                            "trigger,outcome,status_code,error_kind,error,duration_ms,"
                            "created_at\r\n"));
    QVERIFY(data.endsWith("\r\n"));
    // The awkward error is one quoted field, quotes doubled, newline kept.
    QVERIFY(data.contains(",timeout,\"no answer, \"\"still waiting\"\"\nafter 10 s\",10000,"));
    // Header, two pending rows, the failure and the success: the failure's
    // newline is inside quotes, so there are five records.
    QCOMPARE(data.count("\r\n"), 5);
    const QList<QByteArray> records = data.split('\n');
    QVERIFY(records.at(1).contains(",pending,"));
    QVERIFY(data.contains(",succeeded,200,,,87,2026-03-01T10:42:13.250Z\r\n"));
}

void TestLogExporter::csvLine_data()
{
    QTest::addColumn<QStringList>("fields");
    QTest::addColumn<QByteArray>("line");
    QTest::newRow("plain") << QStringList{QStringLiteral("a"), QStringLiteral("b")}
                           << QByteArray("a,b\r\n");
    QTest::newRow("empty") << QStringList{QString(), QStringLiteral("x"), QString()}
                           << QByteArray(",x,\r\n");
    QTest::newRow("comma") << QStringList{QStringLiteral("a,b")} << QByteArray("\"a,b\"\r\n");
    QTest::newRow("quote") << QStringList{QStringLiteral("say \"hi\"")}
                           << QByteArray("\"say \"\"hi\"\"\"\r\n");
    QTest::newRow("newline") << QStringList{QStringLiteral("a\nb"), QStringLiteral("c\r")}
                             << QByteArray("\"a\nb\",\"c\r\"\r\n");
    QTest::newRow("utf-8") << QStringList{QStringLiteral("grüße")}
                           << QByteArray("gr\xc3\xbc\xc3\x9f"
                                         "e\r\n");
}

void TestLogExporter::csvLine()
{
    QFETCH(QStringList, fields);
    QFETCH(QByteArray, line);
    QCOMPARE(LogExporter::csvLine(fields), line);
}

void TestLogExporter::filterIsHonoured_data()
{
    QTest::addColumn<QString>("which");
    QTest::addColumn<int>("expected");
    QTest::newRow("hook b") << QStringLiteral("hook") << 2;
    QTest::newRow("failed") << QStringLiteral("failed") << 1;
    QTest::newRow("pending") << QStringLiteral("pending") << 2;
    QTest::newRow("event") << QStringLiteral("event") << 2;
    QTest::newRow("text") << QStringLiteral("text") << 1;
}

void TestLogExporter::filterIsHonoured()
{
    QFETCH(QString, which);
    QFETCH(int, expected);
    fillLog();
    LogFilter filter;
    if (which == QLatin1String("hook"))
        filter.webhookId = m_hookB;
    else if (which == QLatin1String("failed"))
        filter.outcome = AttemptOutcome::Failed;
    else if (which == QLatin1String("pending"))
        filter.outcome = AttemptOutcome::Pending;
    else if (which == QLatin1String("event"))
        filter.action = QStringLiteral("ANNOTATION_CREATED");
    else
        filter.text = QStringLiteral("still waiting");

    for (const auto format : {LogExporter::Format::JsonLines, LogExporter::Format::Csv}) {
        const QString file = path(QStringLiteral("filtered"));
        Result<qint64> written = LogExporter::exportToFile(*m_store, filter, format, file);
        QVERIFY(written);
        QCOMPARE(written.value(), expected);
        const QByteArray data = readFile(file);
        if (format == LogExporter::Format::JsonLines) {
            const QList<QByteArray> lines = data.trimmed().split('\n');
            QCOMPARE(lines.size(), expected);
            for (const QByteArray &line : lines) {
                const QJsonObject o = QJsonDocument::fromJson(line).object();
                if (filter.webhookId)
                    QCOMPARE(o.value(QLatin1String("webhook")).toInteger(), *filter.webhookId);
                if (filter.outcome)
                    QCOMPARE(o.value(QLatin1String("outcome")).toString(),
                             attemptOutcomeKey(*filter.outcome));
                if (!filter.action.isEmpty())
                    QCOMPARE(o.value(QLatin1String("action")).toString(), filter.action);
            }
        } else {
            QVERIFY(data.startsWith("id,"));
        }
    }
}

void TestLogExporter::pagesThroughLargeLogs()
{
    addHook(QStringLiteral("https://a.example/hook"));
    qputenv("WEBHOOK_BATCH_SIZE", "1");
    QJsonArray tasks;
    for (int i = 0; i < 2500; ++i)
        tasks.append(QJsonObject{{QStringLiteral("id"), i + 1}});
    Result<EmitResult> emitted =
        m_store->emitEvent(m_hooks->catalog(), QStringLiteral("TASKS_CREATED"), std::nullopt,
                           {{QStringLiteral("tasks"), tasks}}, QDateTime::currentDateTimeUtc());
    qunsetenv("WEBHOOK_BATCH_SIZE");
    QVERIFY(emitted);
    QCOMPARE(emitted->attemptIds.size(), 2500);

    QList<qint64> progress;
    Result<qint64> written =
        LogExporter::exportToFile(*m_store, {}, LogExporter::Format::JsonLines,
                                  path(QStringLiteral("big.jsonl")), [&progress](qint64 n) {
                                      progress.append(n);
                                      return true;
                                  });
    QVERIFY(written);
    QCOMPARE(written.value(), 2500);
    QCOMPARE(progress, (QList<qint64>{1000, 2000, 2500}));
    const QList<QByteArray> lines =
        readFile(path(QStringLiteral("big.jsonl"))).trimmed().split('\n');
    QCOMPARE(lines.size(), 2500);
    QSet<qint64> ids;
    for (const QByteArray &line : lines)
        ids.insert(QJsonDocument::fromJson(line).object().value(QLatin1String("id")).toInteger());
    QCOMPARE(ids.size(), 2500); // no row twice across pages
}

void TestLogExporter::noSecretsInEitherFormat()
{
    fillLog();
    for (const auto format : {LogExporter::Format::JsonLines, LogExporter::Format::Csv}) {
        const QString file = path(QStringLiteral("secrets"));
        QVERIFY(LogExporter::exportToFile(*m_store, {}, format, file));
        const QByteArray data = readFile(file);
        QVERIFY(!data.isEmpty());
        QVERIFY(!data.contains("hunter2"));
        QVERIFY(!data.contains("sk_live_topsecret"));
        QVERIFY(data.contains("a.example/hook"));
    }
}

void TestLogExporter::cancelledExportWritesNothing()
{
    fillLog();
    const QString file = path(QStringLiteral("kept.jsonl"));
    {
        QFile existing(file);
        QVERIFY(existing.open(QIODevice::WriteOnly));
        existing.write("previous export\n");
    }
    Result<qint64> written = LogExporter::exportToFile(*m_store, {}, LogExporter::Format::JsonLines,
                                                       file, [](qint64) { return false; });
    QVERIFY(!written);
    QVERIFY(written.error().message.contains(QLatin1String("cancelled")));
    QCOMPARE(readFile(file), QByteArray("previous export\n"));
}

void TestLogExporter::unwritablePathIsAClearError()
{
    fillLog();
    const QString file = path(QStringLiteral("no/such/folder/log.csv"));
    Result<qint64> written =
        LogExporter::exportToFile(*m_store, {}, LogExporter::Format::Csv, file);
    QVERIFY(!written);
    QVERIFY(written.error().message.contains(file));
    QVERIFY(!QFile::exists(file));
}

void TestLogExporter::formatFromPath()
{
    QCOMPARE(LogExporter::formatForPath(QStringLiteral("/tmp/a.csv")), LogExporter::Format::Csv);
    QCOMPARE(LogExporter::formatForPath(QStringLiteral("/tmp/a.CSV")), LogExporter::Format::Csv);
    QCOMPARE(LogExporter::formatForPath(QStringLiteral("/tmp/a.jsonl")),
             LogExporter::Format::JsonLines);
    QCOMPARE(LogExporter::formatForPath(QStringLiteral("/tmp/a")), LogExporter::Format::JsonLines);
}

QTEST_GUILESS_MAIN(TestLogExporter)
#include "tst_log_exporter.moc"
