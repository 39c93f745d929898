#pragma once

#include "store/database.h"
#include "store/hook_store.h"

#include <QString>
#include <memory>
#include <optional>

// The database a command works on, opened only once its arguments are known
// to be right, so a usage error never creates a file.
class CliSession final
{
    Q_DISABLE_COPY_MOVE(CliSession)

public:
    explicit CliSession(const QString &databasePath);
    ~CliSession();

    std::optional<StorageError> open();
    QString databasePath() const { return m_path; }
    Database &database() { return m_database; }
    HookStore &store() { return *m_store; }

private:
    QString m_path;
    Database m_database;
    std::unique_ptr<HookStore> m_store;
};
