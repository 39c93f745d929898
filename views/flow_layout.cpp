#include "flow_layout.h"

#include <QStyle>
#include <QWidget>
#include <algorithm>

FlowLayout::FlowLayout(QWidget *parent)
    : QLayout(parent)
{
}

FlowLayout::~FlowLayout()
{
    while (QLayoutItem *item = takeAt(0))
        delete item;
}

void FlowLayout::addItem(QLayoutItem *item)
{
    m_items.append(item);
    invalidate();
}

int FlowLayout::count() const
{
    return int(m_items.size());
}

QLayoutItem *FlowLayout::itemAt(int index) const
{
    return m_items.value(index);
}

QLayoutItem *FlowLayout::takeAt(int index)
{
    if (index < 0 || index >= m_items.size())
        return nullptr;
    QLayoutItem *item = m_items.takeAt(index);
    invalidate();
    return item;
}

Qt::Orientations FlowLayout::expandingDirections() const
{
    return Qt::Horizontal;
}

bool FlowLayout::hasHeightForWidth() const
{
    return true;
}

int FlowLayout::heightForWidth(int width) const
{
    return arrange(QRect(0, 0, width, 0), false);
}

QSize FlowLayout::minimumSize() const
{
    // As narrow as the widest item; as tall as the rows at the current width.
    QSize size;
    for (const QLayoutItem *item : m_items) {
        if (!item->isEmpty())
            size = size.expandedTo(item->minimumSize());
    }
    const QMargins margins = contentsMargins();
    size += QSize(margins.left() + margins.right(), margins.top() + margins.bottom());
    const int width = geometry().width() > 0 ? geometry().width() : sizeHint().width();
    size.setHeight(std::max(size.height(), heightForWidth(width)));
    return size;
}

QSize FlowLayout::sizeHint() const
{
    // Everything in one row.
    int width = 0;
    int height = 0;
    int shown = 0;
    for (const QLayoutItem *item : m_items) {
        if (item->isEmpty())
            continue;
        const QSize hint = item->sizeHint();
        width += hint.width();
        height = std::max(height, hint.height());
        ++shown;
    }
    const QMargins margins = contentsMargins();
    width += std::max(0, shown - 1) * gapWidth() + margins.left() + margins.right();
    return {width, height + margins.top() + margins.bottom()};
}

void FlowLayout::setGeometry(const QRect &rect)
{
    QLayout::setGeometry(rect);
    int rows = 1;
    arrange(rect, true, &rows);
    if (rows != m_rows) {
        m_rows = rows;
        // The minimum height changed with the rows: let the parents ask again,
        // after this pass rather than inside it.
        QMetaObject::invokeMethod(
            this,
            [this] {
                invalidate();
                if (QWidget *widget = parentWidget())
                    widget->updateGeometry();
            },
            Qt::QueuedConnection);
    }
}

int FlowLayout::gapWidth() const
{
    if (spacing() >= 0)
        return spacing();
    const QWidget *widget = parentWidget();
    const int styled =
        widget ? widget->style()->pixelMetric(QStyle::PM_LayoutHorizontalSpacing, nullptr, widget)
               : -1;
    return styled >= 0 ? styled : 6;
}

int FlowLayout::arrange(const QRect &rect, bool place, int *rowCount) const
{
    const QMargins margins = contentsMargins();
    const QRect area = rect.marginsRemoved(margins);
    const int gap = gapWidth();
    const int vgap = gap;

    // Rows of visible items, each at its size hint (no wider than the row).
    QList<QList<QLayoutItem *>> rows;
    int used = 0;
    for (QLayoutItem *item : m_items) {
        if (item->isEmpty())
            continue;
        const int width = std::min(item->sizeHint().width(), area.width());
        if (rows.isEmpty() || (used > 0 && used + gap + width > area.width())) {
            rows.append(QList<QLayoutItem *>());
            used = 0;
        }
        used += (used > 0 ? gap : 0) + width;
        rows.last().append(item);
    }
    if (rowCount)
        *rowCount = std::max(1, int(rows.size()));

    int y = area.y();
    for (const QList<QLayoutItem *> &row : std::as_const(rows)) {
        int height = 0;
        int width = 0;
        int growing = 0;
        for (QLayoutItem *item : row) {
            height = std::max(height, item->sizeHint().height());
            width += std::min(item->sizeHint().width(), area.width());
            if (item->expandingDirections() & Qt::Horizontal)
                ++growing;
        }
        width += gap * int(row.size() - 1);
        if (place) {
            // The spare width goes to the items that grow, in equal parts.
            int spare = std::max(0, area.width() - width);
            int x = area.x();
            for (QLayoutItem *item : row) {
                int itemWidth = std::min(item->sizeHint().width(), area.width());
                if (growing > 0 && (item->expandingDirections() & Qt::Horizontal)) {
                    const int share = spare / growing;
                    itemWidth += share;
                    spare -= share;
                    --growing;
                }
                itemWidth =
                    std::max(itemWidth, std::min(item->minimumSize().width(), area.width()));
                const int itemHeight = std::min(height, item->maximumSize().height());
                item->setGeometry(QRect(x, y + (height - itemHeight) / 2, itemWidth, itemHeight));
                x += itemWidth + gap;
            }
        }
        y += height + vgap;
    }
    if (!rows.isEmpty())
        y -= vgap;
    return y - area.y() + margins.top() + margins.bottom();
}
