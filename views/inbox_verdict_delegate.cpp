#include "inbox_verdict_delegate.h"

#include "items/inbox_request_model.h"
#include "outcome_delegate.h"

#include <QPainter>
#include <QPixmap>

namespace {

QPixmap drawDash(int size)
{
    QPixmap pixmap(size, size);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    const qreal s = size;
    const QColor grey = OutcomeDelegate::colorFor(AttemptOutcome::Pending);
    painter.setPen(QPen(grey, s * 0.1));
    painter.drawEllipse(QRectF(s * 0.12, s * 0.12, s * 0.76, s * 0.76));
    painter.setPen(QPen(grey, s * 0.13, Qt::SolidLine, Qt::RoundCap));
    painter.drawLine(QPointF(s * 0.32, s * 0.5), QPointF(s * 0.68, s * 0.5));
    return pixmap;
}

} // namespace

InboxVerdictDelegate::InboxVerdictDelegate(QObject *parent)
    : QStyledItemDelegate(parent)
{
}

QIcon InboxVerdictDelegate::iconFor(InboxVerdict verdict)
{
    switch (verdict) {
    case InboxVerdict::Valid:
        return OutcomeDelegate::iconFor(AttemptOutcome::Succeeded);
    case InboxVerdict::Invalid:
        return OutcomeDelegate::iconFor(AttemptOutcome::Failed);
    case InboxVerdict::Stale:
        return OutcomeDelegate::iconFor(AttemptOutcome::Pending);
    case InboxVerdict::Unsigned:
        break;
    }
    QIcon icon;
    for (const int size : {16, 24, 32, 48})
        icon.addPixmap(drawDash(size));
    return icon;
}

void InboxVerdictDelegate::initStyleOption(QStyleOptionViewItem *option,
                                           const QModelIndex &index) const
{
    QStyledItemDelegate::initStyleOption(option, index);
    const QVariant verdict = index.data(InboxRequestModel::VerdictRole);
    if (!verdict.isValid())
        return;
    option->icon = iconFor(InboxVerdict(verdict.toInt()));
    option->features |= QStyleOptionViewItem::HasDecoration;
    const int side = option->fontMetrics.height() - 2;
    option->decorationSize = QSize(side, side);
}
