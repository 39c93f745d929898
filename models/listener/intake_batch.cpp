#include "intake_batch.h"

#include "store/busy_wait.h"
#include "store/database.h"
#include "store/intake_store.h"
#include "store/transaction.h"

#include <QDateTime>
#include <QTimer>

// The writer's connection, service and checkpoint timer: made, used and
// dropped on the writer's thread only.
class IntakeBatch::Writer final : public QObject
{
public:
    QString open(const QString &path)
    {
        database = std::make_unique<Database>();
        if (const auto error = database->open(path)) {
            database.reset();
            return error->message;
        }
        waitBrieflyWhenBusy(database->connection(), Database::BusyTimeoutMs);
        service = std::make_unique<IntakeService>(database.get());
        // A checkpoint's fsync on a request's path cost a tenth of B8's samples.
        if (IntakeStore(database.get()).deferCheckpoints()) {
            checkpoints = new QTimer(this);
            checkpoints->setInterval(CheckpointIntervalMs);
            connect(checkpoints, &QTimer::timeout, this,
                    [this] { (void)IntakeStore(database.get()).checkpoint(); });
            checkpoints->start();
        }
        return {};
    }

    void close()
    {
        delete checkpoints;
        checkpoints = nullptr;
        service.reset();
        database.reset();
    }

    // Stores the items in one transaction; the reply for each.
    std::vector<ListenerReply> store(const std::vector<Item> &items)
    {
        const QDateTime now = QDateTime::currentDateTimeUtc();
        std::vector<std::optional<ListenerReply>> replies(items.size());
        std::optional<StorageError> failed;
        if (!database) {
            failed = StorageError{StorageError::Kind::Other,
                                  IntakeBatch::tr("The intake's database connection is closed.")};
        } else {
            Transaction transaction(database->connection());
            if (!transaction.isOpen()) {
                failed = StorageError::fromSql(transaction.error(),
                                               IntakeBatch::tr("Storing the received events"));
            }
            for (std::size_t i = 0; !failed && i < items.size(); ++i) {
                Result<ListenerReply> stored = service->store(items[i].submission, now);
                if (stored)
                    replies[i] = stored.value();
                else
                    failed = stored.error(); // the transaction may be gone: none of it counts
            }
            if (!failed && !transaction.commit())
                failed = StorageError::fromSql(transaction.error(),
                                               IntakeBatch::tr("Storing the received events"));
        } // not committed: rolled back
        if (failed) {
            // A refusal (4xx) stored nothing and stays; whatever was to be stored was not.
            const ListenerReply unavailable = IntakeService::storageError(*failed);
            for (std::optional<ListenerReply> &reply : replies) {
                if (!reply || reply->status < 300)
                    reply = unavailable;
            }
        }
        std::vector<ListenerReply> result;
        result.reserve(replies.size());
        for (std::optional<ListenerReply> &reply : replies)
            result.push_back(std::move(*reply));
        return result;
    }

    std::unique_ptr<Database> database;
    std::unique_ptr<IntakeService> service;
    QTimer *checkpoints = nullptr;
};

IntakeBatch::IntakeBatch(const QString &databasePath, QObject *parent)
    : QObject(parent)
    , m_databasePath(databasePath)
{
    m_thread.setObjectName(QStringLiteral("intake writer"));
}

IntakeBatch::~IntakeBatch()
{
    finish(); // nothing queued is left unanswered
}

QString IntakeBatch::start()
{
    if (m_writer)
        return {};
    m_writer = new Writer;
    m_writer->moveToThread(&m_thread);
    m_thread.start();
    QString error;
    QMetaObject::invokeMethod(
        m_writer, [this, &error] { error = m_writer->open(m_databasePath); },
        Qt::BlockingQueuedConnection);
    if (!error.isEmpty())
        finish();
    return error;
}

void IntakeBatch::add(IntakeSubmission submission, Answer answer)
{
    if (!m_writer) {
        answer(IntakeService::error(503, tr("The intake is not running.")));
        return;
    }
    const QMutexLocker lock(&m_mutex);
    m_queued.push_back(Item{std::move(submission), std::move(answer)});
    if (!m_storeQueued) {
        m_storeQueued = true;
        QMetaObject::invokeMethod(
            m_writer, [this] { storeQueued(); }, Qt::QueuedConnection);
    }
}

void IntakeBatch::storeQueued()
{
    std::vector<Item> items;
    {
        const QMutexLocker lock(&m_mutex);
        const std::size_t take = std::min<std::size_t>(m_queued.size(), MaxRequests);
        items.assign(std::make_move_iterator(m_queued.begin()),
                     std::make_move_iterator(m_queued.begin() + qsizetype(take)));
        m_queued.erase(m_queued.begin(), m_queued.begin() + qsizetype(take));
        // What arrives while this batch is stored waits for the next one; a
        // new call is queued, not looped, so the checkpoint timer gets its turn.
        m_storeQueued = !m_queued.empty();
        if (m_storeQueued)
            QMetaObject::invokeMethod(
                m_writer, [this] { storeQueued(); }, Qt::QueuedConnection);
    }
    if (items.empty())
        return;
    std::vector<ListenerReply> replies = m_writer->store(items);

    const QMutexLocker lock(&m_mutex);
    for (std::size_t i = 0; i < items.size(); ++i)
        m_answered.push_back(Answered{std::move(items[i].answer), std::move(replies[i])});
    if (!m_answerQueued) {
        m_answerQueued = true;
        QMetaObject::invokeMethod(this, &IntakeBatch::answerStored, Qt::QueuedConnection);
    }
}

void IntakeBatch::answerStored()
{
    std::vector<Answered> answered;
    {
        const QMutexLocker lock(&m_mutex);
        answered.swap(m_answered);
        m_answerQueued = false;
    }
    for (Answered &a : answered)
        a.answer(a.reply);
}

void IntakeBatch::withConnection(const std::function<void(Database *)> &work)
{
    if (!m_writer)
        return work(nullptr);
    QMetaObject::invokeMethod(
        m_writer, [this, &work] { work(m_writer->database.get()); }, Qt::BlockingQueuedConnection);
}

void IntakeBatch::finish()
{
    if (!m_writer)
        return;
    // Everything queued is stored (the thread's queue runs in order, and each
    // batch queues the next), then the connection closes on its own thread.
    QMetaObject::invokeMethod(
        m_writer,
        [this] {
            for (;;) {
                {
                    const QMutexLocker lock(&m_mutex);
                    if (m_queued.empty())
                        break;
                }
                storeQueued();
            }
            m_writer->close();
        },
        Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
    delete m_writer;
    m_writer = nullptr;
    m_storeQueued = false;
    answerStored();
}
