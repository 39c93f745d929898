#include "transaction.h"

#include "sql_dialect.h"

#include <QHash>
#include <QSqlError>
#include <QSqlQuery>

namespace {

// Open Transactions per connection name. A connection belongs to one thread,
// so each thread keeps its own count.
QHash<QString, int> &openTransactions()
{
    thread_local QHash<QString, int> open;
    return open;
}

} // namespace

Transaction::Transaction(QSqlDatabase db)
    : m_db(std::move(db))
{
    const int level = openTransactions().value(m_db.connectionName());
    if (level > 0)
        m_savepoint = QStringLiteral("nested_%1").arg(level);
    const QString begin = m_savepoint.isEmpty() ? SqlDialect::beginWrite(m_db)
                                                : QStringLiteral("SAVEPOINT ") + m_savepoint;
    // A connection that a failed reconnect left closed gets no statement
    // (Qt would warn of each on stderr), only the next try below.
    if (m_db.isOpen()) {
        QSqlQuery query(m_db);
        m_open = query.exec(begin);
        if (!m_open)
            m_error = query.lastError();
    }
    // A server restarted or our session ended: connect again (with backoff)
    // and go on, rather than failing every write from now on. Only an outer
    // transaction can: a savepoint's connection has a transaction open.
    if (!m_open && m_savepoint.isEmpty() && SqlDialect::reconnect(m_db)) {
        QSqlQuery again(m_db);
        m_open = again.exec(begin);
        m_error = m_open ? QSqlError() : again.lastError();
    }
    if (m_open)
        ++openTransactions()[m_db.connectionName()];
}

Transaction::~Transaction()
{
    if (!m_open)
        return;
    if (!m_db.isOpen()) { // closed under it: nothing to roll back on it
        close();
        return;
    }
    QSqlQuery query(m_db);
    if (m_savepoint.isEmpty()) {
        query.exec(QStringLiteral("ROLLBACK"));
    } else {
        query.exec(QStringLiteral("ROLLBACK TO SAVEPOINT ") + m_savepoint);
        query.exec(QStringLiteral("RELEASE SAVEPOINT ") + m_savepoint);
    }
    close();
}

bool Transaction::commit()
{
    QSqlQuery query(m_db);
    if (!query.exec(m_savepoint.isEmpty() ? QStringLiteral("COMMIT")
                                          : QStringLiteral("RELEASE SAVEPOINT ") + m_savepoint)) {
        m_error = query.lastError();
        return false;
    }
    close();
    return true;
}

void Transaction::close()
{
    m_open = false;
    QHash<QString, int> &open = openTransactions();
    if (--open[m_db.connectionName()] <= 0)
        open.remove(m_db.connectionName());
}
