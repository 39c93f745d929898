#pragma once

#include "event_type.h"

#include <QCoreApplication>
#include <QJsonObject>
#include <QList>
#include <optional>

// The event types a hook can subscribe to: Label Studio's built-ins, in its
// order, followed by the custom types the user added.
class EventCatalog
{
    Q_DECLARE_TR_FUNCTIONS(EventCatalog)

public:
    // Only for test sends to one hook; never emitted, never subscribed to.
    static inline const QString PingKey = QStringLiteral("PING");
    static inline const QString CustomGroup = QStringLiteral("Custom");
    // Operational events: the engine sends them about a hook (never to that
    // hook), to the hooks that check them; they cannot be emitted by hand.
    static inline const QString WebhookDisabledKey = QStringLiteral("WEBHOOK_DISABLED");
    static inline const QString WebhookPausedKey = QStringLiteral("WEBHOOK_PAUSED");
    static inline const QString DeliveryExhaustedKey = QStringLiteral("DELIVERY_EXHAUSTED");
    static inline const QString OperationsGroup = QStringLiteral("Operations");
    static bool isOperational(const QString &key);

    EventCatalog();
    explicit EventCatalog(const QList<EventType> &customTypes);

    static const QList<EventType> &builtInTypes();
    // Group names in display order; untranslated (translate with groupTitle()).
    static QStringList groups();
    static QString groupTitle(const QString &group);

    const QList<EventType> &types() const { return m_types; }
    QList<EventType> typesInGroup(const QString &group) const;
    std::optional<EventType> find(const QString &key) const;
    bool contains(const QString &key) const { return find(key).has_value(); }
    // Orders keys as the catalog does; unknown keys go last, sorted.
    QStringList sorted(const QStringList &keys) const;

    // A realistic payload as it appears in the request body, without "action"
    // and "project": e.g. {"annotation": {...}, "task": {...}}.
    QJsonObject samplePayload(const QString &key) const;
    static QJsonObject sampleProject(qint64 id = 1, const QString &title = {});

private:
    QList<EventType> m_types;
};
