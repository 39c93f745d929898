// B1-B3: the delivery engine (DeliveryStore + Dispatcher, every attempt
// persisted and logged) against a receiver in another process, with its
// baselines measured in the same run:
//   bench_delivery sustained [--count 20000] [--seq-count 5000]   B1
//   bench_delivery fanout [--hooks 1000]                          B2
//   bench_delivery slow [--count 600] [--seq-count 60]            B3
//   bench_delivery http2 [--count 5000]        B1 over HTTP/2 (h2c, nghttpd)
// Baseline (b), "how Label Studio sends", is labelstudio_sender.py: Python
// requests.post per delivery, as Label Studio's webhooks do; the C++
// sequential sender is the same pattern without Python, for reference.
// Prints METRIC lines (see BenchReport).

#include "bench_engine.h"
#include "bench_report.h"
#include "delivery/delivery_store.h"
#include "delivery/dispatcher.h"
#include "delivery/payload_builder.h"
#include "http2_receiver.h"
#include "receiver_process.h"
#include "sequential_sender.h"
#include "store/database.h"
#include "store/hook_store.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QMap>
#include <QNetworkAccessManager>
#include <QProcess>
#include <QTemporaryDir>
#include <cstdio>
#include <memory>

namespace {

using namespace BenchEngine;

int option(const QString &name, int fallback)
{
    const QStringList args = QCoreApplication::arguments();
    const qsizetype at = args.indexOf(name);
    return at > 0 ? args.value(at + 1).toInt() : fallback;
}

// B1 and B3: `count` deliveries queued for one hook, then sent by a
// dispatcher in scheduled mode; the time until the last one is recorded.
double engineQueuedSeconds(const QUrl &url, int count, const QString &prefix,
                           HttpVersion http = HttpVersion::Auto)
{
    QTemporaryDir dir;
    Engine engine;
    if (!engine.open(dir.filePath(QStringLiteral("bench.sqlite"))) || !engine.addHook(url, http))
        return -1;
    QElapsedTimer clock;
    clock.start();
    for (int i = 0; i < count; ++i) {
        if (engine.emitEvent().size() != 1)
            return -1;
    }
    BenchReport::metric(prefix + QStringLiteral("_emit_per_s"),
                        count / (clock.nsecsElapsed() / 1e9), QStringLiteral("events/s"));
    clock.start();
    engine.dispatcher().start();
    engine.waitFor(count);
    const double seconds = clock.nsecsElapsed() / 1e9;
    engine.dispatcher().stop();
    const qint64 ok = engine.succeeded();
    if (ok != count)
        BenchReport::note(QStringLiteral("engine: %1 of %2 succeeded (%3)")
                              .arg(ok)
                              .arg(count)
                              .arg(engine.failures()));
    return seconds;
}

int sustained(ReceiverProcess &receiver)
{
    const int count = option(QStringLiteral("--count"), 20000);
    const int seqCount = option(QStringLiteral("--seq-count"), 5000);
    const QUrl url = receiver.url(QStringLiteral("/ok"));

    if (QCoreApplication::arguments().contains(QStringLiteral("--bare-only"))) {
        BenchReport::metric(QStringLiteral("b1_bare_qnam_per_s"),
                            count / bareSeconds(QList<QUrl>(count, url)),
                            QStringLiteral("requests/s"));
        return 0; // for profiling
    }
    const double engine = engineQueuedSeconds(url, count, QStringLiteral("b1"));
    if (engine < 0)
        return 1;
    if (QCoreApplication::arguments().contains(QStringLiteral("--engine-only"))) {
        BenchReport::metric(QStringLiteral("b1_engine_per_s"), count / engine,
                            QStringLiteral("deliveries/s"));
        return 0; // for profiling
    }
    const double bare = bareSeconds(QList<QUrl>(count, url));
    const double seq = sequentialSeconds(QList<QUrl>(seqCount, url));
    const int lsCount = option(QStringLiteral("--ls-count"), 2000);
    const double ls = labelStudioSeconds(QList<QUrl>(lsCount, url));
    if (ls > 0) {
        BenchReport::metric(QStringLiteral("b1_labelstudio_per_s"), lsCount / ls,
                            QStringLiteral("requests/s"));
        BenchReport::metric(QStringLiteral("b1_vs_labelstudio"), (count / engine) / (lsCount / ls),
                            QStringLiteral("x"));
    }
    const double engineRate = count / engine;
    const double bareRate = count / bare;
    const double seqRate = seqCount / seq;
    BenchReport::metric(QStringLiteral("b1_engine_per_s"), engineRate,
                        QStringLiteral("deliveries/s"));
    BenchReport::metric(QStringLiteral("b1_bare_qnam_per_s"), bareRate,
                        QStringLiteral("requests/s"));
    BenchReport::metric(QStringLiteral("b1_sequential_per_s"), seqRate,
                        QStringLiteral("requests/s"));
    BenchReport::metric(QStringLiteral("b1_vs_bare"), engineRate / bareRate, QStringLiteral("x"));
    BenchReport::metric(QStringLiteral("b1_vs_sequential"), engineRate / seqRate,
                        QStringLiteral("x"));
    return 0;
}

int fanout(ReceiverProcess &receiver)
{
    const int hooks = int(receiver.ports().size());
    QList<QUrl> urls;
    for (int i = 0; i < hooks; ++i)
        urls.append(receiver.url(QStringLiteral("/ok"), i));

    QTemporaryDir dir;
    Engine engine;
    if (!engine.open(dir.filePath(QStringLiteral("bench.sqlite"))))
        return 1;
    for (const QUrl &url : urls) {
        if (!engine.addHook(url))
            return 1;
    }
    // As `emit` does: store, then send exactly those attempts. The first
    // event is cold (new connections, first use of everything), the second
    // is what a running GUI or serve sees.
    double seconds[2] = {0, 0};
    for (double &s : seconds) {
        QElapsedTimer clock;
        clock.start();
        const QList<qint64> ids = engine.emitEvent();
        if (ids.size() != hooks)
            return 1;
        engine.dispatcher().send(ids);
        engine.waitFor(hooks);
        s = clock.nsecsElapsed() / 1e9;
    }
    if (engine.succeeded() != 2 * hooks)
        BenchReport::note(QStringLiteral("engine: %1 of %2 succeeded (%3)")
                              .arg(engine.succeeded())
                              .arg(2 * hooks)
                              .arg(engine.failures()));
    const double bare = bareSeconds(urls);
    const double seq = sequentialSeconds(urls);
    const double ls = labelStudioSeconds(urls);
    if (ls > 0) {
        BenchReport::metric(QStringLiteral("b2_labelstudio_s"), ls, QStringLiteral("s"));
        BenchReport::metric(QStringLiteral("b2_vs_labelstudio"), ls / seconds[1],
                            QStringLiteral("x"));
    }
    BenchReport::metric(QStringLiteral("b2_engine_cold_s"), seconds[0], QStringLiteral("s"));
    BenchReport::metric(QStringLiteral("b2_engine_s"), seconds[1], QStringLiteral("s"));
    BenchReport::metric(QStringLiteral("b2_bare_qnam_s"), bare, QStringLiteral("s"));
    BenchReport::metric(QStringLiteral("b2_sequential_s"), seq, QStringLiteral("s"));
    BenchReport::metric(QStringLiteral("b2_vs_sequential"), seq / seconds[1], QStringLiteral("x"));
    BenchReport::metric(QStringLiteral("b2_bare_vs_sequential"), seq / bare, QStringLiteral("x"));
    return 0;
}

int slow(ReceiverProcess &receiver)
{
    const int count = option(QStringLiteral("--count"), 600);
    const int seqCount = option(QStringLiteral("--seq-count"), 60);
    const QUrl url = receiver.url(QStringLiteral("/slow/100"));
    const double engine = engineQueuedSeconds(url, count, QStringLiteral("b3"));
    if (engine < 0)
        return 1;
    const double bare = bareSeconds(QList<QUrl>(count, url));
    // 100 ms each: the sequential time for all is the measured time per request times count.
    const double seq = sequentialSeconds(QList<QUrl>(seqCount, url)) * count / seqCount;
    const double ls = labelStudioSeconds(QList<QUrl>(seqCount, url));
    if (ls > 0) {
        BenchReport::metric(QStringLiteral("b3_labelstudio_s"), ls * count / seqCount,
                            QStringLiteral("s"));
        BenchReport::metric(QStringLiteral("b3_vs_labelstudio"), ls * count / seqCount / engine,
                            QStringLiteral("x"));
    }
    BenchReport::metric(QStringLiteral("b3_engine_s"), engine, QStringLiteral("s"));
    BenchReport::metric(QStringLiteral("b3_bare_qnam_s"), bare, QStringLiteral("s"));
    BenchReport::metric(QStringLiteral("b3_sequential_s"), seq, QStringLiteral("s"));
    BenchReport::metric(QStringLiteral("b3_vs_sequential"), seq / engine, QStringLiteral("x"));
    return 0;
}

// B1 over HTTP/2 with prior knowledge: one multiplexed connection to nghttpd.
// Qt 6.4's HTTP/2 client leaves Nagle on (no TCP_NODELAY on its sockets), so
// a POST's DATA frame waits for the ACK of its HEADERS frame.
int http2()
{
    Http2Receiver receiver(Http2Receiver::Answer::Ok);
    if (const QString error = receiver.start(); !error.isEmpty()) {
        std::fprintf(stderr, "bench_delivery: %s\n", qPrintable(error));
        return 1;
    }
    // Fewer than B1's 20,000: at about 1,000/s that took a minute.
    const int count = option(QStringLiteral("--count"), 5000);
    const QUrl url = receiver.url(QStringLiteral("/ok"));
    const double engine = engineQueuedSeconds(url, count, QStringLiteral("h2"), HttpVersion::Http2);
    if (engine < 0)
        return 1;
    const double bare = bareSeconds(QList<QUrl>(count, url), true);
    BenchReport::metric(QStringLiteral("h2_engine_per_s"), count / engine,
                        QStringLiteral("deliveries/s"));
    BenchReport::metric(QStringLiteral("h2_bare_qnam_per_s"), count / bare,
                        QStringLiteral("requests/s"));
    BenchReport::metric(QStringLiteral("h2_vs_bare"), bare / engine, QStringLiteral("x"));
    return 0;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    BenchReport::raiseFileLimit();
    const QString mode = QCoreApplication::arguments().value(1);
    if (mode == QLatin1String("http2"))
        return http2();
    ReceiverProcess receiver;
    const int ports = mode == QLatin1String("fanout") ? option(QStringLiteral("--hooks"), 1000) : 1;
    if (mode != QLatin1String("sustained") && mode != QLatin1String("fanout") &&
        mode != QLatin1String("slow")) {
        std::fprintf(stderr, "usage: bench_delivery sustained|fanout|slow|http2 [options]\n");
        return 1;
    }
    if (!receiver.start(ports)) {
        std::fprintf(stderr, "bench_delivery: the receiver did not start\n");
        return 1;
    }
    if (mode == QLatin1String("sustained"))
        return sustained(receiver);
    if (mode == QLatin1String("fanout"))
        return fanout(receiver);
    return slow(receiver);
}
