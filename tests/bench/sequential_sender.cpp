#include "sequential_sender.h"

#include "delivery/delivery_store.h"

#include <QDateTime>
#include <QTcpSocket>

namespace {
constexpr int TimeoutMs = 10000;
}

SequentialSender::SequentialSender(const QByteArray &body)
    : m_body(body)
{
}

int SequentialSender::send(const QList<QUrl> &urls)
{
    int ok = 0;
    for (const QUrl &url : urls) {
        if (sendOne(url))
            ++ok;
    }
    return ok;
}

bool SequentialSender::sendOne(const QUrl &url)
{
    QTcpSocket socket;
    socket.connectToHost(url.host(), quint16(url.port(80)));
    if (!socket.waitForConnected(TimeoutMs))
        return false;
    // The same headers the engine sends, minus the signature.
    QByteArray request = "POST " + url.path().toUtf8() + " HTTP/1.1\r\n";
    request += "Host: " + url.host().toUtf8() + ':' + QByteArray::number(url.port(80)) + "\r\n";
    request += "Content-Type: application/json\r\nUser-Agent: WebhookAdmin-baseline\r\n";
    request += "webhook-id: " + DeliveryStore::newMessageId().toLatin1() + "\r\n";
    request +=
        "webhook-timestamp: " + QByteArray::number(QDateTime::currentSecsSinceEpoch()) + "\r\n";
    request += "Connection: close\r\nContent-Length: " + QByteArray::number(m_body.size()) +
               "\r\n\r\n" + m_body;
    socket.write(request);
    QByteArray response;
    qsizetype headerEnd = -1;
    qint64 length = -1;
    while (true) {
        if (headerEnd < 0) {
            headerEnd = response.indexOf("\r\n\r\n");
            if (headerEnd >= 0) {
                const QByteArray head = response.left(headerEnd).toLower();
                const qsizetype at = head.indexOf("content-length:");
                if (at >= 0)
                    length =
                        head.mid(at + 15, head.indexOf('\r', at) - at - 15).trimmed().toLongLong();
            }
        }
        if (headerEnd >= 0 && length >= 0 && response.size() >= headerEnd + 4 + length)
            break;
        if (!socket.waitForReadyRead(TimeoutMs))
            break; // closed or timed out
        response += socket.readAll();
    }
    socket.close();
    return response.startsWith("HTTP/1.1 2") || response.startsWith("HTTP/1.0 2");
}
