#pragma once

#include "storage_error.h"

#include <QObject>
#include <QPointer>
#include <QString>
#include <QTimer>

class Database;
class QThread;

// Follows whether a window's PostgreSQL server answers, without ever making
// the caller's thread wait for a connect: each try opens a connection of its
// own on a worker thread (and checks the schema, as opening does). A try that
// fails is repeated with backoff, 1 s doubling to 8 s (a window is one
// client, and its user waits), until one succeeds.
//
// Before there is a connection, waitFor() tries an address until it answers
// (available()). With one, watch() asks it a trivial question every few
// seconds; when that fails the connection is lost (lost()), the server is
// tried in the background, and once it answers the connection is opened
// again on its own thread (restored()).
class ServerWatch final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ServerWatch)

public:
    static constexpr int CheckIntervalMs = 2000;
    static constexpr int FirstRetryMs = 1000;
    static constexpr int MaxRetryMs = 8000;

    explicit ServerWatch(QObject *parent = nullptr);
    // Waits for a try under way (at most libpq's connect timeout).
    ~ServerWatch() override;

    // Tries `location` now, and again after each failure, until it answers.
    void waitFor(const QString &location);
    // Watches an open connection; nothing to watch on a file.
    void watch(Database *database);
    // Cuts the current wait short: tries at once.
    void tryNow();
    // Stops watching and waiting; a try under way is ignored.
    void stop();

    bool isTrying() const;
    // Until the next try; 0 while one runs or nothing is wrong.
    int retryInMs() const;

signals:
    // A try failed, for a reason worth waiting out (the server is down or
    // unreachable, refuses connections, is starting): the reason, without
    // the password, and the wait until the next try.
    void unavailable(const QString &reason, int retryInMs);
    // A try got through but the database cannot be used (a newer schema,
    // another program's tables): waiting does not help, nothing more is tried.
    void refused(const QString &message);
    // The server answered and refused the login (a wrong password, an
    // unknown user or database): not an outage, so nothing more is tried
    // until tryNow() or waitFor() with another address.
    void denied(const QString &message);
    // waitFor(): the address answers; opening it now will not wait long.
    void available();
    // watch(): the connection stopped answering; and it answers again,
    // opened anew (what changed meanwhile reads as changed).
    void lost(const QString &reason);
    void restored();

private:
    void check();
    void startTry();
    void finishTry(bool ok, StorageError::Kind kind, const QString &message);
    void scheduleRetry(const QString &reason);

    QString m_location;
    Database *m_database = nullptr;
    bool m_lost = false;
    QPointer<QThread> m_worker;
    QTimer m_checkTimer;
    QTimer m_retryTimer;
    int m_backoffMs = 0;
    int m_try = 0;
};
