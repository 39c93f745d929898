#pragma once

#include <QDBusConnection>
#include <QHash>
#include <QObject>
#include <QVariant>

// The freedesktop Notifications service (org.freedesktop.Notifications) on a
// D-Bus connection: shows a notification with a default action and says
// when it is clicked. Calls are asynchronous; nothing here blocks.
class DesktopNotifications final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DesktopNotifications)

public:
    static inline const QString Service = QStringLiteral("org.freedesktop.Notifications");
    static inline const QString Path = QStringLiteral("/org/freedesktop/Notifications");

    explicit DesktopNotifications(const QDBusConnection &bus, QObject *parent = nullptr);

    // False without a bus; show() then does nothing.
    bool isAvailable() const { return m_bus.isConnected(); }
    // `key` comes back with clicked(); it replaces the previous notification
    // with the same replacesKey (0: never).
    void show(const QString &summary, const QString &body, const QVariant &key);

signals:
    void clicked(const QVariant &key);
    // The service answered with an error (none running, refused).
    void failed(const QString &message);

private slots:
    void onActionInvoked(uint id, const QString &action);

private:
    QDBusConnection m_bus;
    QHash<uint, QVariant> m_keys; // notification id -> key
};
