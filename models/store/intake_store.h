#pragma once

#include "store/storage_error.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QSqlQuery>
#include <optional>

class Database;

// What the listener's intake stores besides the event: idempotency keys, and
// the projects Label Studio names.
class IntakeStore final
{
    Q_DECLARE_TR_FUNCTIONS(IntakeStore)
    Q_DISABLE_COPY_MOVE(IntakeStore)

public:
    static constexpr qint64 KeyLifetimeSecs = 24 * 60 * 60;

    explicit IntakeStore(Database *database);

    // The event first stored under this key within the last 24 hours.
    Result<std::optional<qint64>> eventForKey(const QString &key, const QDateTime &now) const;
    // Inside the event's transaction; also forgets keys older than 24 hours.
    Status rememberKey(const QString &key, qint64 eventId, const QDateTime &now);
    // Label Studio's project under its own id; a changed title follows Label
    // Studio, so hooks receive the title it sent.
    Status upsertProject(qint64 id, const QString &title);
    // The project is stored with this title (any title, when it is empty):
    // upsertProject would write nothing.
    Result<bool> projectIsStored(qint64 id, const QString &title) const;

    // The database answers and would take a write now (for GET /healthz).
    Status ping() const;

    // Keeps WAL checkpoints (an fsync) off the request path: this connection
    // no longer checkpoints when it commits; the engine's connections still
    // do, and checkpoint() runs one now and then.
    Status deferCheckpoints();
    Status checkpoint();

private:
    Database *m_database;
    // Prepared once per store: the listener keeps one store for its
    // connection, and parsing the statement cost more than running it.
    mutable std::optional<QSqlQuery> m_projectTitle;
};
