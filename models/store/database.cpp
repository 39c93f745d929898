#include "database.h"

#include "database_location.h"
#include "sql_dialect.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSqlDriver>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QUuid>
#include <QVariant>

namespace {

// Each entry takes the schema from version (index) to version (index + 1).
const char *const Migrations[] = {
    // 0 -> 1: hooks, their projects, headers and subscribed actions
    R"sql(
    CREATE TABLE projects (
        id INTEGER PRIMARY KEY,
        title TEXT NOT NULL,
        created_at TEXT NOT NULL
    );
    CREATE TABLE webhooks (
        id INTEGER PRIMARY KEY,
        project_id INTEGER REFERENCES projects(id) ON DELETE CASCADE,
        url TEXT NOT NULL,
        description TEXT NOT NULL DEFAULT '',
        is_active INTEGER NOT NULL DEFAULT 1,
        send_payload INTEGER NOT NULL DEFAULT 1,
        send_for_all_actions INTEGER NOT NULL DEFAULT 1,
        secret TEXT NOT NULL DEFAULT '',
        signature TEXT NOT NULL DEFAULT '',
        timeout_seconds INTEGER NOT NULL DEFAULT 10,
        max_attempts INTEGER NOT NULL DEFAULT 8,
        consecutive_failures INTEGER NOT NULL DEFAULT 0,
        disabled_reason TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE INDEX webhooks_project ON webhooks(project_id);
    CREATE TABLE webhook_headers (
        webhook_id INTEGER NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        name TEXT NOT NULL,
        value TEXT NOT NULL,
        is_secret INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (webhook_id, position)
    );
    CREATE TABLE webhook_actions (
        webhook_id INTEGER NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
        action TEXT NOT NULL,
        PRIMARY KEY (webhook_id, action)
    );
    )sql",
    // 1 -> 2: user-defined event types
    R"sql(
    CREATE TABLE event_types (
        key TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        description TEXT NOT NULL DEFAULT '',
        payload_key TEXT NOT NULL,
        is_list INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL
    );
    )sql",
    // 2 -> 3: the outbox (events, deliveries), the log of attempts, settings
    R"sql(
    CREATE TABLE events (
        id INTEGER PRIMARY KEY,
        action TEXT NOT NULL,
        project_id INTEGER,
        created_at INTEGER NOT NULL
    );
    CREATE TABLE deliveries (
        id INTEGER PRIMARY KEY,
        event_id INTEGER REFERENCES events(id) ON DELETE SET NULL,
        webhook_id INTEGER NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
        action TEXT NOT NULL,
        message_id TEXT NOT NULL UNIQUE,
        body BLOB NOT NULL,
        status TEXT NOT NULL DEFAULT 'pending',
        attempt_count INTEGER NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
    );
    CREATE INDEX deliveries_webhook ON deliveries(webhook_id, id);
    CREATE INDEX deliveries_status ON deliveries(status, id);
    CREATE TABLE attempts (
        id INTEGER PRIMARY KEY,
        delivery_id INTEGER NOT NULL REFERENCES deliveries(id) ON DELETE CASCADE,
        webhook_id INTEGER NOT NULL,
        action TEXT NOT NULL,
        number INTEGER NOT NULL,
        max_attempts INTEGER NOT NULL,
        trigger TEXT NOT NULL,
        outcome TEXT NOT NULL DEFAULT 'pending',
        due_at INTEGER NOT NULL,
        lease_owner TEXT NOT NULL DEFAULT '',
        lease_until INTEGER NOT NULL DEFAULT 0,
        started_at INTEGER,
        finished_at INTEGER,
        duration_ms INTEGER,
        url TEXT NOT NULL DEFAULT '',
        status_code INTEGER NOT NULL DEFAULT 0,
        error_kind TEXT NOT NULL DEFAULT '',
        error TEXT NOT NULL DEFAULT '',
        request_headers TEXT NOT NULL DEFAULT '',
        response_headers TEXT NOT NULL DEFAULT '',
        response_body BLOB,
        response_truncated INTEGER NOT NULL DEFAULT 0,
        trace TEXT NOT NULL DEFAULT '',
        created_at INTEGER NOT NULL
    );
    CREATE INDEX attempts_due ON attempts(due_at) WHERE outcome = 'pending';
    CREATE INDEX attempts_delivery ON attempts(delivery_id);
    CREATE INDEX attempts_webhook ON attempts(webhook_id, id);
    CREATE INDEX attempts_outcome ON attempts(outcome, id);
    CREATE INDEX attempts_action ON attempts(action, id);
    CREATE INDEX attempts_created ON attempts(created_at);
    CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    )sql",
    // 3 -> 4: a per-hook switch to accept any TLS certificate
    R"sql(
    ALTER TABLE webhooks ADD COLUMN verify_tls INTEGER NOT NULL DEFAULT 1;
    )sql",
    // 4 -> 5: the hook list's strip of recent outcomes reads them from the
    // index alone (reading the rows cost 150 ms at start-up with 10,000 hooks)
    R"sql(
    DROP INDEX attempts_webhook;
    CREATE INDEX attempts_webhook ON attempts(webhook_id, id, outcome);
    )sql",
    // 5 -> 6: which HTTP a hook speaks (HTTP/2 with prior knowledge)
    R"sql(
    ALTER TABLE webhooks ADD COLUMN http_version TEXT NOT NULL DEFAULT 'auto';
    )sql",
    // 6 -> 7: the listener's idempotency keys (Idempotency-Key or webhook-id), kept 24 hours
    R"sql(
    CREATE TABLE intake_keys (
        key TEXT PRIMARY KEY,
        event_id INTEGER NOT NULL,
        created_at INTEGER NOT NULL
    );
    CREATE INDEX intake_keys_created ON intake_keys(created_at);
    )sql",
    // 7 -> 8: the local inbox: how each inbox answers, and what it received
    R"sql(
    CREATE TABLE inboxes (
        name TEXT PRIMARY KEY,
        status INTEGER NOT NULL DEFAULT 200,
        delay_ms INTEGER NOT NULL DEFAULT 0,
        body TEXT NOT NULL DEFAULT '{"ok": true}',
        secret TEXT NOT NULL DEFAULT '',
        signature TEXT NOT NULL DEFAULT '',
        updated_at INTEGER NOT NULL
    );
    CREATE TABLE inbox_requests (
        id INTEGER PRIMARY KEY,
        inbox TEXT NOT NULL,
        received_at INTEGER NOT NULL,
        remote_address TEXT NOT NULL DEFAULT '',
        method TEXT NOT NULL,
        path TEXT NOT NULL,
        query TEXT NOT NULL DEFAULT '',
        headers TEXT NOT NULL DEFAULT '[]',
        body BLOB NOT NULL,
        size INTEGER NOT NULL,
        verdict TEXT NOT NULL,
        reason TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX inbox_requests_inbox ON inbox_requests(inbox, id);
    )sql",
    // 8 -> 9: a deleted webhook keeps its delivery history: the row stays,
    // marked deleted, until retention has pruned its last attempt
    R"sql(
    ALTER TABLE webhooks ADD COLUMN deleted_at TEXT;
    )sql",
    // 9 -> 10: per-hook delivery policy (filter, throttle, retry policy) and
    // the circuit breaker's state; a delivery counts once towards a streak
    R"sql(
    ALTER TABLE webhooks ADD COLUMN payload_filter TEXT NOT NULL DEFAULT '';
    ALTER TABLE webhooks ADD COLUMN rate_limit TEXT NOT NULL DEFAULT '';
    ALTER TABLE webhooks ADD COLUMN max_in_flight INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE webhooks ADD COLUMN retry_on TEXT NOT NULL DEFAULT '';
    ALTER TABLE webhooks ADD COLUMN retry_schedule TEXT NOT NULL DEFAULT '';
    ALTER TABLE webhooks ADD COLUMN paused_at INTEGER;
    ALTER TABLE webhooks ADD COLUMN next_probe_at INTEGER;
    ALTER TABLE webhooks ADD COLUMN probe_interval_ms INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE webhooks ADD COLUMN pause_reason TEXT NOT NULL DEFAULT '';
    ALTER TABLE webhooks ADD COLUMN last_error TEXT NOT NULL DEFAULT '';
    ALTER TABLE deliveries ADD COLUMN counted_failure INTEGER NOT NULL DEFAULT 0;
    )sql",
    // 10 -> 11: which hooks another dispatcher holds, for per-hook order when
    // several dispatchers share the outbox (the few attempts in flight)
    R"sql(
    CREATE INDEX attempts_leased ON attempts(webhook_id, lease_until)
        WHERE outcome = 'pending' AND lease_owner <> '';
    )sql",
    // 11 -> 12: operator tools: secrets rotated out that still sign until
    // valid_until; a delivery made by Edit and Resend names the delivery it
    // was edited from, and may go to a one-off URL instead of the hook's;
    // failure notifications find the deliveries that failed since they last
    // looked without reading every failed one
    R"sql(
    CREATE TABLE previous_secrets (
        id INTEGER PRIMARY KEY,
        webhook_id INTEGER NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
        secret TEXT NOT NULL,
        valid_until INTEGER NOT NULL,
        retired_at INTEGER NOT NULL
    );
    CREATE INDEX previous_secrets_webhook ON previous_secrets(webhook_id, id);
    ALTER TABLE deliveries ADD COLUMN edited_from INTEGER;
    ALTER TABLE deliveries ADD COLUMN target_url TEXT;
    CREATE INDEX deliveries_status_updated ON deliveries(status, updated_at);
    )sql",
    // 12 -> 13: a rate-limited hook's next free send time, shared by every
    // dispatcher on the database (serve, the window, a team's dispatchers),
    // so together they keep the hook's limit
    R"sql(
    ALTER TABLE webhooks ADD COLUMN rate_next_at INTEGER NOT NULL DEFAULT 0;
    )sql",
    // 13 -> 14: the chart above the log counts the attempts of each outcome
    // in each bucket of time as ranges of this index, under the log's hook
    // and event filters too, without reading a table row
    R"sql(
    CREATE INDEX attempts_outcome_created ON attempts(outcome, created_at, webhook_id, action);
    )sql",
    // 14 -> 15: when a project was renamed or a custom event type edited (ms
    // since epoch), so an open window notices an edit that keeps the length
    R"sql(
    ALTER TABLE projects ADD COLUMN updated_at INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE event_types ADD COLUMN updated_at INTEGER NOT NULL DEFAULT 0;
    )sql",
};

// PostgreSQL only: every commit that changes a table announces it, so open
// windows and idle dispatchers learn of it at once (LISTEN, not polling).
const char *const NotifyChannel = "webhook_admin_changes"; // SqlDialect::notifyChannel()
const char *const NotifiedTables[] = {
    "projects",    "webhooks", "webhook_headers", "webhook_actions",
    "event_types", "events",   "deliveries",      "attempts",
    "settings",    "inboxes",  "inbox_requests",  "previous_secrets",
};
static_assert(std::size(Migrations) == Database::SchemaVersion);

std::optional<QVariant> scalar(const QSqlDatabase &db, const QString &sql, QSqlError *error)
{
    QSqlQuery query(db);
    if (!query.exec(sql) || !query.next()) {
        *error = query.lastError();
        return std::nullopt;
    }
    return query.value(0);
}

// libpq's words, first line only, and never the password (it does not
// print it, but the address might be in there).
QString serverReason(const QSqlError &error, const QString &address)
{
    QString reason = error.databaseText().section(QLatin1Char('\n'), 0, 0).trimmed();
    if (reason.isEmpty())
        reason = error.driverText().trimmed();
    const QString password = DatabaseLocation::parse(address).password;
    if (!password.isEmpty())
        reason.replace(password, QStringLiteral("•••"));
    // "connection to server at "HOST", port N failed: FATAL:  why": the
    // address is already in the message, once.
    static const QRegularExpression Prefix(QStringLiteral("^.*failed: (FATAL: +)?"));
    reason.remove(Prefix);
    static const QRegularExpression Fatal(QStringLiteral("^FATAL: +"));
    reason.remove(Fatal);
    return reason;
}

// A server that answered and refused this login (a wrong password, an
// unknown user or database, no pg_hba.conf entry) rather than one that is
// away: libpq reports a refused login as text only, without its SQLSTATE.
bool refusesLogin(const QString &reason)
{
    static const QRegularExpression Refused(
        QStringLiteral("authentication failed|no password supplied|does not exist|"
                       "no pg_hba\\.conf entry|pg_hba\\.conf rejects|permission denied for "
                       "database|not permitted to log in|server does not support SSL"),
        QRegularExpression::CaseInsensitiveOption);
    return Refused.match(reason).hasMatch();
}

StorageError connectError(const QString &display, const QSqlError &error, const QString &address)
{
    const QString reason = serverReason(error, address);
    return {refusesLogin(reason) ? StorageError::Kind::AccessDenied
                                 : StorageError::Kind::CannotOpen,
            Database::tr("Cannot connect to %1: %2").arg(display, reason)};
}

} // namespace

Database::Database()
    : m_connectionName(QStringLiteral("webhook-admin-") +
                       QUuid::createUuid().toString(QUuid::WithoutBraces))
{
}

Database::~Database()
{
    close();
}

QString Database::defaultPath()
{
    QString dir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    if (dir.isEmpty())
        dir = QDir::homePath() + QStringLiteral("/.local/share/webhook-admin");
    return dir + QStringLiteral("/webhook-admin.sqlite");
}

bool Database::isOpen() const
{
    return QSqlDatabase::contains(m_connectionName) &&
           QSqlDatabase::database(m_connectionName, false).isOpen();
}

QSqlDatabase Database::connection() const
{
    return QSqlDatabase::database(m_connectionName, false);
}

void Database::close()
{
    if (!QSqlDatabase::contains(m_connectionName))
        return;
    {
        QSqlDatabase db = QSqlDatabase::database(m_connectionName, false);
        db.close();
    }
    QSqlDatabase::removeDatabase(m_connectionName);
}

void Database::onExternalChange(QObject *context, std::function<void()> changed) const
{
    const QSqlDatabase db = connection();
    if (!SqlDialect::isPostgres(db) || !db.driver())
        return;
    QObject::connect(
        db.driver(), &QSqlDriver::notification, context,
        [changed = std::move(changed)](const QString &, QSqlDriver::NotificationSource source) {
            if (source == QSqlDriver::OtherSource)
                changed();
        });
}

QString Database::connectionProblem() const
{
    QSqlDatabase db = connection();
    if (!SqlDialect::isPostgres(db))
        return {};
    if (!db.isOpen())
        return tr("not connected");
    QSqlQuery query(db);
    if (query.exec(QStringLiteral("SELECT 1")))
        return {};
    const QString reason = serverReason(query.lastError(), m_path);
    return reason.isEmpty() ? tr("the server does not answer") : reason;
}

std::optional<StorageError> Database::reconnect()
{
    QSqlDatabase db = connection();
    if (!SqlDialect::isPostgres(db))
        return std::nullopt;
    db.close();
    if (!db.open())
        return connectError(m_display, db.lastError(), m_path);
    SqlDialect::watchSession(db);
    SqlDialect::setLockWait(db, BusyTimeoutMs);
    if (db.driver())
        db.driver()->subscribeToNotification(QLatin1String(NotifyChannel));
    ++*m_changes;
    return std::nullopt;
}

bool Database::isServer() const
{
    return SqlDialect::isPostgres(connection());
}

int Database::schemaVersion() const
{
    QSqlError error;
    const auto v = scalar(connection(),
                          isServer() ? QStringLiteral("SELECT value FROM webhook_admin_meta WHERE "
                                                      "key = 'schema_version'")
                                     : QStringLiteral("PRAGMA user_version"),
                          &error);
    return v ? v->toInt() : -1;
}

qint64 Database::dataVersion() const
{
    if (isServer())
        return *m_changes;
    QSqlError error;
    const auto v = scalar(connection(), QStringLiteral("PRAGMA data_version"), &error);
    return v ? v->toLongLong() : -1;
}

std::optional<StorageError> Database::open(const QString &location, int targetVersion)
{
    close();
    m_permissionWarning.clear();
    if (DatabaseLocation::isServerAddress(location))
        return openServer(location, targetVersion);
    return openFile(location, targetVersion);
}

std::optional<StorageError> Database::openFile(const QString &path, int targetVersion)
{
    using Kind = StorageError::Kind;
    m_path = QFileInfo(path).absoluteFilePath();
    m_display = m_path;
    m_permissionWarning.clear();
    const QFileInfo info(m_path);
    const bool existed = info.exists();

    if (info.exists() && !info.isFile())
        return StorageError{Kind::CannotOpen, tr("%1 is not a file.").arg(m_path)};
    if (!info.exists()) {
        if (!QDir().mkpath(info.absolutePath()))
            return StorageError{
                Kind::CannotOpen,
                tr("Cannot create the folder %1 for the database.").arg(info.absolutePath())};
        // Created private before SQLite writes anything: the file holds secrets.
        QFile file(m_path);
        if (!file.open(QIODevice::WriteOnly | QIODevice::NewOnly) ||
            !file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner))
            return StorageError{
                Kind::CannotOpen,
                tr("Cannot create the database file %1: %2").arg(m_path, file.errorString())};
    } else if (!info.isReadable()) {
        return StorageError{
            Kind::CannotOpen,
            tr("The database file %1 cannot be read: permission denied.").arg(m_path)};
    }
    // Only a file that was there before can be wider open; ours are created 0600.
    if (existed && (info.permissions() & (QFileDevice::ReadGroup | QFileDevice::ReadOther)))
        //: %1 is the database file; keep "chmod 600", it is a command
        m_permissionWarning =
            tr("%1 is readable by other users; it holds secrets (chmod 600 %1)").arg(m_path);

    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connectionName);
    db.setDatabaseName(m_path);
    db.setConnectOptions(QStringLiteral("QSQLITE_BUSY_TIMEOUT=%1").arg(BusyTimeoutMs));
    if (!db.open()) {
        const StorageError e = StorageError::fromSql(db.lastError(), tr("Opening %1").arg(m_path));
        db = QSqlDatabase(); // else removeDatabase() warns on stderr
        close();
        return e;
    }

    QSqlError sqlError;
    // The first read tells a SQLite file from anything else.
    const auto appId = scalar(db, QStringLiteral("PRAGMA application_id"), &sqlError);
    const auto tableCount =
        appId ? scalar(db, QStringLiteral("SELECT count(*) FROM sqlite_master"), &sqlError)
              : std::nullopt;
    const auto version =
        tableCount ? scalar(db, QStringLiteral("PRAGMA user_version"), &sqlError) : std::nullopt;
    if (!version) {
        StorageError e = StorageError::fromSql(sqlError, tr("Reading %1").arg(m_path));
        if (e.kind == Kind::NotADatabase || e.kind == Kind::Other)
            e = {Kind::NotADatabase,
                 // What to do next differs between the window and the command
                 // line; each front end says it.
                 tr("%1 is not a Webhook Admin database, or it is damaged (%2).")
                     .arg(m_path, sqlError.databaseText())};
        db = QSqlDatabase(); // else removeDatabase() warns on stderr
        close();
        return e;
    }
    if (tableCount->toInt() > 0 && appId->toInt() != ApplicationId) {
        db = QSqlDatabase(); // else removeDatabase() warns on stderr
        close();
        return StorageError{Kind::NotADatabase,
                            tr("%1 is a SQLite database of another program, not of Webhook "
                               "Admin; it was left untouched.")
                                .arg(m_path)};
    }
    const int current = version->toInt();
    if (current > SchemaVersion) {
        db = QSqlDatabase(); // else removeDatabase() warns on stderr
        close();
        return StorageError{Kind::NewerSchema,
                            tr("%1 was written by a newer Webhook Admin (schema %2; this version "
                               "reads up to %3). Update Webhook Admin to open it.")
                                .arg(m_path)
                                .arg(current)
                                .arg(SchemaVersion)};
    }

    QSqlQuery pragma(db);
    // WAL lets the GUI read while a CLI or serve writes; NORMAL is durable in WAL
    // across process crashes, which is what the outbox needs. Temporary
    // storage in memory: the intake's savepoints (one per request of a group
    // commit) journal every page they touch, and on disk that journal was a
    // new file in /var/tmp per batch, written page by page (a third of the
    // intake's time in B8).
    for (const char *sql : {"PRAGMA foreign_keys = ON", "PRAGMA journal_mode = WAL",
                            "PRAGMA synchronous = NORMAL", "PRAGMA temp_store = MEMORY"}) {
        if (!pragma.exec(QLatin1String(sql))) {
            const StorageError e =
                StorageError::fromSql(pragma.lastError(), tr("Preparing %1").arg(m_path));
            db = QSqlDatabase(); // else removeDatabase() warns on stderr
            close();
            return e;
        }
    }

    if (current < targetVersion) {
        if (auto e = migrate(current, targetVersion)) {
            db = QSqlDatabase(); // else removeDatabase() warns on stderr
            close();
            return e;
        }
    }
    return std::nullopt;
}

std::optional<StorageError> Database::migrate(int from, int to)
{
    QSqlDatabase db = connection();
    const QString context = tr("Upgrading %1").arg(m_display);
    const bool server = SqlDialect::isPostgres(db);
    // Two processes starting at once must not both migrate: SQLite's write
    // lock, or a PostgreSQL advisory lock held to the end of the transaction.
    QSqlQuery query(db);
    if (!query.exec(SqlDialect::beginWrite(db)))
        return StorageError::fromSql(query.lastError(), context);
    auto rollback = [&](const QSqlError &error) {
        QSqlQuery(db).exec(QStringLiteral("ROLLBACK"));
        return StorageError::fromSql(error, context);
    };
    if (server) {
        if (!query.exec(QStringLiteral("SELECT pg_advisory_xact_lock(%1)").arg(ApplicationId)) ||
            !query.exec(QStringLiteral("CREATE TABLE IF NOT EXISTS webhook_admin_meta (key TEXT "
                                       "PRIMARY KEY, value BIGINT NOT NULL)")))
            return rollback(query.lastError());
    }
    // Another process may have migrated while we waited for the lock.
    QSqlError error;
    const auto now = server ? std::optional<QVariant>(schemaVersion())
                            : scalar(db, QStringLiteral("PRAGMA user_version"), &error);
    if (!now)
        return rollback(error);
    for (int v = std::max(from, now->toInt()); v < to; ++v) {
        const QStringList statements = SqlDialect::schema(db, QString::fromUtf8(Migrations[v]))
                                           .split(QLatin1Char(';'), Qt::SkipEmptyParts);
        for (const QString &statement : statements) {
            if (statement.trimmed().isEmpty())
                continue;
            if (!query.exec(statement))
                return rollback(query.lastError());
        }
    }
    if (server) {
        if (!query.exec(
                QStringLiteral(
                    "CREATE OR REPLACE FUNCTION webhook_admin_notify() RETURNS trigger LANGUAGE "
                    "plpgsql AS $$ BEGIN PERFORM pg_notify('%1', TG_TABLE_NAME); RETURN NULL; END "
                    "$$")
                    .arg(QLatin1String(NotifyChannel))))
            return rollback(query.lastError());
        for (const char *table : NotifiedTables) {
            if (!query.exec(QStringLiteral("CREATE OR REPLACE TRIGGER webhook_admin_notify AFTER "
                                           "INSERT OR UPDATE OR DELETE ON %1 FOR EACH STATEMENT "
                                           "EXECUTE FUNCTION webhook_admin_notify()")
                                .arg(QLatin1String(table))))
                return rollback(query.lastError());
        }
        if (!query.exec(QStringLiteral("INSERT INTO webhook_admin_meta (key, value) VALUES "
                                       "('application_id', %1), ('schema_version', %2) ON "
                                       "CONFLICT (key) DO UPDATE SET value = excluded.value")
                            .arg(ApplicationId)
                            .arg(to)) ||
            !query.exec(QStringLiteral("COMMIT")))
            return rollback(query.lastError());
        return std::nullopt;
    }
    if (!query.exec(QStringLiteral("PRAGMA application_id = %1").arg(ApplicationId)) ||
        !query.exec(QStringLiteral("PRAGMA user_version = %1").arg(to)) ||
        !query.exec(QStringLiteral("COMMIT")))
        return rollback(query.lastError());
    return std::nullopt;
}

std::optional<StorageError> Database::openServer(const QString &address, int targetVersion)
{
    using Kind = StorageError::Kind;
    QString parseError;
    const DatabaseLocation location = DatabaseLocation::parse(address, &parseError);
    m_path = address;
    m_display = location.display();
    if (!parseError.isEmpty())
        return StorageError{Kind::CannotOpen, tr("%1: %2").arg(m_display, parseError)};

    QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), m_connectionName);
    if (!db.isValid()) {
        db = QSqlDatabase();
        close();
        return StorageError{Kind::CannotOpen,
                            tr("Cannot open %1: the PostgreSQL driver of Qt (QPSQL) is not "
                               "installed (Debian: libqt6sql6-psql).")
                                .arg(m_display)};
    }
    db.setHostName(location.host);
    db.setPort(location.port);
    db.setDatabaseName(location.databaseName);
    db.setUserName(location.user);
    db.setPassword(location.password);
    db.setConnectOptions(location.connectOptions());
    auto fail = [&](StorageError e) {
        db = QSqlDatabase(); // else removeDatabase() warns on stderr
        close();
        return e;
    };
    if (!db.open())
        return fail(connectError(m_display, db.lastError(), address));
    SqlDialect::watchSession(db);

    QSqlError sqlError;
    // A database that holds tables but not ours belongs to another program.
    // pg_catalog rather than information_schema: the same answer (tables,
    // views, foreign tables) in a millisecond instead of 20-50, on every open.
    const QString inSchema = QStringLiteral(
        "SELECT count(*) FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = "
        "c.relnamespace WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'v', 'f')");
    const auto ours =
        scalar(db, inSchema + QStringLiteral(" AND c.relname = 'webhook_admin_meta'"), &sqlError);
    const auto tables = ours ? scalar(db, inSchema, &sqlError) : std::nullopt;
    if (!tables)
        return fail(StorageError::fromSql(sqlError, tr("Reading %1").arg(m_display)));
    if (ours->toInt() == 0 && tables->toInt() > 0)
        return fail({Kind::NotADatabase,
                     tr("%1 holds tables of another program, not of Webhook Admin; it was left "
                        "untouched.")
                         .arg(m_display)});
    const int current = ours->toInt() == 0 ? 0 : schemaVersion();
    if (current < 0)
        return fail({Kind::NotADatabase,
                     tr("%1 is not a Webhook Admin database, or it is damaged.").arg(m_display)});
    if (current > SchemaVersion)
        return fail({Kind::NewerSchema,
                     tr("%1 was written by a newer Webhook Admin (schema %2; this version reads "
                        "up to %3). Update Webhook Admin to open it.")
                         .arg(m_display)
                         .arg(current)
                         .arg(SchemaVersion)});
    SqlDialect::setLockWait(db, BusyTimeoutMs);
    if (current < targetVersion) {
        if (auto e = migrate(current, targetVersion))
            return fail(*e);
    }
    // Commits of other connections, as SQLite's data_version counts them.
    if (db.driver()->subscribeToNotification(QLatin1String(NotifyChannel))) {
        auto changes = m_changes;
        QObject::connect(db.driver(), &QSqlDriver::notification, db.driver(),
                         [changes](const QString &, QSqlDriver::NotificationSource source) {
                             if (source == QSqlDriver::OtherSource)
                                 ++*changes;
                         });
    }
    return std::nullopt;
}
