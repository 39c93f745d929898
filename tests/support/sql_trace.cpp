#include "sql_trace.h"

#include "store/sqlite_handle.h"

SqlTrace::SqlTrace(const QSqlDatabase &db)
{
    m_handle = sqliteHandle(db);
    m_tracing = m_handle && sqlite3_trace_v2(m_handle, SQLITE_TRACE_PROFILE, &SqlTrace::note,
                                             this) == SQLITE_OK;
}

SqlTrace::~SqlTrace()
{
    if (m_tracing)
        sqlite3_trace_v2(m_handle, 0, nullptr, nullptr);
}

int SqlTrace::note(unsigned type, void *context, void *statement, void *)
{
    if (type != SQLITE_TRACE_PROFILE)
        return 0;
    auto *stmt = static_cast<sqlite3_stmt *>(statement);
    const char *sql = sqlite3_sql(stmt);
    // Reset, so a statement kept prepared counts each run on its own.
    static_cast<SqlTrace *>(context)->m_statements.append(
        {QString::fromUtf8(sql ? sql : ""),
         sqlite3_stmt_status(stmt, SQLITE_STMTSTATUS_VM_STEP, 1)});
    return 0;
}

QStringList SqlTrace::containing(const QString &text) const
{
    QStringList found;
    for (const Cost &cost : m_statements) {
        if (cost.sql.contains(text, Qt::CaseInsensitive))
            found.append(cost.sql);
    }
    return found;
}

QList<SqlTrace::Cost> SqlTrace::over(int steps) const
{
    QList<Cost> found;
    for (const Cost &cost : m_statements) {
        if (cost.steps > steps)
            found.append(cost);
    }
    return found;
}
