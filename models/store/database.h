#pragma once

#include "storage_error.h"

#include <QCoreApplication>
#include <QSqlDatabase>
#include <QString>
#include <optional>

// One connection to the Webhook Admin SQLite file: opens (creating it 0600),
// checks it is ours, migrates it, and sets WAL, foreign keys and a busy timeout
// so several processes can share it.
class Database final
{
    Q_DECLARE_TR_FUNCTIONS(Database)
    Q_DISABLE_COPY_MOVE(Database)

public:
    static constexpr int SchemaVersion = 11;
    static constexpr int ApplicationId = 0x57484b41; // "WHKA"
    static constexpr int BusyTimeoutMs = 5000;

    Database();
    ~Database();

    // targetVersion is for tests that build an older file to migrate.
    std::optional<StorageError> open(const QString &path, int targetVersion = SchemaVersion);
    void close();

    bool isOpen() const;
    QSqlDatabase connection() const;
    QString path() const { return m_path; }
    // Set by open() when the file was already there and group or others may
    // read it (it holds secrets); a warning to show, not an error.
    QString permissionWarning() const { return m_permissionWarning; }
    int schemaVersion() const;

    // Changes whenever another connection commits; cheap to poll.
    qint64 dataVersion() const;

    // The file the app uses when --db is not given.
    static QString defaultPath();

private:
    std::optional<StorageError> migrate(int from, int to);

    QString m_connectionName;
    QString m_path;
    QString m_permissionWarning;
};
