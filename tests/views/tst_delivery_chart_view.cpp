#include "delivery/delivery_store.h"
#include "delivery_chart_view.h"
#include "delivery_log_pane.h"
#include "items/delivery_chart_model.h"
#include "items/delivery_log_model.h"
#include "store/database.h"
#include "store/hook_store.h"

#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QHeaderView>
#include <QLabel>
#include <QSettings>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>
#include <QValueAxis>
#include <memory>

// The chart above the log, offscreen over a real SQLite file: a click on a
// bar is the log's time filter, the range and the collapsed state are kept,
// an empty range says so, and new attempts reach it.
class TestDeliveryChartView : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void clickingABarFiltersTheLogToItsBucket();
    void rangeAndAxisTitleFollowTheSelector();
    void emptyRangeSaysSo();
    void collapsedChartIsRememberedAndReadsNothing();
    void newAttemptsUpdateTheChart();
    void chartStartsClosedAndOpensWithItsOwnRoom();

private:
    qint64 addAttempt(const QDateTime &time, const QString &outcome);
    void makePane();
    bool waitLoaded();

    // 12:34:56 local time; the last hour runs from 11:35 to 12:35.
    const QDateTime m_now = QDateTime(QDate(2026, 1, 10), QTime(12, 34, 56));
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Database> m_db;
    std::unique_ptr<HookStore> m_hooks;
    std::unique_ptr<DeliveryStore> m_store;
    std::unique_ptr<DeliveryLogPane> m_pane;
    qint64 m_hook = 0;
};

void TestDeliveryChartView::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
}

void TestDeliveryChartView::init()
{
    QSettings settings(QStringLiteral("webhook-admin"), QStringLiteral("webhook-admin"));
    settings.clear();
    // Open, as the user left it (it starts closed: see the last test).
    settings.setValue(QStringLiteral("deliveryLog/chartExpanded"), true);
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_db = std::make_unique<Database>();
    QVERIFY(!m_db->open(m_dir->filePath(QStringLiteral("log.sqlite"))));
    m_hooks = std::make_unique<HookStore>(m_db.get());
    m_store = std::make_unique<DeliveryStore>(m_db.get());
    Webhook hook;
    hook.url = QStringLiteral("https://a.example/hook");
    Result<Webhook> saved = m_hooks->saveHook(hook);
    QVERIFY(saved);
    m_hook = saved->id;
}

void TestDeliveryChartView::cleanup()
{
    m_pane.reset();
    m_store.reset();
    m_hooks.reset();
    m_db.reset();
    m_dir.reset();
}

qint64 TestDeliveryChartView::addAttempt(const QDateTime &time, const QString &outcome)
{
    const EventCatalog catalog = m_hooks->catalog();
    Result<EmitResult> sent =
        m_store->enqueueTest(catalog, m_hook, EventCatalog::PingKey, std::nullopt,
                             catalog.samplePayload(EventCatalog::PingKey), time);
    if (!sent)
        return 0;
    const qint64 id = sent->attemptIds.constFirst();
    QSqlQuery query(m_db->connection());
    query.prepare(QStringLiteral("UPDATE attempts SET created_at = ?, outcome = ? WHERE id = ?"));
    query.addBindValue(time.toMSecsSinceEpoch());
    query.addBindValue(outcome);
    query.addBindValue(id);
    return query.exec() ? id : 0;
}

void TestDeliveryChartView::makePane()
{
    m_pane = std::make_unique<DeliveryLogPane>(m_store.get(), m_hooks.get());
    m_pane->model()->setPollInterval(0);
    m_pane->chart()->model()->setClock([this] { return m_now.toUTC(); });
    m_pane->resize(1100, 600);
}

bool TestDeliveryChartView::waitLoaded()
{
    DeliveryChartModel *model = m_pane->chart()->model();
    QSignalSpy loaded(model, &DeliveryChartModel::loaded);
    return model->isLoading() ? loaded.wait(10000) : model->hasLoaded();
}

void TestDeliveryChartView::clickingABarFiltersTheLogToItsBucket()
{
    // 12:30 is the last hour's bucket 55; 12:00 bucket 25.
    const QDateTime half = QDateTime(m_now.date(), QTime(12, 30, 10));
    const qint64 inBucket1 = addAttempt(half, QStringLiteral("succeeded"));
    const qint64 inBucket2 = addAttempt(half.addSecs(20), QStringLiteral("failed"));
    const qint64 outside =
        addAttempt(QDateTime(m_now.date(), QTime(12, 0, 5)), QStringLiteral("failed"));
    QVERIFY(inBucket1 && inBucket2 && outside);

    makePane();
    DeliveryChartView *chart = m_pane->chart();
    chart->rangeCombo()->setCurrentIndex(
        chart->rangeCombo()->findData(int(DeliveryChartModel::Range::LastHour)));
    m_pane->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_pane.get()));
    QVERIFY(waitLoaded());
    QCOMPARE(chart->model()->count(55, DeliveryChartModel::Succeeded), 1);
    QCOMPARE(chart->model()->count(55, DeliveryChartModel::Failed), 1);
    QCOMPARE(chart->model()->count(25, DeliveryChartModel::Failed), 1);
    QVERIFY(chart->chartView()->isVisible());
    QCOMPARE(m_pane->model()->rowCount(), 3);

    // The real view, the real click: on bar 55's stack.
    QTest::qWait(50); // the chart lays out its plot area after the first paint
    QTest::mouseClick(chart->chartView()->viewport(), Qt::LeftButton, {}, chart->barPosition(55));
    const LogFilter filter = m_pane->filter();
    QCOMPARE(filter.since, QDateTime(m_now.date(), QTime(12, 30)).toUTC());
    QCOMPARE(filter.until, QDateTime(m_now.date(), QTime(12, 31)).toUTC());
    auto *time = m_pane->findChild<QComboBox *>(QStringLiteral("timeFilter"));
    QVERIFY(time);
    QCOMPARE(time->currentText(), QStringLiteral("From/To…"));
    QTRY_COMPARE(m_pane->model()->rowCount(), 2);
    QVERIFY(m_pane->model()->rowOfAttempt(outside) < 0);

    // The chart keeps its range: the time filter is what a bar sets.
    QVERIFY(waitLoaded());
    QCOMPARE(chart->model()->count(25, DeliveryChartModel::Failed), 1);
}

void TestDeliveryChartView::rangeAndAxisTitleFollowTheSelector()
{
    addAttempt(m_now.addSecs(-3 * 24 * 3600), QStringLiteral("succeeded"));
    makePane();
    m_pane->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_pane.get()));
    DeliveryChartView *chart = m_pane->chart();
    // The last 24 hours by default, in 15-minute bars.
    QCOMPARE(chart->model()->range(), DeliveryChartModel::Range::Last24Hours);
    QVERIFY(waitLoaded());
    QCOMPARE(chart->model()->total(), 0);
    const auto *count = qobject_cast<QValueAxis *>(chart->chart()->axes(Qt::Vertical).value(0));
    QVERIFY(count);
    QCOMPARE(count->titleText(), QStringLiteral("per 15 min"));

    chart->rangeCombo()->setCurrentIndex(
        chart->rangeCombo()->findData(int(DeliveryChartModel::Range::Last7Days)));
    QVERIFY(waitLoaded());
    QCOMPARE(chart->model()->rowCount(), 168);
    QCOMPARE(chart->model()->total(), 1);
    QCOMPARE(count->titleText(), QStringLiteral("per hour"));

    // Remembered for the next window.
    m_pane.reset();
    makePane();
    QCOMPARE(m_pane->chart()->model()->range(), DeliveryChartModel::Range::Last7Days);
}

void TestDeliveryChartView::emptyRangeSaysSo()
{
    makePane();
    m_pane->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_pane.get()));
    QVERIFY(waitLoaded());
    auto *empty = m_pane->findChild<QLabel *>(QStringLiteral("chartEmpty"));
    QVERIFY(empty);
    QTRY_VERIFY(empty->isVisible());
    QVERIFY(!m_pane->chart()->chartView()->isVisible());
    QCOMPARE(empty->text(), QStringLiteral("No attempts in this range match the log's filters."));
}

void TestDeliveryChartView::collapsedChartIsRememberedAndReadsNothing()
{
    addAttempt(m_now.addSecs(-60), QStringLiteral("succeeded"));
    makePane();
    m_pane->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_pane.get()));
    QVERIFY(waitLoaded());
    DeliveryChartView *chart = m_pane->chart();
    const int expandedHeight = chart->height();
    QTest::mouseClick(chart->expandButton(), Qt::LeftButton);
    QVERIFY(!chart->isExpanded());
    QVERIFY(!chart->chartView()->isVisible());
    QVERIFY(!chart->model()->isActive());
    // Its header stays in the filter bar, the bars go.
    QTRY_VERIFY(!chart->isVisible());
    QVERIFY(chart->expandButton()->isVisible());
    QVERIFY(expandedHeight > 0);

    // The next window starts collapsed, and reads nothing until opened.
    m_pane.reset();
    makePane();
    m_pane->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_pane.get()));
    chart = m_pane->chart();
    QVERIFY(!chart->isExpanded());
    QVERIFY(!chart->model()->isLoading());
    QVERIFY(!chart->model()->hasLoaded());
    QTest::mouseClick(chart->expandButton(), Qt::LeftButton);
    QVERIFY(chart->model()->isActive());
    QVERIFY(waitLoaded());
    QCOMPARE(chart->model()->total(), 1);
}

void TestDeliveryChartView::newAttemptsUpdateTheChart()
{
    makePane();
    m_pane->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_pane.get()));
    QVERIFY(waitLoaded());
    QCOMPARE(m_pane->chart()->model()->total(), 0);
    addAttempt(m_now.addSecs(-30), QStringLiteral("failed"));
    m_pane->refresh();
    // Throttled: at most one read every ThrottleMs while attempts arrive.
    QTRY_COMPARE_WITH_TIMEOUT(m_pane->chart()->model()->total(), 1,
                              DeliveryChartModel::ThrottleMs + 5000);
    QTRY_VERIFY(m_pane->chart()->chartView()->isVisible());
}

void TestDeliveryChartView::chartStartsClosedAndOpensWithItsOwnRoom()
{
    // Closed at first: the window's default size gives the log a few rows.
    // Its switch is in sight, and opened, the chart asks for its own height
    // instead of taking the log's rows.
    QSettings(QStringLiteral("webhook-admin"), QStringLiteral("webhook-admin")).clear();
    addAttempt(m_now.addSecs(-60), QStringLiteral("succeeded"));
    makePane();
    m_pane->resize(1100, 200);
    m_pane->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_pane.get()));
    DeliveryChartView *chart = m_pane->chart();
    QVERIFY(!chart->isExpanded());
    QVERIFY(!chart->isVisible());
    QVERIFY(chart->expandButton()->isVisible());
    QVERIFY(!chart->model()->isActive());
    QVERIFY(!chart->model()->hasLoaded());
    const int closedMinimum = m_pane->minimumSizeHint().height();

    QTest::mouseClick(chart->expandButton(), Qt::LeftButton);
    QVERIFY(chart->isVisible());
    QVERIFY(chart->model()->isActive());
    QVERIFY(waitLoaded());
    QCOMPARE(chart->model()->total(), 1);
    // The pane asks for the bars' room (the window's splitter gives it).
    QTRY_VERIFY2(m_pane->minimumSizeHint().height() >
                     closedMinimum + chart->fontMetrics().lineSpacing() * 2,
                 qPrintable(QStringLiteral("minimum %1 px, closed %2 px")
                                .arg(m_pane->minimumSizeHint().height())
                                .arg(closedMinimum)));
    // At that minimum the bars and the log's rows both show.
    m_pane->resize(1100, m_pane->minimumSizeHint().height());
    QTRY_VERIFY(chart->chartView()->isVisible());
    QTRY_VERIFY(m_pane->table()->viewport()->height() >=
                m_pane->table()->verticalHeader()->defaultSectionSize() *
                    DeliveryLogPane::MinimumRows);
    QVERIFY(chart->chartView()->height() >= chart->fontMetrics().lineSpacing() * 4);
}

QTEST_MAIN(TestDeliveryChartView)
#include "tst_delivery_chart_view.moc"
