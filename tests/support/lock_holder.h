#pragma once

#include <QString>
#include <QThread>
#include <atomic>

// Holds the write lock of a database from a connection of its own, on a
// thread of its own, as another process's long write would: SQLite's BEGIN
// IMMEDIATE; on PostgreSQL the tables the window writes, locked EXCLUSIVE
// (reads go on, writes wait). Released after holdMs.
class LockHolder final : public QThread
{
public:
    LockHolder(const QString &location, int holdMs);
    ~LockHolder() override;

    bool isHolding() const { return m_holding; }
    bool hasReleased() const { return m_released; }
    QString error() const { return m_error; }

protected:
    void run() override;

private:
    QString m_location;
    int m_holdMs;
    std::atomic<bool> m_holding = false;
    std::atomic<bool> m_released = false;
    QString m_error;
};
