#include "event_tree_delegate.h"

#include "items/event_tree_model.h"
#include "validation_style.h"

#include <algorithm>

QSize EventTreeDelegate::sizeHint(const QStyleOptionViewItem &option,
                                  const QModelIndex &index) const
{
    QSize size = QStyledItemDelegate::sizeHint(option, index);
    if (index.data(EventTreeModel::IsGroupRole).toBool())
        size.setHeight(std::max(size.height(), option.fontMetrics.height() + 12));
    else
        size.setHeight(std::max(size.height(), option.fontMetrics.height() + 6));
    return size;
}

void EventTreeDelegate::initStyleOption(QStyleOptionViewItem *option,
                                        const QModelIndex &index) const
{
    QStyledItemDelegate::initStyleOption(option, index);
    if (index.data(EventTreeModel::IsGroupRole).toBool()) {
        option->font.setBold(true);
        return;
    }
    const bool checked =
        index.siblingAtColumn(EventTreeModel::Name).data(Qt::CheckStateRole).toInt() !=
        Qt::Unchecked;
    if (checked && index.data(EventTreeModel::UnavailableRole).toBool()) {
        ValidationStyle::setEnabledColor(option->palette, QPalette::Text,
                                         ValidationStyle::errorColor(option->palette));
        return;
    }
    if (index.column() == EventTreeModel::Key) {
        ValidationStyle::setEnabledColor(option->palette, QPalette::Text,
                                         ValidationStyle::mutedColor(option->palette));
        option->font.setPointSizeF(option->font.pointSizeF() * 0.9);
    }
}
