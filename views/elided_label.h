#pragma once

#include <QLabel>

// A label for text that may hold no break point, such as a URL: each line is
// elided to the width the layout gives it, and the full text is the tooltip.
// Its size hint never asks for more than a line of ordinary length, so a
// 2,000-character URL cannot widen the window it sits in.
class ElidedLabel final : public QLabel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ElidedLabel)

public:
    explicit ElidedLabel(QWidget *parent = nullptr);

    void setFullText(const QString &text);
    QString fullText() const { return m_fullText; }
    void setElideMode(Qt::TextElideMode mode);

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    void updateShownText();

    QString m_fullText;
    Qt::TextElideMode m_mode = Qt::ElideMiddle;
};
