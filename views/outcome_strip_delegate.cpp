#include "outcome_strip_delegate.h"

#include "domain/attempt.h"
#include "items/hook_list_model.h"

#include <QApplication>
#include <QPainter>
#include <QStyle>
#include <QWidget>
#include <algorithm>

namespace {

bool isDark(const QPalette &palette)
{
    return palette.color(QPalette::Base).lightness() < 128;
}

} // namespace

OutcomeStripDelegate::OutcomeStripDelegate(QObject *parent)
    : QStyledItemDelegate(parent)
{
}

QColor OutcomeStripDelegate::successColor(const QPalette &palette)
{
    return isDark(palette) ? QColor(0x3f, 0xb9, 0x50) : QColor(0x1a, 0x7f, 0x37);
}

QColor OutcomeStripDelegate::failureColor(const QPalette &palette)
{
    return isDark(palette) ? QColor(0xf8, 0x51, 0x49) : QColor(0xcf, 0x22, 0x2e);
}

QString OutcomeStripDelegate::failureCountText(int failures)
{
    // Capped, so the column's width always holds it; the tooltip has the count.
    if (failures > MaxShownFailures)
        //: Drawn next to the strip of recent outcomes: more than %1 failures in a row
        return tr("%1+ ✖").arg(MaxShownFailures);
    //: Drawn next to the strip of recent outcomes: %1 failures in a row
    return tr("%1 ✖").arg(failures);
}

void OutcomeStripDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option,
                                 const QModelIndex &index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    // The style draws the background, selection and focus; we draw the rest.
    opt.text.clear();
    opt.icon = QIcon();
    opt.features &= ~QStyleOptionViewItem::HasDecoration;
    const QWidget *widget = opt.widget;
    const QStyle *style = widget ? widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &opt, painter, widget);

    const QVariantList outcomes = index.data(HookListModel::RecentOutcomesRole).toList();
    const int failures = index.data(HookListModel::ConsecutiveFailuresRole).toInt();
    const bool active = index.data(HookListModel::IsActiveRole).toBool();
    const QRect area = opt.rect.adjusted(Margin, 0, -Margin, 0);
    const int markHeight = std::max(4, std::min(area.height() - 6, 14));
    const int top = area.top() + (area.height() - markHeight) / 2;

    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setClipRect(opt.rect);
    if (!active)
        painter->setOpacity(0.45); // like the dimmed text of an inactive hook
    // On a selected row the marks get an outline and the count the
    // highlighted text colour, so red does not vanish into the highlight.
    const bool selected = opt.state.testFlag(QStyle::State_Selected);
    QColor outline = opt.palette.color(QPalette::HighlightedText);
    outline.setAlpha(200);
    painter->setPen(selected ? QPen(outline, 1) : QPen(Qt::NoPen));
    const QColor success = successColor(opt.palette);
    const QColor failure = failureColor(opt.palette);
    int x = area.left();
    for (auto it = outcomes.crbegin(); it != outcomes.crend(); ++it) {
        const auto outcome = AttemptOutcome(it->toInt());
        painter->setBrush(outcome == AttemptOutcome::Succeeded ? success : failure);
        painter->drawRoundedRect(QRectF(x, top, MarkWidth, markHeight), 1.5, 1.5);
        x += MarkWidth + MarkGap;
    }
    if (failures > 0) {
        QFont bold = opt.font;
        bold.setBold(true);
        painter->setFont(bold);
        painter->setPen(selected ? opt.palette.color(QPalette::HighlightedText) : failure);
        const QRect textRect(x + Margin, area.top(), std::max(0, area.right() - x - Margin),
                             area.height());
        const QString text = QFontMetrics(bold).elidedText(failureCountText(failures),
                                                           Qt::ElideRight, textRect.width());
        painter->drawText(textRect, Qt::AlignVCenter | Qt::AlignLeft, text);
    }
    painter->restore();
}

QSize OutcomeStripDelegate::sizeHint(const QStyleOptionViewItem &option,
                                     const QModelIndex &index) const
{
    QSize size = QStyledItemDelegate::sizeHint(option, index);
    QFont bold = option.font;
    bold.setBold(true);
    const int strip = HookListModel::RecentOutcomeCount * (MarkWidth + MarkGap);
    // The widest count text, and a little room for the glyph's fallback font.
    const int count = QFontMetrics(bold).horizontalAdvance(failureCountText(MaxShownFailures + 1)) +
                      QFontMetrics(bold).averageCharWidth();
    size.setWidth(Margin + strip + Margin + count + Margin);
    return size;
}
