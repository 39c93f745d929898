#pragma once

#include <QStyledItemDelegate>

// Paints the hook list's Recent column: one small mark per finished attempt,
// oldest on the left, green for success and red for failure, followed by the
// number of failures in a row in red when there are any.
class OutcomeStripDelegate final : public QStyledItemDelegate
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(OutcomeStripDelegate)

public:
    static constexpr int MarkWidth = 4;
    static constexpr int MarkGap = 2;
    static constexpr int Margin = 4;
    // Larger counts are drawn as "99+"; the tooltip has the number.
    static constexpr int MaxShownFailures = 99;

    explicit OutcomeStripDelegate(QObject *parent = nullptr);

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

    // Colours that read on the palette's base colour, light or dark.
    static QColor successColor(const QPalette &palette);
    static QColor failureColor(const QPalette &palette);
    // What is drawn after the strip for this many failures in a row.
    static QString failureCountText(int failures);
};
