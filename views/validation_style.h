#pragma once

#include <QColor>
#include <QPalette>

// Colours the settings page uses to mark invalid input and secondary text,
// chosen so they read on light and dark palettes alike.
namespace ValidationStyle {

inline bool isDark(const QPalette &palette)
{
    return palette.color(QPalette::Window).lightness() < 128;
}

inline QColor errorColor(const QPalette &palette)
{
    return isDark(palette) ? QColor(0xff, 0x7b, 0x72) : QColor(0xc6, 0x28, 0x28);
}

inline QColor errorBackground(const QPalette &palette)
{
    QColor color = errorColor(palette);
    color.setAlpha(isDark(palette) ? 60 : 28);
    return color;
}

inline QColor mutedColor(const QPalette &palette)
{
    return palette.color(QPalette::PlaceholderText);
}

// Recolours a role for enabled items only, so disabled ones still look disabled.
inline void setEnabledColor(QPalette &palette, QPalette::ColorRole role, const QColor &color)
{
    palette.setColor(QPalette::Active, role, color);
    palette.setColor(QPalette::Inactive, role, color);
}

} // namespace ValidationStyle
