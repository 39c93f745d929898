#include "http_listener.h"

#include "intake_batch.h"
#include "intake_service.h"
#include "listener_tcp_server.h"
#include "store/database.h"
#include "store/listener_settings_store.h"
#include "store/statement_cache.h"

#include <QHttpServerRequest>
#include <QMetaEnum>
#include <QPointer>
#include <QTcpSocket>
#include <QTimer>
#include <QUrl>
#include <deque>

namespace {

QByteArray reasonPhrase(int status)
{
    switch (status) {
    case 100:
        return "Continue";
    case 200:
        return "OK";
    case 201:
        return "Created";
    case 202:
        return "Accepted";
    case 204:
        return "No Content";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 405:
        return "Method Not Allowed";
    case 408:
        return "Request Timeout";
    case 409:
        return "Conflict";
    case 410:
        return "Gone";
    case 411:
        return "Length Required";
    case 413:
        return "Content Too Large";
    case 422:
        return "Unprocessable Content";
    case 429:
        return "Too Many Requests";
    case 431:
        return "Request Header Fields Too Large";
    case 500:
        return "Internal Server Error";
    case 502:
        return "Bad Gateway";
    case 503:
        return "Service Unavailable";
    case 504:
        return "Gateway Timeout";
    default:
        return "Status";
    }
}

QByteArray oneLine(QByteArray text)
{
    text.replace('\r', ' ').replace('\n', ' ').replace('\0', ' ');
    return text;
}

QString methodName(QHttpServerRequest::Method method)
{
    const QMetaEnum meta = QMetaEnum::fromType<QHttpServerRequest::Method>();
    const char *key = meta.valueToKey(int(method));
    return key ? QString::fromLatin1(key).toUpper() : QStringLiteral("UNKNOWN");
}

// The segment after `prefix` when it is one non-empty path segment.
QString lastSegment(const QString &path, QLatin1String prefix)
{
    if (!path.startsWith(prefix))
        return {};
    const QString rest = path.mid(prefix.size());
    return rest.contains(QLatin1Char('/')) ? QString() : rest;
}

ListenerReply methodNotAllowed(const QString &method, const QString &path, const QByteArray &allow)
{
    ListenerReply reply =
        IntakeService::error(405, HttpListener::tr("%1 is not allowed on %2; use %3.")
                                      .arg(method, path, QString::fromLatin1(allow)));
    reply.headers.append(qMakePair(QByteArray("Allow"), QByteArray(allow)));
    return reply;
}

} // namespace

struct HttpListener::Connection
{
    enum class State { Headers, Body, Rejected };
    struct Pending
    {
        bool ready = false;
        bool close = false;
        QByteArray bytes;
    };

    State state = State::Headers;
    QByteArray head;      // the current request's header bytes so far
    qint64 remaining = 0; // body bytes still to come
    QTimer *headerTimer = nullptr;
    qint64 firstQueued = 0;    // the number of slots.front()
    std::deque<Pending> queue; // replies in request order
};

HttpListener::HttpListener(Database *database, const ListenerConfig &config, QObject *parent)
    : QAbstractHttpServer(parent)
    , m_database(database)
    , m_statements(std::make_unique<StatementCache>(database))
    , m_config(config)
    , m_intake(std::make_unique<IntakeService>(database))
    , m_batch(std::make_unique<IntakeBatch>(database->path()))
{
}

HttpListener::~HttpListener()
{
    // What was received is stored and answered while the sockets still exist.
    m_batch->finish();
}

QString HttpListener::open(bool paused)
{
    if (const QString error = m_batch->start(); !error.isEmpty())
        return tr("Cannot open the intake's connection to the database: %1").arg(error);
    auto *server = new ListenerTcpServer(m_config.maxConnections, this);
    connect(server, &ListenerTcpServer::connectionOpened, this, &HttpListener::watch,
            Qt::DirectConnection);
    if (!server->listen(m_config.address, m_config.port)) {
        const QString error = tr("Cannot listen on %1 port %2: %3")
                                  .arg(m_config.address.toString())
                                  .arg(m_config.port)
                                  .arg(server->errorString());
        delete server;
        return error;
    }
    if (paused)
        server->pauseAccepting();
    m_server = server;
    bind(server);
    return {};
}

void HttpListener::resume()
{
    if (m_server)
        m_server->resumeAccepting();
}

quint16 HttpListener::port() const
{
    return m_server ? m_server->serverPort() : 0;
}

QString HttpListener::url() const
{
    const QHostAddress address = m_config.address;
    const QString host = address.protocol() == QAbstractSocket::IPv6Protocol
                             ? QLatin1Char('[') + address.toString() + QLatin1Char(']')
                             : address.toString();
    return QStringLiteral("http://%1:%2").arg(host).arg(port());
}

int HttpListener::openConnections() const
{
    return m_server ? m_server->openConnections() : 0;
}

void HttpListener::withIntakeConnection(const std::function<void(Database *)> &work)
{
    m_batch->withConnection(work);
}

void HttpListener::setInboxHandler(ListenerHandler handler)
{
    m_inbox = std::move(handler);
}

void HttpListener::watch(QTcpSocket *socket)
{
    auto connection = std::make_shared<Connection>();
    connection->headerTimer = new QTimer(socket);
    connection->headerTimer->setSingleShot(true);
    connection->headerTimer->setInterval(m_config.headerTimeoutMs);
    QPointer<QTcpSocket> guarded(socket);
    connect(connection->headerTimer, &QTimer::timeout, this, [this, guarded] {
        if (!guarded)
            return;
        const std::shared_ptr<Connection> c = m_connections.value(guarded);
        if (!c || c->state != Connection::State::Headers)
            return;
        if (c->head.isEmpty() && !c->queue.empty()) {
            restartHeaderTimer(guarded); // we owe the client an answer; it is not slow
            return;
        }
        if (c->head.isEmpty()) {
            // An idle keep-alive connection; freed here too in case its
            // signal connections are gone (see ListenerTcpServer).
            guarded->disconnectFromHost(); // nothing is left to write
            guarded->deleteLater();
            return;
        }
        reject(guarded, 408,
               tr("The request's headers did not arrive within %1 seconds.")
                   .arg(m_config.headerTimeoutMs / 1000.0));
    });
    // Connected before Qt HTTP Server connects its own slot: scan() sees
    // every byte before the server reads it.
    connect(socket, &QTcpSocket::readyRead, this, [this, socket] { scan(socket); });
    // The timer is the socket's child: its end is the socket's, whatever
    // became of the socket's own signal connections.
    connect(connection->headerTimer, &QObject::destroyed, this,
            [this, socket] { m_connections.remove(socket); });
    m_connections.insert(socket, connection);
    connection->headerTimer->start();
}

void HttpListener::restartHeaderTimer(QTcpSocket *socket)
{
    if (const std::shared_ptr<Connection> c = m_connections.value(socket))
        c->headerTimer->start();
}

void HttpListener::scan(QTcpSocket *socket)
{
    const std::shared_ptr<Connection> c = m_connections.value(socket);
    if (!c)
        return;
    if (c->state == Connection::State::Rejected) {
        socket->readAll(); // nothing more of this connection reaches the server
        return;
    }
    const QByteArray data = socket->peek(socket->bytesAvailable());
    qsizetype pos = 0;
    while (pos < data.size()) {
        if (c->state == Connection::State::Body) {
            const qint64 take = std::min<qint64>(c->remaining, data.size() - pos);
            c->remaining -= take;
            pos += take;
            if (c->remaining == 0) {
                c->state = Connection::State::Headers;
                c->head.clear();
                c->headerTimer->start();
            }
            continue;
        }
        const qsizetype searchFrom = std::max<qsizetype>(0, c->head.size() - 3);
        const qsizetype before = c->head.size();
        c->head.append(data.constData() + pos, data.size() - pos);
        const qsizetype end = c->head.indexOf("\r\n\r\n", searchFrom);
        if (end < 0) {
            if (c->head.size() > m_config.headerLimit)
                return reject(socket, 431,
                              tr("The request's headers are larger than %1 KB.")
                                  .arg(m_config.headerLimit / 1024));
            return;
        }
        const qsizetype headerBytes = end + 4;
        if (headerBytes > m_config.headerLimit)
            return reject(socket, 431,
                          tr("The request's headers are larger than %1 KB.")
                              .arg(m_config.headerLimit / 1024));
        pos += headerBytes - before;
        c->headerTimer->stop();

        qint64 contentLength = 0;
        bool chunked = false;
        bool expectContinue = false;
        const QList<QByteArray> lines = c->head.left(end).split('\n');
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const QByteArray &line = lines.at(i);
            const qsizetype colon = line.indexOf(':');
            if (colon <= 0)
                continue;
            const QByteArray name = line.left(colon).trimmed().toLower();
            const QByteArray value = line.mid(colon + 1).trimmed();
            if (name == "content-length") {
                bool ok = false;
                contentLength = value.toLongLong(&ok);
                if (!ok || contentLength < 0)
                    return reject(socket, 400, tr("The Content-Length header is not a number."));
            } else if (name == "transfer-encoding") {
                chunked = value.toLower().contains("chunked");
            } else if (name == "expect") {
                expectContinue = value.toLower() == "100-continue";
            }
        }
        if (chunked)
            return reject(socket, 411,
                          tr("Send the body with a Content-Length; chunked bodies are not "
                             "accepted."));
        if (contentLength > m_config.bodyLimit)
            return reject(socket, 413,
                          tr("The body (%1 bytes) is larger than the limit of %2 bytes.")
                              .arg(contentLength)
                              .arg(m_config.bodyLimit));
        if (expectContinue && c->queue.empty())
            socket->write("HTTP/1.1 100 Continue\r\n\r\n");
        c->head.clear();
        if (contentLength > 0) {
            c->state = Connection::State::Body;
            c->remaining = contentLength;
        } else {
            c->headerTimer->start();
        }
    }
}

void HttpListener::reject(QTcpSocket *socket, int status, const QString &message)
{
    const std::shared_ptr<Connection> c = m_connections.value(socket);
    if (!c)
        return;
    c->state = Connection::State::Rejected;
    c->headerTimer->stop();
    socket->readAll(); // the server never sees this request
    answer(socket, reserve(socket), IntakeService::error(status, message), true);
}

qint64 HttpListener::reserve(QTcpSocket *socket)
{
    const std::shared_ptr<Connection> c = m_connections.value(socket);
    if (!c)
        return -1;
    c->queue.emplace_back();
    return c->firstQueued + qint64(c->queue.size()) - 1;
}

void HttpListener::answer(QTcpSocket *socket, qint64 slot, const ListenerReply &reply, bool close)
{
    const std::shared_ptr<Connection> c = m_connections.value(socket);
    if (!c || slot < c->firstQueued || slot >= c->firstQueued + qint64(c->queue.size()))
        return;
    QByteArray bytes =
        "HTTP/1.1 " + QByteArray::number(reply.status) + ' ' + reasonPhrase(reply.status) + "\r\n";
    if (!reply.body.isEmpty())
        bytes += "Content-Type: " + oneLine(reply.contentType) + "\r\n";
    for (const auto &[name, value] : reply.headers)
        bytes += oneLine(name) + ": " + oneLine(value) + "\r\n";
    bytes += "Content-Length: " + QByteArray::number(reply.body.size()) + "\r\n";
    if (close)
        bytes += "Connection: close\r\n";
    bytes += "\r\n" + reply.body;
    Connection::Pending &s = c->queue.at(std::size_t(slot - c->firstQueued));
    s.ready = true;
    s.close = close;
    s.bytes = std::move(bytes);
    flush(socket);
}

void HttpListener::flush(QTcpSocket *socket)
{
    const std::shared_ptr<Connection> c = m_connections.value(socket);
    if (!c)
        return;
    while (!c->queue.empty() && c->queue.front().ready) {
        const Connection::Pending s = std::move(c->queue.front());
        c->queue.pop_front();
        ++c->firstQueued;
        socket->write(s.bytes);
        if (s.close) {
            c->state = Connection::State::Rejected;
            c->queue.clear();
            socket->disconnectFromHost();
            return;
        }
    }
    if (c->state == Connection::State::Headers && c->head.isEmpty())
        c->headerTimer->start(); // the client's next request may take its time again
}

bool HttpListener::handleRequest(const QHttpServerRequest &request, QTcpSocket *socket)
{
    const std::shared_ptr<Connection> c = m_connections.value(socket);
    if (!c || c->state == Connection::State::Rejected)
        return true;
    ListenerRequest r;
    r.method = methodName(request.method());
    r.path = request.url().path();
    r.query = request.url().query(QUrl::FullyEncoded);
    r.headers = request.headers();
    r.body = request.body();
    r.fullSize = r.body.size();
    r.remoteAddress = request.remoteAddress();
    const bool close = request.value("Connection").toLower() == "close";

    const qint64 slot = reserve(socket);
    Routed routed = route(r);
    if (auto *submission = std::get_if<IntakeSubmission>(&routed)) {
        m_batch->add(std::move(*submission), [this, guarded = QPointer<QTcpSocket>(socket), slot,
                                              close](const ListenerReply &reply) {
            if (reply.status == 202) {
                if (const qint64 event = IntakeService::acceptedEvent(reply); event > 0)
                    emit eventAccepted(event);
            }
            if (guarded)
                answer(guarded, slot, reply, close);
        });
        return true;
    }
    const ListenerReply &reply = std::get<ListenerReply>(routed);
    if (reply.delayMs > 0) {
        QTimer::singleShot(reply.delayMs, this,
                           [this, guarded = QPointer<QTcpSocket>(socket), slot, reply, close] {
                               if (guarded)
                                   answer(guarded, slot, reply, close);
                           });
    } else {
        answer(socket, slot, reply, close);
    }
    return true;
}

void HttpListener::missingHandler(const QHttpServerRequest &, QTcpSocket *)
{
    // handleRequest() answers every request.
}

bool HttpListener::authorized(const ListenerRequest &request) const
{
    QByteArray authorization;
    for (const auto &[name, value] : request.headers) {
        if (name.compare("Authorization", Qt::CaseInsensitive) == 0)
            authorization = value;
    }
    // Read on every request: `intake token --rotate` takes effect at once.
    QSqlError error;
    QSqlQuery *read = m_statements->get(ListenerSettingsStore::tokenQuery(), &error);
    if (!read)
        return false;
    read->addBindValue(ListenerSettingsStore::tokenKey());
    if (!read->exec()) {
        m_statements->invalidate(); // prepared anew after a reconnect
        return false;
    }
    const QString token = read->next() ? read->value(0).toString() : QString();
    read->finish();
    return ListenerSettingsStore::authorizationMatches(authorization, token);
}

HttpListener::Routed HttpListener::route(const ListenerRequest &request)
{
    const QString &path = request.path;
    const bool post = request.method == QLatin1String("POST");
    const auto unauthorized = [] {
        ListenerReply reply = IntakeService::error(
            401, tr("The request needs the header \"Authorization: Bearer TOKEN\" with the token "
                    "`webhook-admin intake token` prints."));
        reply.headers.append(qMakePair(QByteArray("WWW-Authenticate"), QByteArray("Bearer")));
        return reply;
    };

    if (path == QLatin1String("/healthz")) {
        if (request.method != QLatin1String("GET"))
            return methodNotAllowed(request.method, path, "GET");
        return m_intake->health();
    }
    if (path == QLatin1String("/intake/label-studio")) {
        if (!post)
            return methodNotAllowed(request.method, path, "POST");
        if (!authorized(request))
            return unauthorized();
        return m_intake->labelStudio(request);
    }
    if (const QString key = lastSegment(path, QLatin1String("/intake/events/")); !key.isEmpty()) {
        if (!post)
            return methodNotAllowed(request.method, path, "POST");
        if (!authorized(request))
            return unauthorized();
        return m_intake->events(key, request);
    }
    if (const QString name = lastSegment(path, QLatin1String("/inbox/")); !name.isEmpty()) {
        if (!m_inbox)
            return IntakeService::error(404, tr("No local inbox runs in this listener."));
        return m_inbox(request);
    }
    return IntakeService::error(404, tr("There is nothing at %1; the listener serves "
                                        "/intake/label-studio, /intake/events/KEY, "
                                        "/inbox/NAME and /healthz.")
                                         .arg(path));
}
