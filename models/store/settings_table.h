#pragma once

#include "store/storage_error.h"

#include <QString>

class QSqlDatabase;

// The file's `settings` table: one text value per key, shared by every
// process. The stores that own settings read and write them through here.
namespace SettingsTable {

// The stored value, or `fallback` when the key is not set (or unreadable).
QString value(const QSqlDatabase &db, const QString &key, const QString &fallback);
Status setValue(const QSqlDatabase &db, const QString &key, const QString &value);

} // namespace SettingsTable
