#pragma once

#include <QList>
#include <QSqlDatabase>
#include <QString>
#include <QStringList>

struct sqlite3;

// Records what one SQLite connection runs, through SQLite's own trace hook,
// until it goes: which statements, and what each cost in virtual machine
// steps (a measure of work that does not depend on how busy the machine
// is). Tests use it to show that a connection, the GUI thread's, never runs
// a statement they forbid there.
class SqlTrace
{
public:
    struct Cost
    {
        QString sql;
        int steps = 0;
    };

    explicit SqlTrace(const QSqlDatabase &db);
    ~SqlTrace();
    SqlTrace(const SqlTrace &) = delete;
    SqlTrace &operator=(const SqlTrace &) = delete;

    // False when the connection is not SQLite's or the hook was refused.
    bool isTracing() const { return m_tracing; }
    // Each finished statement, in the order they ran.
    const QList<Cost> &statements() const { return m_statements; }
    // The statements whose text contains `text` (case-insensitive).
    QStringList containing(const QString &text) const;
    // The statements that took more than `steps` steps.
    QList<Cost> over(int steps) const;
    void clear() { m_statements.clear(); }

private:
    static int note(unsigned type, void *context, void *statement, void *);

    sqlite3 *m_handle = nullptr;
    bool m_tracing = false;
    QList<Cost> m_statements;
};
