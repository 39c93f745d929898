// B4 and B5: the main window's delivery log pane.
//   bench_gui log --db FILE        B4: first page, jump to the oldest row,
//                                  "failed" filter, text filter, peak RSS
//   bench_gui live [--seconds 10] [--extra-hooks N]  B5: GUI event-loop stalls and how soon a
//                                  recorded attempt shows while the engine
//                                  records >= 1,000 attempts per second
// Run with QT_QPA_PLATFORM=offscreen (run_benchmarks.sh sets it).

#include "bench_report.h"
#include "delivery/delivery_store.h"
#include "delivery/engine_host.h"
#include "delivery_log_pane.h"
#include "items/delivery_log_model.h"
#include "main_window.h"
#include "paint_probe.h"
#include "receiver_process.h"
#include "store/database.h"
#include "store/hook_store.h"

#include <QApplication>
#include <QComboBox>
#include <QElapsedTimer>
#include <QHeaderView>
#include <QLineEdit>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QTimer>
#include <algorithm>
#include <cstdio>
#include <memory>

namespace {

QString option(const QString &name, const QString &fallback = {})
{
    const QStringList args = QCoreApplication::arguments();
    const qsizetype at = args.indexOf(name);
    return at > 0 ? args.value(at + 1) : fallback;
}

// Processes events until `done` holds; false after `timeoutMs`.
template <typename Predicate>
bool waitUntil(Predicate done, int timeoutMs)
{
    QElapsedTimer clock;
    clock.start();
    while (!done()) {
        if (clock.elapsed() > timeoutMs)
            return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
    }
    return true;
}

// When a timer fires, before its slots run.
class TimerProbe final : public QObject
{
public:
    TimerProbe(QObject *timer, const QElapsedTimer *clock)
        : m_clock(clock)
    {
        timer->installEventFilter(this);
    }
    qint64 lastNs() const { return m_lastNs; }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::Timer)
            m_lastNs = m_clock->nsecsElapsed();
        return QObject::eventFilter(watched, event);
    }

private:
    const QElapsedTimer *m_clock;
    qint64 m_lastNs = -1;
};

double ms(qint64 ns)
{
    return ns / 1e6;
}

int logPane()
{
    const QString path = option(QStringLiteral("--db"));
    if (path.isEmpty()) {
        std::fprintf(stderr, "bench_gui log: --db FILE (made by generate_log_db)\n");
        return 1;
    }
    QElapsedTimer clock;
    clock.start();
    // As runGui does.
    Database database;
    if (const auto error = database.open(path)) {
        BenchReport::note(error->message);
        return 1;
    }
    HookStore store(&database);
    DeliveryStore deliveries(&database);
    EngineHost service(database.path());
    const qint64 opened = clock.nsecsElapsed();
    if (QCoreApplication::arguments().contains(QStringLiteral("--diagnose"))) {
        QElapsedTimer t;
        t.start();
        (void)store.hooks();
        BenchReport::note(QStringLiteral("hooks() %1 ms").arg(t.restart()));
        (void)deliveries.recentOutcomes(10);
        BenchReport::note(QStringLiteral("recentOutcomes %1 ms").arg(t.restart()));
        {
            DeliveryLogModel model(&deliveries, &store);
            BenchReport::note(QStringLiteral("log model %1 ms").arg(t.restart()));
        }
        {
            DeliveryLogPane pane(&deliveries, &store);
            BenchReport::note(QStringLiteral("log pane %1 ms").arg(t.restart()));
        }
    }
    MainWindow window(&store, database.path());
    const qint64 constructed = clock.nsecsElapsed();
    window.setDeliveryService(&service, &deliveries);
    const qint64 wired = clock.nsecsElapsed();
    BenchReport::note(QStringLiteral("b4: database open %1 ms, window %2 ms, log pane and hook "
                                     "outcomes %3 ms")
                          .arg(ms(opened), 0, 'f', 1)
                          .arg(ms(constructed - opened), 0, 'f', 1)
                          .arg(ms(wired - constructed), 0, 'f', 1));
    DeliveryLogPane *pane = window.logPane();
    QTableView *table = pane->table();
    DeliveryLogModel *model = pane->model();
    PaintProbe probe(table->viewport(), &clock);
    window.show();
    QTimer::singleShot(0, &service, &EngineHost::start);

    // 1. The first painted page.
    if (!waitUntil([&] { return probe.paints() > 0 && model->rowCount() > 0; }, 30000)) {
        BenchReport::note(QStringLiteral("the log never painted a page"));
        return 1;
    }
    BenchReport::metric(QStringLiteral("b4_first_page_ms"), ms(probe.lastPaintNs()),
                        QStringLiteral("ms"));
    waitUntil([] { return false; }, 300); // let it settle

    qint64 oldest = 0;
    {
        QSqlQuery query(database.connection());
        if (query.exec(QStringLiteral("SELECT min(id) FROM attempts")) && query.next())
            oldest = query.value(0).toLongLong();
    }

    // 2. Jump to the oldest row: a click on the Time header puts the oldest
    // attempt first. (Ctrl+End only reaches the last row held: the model
    // fetches page by page, 5,000 pages for a million rows.)
    QHeaderView *header = table->horizontalHeader();
    const QPoint timeHeader(header->sectionViewportPosition(DeliveryLogModel::Time) + 5,
                            header->height() / 2);
    qint64 start = clock.nsecsElapsed();
    QTest::mouseClick(header->viewport(), Qt::LeftButton, {}, timeHeader);
    const auto showsOldest = [&] {
        return model->rowCount() > 0 && model->attemptAt(0).id == oldest &&
               probe.lastPaintNs() > start;
    };
    const bool reached = waitUntil(showsOldest, 10000);
    if (!reached)
        BenchReport::note(QStringLiteral("jump: the oldest row did not show in 10 s"));
    BenchReport::metric(QStringLiteral("b4_jump_ms"), ms(probe.lastPaintNs() - start),
                        QStringLiteral("ms"));
    BenchReport::metric(QStringLiteral("b4_jump_reached"), reached ? 1 : 0, QStringLiteral("bool"));
    // Back to newest first, as the filters are usually used.
    QTest::mouseClick(header->viewport(), Qt::LeftButton, {}, timeHeader);
    waitUntil([&] { return !model->isOldestFirst() && model->rowCount() > 0; }, 10000);
    waitUntil([] { return false; }, 200);

    // 3. The "failed" filter.
    auto *outcome = pane->findChild<QComboBox *>(QStringLiteral("outcomeFilter"));
    const int failedIndex = outcome ? outcome->findData(int(AttemptOutcome::Failed)) : -1;
    if (failedIndex < 0) {
        BenchReport::note(QStringLiteral("no Failed entry in the outcome filter"));
        return 1;
    }
    start = clock.nsecsElapsed();
    outcome->setCurrentIndex(failedIndex);
    const auto showsFailed = [&] {
        return model->filter().outcome == AttemptOutcome::Failed && model->rowCount() > 0 &&
               model->attemptAt(0).outcome == AttemptOutcome::Failed && probe.lastPaintNs() > start;
    };
    if (!waitUntil(showsFailed, 10000))
        BenchReport::note(QStringLiteral("the failed filter did not paint in 10 s"));
    BenchReport::metric(QStringLiteral("b4_failed_filter_ms"), ms(probe.lastPaintNs() - start),
                        QStringLiteral("ms"));

    // 4. A text filter, typed. The pane waits SearchDebounceMs for typing to
    // stop; that pause is not the filter's cost: the time runs from the
    // moment its timer fires to the painted result. The rows are read on the
    // model's search thread and arrive later ("Searching the log…" paints
    // first): the result is painted once a paint follows the rows' arrival.
    const QString text = option(QStringLiteral("--text"), QStringLiteral("refused"));
    auto *search = pane->findChild<QLineEdit *>(QStringLiteral("logSearch"));
    QTimer *debounce = nullptr;
    for (QTimer *timer : pane->findChildren<QTimer *>()) {
        if (timer->isSingleShot() && timer->interval() == DeliveryLogPane::SearchDebounceMs)
            debounce = timer;
    }
    if (!search || !debounce)
        return 1;
    TimerProbe fired(debounce, &clock);
    qint64 rowsNs = -1; // when rows of the text filter last arrived
    const auto noteRows = [&] {
        if (model->filter().text == text && model->rowCount() > 0)
            rowsNs = clock.nsecsElapsed();
    };
    const QMetaObject::Connection inserted =
        QObject::connect(model, &QAbstractItemModel::rowsInserted, model, noteRows);
    const QMetaObject::Connection reset =
        QObject::connect(model, &QAbstractItemModel::modelReset, model, noteRows);
    search->setFocus();
    QTest::keyClicks(search, text);
    const auto showsText = [&] {
        return model->filter().text == text && model->rowCount() > 0 && fired.lastNs() > 0 &&
               rowsNs > fired.lastNs() && probe.lastPaintNs() > rowsNs;
    };
    if (!waitUntil(showsText, 10000))
        BenchReport::note(QStringLiteral("the text filter did not paint in 10 s"));
    QObject::disconnect(inserted);
    QObject::disconnect(reset);
    BenchReport::metric(QStringLiteral("b4_text_filter_ms"),
                        ms(probe.lastPaintNs() - fired.lastNs()), QStringLiteral("ms"));
    BenchReport::metric(QStringLiteral("b4_peak_rss_mib"), BenchReport::peakRssMiB(),
                        QStringLiteral("MiB"));
    window.close();
    service.stop();
    return 0;
}

// Emits events from its own connection, as another process would.
class Feeder final : public QObject
{
public:
    Feeder(const QString &path, int eventsPerSecond)
        : m_path(path)
        , m_perTick(std::max(1, eventsPerSecond / 200))
    {
    }

    void begin()
    {
        m_db = std::make_unique<Database>();
        if (m_db->open(m_path))
            return;
        m_hooks = std::make_unique<HookStore>(m_db.get());
        m_store = std::make_unique<DeliveryStore>(m_db.get());
        m_catalog = m_hooks->catalog();
        m_timer = new QTimer(this);
        connect(m_timer, &QTimer::timeout, this, [this] {
            const QString action = QStringLiteral("TASKS_CREATED");
            for (int i = 0; i < m_perTick; ++i)
                (void)m_store->emitEvent(m_catalog, action, std::nullopt,
                                         m_catalog.samplePayload(action),
                                         QDateTime::currentDateTimeUtc());
        });
        m_timer->start(5);
    }
    void end()
    {
        delete m_timer;
        m_store.reset();
        m_hooks.reset();
        m_db.reset();
    }

private:
    QString m_path;
    int m_perTick;
    std::unique_ptr<Database> m_db;
    std::unique_ptr<HookStore> m_hooks;
    std::unique_ptr<DeliveryStore> m_store;
    EventCatalog m_catalog;
    QTimer *m_timer = nullptr;
};

int live()
{
    const int seconds = option(QStringLiteral("--seconds"), QStringLiteral("10")).toInt();
    const int hooks = 2;
    const int attemptsPerSecond = option(QStringLiteral("--rate"), QStringLiteral("1500")).toInt();
    ReceiverProcess receiver;
    if (!receiver.start())
        return 1;
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("live.sqlite"));
    Database database;
    if (database.open(path))
        return 1;
    HookStore store(&database);
    for (int i = 0; i < hooks; ++i) {
        Webhook hook;
        hook.url = receiver.url(QStringLiteral("/ok")).toString();
        hook.maxAttempts = 1;
        if (!store.saveHook(hook))
            return 1;
    }
    // Inactive hooks that only fill the hook list, as in a large setup.
    const int extraHooks = option(QStringLiteral("--extra-hooks"), QStringLiteral("0")).toInt();
    for (int i = 0; i < extraHooks; ++i) {
        Webhook hook;
        hook.url = QStringLiteral("https://hooks-%1.example.internal/webhook").arg(i);
        hook.isActive = false;
        if (!store.saveHook(hook))
            return 1;
    }
    DeliveryStore deliveries(&database);
    EngineHost service(database.path());
    MainWindow window(&store, database.path());
    window.setDeliveryService(&service, &deliveries);
    DeliveryLogModel *model = window.logPane()->model();
    window.show();
    service.start();
    waitUntil([] { return false; }, 500);

    // Visible: a row the model holds shows the attempt finished.
    QList<double> latencies;
    QSet<qint64> seen;
    const auto look = [&](int first, int last) {
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        for (int row = first; row <= last && row < model->rowCount(); ++row) {
            const Attempt &a = model->attemptAt(row);
            if (a.outcome == AttemptOutcome::Pending || seen.contains(a.id) ||
                !a.finishedAt.isValid())
                continue;
            seen.insert(a.id);
            latencies.append(double(now - a.finishedAt.toMSecsSinceEpoch()));
        }
    };
    QObject::connect(model, &QAbstractItemModel::rowsInserted, model,
                     [&](const QModelIndex &, int first, int last) { look(first, last); });
    QObject::connect(model, &QAbstractItemModel::dataChanged, model,
                     [&](const QModelIndex &a, const QModelIndex &b) { look(a.row(), b.row()); });
    QObject::connect(model, &QAbstractItemModel::modelReset, model,
                     [&] { look(0, model->rowCount() - 1); });

    QThread feederThread;
    Feeder feeder(path, attemptsPerSecond / hooks);
    feeder.moveToThread(&feederThread);
    QObject::connect(&feederThread, &QThread::started, &feeder, [&feeder] { feeder.begin(); });
    feederThread.start();

    // The probe: the longest gap between ticks of a 2 ms timer.
    QElapsedTimer tick;
    qint64 maxGapNs = 0;
    QTimer probe;
    probe.setTimerType(Qt::PreciseTimer);
    QObject::connect(&probe, &QTimer::timeout, [&] {
        const qint64 gap = tick.nsecsElapsed();
        tick.start();
        maxGapNs = std::max(maxGapNs, gap);
    });
    const qint64 from = QDateTime::currentMSecsSinceEpoch() + 1000;
    QTimer::singleShot(1000, [&] { // after the engine warmed up
        tick.start();
        probe.start(2);
        latencies.clear();
    });
    waitUntil([] { return false; }, 1000 + seconds * 1000);
    probe.stop();
    const qint64 to = QDateTime::currentMSecsSinceEpoch();
    QMetaObject::invokeMethod(
        &feeder, [&feeder] { feeder.end(); }, Qt::BlockingQueuedConnection);
    feederThread.quit();
    feederThread.wait();

    qint64 recorded = 0;
    {
        QSqlQuery query(database.connection());
        query.prepare(QStringLiteral("SELECT count(*) FROM attempts WHERE outcome != 'pending' "
                                     "AND finished_at BETWEEN ? AND ?"));
        query.addBindValue(from);
        query.addBindValue(to);
        if (query.exec() && query.next())
            recorded = query.value(0).toLongLong();
    }
    std::sort(latencies.begin(), latencies.end());
    const auto quantile = [&](double q) {
        return latencies.isEmpty() ? -1.0 : latencies.at(qsizetype(q * (latencies.size() - 1)));
    };
    BenchReport::metric(QStringLiteral("b5_recorded_per_s"), recorded * 1000.0 / (to - from),
                        QStringLiteral("attempts/s"));
    BenchReport::metric(QStringLiteral("b5_max_stall_ms"), ms(maxGapNs), QStringLiteral("ms"));
    BenchReport::metric(QStringLiteral("b5_visible_p50_ms"), quantile(0.5), QStringLiteral("ms"));
    BenchReport::metric(QStringLiteral("b5_visible_max_ms"), quantile(1.0), QStringLiteral("ms"));
    BenchReport::metric(QStringLiteral("b5_rows_seen"), latencies.size(), QStringLiteral("rows"));
    window.close();
    service.stop();
    return 0;
}

} // namespace

int main(int argc, char *argv[])
{
    QStandardPaths::setTestModeEnabled(true);
    QApplication app(argc, argv);
    const QString mode = QCoreApplication::arguments().value(1);
    if (mode == QLatin1String("log"))
        return logPane();
    if (mode == QLatin1String("live"))
        return live();
    std::fprintf(stderr, "usage: bench_gui log --db FILE | live [--seconds N] [--rate N]\n");
    return 1;
}
