#pragma once

#include "delivery_store.h"

#include <QMutex>
#include <QThread>
#include <QWaitCondition>
#include <functional>
#include <optional>

// The dispatcher's writes, on a thread of its own with its own connection to
// the file: attempt results in batches, and claims of due attempts. The
// dispatcher's thread then only sends and receives (recording cost it as much
// as the network work), and a commit waiting for another process's lock
// holds nothing in flight. Jobs run in the order given; results given while
// a commit runs are merged into the next batch. Answers come through the
// callbacks, on the recorder's thread: post them to where they belong.
class AttemptRecorder final : public QThread
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AttemptRecorder)

public:
    struct Callbacks
    {
        // How many were committed, and the hooks those results paused.
        std::function<void(int count, const QList<qint64> &pausedHooks)> recorded;
        std::function<void(const QString &message)> recordFailed; // the results are kept
        std::function<void(const Result<QList<ClaimedAttempt>> &claimed)> claimed;
    };

    AttemptRecorder(const QString &databasePath, Callbacks callbacks, QObject *parent = nullptr);
    // Records what it was given (one more try if the file refuses), then stops.
    ~AttemptRecorder() override;

    // Opens the connection on the recorder's thread and waits for that.
    std::optional<StorageError> begin();
    void record(const QList<AttemptResult> &results);
    void claimDue(const QString &owner, int limit, const QDateTime &leaseUntil);
    // The probe intervals the store applies when it records results.
    void setCircuitBreaker(const CircuitBreaker &breaker);

protected:
    void run() override;

private:
    struct Job
    {
        QList<AttemptResult> results; // a record job when not empty
        QString owner;                // a claim job otherwise
        int limit = 0;
        QDateTime leaseUntil;
    };

    void enqueue(Job job);
    // Runs a batch; false when its results could not be written (they stay queued).
    bool runJobs(QList<Job> &jobs, DeliveryStore &store);

    const QString m_databasePath;
    const Callbacks m_callbacks;
    QMutex m_mutex;
    QWaitCondition m_changed;
    QList<Job> m_jobs;
    bool m_stopping = false;
    bool m_opened = false;
    std::optional<StorageError> m_openError;
    CircuitBreaker m_breaker = CircuitBreaker::fromEnvironment();
};
