#pragma once

#include "domain/event_catalog.h"
#include "listener/listener_exchange.h"
#include "store/storage_error.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonObject>
#include <optional>

class Database;

// The intake endpoints behind the listener: turns a request into a stored
// event and its deliveries, or into an error that stores nothing. Runs on the
// listener's thread with the listener's own connection.
class IntakeService final
{
    Q_DECLARE_TR_FUNCTIONS(IntakeService)
    Q_DISABLE_COPY_MOVE(IntakeService)

public:
    static constexpr int RetryAfterSecs = 5;

    explicit IntakeService(Database *database);

    // POST /intake/label-studio: {"action": KEY, "project": {...}, <payload key>: ...}
    ListenerReply labelStudio(const ListenerRequest &request);
    // POST /intake/events/KEY?project=ID: the payload as for `emit --data`.
    ListenerReply events(const QString &action, const ListenerRequest &request);
    // GET /healthz
    ListenerReply health();

    // The event id a 202 or 200 names, 0 for any other reply.
    static qint64 acceptedEvent(const ListenerReply &reply);
    static ListenerReply error(int status, const QString &message);
    static ListenerReply storageError(const StorageError &error);

private:
    // The catalog with the custom types, read again at most once a second
    // and whenever an action is not in it (so `events add` counts at once).
    Result<EventCatalog> catalog(const QString &action);
    // Stores the event unless the request's idempotency key already names one.
    ListenerReply store(const ListenerRequest &request, const QString &action,
                        std::optional<qint64> projectId, const QJsonObject &data,
                        const std::optional<QString> &projectTitle);

    Database *m_database;
    std::optional<EventCatalog> m_catalog;
    QElapsedTimer m_catalogAge;
};
