#pragma once

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QObject>
#include <QUrl>

class QNetworkAccessManager;

// The ceiling of this stack: a bare QNetworkAccessManager loop that POSTs to
// the URLs with the engine's concurrency caps and records nothing.
class BareSender final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(BareSender)

public:
    BareSender(QNetworkAccessManager *network, const QByteArray &body, int globalCap,
               int perHostCap, QObject *parent = nullptr);
    // HTTP/2 with prior knowledge, as an HTTP/2 hook sends.
    void setHttp2(bool on) { m_http2 = on; }

    // Sends one POST per URL, in order, and returns how many got a 2xx once
    // all have finished.
    int send(const QList<QUrl> &urls);

signals:
    void allFinished();

private:
    void startMore();

    QNetworkAccessManager *m_network;
    QByteArray m_body;
    int m_globalCap;
    int m_perHostCap;
    bool m_http2 = false;
    QList<QUrl> m_urls;
    qsizetype m_next = 0;
    int m_inFlight = 0;
    int m_finished = 0;
    int m_ok = 0;
    QHash<QString, int> m_perHost;
};
