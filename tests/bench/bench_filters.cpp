// F1: what hook filters cost. 10,000 events emitted to 100 hooks (1,000,000
// deliveries stored), once with no filters and once with a 5-condition filter
// on every hook, in one run on fresh files. The filter runs when an event is
// stored (emit), so that is what is timed; every filter here matches, so both
// runs store the same rows and the difference is the filters' own cost.
// (A delivery a filter keeps back is never sent: filtering only saves work
// after this point.)
#include "bench_report.h"
#include "delivery/delivery_store.h"
#include "store/database.h"
#include "store/hook_store.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTemporaryDir>
#include <cstdio>

namespace {

const QString Action = QStringLiteral("ANNOTATION_CREATED");

// Five conditions the sample annotation meets: an equality, a list
// membership, a range and an existence test, as a trainer's filter would.
const QString Filter = QStringLiteral(
    R"({"action": "ANNOTATION_CREATED", "annotation.was_cancelled": false,
        "task.id": {"$gte": 1}, "project.id": {"$in": [1, 2, 3]},
        "annotation.result": {"$exists": true}})");

int option(const QString &name, int fallback)
{
    const QStringList args = QCoreApplication::arguments();
    const qsizetype i = args.indexOf(name);
    return i >= 0 && i + 1 < args.size() ? args.at(i + 1).toInt() : fallback;
}

// Events per second stored, or -1 on an error.
double run(const QString &path, int hooks, int events, bool filtered)
{
    Database db;
    if (auto e = db.open(path)) {
        BenchReport::note(e->message);
        return -1;
    }
    HookStore hookStore(&db);
    DeliveryStore store(&db);
    Result<Project> project = hookStore.addProject(QStringLiteral("Bench"));
    if (!project)
        return -1;
    for (int i = 0; i < hooks; ++i) {
        Webhook hook;
        hook.url = QStringLiteral("http://127.0.0.1:9/hook/%1").arg(i);
        if (filtered)
            hook.filter = Filter;
        if (Result<Webhook> saved = hookStore.saveHook(hook); !saved) {
            BenchReport::note(saved.error().message);
            return -1;
        }
    }
    const EventCatalog catalog = hookStore.catalog();
    const QJsonObject data = catalog.samplePayload(Action);
    qint64 stored = 0;
    int kept = 0;
    QElapsedTimer clock;
    clock.start();
    for (int i = 0; i < events; ++i) {
        Result<EmitResult> emitted =
            store.emitEvent(catalog, Action, project->id, data, QDateTime::currentDateTimeUtc());
        if (!emitted) {
            BenchReport::note(emitted.error().message);
            return -1;
        }
        stored += emitted->deliveryIds.size();
        kept += emitted->filtered;
    }
    const double seconds = clock.nsecsElapsed() / 1e9;
    if (stored != qint64(hooks) * events || kept != 0) {
        BenchReport::note(QStringLiteral("expected %1 deliveries, none filtered; got %2, %3 "
                                         "filtered")
                              .arg(qint64(hooks) * events)
                              .arg(stored)
                              .arg(kept));
        return -1;
    }
    BenchReport::note(QStringLiteral("%1: %2 events, %3 deliveries in %4 s")
                          .arg(filtered ? QStringLiteral("filters") : QStringLiteral("no filters"))
                          .arg(events)
                          .arg(stored)
                          .arg(seconds, 0, 'f', 2));
    return events / seconds;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const int hooks = option(QStringLiteral("--hooks"), 100);
    const int events = option(QStringLiteral("--events"), 10000);
    QTemporaryDir dir;
    if (!dir.isValid())
        return 1;
    // Unfiltered first, then filtered, each on a fresh file.
    const double plain = run(dir.filePath(QStringLiteral("plain.sqlite")), hooks, events, false);
    const double filtered =
        run(dir.filePath(QStringLiteral("filtered.sqlite")), hooks, events, true);
    if (plain <= 0 || filtered <= 0) {
        std::fprintf(stderr, "bench_filters: a run failed\n");
        return 1;
    }
    BenchReport::metric(QStringLiteral("f1_plain_events_per_s"), plain, QStringLiteral("events/s"));
    BenchReport::metric(QStringLiteral("f1_filtered_events_per_s"), filtered,
                        QStringLiteral("events/s"));
    BenchReport::metric(QStringLiteral("f1_filter_cost_percent"), (1.0 - filtered / plain) * 100.0,
                        QStringLiteral("%"));
    return 0;
}
