#pragma once

#include <QSqlDatabase>
#include <QSqlError>

// A write transaction that rolls back unless committed. On SQLite it is BEGIN
// IMMEDIATE, which takes the write lock up front, so the busy timeout applies
// here and a transaction never fails half way for want of the lock.
class Transaction final
{
    Q_DISABLE_COPY_MOVE(Transaction)

public:
    explicit Transaction(QSqlDatabase db);
    ~Transaction();

    bool isOpen() const { return m_open; }
    QSqlError error() const { return m_error; }
    bool commit();

private:
    QSqlDatabase m_db;
    bool m_open = false;
    QSqlError m_error;
};
