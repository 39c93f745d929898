#pragma once

#include <QTcpServer>

// The listener's TCP server: holds at most `maxConnections` open; one more is
// answered 503 and closed before Qt HTTP Server sees it (Qt 6.4's server has
// no such limit). `connectionOpened` fires before the HTTP server connects to
// the socket, so the listener's own checks read each byte first.
class ListenerTcpServer final : public QTcpServer
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ListenerTcpServer)

public:
    explicit ListenerTcpServer(int maxConnections, QObject *parent = nullptr);

    int openConnections() const { return m_open; }

signals:
    void connectionOpened(QTcpSocket *socket);

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    int m_maxConnections;
    int m_open = 0;
};
