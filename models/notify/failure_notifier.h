#pragma once

#include "store/failure_feed.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

class Database;
class DesktopNotifications;

// Tells a person when hooks break: a desktop notification when a hook is
// paused or deactivated or a delivery has used all its attempts. The first
// failure is told at once; what follows within the burst interval waits and
// is told as one summary, so a burst makes one notification a minute.
class FailureNotifier final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FailureNotifier)

public:
    static constexpr int DefaultBurstMs = 60 * 1000;

    FailureNotifier(Database *database, DesktopNotifications *notifications,
                    QObject *parent = nullptr);

    void setEnabled(bool enabled);
    bool isEnabled() const { return m_enabled; }
    void setBurstInterval(int ms) { m_burstMs = ms; }

    // Title and text of the notification for these alerts.
    static QPair<QString, QString> describe(const QList<FailureAlert> &alerts);

public slots:
    // Reads what failed since the last look (call it when attempts were
    // recorded or the file changed).
    void check();

signals:
    // The notification was clicked: show this hook, and this attempt's row
    // when it is about a delivery (0 otherwise).
    void activated(qint64 hookId, qint64 attemptId);
    // Shown as a notification: for the status bar and for tests.
    void notified(const QString &summary, const QString &body);

private:
    void flush();

    FailureFeed m_feed;
    DesktopNotifications *m_notifications;
    bool m_enabled = true;
    int m_burstMs = DefaultBurstMs;
    QList<FailureAlert> m_waiting;
    QElapsedTimer m_sinceLast; // invalid: nothing told yet
    QTimer m_flushTimer;
};
