#include "failure_notifier.h"

#include "desktop_notifications.h"

#include <QStringList>
#include <utility>

FailureNotifier::FailureNotifier(Database *database, DesktopNotifications *notifications,
                                 QObject *parent)
    : QObject(parent)
    , m_feed(database)
    , m_notifications(notifications)
{
    m_flushTimer.setSingleShot(true);
    connect(&m_flushTimer, &QTimer::timeout, this, &FailureNotifier::flush);
    connect(m_notifications, &DesktopNotifications::clicked, this, [this](const QVariant &key) {
        const QList<QVariant> ids = key.toList();
        if (ids.size() == 2)
            emit activated(ids.at(0).toLongLong(), ids.at(1).toLongLong());
    });
    (void)m_feed.poll(); // learns where things stand; old failures are not news
}

void FailureNotifier::setEnabled(bool enabled)
{
    m_enabled = enabled;
    if (!enabled) {
        m_waiting.clear();
        m_flushTimer.stop();
    }
}

void FailureNotifier::check()
{
    // Read even when switched off, so switching on does not replay the past.
    Result<QList<FailureAlert>> alerts = m_feed.poll();
    if (!alerts || alerts->isEmpty() || !m_enabled)
        return;
    m_waiting += alerts.value();
    if (!m_sinceLast.isValid() || m_sinceLast.elapsed() >= m_burstMs) {
        flush();
        return;
    }
    if (!m_flushTimer.isActive())
        m_flushTimer.start(int(std::max<qint64>(0, m_burstMs - m_sinceLast.elapsed())));
}

void FailureNotifier::flush()
{
    if (m_waiting.isEmpty() || !m_enabled)
        return;
    const QList<FailureAlert> alerts = std::exchange(m_waiting, {});
    const auto [summary, body] = describe(alerts);
    // A click shows the first thing that broke.
    const FailureAlert &first = alerts.first();
    m_notifications->show(summary, body, QVariantList{first.hookId, first.attemptId});
    m_sinceLast.start();
    emit notified(summary, body);
}

QPair<QString, QString> FailureNotifier::describe(const QList<FailureAlert> &alerts)
{
    auto line = [](const FailureAlert &alert) {
        switch (alert.kind) {
        case FailureAlert::Kind::Paused:
            //: %1 hook id, %2 its URL (passwords masked), %3 why
            return tr("Webhook %1 (%2) is paused: %3")
                .arg(QString::number(alert.hookId), alert.hookUrl, alert.reason);
        case FailureAlert::Kind::Deactivated:
            return tr("Webhook %1 (%2) was deactivated: %3")
                .arg(QString::number(alert.hookId), alert.hookUrl, alert.reason);
        case FailureAlert::Kind::Exhausted:
            break;
        }
        //: %1 event key, %2 delivery id, %3 hook id, %4 its URL, %5 the last error
        return tr("%1 delivery %2 to webhook %3 (%4) failed after all attempts: %5")
            .arg(alert.action, QString::number(alert.deliveryId), QString::number(alert.hookId),
                 alert.hookUrl, alert.reason);
    };
    if (alerts.size() == 1) {
        const FailureAlert &alert = alerts.first();
        const QString summary = alert.kind == FailureAlert::Kind::Paused ? tr("Webhook paused")
                                : alert.kind == FailureAlert::Kind::Deactivated
                                    ? tr("Webhook deactivated")
                                    : tr("Delivery failed");
        return {summary, line(alert)};
    }
    int exhausted = 0;
    for (const FailureAlert &alert : alerts) {
        if (alert.kind == FailureAlert::Kind::Exhausted)
            ++exhausted;
    }
    const int hookProblems = int(alerts.size()) - exhausted;
    QStringList parts;
    if (exhausted > 0)
        parts.append(tr("%n deliveries failed after all attempts", nullptr, exhausted));
    if (hookProblems > 0)
        parts.append(tr("%n webhooks paused or deactivated", nullptr, hookProblems));
    //: Joins "5 deliveries failed..." and "2 webhooks paused..."
    const QString summary = parts.join(tr("; "));
    QStringList lines;
    for (qsizetype i = 0; i < alerts.size() && i < 3; ++i)
        lines.append(line(alerts.at(i)));
    if (alerts.size() > 3)
        lines.append(
            tr("…and %n more; the delivery log has them all.", nullptr, int(alerts.size() - 3)));
    return {summary, lines.join(QLatin1Char('\n'))};
}
