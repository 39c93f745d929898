#include "hook_filter_model.h"

#include "hook_list_model.h"

HookFilterModel::HookFilterModel(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setSortRole(HookListModel::SortRole);
    setSortCaseSensitivity(Qt::CaseInsensitive);
    setDynamicSortFilter(true);
}

void HookFilterModel::setFilterText(const QString &text)
{
    const QString trimmed = text.trimmed();
    if (trimmed == m_filterText)
        return;
    m_filterText = trimmed;
    invalidateFilter();
}

bool HookFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    if (m_filterText.isEmpty())
        return true;
    const QModelIndex index = sourceModel()->index(sourceRow, HookListModel::Url, sourceParent);
    // What the list shows: a URL password is not something to search by.
    return index.data(Qt::DisplayRole).toString().contains(m_filterText, Qt::CaseInsensitive) ||
           index.data(HookListModel::DescriptionRole)
               .toString()
               .contains(m_filterText, Qt::CaseInsensitive);
}
