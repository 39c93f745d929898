#pragma once

#include <QApplication>
#include <QElapsedTimer>
#include <QList>
#include <QString>

// A QApplication that times every event it delivers, nested ones too, so a
// benchmark can say what the GUI thread was doing during a stall: the events
// that took longer than a threshold, with their receiver and depth.
class TimedApplication final : public QApplication
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TimedApplication)

public:
    struct Slow
    {
        qint64 startNs = 0;
        qint64 durationNs = 0;
        int depth = 0;
        QString what; // "Paint to QChartView 'chartView'"
    };

    TimedApplication(int &argc, char **argv);

    // Starts keeping the events longer than `thresholdMs`, on `clock`.
    void startTracing(const QElapsedTimer *clock, double thresholdMs);
    void stopTracing();
    // The events kept that overlap [fromNs, toNs), in the order they began.
    QList<Slow> slowEventsBetween(qint64 fromNs, qint64 toNs) const;

    bool notify(QObject *receiver, QEvent *event) override;

private:
    const QElapsedTimer *m_clock = nullptr;
    qint64 m_thresholdNs = 0;
    int m_depth = 0;
    QList<Slow> m_slow;
};
