#include "hook_item_delegate.h"

#include "items/hook_list_model.h"

#include <QApplication>
#include <QPainter>
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

void HookItemDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                             const QModelIndex &index) const
{
    const QString badge = index.column() == HookListModel::Url
                              ? index.data(HookListModel::PausedTextRole).toString()
                              : QString();
    if (badge.isEmpty()) {
        QStyledItemDelegate::paint(painter, option, index);
        return;
    }
    // The URL gives up the room the badge takes on the right.
    QFont font = option.font;
    font.setPointSizeF(font.pointSizeF() * 0.9);
    const QFontMetrics metrics(font);
    const int padding = metrics.height() / 3;
    const int width =
        std::min(metrics.horizontalAdvance(badge) + 2 * padding, option.rect.width() / 2);
    QStyleOptionViewItem rest = option;
    rest.rect.setRight(option.rect.right() - width - padding);
    QStyledItemDelegate::paint(painter, rest, index);

    const QRect box(option.rect.right() - width - padding / 2,
                    option.rect.center().y() - metrics.height() / 2 - 1, width,
                    metrics.height() + 2);
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setPen(Qt::NoPen);
    painter->setBrush(QColor(0xe0, 0x8a, 0x00)); // amber: waiting, not failed
    painter->drawRoundedRect(box, box.height() / 2.0, box.height() / 2.0);
    painter->setPen(Qt::white);
    painter->setFont(font);
    painter->drawText(box.adjusted(padding, 0, -padding, 0), Qt::AlignCenter,
                      metrics.elidedText(badge, Qt::ElideRight, width - 2 * padding));
    painter->restore();
}
