#pragma once

#include "delivery/delivery_store.h"

#include <QMutex>
#include <QThread>
#include <QWaitCondition>
#include <atomic>
#include <functional>
#include <optional>

// Reads pages of the delivery log under a text filter, the chart's
// aggregates (attemptBuckets) and the log's counts (how many attempts match,
// how many failed deliveries Redeliver Failed would send), on a thread of its
// own with its own connection to the file. A text filter is matched with LIKE and
// no index helps it: one that matches almost nothing scans the whole log,
// seconds on a large file, and the GUI thread must not wait for that.
//
// The scan goes through the log in id windows of WindowRows rows; between
// windows it looks whether a newer request came (the user typed more, or
// cleared the filter) and then drops the old one, so a new search waits for
// one window at most. Each window's matches are handed over as they are
// found, with the request's generation: the receiver drops what an older
// generation found. An aggregate request goes first, and a running search
// reads it between two windows, so the chart waits for one window at most.
// Counts come last, once no page is asked for: with a text filter they are
// a pass over the whole log, and the page the user looks at comes first; a
// page asked for while counts are read stops them (on SQLite), and they are
// read again after it.
// Callbacks run on the search thread: post them to where they belong.
class DeliveryLogSearch final : public QThread
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DeliveryLogSearch)

public:
    static constexpr qint64 WindowRows = 50000;

    struct Request
    {
        LogFilter filter;
        bool oldestFirst = false;
        qint64 afterId = 0;  // exclusive lower bound, 0: none
        qint64 beforeId = 0; // exclusive upper bound, 0: the newest attempt now
        int limit = 0;
    };

    // The chart's buckets: DeliveryStore::attemptBuckets.
    struct BucketRequest
    {
        LogFilter filter;
        QDateTime start;
        qint64 bucketMs = 0;
        int bucketCount = 0;
    };

    // The log's counts for a filter: DeliveryStore::countAttempts (when
    // `matches`) and countFailedDeliveries.
    struct CountRequest
    {
        LogFilter filter;
        bool matches = false;
    };

    struct Counts
    {
        qint64 matches = -1; // -1: not asked for
        qint64 failedDeliveries = 0;
    };

    struct Callbacks
    {
        // Matches of one window, in the order asked for; never empty.
        std::function<void(quint64 generation, const QList<Attempt> &rows)> found;
        // The request is done: `reachedEnd` when nothing beyond the rows found
        // matches. An error ends it too.
        std::function<void(quint64 generation, bool reachedEnd,
                           const std::optional<StorageError> &error)>
            finished;
        // The answer to readBuckets() with its number; may be left empty.
        std::function<void(quint64 request, const Result<QList<AttemptBucket>> &buckets)> buckets;
        // The answer to readCounts() with its number; may be left empty.
        std::function<void(quint64 request, const Result<Counts> &counts)> counts;
    };

    DeliveryLogSearch(const QString &databasePath, Callbacks callbacks, QObject *parent = nullptr);
    // Drops the request being read (after its current window) and stops.
    ~DeliveryLogSearch() override;

    // Replaces any request not finished yet; returns its generation.
    quint64 search(const Request &request);
    // Drops any request not finished yet.
    void cancel();
    // Replaces any aggregate request not started yet; returns its number.
    quint64 readBuckets(const BucketRequest &request);
    // Replaces any count request not started yet; returns its number.
    quint64 readCounts(const CountRequest &request);

protected:
    void run() override;

private:
    bool isCurrent(quint64 generation) const { return m_generation.load() == generation; }
    void runRequest(quint64 generation, const Request &request, const DeliveryStore &store);
    // Reads the aggregate request waiting, if there is one; false when none did.
    bool runBucketRequest(const DeliveryStore &store);
    // Reads the count request waiting, if there is one. A page or newer
    // counts asked for meanwhile stop it, through `sqlite` (the thread's
    // SQLite handle; on a server, nullptr, and it runs to its end).
    void runCountRequest(const DeliveryStore &store, void *sqlite);
    // With m_mutex held: stops the count being read, if any.
    void interruptCountLocked();
    // Answers the waiting aggregate and count requests with the open error.
    void failWaitingRequests(const StorageError &error);

    const QString m_databasePath;
    const Callbacks m_callbacks;
    QMutex m_mutex;
    QWaitCondition m_changed;
    std::optional<Request> m_request; // the newest request not started yet
    quint64 m_requestGeneration = 0;
    std::optional<BucketRequest> m_bucketRequest;
    quint64 m_bucketRequestNumber = 0;
    std::optional<CountRequest> m_countRequest;
    quint64 m_countRequestNumber = 0;
    bool m_stopping = false;
    void *m_countingOn = nullptr; // the SQLite handle a count runs on now
    bool m_countInterrupted = false;
    std::atomic<quint64> m_generation{0};
};
