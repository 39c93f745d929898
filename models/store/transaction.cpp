#include "transaction.h"

#include <QSqlQuery>

Transaction::Transaction(QSqlDatabase db)
    : m_db(std::move(db))
{
    QSqlQuery query(m_db);
    m_open = query.exec(QStringLiteral("BEGIN IMMEDIATE"));
    if (!m_open)
        m_error = query.lastError();
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
