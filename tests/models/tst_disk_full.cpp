#include "delivery/delivery_store.h"
#include "store/database.h"
#include "store/hook_store.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <memory>

// A full disk, simulated with SQLite's max_page_count on the writing
// connection: every write that needs a page more is refused as a whole with
// StorageError::Kind::Full, and what was stored stays as it was.
class TestDiskFull : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void newHookIsRefusedWhole();
    void editedHookKeepsItsStoredVersion();
    void largeEventIsRefusedWhole();
    void writesWorkAgainWithRoom();

private:
    // The file cannot grow past the pages it has now.
    void fillDisk();
    void freeDisk();
    QString counts();
    static Webhook bigHook();
    static QJsonObject bigPayload();

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Database> m_database;
    std::unique_ptr<HookStore> m_hooks;
    std::unique_ptr<DeliveryStore> m_deliveries;
    Webhook m_stored;
};

void TestDiskFull::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
}

void TestDiskFull::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_database = std::make_unique<Database>();
    QVERIFY(!m_database->open(m_dir->filePath(QStringLiteral("full.sqlite"))));
    m_hooks = std::make_unique<HookStore>(m_database.get());
    m_deliveries = std::make_unique<DeliveryStore>(m_database.get());

    Webhook hook;
    hook.url = QStringLiteral("https://example.com/hook");
    hook.description = QStringLiteral("stored before the disk filled up");
    hook.headers = {{QStringLiteral("X-Team"), QStringLiteral("ml"), false}};
    hook.sendForAllActions = false;
    hook.actions = {QStringLiteral("TASKS_CREATED")};
    const Result<Webhook> saved = m_hooks->saveHook(hook);
    QVERIFY(saved);
    m_stored = saved.value();
    QVERIFY(m_deliveries->emitEvent(
        m_hooks->catalog(), QStringLiteral("TASKS_CREATED"), std::nullopt,
        QJsonObject{{QStringLiteral("tasks"), QJsonArray{QJsonObject{{QStringLiteral("id"), 1}}}}},
        QDateTime::currentDateTimeUtc()));
}

void TestDiskFull::cleanup()
{
    m_deliveries.reset();
    m_hooks.reset();
    m_database.reset();
    m_dir.reset();
}

void TestDiskFull::fillDisk()
{
    QSqlQuery query(m_database->connection());
    // Move everything into the main file, so no free page is left over in the WAL.
    QVERIFY(query.exec(QStringLiteral("PRAGMA wal_checkpoint(TRUNCATE)")));
    QVERIFY(query.exec(QStringLiteral("PRAGMA freelist_count")) && query.next());
    QCOMPARE(query.value(0).toInt(), 0);
    QVERIFY(query.exec(QStringLiteral("PRAGMA page_count")) && query.next());
    const int pages = query.value(0).toInt();
    QVERIFY(query.exec(QStringLiteral("PRAGMA max_page_count = %1").arg(pages)));
    QVERIFY(query.exec(QStringLiteral("PRAGMA max_page_count")) && query.next());
    QCOMPARE(query.value(0).toInt(), pages);
}

void TestDiskFull::freeDisk()
{
    QVERIFY(QSqlQuery(m_database->connection())
                .exec(QStringLiteral("PRAGMA max_page_count = 1073741823")));
}

QString TestDiskFull::counts()
{
    QStringList parts;
    for (const char *table : {"projects", "webhooks", "webhook_headers", "webhook_actions",
                              "events", "deliveries", "attempts"}) {
        QSqlQuery query(m_database->connection());
        query.exec(QStringLiteral("SELECT count(*) FROM ") + QLatin1String(table));
        parts.append(QLatin1String(table) + QLatin1Char('=') +
                     (query.next() ? query.value(0).toString() : QStringLiteral("?")));
    }
    return parts.join(QLatin1Char(' '));
}

Webhook TestDiskFull::bigHook()
{
    // Far more than the free room of any page: 50 headers of 8 KB each.
    Webhook hook;
    hook.url = QStringLiteral("https://big.example.com/hook");
    hook.description = QString(Webhook::MaxDescriptionLength, QLatin1Char('d'));
    for (int i = 0; i < Webhook::MaxHeaders; ++i)
        hook.headers.append({QStringLiteral("X-Big-%1").arg(i),
                             QString(Webhook::MaxHeaderValueLength, QLatin1Char('v')), i % 2 == 0});
    return hook;
}

QJsonObject TestDiskFull::bigPayload()
{
    QJsonArray tasks;
    for (int i = 0; i < 2000; ++i)
        tasks.append(
            QJsonObject{{QStringLiteral("id"), i},
                        {QStringLiteral("data"),
                         QJsonObject{{QStringLiteral("text"), QString(500, QLatin1Char('t'))}}}});
    return QJsonObject{{QStringLiteral("tasks"), tasks}};
}

void TestDiskFull::newHookIsRefusedWhole()
{
    const QString before = counts();
    fillDisk();
    const Result<Webhook> saved = m_hooks->saveHook(bigHook());
    QVERIFY(!saved);
    QCOMPARE(saved.error().kind, StorageError::Kind::Full);
    QVERIFY2(saved.error().message.contains(QStringLiteral("full")),
             qPrintable(saved.error().message));
    QVERIFY2(saved.error().message.contains(QStringLiteral("nothing was changed")),
             qPrintable(saved.error().message));
    QCOMPARE(counts(), before);
}

void TestDiskFull::editedHookKeepsItsStoredVersion()
{
    fillDisk();
    Webhook edited = bigHook();
    edited.id = m_stored.id;
    const Result<Webhook> saved = m_hooks->saveHook(edited);
    QVERIFY(!saved);
    QCOMPARE(saved.error().kind, StorageError::Kind::Full);
    const Result<Webhook> after = m_hooks->hook(m_stored.id);
    QVERIFY(after);
    QCOMPARE(after.value(), m_stored); // every field, headers and actions included
}

void TestDiskFull::largeEventIsRefusedWhole()
{
    const QString before = counts();
    fillDisk();
    const Result<EmitResult> emitted =
        m_deliveries->emitEvent(m_hooks->catalog(), QStringLiteral("TASKS_CREATED"), std::nullopt,
                                bigPayload(), QDateTime::currentDateTimeUtc());
    QVERIFY(!emitted);
    QCOMPARE(emitted.error().kind, StorageError::Kind::Full);
    QVERIFY2(emitted.error().message.contains(QStringLiteral("full")),
             qPrintable(emitted.error().message));
    QCOMPARE(counts(), before);
}

void TestDiskFull::writesWorkAgainWithRoom()
{
    fillDisk();
    QVERIFY(!m_hooks->saveHook(bigHook()));
    QVERIFY(!m_deliveries->emitEvent(m_hooks->catalog(), QStringLiteral("TASKS_CREATED"),
                                     std::nullopt, bigPayload(), QDateTime::currentDateTimeUtc()));
    freeDisk();
    // The refused writes left no transaction open behind them.
    const Result<Webhook> saved = m_hooks->saveHook(bigHook());
    QVERIFY2(saved, qPrintable(saved.error().message));
    const Result<EmitResult> emitted =
        m_deliveries->emitEvent(m_hooks->catalog(), QStringLiteral("TASKS_CREATED"), std::nullopt,
                                bigPayload(), QDateTime::currentDateTimeUtc());
    QVERIFY2(emitted, qPrintable(emitted.error().message));
    QCOMPARE(m_hooks->hook(saved->id)->headers.size(), Webhook::MaxHeaders);
}

QTEST_GUILESS_MAIN(TestDiskFull)
#include "tst_disk_full.moc"
