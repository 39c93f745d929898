#include "listener_worker.h"

#include "inbox/inbox_endpoint.h"
#include "store/busy_wait.h"
#include "store/database.h"

#include <QTimer>

ListenerWorker::ListenerWorker(const QString &databasePath, const ListenerConfig &config)
    : m_databasePath(databasePath)
    , m_config(config)
{
}

ListenerWorker::~ListenerWorker()
{
    finish();
}

QString ListenerWorker::begin(bool paused)
{
    m_database = std::make_unique<Database>();
    if (const auto error = m_database->open(m_databasePath)) {
        m_database.reset();
        return error->message;
    }
    m_inboxEndpoint = std::make_unique<InboxEndpoint>(m_database.get());
    waitBrieflyWhenBusy(m_database->connection(), Database::BusyTimeoutMs);
    m_listener = std::make_unique<HttpListener>(m_database.get(), m_config);
    m_listener->setInboxHandler(m_inbox ? m_inbox : m_inboxEndpoint->handler());
    connect(m_listener.get(), &HttpListener::eventAccepted, this, [this] {
        if (m_signalQueued)
            return;
        m_signalQueued = true;
        QTimer::singleShot(0, this, [this] {
            m_signalQueued = false;
            emit eventsAccepted();
        });
    });
    if (const QString error = m_listener->open(paused); !error.isEmpty()) {
        finish();
        return error;
    }
    return {};
}

void ListenerWorker::resume()
{
    if (m_listener)
        m_listener->resume();
}

void ListenerWorker::setInboxHandler(ListenerHandler handler)
{
    m_inbox = handler;
    if (m_listener)
        m_listener->setInboxHandler(std::move(handler));
}

QString ListenerWorker::url() const
{
    return m_listener ? m_listener->url() : QString();
}

void ListenerWorker::finish()
{
    m_listener.reset();
    m_inboxEndpoint.reset();
    m_database.reset();
}
