#include "transaction.h"

#include "sql_dialect.h"

#include <QSqlQuery>

Transaction::Transaction(QSqlDatabase db)
    : m_db(std::move(db))
{
    QSqlQuery query(m_db);
    m_open = query.exec(SqlDialect::beginWrite(m_db));
    // A server restarted or our session ended: connect again (with backoff)
    // and go on, rather than failing every write from now on.
    if (!m_open && SqlDialect::reconnect(m_db)) {
        QSqlQuery again(m_db);
        m_open = again.exec(SqlDialect::beginWrite(m_db));
        if (!m_open)
            m_error = again.lastError();
    } else if (!m_open) {
        m_error = query.lastError();
    }
}

Transaction::~Transaction()
{
    if (m_open)
        QSqlQuery(m_db).exec(QStringLiteral("ROLLBACK"));
}

bool Transaction::commit()
{
    QSqlQuery query(m_db);
    if (!query.exec(QStringLiteral("COMMIT"))) {
        m_error = query.lastError();
        return false;
    }
    m_open = false;
    return true;
}
