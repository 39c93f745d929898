#include "intake_batch.h"

#include "store/database.h"
#include "store/transaction.h"

#include <QDateTime>

IntakeBatch::IntakeBatch(Database *database, IntakeService *service, QObject *parent)
    : QObject(parent)
    , m_database(database)
    , m_service(service)
{
}

IntakeBatch::~IntakeBatch()
{
    flush(); // nothing queued is left unanswered
}

void IntakeBatch::add(IntakeSubmission submission, Answer answer)
{
    m_items.push_back(Item{std::move(submission), std::move(answer)});
    if (int(m_items.size()) >= MaxRequests) {
        flush();
        return;
    }
    if (!m_flushQueued) {
        m_flushQueued = true;
        // A queued call runs once the event loop has handled what is ready
        // now, e.g. the requests of every connection that sent one meanwhile.
        QMetaObject::invokeMethod(this, &IntakeBatch::flush, Qt::QueuedConnection);
    }
}

void IntakeBatch::flush()
{
    m_flushQueued = false;
    if (m_items.empty())
        return;
    std::vector<Item> items;
    items.swap(m_items);

    const QDateTime now = QDateTime::currentDateTimeUtc();
    std::vector<std::optional<ListenerReply>> replies(items.size());
    std::optional<StorageError> failed;
    {
        Transaction transaction(m_database->connection());
        if (!transaction.isOpen()) {
            failed = StorageError::fromSql(transaction.error(), tr("Storing the received events"));
        }
        for (std::size_t i = 0; !failed && i < items.size(); ++i) {
            Result<ListenerReply> stored = m_service->store(items[i].submission, now);
            if (stored)
                replies[i] = stored.value();
            else
                failed = stored.error(); // the transaction may be gone: none of it counts
        }
        if (!failed && !transaction.commit())
            failed = StorageError::fromSql(transaction.error(), tr("Storing the received events"));
    } // not committed: rolled back
    if (failed) {
        // A refusal (4xx) stored nothing and stays; whatever was to be stored was not.
        const ListenerReply unavailable = IntakeService::storageError(*failed);
        for (std::optional<ListenerReply> &reply : replies) {
            if (!reply || reply->status < 300)
                reply = unavailable;
        }
    }
    for (std::size_t i = 0; i < items.size(); ++i)
        items[i].answer(*replies[i]);
}
