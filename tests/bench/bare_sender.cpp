#include "bare_sender.h"

#include "delivery/delivery_store.h"

#include <QDateTime>
#include <QEventLoop>
#include <QNetworkAccessManager>
#include <QNetworkReply>

BareSender::BareSender(QNetworkAccessManager *network, const QByteArray &body, int globalCap,
                       int perHostCap, QObject *parent)
    : QObject(parent)
    , m_network(network)
    , m_body(body)
    , m_globalCap(globalCap)
    , m_perHostCap(perHostCap)
{
}

int BareSender::send(const QList<QUrl> &urls)
{
    m_urls = urls;
    m_next = 0;
    m_finished = 0;
    m_ok = 0;
    QEventLoop loop;
    connect(this, &BareSender::allFinished, &loop, &QEventLoop::quit);
    startMore();
    if (m_finished < urls.size())
        loop.exec();
    return m_ok;
}

void BareSender::startMore()
{
    // One host at a time keeps the order, as the engine does per hook.
    while (m_next < m_urls.size() && m_inFlight < m_globalCap) {
        const QUrl url = m_urls.at(m_next);
        const QString host = url.host() + QLatin1Char(':') + QString::number(url.port());
        if (m_perHost.value(host) >= m_perHostCap)
            break;
        ++m_next;
        ++m_inFlight;
        m_perHost[host] += 1;
        QNetworkRequest request(url);
        request.setHeader(QNetworkRequest::ContentTypeHeader, QStringLiteral("application/json"));
        request.setHeader(QNetworkRequest::UserAgentHeader,
                          QStringLiteral("WebhookAdmin-baseline"));
        request.setRawHeader("webhook-id", DeliveryStore::newMessageId().toLatin1());
        request.setRawHeader("webhook-timestamp",
                             QByteArray::number(QDateTime::currentSecsSinceEpoch()));
        request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                             QNetworkRequest::ManualRedirectPolicy);
        request.setAttribute(QNetworkRequest::Http2AllowedAttribute, m_http2);
        request.setAttribute(QNetworkRequest::Http2DirectAttribute, m_http2);
        QNetworkReply *reply = m_network->post(request, m_body);
        connect(reply, &QNetworkReply::finished, this, [this, reply, host] {
            reply->deleteLater();
            const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            if (status >= 200 && status < 300)
                ++m_ok;
            (void)reply->readAll();
            --m_inFlight;
            if (--m_perHost[host] <= 0)
                m_perHost.remove(host);
            if (++m_finished == m_urls.size())
                emit allFinished();
            else
                startMore();
        });
    }
}
