#include "storage_error.h"

#include <QCoreApplication>
#include <QSqlError>

StorageError StorageError::fromSql(const QSqlError &error, const QString &context)
{
    // SQLite's primary result codes; the driver reports them as text.
    const int code = error.nativeErrorCode().toInt() & 0xff;
    const QString detail = error.databaseText().isEmpty() ? error.text() : error.databaseText();

    switch (code) {
    case 5: // SQLITE_BUSY
    case 6: // SQLITE_LOCKED
        return {Kind::Locked,
                QCoreApplication::translate(
                    "StorageError", "%1: the database is locked by another program; try again "
                                    "when it has finished.")
                    .arg(context)};
    case 8: // SQLITE_READONLY
        return {Kind::ReadOnly,
                QCoreApplication::translate(
                    "StorageError", "%1: the database file is read-only; nothing was changed.")
                    .arg(context)};
    case 13: // SQLITE_FULL
        return {Kind::Full,
                QCoreApplication::translate(
                    "StorageError", "%1: the disk or database is full; nothing was changed.")
                    .arg(context)};
    case 11: // SQLITE_CORRUPT
    case 26: // SQLITE_NOTADB
        return {Kind::NotADatabase,
                QCoreApplication::translate(
                    "StorageError", "%1: the database file is damaged or is not a database (%2).")
                    .arg(context, detail)};
    case 14: // SQLITE_CANTOPEN
        return {Kind::CannotOpen,
                QCoreApplication::translate("StorageError",
                                            "%1: the database file cannot be opened (%2).")
                    .arg(context, detail)};
    default:
        break;
    }
    return {Kind::Other,
            QCoreApplication::translate("StorageError", "%1: %2").arg(context, detail)};
}
