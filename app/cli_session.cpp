#include "cli_session.h"

#include "cli_output.h"

#include <QCoreApplication>

CliSession::CliSession(const QString &databasePath)
    : m_path(databasePath)
{
}

CliSession::~CliSession()
{
    m_store.reset();
    m_database.close();
}

std::optional<StorageError> CliSession::open()
{
    if (m_store)
        return std::nullopt;
    if (auto error = m_database.open(m_path)) {
        if (error->kind == StorageError::Kind::NotADatabase)
            error->message +=
                QLatin1Char(' ') +
                QCoreApplication::translate(
                    "CliSession", "Choose another file with --db, or move this one away.");
        return error;
    }
    // Once per command, and the command goes on.
    if (const QString warning = m_database.permissionWarning(); !warning.isEmpty())
        CliOutput::warn(warning);
    m_store = std::make_unique<HookStore>(&m_database);
    return std::nullopt;
}
