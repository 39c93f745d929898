#pragma once

// What the delivery benchmarks share: the engine as `serve` runs it, and the
// baselines every figure is compared with, measured in the same run.

#include "bench_report.h"
#include "delivery/delivery_store.h"
#include "delivery/dispatcher.h"
#include "store/database.h"
#include "store/hook_store.h"

#include <QByteArray>
#include <QEventLoop>
#include <QList>
#include <QMap>
#include <QNetworkAccessManager>
#include <QUrl>
#include <memory>

namespace BenchEngine {

inline const QString Action = QStringLiteral("ANNOTATION_CREATED");

// The engine as `serve` runs it: a store on a real SQLite file and one
// dispatcher on this thread.
class Engine final
{
public:
    bool open(const QString &path)
    {
        if (const auto error = m_db.open(path)) {
            BenchReport::note(error->message);
            return false;
        }
        m_hooks = std::make_unique<HookStore>(&m_db);
        m_store = std::make_unique<DeliveryStore>(&m_db);
        m_dispatcher = std::make_unique<Dispatcher>(m_store.get(), &m_network);
        QObject::connect(m_dispatcher.get(), &Dispatcher::storageFailed, [](const QString &m) {
            BenchReport::note(QStringLiteral("storage failed: ") + m);
        });
        QObject::connect(m_dispatcher.get(), &Dispatcher::attemptFinished, &m_loop,
                         [this] { ++m_finished; });
        // Done when every finished attempt is also recorded: results are
        // recorded in batches on the recorder's thread, so one batch being
        // recorded says nothing about those still queued behind it.
        const auto check = [this] {
            if (m_finished >= m_target && m_dispatcher->isIdle())
                m_loop.quit();
        };
        // m_loop as the context: the dispatcher, destroyed after it, may
        // still say it is idle.
        QObject::connect(m_dispatcher.get(), &Dispatcher::attemptsRecorded, &m_loop, check);
        QObject::connect(m_dispatcher.get(), &Dispatcher::idle, &m_loop, check);
        Result<Project> project = m_hooks->addProject(QStringLiteral("Bench"));
        if (!project)
            return false;
        m_projectId = project->id;
        return true;
    }

    qint64 addHook(const QUrl &url, HttpVersion http = HttpVersion::Auto)
    {
        Webhook hook;
        hook.url = url.toString();
        hook.maxAttempts = 1;
        hook.httpVersion = http;
        Result<Webhook> saved = m_hooks->saveHook(hook);
        if (!saved)
            BenchReport::note(saved.error().message);
        return saved ? saved->id : 0;
    }

    QList<qint64> emitEvent()
    {
        const EventCatalog catalog = m_hooks->catalog();
        Result<EmitResult> emitted =
            m_store->emitEvent(catalog, Action, m_projectId, catalog.samplePayload(Action),
                               QDateTime::currentDateTimeUtc());
        if (!emitted) {
            BenchReport::note(emitted.error().message);
            return {};
        }
        return emitted->attemptIds;
    }

    // Waits until `count` more attempts are finished and recorded.
    void waitFor(int count)
    {
        m_target += count;
        if (m_finished < m_target || !m_dispatcher->isIdle())
            m_loop.exec();
    }

    qint64 succeeded() const
    {
        LogFilter filter;
        filter.outcome = AttemptOutcome::Succeeded;
        const Result<qint64> count = m_store->countAttempts(filter);
        return count ? count.value() : -1;
    }

    // Why attempts failed, "kind: error" with counts, for the notes.
    QString failures() const
    {
        LogFilter filter;
        filter.outcome = AttemptOutcome::Failed;
        const Result<QList<Attempt>> failed = m_store->attempts(filter, 0, 1000);
        if (!failed)
            return failed.error().message;
        QMap<QString, int> counts;
        for (const Attempt &a : failed.value())
            counts[a.errorKind + QStringLiteral(": ") + a.error] += 1;
        QStringList lines;
        for (auto it = counts.cbegin(); it != counts.cend(); ++it)
            lines << QStringLiteral("%1 x %2").arg(it.value()).arg(it.key());
        return lines.join(QStringLiteral("; "));
    }

    Dispatcher &dispatcher() { return *m_dispatcher; }

private:
    Database m_db;
    QNetworkAccessManager m_network;
    std::unique_ptr<HookStore> m_hooks;
    std::unique_ptr<DeliveryStore> m_store;
    std::unique_ptr<Dispatcher> m_dispatcher;
    QEventLoop m_loop;
    qint64 m_projectId = 0;
    int m_finished = 0;
    int m_target = 0;
};

// The body every baseline sends: the sample ANNOTATION_CREATED payload.
QByteArray sampleBody();
// Seconds for one blocking request at a time (C++, one connection).
double sequentialSeconds(const QList<QUrl> &urls);
// Seconds for Label Studio's way (labelstudio_sender.py); -1 when it could not run.
double labelStudioSeconds(const QList<QUrl> &urls);
// Seconds for the bare QNAM loop with the engine's concurrency caps.
double bareSeconds(const QList<QUrl> &urls, bool http2 = false);
// The same with `managers` QNetworkAccessManagers, each on a thread of its
// own with its share of the URLs (in turn): whether one manager per core
// lifts the ceiling.
double bareSecondsThreaded(const QList<QUrl> &urls, int managers);

} // namespace BenchEngine
