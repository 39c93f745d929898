#include "test_receiver.h"

#include <QFile>
#include <QSslConfiguration>
#include <QSslKey>
#include <QSslServer>
#include <QTcpSocket>
#include <QTimer>

namespace {

QByteArray response(int status, const QByteArray &reason, const QByteArray &body,
                    const QList<QByteArray> &extraHeaders = {})
{
    QByteArray out = "HTTP/1.1 " + QByteArray::number(status) + ' ' + reason + "\r\n";
    out += "Content-Type: application/json\r\n";
    out += "Content-Length: " + QByteArray::number(body.size()) + "\r\n";
    for (const QByteArray &h : extraHeaders)
        out += h + "\r\n";
    out += "\r\n" + body;
    return out;
}

} // namespace

TestReceiver::TestReceiver(QObject *parent)
    : QObject(parent)
    , m_server(std::make_unique<QTcpServer>())
{
    connect(m_server.get(), &QTcpServer::pendingConnectionAvailable, this,
            &TestReceiver::onNewConnection);
}

TestReceiver::~TestReceiver()
{
    close();
}

bool TestReceiver::listen(const QHostAddress &address, quint16 port)
{
    return m_server->listen(address, port);
}

bool TestReceiver::listenTls(const QString &certificatePath, const QString &keyPath,
                             const QHostAddress &address)
{
    QFile certificateFile(certificatePath);
    QFile keyFile(keyPath);
    if (!certificateFile.open(QIODevice::ReadOnly) || !keyFile.open(QIODevice::ReadOnly))
        return false;
    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    configuration.setLocalCertificate(QSslCertificate(&certificateFile, QSsl::Pem));
    configuration.setPrivateKey(QSslKey(&keyFile, QSsl::Rsa, QSsl::Pem));
    configuration.setPeerVerifyMode(QSslSocket::VerifyNone);
    auto server = std::make_unique<QSslServer>();
    server->setSslConfiguration(configuration);
    m_server = std::move(server);
    m_tls = true;
    connect(m_server.get(), &QTcpServer::pendingConnectionAvailable, this,
            &TestReceiver::onNewConnection);
    return m_server->listen(address, 0);
}

QString TestReceiver::url(const QString &path) const
{
    const QHostAddress address = m_server->serverAddress();
    const QString host = address.protocol() == QAbstractSocket::IPv6Protocol
                             ? QStringLiteral("[") + address.toString() + QStringLiteral("]")
                             : address.toString();
    return (m_tls ? QStringLiteral("https://") : QStringLiteral("http://")) + host +
           QLatin1Char(':') + QString::number(port()) + path;
}

void TestReceiver::close()
{
    m_server->close();
    const auto sockets = m_buffers.keys();
    for (QTcpSocket *socket : sockets) {
        socket->abort();
        socket->deleteLater();
    }
    m_buffers.clear();
}

int TestReceiver::count(const QByteArray &pathPrefix) const
{
    int n = 0;
    for (const Request &r : m_requests) {
        if (r.path.startsWith(pathPrefix))
            ++n;
    }
    return n;
}

void TestReceiver::onNewConnection()
{
    while (QTcpSocket *socket = m_server->nextPendingConnection()) {
        m_buffers.insert(socket, {});
        connect(socket, &QTcpSocket::readyRead, this, [this, socket] { onReadyRead(socket); });
        connect(socket, &QTcpSocket::disconnected, this, [this, socket] {
            m_buffers.remove(socket);
            socket->deleteLater();
        });
    }
}

void TestReceiver::onReadyRead(QTcpSocket *socket)
{
    auto it = m_buffers.find(socket);
    if (it == m_buffers.end())
        return;
    it->append(socket->readAll());
    for (;;) {
        QByteArray &buffer = m_buffers[socket];
        const qsizetype headerEnd = buffer.indexOf("\r\n\r\n");
        if (headerEnd < 0)
            return;
        Request request;
        const QList<QByteArray> lines = buffer.left(headerEnd).split('\n');
        const QList<QByteArray> requestLine = lines.value(0).trimmed().split(' ');
        request.method = requestLine.value(0);
        request.path = requestLine.value(1);
        for (qsizetype i = 1; i < lines.size(); ++i) {
            const qsizetype colon = lines.at(i).indexOf(':');
            if (colon > 0)
                request.headers.insert(lines.at(i).left(colon).trimmed().toLower(),
                                       lines.at(i).mid(colon + 1).trimmed());
        }
        const qsizetype length = request.headers.value("content-length").toLongLong();
        if (buffer.size() < headerEnd + 4 + length)
            return;
        request.body = buffer.mid(headerEnd + 4, length);
        buffer.remove(0, headerEnd + 4 + length);
        ++m_total;
        if (m_keepRequests)
            m_requests.append(request);
        respond(socket, request);
        emit requestReceived();
        if (!m_buffers.contains(socket) || socket->state() != QAbstractSocket::ConnectedState)
            return;
    }
}

void TestReceiver::respond(QTcpSocket *socket, const Request &request)
{
    const QByteArray path = request.path;
    const QByteArray id = request.headers.value("webhook-id");
    const int seen = m_seen[id]++;
    const auto argument = [&](const char *prefix) {
        return path.mid(qstrlen(prefix)).toLongLong();
    };

    if (path == "/ok") {
        socket->write(response(200, "OK", R"({"ok":true})"));
    } else if (path.startsWith("/status/")) {
        socket->write(response(int(argument("/status/")), "Status", R"({"status":"as asked"})"));
    } else if (path.startsWith("/fail/")) {
        if (seen < argument("/fail/"))
            socket->write(response(500, "Internal Server Error", R"({"error":"try again"})"));
        else
            socket->write(response(200, "OK", R"({"ok":true})"));
    } else if (path.startsWith("/retry-after/")) {
        if (seen == 0)
            socket->write(response(429, "Too Many Requests", R"({"error":"slow down"})",
                                   {"Retry-After: " + path.mid(13)}));
        else
            socket->write(response(200, "OK", R"({"ok":true})"));
    } else if (path == "/gone") {
        socket->write(response(410, "Gone", R"({"error":"this hook is gone"})"));
    } else if (path == "/redirect") {
        socket->write(response(301, "Moved Permanently", {},
                               {"Location: " + url(QStringLiteral("/ok")).toUtf8()}));
    } else if (path == "/hang") {
        // Read, never answer.
    } else if (path == "/reset") {
        socket->write("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\npartial");
        socket->flush();
        socket->abort();
        m_buffers.remove(socket);
        socket->deleteLater();
    } else if (path == "/garbage") {
        // Like a service that speaks another protocol: it talks, and stays.
        socket->write("SSH-2.0-OpenSSH_9.2 this is not HTTP\r\n\r\n");
    } else if (path.startsWith("/big/")) {
        const qint64 size = argument("/big/");
        socket->write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " +
                      QByteArray::number(size) + "\r\n\r\n");
        // Written in slices as the peer reads, so a huge body costs no memory here.
        auto remaining = std::make_shared<qint64>(size);
        const QByteArray slice(64 * 1024, 'x');
        auto pushMore = [socket, remaining, slice] {
            while (*remaining > 0 && socket->bytesToWrite() < 1024 * 1024) {
                const qint64 n = std::min<qint64>(*remaining, slice.size());
                socket->write(slice.constData(), n);
                *remaining -= n;
            }
        };
        connect(socket, &QTcpSocket::bytesWritten, socket, pushMore);
        pushMore();
    } else if (path == "/drip") {
        socket->write("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n");
        auto *timer = new QTimer(socket);
        connect(timer, &QTimer::timeout, socket, [socket] { socket->write("."); });
        timer->start(1000);
    } else if (path.startsWith("/slow/")) {
        const QByteArray reply = response(200, "OK", R"({"ok":true})");
        QTimer::singleShot(int(argument("/slow/")), socket,
                           [socket, reply] { socket->write(reply); });
    } else if (path == "/close") {
        socket->write(
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\nbody "
            "without length");
        socket->disconnectFromHost();
    } else if (path == "/http10") {
        socket->write("HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nold school");
        socket->disconnectFromHost();
    } else if (path == "/continue") {
        socket->write("HTTP/1.1 100 Continue\r\n\r\n");
        socket->write(response(200, "OK", R"({"ok":true})"));
    } else {
        socket->write(response(404, "Not Found", R"({"error":"no such path"})"));
    }
}
