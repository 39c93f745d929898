#pragma once

#include <QSqlDatabase>
#include <QSqlError>

// A write transaction that rolls back unless committed. On SQLite it is BEGIN
// IMMEDIATE, which takes the write lock up front, so the busy timeout applies
// here and a transaction never fails half way for want of the lock.
//
// Opened while another Transaction is open on the same connection (on this
// thread), it is a SAVEPOINT inside that one: its commit keeps its writes
// for the outer transaction to commit, and without a commit only its own
// writes are undone. The listener's group commit stores many requests in one
// transaction this way, each of them all or nothing.
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
    void close();

    QSqlDatabase m_db;
    bool m_open = false;
    QSqlError m_error;
    QString m_savepoint; // empty: the outermost transaction
};
