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
    icon->setObjectName(QStringLiteral("emptyStateIcon"));
    QIcon appIcon(QStringLiteral(":/icons/webhook-admin.svg"));
    if (appIcon.isNull())
        appIcon = style()->standardIcon(QStyle::SP_DriveNetIcon);
    icon->setPixmap(appIcon.pixmap(72, 72));
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
    text->setForegroundRole(QPalette::PlaceholderText);

    m_addButton->setObjectName(QStringLiteral("emptyStateAddButton"));
    m_addButton->setIcon(QIcon::fromTheme(QStringLiteral("list-add")));
    m_addButton->setDefault(true);
    m_addButton->setMinimumHeight(m_addButton->sizeHint().height() * 5 / 4);
    m_addButton->setMinimumWidth(180);
    m_addButton->setToolTip(tr("Add a webhook and choose the events it receives (Ctrl+N)"));
    connect(m_addButton, &QPushButton::clicked, this, &EmptyState::addRequested);

    // A centred column of fixed width, so the wrapped text gets its height.
    auto *column = new QWidget(this);
    column->setFixedWidth(460);
    auto *columnLayout = new QVBoxLayout(column);
    columnLayout->setContentsMargins(0, 0, 0, 0);
    columnLayout->addWidget(icon);
    columnLayout->addSpacing(8);
    columnLayout->addWidget(title);
    columnLayout->addSpacing(4);
    columnLayout->addWidget(text);
    columnLayout->addSpacing(16);
    columnLayout->addWidget(m_addButton, 0, Qt::AlignHCenter);
    // Never squeezed below what the wrapped text needs, or its lines overlap.
    text->setMinimumHeight(text->heightForWidth(column->width()));
    column->setMinimumHeight(columnLayout->minimumSize().height());

    auto *layout = new QVBoxLayout(this);
    layout->addStretch(2);
    layout->addWidget(column, 0, Qt::AlignHCenter);
    layout->addStretch(3);
    setFocusProxy(m_addButton);
}
