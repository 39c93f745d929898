#pragma once

#include <QByteArray>
#include <QList>
#include <QUrl>

// How Label Studio sends: one request at a time, each on a new connection,
// blocking until the whole response is read. The baseline the engine is
// measured against.
class SequentialSender final
{
public:
    explicit SequentialSender(const QByteArray &body);

    // Sends one POST to each URL in turn; returns how many got a 2xx.
    int send(const QList<QUrl> &urls);

private:
    bool sendOne(const QUrl &url);

    QByteArray m_body;
};
