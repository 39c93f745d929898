#pragma once

#include "domain/attempt.h"
#include "domain/event_catalog.h"
#include "domain/project.h"
#include "domain/webhook.h"
#include "store/storage_error.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <atomic>
#include <functional>

class QThread;

// What the hook list reads, on a thread with a connection of its own, so the
// window's thread never waits for it:
// - the hooks themselves, with the projects' titles and the event catalog
//   that label them: 90 ms with 10,000 hooks on SQLite, more on a server,
//   before the window could paint at all;
// - the outcomes of each hook's last attempts (DeliveryStore::
//   recentOutcomes), a subquery per hook: tens of milliseconds on SQLite,
//   up to 1.5 s on a busy PostgreSQL server.
//
// Outcome reads asked for while one waits to start are one read; one asked
// for while a read runs runs again after it, so what it returns is never
// older than the ask. Answers come back, in order, on the thread that made
// the reader, and none comes after the reader is gone.
class HookListReader final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HookListReader)

public:
    using Outcomes = QHash<qint64, QList<AttemptOutcome>>;
    struct Snapshot
    {
        QList<Webhook> hooks;
        QList<Project> projects;
        EventCatalog catalog;
    };
    struct Callbacks
    {
        std::function<void(const Result<Outcomes> &outcomes)> outcomes;
        std::function<void(quint64 number, const Result<Snapshot> &snapshot)> snapshot;
    };

    // location: as Database::open takes it. perHook: how many attempts per hook.
    HookListReader(const QString &location, int perHook, Callbacks callbacks,
                   QObject *parent = nullptr);
    // Waits for the read under way, if any; later answers are dropped.
    ~HookListReader() override;

    // Asks for the outcomes; false when it is folded into a read already
    // asked for (exactly one answer comes for each true).
    bool readOutcomes();
    // Asks for the hooks, projects and catalog; the answer carries `number`.
    void readSnapshot(quint64 number);

private:
    class Worker;
    QThread *m_thread;
    Worker *m_worker;
    const Callbacks m_callbacks;
    const int m_perHook;
    std::atomic<bool> m_asked{false};
    std::atomic<bool> m_stopping{false};
};
