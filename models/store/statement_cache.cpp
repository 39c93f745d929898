#include "statement_cache.h"

#include "database.h"

StatementCache::StatementCache(Database *database)
    : m_database(database)
{
}

QSqlQuery *StatementCache::get(const QString &sql, QSqlError *error)
{
    if (m_stale) {
        m_statements.clear();
        m_stale = false;
    }
    if (const auto it = m_statements.constFind(sql); it != m_statements.constEnd())
        return it->get();
    auto query = std::make_shared<QSqlQuery>(m_database->connection());
    query->setForwardOnly(true);
    if (!query->prepare(sql)) {
        *error = query->lastError();
        return nullptr;
    }
    m_statements.insert(sql, query);
    return query.get();
}
