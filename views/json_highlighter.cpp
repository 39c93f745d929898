#include "json_highlighter.h"

#include <QGuiApplication>
#include <QPalette>

JsonHighlighter::JsonHighlighter(QTextDocument *document)
    : QSyntaxHighlighter(document)
    , m_stringPattern(QStringLiteral(R"("(?:[^"\\]|\\.)*")"))
    , m_numberPattern(QStringLiteral(R"(-?\b\d+(?:\.\d+)?(?:[eE][+-]?\d+)?\b)"))
    , m_literalPattern(QStringLiteral(R"(\b(?:true|false|null)\b)"))
{
    setBaseColor(QGuiApplication::palette().color(QPalette::Base));
}

void JsonHighlighter::setBaseColor(const QColor &base)
{
    const bool dark = base.lightness() < 128;
    m_key.setForeground(dark ? QColor(0x8c, 0xc8, 0xff) : QColor(0x0b, 0x4f, 0x9c));
    m_string.setForeground(dark ? QColor(0xa5, 0xd6, 0x8a) : QColor(0x1c, 0x7a, 0x32));
    m_number.setForeground(dark ? QColor(0xf0, 0xb0, 0x6a) : QColor(0xa3, 0x4f, 0x00));
    m_literal.setForeground(dark ? QColor(0xe0, 0x9c, 0xf0) : QColor(0x8a, 0x2b, 0x9e));
    m_literal.setFontWeight(QFont::Bold);
    rehighlight();
}

void JsonHighlighter::highlightBlock(const QString &text)
{
    // Numbers and literals first; strings then win over anything inside them.
    for (auto it = m_numberPattern.globalMatch(text); it.hasNext();) {
        const QRegularExpressionMatch m = it.next();
        setFormat(int(m.capturedStart()), int(m.capturedLength()), m_number);
    }
    for (auto it = m_literalPattern.globalMatch(text); it.hasNext();) {
        const QRegularExpressionMatch m = it.next();
        setFormat(int(m.capturedStart()), int(m.capturedLength()), m_literal);
    }
    for (auto it = m_stringPattern.globalMatch(text); it.hasNext();) {
        const QRegularExpressionMatch m = it.next();
        const qsizetype end = m.capturedEnd();
        // A string followed by a colon is a key.
        qsizetype next = end;
        while (next < text.size() && text.at(next).isSpace())
            ++next;
        const bool isKey = next < text.size() && text.at(next) == QLatin1Char(':');
        setFormat(int(m.capturedStart()), int(m.capturedLength()), isKey ? m_key : m_string);
    }
}
