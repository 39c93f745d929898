#include "rotate_secret_dialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

RotateSecretDialog::RotateSecretDialog(qint64 hookId, SignatureScheme scheme, QWidget *parent)
    : QDialog(parent)
{
    setObjectName(QStringLiteral("rotateSecretDialog"));
    setWindowTitle(tr("Rotate Signing Secret"));
    auto *layout = new QVBoxLayout(this);

    auto *intro = new QLabel(
        tr("Webhook %1 gets a new, generated signing secret. Give it to the receiver; the "
           "settings page shows it (Reveal, Copy).")
            .arg(hookId),
        this);
    intro->setWordWrap(true);
    layout->addWidget(intro);

    m_overlap = new QComboBox(this);
    m_overlap->setObjectName(QStringLiteral("overlapCombo"));
    m_overlap->addItem(tr("1 hour"), qint64(3600));
    m_overlap->addItem(tr("24 hours"), qint64(24 * 3600));
    m_overlap->addItem(tr("7 days"), qint64(7 * 24 * 3600));
    m_overlap->addItem(tr("No overlap: the old secret stops at once"), qint64(0));
    m_overlap->setCurrentIndex(1);
    auto *form = new QFormLayout;
    auto *overlapLabel = new QLabel(tr("Old secret &valid for:"), this);
    overlapLabel->setBuddy(m_overlap);
    form->addRow(overlapLabel, m_overlap);
    layout->addLayout(form);

    auto *note = new QLabel(this);
    note->setObjectName(QStringLiteral("rotationNote"));
    note->setWordWrap(true);
    if (scheme == SignatureScheme::GitHub) {
        // Nothing to choose: the old secret cannot sign alongside the new one.
        m_overlap->setCurrentIndex(m_overlap->count() - 1);
        m_overlap->setEnabled(false);
        note->setText(tr("GitHub's X-Hub-Signature-256 has room for one signature: requests are "
                         "signed with the new secret only, from the moment you rotate. Update "
                         "the receiver right away."));
    } else {
        note->setText(tr("Until then each request carries two signatures (webhook-signature: "
                         "v1,<new> v1,<old>), so the receiver verifies with either secret."));
    }
    layout->addWidget(note);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    QPushButton *rotate = buttons->addButton(tr("&Rotate"), QDialogButtonBox::AcceptRole);
    rotate->setObjectName(QStringLiteral("rotateButton"));
    rotate->setDefault(true);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
}

qint64 RotateSecretDialog::overlapSeconds() const
{
    return m_overlap->currentData().toLongLong();
}
