#pragma once

#include <QStyledItemDelegate>

// Paints the hook list: long URLs are elided in the middle so both the host
// and the end of the path stay visible, inactive hooks are dimmed, and a hook
// the engine disabled carries a warning icon.
class HookItemDelegate final : public QStyledItemDelegate
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HookItemDelegate)

public:
    explicit HookItemDelegate(QObject *parent = nullptr);

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override;
};
