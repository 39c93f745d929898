#pragma once

#include <QRegularExpression>
#include <QSyntaxHighlighter>
#include <QTextCharFormat>

// Colours JSON text: keys, strings, numbers, true/false/null. Line by line,
// so it copes with the partial or invalid JSON a receiver may answer.
class JsonHighlighter final : public QSyntaxHighlighter
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(JsonHighlighter)

public:
    explicit JsonHighlighter(QTextDocument *document);

    // Picks colours that read on this base colour (light or dark palette).
    void setBaseColor(const QColor &base);

    QTextCharFormat keyFormat() const { return m_key; }
    QTextCharFormat stringFormat() const { return m_string; }
    QTextCharFormat numberFormat() const { return m_number; }
    QTextCharFormat literalFormat() const { return m_literal; }

protected:
    void highlightBlock(const QString &text) override;

private:
    QRegularExpression m_stringPattern;
    QRegularExpression m_numberPattern;
    QRegularExpression m_literalPattern;
    QTextCharFormat m_key;
    QTextCharFormat m_string;
    QTextCharFormat m_number;
    QTextCharFormat m_literal;
};
