#include "bench_engine.h"

#include "bare_sender.h"
#include "bench_report.h"
#include "delivery/payload_builder.h"
#include "sequential_sender.h"

#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QThread>
#include <atomic>
#include <memory>
#include <vector>

namespace BenchEngine {

QByteArray sampleBody()
{
    const EventCatalog catalog;
    QJsonObject project{{QStringLiteral("id"), 1},
                        {QStringLiteral("title"), QStringLiteral("Bench")}};
    return PayloadBuilder::body(Action, project, catalog.samplePayload(Action), true);
}

double sequentialSeconds(const QList<QUrl> &urls)
{
    SequentialSender sender(sampleBody());
    QElapsedTimer clock;
    clock.start();
    const int ok = sender.send(urls);
    const double seconds = clock.nsecsElapsed() / 1e9;
    if (ok != urls.size())
        BenchReport::note(
            QStringLiteral("sequential: %1 of %2 succeeded").arg(ok).arg(urls.size()));
    return seconds;
}

// Label Studio's way, in Python; -1 when it could not run.
double labelStudioSeconds(const QList<QUrl> &urls)
{
    QTemporaryDir dir;
    QFile list(dir.filePath(QStringLiteral("urls.txt")));
    QFile body(dir.filePath(QStringLiteral("body.json")));
    if (!list.open(QIODevice::WriteOnly) || !body.open(QIODevice::WriteOnly))
        return -1;
    for (const QUrl &url : urls)
        list.write(url.toEncoded() + '\n');
    body.write(sampleBody());
    list.close();
    body.close();
    // Debian's interpreter, where apt put python3-requests.
    const QString python = QFile::exists(QStringLiteral("/usr/bin/python3"))
                               ? QStringLiteral("/usr/bin/python3")
                               : QStringLiteral("python3");
    QProcess process;
    process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    process.start(python, {QStringLiteral(LABELSTUDIO_SENDER), list.fileName(), body.fileName()});
    if (!process.waitForFinished(10 * 60 * 1000) || process.exitCode() != 0) {
        BenchReport::note(QStringLiteral("labelstudio_sender.py failed (python3-requests?)"));
        return -1;
    }
    const QList<QByteArray> out = process.readAllStandardOutput().trimmed().split(' ');
    if (out.size() != 2)
        return -1;
    if (out.at(1).toInt() != urls.size())
        BenchReport::note(QStringLiteral("Label Studio sender: %1 of %2 succeeded")
                              .arg(QString::fromLatin1(out.at(1)))
                              .arg(urls.size()));
    return out.at(0).toDouble();
}

double bareSeconds(const QList<QUrl> &urls, bool http2)
{
    QNetworkAccessManager network;
    const Dispatcher::Limits limits;
    BareSender sender(&network, sampleBody(), limits.global,
                      http2 ? limits.perHttp2Host : limits.perHost);
    sender.setHttp2(http2);
    QElapsedTimer clock;
    clock.start();
    const int ok = sender.send(urls);
    const double seconds = clock.nsecsElapsed() / 1e9;
    if (ok != urls.size())
        BenchReport::note(QStringLiteral("bare QNAM: %1 of %2 succeeded").arg(ok).arg(urls.size()));
    return seconds;
}

double bareSecondsThreaded(const QList<QUrl> &urls, int managers)
{
    QList<QList<QUrl>> shares(managers);
    for (qsizetype i = 0; i < urls.size(); ++i)
        shares[i % managers].append(urls.at(i));
    const QByteArray body = sampleBody();
    std::vector<std::unique_ptr<QThread>> threads;
    std::atomic<int> ok = 0;
    QElapsedTimer clock;
    clock.start();
    for (const QList<QUrl> &share : std::as_const(shares)) {
        threads.emplace_back(QThread::create([share, body, &ok] {
            QNetworkAccessManager network;
            const Dispatcher::Limits limits;
            BareSender sender(&network, body, limits.global, limits.perHost);
            ok += sender.send(share);
        }));
        threads.back()->start();
    }
    for (const auto &thread : threads)
        thread->wait();
    const double seconds = clock.nsecsElapsed() / 1e9;
    if (ok != urls.size())
        BenchReport::note(QStringLiteral("bare QNAM x %1: %2 of %3 succeeded")
                              .arg(managers)
                              .arg(ok.load())
                              .arg(urls.size()));
    return seconds;
}

} // namespace BenchEngine
