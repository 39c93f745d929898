#include "storage_error.h"

#include <QCoreApplication>
#include <QSqlError>

StorageError StorageError::fromSqlState(const QString &state, const QString &detail,
                                        const QString &context)
{
    const QString firstLine = detail.section(QLatin1Char('\n'), 0, 0).trimmed();
    if (state == QLatin1String("55P03") || state == QLatin1String("40P01") ||
        state == QLatin1String("40001"))
        return {Kind::Locked,
                QCoreApplication::translate(
                    "StorageError", "%1: the database is locked by another program; try again "
                                    "when it has finished.")
                    .arg(context)};
    if (state == QLatin1String("25006"))
        return {Kind::ReadOnly,
                QCoreApplication::translate("StorageError",
                                            "%1: the database is read-only; nothing was changed.")
                    .arg(context)};
    if (state.startsWith(QLatin1String("53")))
        return {Kind::Full,
                QCoreApplication::translate(
                    "StorageError", "%1: the database server is out of space or memory; nothing "
                                    "was changed.")
                    .arg(context)};
    if (state.startsWith(QLatin1String("08")) || state.startsWith(QLatin1String("57P")) ||
        state.startsWith(QLatin1String("28")))
        return {Kind::CannotOpen,
                QCoreApplication::translate("StorageError",
                                            "%1: the database server cannot be reached (%2).")
                    .arg(context, firstLine)};
    return {Kind::Other,
            QCoreApplication::translate("StorageError", "%1: %2").arg(context, firstLine)};
}

StorageError StorageError::fromSql(const QSqlError &error, const QString &context)
{
    const QString native = error.nativeErrorCode();
    const QString detail = error.databaseText().isEmpty() ? error.text() : error.databaseText();
    // A statement on a connection that is closed (a server connection lost,
    // not yet opened again) fails without any error of the driver's.
    if (error.type() == QSqlError::NoError && detail.trimmed().isEmpty())
        return {Kind::CannotOpen,
                QCoreApplication::translate("StorageError",
                                            "%1: the database server cannot be reached (%2).")
                    .arg(context, QCoreApplication::translate("StorageError", "not connected"))};
    // PostgreSQL's SQLSTATE: five characters (SQLite's codes are numbers of
    // at most four digits).
    if (native.size() == 5)
        return fromSqlState(native, detail, context);
    // SQLite's primary result codes; the driver reports them as text.
    const int code = native.toInt() & 0xff;

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
