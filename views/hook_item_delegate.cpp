#include "hook_item_delegate.h"

#include "items/hook_list_model.h"

#include <QApplication>
#include <QStyle>
#include <QWidget>

HookItemDelegate::HookItemDelegate(QObject *parent)
    : QStyledItemDelegate(parent)
{
}

void HookItemDelegate::initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const
{
    QStyledItemDelegate::initStyleOption(option, index);
    if (index.column() == HookListModel::Url) {
        option->textElideMode = Qt::ElideMiddle;
        if (!index.data(HookListModel::DisabledReasonRole).toString().isEmpty()) {
            const QStyle *style = option->widget ? option->widget->style() : QApplication::style();
            option->icon =
                style->standardIcon(QStyle::SP_MessageBoxWarning, nullptr, option->widget);
            option->features |= QStyleOptionViewItem::HasDecoration;
        }
    }
    if (!index.data(HookListModel::IsActiveRole).toBool()) {
        // Dimmed like disabled text, but still selectable and editable.
        option->palette.setColor(QPalette::Text,
                                 option->palette.color(QPalette::Disabled, QPalette::Text));
    }
}
