#include "server_wait_page.h"

#include "store/database_location.h"

#include <QDateTime>
#include <QHBoxLayout>
#include <QIcon>
#include <QLabel>
#include <QPushButton>
#include <QStyle>
#include <QVBoxLayout>

ServerWaitPage::ServerWaitPage(const QString &location, QWidget *parent)
    : QWidget(parent)
    , m_title(new QLabel(this))
    , m_address(new QLabel(DatabaseLocation::masked(location), this))
    , m_reason(new QLabel(this))
    , m_retry(new QLabel(this))
    , m_tryNow(new QPushButton(tr("&Try Now"), this))
    , m_editConnection(new QPushButton(tr("&Edit Connection…"), this))
    , m_openAnother(new QPushButton(tr("&Open Another Database…"), this))
{
    setObjectName(QStringLiteral("serverWaitPage"));
    auto *icon = new QLabel(this);
    icon->setPixmap(style()->standardIcon(QStyle::SP_DriveNetIcon).pixmap(64, 64));
    icon->setAlignment(Qt::AlignCenter);

    m_title->setObjectName(QStringLiteral("serverWaitTitle"));
    QFont titleFont = m_title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.5);
    titleFont.setBold(true);
    m_title->setFont(titleFont);
    m_title->setAlignment(Qt::AlignCenter);
    m_title->setWordWrap(true);

    m_address->setObjectName(QStringLiteral("serverWaitAddress"));
    m_address->setAlignment(Qt::AlignCenter);
    m_address->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_address->setWordWrap(true);
    m_reason->setObjectName(QStringLiteral("serverWaitReason"));
    m_reason->setAlignment(Qt::AlignCenter);
    m_reason->setWordWrap(true);
    m_reason->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_retry->setObjectName(QStringLiteral("serverWaitRetry"));
    m_retry->setAlignment(Qt::AlignCenter);
    m_retry->setWordWrap(true);
    m_retry->setForegroundRole(QPalette::PlaceholderText);

    m_tryNow->setObjectName(QStringLiteral("serverWaitTryNow"));
    m_tryNow->setDefault(true);
    m_tryNow->setToolTip(tr("Connect again now rather than at the next try"));
    connect(m_tryNow, &QPushButton::clicked, this, &ServerWaitPage::tryNowRequested);
    m_editConnection->setObjectName(QStringLiteral("serverWaitEditConnection"));
    m_editConnection->setToolTip(tr("Correct the user, password or database name"));
    m_editConnection->hide();
    connect(m_editConnection, &QPushButton::clicked, this,
            &ServerWaitPage::editConnectionRequested);
    m_openAnother->setObjectName(QStringLiteral("serverWaitOpenAnother"));
    m_openAnother->setIcon(QIcon::fromTheme(QStringLiteral("document-open")));
    m_openAnother->setToolTip(tr("Work with another database file or server"));
    connect(m_openAnother, &QPushButton::clicked, this, &ServerWaitPage::openAnotherRequested);

    auto *buttons = new QHBoxLayout;
    buttons->addStretch();
    buttons->addWidget(m_editConnection);
    buttons->addWidget(m_tryNow);
    buttons->addWidget(m_openAnother);
    buttons->addStretch();

    // A centred column, so long reasons wrap rather than widen the window.
    auto *column = new QWidget(this);
    column->setMaximumWidth(560);
    auto *columnLayout = new QVBoxLayout(column);
    columnLayout->setContentsMargins(0, 0, 0, 0);
    columnLayout->addWidget(icon);
    columnLayout->addSpacing(8);
    columnLayout->addWidget(m_title);
    columnLayout->addWidget(m_address);
    columnLayout->addSpacing(8);
    columnLayout->addWidget(m_reason);
    columnLayout->addWidget(m_retry);
    columnLayout->addSpacing(16);
    columnLayout->addLayout(buttons);

    auto *layout = new QVBoxLayout(this);
    layout->addStretch(2);
    layout->addWidget(column, 0, Qt::AlignHCenter);
    layout->addStretch(3);
    setFocusProxy(m_tryNow);

    m_countdown.setInterval(1000);
    connect(&m_countdown, &QTimer::timeout, this, &ServerWaitPage::updateCountdown);
    showConnecting();
}

void ServerWaitPage::showConnecting()
{
    m_mode = Mode::Connecting;
    m_countdown.stop();
    m_title->setText(tr("Connecting to the database server…"));
    m_retry->setText(QString());
    m_tryNow->setEnabled(false);
}

void ServerWaitPage::showUnavailable(const QString &reason, int retryInMs)
{
    m_mode = Mode::Waiting;
    m_title->setText(tr("The database server does not answer"));
    m_reason->setText(reason);
    m_editConnection->hide();
    m_tryNow->setEnabled(true);
    m_tryNow->setDefault(true);
    setFocusProxy(m_tryNow);
    m_nextTryAt = QDateTime::currentMSecsSinceEpoch() + retryInMs;
    updateCountdown();
    m_countdown.start();
}

void ServerWaitPage::showRefused(const QString &reason)
{
    m_mode = Mode::Refused;
    m_countdown.stop();
    m_title->setText(tr("The database server refused the connection"));
    m_reason->setText(reason);
    m_retry->setText(tr("Waiting will not help: check the user name, password and database "
                        "name, or open another database."));
    m_tryNow->setEnabled(true);
    m_tryNow->setDefault(false);
    m_editConnection->show();
    m_editConnection->setDefault(true);
    setFocusProxy(m_editConnection);
    if (isVisible())
        m_editConnection->setFocus();
}

QString ServerWaitPage::address() const
{
    return m_address->text();
}

QString ServerWaitPage::reason() const
{
    return m_reason->text();
}

QString ServerWaitPage::retryText() const
{
    return m_retry->text();
}

void ServerWaitPage::updateCountdown()
{
    const qint64 left = m_nextTryAt - QDateTime::currentMSecsSinceEpoch();
    const int seconds = int(std::max<qint64>(1, (left + 999) / 1000));
    //: the window opens as soon as the server answers
    m_retry->setText(tr("Trying again in %n second(s); the window opens as soon as it answers.",
                        nullptr, seconds));
}
