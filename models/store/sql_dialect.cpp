#include "sql_dialect.h"

#include "database.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QHash>
#include <QMetaObject>
#include <QMutex>
#include <QRegularExpression>
#include <QSocketNotifier>
#include <QSqlDriver>
#include <QSqlError>
#include <QSqlQuery>
#include <atomic>
#include <cstdio>
#include <libpq-fe.h>

namespace SqlDialect {

Backend backend(const QSqlDatabase &db)
{
    return db.driverName() == QLatin1String("QPSQL") ? Backend::Postgres : Backend::Sqlite;
}

QString notifyChannel()
{
    return QStringLiteral("webhook_admin_changes");
}

namespace {

struct ReconnectState
{
    qint64 nextTryMs = 0;
    qint64 backoffMs = 0;
};

QMutex reconnectMutex;
std::function<void(const QString &)> reconnectReporter;
// What this process has said about its server, whichever of its connections
// (the engine's, the recorder's, the window's) found out first: an outage is
// told once, not once per connection.
bool lostReported = false;
qint64 lastReconnectReportMs = 0;
// When a connection of this process was last found lost or opened again.
std::atomic<qint64> lastTroubleMs = 0;

// What a connection's notice processor needs: a child of its driver, so it
// goes with the connection; replaced at each open (libpq's connection, and
// with it the processor, is new each time).
class SessionWatch final : public QObject
{
public:
    SessionWatch(QSqlDriver *driver, const QString &connectionName)
        : QObject(driver)
        , connectionName(connectionName)
    {
        setObjectName(QStringLiteral("webhookAdminSessionWatch"));
    }
    const QString connectionName;
};

void onNotice(void *arg, const char *message)
{
    const auto *watch = static_cast<const SessionWatch *>(arg);
    if (qstrncmp(message, "FATAL:", 6) != 0) {
        std::fputs(message, stderr); // libpq's own behaviour
        return;
    }
    lastTroubleMs = QDateTime::currentMSecsSinceEpoch();
    // libpq closes the session's socket now: the driver's notifier on it
    // rests until the connection is opened again (else Qt says it is invalid).
    if (QObject *driver = watch->parent()) {
        for (QSocketNotifier *notifier : driver->findChildren<QSocketNotifier *>())
            notifier->setEnabled(false);
    }
    // Inside the driver's own handling of its socket: open it again later.
    const QString name = watch->connectionName;
    if (QObject *driver = watch->parent())
        QMetaObject::invokeMethod(
            driver,
            [name] {
                if (!QSqlDatabase::contains(name))
                    return;
                QSqlDatabase db = QSqlDatabase::database(name, false);
                reconnect(db);
            },
            Qt::QueuedConnection);
}

} // namespace

void watchSession(const QSqlDatabase &db)
{
    if (!isPostgres(db) || !db.driver())
        return;
    const QVariant handle = db.driver()->handle();
    // QPSQL hands out libpq's connection; Qt names the type after the
    // struct behind libpq's typedef.
    const char *type = handle.typeName();
    if (!type || (qstrcmp(type, "pg_conn*") != 0 && qstrcmp(type, "PGconn*") != 0))
        return;
    PGconn *connection = *static_cast<PGconn *const *>(handle.constData());
    if (!connection)
        return;
    const QString watchName = QStringLiteral("webhookAdminSessionWatch");
    qDeleteAll(db.driver()->findChildren<QObject *>(watchName, Qt::FindDirectChildrenOnly));
    PQsetNoticeProcessor(connection, &onNotice, new SessionWatch(db.driver(), db.connectionName()));
}

void setReconnectReporter(std::function<void(const QString &message)> reporter)
{
    const QMutexLocker lock(&reconnectMutex);
    reconnectReporter = std::move(reporter);
}

bool reconnect(QSqlDatabase &db)
{
    if (!isPostgres(db))
        return false;
    {
        QSqlQuery alive(db);
        if (db.isOpen() && alive.exec(QStringLiteral("SELECT 1")))
            return false; // the connection is fine; the failure was something else
    }
    // libpq closed the socket of the lost session; the driver's notifier on
    // it would be told by Qt, once per connection, that it is invalid. It
    // goes with the driver's close() at the next try.
    if (QSqlDriver *driver = db.driver()) {
        for (QSocketNotifier *notifier : driver->findChildren<QSocketNotifier *>())
            notifier->setEnabled(false);
    }
    static thread_local QHash<QString, ReconnectState> states;
    ReconnectState &state = states[db.connectionName()];
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    lastTroubleMs = now;
    if (now < state.nextTryMs)
        return false;
    db.close();
    QSqlError failure;
    const bool ok = db.open();
    if (!ok)
        failure = db.lastError();
    std::function<void(const QString &)> report;
    bool tell = false;
    if (!ok) {
        state.backoffMs =
            state.backoffMs == 0 ? 1000 : std::min<qint64>(state.backoffMs * 2, 30000);
        state.nextTryMs = now + state.backoffMs;
        {
            const QMutexLocker lock(&reconnectMutex);
            report = reconnectReporter;
            tell = !lostReported;
            lostReported = true;
        }
        if (report && tell)
            report(QCoreApplication::translate("SqlDialect",
                                               "lost the database server; connecting again: %1")
                       .arg(failure.databaseText().section(QLatin1Char('\n'), 0, 0)));
        return false;
    }
    state = {};
    watchSession(db);
    setLockWait(db, Database::BusyTimeoutMs);
    if (db.driver())
        db.driver()->subscribeToNotification(notifyChannel());
    {
        // The other connections of this process come back within moments of
        // the first: one line for all of them.
        const QMutexLocker lock(&reconnectMutex);
        report = reconnectReporter;
        tell = lostReported || now - lastReconnectReportMs >= ReconnectReportQuietMs;
        lostReported = false;
        if (tell)
            lastReconnectReportMs = now;
    }
    if (report && tell)
        report(QCoreApplication::translate("SqlDialect", "connected to the database server again"));
    return true;
}

bool ensureOpen(QSqlDatabase &db)
{
    if (db.isOpen())
        return true;
    reconnect(db);
    return db.isOpen();
}

bool inOutage()
{
    {
        const QMutexLocker lock(&reconnectMutex);
        if (lostReported)
            return true;
    }
    return QDateTime::currentMSecsSinceEpoch() - lastTroubleMs < OutageMs;
}

QString beginWrite(const QSqlDatabase &db)
{
    return isPostgres(db) ? QStringLiteral("BEGIN") : QStringLiteral("BEGIN IMMEDIATE");
}

bool setLockWait(const QSqlDatabase &db, int milliseconds)
{
    QSqlQuery query(db);
    if (isPostgres(db))
        return query.exec(QStringLiteral("SET lock_timeout = %1").arg(milliseconds));
    return query.exec(QStringLiteral("PRAGMA busy_timeout = %1").arg(milliseconds));
}

QString stringAgg(const QSqlDatabase &db, const QString &expression, const QString &separator)
{
    const QString quoted = QLatin1Char('\'') + separator + QLatin1Char('\'');
    return isPostgres(db) ? QStringLiteral("string_agg(%1, %2)").arg(expression, quoted)
                          : QStringLiteral("group_concat(%1, %2)").arg(expression, quoted);
}

QString schema(const QSqlDatabase &db, const QString &sqliteDdl)
{
    if (!isPostgres(db))
        return sqliteDdl;
    QString ddl = sqliteDdl;
    static const QRegularExpression Identity(QStringLiteral("\\bINTEGER PRIMARY KEY\\b"));
    static const QRegularExpression Integer(QStringLiteral("\\bINTEGER\\b"));
    static const QRegularExpression Blob(QStringLiteral("\\bBLOB\\b"));
    ddl.replace(Identity, QStringLiteral("BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"));
    ddl.replace(Integer, QStringLiteral("BIGINT"));
    ddl.replace(Blob, QStringLiteral("BYTEA"));
    return ddl;
}

QString indexedBy(const QSqlDatabase &db, const QString &index)
{
    return isPostgres(db) ? QString() : QStringLiteral(" INDEXED BY ") + index;
}

QString orderedJoin(const QSqlDatabase &db)
{
    return isPostgres(db) ? QStringLiteral(" JOIN ") : QStringLiteral(" CROSS JOIN ");
}

QString skipLocked(const QSqlDatabase &db)
{
    return isPostgres(db) ? QStringLiteral(" FOR UPDATE SKIP LOCKED") : QString();
}

bool syncIdentity(const QSqlDatabase &db, const QString &table)
{
    if (!isPostgres(db))
        return true;
    QSqlQuery query(db);
    return query.exec(QStringLiteral("SELECT setval(pg_get_serial_sequence('%1', 'id'), "
                                     "COALESCE((SELECT MAX(id) FROM %1), 0) + 1, false)")
                          .arg(table));
}

qint64 returnedId(QSqlQuery &query)
{
    const qint64 id = query.next() ? query.value(0).toLongLong() : 0;
    query.finish();
    return id;
}

} // namespace SqlDialect
