#pragma once

#include "storage_error.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QObject>
#include <QPointer>
#include <QStringList>
#include <QThread>
#include <functional>
#include <optional>
#include <type_traits>

class Database;
class DeliveryStore;
class HookStore;
class InboxStore;
class ListenerSettingsStore;
class SecretRotationStore;

// The stores a write runs against. On the writer's thread they are its own,
// on its own connection; an inline writer hands out the caller's.
struct WriterStores
{
    Database *database = nullptr;
    HookStore *hooks = nullptr;
    DeliveryStore *deliveries = nullptr;
    SecretRotationStore *rotations = nullptr;
    ListenerSettingsStore *listener = nullptr;
    InboxStore *inbox = nullptr;
};

// The window's writes, one at a time in the order they were asked for, on a
// thread with a connection of its own (as qBittorrent queues its database
// jobs on a worker): a write that waits for another process's lock (up to
// the busy timeout) keeps the worker waiting, never the GUI thread. A job
// returns a Result or Status; its answer comes back on the thread that
// submitted it, and is dropped when the context object is gone by then (the
// write itself still happens: nothing queued is lost).
//
// The inline form runs every job at once on the caller's stores: the same
// code path, synchronous, for tests and tools that want it.
class StoreWriter final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(StoreWriter)

public:
    // A thread and a connection of its own to `location` (a file path or a
    // postgresql:// address, as Database::open takes it).
    explicit StoreWriter(const QString &location, QObject *parent = nullptr);
    // Inline: jobs run at once, on these stores, in the calling thread.
    explicit StoreWriter(const WriterStores &stores, QObject *parent = nullptr);
    // Finishes every queued job, then ends the thread.
    ~StoreWriter() override;

    bool isThreaded() const { return m_thread != nullptr; }
    // Jobs submitted and not yet answered.
    int pendingCount() const { return int(m_pending.size()); }
    // What the oldest pending job does ("Saving the webhook…"), or empty.
    QString pendingText() const { return m_pending.isEmpty() ? QString() : m_pending.first(); }

    // Runs job(stores) on the writer, then done(result) in context's thread.
    template <typename Job, typename Done>
    void submit(QObject *context, const QString &what, Job job, Done done)
    {
        using R = std::invoke_result_t<Job &, const WriterStores &>;
        QPointer<QObject> guard(context);
        enqueue(what, [this, guard, job = std::move(job), done = std::move(done)](
                          const WriterStores &stores, const std::optional<StorageError> &broken) {
            auto result = std::make_shared<std::optional<R>>(broken ? R(*broken) : job(stores));
            answer([guard, done, result]() mutable {
                if (guard)
                    done(std::move(**result));
            });
        });
    }

    // The same for a caller that needs the answer before it returns (a
    // dialog's OK, "save before switching"): an event loop runs until it
    // lands, so the window paints and its timers run, while user input waits
    // for the answer (it is kept, not dropped).
    template <typename Job>
    std::invoke_result_t<Job &, const WriterStores &> wait(const QString &what, Job job)
    {
        using R = std::invoke_result_t<Job &, const WriterStores &>;
        std::optional<R> result;
        QEventLoop loop;
        submit(&loop, what, std::move(job), [&result, &loop](R answer) {
            result = std::move(answer);
            loop.quit();
        });
        if (!result)
            loop.exec(QEventLoop::ExcludeUserInputEvents);
        return std::move(*result);
    }

    // submit() on `writer`, or at once on `stores` when there is none (a
    // view used without a window, as tests build them).
    template <typename Job, typename Done>
    static void submitTo(StoreWriter *writer, const WriterStores &stores, QObject *context,
                         const QString &what, Job job, Done done)
    {
        if (writer) {
            writer->submit(context, what, std::move(job), std::move(done));
            return;
        }
        StoreWriter now(stores);
        now.submit(context, what, std::move(job), std::move(done));
    }
    template <typename Job>
    static std::invoke_result_t<Job &, const WriterStores &>
    waitOn(StoreWriter *writer, const WriterStores &stores, const QString &what, Job job)
    {
        if (writer)
            return writer->wait(what, std::move(job));
        StoreWriter now(stores);
        return now.wait(what, std::move(job));
    }

signals:
    // The number of pending jobs changed; `what` describes the oldest.
    void pendingChanged(int count, const QString &what);
    // A job's write is in the file, made on the writer's own connection: the
    // caller's stores may look again (HookStore::lookAgain). Emitted before
    // the job's answer; an inline writer's stores announce their own writes.
    void writtenElsewhere();

private:
    using Work = std::function<void(const WriterStores &, const std::optional<StorageError> &)>;
    void enqueue(const QString &what, Work work);
    void answer(std::function<void()> deliver);

    class Worker;
    QThread *m_thread = nullptr;
    Worker *m_worker = nullptr;
    WriterStores m_inline;
    QStringList m_pending;
};
