#pragma once

#include <QSortFilterProxyModel>

// Sorts the hook list by HookListModel::SortRole and keeps the hooks whose
// URL or description contains the filter text, ignoring case.
class HookFilterModel final : public QSortFilterProxyModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HookFilterModel)

public:
    explicit HookFilterModel(QObject *parent = nullptr);

    QString filterText() const { return m_filterText; }

public slots:
    void setFilterText(const QString &text);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    QString m_filterText;
};
