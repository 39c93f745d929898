#include "delivery/delivery_store.h"
#include "domain/webhook.h"
#include "items/delivery_chart_model.h"
#include "items/delivery_log_model.h"
#include "store/database.h"
#include "store/hook_store.h"
#include "test_database.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <memory>

// The chart's aggregates against a known set of attempts, counted by hand:
// buckets, outcomes, the edges of the range and the log's filters. Runs on
// SQLite and on PostgreSQL (the bucket arithmetic is SQL on both).
class TestDeliveryChartModel : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void storeCountsPerBucketAndOutcome();
    void lastHourUnderAHookFilter();
    void last24HoursMovesTheEdges();
    void outcomeAndTextFiltersNarrowIt();
    void newAttemptsAreCountedAgain();
    void inactiveModelReadsNothing();

private:
    qint64 addHook(const QString &url, bool active);
    // One attempt of `hook`, queued at `at`, with `outcome`.
    qint64 addAttempt(qint64 hook, const QDateTime &at, const QString &outcome);
    std::unique_ptr<DeliveryChartModel> makeChart(DeliveryChartModel::Range range);
    bool waitLoaded(DeliveryChartModel *chart);

    // 12:34:56 UTC: the last hour's buckets run from 11:35 to 12:35.
    const QDateTime m_now = QDateTime(QDate(2026, 1, 10), QTime(12, 34, 56), Qt::UTC);
    QTemporaryDir m_dir;
    int m_run = 0;
    std::unique_ptr<Database> m_db;
    std::unique_ptr<HookStore> m_hooks;
    std::unique_ptr<DeliveryStore> m_store;
    std::unique_ptr<DeliveryLogModel> m_log;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
    qint64 m_hookA = 0;
    qint64 m_hookB = 0;
};

void TestDeliveryChartModel::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_dir.isValid());
}

static QDateTime at(int hour, int minute, int second)
{
    return QDateTime(QDate(2026, 1, 10), QTime(hour, minute, second), Qt::UTC);
}

void TestDeliveryChartModel::init()
{
    m_db = std::make_unique<Database>();
    const std::optional<StorageError> error = m_db->open(
        TestDatabase::create(m_dir.path(), QStringLiteral("chart%1.sqlite").arg(++m_run)));
    QVERIFY2(!error, error ? qPrintable(error->message) : "");
    m_hooks = std::make_unique<HookStore>(m_db.get());
    m_store = std::make_unique<DeliveryStore>(m_db.get());
    m_hookA = addHook(QStringLiteral("http://a.example/hook"), true);
    m_hookB = addHook(QStringLiteral("http://b.example/hook"), false);
    QVERIFY(m_hookA && m_hookB);

    // Hook A, by hand: 11:35 is bucket 0 of the last hour, 12:34 bucket 59.
    addAttempt(m_hookA, at(11, 34, 59), QStringLiteral("succeeded")); // before the hour
    addAttempt(m_hookA, at(12, 0, 0), QStringLiteral("failed"));      // bucket 25
    addAttempt(m_hookA, at(12, 0, 30), QStringLiteral("failed"));     // bucket 25
    addAttempt(m_hookA, at(12, 0, 59), QStringLiteral("pending"));    // bucket 25
    addAttempt(m_hookA, at(12, 30, 10), QStringLiteral("succeeded")); // bucket 55
    addAttempt(m_hookA, at(12, 30, 30), QStringLiteral("failed"));    // bucket 55
    addAttempt(m_hookA, at(12, 30, 50), QStringLiteral("succeeded")); // bucket 55
    addAttempt(m_hookA, at(12, 34, 0), QStringLiteral("filtered"));   // bucket 59
    addAttempt(m_hookA, at(12, 35, 0), QStringLiteral("succeeded"));  // after the hour
    // Hook B: four successes in bucket 55, left out by a filter on hook A.
    for (int i = 0; i < 4; ++i)
        addAttempt(m_hookB, at(12, 30, 20), QStringLiteral("succeeded"));
    m_log = std::make_unique<DeliveryLogModel>(m_store.get(), m_hooks.get());
    m_log->setPollInterval(0);
}

void TestDeliveryChartModel::cleanup()
{
    m_tester.reset();
    m_log.reset();
    m_store.reset();
    m_hooks.reset();
    m_db.reset();
}

qint64 TestDeliveryChartModel::addHook(const QString &url, bool active)
{
    Webhook hook;
    hook.url = url;
    hook.isActive = active;
    Result<Webhook> saved = m_hooks->saveHook(hook);
    if (!saved)
        qWarning() << saved.error().message;
    return saved ? saved->id : 0;
}

qint64 TestDeliveryChartModel::addAttempt(qint64 hook, const QDateTime &time,
                                          const QString &outcome)
{
    // A test send makes one delivery to one hook, active or not.
    const EventCatalog catalog = m_hooks->catalog();
    Result<EmitResult> sent =
        m_store->enqueueTest(catalog, hook, EventCatalog::PingKey, std::nullopt,
                             catalog.samplePayload(EventCatalog::PingKey), time);
    if (!sent || sent->attemptIds.size() != 1) {
        qWarning() << (sent ? QStringLiteral("no attempt") : sent.error().message);
        return 0;
    }
    const qint64 id = sent->attemptIds.constFirst();
    QSqlQuery query(m_db->connection());
    query.prepare(QStringLiteral("UPDATE attempts SET created_at = ?, outcome = ? WHERE id = ?"));
    query.addBindValue(time.toMSecsSinceEpoch());
    query.addBindValue(outcome);
    query.addBindValue(id);
    if (!query.exec())
        qWarning() << query.lastError().text();
    return id;
}

std::unique_ptr<DeliveryChartModel>
TestDeliveryChartModel::makeChart(DeliveryChartModel::Range range)
{
    auto chart = std::make_unique<DeliveryChartModel>(m_log.get());
    m_tester = std::make_unique<QAbstractItemModelTester>(
        chart.get(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    chart->setClock([this] { return m_now; });
    chart->setRange(range);
    return chart;
}

bool TestDeliveryChartModel::waitLoaded(DeliveryChartModel *chart)
{
    QSignalSpy loaded(chart, &DeliveryChartModel::loaded);
    if (!chart->isLoading())
        chart->reload();
    if (!loaded.wait(10000))
        return false;
    if (!chart->error().isEmpty())
        qWarning() << chart->error();
    return chart->error().isEmpty();
}

void TestDeliveryChartModel::storeCountsPerBucketAndOutcome()
{
    LogFilter filter;
    filter.webhookId = m_hookA;
    // The log's own time window is not the chart's: it is left out.
    filter.since = at(12, 30, 0);
    Result<QList<AttemptBucket>> buckets =
        m_store->attemptBuckets(filter, at(11, 35, 0), 60 * 1000, 60);
    QVERIFY2(buckets, buckets ? "" : qPrintable(buckets.error().message));
    QList<AttemptBucket> sorted = buckets.value();
    std::sort(sorted.begin(), sorted.end(), [](const AttemptBucket &a, const AttemptBucket &b) {
        return std::pair(a.index, int(a.outcome)) < std::pair(b.index, int(b.outcome));
    });
    const QList<AttemptBucket> expected = {
        {25, AttemptOutcome::Pending, 1},   {25, AttemptOutcome::Failed, 2},
        {55, AttemptOutcome::Succeeded, 2}, {55, AttemptOutcome::Failed, 1},
        {59, AttemptOutcome::Filtered, 1},
    };
    QCOMPARE(sorted, expected);
}

void TestDeliveryChartModel::lastHourUnderAHookFilter()
{
    LogFilter filter;
    filter.webhookId = m_hookA;
    m_log->setFilter(filter);
    auto chart = makeChart(DeliveryChartModel::Range::LastHour);
    chart->setActive(true);
    QVERIFY(waitLoaded(chart.get()));
    QCOMPARE(chart->rowCount(), 60);
    QCOMPARE(chart->start(), at(11, 35, 0));
    QCOMPARE(chart->index(55, 0).data(DeliveryChartModel::BucketStartRole).toDateTime(),
             at(12, 30, 0));
    QCOMPARE(chart->index(55, 0).data(DeliveryChartModel::BucketEndRole).toDateTime(),
             at(12, 31, 0));
    QCOMPARE(chart->count(25, DeliveryChartModel::Failed), 2);
    QCOMPARE(chart->count(25, DeliveryChartModel::Pending), 1);
    QCOMPARE(chart->count(55, DeliveryChartModel::Succeeded), 2);
    QCOMPARE(chart->count(55, DeliveryChartModel::Failed), 1);
    QCOMPARE(chart->count(59, DeliveryChartModel::Filtered), 1);
    QCOMPARE(chart->total(), 7);
    QCOMPARE(chart->maximum(), 3);
    QCOMPARE(chart->rowAt(at(12, 30, 59)), 55);
    QCOMPARE(chart->rowAt(at(12, 35, 0)), -1);

    // Without the filter hook B's four join bucket 55.
    m_log->setFilter({});
    QVERIFY(waitLoaded(chart.get()));
    QCOMPARE(chart->count(55, DeliveryChartModel::Succeeded), 6);
    QCOMPARE(chart->total(), 11);
}

void TestDeliveryChartModel::last24HoursMovesTheEdges()
{
    LogFilter filter;
    filter.webhookId = m_hookA;
    m_log->setFilter(filter);
    auto chart = makeChart(DeliveryChartModel::Range::Last24Hours);
    chart->setActive(true);
    QVERIFY(waitLoaded(chart.get()));
    // 15-minute buckets ending 12:45: 12:30 is bucket 95, 12:00 bucket 93,
    // 11:30 bucket 91; 12:35 now falls inside.
    QCOMPARE(chart->rowCount(), 96);
    QCOMPARE(chart->start(), at(12, 45, 0).addDays(-1));
    QCOMPARE(chart->count(95, DeliveryChartModel::Succeeded), 3);
    QCOMPARE(chart->count(95, DeliveryChartModel::Failed), 1);
    QCOMPARE(chart->count(95, DeliveryChartModel::Filtered), 1);
    QCOMPARE(chart->count(93, DeliveryChartModel::Failed), 2);
    QCOMPARE(chart->count(93, DeliveryChartModel::Pending), 1);
    QCOMPARE(chart->count(91, DeliveryChartModel::Succeeded), 1);
    QCOMPARE(chart->total(), 9);
}

void TestDeliveryChartModel::outcomeAndTextFiltersNarrowIt()
{
    LogFilter filter;
    filter.outcome = AttemptOutcome::Failed;
    m_log->setFilter(filter);
    auto chart = makeChart(DeliveryChartModel::Range::LastHour);
    chart->setActive(true);
    QVERIFY(waitLoaded(chart.get()));
    QCOMPARE(chart->total(), 3);
    QCOMPARE(chart->count(25, DeliveryChartModel::Failed), 2);
    QCOMPARE(chart->count(55, DeliveryChartModel::Failed), 1);

    // A text filter (hook B's URL) joins the deliveries for the webhook-id.
    LogFilter text;
    text.text = QStringLiteral("b.example");
    m_log->setFilter(text);
    QVERIFY(waitLoaded(chart.get()));
    QCOMPARE(chart->total(), 4);
    QCOMPARE(chart->count(55, DeliveryChartModel::Succeeded), 4);
}

void TestDeliveryChartModel::newAttemptsAreCountedAgain()
{
    auto chart = makeChart(DeliveryChartModel::Range::LastHour);
    chart->setActive(true);
    QVERIFY(waitLoaded(chart.get()));
    QCOMPARE(chart->total(), 11);
    addAttempt(m_hookA, at(12, 33, 0), QStringLiteral("failed"));
    QSignalSpy loaded(chart.get(), &DeliveryChartModel::loaded);
    m_log->refresh(); // the new row reaches the log, and the chart reads again soon
    QVERIFY(loaded.wait(DeliveryChartModel::ThrottleMs + 5000));
    QCOMPARE(chart->count(58, DeliveryChartModel::Failed), 1);
    QCOMPARE(chart->total(), 12);
}

void TestDeliveryChartModel::inactiveModelReadsNothing()
{
    auto chart = makeChart(DeliveryChartModel::Range::LastHour);
    QSignalSpy loaded(chart.get(), &DeliveryChartModel::loaded);
    chart->reload();
    m_log->setFilter({});
    QVERIFY(!loaded.wait(500));
    QVERIFY(!chart->hasLoaded());
    QCOMPARE(chart->total(), 0);
}

QTEST_GUILESS_MAIN(TestDeliveryChartModel)
#include "tst_delivery_chart_model.moc"
