#include "paint_probe.h"

#include <QEvent>
#include <QWidget>

PaintProbe::PaintProbe(QWidget *widget, const QElapsedTimer *clock)
    : QObject(widget)
    , m_clock(clock)
{
    widget->installEventFilter(this);
}

bool PaintProbe::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() == QEvent::Paint) {
        ++m_paints;
        m_lastPaintNs = m_clock->nsecsElapsed();
    }
    return QObject::eventFilter(watched, event);
}
