#include "listener_preferences_page.h"

#include "store/store_writer.h"

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHostAddress>
#include <QHostInfo>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>

namespace {
constexpr qint64 MiB = 1024 * 1024;
} // namespace

ListenerPreferencesPage::ListenerPreferencesPage(ListenerSettingsStore *store, QWidget *parent)
    : QWidget(parent)
    , m_store(store)
    , m_enabled(new QCheckBox(tr("&Run the listener while the window is open"), this))
    , m_address(new QLineEdit(this))
    , m_port(new QSpinBox(this))
    , m_bodyLimit(new QSpinBox(this))
    , m_token(new QLineEdit(this))
    , m_showToken(new QPushButton(tr("Show"), this))
    , m_copyToken(new QPushButton(tr("Copy"), this))
    , m_rotateToken(new QPushButton(tr("Rotate"), this))
    , m_labelStudioUrl(new QLineEdit(this))
    , m_copyUrl(new QPushButton(tr("Copy"), this))
    , m_status(new QLabel(this))
    , m_error(new QLabel(this))
{
    m_enabled->setObjectName(QStringLiteral("listenerEnabled"));
    m_address->setObjectName(QStringLiteral("listenerAddress"));
    m_port->setObjectName(QStringLiteral("listenerPort"));
    m_bodyLimit->setObjectName(QStringLiteral("listenerBodyLimit"));
    m_token->setObjectName(QStringLiteral("intakeToken"));
    m_showToken->setObjectName(QStringLiteral("showTokenButton"));
    m_copyToken->setObjectName(QStringLiteral("copyTokenButton"));
    m_rotateToken->setObjectName(QStringLiteral("rotateTokenButton"));
    m_labelStudioUrl->setObjectName(QStringLiteral("labelStudioUrl"));

    m_address->setToolTip(tr("The IP address to listen on. 127.0.0.1 keeps the listener to "
                             "this machine; 0.0.0.0 opens it to every network it is on."));
    m_port->setRange(0, 65535);
    m_port->setToolTip(tr("0 picks a free port each time."));
    m_bodyLimit->setRange(1, int(ListenerSettingsStore::MaxBodyLimit / MiB));
    m_bodyLimit->setSuffix(tr(" MB"));
    m_bodyLimit->setToolTip(tr("A larger request is refused with 413 and nothing is stored."));
    m_token->setReadOnly(true);
    m_token->setEchoMode(QLineEdit::Password);
    m_token->setToolTip(tr("Label Studio sends it as \"Authorization: Bearer TOKEN\"."));
    m_showToken->setCheckable(true);
    m_rotateToken->setToolTip(tr("Replace the token; senders with the old one get 401 until "
                                 "they are given the new one."));
    m_labelStudioUrl->setReadOnly(true);
    m_labelStudioUrl->setToolTip(tr("Paste this into Label Studio: project settings, Webhooks."));
    m_status->setWordWrap(true);
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: palette(highlight);"));
    m_error->hide();

    auto *tokenRow = new QHBoxLayout;
    tokenRow->addWidget(m_token, 1);
    tokenRow->addWidget(m_showToken);
    tokenRow->addWidget(m_copyToken);
    tokenRow->addWidget(m_rotateToken);
    auto *urlRow = new QHBoxLayout;
    urlRow->addWidget(m_labelStudioUrl, 1);
    urlRow->addWidget(m_copyUrl);

    auto *form = new QFormLayout(this);
    form->addRow(m_enabled);
    form->addRow(tr("&Address:"), m_address);
    form->addRow(tr("&Port:"), m_port);
    form->addRow(tr("&Body limit:"), m_bodyLimit);
    form->addRow(tr("Intake &token:"), tokenRow);
    form->addRow(tr("Label Studio &URL:"), urlRow);
    auto *hint = new QLabel(
        tr("In Label Studio, open the project's settings, Webhooks, add this URL, add the header "
           "\"Authorization: Bearer\" with the token, and keep \"Send payload\" on."),
        this);
    hint->setWordWrap(true);
    form->addRow(hint);
    form->addRow(m_status);
    form->addRow(m_error);

    const auto edited = [this] {
        m_error->hide();
        updateUrl();
        emit changed();
    };
    connect(m_enabled, &QCheckBox::toggled, this, edited);
    connect(m_address, &QLineEdit::textChanged, this, edited);
    connect(m_port, &QSpinBox::valueChanged, this, edited);
    connect(m_bodyLimit, &QSpinBox::valueChanged, this, edited);
    connect(m_showToken, &QPushButton::toggled, this, [this](bool shown) {
        m_token->setEchoMode(shown ? QLineEdit::Normal : QLineEdit::Password);
        m_showToken->setText(shown ? tr("Hide") : tr("Show"));
    });
    connect(m_copyToken, &QPushButton::clicked, this,
            [this] { QApplication::clipboard()->setText(m_token->text()); });
    connect(m_copyUrl, &QPushButton::clicked, this,
            [this] { QApplication::clipboard()->setText(m_labelStudioUrl->text()); });
    connect(m_rotateToken, &QPushButton::clicked, this, &ListenerPreferencesPage::rotateToken);

    load();
    setRunningUrl({});
}

ListenerSettings ListenerPreferencesPage::settings() const
{
    ListenerSettings s;
    s.enabled = m_enabled->isChecked();
    s.address = m_address->text().trimmed();
    s.port = quint16(m_port->value());
    s.bodyLimit = qint64(m_bodyLimit->value()) * MiB;
    return s;
}

void ListenerPreferencesPage::load()
{
    m_loaded = m_store->settings();
    const QSignalBlocker a(m_enabled), b(m_address), c(m_port), d(m_bodyLimit);
    m_enabled->setChecked(m_loaded.enabled);
    m_address->setText(m_loaded.address);
    m_port->setValue(m_loaded.port);
    m_bodyLimit->setValue(int(std::max<qint64>(1, m_loaded.bodyLimit / MiB)));
    const Result<QString> token = m_store->token();
    if (token)
        m_token->setText(token.value());
    else
        showError(token.error().message);
    updateUrl();
}

bool ListenerPreferencesPage::save()
{
    const ListenerSettings s = settings();
    if (const QString e = ListenerSettingsStore::check(s); !e.isEmpty()) {
        showError(e);
        m_address->setFocus();
        return false;
    }
    WriterStores stores;
    stores.listener = m_store;
    if (Status stored =
            StoreWriter::waitOn(m_writer, stores, tr("Saving the listener settings…"),
                                [s](const WriterStores &w) { return w.listener->save(s); });
        !stored) {
        showError(stored.error().message);
        return false;
    }
    m_loaded = m_store->settings();
    m_error->hide();
    emit saved(m_loaded);
    return true;
}

bool ListenerPreferencesPage::isDirty() const
{
    ListenerSettings s = settings();
    // The spin box holds whole megabytes.
    s.bodyLimit = m_loaded.bodyLimit / MiB == s.bodyLimit / MiB ? m_loaded.bodyLimit : s.bodyLimit;
    return !(s == m_loaded);
}

void ListenerPreferencesPage::setRunningUrl(const QString &url)
{
    m_status->setText(url.isEmpty() ? tr("The listener does not run in this window.")
                                    : tr("Listening on %1.").arg(url));
}

QString ListenerPreferencesPage::labelStudioUrl() const
{
    const QHostAddress address(m_address->text().trimmed());
    QString host = m_address->text().trimmed();
    if (address == QHostAddress(QHostAddress::AnyIPv4) ||
        address == QHostAddress(QHostAddress::AnyIPv6))
        host = QHostInfo::localHostName(); // reachable by others under the machine's name
    else if (address.protocol() == QAbstractSocket::IPv6Protocol)
        host = QLatin1Char('[') + host + QLatin1Char(']');
    return QStringLiteral("http://%1:%2/intake/label-studio").arg(host).arg(m_port->value());
}

void ListenerPreferencesPage::updateUrl()
{
    m_labelStudioUrl->setText(labelStudioUrl());
}

void ListenerPreferencesPage::showError(const QString &message)
{
    m_error->setText(message);
    m_error->show();
}

void ListenerPreferencesPage::rotateToken()
{
    WriterStores stores;
    stores.listener = m_store;
    const Result<QString> token =
        StoreWriter::waitOn(m_writer, stores, tr("Rotating the token…"),
                            [](const WriterStores &w) { return w.listener->rotateToken(); });
    if (!token) {
        showError(token.error().message);
        return;
    }
    m_token->setText(token.value());
}
