// B11: the chart above the delivery log over 1,000,000 attempts.
//   bench_chart --db FILE [--trace]  (made by generate_log_db: attempts over the last 7 days)
// Shows the chart (its view, over the log model, as the log pane wires it)
// and measures, per range, the time from showing it (or choosing the range)
// to the chart drawn with its counts, and the longest gap of a 5 ms heartbeat
// timer on the GUI thread meanwhile (a stall). Also the aggregate query alone,
// and the whole log pane opening with its chart open: its first paint, the
// chart drawn, its counts, and the longest stall until all of that and at
// least 1.5 s have passed. --trace lists the events (nested ones indented)
// that took 1 ms or more during the pane's longest stall.
// Run with QT_QPA_PLATFORM=offscreen (run_benchmarks.sh sets it).

#include "bench_report.h"
#include "delivery/delivery_store.h"
#include "delivery_chart_view.h"
#include "delivery_log_pane.h"
#include "items/delivery_chart_model.h"
#include "items/delivery_log_model.h"
#include "store/database.h"
#include "store/hook_store.h"
#include "timed_application.h"

#include <QAction>
#include <QApplication>
#include <QChartView>
#include <QComboBox>
#include <QElapsedTimer>
#include <QLabel>
#include <QSettings>
#include <QStandardPaths>
#include <QTimer>
#include <QWindow>
#include <cstdio>
#include <ctime>
#include <functional>

namespace {

QString option(const QString &name, const QString &fallback = {})
{
    const QStringList args = QCoreApplication::arguments();
    const qsizetype at = args.indexOf(name);
    return at > 0 ? args.value(at + 1) : fallback;
}

// The GUI thread's own CPU time so far: a stall on a busy machine is longer
// than the work in it, and this says how much of it was work.
qint64 threadCpuNs()
{
    timespec now{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
    return qint64(now.tv_sec) * 1000000000 + now.tv_nsec;
}

// The longest gap between two ticks of a fast timer: how long the GUI
// thread was busy elsewhere, when (on clock()), and its CPU time meanwhile.
class Heartbeat final
{
public:
    Heartbeat()
    {
        m_timer.setTimerType(Qt::PreciseTimer);
        m_timer.setInterval(5);
        QObject::connect(&m_timer, &QTimer::timeout, [this] { tick(); });
    }
    void start()
    {
        m_longestNs = 0;
        m_longestFromNs = 0;
        m_longestCpuNs = 0;
        m_clock.start();
        m_lastNs = 0;
        m_lastCpuNs = threadCpuNs();
        m_timer.start();
    }
    const QElapsedTimer &clock() const { return m_clock; }
    // The longest gap so far, counting the one still open.
    double longestMs() const
    {
        return double(std::max(m_longestNs, m_clock.nsecsElapsed() - m_lastNs)) / 1e6;
    }
    // The GUI thread's CPU time in the longest gap (the closed one, or the
    // one still open when it is the longest).
    double longestCpuMs() const
    {
        if (m_clock.nsecsElapsed() - m_lastNs > m_longestNs)
            return double(threadCpuNs() - m_lastCpuNs) / 1e6;
        return double(m_longestCpuNs) / 1e6;
    }
    // Where the longest closed gap began and ended.
    qint64 longestFromNs() const { return m_longestFromNs; }
    qint64 longestToNs() const { return m_longestFromNs + m_longestNs; }

private:
    void tick()
    {
        const qint64 now = m_clock.nsecsElapsed();
        const qint64 cpu = threadCpuNs();
        if (now - m_lastNs > m_longestNs) {
            m_longestNs = now - m_lastNs;
            m_longestFromNs = m_lastNs;
            m_longestCpuNs = cpu - m_lastCpuNs;
        }
        m_lastNs = now;
        m_lastCpuNs = cpu;
    }

    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_lastNs = 0;
    qint64 m_lastCpuNs = 0;
    qint64 m_longestNs = 0;
    qint64 m_longestFromNs = 0;
    qint64 m_longestCpuNs = 0;
};

// When the first event of a type that `ready` allows has been handled (not
// when it began): the event is delivered from inside the filter, then timed.
// A widget's Paint, or the Expose that paints a whole window at once.
class FinishedEvent final : public QObject
{
public:
    FinishedEvent(
        QObject *target, QEvent::Type type, const QElapsedTimer *clock,
        std::function<bool()> ready = [] { return true; })
        : m_type(type)
        , m_clock(clock)
        , m_ready(std::move(ready))
    {
        target->installEventFilter(this);
    }
    // -1 until then.
    qint64 doneNs() const { return m_doneNs; }
    double doneMs() const { return double(m_doneNs) / 1e6; }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() != m_type || m_inside || m_doneNs >= 0 || !m_ready())
            return QObject::eventFilter(watched, event);
        m_inside = true;
        QCoreApplication::sendEvent(watched, event);
        m_inside = false;
        m_doneNs = m_clock->nsecsElapsed();
        return true; // delivered
    }

private:
    const QEvent::Type m_type;
    const QElapsedTimer *m_clock;
    std::function<bool()> m_ready;
    bool m_inside = false;
    qint64 m_doneNs = -1;
};

// The slow events (nested ones indented) during the longest stall.
void noteStallEvents(const TimedApplication &app, const Heartbeat &heartbeat)
{
    const QList<TimedApplication::Slow> slow =
        app.slowEventsBetween(heartbeat.longestFromNs(), heartbeat.longestToNs());
    BenchReport::note(QStringLiteral("  longest stall %1-%2 ms after show(), events >= 1 ms in it:")
                          .arg(double(heartbeat.longestFromNs()) / 1e6, 0, 'f', 1)
                          .arg(double(heartbeat.longestToNs()) / 1e6, 0, 'f', 1));
    for (const TimedApplication::Slow &event : slow)
        BenchReport::note(QStringLiteral("  %1%2 ms at %3: %4")
                              .arg(QString(event.depth * 2, QLatin1Char(' ')))
                              .arg(double(event.durationNs) / 1e6, 0, 'f', 1)
                              .arg(double(event.startNs) / 1e6, 0, 'f', 1)
                              .arg(event.what));
}

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
    TimedApplication app(argc, argv);
    // Lists the slow events of the pane's longest stall.
    const bool trace = QCoreApplication::arguments().contains(QStringLiteral("--trace"));
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

    // The whole pane as a window of its own, chart open on the last 24 hours
    // (a new user's range), from show() until all of it has happened: the
    // window's first paint (every part of it, in the one Expose that paints
    // it), the chart drawn with its counts, the Redeliver Failed count read,
    // and 1.5 s at least. The longest stall is over all of that. Built
    // before show(), as the window builds it before it appears (B6 times
    // that); chart_pane_construct_ms says how long.
    QSettings(QStringLiteral("webhook-admin"), QStringLiteral("webhook-admin"))
        .setValue(QStringLiteral("deliveryLog/chartRange"),
                  int(DeliveryChartModel::Range::Last24Hours));
    {
        QElapsedTimer construct;
        construct.start();
        DeliveryLogPane pane(&deliveries, &hooks);
        BenchReport::metric(QStringLiteral("chart_pane_construct_ms"),
                            double(construct.nsecsElapsed()) / 1e6, QStringLiteral("ms"));
        pane.resize(1100, 700);
        (void)pane.winId(); // its window exists, to be watched; it appears at show()
        DeliveryChartModel *paneChart = pane.chart()->model();
        const QElapsedTimer &since = heartbeat.clock();
        FinishedEvent windowPainted(pane.windowHandle(), QEvent::Expose, &since);
        FinishedEvent chartDrawn(
            pane.chart()->chartView()->viewport(), QEvent::Paint, &since,
            [paneChart] { return paneChart->hasLoaded() && !paneChart->isLoading(); });
        qint64 countedNs = -1;
        QObject::connect(pane.model(), &DeliveryLogModel::countsRead, &pane, [&] {
            if (countedNs < 0)
                countedNs = since.nsecsElapsed();
        });
        heartbeat.start();
        if (trace)
            app.startTracing(&since, 1);
        pane.show();
        const auto opened = [&] {
            return windowPainted.doneNs() >= 0 && chartDrawn.doneNs() >= 0 && countedNs >= 0;
        };
        while ((!opened() || since.elapsed() < 1500) && since.elapsed() < 60000)
            QCoreApplication::processEvents(QEventLoop::WaitForMoreEvents, 5);
        const double paneStall = heartbeat.longestMs();
        const double paneStallCpu = heartbeat.longestCpuMs();
        const qint64 watchedNs = since.nsecsElapsed();
        app.stopTracing();
        if (!opened()) {
            BenchReport::note(QStringLiteral("the log pane did not open in 60 s (painted %1, "
                                             "chart %2, counts %3)")
                                  .arg(windowPainted.doneMs())
                                  .arg(chartDrawn.doneMs())
                                  .arg(double(countedNs) / 1e6));
            return 1;
        }
        BenchReport::note(QStringLiteral("the log pane: painted after %1 ms, its chart drawn "
                                         "with %2 attempts after %3 ms, the Redeliver Failed "
                                         "count read after %4 ms; longest stall in its first "
                                         "%5 ms: %6 ms (GUI thread's CPU in it: %7 ms)")
                              .arg(windowPainted.doneMs())
                              .arg(paneChart->total())
                              .arg(chartDrawn.doneMs())
                              .arg(double(countedNs) / 1e6)
                              .arg(double(watchedNs) / 1e6)
                              .arg(paneStall)
                              .arg(paneStallCpu));
        if (trace)
            noteStallEvents(app, heartbeat);
        BenchReport::metric(QStringLiteral("chart_pane_painted_ms"), windowPainted.doneMs(),
                            QStringLiteral("ms"));
        BenchReport::metric(QStringLiteral("chart_pane_first_ms"), chartDrawn.doneMs(),
                            QStringLiteral("ms"));
        BenchReport::metric(QStringLiteral("chart_pane_counted_ms"), double(countedNs) / 1e6,
                            QStringLiteral("ms"));
        BenchReport::metric(QStringLiteral("chart_pane_stall_ms"), paneStall, QStringLiteral("ms"));
        BenchReport::metric(QStringLiteral("chart_pane_stall_cpu_ms"), paneStallCpu,
                            QStringLiteral("ms"));

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
