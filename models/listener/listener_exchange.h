#pragma once

#include <QByteArray>
#include <QHostAddress>
#include <QList>
#include <QPair>
#include <QString>
#include <functional>

// One HTTP request as the app's listener received it, and the answer to send.
// Kept free of Qt HTTP Server types so a handler (the local inbox) can be
// written and tested without a socket.
struct ListenerRequest
{
    QString method;                               // "POST"
    QString path;                                 // "/inbox/ci", without the query
    QString query;                                // without the '?'
    QList<QPair<QByteArray, QByteArray>> headers; // as received, in order
    QByteArray body;                              // at most the listener's body limit
    qint64 fullSize = 0;                          // the body's announced size (Content-Length)
    QHostAddress remoteAddress;
};

struct ListenerReply
{
    int status = 200;
    QByteArray contentType = "application/json";
    QByteArray body;
    QList<QPair<QByteArray, QByteArray>> headers;
    int delayMs = 0; // answer after this long, without holding up other requests
};

// Runs on the listener's thread.
using ListenerHandler = std::function<ListenerReply(const ListenerRequest &)>;
