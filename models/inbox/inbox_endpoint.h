#pragma once

#include "listener/listener_exchange.h"
#include "store/inbox_store.h"

#include <QCoreApplication>
#include <QDateTime>
#include <functional>

class Database;

// The local inbox behind POST /inbox/NAME: stores each request with its
// signature verdict, commits, and then answers as the inbox is set to
// (status, body, delay; 200 {"ok": true} by default).
//
// Lives on the listener's thread with a Database opened there: receive()
// runs SQL on that connection and blocks for at most its busy timeout.
class InboxEndpoint final
{
    Q_DECLARE_TR_FUNCTIONS(InboxEndpoint)
    Q_DISABLE_COPY_MOVE(InboxEndpoint)

public:
    static constexpr QLatin1StringView PathPrefix{"/inbox/"};

    explicit InboxEndpoint(Database *database);

    ListenerReply receive(const ListenerRequest &request);
    // receive() as the listener takes it; valid while this endpoint lives.
    ListenerHandler handler();

    // For tests: the time requests are received at and verified against.
    void setClock(std::function<QDateTime()> clock) { m_clock = std::move(clock); }

private:
    static ListenerReply error(int status, const QString &message);

    InboxStore m_store;
    std::function<QDateTime()> m_clock;
};
