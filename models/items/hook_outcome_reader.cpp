#include "hook_outcome_reader.h"

#include "delivery/delivery_store.h"
#include "store/database.h"
#include "store/sql_dialect.h"

#include <QThread>
#include <memory>
#include <optional>

// Lives on the reader's thread, with the connection it opened there.
class HookOutcomeReader::Worker final : public QObject
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
        m_store = std::make_unique<DeliveryStore>(m_database.get());
    }

    Result<Outcomes> read(int perHook)
    {
        if (m_error)
            return *m_error;
        // A server that restarted or ended this session: connect again
        // (with backoff) rather than fail every read from now on.
        if (m_database->isServer()) {
            QSqlDatabase db = m_database->connection();
            SqlDialect::reconnect(db);
        }
        return m_store->recentOutcomes(perHook);
    }

    void close()
    {
        m_store.reset();
        m_database.reset();
    }

private:
    std::optional<StorageError> m_error;
    std::unique_ptr<Database> m_database;
    std::unique_ptr<DeliveryStore> m_store;
};

HookOutcomeReader::HookOutcomeReader(const QString &location, int perHook, Answer answer,
                                     QObject *parent)
    : QObject(parent)
    , m_thread(new QThread)
    , m_worker(new Worker)
    , m_answer(std::move(answer))
    , m_perHook(perHook)
{
    m_thread->setObjectName(QStringLiteral("HookOutcomeReader"));
    m_worker->moveToThread(m_thread);
    m_thread->start();
    Worker *worker = m_worker;
    QMetaObject::invokeMethod(
        m_worker, [worker, location] { worker->open(location); }, Qt::QueuedConnection);
}

HookOutcomeReader::~HookOutcomeReader()
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

bool HookOutcomeReader::read()
{
    if (m_asked.exchange(true))
        return false; // the read waiting to start will see what changed
    Worker *worker = m_worker;
    const int perHook = m_perHook;
    QMetaObject::invokeMethod(
        m_worker,
        [this, worker, perHook] {
            // From here a new ask needs a new read: this one may miss it.
            m_asked.store(false);
            if (m_stopping.load())
                return;
            auto outcomes = std::make_shared<Result<Outcomes>>(worker->read(perHook));
            // ~HookOutcomeReader waits for this thread, so `this` is alive
            // here; Qt drops the events still queued for it when it goes.
            QMetaObject::invokeMethod(
                this, [this, outcomes] { m_answer(*outcomes); }, Qt::QueuedConnection);
        },
        Qt::QueuedConnection);
    return true;
}
