#pragma once

#include "domain/event_catalog.h"
#include "listener/listener_exchange.h"
#include "store/storage_error.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QElapsedTimer>
#include <QJsonObject>
#include <memory>
#include <optional>
#include <variant>

class Database;
class IntakeStore;
class StatementCache;

// An intake request that passed every check that needs no write: what to store.
struct IntakeSubmission
{
    QString action;
    std::optional<qint64> projectId;
    std::optional<QString> projectTitle; // Label Studio's project: created, or renamed
    QJsonObject data;
    QString idempotencyKey; // empty: none
};

// The intake endpoints behind the listener: turns a request into a stored
// event and its deliveries, or into an error that stores nothing. Runs on the
// listener's thread with the listener's own connection. Checking and storing
// are apart so that IntakeBatch can store many requests in one transaction.
class IntakeService final
{
    Q_DECLARE_TR_FUNCTIONS(IntakeService)
    Q_DISABLE_COPY_MOVE(IntakeService)

public:
    static constexpr int RetryAfterSecs = 5;
    // The answer now (an error), or what to store.
    using Checked = std::variant<ListenerReply, IntakeSubmission>;

    explicit IntakeService(Database *database);
    ~IntakeService();

    // POST /intake/label-studio: {"action": KEY, "project": {...}, <payload key>: ...}
    Checked labelStudio(const ListenerRequest &request);
    // POST /intake/events/KEY?project=ID: the payload as for `emit --data`.
    Checked events(const QString &action, const ListenerRequest &request);
    // Stores a checked request, all or nothing: inside the caller's open
    // Transaction, as a savepoint of it. The reply is 202 (stored), 200 (its
    // idempotency key names an event already) or 4xx (refused, nothing
    // stored); an error means the database failed, and the caller's
    // transaction with it.
    Result<ListenerReply> store(const IntakeSubmission &submission, const QDateTime &now);
    // GET /healthz
    ListenerReply health();

    // The event id a 202 or 200 names, 0 for any other reply.
    static qint64 acceptedEvent(const ListenerReply &reply);
    static ListenerReply error(int status, const QString &message);
    static ListenerReply storageError(const StorageError &error);

private:
    // The catalog with the custom types, read again at most once a second
    // and whenever an action is not in it (so `events add` counts at once).
    Result<const EventCatalog *> catalog(const QString &action);
    // The checks every endpoint shares, once the action and project are known.
    Checked check(const ListenerRequest &request, const QString &action,
                  std::optional<qint64> projectId, QJsonObject data,
                  std::optional<QString> projectTitle);

    Database *m_database;
    std::unique_ptr<IntakeStore> m_store;
    // The emit path's statements, prepared once on the listener's connection.
    std::unique_ptr<StatementCache> m_statements;
    std::optional<EventCatalog> m_catalog;
    QElapsedTimer m_catalogAge;
};
