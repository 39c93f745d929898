#include "outcome_delegate.h"

#include "items/delivery_log_model.h"

#include <QPainter>
#include <QPainterPath>
#include <QPixmap>

namespace {

QPixmap drawIcon(AttemptOutcome outcome, int size)
{
    QPixmap pixmap(size, size);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    const QColor color = OutcomeDelegate::colorFor(outcome);
    const qreal s = size;
    const QRectF circle(s * 0.08, s * 0.08, s * 0.84, s * 0.84);
    QPen mark(Qt::white, s * 0.13, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin);

    switch (outcome) {
    case AttemptOutcome::Succeeded: {
        painter.setPen(Qt::NoPen);
        painter.setBrush(color);
        painter.drawEllipse(circle);
        painter.setPen(mark);
        QPainterPath check;
        check.moveTo(s * 0.29, s * 0.52);
        check.lineTo(s * 0.44, s * 0.67);
        check.lineTo(s * 0.72, s * 0.36);
        painter.setBrush(Qt::NoBrush);
        painter.drawPath(check);
        break;
    }
    case AttemptOutcome::Failed:
        painter.setPen(Qt::NoPen);
        painter.setBrush(color);
        painter.drawEllipse(circle);
        painter.setPen(mark);
        painter.drawLine(QPointF(s * 0.34, s * 0.34), QPointF(s * 0.66, s * 0.66));
        painter.drawLine(QPointF(s * 0.66, s * 0.34), QPointF(s * 0.34, s * 0.66));
        break;
    case AttemptOutcome::Pending: {
        // A clock: an outlined dial with two hands.
        painter.setPen(QPen(color, s * 0.1));
        painter.setBrush(Qt::NoBrush);
        painter.drawEllipse(circle.adjusted(s * 0.04, s * 0.04, -s * 0.04, -s * 0.04));
        painter.setPen(QPen(color, s * 0.1, Qt::SolidLine, Qt::RoundCap));
        const QPointF centre(s * 0.5, s * 0.5);
        painter.drawLine(centre, QPointF(s * 0.5, s * 0.27));
        painter.drawLine(centre, QPointF(s * 0.68, s * 0.58));
        break;
    }
    case AttemptOutcome::Filtered: {
        // A funnel: kept back by the hook's filter, nothing was sent.
        painter.setPen(Qt::NoPen);
        painter.setBrush(color);
        QPainterPath funnel;
        funnel.moveTo(s * 0.14, s * 0.18);
        funnel.lineTo(s * 0.86, s * 0.18);
        funnel.lineTo(s * 0.58, s * 0.52);
        funnel.lineTo(s * 0.58, s * 0.84);
        funnel.lineTo(s * 0.42, s * 0.74);
        funnel.lineTo(s * 0.42, s * 0.52);
        funnel.closeSubpath();
        painter.drawPath(funnel);
        break;
    }
    }
    return pixmap;
}

} // namespace

OutcomeDelegate::OutcomeDelegate(QObject *parent)
    : QStyledItemDelegate(parent)
{
    for (const AttemptOutcome outcome : {AttemptOutcome::Pending, AttemptOutcome::Succeeded,
                                         AttemptOutcome::Failed, AttemptOutcome::Filtered})
        m_icons[int(outcome)] = iconFor(outcome);
}

QColor OutcomeDelegate::colorFor(AttemptOutcome outcome)
{
    // Mid tones that read on light and dark bases alike.
    switch (outcome) {
    case AttemptOutcome::Succeeded:
        return QColor(0x2e, 0x9e, 0x4f);
    case AttemptOutcome::Failed:
        return QColor(0xd9, 0x3f, 0x3f);
    case AttemptOutcome::Filtered:
        return QColor(0x5b, 0x7d, 0xb8);
    case AttemptOutcome::Pending:
        break;
    }
    return QColor(0x8a, 0x8f, 0x98);
}

QIcon OutcomeDelegate::iconFor(AttemptOutcome outcome)
{
    QIcon icon;
    for (const int size : {16, 24, 32, 48})
        icon.addPixmap(drawIcon(outcome, size));
    return icon;
}

void OutcomeDelegate::initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const
{
    QStyledItemDelegate::initStyleOption(option, index);
    const QVariant outcome = index.data(DeliveryLogModel::OutcomeRole);
    if (!outcome.isValid())
        return;
    const int value = outcome.toInt();
    if (value < 0 || value > int(AttemptOutcome::Filtered))
        return;
    option->icon = m_icons[value];
    option->features |= QStyleOptionViewItem::HasDecoration;
    const int side = option->fontMetrics.height() - 2;
    option->decorationSize = QSize(side, side);
    if (AttemptOutcome(value) == AttemptOutcome::Pending)
        option->palette.setColor(QPalette::Text,
                                 option->palette.color(QPalette::Disabled, QPalette::Text));
}
