#include "elided_label.h"

#include <QResizeEvent>
#include <algorithm>

namespace {

// Wide enough for a sentence; wider text is elided rather than widening the window.
constexpr int PreferredChars = 80;
constexpr int MinimumChars = 12;

} // namespace

ElidedLabel::ElidedLabel(QWidget *parent)
    : QLabel(parent)
{
    setTextFormat(Qt::PlainText);
    setWordWrap(false);
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Preferred);
}

void ElidedLabel::setFullText(const QString &text)
{
    m_fullText = text;
    updateShownText();
    updateGeometry();
}

void ElidedLabel::setElideMode(Qt::TextElideMode mode)
{
    m_mode = mode;
    updateShownText();
}

QSize ElidedLabel::sizeHint() const
{
    const QFontMetrics metrics = fontMetrics();
    int widest = 0;
    const QStringList lines = m_fullText.split(QLatin1Char('\n'));
    for (const QString &line : lines)
        widest = std::max(widest, metrics.horizontalAdvance(line));
    const int margins = contentsMargins().left() + contentsMargins().right() + 2 * margin();
    const int width = std::min(widest, metrics.averageCharWidth() * PreferredChars) + margins;
    const int height = int(lines.size()) * metrics.lineSpacing() + contentsMargins().top() +
                       contentsMargins().bottom() + 2 * margin();
    return {width, height};
}

QSize ElidedLabel::minimumSizeHint() const
{
    const QSize hint = sizeHint();
    return {std::min(hint.width(), fontMetrics().averageCharWidth() * MinimumChars), hint.height()};
}

void ElidedLabel::resizeEvent(QResizeEvent *event)
{
    QLabel::resizeEvent(event);
    updateShownText();
}

void ElidedLabel::updateShownText()
{
    const int available = contentsRect().width() - 2 * margin();
    QStringList lines = m_fullText.split(QLatin1Char('\n'));
    bool elided = false;
    for (QString &line : lines) {
        const QString shown = fontMetrics().elidedText(line, m_mode, std::max(available, 0));
        elided = elided || shown != line;
        line = shown;
    }
    QLabel::setText(lines.join(QLatin1Char('\n')));
    // The tooltip carries what the elision hides; an unshortened label needs none.
    setToolTip(elided ? m_fullText : QString());
}
