#include "hook_list_view.h"

#include "hook_item_delegate.h"
#include "items/hook_list_model.h"
#include "outcome_strip_delegate.h"

#include <QHeaderView>
#include <QResizeEvent>
#include <algorithm>

HookListView::HookListView(QWidget *parent)
    : QTreeView(parent)
{
    setItemDelegate(new HookItemDelegate(this));
    setItemDelegateForColumn(HookListModel::Recent, new OutcomeStripDelegate(this));
    setRootIsDecorated(false);
    setItemsExpandable(false);
    setUniformRowHeights(true);
    setAllColumnsShowFocus(true);
    setAlternatingRowColors(true);
    setSelectionMode(QAbstractItemView::ExtendedSelection);
    setSelectionBehavior(QAbstractItemView::SelectRows);
    setEditTriggers(QAbstractItemView::NoEditTriggers);
    setSortingEnabled(true);
    setTextElideMode(Qt::ElideRight);
    header()->setSortIndicatorShown(true);
    header()->setStretchLastSection(false);
    header()->setSectionsMovable(false);
}

void HookListView::setModel(QAbstractItemModel *model)
{
    QTreeView::setModel(model);
    if (!model)
        return;
    QHeaderView *h = header();
    h->setSectionResizeMode(QHeaderView::Interactive);
    // The URL is what tells hooks apart: it takes whatever width the others
    // leave, and they ask for no more than their usual content.
    h->setSectionResizeMode(HookListModel::Url, QHeaderView::Stretch);
    h->setSectionResizeMode(HookListModel::Id, QHeaderView::ResizeToContents);
    h->setSectionResizeMode(HookListModel::Active, QHeaderView::ResizeToContents);
    h->setSectionResizeMode(HookListModel::Recent, QHeaderView::ResizeToContents);
    h->setMinimumSectionSize(32);
    // Those fitted to their contents look at the rows around the visible
    // ones, not at the first thousand: with 10,000 hooks, measuring a
    // thousand outcome strips and ids was a tenth of the window's start-up.
    h->setResizeContentsPrecision(ResizeContentsRows);
    const QFontMetrics metrics = fontMetrics();
    setColumnWidth(HookListModel::Scope,
                   metrics.horizontalAdvance(QStringLiteral("Organization")) + 16);
    setColumnWidth(HookListModel::Events,
                   metrics.horizontalAdvance(QStringLiteral("Task created")) + 16);
    sortByColumn(HookListModel::Url, Qt::AscendingOrder);
    connect(h, &QHeaderView::sectionResized, this, [this](int column) {
        if (!m_fitting && (column == HookListModel::Scope || column == HookListModel::Events))
            m_userSizedColumns = true;
    });
    // The columns fitted to their contents grow with the rows (which the
    // window reads in the background): leave the URL its share then too.
    connect(model, &QAbstractItemModel::rowsInserted, this, &HookListView::fitColumns);
    fitColumns();
}

void HookListView::resizeEvent(QResizeEvent *event)
{
    QTreeView::resizeEvent(event);
    fitColumns();
}

void HookListView::fitColumns()
{
    if (!model() || m_userSizedColumns || viewport()->width() <= 0)
        return;
    QHeaderView *h = header();
    const QFontMetrics metrics = fontMetrics();
    const int scopeWanted = metrics.horizontalAdvance(QStringLiteral("Organization")) + 16;
    const int eventsWanted = metrics.horizontalAdvance(QStringLiteral("Task created")) + 16;
    // Room for a word and an ellipsis, and the column's title (and the sort
    // arrow when it sorts), at the least.
    const int least = metrics.averageCharWidth() * 5 + 16;
    const auto titled = [&](int column) {
        const QString title = model()->headerData(column, Qt::Horizontal).toString();
        const int arrow = h->sortIndicatorSection() == column ? 20 : 0;
        return std::max(least, metrics.horizontalAdvance(title) + 16 + arrow);
    };
    const int scopeLeast = titled(HookListModel::Scope);
    const int eventsLeast = titled(HookListModel::Events);
    const int width = viewport()->width();
    // What the columns fitted to their contents will take, whether or not
    // the header has fitted them to the rows yet.
    int others = 0;
    for (const int column : {HookListModel::Id, HookListModel::Active, HookListModel::Recent})
        others += std::max(sizeHintForColumn(column), h->sectionSizeHint(column));
    const int spare = width - others - width * UrlSharePercent / 100;
    int scope = scopeWanted;
    int events = eventsWanted;
    if (scope + events > spare) {
        scope = std::max(scopeLeast, spare * scopeWanted / (scopeWanted + eventsWanted));
        events = std::max(eventsLeast, spare - scope);
    }
    m_fitting = true;
    setColumnWidth(HookListModel::Scope, scope);
    setColumnWidth(HookListModel::Events, events);
    m_fitting = false;
}

qint64 HookListView::selectedHookId() const
{
    if (!selectionModel())
        return 0;
    const QModelIndexList rows = selectionModel()->selectedRows(HookListModel::Url);
    if (rows.isEmpty())
        return 0;
    const QModelIndex current = currentIndex();
    if (rows.size() > 1 && current.isValid() && selectionModel()->isRowSelected(current.row()))
        return current.siblingAtColumn(HookListModel::Url)
            .data(HookListModel::HookIdRole)
            .toLongLong();
    return rows.first().data(HookListModel::HookIdRole).toLongLong();
}

QList<qint64> HookListView::selectedHookIds() const
{
    QList<qint64> ids;
    if (!selectionModel())
        return ids;
    QModelIndexList rows = selectionModel()->selectedRows(HookListModel::Url);
    std::sort(rows.begin(), rows.end(),
              [](const QModelIndex &a, const QModelIndex &b) { return a.row() < b.row(); });
    for (const QModelIndex &row : std::as_const(rows))
        ids.append(row.data(HookListModel::HookIdRole).toLongLong());
    return ids;
}

bool HookListView::selectHook(qint64 id)
{
    if (!model() || !selectionModel())
        return false;
    for (int row = 0; row < model()->rowCount(); ++row) {
        const QModelIndex index = model()->index(row, HookListModel::Url);
        if (index.data(HookListModel::HookIdRole).toLongLong() == id) {
            selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect |
                                                         QItemSelectionModel::Rows);
            scrollTo(index);
            return true;
        }
    }
    selectionModel()->clearSelection();
    return false;
}
