#pragma once

#include "cli_process.h"

#include <QProcess>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>
#include <QTemporaryDir>

// What the team-mode tests (tests/app/tst_team_*) share: a fresh database on
// the fixture's PostgreSQL server, a receiver process of its own that logs
// each request in arrival order, the environment webhook-admin runs in, a
// burst of queued deliveries, and the check that every one arrived in order.
class TeamSetup final
{
    Q_DISABLE_COPY_MOVE(TeamSetup)

public:
    TeamSetup() = default;
    ~TeamSetup(); // stops the receiver

    // Empty when ready, else why not.
    QString start();

    QString db() const { return m_db; }
    int port() const { return m_port; }
    QProcessEnvironment environment() const { return m_environment; }
    QString filePath(const QString &name) const { return m_home.filePath(name); }

    // webhook-admin --db DB arguments...
    CliTest::Run cli(const QStringList &arguments) const;
    // One number from a connection of its own (the server restarts under
    // these tests); -1 when it cannot be read.
    qint64 scalar(const QString &sql) const;
    int receivedCount() const;

    // `hooks` hooks for TASKS_CREATED at `path` on the receiver, one request
    // in flight each, and `events` queued events of `tasksPerEvent` tasks:
    // hooks x events x tasksPerEvent deliveries (WEBHOOK_BATCH_SIZE is 1).
    // Empty when stored, else the failed run described.
    QString queueBurst(int hooks, const QString &path, int events, int tasksPerEvent);

    struct Arrivals
    {
        qint64 deliveries = 0;  // stored
        qsizetype arrived = 0;  // distinct webhook-ids the receiver got
        int duplicates = 0;     // requests that came again
        QStringList unknown;    // requests for no stored delivery
        QStringList outOfOrder; // per hook, a first arrival after a later delivery's
    };
    // The receiver's log against the stored deliveries.
    Arrivals arrivals() const;

private:
    QTemporaryDir m_home;
    QProcessEnvironment m_environment;
    QString m_db;
    QString m_log;
    QProcess m_receiver;
    int m_port = 0;
};
