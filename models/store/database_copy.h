#pragma once

#include "storage_error.h"

#include <QCoreApplication>
#include <QList>
#include <QString>
#include <functional>

class Database;

// Copies everything from one Webhook Admin database to another (a SQLite
// file to a PostgreSQL server, typically): projects, event types, hooks with
// their headers and events, the outbox, the log, settings and the inbox. In
// one transaction of the target: all of it or nothing. A target that already
// holds hooks, events or deliveries is refused.
class DatabaseCopy final
{
    Q_DECLARE_TR_FUNCTIONS(DatabaseCopy)

public:
    struct TableCount
    {
        QString table;
        qint64 rows = 0;
    };
    // table, rows copied so far, rows in all; called every few thousand rows.
    using Progress = std::function<void(const QString &table, qint64 done, qint64 total)>;

    static Result<QList<TableCount>> copy(Database &from, Database &to,
                                          const Progress &progress = {});
};
