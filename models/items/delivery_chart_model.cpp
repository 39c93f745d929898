#include "delivery_chart_model.h"

#include "delivery_log_model.h"

#include <algorithm>

DeliveryChartModel::DeliveryChartModel(DeliveryLogModel *log, QObject *parent)
    : QAbstractTableModel(parent)
    , m_log(log)
    , m_now([] { return QDateTime::currentDateTimeUtc(); })
{
    m_throttle.setSingleShot(true);
    m_throttle.setInterval(ThrottleMs);
    connect(&m_throttle, &QTimer::timeout, this, &DeliveryChartModel::reload);
    connect(&m_clockTimer, &QTimer::timeout, this, &DeliveryChartModel::scheduleReload);
    connect(m_log, &DeliveryLogModel::bucketsRead, this, &DeliveryChartModel::onBucketsRead);
    // A new filter resets the log: read at once. New rows, or pending ones
    // that finished: read soon.
    connect(m_log, &QAbstractItemModel::modelReset, this, &DeliveryChartModel::onLogReset);
    connect(m_log, &QAbstractItemModel::rowsInserted, this,
            [this](const QModelIndex &, int first, int last) {
                // Older pages the view fetched are not new attempts.
                const bool newest =
                    m_log->isOldestFirst() ? last == m_log->rowCount() - 1 : first == 0;
                if (newest)
                    scheduleReload();
            });
    connect(m_log, &QAbstractItemModel::dataChanged, this, &DeliveryChartModel::scheduleReload);
    m_counts.resize(bucketCountFor(m_range));
    m_start = m_now();
}

qint64 DeliveryChartModel::bucketMsFor(Range range)
{
    switch (range) {
    case Range::LastHour:
        return 60 * 1000;
    case Range::Last24Hours:
        return 15 * 60 * 1000;
    case Range::Last7Days:
        return 60 * 60 * 1000;
    }
    return 60 * 1000;
}

int DeliveryChartModel::bucketCountFor(Range range)
{
    switch (range) {
    case Range::LastHour:
        return 60;
    case Range::Last24Hours:
        return 24 * 4;
    case Range::Last7Days:
        return 7 * 24;
    }
    return 60;
}

AttemptOutcome DeliveryChartModel::outcomeOf(Column column)
{
    switch (column) {
    case Succeeded:
        return AttemptOutcome::Succeeded;
    case Failed:
        return AttemptOutcome::Failed;
    case Pending:
        return AttemptOutcome::Pending;
    case Filtered:
    case ColumnCount:
        break;
    }
    return AttemptOutcome::Filtered;
}

int DeliveryChartModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_counts.size());
}

int DeliveryChartModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

qint64 DeliveryChartModel::count(int row, Column column) const
{
    if (row < 0 || row >= m_counts.size() || column < 0 || column >= ColumnCount)
        return 0;
    return m_counts.at(row)[column];
}

QVariant DeliveryChartModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid() || index.parent().isValid() || index.row() >= m_counts.size() ||
        index.column() >= ColumnCount)
        return {};
    const qint64 ms = bucketMs();
    switch (role) {
    case Qt::DisplayRole:
        return count(index.row(), Column(index.column()));
    case BucketStartRole:
        return m_start.addMSecs(ms * index.row());
    case BucketEndRole:
        return m_start.addMSecs(ms * (index.row() + 1));
    case OutcomeRole:
        return int(outcomeOf(Column(index.column())));
    default:
        return {};
    }
}

QVariant DeliveryChartModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Succeeded:
        return tr("Succeeded");
    case Failed:
        return tr("Failed");
    case Pending:
        return tr("Pending");
    case Filtered:
        return tr("Filtered");
    default:
        return {};
    }
}

int DeliveryChartModel::rowAt(const QDateTime &time) const
{
    const qint64 offset = m_start.msecsTo(time);
    if (offset < 0)
        return -1;
    const qint64 row = offset / bucketMs();
    return row < m_counts.size() ? int(row) : -1;
}

void DeliveryChartModel::setRange(Range range)
{
    if (range == m_range)
        return;
    m_range = range;
    beginResetModel();
    m_counts = QList<std::array<qint64, ColumnCount>>(bucketCountFor(range));
    m_total = 0;
    m_maximum = 0;
    m_loaded = false;
    endResetModel();
    reload();
}

void DeliveryChartModel::setActive(bool active)
{
    if (active == m_active)
        return;
    m_active = active;
    if (!active) {
        m_throttle.stop();
        m_clockTimer.stop();
        return;
    }
    reload();
}

void DeliveryChartModel::setClock(std::function<QDateTime()> now)
{
    m_now = std::move(now);
}

LogFilter DeliveryChartModel::withoutTime(LogFilter filter)
{
    filter.since = {};
    filter.until = {};
    return filter;
}

void DeliveryChartModel::onLogReset()
{
    // The log also resets without a new filter (a burst, a new sort order).
    if (withoutTime(m_log->filter()) != m_readFilter || !m_loaded)
        reload();
    else
        scheduleReload();
}

void DeliveryChartModel::reload()
{
    m_throttle.stop();
    if (!m_active)
        return;
    const qint64 ms = bucketMs();
    const int buckets = bucketCountFor(m_range);
    // Whole buckets on the clock, the last one holding now: the bars stay
    // where they are between two reads.
    const qint64 now = m_now().toMSecsSinceEpoch();
    const qint64 end = (now / ms + 1) * ms;
    m_requestedStart = QDateTime::fromMSecsSinceEpoch(end - ms * buckets, Qt::UTC);
    m_readFilter = withoutTime(m_log->filter());
    const bool wasLoading = isLoading();
    m_waitingFor = m_log->readBuckets(m_readFilter, m_requestedStart, ms, buckets);
    if (!wasLoading)
        emit loadingChanged(true);
    // Move on with the clock: the newest bucket fills, then a new one starts.
    m_clockTimer.start(int(std::min<qint64>(ms, 60 * 1000)));
}

void DeliveryChartModel::scheduleReload()
{
    if (m_active && !m_throttle.isActive())
        m_throttle.start();
}

void DeliveryChartModel::onBucketsRead(quint64 request, const QList<AttemptBucket> &buckets,
                                       const QString &error)
{
    if (request != m_waitingFor)
        return; // an older read, replaced
    m_waitingFor = 0;
    m_error = error;
    if (error.isEmpty()) {
        beginResetModel();
        m_start = m_requestedStart;
        m_counts = QList<std::array<qint64, ColumnCount>>(bucketCountFor(m_range));
        for (const AttemptBucket &bucket : buckets) {
            Column column = Filtered;
            switch (bucket.outcome) {
            case AttemptOutcome::Succeeded:
                column = Succeeded;
                break;
            case AttemptOutcome::Failed:
                column = Failed;
                break;
            case AttemptOutcome::Pending:
                column = Pending;
                break;
            case AttemptOutcome::Filtered:
                column = Filtered;
                break;
            }
            if (bucket.index >= 0 && bucket.index < m_counts.size())
                m_counts[bucket.index][column] += bucket.count;
        }
        m_total = 0;
        m_maximum = 0;
        for (const auto &row : std::as_const(m_counts)) {
            qint64 stack = 0;
            for (const qint64 n : row)
                stack += n;
            m_total += stack;
            m_maximum = std::max(m_maximum, stack);
        }
        m_loaded = true;
        endResetModel();
    }
    emit loadingChanged(false);
    emit loaded();
}
