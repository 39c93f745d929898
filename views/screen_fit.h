#pragma once

#include <QSize>

class QWidget;

// Keeps top-level windows on their screen: a saved geometry from a larger
// screen (or one blown up by a layout bug), a default size bigger than a
// small or scaled screen, never leaves Save or Close out of reach.
namespace ScreenFit {

// Shrinks the window to the available area of its screen and moves it
// inside that area.
void clampToScreen(QWidget *window);

// wanted, made smaller where the window's screen has less room.
QSize boundedSize(const QWidget *window, QSize wanted);

// Clamps the window again when it is shown, once its frame is known.
void clampWhenShown(QWidget *window);

} // namespace ScreenFit
