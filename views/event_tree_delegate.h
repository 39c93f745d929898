#pragma once

#include <QStyledItemDelegate>

// Shows event keys in a muted colour, marks a checked event the hook can never
// receive in the error colour, and makes group rows tall enough for their
// select all / none buttons.
class EventTreeDelegate final : public QStyledItemDelegate
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EventTreeDelegate)

public:
    using QStyledItemDelegate::QStyledItemDelegate;

    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override;
};
