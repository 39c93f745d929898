#include "listener_tcp_server.h"

#include <QTcpSocket>

ListenerTcpServer::ListenerTcpServer(int maxConnections, QObject *parent)
    : QTcpServer(parent)
    , m_maxConnections(maxConnections)
{
}

void ListenerTcpServer::incomingConnection(qintptr descriptor)
{
    auto *socket = new QTcpSocket(this);
    if (!socket->setSocketDescriptor(descriptor)) {
        delete socket;
        return;
    }
    connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
    if (m_open >= m_maxConnections) {
        socket->write("HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\n"
                      "Retry-After: 1\r\nConnection: close\r\nContent-Length: 54\r\n\r\n"
                      "{\"error\":\"Too many open connections; try again soon.\"}");
        socket->disconnectFromHost();
        return;
    }
    ++m_open;
    // Counted down by a child rather than by the socket's own signal, which
    // a QObject::disconnect() on the socket (some Qt HTTP Server versions do
    // that on a request they cannot parse) would take away.
    auto *tracker = new QObject(socket);
    connect(tracker, &QObject::destroyed, this, [this] { --m_open; });
    emit connectionOpened(socket);
    addPendingConnection(socket);
}
