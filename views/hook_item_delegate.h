#pragma once

#include <QStyledItemDelegate>

// Paints the hook list: long URLs are elided in the middle so both the host
// and the end of the path stay visible, inactive hooks are dimmed, and a hook
// the engine disabled carries a warning icon, and a hook the circuit breaker
// paused a "Paused · next probe in 42 s" badge.
class HookItemDelegate final : public QStyledItemDelegate
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HookItemDelegate)

public:
    explicit HookItemDelegate(QObject *parent = nullptr);

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override;
};
