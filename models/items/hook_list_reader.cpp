#include "hook_list_reader.h"

#include "delivery/delivery_store.h"
#include "store/database.h"
#include "store/hook_store.h"
#include "store/sql_dialect.h"

#include <QThread>
#include <memory>
#include <optional>

// Lives on the reader's thread, with the connection it opened there.
class HookListReader::Worker final : public QObject
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
    }

    Result<Outcomes> outcomes(int perHook)
    {
        if (!ready())
            return *m_error;
        return m_deliveries->recentOutcomes(perHook);
    }

    Result<Snapshot> snapshot()
    {
        if (!ready())
            return *m_error;
        Result<QList<Webhook>> hooks = m_hooks->hooks();
        if (!hooks)
            return hooks.error();
        Result<QList<Project>> projects = m_hooks->projects();
        if (!projects)
            return projects.error();
        return Snapshot{std::move(hooks.value()), std::move(projects.value()), m_hooks->catalog()};
    }

    void close()
    {
        m_deliveries.reset();
        m_hooks.reset();
        m_database.reset();
    }

private:
    bool ready()
    {
        if (m_error)
            return false;
        // A server that restarted or ended this session: connect again
        // (with backoff) rather than fail every read from now on.
        if (m_database->isServer()) {
            QSqlDatabase db = m_database->connection();
            SqlDialect::reconnect(db);
        }
        return true;
    }

    std::optional<StorageError> m_error;
    std::unique_ptr<Database> m_database;
    std::unique_ptr<HookStore> m_hooks;
    std::unique_ptr<DeliveryStore> m_deliveries;
};

HookListReader::HookListReader(const QString &location, int perHook, Callbacks callbacks,
                               QObject *parent)
    : QObject(parent)
    , m_thread(new QThread)
    , m_worker(new Worker)
    , m_callbacks(std::move(callbacks))
    , m_perHook(perHook)
{
    m_thread->setObjectName(QStringLiteral("HookListReader"));
    m_worker->moveToThread(m_thread);
    m_thread->start();
    Worker *worker = m_worker;
    QMetaObject::invokeMethod(
        m_worker, [worker, location] { worker->open(location); }, Qt::QueuedConnection);
}

HookListReader::~HookListReader()
{
    m_stopping.store(true); // reads still queued are not worth waiting for
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

// In the lambdas below, run on the reader's thread: ~HookListReader waits
// for that thread, so `this` is alive there, and Qt drops the answers still
// queued for it when it goes.

bool HookListReader::readOutcomes()
{
    if (m_asked.exchange(true))
        return false; // the read waiting to start will see what changed
    Worker *worker = m_worker;
    QMetaObject::invokeMethod(
        m_worker,
        [this, worker] {
            // From here a new ask needs a new read: this one may miss it.
            m_asked.store(false);
            if (m_stopping.load())
                return;
            auto outcomes = std::make_shared<Result<Outcomes>>(worker->outcomes(m_perHook));
            QMetaObject::invokeMethod(
                this, [this, outcomes] { m_callbacks.outcomes(*outcomes); }, Qt::QueuedConnection);
        },
        Qt::QueuedConnection);
    return true;
}

void HookListReader::readSnapshot(quint64 number)
{
    Worker *worker = m_worker;
    QMetaObject::invokeMethod(
        m_worker,
        [this, worker, number] {
            if (m_stopping.load())
                return;
            auto snapshot = std::make_shared<Result<Snapshot>>(worker->snapshot());
            QMetaObject::invokeMethod(
                this, [this, number, snapshot] { m_callbacks.snapshot(number, *snapshot); },
                Qt::QueuedConnection);
        },
        Qt::QueuedConnection);
}
