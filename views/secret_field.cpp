#include "secret_field.h"

#include <QApplication>
#include <QClipboard>
#include <QEvent>
#include <QFocusEvent>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QRandomGenerator>
#include <QTimer>
#include <QVBoxLayout>
#include <algorithm>

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

    // The secret on a row of its own, wide enough for its bullets; the
    // buttons below it.
    const int bullets = 40; // whsec_ and 32 base64 characters, with room
    m_edit->setMinimumWidth(
        std::min(m_edit->fontMetrics().horizontalAdvance(QChar(0x25CF)) * bullets, 420));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);
    layout->addWidget(m_edit);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_generate);
    buttons->addWidget(m_reveal);
    buttons->addWidget(m_copy);
    buttons->addStretch(1);
    layout->addLayout(buttons);
    // No focus proxy: a compound widget whose proxy is its own child sent Tab
    // from the window's last button back into this field, a loop the user
    // could not leave. The field itself takes no Tab stop, but does take
    // focus (a label's mnemonic skips a NoFocus buddy), and passes it on to
    // the line edit.
    setFocusPolicy(Qt::ClickFocus);

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
    m_reveal->setText(revealed ? tr("Hide") : tr("Show"));
}

void SecretField::focusInEvent(QFocusEvent *event)
{
    m_edit->setFocus(event->reason());
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
    if (!m_edit->text().isEmpty()) {
        QMessageBox box(QMessageBox::Warning, tr("Replace the Signing Secret?"),
                        tr("Receivers that check signatures with the current secret will reject "
                           "every request until they have the new one."),
                        QMessageBox::NoButton, this);
        box.setObjectName(QStringLiteral("replaceSecretQuestion"));
        QPushButton *replace = box.addButton(tr("&Replace Secret"), QMessageBox::AcceptRole);
        replace->setObjectName(QStringLiteral("replaceSecretButton"));
        box.addButton(QMessageBox::Cancel);
        box.setDefaultButton(QMessageBox::Cancel);
        box.exec();
        if (box.clickedButton() != replace)
            return;
    }
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
