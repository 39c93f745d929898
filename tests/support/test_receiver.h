#pragma once

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QMap>
#include <QObject>
#include <QTcpServer>
#include <memory>

class QTcpSocket;

// A real HTTP/1.1 server on 127.0.0.1 for tests and benchmarks. What it does
// is chosen by the request path, so one server plays every receiver fault:
//   /ok                 200 {"ok":true}
//   /status/N           status N
//   /fail/N             500 for the first N requests of each webhook-id, then 200
//   /retry-after/S      429 with Retry-After: S for the first request of each webhook-id, then 200
//   /gone               410
//   /redirect           301 to /ok
//   /hang               reads the request, never answers
//   /reset              starts a response, then resets the connection
//   /garbage            answers bytes that are not HTTP, then closes
//   /big/N              200 with an N-byte body
//   /drip               sends headers, then one body byte per second
//   /slow/MS            200 after MS milliseconds
//   /close              200 without Content-Length, ended by closing
//   /http10             an HTTP/1.0 reply
//   /continue           100 Continue, then 200
// Anything else: 404.
class TestReceiver final : public QObject
{
    Q_OBJECT

public:
    struct Request
    {
        QByteArray method;
        QByteArray path;
        QMap<QByteArray, QByteArray> headers; // lower-case names
        QByteArray body;
    };

    explicit TestReceiver(QObject *parent = nullptr);
    ~TestReceiver() override;

    bool listen(const QHostAddress &address = QHostAddress::LocalHost, quint16 port = 0);
    // HTTPS with the certificate and key in PEM files (a self-signed one for tests).
    bool listenTls(const QString &certificatePath, const QString &keyPath,
                   const QHostAddress &address = QHostAddress::LocalHost);
    quint16 port() const { return m_server->serverPort(); }
    QString url(const QString &path) const;
    void close();

    const QList<Request> &requests() const { return m_requests; }
    int count(const QByteArray &pathPrefix = {}) const;
    void clear() { m_requests.clear(); }
    // Record only the count, not the bodies (for benchmarks).
    void setKeepRequests(bool keep) { m_keepRequests = keep; }
    qint64 total() const { return m_total; }

signals:
    void requestReceived();

private:
    void onNewConnection();
    void onReadyRead(QTcpSocket *socket);
    void respond(QTcpSocket *socket, const Request &request);

    std::unique_ptr<QTcpServer> m_server;
    bool m_tls = false;
    QHash<QTcpSocket *, QByteArray> m_buffers;
    QList<Request> m_requests;
    QHash<QByteArray, int> m_seen; // webhook-id -> requests so far
    bool m_keepRequests = true;
    qint64 m_total = 0;
};
