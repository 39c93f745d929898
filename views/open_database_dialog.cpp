#include "open_database_dialog.h"

#include "store/database.h"
#include "store/database_location.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QPushButton>
#include <QSpinBox>
#include <QTabWidget>
#include <QThread>
#include <QUrl>
#include <QUrlQuery>
#include <QVBoxLayout>
#include <memory>

namespace {

constexpr int DefaultPort = 5432;

QStringList sslModes()
{
    return {QStringLiteral("prefer"),      QStringLiteral("require"), QStringLiteral("verify-ca"),
            QStringLiteral("verify-full"), QStringLiteral("disable"), QStringLiteral("allow")};
}

} // namespace

OpenDatabaseDialog::OpenDatabaseDialog(QWidget *parent)
    : QDialog(parent)
{
    setObjectName(QStringLiteral("openDatabaseDialog"));
    setWindowTitle(tr("Open Database"));
    m_pages = new QTabWidget(this);
    m_pages->setObjectName(QStringLiteral("databasePages"));
    m_pages->addTab(buildFilePage(), tr("&File"));
    m_pages->addTab(buildServerPage(), tr("&Server"));

    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("openDatabaseStatus"));
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    m_open = buttons->addButton(tr("&Open"), QDialogButtonBox::AcceptRole);
    m_open->setObjectName(QStringLiteral("openDatabaseButton"));
    m_open->setDefault(true);
    connect(m_open, &QPushButton::clicked, this, &OpenDatabaseDialog::tryOpen);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    // A try still under way when the user gives up is forgotten.
    connect(this, &QDialog::rejected, this, [this] {
        ++m_try;
        m_connecting = false;
        m_status->clear();
        updateButtons();
    });

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_pages);
    layout->addWidget(m_status);
    layout->addWidget(buttons);

    connect(m_pages, &QTabWidget::currentChanged, this, &OpenDatabaseDialog::updateButtons);
    for (QLineEdit *edit : {m_file, m_host, m_database})
        connect(edit, &QLineEdit::textChanged, this, &OpenDatabaseDialog::updateButtons);
    updateButtons();
}

OpenDatabaseDialog::~OpenDatabaseDialog()
{
    ++m_try;
}

QWidget *OpenDatabaseDialog::buildFilePage()
{
    auto *page = new QWidget;
    auto *form = new QFormLayout(page);
    m_file = new QLineEdit(page);
    m_file->setObjectName(QStringLiteral("databaseFileEdit"));
    m_file->setPlaceholderText(tr("A Webhook Admin SQLite file; a new name creates one"));
    m_file->setMinimumWidth(m_file->fontMetrics().averageCharWidth() * 48);
    auto *browse = new QPushButton(tr("&Browse…"), page);
    browse->setObjectName(QStringLiteral("browseDatabaseButton"));
    connect(browse, &QPushButton::clicked, this, &OpenDatabaseDialog::browse);
    auto *row = new QHBoxLayout;
    row->addWidget(m_file, 1);
    row->addWidget(browse);
    auto *label = new QLabel(tr("Fi&le:"), page);
    label->setBuddy(m_file);
    form->addRow(label, row);
    return page;
}

QWidget *OpenDatabaseDialog::buildServerPage()
{
    auto *page = new QWidget;
    auto *form = new QFormLayout(page);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    const auto add = [page, form](const QString &text, QWidget *field) {
        auto *label = new QLabel(text, page);
        label->setBuddy(field);
        form->addRow(label, field);
    };
    m_host = new QLineEdit(page);
    m_host->setObjectName(QStringLiteral("serverHostEdit"));
    m_host->setPlaceholderText(QStringLiteral("db.example.com"));
    add(tr("&Host:"), m_host);
    m_port = new QSpinBox(page);
    m_port->setObjectName(QStringLiteral("serverPortSpin"));
    m_port->setRange(1, 65535);
    m_port->setValue(DefaultPort);
    add(tr("Po&rt:"), m_port);
    m_database = new QLineEdit(page);
    m_database->setObjectName(QStringLiteral("serverDatabaseEdit"));
    m_database->setPlaceholderText(QStringLiteral("webhooks"));
    add(tr("&Database:"), m_database);
    m_user = new QLineEdit(page);
    m_user->setObjectName(QStringLiteral("serverUserEdit"));
    add(tr("&User:"), m_user);
    m_password = new QLineEdit(page);
    m_password->setObjectName(QStringLiteral("serverPasswordEdit"));
    m_password->setEchoMode(QLineEdit::Password);
    m_password->setToolTip(tr("Never remembered: you type it each time you open the server."));
    add(tr("&Password:"), m_password);
    m_sslMode = new QComboBox(page);
    m_sslMode->setObjectName(QStringLiteral("serverSslModeCombo"));
    m_sslMode->addItems(sslModes());
    m_sslMode->setToolTip(tr("How the connection uses TLS, as PostgreSQL's sslmode says."));
    add(tr("SSL &mode:"), m_sslMode);
    return page;
}

void OpenDatabaseDialog::browse()
{
    const QString start =
        m_file->text().isEmpty() ? QFileInfo(Database::defaultPath()).path() : m_file->text();
    const QString path = QFileDialog::getSaveFileName(
        this, tr("Open Database"), start, tr("SQLite databases (*.sqlite *.db);;All files (*)"),
        nullptr, QFileDialog::DontConfirmOverwrite);
    if (!path.isEmpty())
        m_file->setText(QDir::toNativeSeparators(path));
}

bool OpenDatabaseDialog::isServerUrl(const QString &location)
{
    return DatabaseLocation::isServerAddress(location);
}

QString OpenDatabaseDialog::serverUrl(const QString &host, int port, const QString &database,
                                      const QString &user, const QString &password,
                                      const QString &sslMode)
{
    QUrl url;
    url.setScheme(QStringLiteral("postgresql"));
    url.setHost(host.trimmed());
    url.setPort(port);
    url.setPath(QLatin1Char('/') + database.trimmed());
    url.setUserName(user.trimmed());
    url.setPassword(password);
    if (!sslMode.isEmpty())
        url.setQuery(QStringLiteral("sslmode=") + sslMode);
    return url.toString(QUrl::FullyEncoded);
}

QString OpenDatabaseDialog::displayLocation(const QString &location)
{
    // One masking for the window, the command line and errors alike.
    return isServerUrl(location) ? DatabaseLocation::masked(location)
                                 : QDir::toNativeSeparators(location);
}

QString OpenDatabaseDialog::withoutPassword(const QString &location)
{
    if (!isServerUrl(location))
        return location;
    QUrl url(location);
    url.setPassword(QString());
    return url.toString(QUrl::FullyEncoded);
}

void OpenDatabaseDialog::setLocation(const QString &location)
{
    if (!isServerUrl(location)) {
        m_pages->setCurrentIndex(0);
        m_file->setText(QDir::toNativeSeparators(location));
        return;
    }
    const QUrl url(location);
    m_pages->setCurrentIndex(1);
    m_host->setText(url.host());
    m_port->setValue(url.port(DefaultPort));
    m_database->setText(url.path().mid(1));
    m_user->setText(url.userName());
    m_password->setText(url.password());
    const QString mode = QUrlQuery(url).queryItemValue(QStringLiteral("sslmode"));
    if (const int index = m_sslMode->findText(mode); index >= 0)
        m_sslMode->setCurrentIndex(index);
    // The password is asked again.
    if (url.password().isEmpty())
        m_password->setFocus();
}

void OpenDatabaseDialog::focusPassword()
{
    m_pages->setCurrentIndex(1);
    m_password->setFocus();
    m_password->selectAll();
}

QString OpenDatabaseDialog::location() const
{
    if (m_pages->currentIndex() == 0)
        return QDir::fromNativeSeparators(m_file->text().trimmed());
    return serverUrl(m_host->text(), m_port->value(), m_database->text(), m_user->text(),
                     m_password->text(), m_sslMode->currentText());
}

void OpenDatabaseDialog::updateButtons()
{
    const bool complete =
        m_pages->currentIndex() == 0
            ? !m_file->text().trimmed().isEmpty()
            : !m_host->text().trimmed().isEmpty() && !m_database->text().trimmed().isEmpty();
    m_open->setEnabled(complete && !m_connecting);
    m_pages->setEnabled(!m_connecting);
}

void OpenDatabaseDialog::tryOpen()
{
    if (m_connecting || !m_open->isEnabled())
        return;
    const QString where = location();
    m_connecting = true;
    //: %1 is a file or a server URL with its password masked
    m_status->setText(tr("Opening %1…").arg(displayLocation(where)));
    updateButtons();
    // The worker opens its own connection, checks and migrates, and closes
    // it; the window opens the location again once this says it works.
    const int attempt = ++m_try;
    auto error = std::make_shared<QString>();
    QThread *worker = QThread::create([where, error] {
        Database database;
        if (const std::optional<StorageError> failed = database.open(where))
            *error = failed->message;
    });
    connect(worker, &QThread::finished, worker, &QObject::deleteLater);
    QPointer<OpenDatabaseDialog> self(this);
    connect(worker, &QThread::finished, this, [self, attempt, error] {
        if (self && self->m_try == attempt)
            self->finishTry(*error);
    });
    worker->start();
}

void OpenDatabaseDialog::finishTry(const QString &error)
{
    m_connecting = false;
    updateButtons();
    if (error.isEmpty()) {
        m_status->clear();
        accept();
        return;
    }
    //: %1 says why, e.g. "file is not a database"
    m_status->setText(tr("Could not open it: %1").arg(error));
}
