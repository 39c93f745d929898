#include "intake_store.h"

#include "store/database.h"
#include "store/sql_dialect.h"

#include <QSqlError>
#include <QSqlQuery>

IntakeStore::IntakeStore(Database *database)
    : m_database(database)
{
}

Result<std::optional<qint64>> IntakeStore::eventForKey(const QString &key,
                                                       const QDateTime &now) const
{
    QSqlQuery query(m_database->connection());
    query.prepare(
        QStringLiteral("SELECT event_id FROM intake_keys WHERE key = ? AND created_at >= ?"));
    query.addBindValue(key);
    query.addBindValue(now.toMSecsSinceEpoch() - KeyLifetimeSecs * 1000);
    if (!query.exec())
        return StorageError::fromSql(query.lastError(), tr("Reading the idempotency key"));
    if (!query.next())
        return std::optional<qint64>();
    return std::optional<qint64>(query.value(0).toLongLong());
}

Status IntakeStore::rememberKey(const QString &key, qint64 eventId, const QDateTime &now)
{
    const QString context = tr("Storing the idempotency key");
    QSqlQuery forget(m_database->connection());
    forget.prepare(QStringLiteral("DELETE FROM intake_keys WHERE created_at < ?"));
    forget.addBindValue(now.toMSecsSinceEpoch() - KeyLifetimeSecs * 1000);
    if (!forget.exec())
        return StorageError::fromSql(forget.lastError(), context);
    QSqlQuery query(m_database->connection());
    query.prepare(
        QStringLiteral("INSERT INTO intake_keys (key, event_id, created_at) VALUES (?, ?, ?)"));
    query.addBindValue(key);
    query.addBindValue(eventId);
    query.addBindValue(now.toMSecsSinceEpoch());
    if (!query.exec())
        return StorageError::fromSql(query.lastError(), context);
    return Done{};
}

Result<bool> IntakeStore::projectIsStored(qint64 id, const QString &title) const
{
    if (!m_projectTitle) {
        m_projectTitle.emplace(m_database->connection());
        m_projectTitle->setForwardOnly(true);
        if (!m_projectTitle->prepare(QStringLiteral("SELECT title FROM projects WHERE id = ?"))) {
            const QSqlError error = m_projectTitle->lastError();
            m_projectTitle.reset();
            return StorageError::fromSql(error, tr("Reading project %1").arg(id));
        }
    }
    QSqlQuery &known = *m_projectTitle;
    known.addBindValue(id);
    if (!known.exec()) {
        // Prepared anew next time: after a server reconnects, a statement
        // prepared on the old session never runs again.
        const QSqlError error = known.lastError();
        m_projectTitle.reset();
        return StorageError::fromSql(error, tr("Reading project %1").arg(id));
    }
    const bool stored = known.next() && (title.isEmpty() || known.value(0).toString() == title);
    known.finish();
    return stored;
}

Status IntakeStore::upsertProject(qint64 id, const QString &title)
{
    // Read first: most events name a project already stored as it is, and a
    // read takes no write lock.
    if (Result<bool> stored = projectIsStored(id, title); !stored)
        return stored.error();
    else if (stored.value())
        return Done{};
    QSqlQuery query(m_database->connection());
    // Without a title a known project keeps its own; a new one gets a name.
    // A server prepares first: a lock that does not come in time fails here.
    if (!query.prepare(
            title.isEmpty()
                ? QStringLiteral("INSERT INTO projects (id, title, created_at) VALUES (?, ?, "
                                 "?) ON CONFLICT (id) DO NOTHING")
                : QStringLiteral("INSERT INTO projects (id, title, created_at) VALUES (?, ?, "
                                 "?) ON CONFLICT (id) DO UPDATE SET title = excluded.title "
                                 "WHERE projects.title <> excluded.title")))
        return StorageError::fromSql(query.lastError(), tr("Storing project %1").arg(id));
    query.addBindValue(id);
    query.addBindValue(title.isEmpty() ? tr("Label Studio project %1").arg(id) : title);
    query.addBindValue(QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs));
    if (!query.exec() ||
        !SqlDialect::syncIdentity(m_database->connection(), QStringLiteral("projects")))
        return StorageError::fromSql(query.lastError(), tr("Storing project %1").arg(id));
    return Done{};
}

Status IntakeStore::ping() const
{
    QSqlQuery query(m_database->connection());
    if (!query.exec(QStringLiteral("SELECT count(*) FROM settings")) || !query.next())
        return StorageError::fromSql(query.lastError(), tr("Reading the database"));
    // A write that changes nothing still needs the write lock and a writable
    // file: a read-only or locked database cannot take an event either.
    if (!query.exec(QStringLiteral("DELETE FROM intake_keys WHERE 1 = 0")))
        return StorageError::fromSql(query.lastError(), tr("Writing to the database"));
    return Done{};
}

Status IntakeStore::deferCheckpoints()
{
    QSqlQuery query(m_database->connection());
    if (m_database->isServer())
        return Done{}; // the server checkpoints on its own
    if (!query.exec(QStringLiteral("PRAGMA wal_autocheckpoint = 0")))
        return StorageError::fromSql(query.lastError(), tr("Reading the database"));
    return Done{};
}

Status IntakeStore::checkpoint()
{
    QSqlQuery query(m_database->connection());
    if (m_database->isServer())
        return Done{};
    if (!query.exec(QStringLiteral("PRAGMA wal_checkpoint(PASSIVE)")))
        return StorageError::fromSql(query.lastError(), tr("Reading the database"));
    return Done{};
}
