#include "timed_application.h"

#include <QEvent>
#include <QMetaEnum>
#include <QResizeEvent>
#include <algorithm>

TimedApplication::TimedApplication(int &argc, char **argv)
    : QApplication(argc, argv)
{
}

void TimedApplication::startTracing(const QElapsedTimer *clock, double thresholdMs)
{
    m_clock = clock;
    m_thresholdNs = qint64(thresholdMs * 1e6);
    m_slow.clear();
}

void TimedApplication::stopTracing()
{
    m_clock = nullptr;
}

QList<TimedApplication::Slow> TimedApplication::slowEventsBetween(qint64 fromNs, qint64 toNs) const
{
    QList<Slow> found;
    for (const Slow &slow : m_slow) {
        if (slow.startNs < toNs && slow.startNs + slow.durationNs > fromNs)
            found.append(slow);
    }
    std::sort(found.begin(), found.end(),
              [](const Slow &a, const Slow &b) { return a.startNs < b.startNs; });
    return found;
}

bool TimedApplication::notify(QObject *receiver, QEvent *event)
{
    if (!m_clock)
        return QApplication::notify(receiver, event);
    const QElapsedTimer *clock = m_clock;
    // What the receiver is, taken before: delivering may delete it.
    const QEvent::Type type = event->type();
    const char *className = receiver->metaObject()->className();
    QString name = receiver->objectName();
    // A scroll area's viewport says whose it is.
    if (name == QLatin1String("qt_scrollarea_viewport") && receiver->parent())
        name = QLatin1String(receiver->parent()->metaObject()->className()) +
               QLatin1String("::viewport ") + receiver->parent()->objectName();
    QString detail;
    if (type == QEvent::Resize) {
        const auto *resize = static_cast<QResizeEvent *>(event);
        detail = QStringLiteral(" %1x%2 -> %3x%4")
                     .arg(resize->oldSize().width())
                     .arg(resize->oldSize().height())
                     .arg(resize->size().width())
                     .arg(resize->size().height());
    }
    const qint64 start = clock->nsecsElapsed();
    ++m_depth;
    const bool result = QApplication::notify(receiver, event);
    --m_depth;
    const qint64 duration = clock->nsecsElapsed() - start;
    // Geometry changes however short: they say what a change relaid out.
    const bool geometry = type == QEvent::Resize || type == QEvent::LayoutRequest;
    if ((duration >= m_thresholdNs || geometry) && m_clock) {
        const char *key = QMetaEnum::fromType<QEvent::Type>().valueToKey(type);
        const QString typeName = key ? QString::fromLatin1(key) : QString::number(int(type));
        m_slow.append(
            {start, duration, m_depth,
             typeName + QLatin1String(" to ") + QLatin1String(className) +
                 (name.isEmpty() ? QString() : QLatin1String(" '") + name + QLatin1Char('\'')) +
                 detail});
    }
    return result;
}
