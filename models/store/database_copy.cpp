#include "database_copy.h"

#include "database.h"
#include "sql_dialect.h"
#include "transaction.h"

#include <QHash>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>
#include <QVariant>

namespace {

// Parents before children, so foreign keys hold at every row.
const char *const Tables[] = {
    "projects", "event_types",    "webhooks",         "webhook_headers", "webhook_actions",
    "events",   "deliveries",     "attempts",         "settings",        "intake_keys",
    "inboxes",  "inbox_requests", "previous_secrets",
};
// Tables whose id the target numbers itself afterwards.
const char *const IdentityTables[] = {"projects", "webhooks",       "events",          "deliveries",
                                      "attempts", "inbox_requests", "previous_secrets"};
constexpr int RowsPerStatement = 200;

enum class ColumnType { Integer, Text, Bytes };

// The target's column types: SQLite keeps what it was given, PostgreSQL
// wants each value as its column's type.
QHash<QString, ColumnType> columnTypes(const QSqlDatabase &db, const QString &table)
{
    QHash<QString, ColumnType> types;
    QSqlQuery query(db);
    if (SqlDialect::isPostgres(db)) {
        query.prepare(QStringLiteral("SELECT column_name, data_type FROM "
                                     "information_schema.columns WHERE table_schema = "
                                     "current_schema() AND table_name = ?"));
        query.addBindValue(table);
    } else {
        query.prepare(QStringLiteral("SELECT name, type FROM pragma_table_info(?)"));
        query.addBindValue(table);
    }
    if (!query.exec())
        return types;
    while (query.next()) {
        const QString type = query.value(1).toString().toLower();
        types.insert(query.value(0).toString(),
                     type.contains(QLatin1String("int")) ? ColumnType::Integer
                     : type.contains(QLatin1String("blob")) || type.contains(QLatin1String("bytea"))
                         ? ColumnType::Bytes
                         : ColumnType::Text);
    }
    return types;
}

QVariant asType(const QVariant &value, ColumnType type)
{
    if (value.isNull())
        return value;
    switch (type) {
    case ColumnType::Integer:
        return QVariant(value.toLongLong());
    case ColumnType::Bytes:
        return QVariant(value.toByteArray());
    case ColumnType::Text:
        return QVariant(value.toString());
    }
    return value;
}

} // namespace

Result<QList<DatabaseCopy::TableCount>> DatabaseCopy::copy(Database &from, Database &to,
                                                           const Progress &progress)
{
    const QSqlDatabase source = from.connection();
    const QSqlDatabase target = to.connection();
    const QString context = tr("Copying to %1").arg(to.display());

    // Refuse a target in use: copying would mix two histories.
    for (const char *table : {"webhooks", "events", "deliveries"}) {
        QSqlQuery used(target);
        if (!used.exec(QStringLiteral("SELECT count(*) FROM %1").arg(QLatin1String(table))) ||
            !used.next())
            return StorageError::fromSql(used.lastError(), context);
        if (used.value(0).toLongLong() > 0)
            return StorageError{StorageError::Kind::Invalid,
                                tr("%1 already holds hooks or deliveries; copy into an empty "
                                   "database only. Nothing was copied.")
                                    .arg(to.display())};
    }

    // One read transaction of the source: a consistent picture even while a
    // serve writes to it.
    QSqlQuery(source).exec(QStringLiteral("BEGIN"));
    Transaction transaction(target);
    if (!transaction.isOpen()) {
        QSqlQuery(source).exec(QStringLiteral("ROLLBACK"));
        return StorageError::fromSql(transaction.error(), context);
    }
    auto fail = [&](const QSqlError &error, const QString &table) {
        QSqlQuery(source).exec(QStringLiteral("ROLLBACK"));
        return StorageError::fromSql(error, tr("Copying %1 to %2").arg(table, to.display()));
    };

    QList<TableCount> counts;
    for (const char *name : Tables) {
        const QString table = QLatin1String(name);
        QSqlQuery count(source);
        if (!count.exec(QStringLiteral("SELECT count(*) FROM ") + table) || !count.next())
            return fail(count.lastError(), table);
        const qint64 total = count.value(0).toLongLong();
        count.finish();

        QSqlQuery read(source);
        read.setForwardOnly(true);
        if (!read.exec(QStringLiteral("SELECT * FROM ") + table))
            return fail(read.lastError(), table);
        const QSqlRecord record = read.record();
        QStringList columns;
        for (int i = 0; i < record.count(); ++i)
            columns.append(record.fieldName(i));
        const QHash<QString, ColumnType> types = columnTypes(target, table);
        QList<ColumnType> columnType;
        for (const QString &column : std::as_const(columns))
            columnType.append(types.value(column, ColumnType::Text));
        const QString row =
            QLatin1Char('(') +
            QStringList(columns.size(), QStringLiteral("?")).join(QLatin1Char(',')) +
            QLatin1Char(')');
        const QString head = QStringLiteral("INSERT INTO %1 (%2) VALUES ")
                                 .arg(table, columns.join(QStringLiteral(", ")));
        // Settings may already hold what the target made on first use.
        const QString tail = table == QLatin1String("settings")
                                 ? QStringLiteral(" ON CONFLICT (key) DO UPDATE SET value = "
                                                  "excluded.value")
                                 : QString();

        QList<QVariantList> pending;
        qint64 done = 0;
        QSqlQuery insert(target);
        int preparedRows = 0;
        auto flush = [&]() -> std::optional<QSqlError> {
            if (pending.isEmpty())
                return std::nullopt;
            const int rows = int(pending.size());
            if (rows != preparedRows) {
                QStringList values(rows, row);
                insert.prepare(head + values.join(QLatin1Char(',')) + tail);
                preparedRows = rows;
            }
            for (const QVariantList &values : std::as_const(pending)) {
                for (qsizetype i = 0; i < values.size(); ++i)
                    insert.addBindValue(asType(values.at(i), columnType.at(i)));
            }
            if (!insert.exec())
                return insert.lastError();
            done += rows;
            pending.clear();
            if (progress)
                progress(table, done, total);
            return std::nullopt;
        };
        if (progress)
            progress(table, 0, total);
        while (read.next()) {
            QVariantList values;
            values.reserve(columns.size());
            for (int i = 0; i < columns.size(); ++i)
                values.append(read.value(i));
            pending.append(values);
            if (pending.size() == RowsPerStatement) {
                if (auto error = flush())
                    return fail(*error, table);
            }
        }
        if (read.lastError().isValid())
            return fail(read.lastError(), table);
        if (auto error = flush())
            return fail(*error, table);
        counts.append({table, done});
    }

    // The copied ids were given, not drawn: the target's next id follows them.
    if (SqlDialect::isPostgres(target)) {
        for (const char *table : IdentityTables) {
            if (!SqlDialect::syncIdentity(target, QLatin1String(table)))
                return fail(target.lastError(), QLatin1String(table));
        }
    }
    if (!transaction.commit())
        return fail(transaction.error(), QString());
    QSqlQuery(source).exec(QStringLiteral("ROLLBACK"));
    return counts;
}
