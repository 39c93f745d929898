#include "attempt_recorder.h"

#include "store/database.h"

#include <QDeadlineTimer>

#ifdef Q_OS_LINUX
#include <sys/resource.h>
#include <unistd.h>
#endif

namespace {

// After the file refused a batch (locked past the busy timeout, full), wait
// this long before trying it again; the results stay queued meanwhile.
constexpr int RetryAfterFailureMs = 1000;
constexpr int RecorderNiceness = 5;

} // namespace

AttemptRecorder::AttemptRecorder(const QString &databasePath, Callbacks callbacks, QObject *parent)
    : QThread(parent)
    , m_databasePath(databasePath)
    , m_callbacks(std::move(callbacks))
{
    setObjectName(QStringLiteral("AttemptRecorder"));
}

AttemptRecorder::~AttemptRecorder()
{
    {
        QMutexLocker lock(&m_mutex);
        m_stopping = true;
        m_changed.wakeAll();
    }
    wait();
}

std::optional<StorageError> AttemptRecorder::begin()
{
    start();
    QMutexLocker lock(&m_mutex);
    while (!m_opened)
        m_changed.wait(&m_mutex);
    return m_openError;
}

void AttemptRecorder::record(const QList<AttemptResult> &results)
{
    if (!results.isEmpty())
        enqueue(Job{results, {}, 0, {}});
}

void AttemptRecorder::setCircuitBreaker(const CircuitBreaker &breaker)
{
    QMutexLocker lock(&m_mutex);
    m_breaker = breaker;
}

void AttemptRecorder::claimDue(const QString &owner, int limit, const QDateTime &leaseUntil)
{
    enqueue(Job{{}, owner, limit, leaseUntil});
}

void AttemptRecorder::enqueue(Job job)
{
    QMutexLocker lock(&m_mutex);
    m_jobs.append(std::move(job));
    m_changed.wakeAll();
}

void AttemptRecorder::run()
{
#ifdef Q_OS_LINUX
    // Recording is batch work and sending is waiting-sensitive: on a busy
    // machine, let the network threads run first (a nice thread still gets
    // its share; SCHED_IDLE starved it behind any busy process).
    (void)setpriority(PRIO_PROCESS, pid_t(gettid()), RecorderNiceness);
#endif
    Database database;
    std::optional<StorageError> error = database.open(m_databasePath);
    {
        QMutexLocker lock(&m_mutex);
        m_opened = true;
        m_openError = error;
        m_changed.wakeAll();
    }
    if (error)
        return;
    DeliveryStore store(&database);

    bool failing = false;
    for (;;) {
        QList<Job> jobs;
        {
            QMutexLocker lock(&m_mutex);
            if (failing) {
                // Wait before the retry, unless we are told to stop.
                QDeadlineTimer deadline(RetryAfterFailureMs);
                while (!m_stopping && !deadline.hasExpired())
                    m_changed.wait(&m_mutex, deadline);
            }
            while (m_jobs.isEmpty() && !m_stopping)
                m_changed.wait(&m_mutex);
            if (m_jobs.isEmpty())
                return;
            jobs.swap(m_jobs);
        }
        const bool ok = runJobs(jobs, store);
        QMutexLocker lock(&m_mutex);
        if (!ok && m_stopping && failing)
            return; // tried again while stopping; the leases run out, they are sent again
        failing = !ok;
        if (!jobs.isEmpty())
            m_jobs = jobs + m_jobs;
    }
}

bool AttemptRecorder::runJobs(QList<Job> &jobs, DeliveryStore &store)
{
    while (!jobs.isEmpty()) {
        if (jobs.constFirst().results.isEmpty()) {
            const Job job = jobs.takeFirst();
            const Result<QList<ClaimedAttempt>> claimed = store.claimDue(
                job.owner, job.limit, QDateTime::currentDateTimeUtc(), job.leaseUntil);
            m_callbacks.claimed(claimed);
            continue;
        }
        // Every record job up to the next claim, in one transaction.
        qsizetype n = 0;
        QList<AttemptResult> batch;
        while (n < jobs.size() && !jobs.at(n).results.isEmpty())
            batch += jobs.at(n++).results;
        {
            QMutexLocker lock(&m_mutex);
            store.setCircuitBreaker(m_breaker);
        }
        QList<qint64> paused;
        const Status status = store.recordResults(batch, QDateTime::currentDateTimeUtc(), &paused);
        if (!status) {
            m_callbacks.recordFailed(status.error().message);
            return false;
        }
        jobs.remove(0, n);
        m_callbacks.recorded(int(batch.size()), paused);
    }
    return true;
}
