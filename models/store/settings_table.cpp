#include "settings_table.h"

#include "store/sql_text.h"

#include <QCoreApplication>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

namespace SettingsTable {

QString value(const QSqlDatabase &db, const QString &key, const QString &fallback)
{
    if (!db.isOpen()) // a server away: no statement on the lost connection
        return fallback;
    QSqlQuery query(db);
    query.prepare(QStringLiteral("SELECT value FROM settings WHERE key = ?"));
    query.addBindValue(key);
    if (query.exec() && query.next())
        return query.value(0).toString();
    return fallback;
}

Status setValue(const QSqlDatabase &db, const QString &key, const QString &value)
{
    QSqlQuery query(db);
    query.prepare(QStringLiteral("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) "
                                 "DO UPDATE SET value = excluded.value"));
    query.addBindValue(key);
    query.addBindValue(sqlText(value));
    if (!query.exec())
        return StorageError::fromSql(
            query.lastError(),
            QCoreApplication::translate("DeliveryStore", "Saving the setting %1").arg(key));
    return Done{};
}

} // namespace SettingsTable
