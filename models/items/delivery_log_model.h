#pragma once

#include "delivery/delivery_store.h"
#include "domain/attempt.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QList>
#include <QSet>
#include <QTimer>
#include <memory>
#include <optional>

class DeliveryLogSearch;
class HookStore;

// The delivery log, one row per attempt, newest first. It never reads the
// whole table: it holds the pages of rows fetched so far (keyset paging
// through DeliveryStore::attempts, so page n costs what page 1 costs) and
// views pull more with fetchMore(). It stays live: refresh() prepends the
// rows newer than the newest held and re-reads the held pending rows, which
// finish in place. A timer polls the file's data version for commits of other
// processes; this process's commits arrive through attemptsChanged.
//
// Under a text filter (LIKE, no index helps) a page may mean a scan of the
// whole log, so pages are read on a DeliveryLogSearch thread and their rows
// arrive later, a window's matches at a time; isSearching() holds meanwhile.
// The search covers the attempts up to the newest one when the filter was
// set; newer ones come with refresh() as usual, so the two never overlap.
// Without a text filter every read stays synchronous (index-backed).
class DeliveryLogModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DeliveryLogModel)

public:
    static constexpr int PageSize = 200;
    static constexpr int PollIntervalMs = 500;
    // More new rows than this at once (a burst while the window was busy):
    // start again from the newest page instead of inserting them all.
    static constexpr int MaxLiveRows = 5000;

    enum Column { Time, Hook, Event, Outcome, Duration, AttemptNumber, Trigger, ColumnCount };
    Q_ENUM(Column)

    enum Role {
        AttemptIdRole = Qt::UserRole + 1, // qint64
        DeliveryIdRole,                   // qint64, what redeliver takes
        OutcomeRole,                      // int, an AttemptOutcome
        WebhookIdRole,                    // qint64
        StatusCodeRole,                   // int, 0 without an HTTP answer
        ErrorKindRole,                    // QString: dns, refused, timeout, tls, reset, http, ...
        MessageIdRole,                    // QString, the webhook-id header
        TimeRole,                         // QDateTime (UTC) the row shows
    };
    Q_ENUM(Role)

    // `hooks` may be null; the Hook column then shows the URL of the attempt.
    DeliveryLogModel(DeliveryStore *store, HookStore *hooks, QObject *parent = nullptr);
    // Waits for the search thread to drop what it reads (one window at most).
    ~DeliveryLogModel() override;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QHash<int, QByteArray> roleNames() const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;
    // The log is ordered by time only (any column): descending is newest
    // first, the default; ascending shows the oldest attempt at once (keyset
    // paging from the other end, not a walk through every page), and new
    // attempts join at the bottom.
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;
    // Descending is newest first, the default.
    Qt::SortOrder sortOrder() const
    {
        return m_oldestFirst ? Qt::AscendingOrder : Qt::DescendingOrder;
    }
    bool isOldestFirst() const { return m_oldestFirst; }

    const LogFilter &filter() const { return m_filter; }
    // Starts over with the newest page of what the filter shows. Under a text
    // filter the rows come later (see isSearching()).
    void setFilter(const LogFilter &filter);
    // A page under a text filter is being read on the search thread.
    bool isSearching() const { return m_searching; }

    // The row as held (without details).
    const Attempt &attemptAt(int row) const { return m_rows.at(row); }
    // Row of a held attempt, or -1.
    int rowOfAttempt(qint64 attemptId) const;
    // No row held and nothing more to fetch (false while searching).
    bool isEmpty() const { return m_rows.isEmpty() && m_atEnd; }

    // The chart's aggregates (DeliveryStore::attemptBuckets), read on a
    // reader thread of the chart's own, so the GUI thread never waits for
    // them and they never wait behind a count or a search (a count of a
    // million attempts takes seconds, the chart's 24 hours a few dozen ms);
    // bucketsRead answers with the number this returns.
    quint64 readBuckets(const LogFilter &filter, const QDateTime &start, qint64 bucketMs,
                        int bucketCount);

    // The log's counts for `filter`: how many attempts it lets through (when
    // `withMatches`) and how many failed deliveries Redeliver Failed would
    // send. Read on the search thread's connection, so the GUI thread never
    // waits for them (a count over a million attempts takes a second or
    // more); countsRead answers with the number this returns.
    quint64 readCounts(const LogFilter &filter, bool withMatches);

    // 0 stops polling (tests drive refresh() themselves).
    void setPollInterval(int ms);

    // "200", "refused", "pending — due 10:42:13": the Outcome column's text.
    static QString outcomeText(const Attempt &attempt);
    static QString triggerText(AttemptTrigger trigger);
    static QString errorKindText(const QString &errorKind);

public slots:
    // Prepends the rows that are new and updates the pending rows held.
    void refresh();
    // Drops everything and reads the newest page again.
    void reload();

signals:
    void loadFailed(const QString &message);
    void searchingChanged(bool searching);
    // The answer to readBuckets(); `error` is empty when it was read.
    void bucketsRead(quint64 request, const QList<AttemptBucket> &buckets, const QString &error);
    // The answer to readCounts(); `matches` is -1 when not asked for, and
    // `error` is empty when they were read.
    void countsRead(quint64 request, qint64 matches, qint64 failedDeliveries, const QString &error);

private:
    bool isRow(const QModelIndex &index) const;
    bool usesSearch() const;
    // The search thread (text filter pages and the counts), started the
    // first time it is needed.
    DeliveryLogSearch *reader();
    // A reader thread with its own connection, posting its answers here.
    std::unique_ptr<DeliveryLogSearch> makeReader();
    // Reads the page after `after` (0: from the start) on the search thread.
    void startSearch(qint64 after);
    void cancelSearch();
    void setSearching(bool searching);
    void onSearchFound(quint64 generation, const QList<Attempt> &rows);
    void onSearchFinished(quint64 generation, bool reachedEnd,
                          const std::optional<StorageError> &error);
    void scheduleRefresh();
    void poll();
    void reloadHooks();
    void learnHookUrls();
    // A page after `after` (0: from the start) in the current order.
    Result<QList<Attempt>> readPage(qint64 after) const;
    bool updatePendingRows();
    void mergeRows(const QList<Attempt> &incoming);
    bool watchesFinishingRows() const;
    qint64 pendingFloor() const;
    QString hookText(const Attempt &attempt) const;
    QString toolTip(const Attempt &attempt) const;

    DeliveryStore *m_store;
    HookStore *m_hooks;
    LogFilter m_filter;
    QList<Attempt> m_rows;
    bool m_atEnd = true;
    bool m_loadFailed = false;
    bool m_refreshQueued = false;
    bool m_changing = false; // rows are being inserted or reset
    bool m_oldestFirst = false;
    qint64 m_dataVersion = -1;
    // Under a succeeded/failed filter: the oldest attempt that may still come
    // to match (the oldest pending one); 0 otherwise.
    qint64 m_pendingFloor = 0;
    // Masked, by hook id; a null string: no such hook now (deleted).
    mutable QHash<qint64, QString> m_hookUrls;
    mutable QSet<qint64> m_hookUrlsWanted; // asked for by hookText(), not read yet
    mutable QTimer m_hookUrlTimer;
    QTimer m_pollTimer;
    // Under a text filter, newest first: the newest attempt when the filter
    // was set; the search reads up to it, refresh() what is newer. Oldest
    // first: the newest attempt a finished search has read up to, so the
    // next one (new attempts at the bottom) starts there.
    qint64 m_searchCeiling = 0;
    qint64 m_searchTop = 0; // oldest first: what the running search reads up to
    bool m_searching = false;
    quint64 m_searchGeneration = 0;
    std::unique_ptr<DeliveryLogSearch> m_search;      // made at the first text filter or count
    std::unique_ptr<DeliveryLogSearch> m_chartReader; // made at the chart's first read
};
