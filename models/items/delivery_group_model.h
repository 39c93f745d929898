#pragma once

#include <QAbstractItemModel>
#include <QHash>
#include <QList>

class DeliveryLogModel;

// The log grouped by delivery, as GitHub shows "Recent deliveries": one row
// per delivery (its latest attempt's time, hook, event, outcome and trigger,
// and how many attempts it took), its attempts beneath. It reads nothing
// itself: it groups the rows the log model holds, in the log's order and
// under its filter, and fetches more through it. AttemptIdRole on a delivery
// row is its latest attempt, so what acts on "the selected attempt" acts on
// that one.
//
// When the log's rows change the groups are made again (a reset): a view
// keeps its place with the ids (DeliveryIdRole, AttemptIdRole).
class DeliveryGroupModel final : public QAbstractItemModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DeliveryGroupModel)

public:
    // Whether a row is a delivery (true) or one of its attempts.
    static constexpr int IsDeliveryRole = Qt::UserRole + 100;

    explicit DeliveryGroupModel(DeliveryLogModel *log, QObject *parent = nullptr);

    DeliveryLogModel *logModel() const { return m_log; }
    // Inactive (the default), it holds no groups and does no work when the
    // log's rows change: the flat log is being shown.
    void setActive(bool active);
    bool isActive() const { return m_active; }

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;

    // The delivery's row, or an invalid index.
    QModelIndex indexOfDelivery(qint64 deliveryId) const;
    // The attempt's row beneath its delivery, or an invalid index.
    QModelIndex indexOfAttempt(qint64 attemptId) const;
    // What a row stands for, from the groups as made, without asking the log
    // (which may have changed already when a view asks before a reset):
    // the delivery, and the attempt (a delivery row: its latest). 0 for none.
    qint64 deliveryIdOf(const QModelIndex &index) const;
    qint64 attemptIdOf(const QModelIndex &index) const;

private:
    struct Group
    {
        qint64 deliveryId = 0;
        QList<int> logRows;       // in the log's order
        QList<qint64> attemptIds; // the same
        int latestLogRow = 0;
        qint64 latestAttemptId = 0;
    };
    void rebuild();
    void onLogDataChanged(const QModelIndex &topLeft, const QModelIndex &bottomRight,
                          const QList<int> &roles);
    // The log's row an index stands for.
    int logRow(const QModelIndex &index) const;

    DeliveryLogModel *m_log;
    bool m_active = false;
    QList<Group> m_groups;
    QHash<qint64, int> m_groupOfDelivery;
    QList<int> m_groupOfLogRow; // by the log's row
};
