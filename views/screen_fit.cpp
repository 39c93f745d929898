#include "screen_fit.h"

#include <QEvent>
#include <QGuiApplication>
#include <QScreen>
#include <QWidget>
#include <algorithm>

namespace {

QRect availableArea(const QWidget *window)
{
    const QScreen *screen = window->screen();
    if (!screen)
        screen = QGuiApplication::primaryScreen();
    return screen ? screen->availableGeometry() : QRect();
}

// Clamps its window at every show: a window's frame, and so its outer size,
// is only known once the platform has made it.
class ClampOnShow final : public QObject
{
public:
    explicit ClampOnShow(QWidget *window)
        : QObject(window)
    {
    }

    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (event->type() == QEvent::Show && watched == parent())
            ScreenFit::clampToScreen(static_cast<QWidget *>(watched));
        return false;
    }
};

} // namespace

void ScreenFit::clampWhenShown(QWidget *window)
{
    window->installEventFilter(new ClampOnShow(window));
}

QSize ScreenFit::boundedSize(const QWidget *window, QSize wanted)
{
    const QRect area = availableArea(window);
    if (area.isEmpty())
        return wanted;
    // The frame is outside geometry(); before the first show it is unknown.
    const QSize frame = window->frameGeometry().size() - window->geometry().size();
    return wanted.boundedTo(area.size() - frame);
}

void ScreenFit::clampToScreen(QWidget *window)
{
    const QRect area = availableArea(window);
    if (area.isEmpty())
        return;
    const QSize size = boundedSize(window, window->size());
    if (size != window->size())
        window->resize(size);
    const QRect frame = window->frameGeometry();
    const int x =
        std::clamp(frame.x(), area.left(), std::max(area.left(), area.right() + 1 - frame.width()));
    const int y =
        std::clamp(frame.y(), area.top(), std::max(area.top(), area.bottom() + 1 - frame.height()));
    if (x != frame.x() || y != frame.y())
        window->move(x, y);
}
