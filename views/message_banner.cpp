#include "message_banner.h"

#include <QApplication>
#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QStyle>
#include <QToolButton>

MessageBanner::MessageBanner(QWidget *parent)
    : QFrame(parent)
    , m_icon(new QLabel)
    , m_text(new QLabel)
    , m_close(new QToolButton)
{
    setObjectName(QStringLiteral("messageBanner"));
    setFrameShape(QFrame::StyledPanel);
    setAutoFillBackground(true);
    setAccessibleName(tr("Problem"));

    const int iconSize = style()->pixelMetric(QStyle::PM_SmallIconSize, nullptr, this);
    m_icon->setPixmap(
        style()->standardIcon(QStyle::SP_MessageBoxWarning, nullptr, this).pixmap(iconSize));
    m_text->setObjectName(QStringLiteral("bannerText"));
    m_text->setWordWrap(true);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_text->setTextFormat(Qt::PlainText);

    m_close->setObjectName(QStringLiteral("bannerDismiss"));
    m_close->setAutoRaise(true);
    m_close->setIcon(style()->standardIcon(QStyle::SP_TitleBarCloseButton, nullptr, this));
    m_close->setToolTip(tr("Dismiss"));
    m_close->setAccessibleName(tr("Dismiss"));
    connect(m_close, &QToolButton::clicked, this, &MessageBanner::dismiss);

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(8, 4, 4, 4);
    layout->addWidget(m_icon, 0, Qt::AlignTop);
    layout->addWidget(m_text, 1);
    layout->addWidget(m_close, 0, Qt::AlignTop);

    updateColors();
    hide();
}

void MessageBanner::showMessage(const QString &message)
{
    if (isVisibleTo(parentWidget()) && message == m_message) {
        ++m_repeats;
    } else {
        m_message = message;
        m_repeats = 1;
    }
    updateText();
    show();
}

void MessageBanner::dismiss()
{
    hide();
    m_message.clear();
    m_repeats = 0;
    emit dismissed();
}

void MessageBanner::updateText()
{
    if (m_repeats > 1)
        //: %1 is a message from the delivery engine; %n how often it came
        m_text->setText(tr("%1 (%n times)", nullptr, m_repeats).arg(m_message));
    else
        m_text->setText(m_message);
}

void MessageBanner::changeEvent(QEvent *event)
{
    QFrame::changeEvent(event);
    if (event->type() == QEvent::ApplicationPaletteChange)
        updateColors();
}

void MessageBanner::updateColors()
{
    // A red tint of the window colour, readable in light and dark palettes.
    QPalette p = palette();
    const bool dark = QApplication::palette().color(QPalette::Window).lightness() < 128;
    p.setColor(QPalette::Window, dark ? QColor(0x5c, 0x21, 0x24) : QColor(0xfd, 0xe7, 0xe9));
    p.setColor(QPalette::WindowText, dark ? QColor(0xff, 0xdc, 0xd7) : QColor(0x5c, 0x10, 0x16));
    setPalette(p);
}
