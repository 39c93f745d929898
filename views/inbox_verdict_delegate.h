#pragma once

#include "domain/inbox.h"

#include <QIcon>
#include <QStyledItemDelegate>

// Paints the inbox's Signature column with an icon per verdict: valid a
// green check, invalid a red cross, stale a clock, unsigned a grey dash.
class InboxVerdictDelegate final : public QStyledItemDelegate
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(InboxVerdictDelegate)

public:
    explicit InboxVerdictDelegate(QObject *parent = nullptr);

    static QIcon iconFor(InboxVerdict verdict);

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override;
};
