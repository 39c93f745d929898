#include "store_writer.h"

#include "database.h"
#include "delivery/delivery_store.h"
#include "hook_store.h"
#include "inbox_store.h"
#include "listener_settings_store.h"
#include "secret_rotation_store.h"

#include <memory>

// Lives on the writer's thread, with the connection and the stores it opened there.
class StoreWriter::Worker final : public QObject
{
public:
    void open(const QString &location)
    {
        auto database = std::make_unique<Database>();
        if (std::optional<StorageError> error = database->open(location)) {
            m_error = std::move(error);
            return;
        }
        m_database = std::move(database);
        m_hooks = std::make_unique<HookStore>(m_database.get());
        m_deliveries = std::make_unique<DeliveryStore>(m_database.get());
        m_rotations = std::make_unique<SecretRotationStore>(m_database.get());
        m_listener = std::make_unique<ListenerSettingsStore>(m_database.get());
        m_inbox = std::make_unique<InboxStore>(m_database.get());
        m_stores = {m_database.get(),  m_hooks.get(),    m_deliveries.get(),
                    m_rotations.get(), m_listener.get(), m_inbox.get()};
    }

    void close()
    {
        m_stores = {};
        m_inbox.reset();
        m_listener.reset();
        m_rotations.reset();
        m_deliveries.reset();
        m_hooks.reset();
        m_database.reset();
    }

    void run(const Work &work) { work(m_stores, m_error); }

private:
    std::optional<StorageError> m_error;
    std::unique_ptr<Database> m_database;
    std::unique_ptr<HookStore> m_hooks;
    std::unique_ptr<DeliveryStore> m_deliveries;
    std::unique_ptr<SecretRotationStore> m_rotations;
    std::unique_ptr<ListenerSettingsStore> m_listener;
    std::unique_ptr<InboxStore> m_inbox;
    WriterStores m_stores;
};

StoreWriter::StoreWriter(const QString &location, QObject *parent)
    : QObject(parent)
    , m_thread(new QThread)
    , m_worker(new Worker)
{
    m_thread->setObjectName(QStringLiteral("StoreWriter"));
    m_worker->moveToThread(m_thread);
    m_thread->start();
    // The connection is opened on the thread that uses it, before any job.
    Worker *worker = m_worker;
    QMetaObject::invokeMethod(
        m_worker, [worker, location] { worker->open(location); }, Qt::QueuedConnection);
}

StoreWriter::StoreWriter(const WriterStores &stores, QObject *parent)
    : QObject(parent)
    , m_inline(stores)
{
}

StoreWriter::~StoreWriter()
{
    if (!m_thread)
        return;
    // After every job already queued: close the connection on its thread, then stop.
    Worker *worker = m_worker;
    QThread *thread = m_thread;
    QMetaObject::invokeMethod(
        m_worker,
        [worker, thread] {
            worker->close();
            thread->quit();
        },
        Qt::QueuedConnection);
    m_thread->wait();
    delete m_worker;
    delete m_thread;
}

void StoreWriter::enqueue(const QString &what, Work work)
{
    m_pending.append(what);
    emit pendingChanged(pendingCount(), pendingText());
    if (!m_thread) {
        work(m_inline, std::nullopt);
        return;
    }
    Worker *worker = m_worker;
    QMetaObject::invokeMethod(
        m_worker, [worker, work = std::move(work)] { worker->run(work); }, Qt::QueuedConnection);
}

void StoreWriter::answer(std::function<void()> deliver)
{
    const auto land = [this, deliver = std::move(deliver)] {
        if (!m_pending.isEmpty())
            m_pending.removeFirst();
        if (m_thread)
            emit writtenElsewhere();
        deliver();
        emit pendingChanged(pendingCount(), pendingText());
    };
    if (!m_thread) {
        land();
        return;
    }
    // Answers come back in the order the jobs ran, which is the order asked.
    QMetaObject::invokeMethod(this, land, Qt::QueuedConnection);
}
