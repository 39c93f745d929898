// B11: the chart above the delivery log over 1,000,000 attempts.
//   bench_chart --db FILE   (made by generate_log_db: attempts over the last 7 days)
// Shows the chart (its view, over the log model, as the log pane wires it)
// and measures, per range, the time from showing it (or choosing the range)
// to the chart drawn with its counts, and the longest gap of a 5 ms heartbeat
// timer on the GUI thread meanwhile (a stall). Also the aggregate query alone,
// and the longest stall of the whole log pane in its first 1.5 s, which holds
// the pane's own work besides the chart (the Redeliver Failed count).
// Run with QT_QPA_PLATFORM=offscreen (run_benchmarks.sh sets it).

#include "bench_report.h"
#include "delivery/delivery_store.h"
#include "delivery_chart_view.h"
#include "delivery_log_pane.h"
#include "items/delivery_chart_model.h"
#include "items/delivery_log_model.h"
#include "store/database.h"
#include "store/hook_store.h"

#include <QAction>
#include <QApplication>
#include <QChartView>
#include <QComboBox>
#include <QElapsedTimer>
#include <QLabel>
#include <QSettings>
#include <QStandardPaths>
#include <QTimer>
#include <cstdio>

namespace {

QString option(const QString &name, const QString &fallback = {})
{
    const QStringList args = QCoreApplication::arguments();
    const qsizetype at = args.indexOf(name);
    return at > 0 ? args.value(at + 1) : fallback;
}

// The longest gap between two ticks of a fast timer: how long the GUI
// thread was busy elsewhere.
class Heartbeat final
{
public:
    Heartbeat()
    {
        m_timer.setTimerType(Qt::PreciseTimer);
        m_timer.setInterval(5);
        QObject::connect(&m_timer, &QTimer::timeout, [this] {
            const qint64 now = m_clock.nsecsElapsed();
            m_longestNs = std::max(m_longestNs, now - m_lastNs);
            m_lastNs = now;
        });
    }
    void start()
    {
        m_longestNs = 0;
        m_clock.start();
        m_lastNs = 0;
        m_timer.start();
    }
    // The longest gap so far, counting the one still open.
    double longestMs() const
    {
        return double(std::max(m_longestNs, m_clock.nsecsElapsed() - m_lastNs)) / 1e6;
    }

private:
    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_lastNs = 0;
    qint64 m_longestNs = 0;
};

// Waits for the chart's counts, then draws it; the time to that, in ms.
double untilDrawn(DeliveryChartView *chart, const QElapsedTimer &clock, bool *ok)
{
    QElapsedTimer wait;
    wait.start();
    while (chart->model()->isLoading() || !chart->model()->hasLoaded()) {
        if (wait.elapsed() > 60000) {
            *ok = false;
            return -1;
        }
        QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 5);
    }
    chart->chartView()->viewport()->repaint();
    *ok = chart->model()->error().isEmpty() && chart->model()->total() > 0;
    return double(clock.nsecsElapsed()) / 1e6;
}

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QStandardPaths::setTestModeEnabled(true);
    const QString path = option(QStringLiteral("--db"));
    if (path.isEmpty()) {
        std::fprintf(stderr, "bench_chart: --db FILE (made by generate_log_db)\n");
        return 1;
    }
    // The chart open (it starts folded for a new user), on the last 24 hours.
    QSettings(QStringLiteral("webhook-admin"), QStringLiteral("webhook-admin")).clear();
    QSettings(QStringLiteral("webhook-admin"), QStringLiteral("webhook-admin"))
        .setValue(QStringLiteral("deliveryLog/chartExpanded"), true);

    Database database;
    if (const auto error = database.open(path)) {
        BenchReport::note(error->message);
        return 1;
    }
    HookStore hooks(&database);
    DeliveryStore deliveries(&database);

    // The aggregate alone, for the reader: all 7 days, hourly buckets.
    {
        QElapsedTimer query;
        query.start();
        const qint64 hour = DeliveryChartModel::bucketMsFor(DeliveryChartModel::Range::Last7Days);
        const qint64 end = (QDateTime::currentMSecsSinceEpoch() / hour + 1) * hour;
        const Result<QList<AttemptBucket>> buckets = deliveries.attemptBuckets(
            {}, QDateTime::fromMSecsSinceEpoch(end - 168 * hour, Qt::UTC), hour, 168);
        if (!buckets) {
            BenchReport::note(buckets.error().message);
            return 1;
        }
        qint64 total = 0;
        for (const AttemptBucket &b : buckets.value())
            total += b.count;
        BenchReport::note(QStringLiteral("7-day aggregate: %1 attempts in %2 ms")
                              .arg(total)
                              .arg(double(query.nsecsElapsed()) / 1e6));
        BenchReport::metric(QStringLiteral("chart_query_7d_ms"), double(query.nsecsElapsed()) / 1e6,
                            QStringLiteral("ms"));
    }

    DeliveryLogModel log(&deliveries, &hooks);
    DeliveryChartModel chartModel(&log);
    DeliveryChartView view(&chartModel);
    view.resize(1100, 200);
    DeliveryChartView *chart = &view;
    Heartbeat heartbeat;
    bool ok = true;

    // The chart appears: it reads the last 24 hours.
    QElapsedTimer clock;
    heartbeat.start();
    clock.start();
    view.show();
    const double first24h = untilDrawn(chart, clock, &ok);
    const double stall24h = heartbeat.longestMs();
    if (!ok) {
        BenchReport::note(
            QStringLiteral("the 24-hour chart did not load: %1").arg(chart->model()->error()));
        return 1;
    }
    BenchReport::note(QStringLiteral("24 h: %1 attempts, drawn after %2 ms, longest stall %3 ms")
                          .arg(chart->model()->total())
                          .arg(first24h)
                          .arg(stall24h));
    BenchReport::metric(QStringLiteral("chart_first_24h_ms"), first24h, QStringLiteral("ms"));
    BenchReport::metric(QStringLiteral("chart_stall_24h_ms"), stall24h, QStringLiteral("ms"));

    // All of them: the last 7 days.
    QCoreApplication::processEvents();
    heartbeat.start();
    clock.start();
    chart->rangeCombo()->setCurrentIndex(
        chart->rangeCombo()->findData(int(DeliveryChartModel::Range::Last7Days)));
    const double first7d = untilDrawn(chart, clock, &ok);
    const double stall7d = heartbeat.longestMs();
    if (!ok) {
        BenchReport::note(
            QStringLiteral("the 7-day chart did not load: %1").arg(chart->model()->error()));
        return 1;
    }
    BenchReport::note(QStringLiteral("7 d: %1 attempts, drawn after %2 ms, longest stall %3 ms")
                          .arg(chart->model()->total())
                          .arg(first7d)
                          .arg(stall7d));
    BenchReport::metric(QStringLiteral("chart_first_7d_ms"), first7d, QStringLiteral("ms"));
    BenchReport::metric(QStringLiteral("chart_stall_7d_ms"), stall7d, QStringLiteral("ms"));
    view.hide();

    // The whole pane as the window shows it, chart open, for 1.5 s, then
    // the filters a user picks.
    {
        QElapsedTimer construct;
        construct.start();
        DeliveryLogPane pane(&deliveries, &hooks);
        BenchReport::metric(QStringLiteral("chart_pane_construct_ms"),
                            double(construct.nsecsElapsed()) / 1e6, QStringLiteral("ms"));
        pane.resize(1100, 700);
        heartbeat.start();
        clock.start();
        pane.show();
        while (clock.elapsed() < 1500)
            QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 5);
        const double paneStall = heartbeat.longestMs();
        BenchReport::note(QStringLiteral("the log pane's first 1.5 s: longest stall %1 ms (its "
                                         "chart drawn: %2)")
                              .arg(paneStall)
                              .arg(pane.chart()->model()->hasLoaded() ? QStringLiteral("yes")
                                                                      : QStringLiteral("no")));
        BenchReport::metric(QStringLiteral("chart_pane_stall_ms"), paneStall, QStringLiteral("ms"));

        // The Failed filter, then one webhook: the log's first page is read
        // at once (an index), the match and Redeliver Failed counts on the
        // reader thread, which used to take the GUI thread 1.1-1.8 s.
        QAction *redeliverFailed = pane.redeliverFailedAction();
        auto *outcome = pane.findChild<QComboBox *>(QStringLiteral("outcomeFilter"));
        auto *hook = pane.findChild<QComboBox *>(QStringLiteral("hookFilter"));
        if (!outcome || !hook || hook->count() < 2) {
            BenchReport::note(QStringLiteral("no filters to choose"));
            return 1;
        }
        heartbeat.start();
        clock.start();
        outcome->setCurrentIndex(outcome->findData(int(AttemptOutcome::Failed)));
        // Shown when the counts arrive (hidden while a filter's are read).
        auto *matches = pane.findChild<QLabel *>(QStringLiteral("matchCount"));
        const auto counted = [&] {
            return matches && !matches->isHidden();
        };
        while (!counted() && clock.elapsed() < 30000)
            QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 5);
        const double failedCounted = double(clock.nsecsElapsed()) / 1e6;
        const QString failedTexts = redeliverFailed->text() + QStringLiteral(", ") +
                                    (matches ? matches->text() : QString());
        hook->setCurrentIndex(1);
        const qint64 hookChosen = clock.nsecsElapsed();
        while (!counted() && clock.elapsed() < 60000)
            QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 5);
        const double hookCounted = double(clock.nsecsElapsed() - hookChosen) / 1e6;
        const double filterStall = heartbeat.longestMs();
        BenchReport::note(QStringLiteral("filters: failed count shown after %1 ms (%2), one "
                                         "webhook's after %3 ms; longest stall %4 ms")
                              .arg(failedCounted)
                              .arg(failedTexts)
                              .arg(hookCounted)
                              .arg(filterStall));
        BenchReport::metric(QStringLiteral("count_failed_shown_ms"), failedCounted,
                            QStringLiteral("ms"));
        BenchReport::metric(QStringLiteral("count_filter_stall_ms"), filterStall,
                            QStringLiteral("ms"));
    }
    return 0;
}
