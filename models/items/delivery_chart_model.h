#pragma once

#include "delivery/delivery_store.h"

#include <QAbstractTableModel>
#include <QDateTime>
#include <QTimer>
#include <array>
#include <functional>

class DeliveryLogModel;

// The chart above the log: attempts per bucket of time, one column per
// outcome, for what the log's filter shows (its own time window aside: the
// chart's range is the window). One row per bucket, oldest first; the last
// bucket holds now. The counts are aggregates counted in SQL on a reader
// thread of the log's kept for the chart (DeliveryLogModel::readBuckets; it
// never waits behind the log's counts or a text search), never rows, so a
// million attempts cost the GUI thread nothing but the answer.
//
// It follows the log: a new filter reads again at once; new or finished
// attempts read again at most every ThrottleMs; time passing moves the
// buckets on. Inactive (the chart hidden), it reads nothing.
class DeliveryChartModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DeliveryChartModel)

public:
    static constexpr int ThrottleMs = 2000;

    enum class Range { LastHour, Last24Hours, Last7Days };
    Q_ENUM(Range)
    // Stacked bottom to top in this order.
    enum Column { Succeeded, Failed, Pending, Filtered, ColumnCount };
    Q_ENUM(Column)
    enum Role {
        BucketStartRole = Qt::UserRole + 1, // QDateTime (UTC)
        BucketEndRole,                      // QDateTime (UTC), exclusive
        OutcomeRole,                        // int, an AttemptOutcome (per column)
    };
    Q_ENUM(Role)

    explicit DeliveryChartModel(DeliveryLogModel *log, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    Range range() const { return m_range; }
    void setRange(Range range);
    static qint64 bucketMsFor(Range range);
    static int bucketCountFor(Range range);
    qint64 bucketMs() const { return bucketMsFor(m_range); }
    // Where the buckets begin; bucket n is [start + n * bucketMs, + bucketMs).
    QDateTime start() const { return m_start; }
    // The bucket's row that holds this time, or -1.
    int rowAt(const QDateTime &time) const;

    static AttemptOutcome outcomeOf(Column column);
    qint64 count(int row, Column column) const;
    // Every attempt in every bucket.
    qint64 total() const { return m_total; }
    // The highest stack.
    qint64 maximum() const { return m_maximum; }

    // Whether the chart is shown: reads happen only then.
    void setActive(bool active);
    bool isActive() const { return m_active; }
    // A read is on its way; the counts held are from the previous one.
    bool isLoading() const { return m_waitingFor != 0; }
    // Buckets have been read at least once.
    bool hasLoaded() const { return m_loaded; }
    // Why the last read failed; empty when it did not.
    QString error() const { return m_error; }

    // Tests set the time; by default the system clock.
    void setClock(std::function<QDateTime()> now);

public slots:
    // Reads the buckets now (replacing a read not started yet).
    void reload();
    // Reads them again soon, at most once per ThrottleMs.
    void scheduleReload();

signals:
    // New counts are in (after a reset of the model).
    void loaded();
    void loadingChanged(bool loading);

private:
    void onBucketsRead(quint64 request, const QList<AttemptBucket> &buckets, const QString &error);
    void onLogReset();
    static LogFilter withoutTime(LogFilter filter);

    DeliveryLogModel *m_log;
    Range m_range = Range::Last24Hours;
    std::function<QDateTime()> m_now;
    bool m_active = false;
    bool m_loaded = false;
    quint64 m_waitingFor = 0;
    LogFilter m_readFilter;
    QDateTime m_start;
    QDateTime m_requestedStart;
    QList<std::array<qint64, ColumnCount>> m_counts;
    qint64 m_total = 0;
    qint64 m_maximum = 0;
    QString m_error;
    QTimer m_throttle;
    QTimer m_clockTimer; // the buckets move on as time passes
};
