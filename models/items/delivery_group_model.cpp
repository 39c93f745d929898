#include "delivery_group_model.h"

#include "delivery_log_model.h"

DeliveryGroupModel::DeliveryGroupModel(DeliveryLogModel *log, QObject *parent)
    : QAbstractItemModel(parent)
    , m_log(log)
{
    const auto regroup = [this] {
        if (!m_active)
            return;
        beginResetModel();
        rebuild();
        endResetModel();
    };
    connect(m_log, &QAbstractItemModel::modelReset, this, regroup);
    connect(m_log, &QAbstractItemModel::rowsInserted, this, regroup);
    connect(m_log, &QAbstractItemModel::rowsRemoved, this, regroup);
    connect(m_log, &QAbstractItemModel::rowsMoved, this, regroup);
    connect(m_log, &QAbstractItemModel::layoutChanged, this, regroup);
    connect(m_log, &QAbstractItemModel::dataChanged, this, &DeliveryGroupModel::onLogDataChanged);
    connect(m_log, &QAbstractItemModel::headerDataChanged, this,
            &QAbstractItemModel::headerDataChanged);
}

void DeliveryGroupModel::setActive(bool active)
{
    if (active == m_active)
        return;
    beginResetModel();
    m_active = active;
    m_groups.clear();
    m_groupOfDelivery.clear();
    m_groupOfLogRow.clear();
    if (active)
        rebuild();
    endResetModel();
}

void DeliveryGroupModel::rebuild()
{
    m_groups.clear();
    m_groupOfDelivery.clear();
    const int rows = m_log->rowCount();
    m_groupOfLogRow.resize(rows);
    for (int row = 0; row < rows; ++row) {
        const Attempt &attempt = m_log->attemptAt(row);
        auto found = m_groupOfDelivery.constFind(attempt.deliveryId);
        int group = 0;
        if (found == m_groupOfDelivery.constEnd()) {
            group = int(m_groups.size());
            m_groupOfDelivery.insert(attempt.deliveryId, group);
            m_groups.append({attempt.deliveryId, {}, {}, row, 0});
        } else {
            group = found.value();
        }
        Group &g = m_groups[group];
        g.logRows.append(row);
        g.attemptIds.append(attempt.id);
        // The latest is the one made last, whichever way the log is sorted.
        if (attempt.id > g.latestAttemptId) {
            g.latestLogRow = row;
            g.latestAttemptId = attempt.id;
        }
        m_groupOfLogRow[row] = group;
    }
}

void DeliveryGroupModel::onLogDataChanged(const QModelIndex &topLeft,
                                          const QModelIndex &bottomRight, const QList<int> &roles)
{
    // A pending attempt finished in place: its row, and its delivery's.
    if (!m_active)
        return;
    for (int row = topLeft.row(); row <= bottomRight.row() && row < m_groupOfLogRow.size(); ++row) {
        const int group = m_groupOfLogRow.at(row);
        const int child = int(m_groups.at(group).logRows.indexOf(row));
        const QModelIndex parent = index(group, 0);
        emit dataChanged(index(child, topLeft.column(), parent),
                         index(child, bottomRight.column(), parent), roles);
        if (m_groups.at(group).latestLogRow == row)
            emit dataChanged(index(group, topLeft.column()), index(group, bottomRight.column()),
                             roles);
    }
}

QModelIndex DeliveryGroupModel::index(int row, int column, const QModelIndex &parent) const
{
    if (column < 0 || column >= DeliveryLogModel::ColumnCount || row < 0)
        return {};
    if (!parent.isValid())
        return row < m_groups.size() ? createIndex(row, column, quintptr(0)) : QModelIndex();
    if (parent.internalId() != 0 || parent.row() >= m_groups.size())
        return {};
    if (row >= m_groups.at(parent.row()).logRows.size())
        return {};
    // A child carries its delivery's row + 1.
    return createIndex(row, column, quintptr(parent.row() + 1));
}

QModelIndex DeliveryGroupModel::parent(const QModelIndex &child) const
{
    if (!child.isValid() || child.internalId() == 0)
        return {};
    return createIndex(int(child.internalId() - 1), 0, quintptr(0));
}

int DeliveryGroupModel::rowCount(const QModelIndex &parent) const
{
    if (!parent.isValid())
        return int(m_groups.size());
    if (parent.internalId() != 0 || parent.column() != 0 || parent.row() >= m_groups.size())
        return 0;
    return int(m_groups.at(parent.row()).logRows.size());
}

int DeliveryGroupModel::columnCount(const QModelIndex &) const
{
    return DeliveryLogModel::ColumnCount;
}

int DeliveryGroupModel::logRow(const QModelIndex &index) const
{
    if (!index.isValid())
        return -1;
    if (index.internalId() == 0)
        return index.row() < m_groups.size() ? m_groups.at(index.row()).latestLogRow : -1;
    const int group = int(index.internalId() - 1);
    if (group >= m_groups.size() || index.row() >= m_groups.at(group).logRows.size())
        return -1;
    return m_groups.at(group).logRows.at(index.row());
}

QVariant DeliveryGroupModel::data(const QModelIndex &index, int role) const
{
    const int row = logRow(index);
    if (row < 0)
        return {};
    const bool delivery = index.internalId() == 0;
    if (role == IsDeliveryRole)
        return delivery;
    if (delivery && index.column() == DeliveryLogModel::AttemptNumber &&
        (role == Qt::DisplayRole || role == Qt::ToolTipRole)) {
        // The delivery's own count: the latest attempt's number within it,
        // whether or not the filter or the pages read show the others.
        const Attempt &latest = m_log->attemptAt(row);
        return latest.number == 1 ? tr("1 attempt")
                                  //: How many attempts a delivery took (two or more)
                                  : tr("%1 attempts").arg(latest.number);
    }
    return m_log->data(m_log->index(row, index.column()), role);
}

QVariant DeliveryGroupModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    return m_log->headerData(section, orientation, role);
}

Qt::ItemFlags DeliveryGroupModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    const Qt::ItemFlags flags = Qt::ItemIsEnabled | Qt::ItemIsSelectable;
    return index.internalId() == 0 ? flags : flags | Qt::ItemNeverHasChildren;
}

bool DeliveryGroupModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && m_log->canFetchMore({});
}

void DeliveryGroupModel::fetchMore(const QModelIndex &parent)
{
    if (!parent.isValid())
        m_log->fetchMore({});
}

QModelIndex DeliveryGroupModel::indexOfDelivery(qint64 deliveryId) const
{
    const auto found = m_groupOfDelivery.constFind(deliveryId);
    return found == m_groupOfDelivery.constEnd() ? QModelIndex() : index(found.value(), 0);
}

QModelIndex DeliveryGroupModel::indexOfAttempt(qint64 attemptId) const
{
    const int row = m_log->rowOfAttempt(attemptId);
    if (row < 0 || row >= m_groupOfLogRow.size())
        return {};
    const int group = m_groupOfLogRow.at(row);
    return index(int(m_groups.at(group).logRows.indexOf(row)), 0, index(group, 0));
}

qint64 DeliveryGroupModel::deliveryIdOf(const QModelIndex &index) const
{
    if (!index.isValid())
        return 0;
    const qsizetype group =
        index.internalId() == 0 ? index.row() : qsizetype(index.internalId() - 1);
    return group < m_groups.size() ? m_groups.at(group).deliveryId : 0;
}

qint64 DeliveryGroupModel::attemptIdOf(const QModelIndex &index) const
{
    if (!index.isValid())
        return 0;
    if (index.internalId() == 0)
        return index.row() < m_groups.size() ? m_groups.at(index.row()).latestAttemptId : 0;
    const qsizetype group = qsizetype(index.internalId() - 1);
    if (group >= m_groups.size() || index.row() >= m_groups.at(group).attemptIds.size())
        return 0;
    return m_groups.at(group).attemptIds.at(index.row());
}
