#pragma once

#include <QHash>
#include <QSqlError>
#include <QSqlQuery>
#include <QString>
#include <memory>

class Database;

// Statements prepared once on one connection and kept, for a path that runs
// the same few statements thousands of times a second (the intake: parsing
// them again was a fifth of its time). A user takes a statement, binds and
// runs it, and finishes it before the next use. After any failure the cache
// is cleared: after a server reconnects, a statement prepared on the old
// session never runs again.
class StatementCache final
{
public:
    explicit StatementCache(Database *database);
    Q_DISABLE_COPY_MOVE(StatementCache)

    // The prepared statement for `sql`, or nullptr with *error set.
    QSqlQuery *get(const QString &sql, QSqlError *error);
    // After a failure: every statement is prepared anew from the next get()
    // on (those handed out stay valid until then).
    void invalidate() { m_stale = true; }

private:
    Database *m_database;
    QHash<QString, std::shared_ptr<QSqlQuery>> m_statements;
    bool m_stale = false;
};
