#pragma once

#include "listener/intake_service.h"
#include "listener/listener_exchange.h"

#include <QAbstractHttpServer>
#include <QHash>
#include <QHostAddress>
#include <memory>

class StatementCache;

class Database;
class IntakeBatch;
class IntakeService;
class ListenerTcpServer;

struct ListenerConfig
{
    static constexpr qint64 DefaultBodyLimit = 10 * 1024 * 1024;
    static constexpr int DefaultHeaderLimit = 64 * 1024;
    static constexpr int DefaultHeaderTimeoutMs = 10 * 1000;
    static constexpr int DefaultMaxConnections = 256;

    QHostAddress address = QHostAddress(QHostAddress::LocalHost);
    quint16 port = 0;
    qint64 bodyLimit = DefaultBodyLimit;
    int headerLimit = DefaultHeaderLimit;
    int headerTimeoutMs = DefaultHeaderTimeoutMs;
    int maxConnections = DefaultMaxConnections;
};

// The app's HTTP listener: the intake endpoints, GET /healthz, and
// POST /inbox/NAME handed to the inbox handler. Qt HTTP Server parses the
// requests; the limits Qt 6.4's server does not have are enforced here, on
// the raw bytes, before it reads them: a body over the limit (by its
// Content-Length) is answered 413, headers over 64 KB 431, headers not
// complete within the timeout 408 and closed, chunked bodies 411 (their
// size is not known up front), more than 256 connections 503. Replies are
// written in request order per connection, so a delayed inbox answer holds
// up only its own connection. Intake requests are checked here and stored
// in batches on a writer thread of their own (IntakeBatch), each answered
// after its batch's commit.
class HttpListener final : public QAbstractHttpServer
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HttpListener)

public:
    HttpListener(Database *database, const ListenerConfig &config, QObject *parent = nullptr);
    ~HttpListener() override;

    // Binds the address; returns why it cannot, or empty. With `paused` no
    // connection is accepted until resume(): the caller may announce the
    // address first.
    QString open(bool paused = false);
    void resume();
    quint16 port() const;
    // http://127.0.0.1:8484
    QString url() const;
    int openConnections() const;

    // Runs `work` with the connection intake requests are stored through, on
    // its thread, and waits for it (nullptr before open()).
    void withIntakeConnection(const std::function<void(Database *)> &work);

    // POST /inbox/NAME goes to this handler (on this thread); without one it
    // answers 404.
    void setInboxHandler(ListenerHandler handler);

signals:
    // An intake request stored an event (202); for waking the dispatcher.
    void eventAccepted(qint64 eventId);

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override;
    void missingHandler(const QHttpServerRequest &request, QTcpSocket *socket) override;

private:
    struct Connection;
    // The answer now, or an intake request to store with the next batch.
    using Routed = IntakeService::Checked;

    Routed route(const ListenerRequest &request);
    bool authorized(const ListenerRequest &request) const;
    void watch(QTcpSocket *socket);
    void scan(QTcpSocket *socket);
    void reject(QTcpSocket *socket, int status, const QString &message);
    // Reserves the next reply slot of the connection; fill it with answer().
    qint64 reserve(QTcpSocket *socket);
    void answer(QTcpSocket *socket, qint64 slot, const ListenerReply &reply, bool close);
    void flush(QTcpSocket *socket);
    void restartHeaderTimer(QTcpSocket *socket);

    Database *m_database;
    // The token's read, prepared once: it runs on every request.
    std::unique_ptr<StatementCache> m_statements;
    ListenerConfig m_config;
    ListenerTcpServer *m_server = nullptr;
    std::unique_ptr<IntakeService> m_intake;
    std::unique_ptr<IntakeBatch> m_batch;
    ListenerHandler m_inbox;
    QHash<QTcpSocket *, std::shared_ptr<Connection>> m_connections;
};
