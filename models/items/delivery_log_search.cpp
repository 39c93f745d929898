#include "delivery_log_search.h"

#include "store/database.h"
#include "store/sql_dialect.h"
#include "store/sqlite_handle.h"

#include <algorithm>

DeliveryLogSearch::DeliveryLogSearch(const QString &databasePath, Callbacks callbacks,
                                     QObject *parent)
    : QThread(parent)
    , m_databasePath(databasePath)
    , m_callbacks(std::move(callbacks))
{
    setObjectName(QStringLiteral("DeliveryLogSearch"));
}

DeliveryLogSearch::~DeliveryLogSearch()
{
    {
        QMutexLocker lock(&m_mutex);
        m_stopping = true;
        m_request.reset();
        interruptCountLocked();
        ++m_generation;
        m_changed.wakeAll();
    }
    wait();
}

quint64 DeliveryLogSearch::search(const Request &request)
{
    quint64 generation = 0;
    {
        QMutexLocker lock(&m_mutex);
        generation = ++m_generation;
        m_request = request;
        m_requestGeneration = generation;
        interruptCountLocked();
        m_changed.wakeAll();
    }
    if (!isRunning())
        start();
    return generation;
}

void DeliveryLogSearch::cancel()
{
    QMutexLocker lock(&m_mutex);
    ++m_generation;
    m_request.reset();
}

quint64 DeliveryLogSearch::readBuckets(const BucketRequest &request)
{
    quint64 number = 0;
    {
        QMutexLocker lock(&m_mutex);
        number = ++m_bucketRequestNumber;
        m_bucketRequest = request;
        m_changed.wakeAll();
    }
    if (!isRunning())
        start();
    return number;
}

quint64 DeliveryLogSearch::readCounts(const CountRequest &request)
{
    quint64 number = 0;
    {
        QMutexLocker lock(&m_mutex);
        number = ++m_countRequestNumber;
        m_countRequest = request;
        interruptCountLocked();
        m_changed.wakeAll();
    }
    if (!isRunning())
        start();
    return number;
}

void DeliveryLogSearch::interruptCountLocked()
{
    if (m_countingOn) {
        sqlite3_interrupt(static_cast<sqlite3 *>(m_countingOn));
        m_countInterrupted = true;
    }
}

void DeliveryLogSearch::runCountRequest(const DeliveryStore &store, void *sqlite)
{
    CountRequest request;
    quint64 number = 0;
    {
        QMutexLocker lock(&m_mutex);
        if (!m_countRequest)
            return;
        request = *std::exchange(m_countRequest, std::nullopt);
        number = m_countRequestNumber;
        m_countingOn = sqlite;
        m_countInterrupted = false;
    }
    // A count stopped for a page asked for meanwhile runs again after it,
    // unless newer counts replaced it; one that failed otherwise says so.
    const auto failedWith = [&](const StorageError &error) {
        {
            QMutexLocker lock(&m_mutex);
            m_countingOn = nullptr;
            if (m_countInterrupted) {
                if (!m_countRequest)
                    m_countRequest = request;
                return;
            }
        }
        if (m_callbacks.counts)
            m_callbacks.counts(number, error);
    };
    Counts counts;
    if (request.matches) {
        const Result<qint64> matches = store.countAttempts(request.filter);
        if (!matches)
            return failedWith(matches.error());
        counts.matches = matches.value();
    }
    const Result<qint64> failed = store.countFailedDeliveries(request.filter);
    if (!failed)
        return failedWith(failed.error());
    {
        QMutexLocker lock(&m_mutex);
        m_countingOn = nullptr;
    }
    counts.failedDeliveries = failed.value();
    if (m_callbacks.counts)
        m_callbacks.counts(number, counts);
}

void DeliveryLogSearch::failWaitingRequests(const StorageError &error)
{
    QMutexLocker lock(&m_mutex);
    if (m_bucketRequest) {
        m_bucketRequest.reset();
        if (m_callbacks.buckets)
            m_callbacks.buckets(m_bucketRequestNumber, error);
    }
    if (m_countRequest) {
        m_countRequest.reset();
        if (m_callbacks.counts)
            m_callbacks.counts(m_countRequestNumber, error);
    }
}

bool DeliveryLogSearch::runBucketRequest(const DeliveryStore &store)
{
    BucketRequest request;
    quint64 number = 0;
    {
        QMutexLocker lock(&m_mutex);
        if (!m_bucketRequest)
            return false;
        request = *std::exchange(m_bucketRequest, std::nullopt);
        number = m_bucketRequestNumber;
    }
    const Result<QList<AttemptBucket>> buckets =
        store.attemptBuckets(request.filter, request.start, request.bucketMs, request.bucketCount);
    if (m_callbacks.buckets)
        m_callbacks.buckets(number, buckets);
    return true;
}

void DeliveryLogSearch::run()
{
    Database database;
    const std::optional<StorageError> openError = database.open(m_databasePath);
    const DeliveryStore store(&database);
    sqlite3 *const sqlite = openError ? nullptr : sqliteHandle(database.connection());
    for (;;) {
        Request request;
        quint64 generation = 0;
        // The chart's aggregates first, then the page the user looks at, then
        // the counts: with a text filter counting is a pass over every
        // attempt (seconds at a million), and the page must not wait for it.
        bool aside = false;
        {
            QMutexLocker lock(&m_mutex);
            while (!m_request && !m_bucketRequest && !m_countRequest && !m_stopping)
                m_changed.wait(&m_mutex);
            if (m_stopping)
                return;
            aside = m_bucketRequest.has_value() || !m_request.has_value();
            if (!aside) {
                request = *std::exchange(m_request, std::nullopt);
                generation = m_requestGeneration;
            }
        }
        // A server that restarted, or ended this session: connect again
        // (with backoff) rather than fail every search from now on.
        if (!openError && database.isServer()) {
            QSqlDatabase db = database.connection();
            SqlDialect::reconnect(db);
        }
        if (aside) {
            if (openError) {
                failWaitingRequests(*openError);
                continue;
            }
            if (!runBucketRequest(store))
                runCountRequest(store, sqlite);
            continue;
        }
        if (openError) {
            m_callbacks.finished(generation, true, openError);
            continue;
        }
        runRequest(generation, request, store);
    }
}

void DeliveryLogSearch::runRequest(quint64 generation, const Request &request,
                                   const DeliveryStore &store)
{
    // The ends of the log now; both are index lookups.
    const Result<QList<Attempt>> newest = store.attempts({}, 0, 1);
    if (!newest) {
        m_callbacks.finished(generation, true, newest.error());
        return;
    }
    const Result<QList<Attempt>> oldest = store.attemptsNewerThan({}, 0, 1);
    if (!oldest) {
        m_callbacks.finished(generation, true, oldest.error());
        return;
    }
    if (newest->isEmpty() || oldest->isEmpty()) {
        m_callbacks.finished(generation, true, std::nullopt);
        return;
    }
    // The ids still to scan: low < id < high.
    qint64 low = std::max(request.afterId, oldest->constFirst().id - 1);
    qint64 high = newest->constFirst().id + 1;
    if (request.beforeId > 0)
        high = std::min(high, request.beforeId);

    int remaining = request.limit;
    while (low + 1 < high) {
        if (!isCurrent(generation))
            return; // a newer request replaced this one; nobody waits for its end
        runBucketRequest(store);
        qint64 after = low;
        qint64 before = high;
        if (request.oldestFirst)
            before = std::min(high, low + WindowRows + 1);
        else
            after = std::max(low, high - WindowRows - 1);
        Result<QList<Attempt>> rows =
            store.attemptsBetween(request.filter, after, before, remaining, request.oldestFirst);
        if (!rows) {
            m_callbacks.finished(generation, true, rows.error());
            return;
        }
        if (!isCurrent(generation))
            return;
        remaining -= int(rows->size());
        if (!rows->isEmpty())
            m_callbacks.found(generation, rows.value());
        if (remaining <= 0) {
            m_callbacks.finished(generation, false, std::nullopt);
            return;
        }
        if (request.oldestFirst)
            low = before - 1;
        else
            high = after + 1;
    }
    m_callbacks.finished(generation, true, std::nullopt);
}
