#pragma once

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QString>
#include <functional>

// What differs between SQLite and PostgreSQL, in one place. Every store writes
// its SQL once; where the two dialects part, it asks here.
namespace SqlDialect {

enum class Backend { Sqlite, Postgres };

Backend backend(const QSqlDatabase &db);
inline bool isPostgres(const QSqlDatabase &db)
{
    return backend(db) == Backend::Postgres;
}

// Opens a write transaction: SQLite takes the write lock up front (BEGIN
// IMMEDIATE), so the busy timeout applies there and not half way through.
QString beginWrite(const QSqlDatabase &db);

// How long a statement waits for another connection's lock before it fails.
bool setLockWait(const QSqlDatabase &db, int milliseconds);

// PostgreSQL: when the connection is gone (a restart, a killed session),
// opens it again with the same settings, listening and lock wait included.
// At most once per backoff interval (1 s doubling to 30 s) per connection.
// The reporter hears of each outage once per process, however many of its
// connections find out: the loss when a reopen fails, and the first reconnect
// after it (or after ReconnectReportQuietMs without one: a killed session
// is lost and back before anything fails). False on SQLite, or when the
// connection is fine, or the server is still away.
bool reconnect(QSqlDatabase &db);
constexpr qint64 ReconnectReportQuietMs = 5000;
// Before a statement on a connection of a worker thread: QPSQL reports a
// lost session as not open, and Qt warns on stderr of every statement run on
// a connection that is not open ("QSqlQuery::exec: database not open"). A
// lost one is opened again (reconnect(), with its backoff); false while it
// cannot be, and the caller runs nothing. A window's thread never connects
// on its own (ServerWatch does, on a worker): it checks isOpen() instead.
bool ensureOpen(QSqlDatabase &db);
// True while this process's server connection is known to be away, or was
// lost or opened again within OutageMs: a statement failing now failed
// because of it, which the reporter has told (or will) once already.
bool inOutage();
constexpr qint64 OutageMs = 10000;
void setReconnectReporter(std::function<void(const QString &message)> reporter);
// PostgreSQL, after each open: what the server says outside a statement
// when it ends the session (a killed session, a server shutting down) would
// be printed on stderr by libpq, once per connection. It is taken here
// instead, and the connection is opened again (reconnect(), in its own
// thread, at once): an idle connection that only LISTENs learns of its loss
// without waiting for its next statement. Other notices print as before.
void watchSession(const QSqlDatabase &db);
// The channel a server announces changes on (see Database).
QString notifyChannel();

// string_agg on PostgreSQL, group_concat on SQLite (3.40 lacks string_agg).
QString stringAgg(const QSqlDatabase &db, const QString &expression, const QString &separator);

// The schema's CREATE/ALTER text, written for SQLite, for this backend:
// INTEGER PRIMARY KEY becomes an identity column, INTEGER BIGINT (times are
// milliseconds), BLOB BYTEA.
QString schema(const QSqlDatabase &db, const QString &sqliteDdl);

// SQLite's query planner needs telling which index walks the due attempts in
// order ("INDEXED BY attempts_due" and a CROSS JOIN that keeps the table
// order); PostgreSQL's plans well on its own and knows neither phrase.
QString indexedBy(const QSqlDatabase &db, const QString &index);
QString orderedJoin(const QSqlDatabase &db);

// " FOR UPDATE SKIP LOCKED" where rows can be locked (PostgreSQL); SQLite's
// write transaction already excludes every other writer.
QString skipLocked(const QSqlDatabase &db);

// After rows were inserted with ids of their own (a copy, a Label Studio
// project): the next id drawn follows the largest. Nothing to do on SQLite.
bool syncIdentity(const QSqlDatabase &db, const QString &table);

// The id an INSERT ... RETURNING id gave back (both dialects have RETURNING;
// QPSQL has no lastInsertId()), and the statement finished. 0 without a row.
qint64 returnedId(QSqlQuery &query);

} // namespace SqlDialect
