#pragma once

#include "domain/attempt.h"

#include <QIcon>
#include <QStyledItemDelegate>

// Paints the log's Status column: a coloured icon (green check, red cross,
// grey clock) before the code or error. The model only says what the outcome
// is (OutcomeRole); how it looks is decided here.
class OutcomeDelegate final : public QStyledItemDelegate
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(OutcomeDelegate)

public:
    explicit OutcomeDelegate(QObject *parent = nullptr);

    static QColor colorFor(AttemptOutcome outcome);
    // Drawn, so it looks the same on every platform and icon theme.
    static QIcon iconFor(AttemptOutcome outcome);

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override;

private:
    QIcon m_icons[4]; // by AttemptOutcome
};
