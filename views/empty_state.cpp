#include "empty_state.h"

#include <QIcon>
#include <QLabel>
#include <QPushButton>
#include <QStyle>
#include <QVBoxLayout>

EmptyState::EmptyState(QWidget *parent)
    : QWidget(parent)
    , m_addButton(new QPushButton(tr("Add webhook"), this))
{
    auto *icon = new QLabel(this);
    const QIcon themed = QIcon::fromTheme(QStringLiteral("network-transmit-receive"),
                                          style()->standardIcon(QStyle::SP_DriveNetIcon));
    icon->setPixmap(themed.pixmap(64, 64));
    icon->setAlignment(Qt::AlignCenter);

    auto *title = new QLabel(tr("No webhooks yet"), this);
    title->setObjectName(QStringLiteral("emptyStateTitle"));
    QFont titleFont = title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.6);
    titleFont.setBold(true);
    title->setFont(titleFont);
    title->setAlignment(Qt::AlignCenter);

    auto *text = new QLabel(
        tr("A webhook sends an HTTP POST request to your URL whenever something happens in a "
           "labeling project: tasks are imported, an annotation is created or updated, a "
           "project changes. Use it to start training, version a dataset or notify your "
           "team."),
        this);
    text->setWordWrap(true);
    text->setAlignment(Qt::AlignCenter);
    text->setMaximumWidth(460);
    text->setForegroundRole(QPalette::PlaceholderText);

    m_addButton->setObjectName(QStringLiteral("emptyStateAddButton"));
    m_addButton->setIcon(QIcon::fromTheme(QStringLiteral("list-add")));
    m_addButton->setDefault(true);
    m_addButton->setMinimumHeight(m_addButton->sizeHint().height() * 5 / 4);
    m_addButton->setMinimumWidth(180);
    m_addButton->setToolTip(tr("Add a webhook and choose the events it receives (Ctrl+N)"));
    connect(m_addButton, &QPushButton::clicked, this, &EmptyState::addRequested);

    auto *layout = new QVBoxLayout(this);
    layout->addStretch(2);
    layout->addWidget(icon);
    layout->addSpacing(8);
    layout->addWidget(title);
    layout->addSpacing(4);
    layout->addWidget(text, 0, Qt::AlignHCenter);
    layout->addSpacing(16);
    layout->addWidget(m_addButton, 0, Qt::AlignHCenter);
    layout->addStretch(3);
    setFocusProxy(m_addButton);
}
