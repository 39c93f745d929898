#include "secret_field.h"

#include <QApplication>
#include <QClipboard>
#include <QEvent>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QPushButton>
#include <QRandomGenerator>
#include <QTimer>

namespace {

QByteArray randomBytes(int count)
{
    QByteArray bytes(count, Qt::Uninitialized);
    QRandomGenerator *generator = QRandomGenerator::system();
    for (char &byte : bytes)
        byte = char(generator->bounded(256));
    return bytes;
}

} // namespace

SecretField::SecretField(QWidget *parent)
    : QWidget(parent)
    , m_edit(new QLineEdit(this))
    , m_generate(new QPushButton(tr("Generate"), this))
    , m_reveal(new QPushButton(tr("Show"), this))
    , m_copy(new QPushButton(tr("Cop&y"), this))
{
    m_edit->setObjectName(QStringLiteral("secretEdit"));
    m_generate->setObjectName(QStringLiteral("generateSecretButton"));
    m_reveal->setObjectName(QStringLiteral("revealSecretButton"));
    m_copy->setObjectName(QStringLiteral("copySecretButton"));

    m_edit->setEchoMode(QLineEdit::Password);
    m_edit->setPlaceholderText(tr("Paste the receiver's secret or generate one"));
    m_edit->setToolTip(tr("The key the receiver uses to check that a request came from "
                          "Webhook Admin. It is masked wherever it is shown."));
    m_generate->setToolTip(tr("Replace the secret with a new random one for the chosen scheme."));
    m_reveal->setCheckable(true);
    m_reveal->setToolTip(tr("Show or hide the secret."));
    m_copy->setToolTip(tr("Copy the secret to the clipboard."));

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_edit, 1);
    layout->addWidget(m_generate);
    layout->addWidget(m_reveal);
    layout->addWidget(m_copy);
    // No focus proxy: a compound widget whose proxy is its own child sent Tab
    // from the window's last button back into this field, a loop the user
    // could not leave. Callers focus lineEdit() instead.

    connect(m_edit, &QLineEdit::textChanged, this, [this](const QString &text) {
        updateButtons();
        emit textChanged(text);
    });
    connect(m_generate, &QPushButton::clicked, this, &SecretField::generate);
    connect(m_reveal, &QPushButton::toggled, this, &SecretField::setRevealed);
    connect(m_copy, &QPushButton::clicked, this, &SecretField::copyToClipboard);
    updateButtons();
}

QString SecretField::text() const
{
    return m_edit->text();
}

void SecretField::setText(const QString &text)
{
    m_edit->setText(text);
}

void SecretField::setScheme(SignatureScheme scheme)
{
    m_scheme = scheme;
    updateButtons();
}

bool SecretField::isRevealed() const
{
    return m_edit->echoMode() == QLineEdit::Normal;
}

void SecretField::setRevealed(bool revealed)
{
    m_edit->setEchoMode(revealed ? QLineEdit::Normal : QLineEdit::Password);
    if (m_reveal->isChecked() != revealed)
        m_reveal->setChecked(revealed);
}

QString SecretField::generateSecret(SignatureScheme scheme)
{
    switch (scheme) {
    case SignatureScheme::Standard:
        return QStringLiteral("whsec_") + QString::fromLatin1(randomBytes(24).toBase64());
    case SignatureScheme::GitHub:
        return QString::fromLatin1(randomBytes(32).toHex());
    case SignatureScheme::None:
        break;
    }
    return {};
}

void SecretField::generate()
{
    const QString secret = generateSecret(m_scheme);
    if (secret.isEmpty())
        return;
    m_edit->setText(secret);
    m_edit->setFocus();
}

void SecretField::copyToClipboard()
{
    if (m_edit->text().isEmpty())
        return;
    QApplication::clipboard()->setText(m_edit->text());
    m_copy->setText(tr("Copied"));
    QTimer::singleShot(1500, m_copy, [button = m_copy] { button->setText(tr("Cop&y")); });
}

void SecretField::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::EnabledChange)
        updateButtons();
    QWidget::changeEvent(event);
}

void SecretField::updateButtons()
{
    m_generate->setEnabled(isEnabled() && m_scheme != SignatureScheme::None);
    m_copy->setEnabled(isEnabled() && !m_edit->text().isEmpty());
}
