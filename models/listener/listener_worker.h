#pragma once

#include "listener/http_listener.h"

#include <QObject>
#include <memory>

class Database;
class InboxEndpoint;

// The listener and its own database connection, on the listener's thread
// (EngineHost moves it there); the GUI thread never waits on a request.
class ListenerWorker final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ListenerWorker)

public:
    ListenerWorker(const QString &databasePath, const ListenerConfig &config);
    ~ListenerWorker() override;

    // On the listener's thread. Opens the database and binds; why it could
    // not, or empty.
    QString begin(bool paused);
    void resume();
    // Replaces the local inbox (which answers POST /inbox/NAME by default).
    void setInboxHandler(ListenerHandler handler);
    QString url() const;
    void finish();

signals:
    // Events were stored; at most once per turn of the event loop.
    void eventsAccepted();

private:
    QString m_databasePath;
    ListenerConfig m_config;
    ListenerHandler m_inbox;
    bool m_signalQueued = false;
    std::unique_ptr<Database> m_database;
    std::unique_ptr<InboxEndpoint> m_inboxEndpoint;
    std::unique_ptr<HttpListener> m_listener;
};
