#pragma once

#include "storage_error.h"

#include <QCoreApplication>
#include <QSqlDatabase>
#include <QString>
#include <atomic>
#include <functional>
#include <memory>
#include <optional>

// One connection to the Webhook Admin data: a SQLite file, which it opens
// (creating it 0600), checks is ours, migrates, and sets to WAL, foreign keys
// and a busy timeout so several processes can share it; or a PostgreSQL
// database, which it checks and migrates the same way.
class Database final
{
    Q_DECLARE_TR_FUNCTIONS(Database)
    Q_DISABLE_COPY_MOVE(Database)

public:
    static constexpr int SchemaVersion = 15;
    static constexpr int ApplicationId = 0x57484b41; // "WHKA"
    static constexpr int BusyTimeoutMs = 5000;

    Database();
    ~Database();

    // targetVersion is for tests that build an older file to migrate.
    // location: a file path, or a postgresql:// address (DatabaseLocation).
    std::optional<StorageError> open(const QString &location, int targetVersion = SchemaVersion);
    void close();

    bool isOpen() const;
    QSqlDatabase connection() const;
    // The location as opened, password included: for another connection to
    // the same data. Never show it; display() is for people.
    QString path() const { return m_path; }
    QString display() const { return m_display; }
    bool isServer() const;
    // Set by open() when the file was already there and group or others may
    // read it (it holds secrets); a warning to show, not an error.
    QString permissionWarning() const { return m_permissionWarning; }
    int schemaVersion() const;

    // Changes whenever another connection commits; cheap to poll. On a
    // server it counts the changes other connections announced (NOTIFY),
    // which arrive while this connection's thread runs its event loop.
    qint64 dataVersion() const;
    // On a server, calls `changed` (in context's thread) as soon as another
    // connection's commit is announced; on SQLite nothing calls it (poll
    // dataVersion()).
    void onExternalChange(QObject *context, std::function<void()> changed) const;

    // On a server: the reason the connection does not answer a trivial
    // question (the server stopped, the session was killed), empty while it
    // does. Always empty for a file.
    QString connectionProblem() const;
    // On a server: opens the lost connection again, with its lock wait and
    // LISTEN, and counts a change so every poller reads afresh (what changed
    // while it was away was not announced to it). Blocks for the connect:
    // call it once a connection of another thread (ServerWatch) got through.
    std::optional<StorageError> reconnect();

    // The file the app uses when --db is not given.
    static QString defaultPath();

private:
    std::optional<StorageError> openFile(const QString &path, int targetVersion);
    std::optional<StorageError> openServer(const QString &address, int targetVersion);
    std::optional<StorageError> migrate(int from, int to);

    QString m_connectionName;
    QString m_path;
    QString m_display;
    std::shared_ptr<std::atomic<qint64>> m_changes = std::make_shared<std::atomic<qint64>>(1);
    QString m_permissionWarning;
};
