#pragma once

#include <QElapsedTimer>
#include <QObject>

// Notes when a widget paints, on the clock the benchmark started.
class PaintProbe final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PaintProbe)

public:
    PaintProbe(QWidget *widget, const QElapsedTimer *clock);

    qint64 lastPaintNs() const { return m_lastPaintNs; }
    int paints() const { return m_paints; }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    const QElapsedTimer *m_clock;
    qint64 m_lastPaintNs = -1;
    int m_paints = 0;
};
