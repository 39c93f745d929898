#include "receiver_code_dialog.h"

#include "domain/receiver_snippets.h"

#include <QClipboard>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QGuiApplication>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTabWidget>
#include <QTimer>
#include <QVBoxLayout>

ReceiverCodeDialog::ReceiverCodeDialog(qint64 hookId, SignatureScheme scheme, QWidget *parent)
    : QDialog(parent)
{
    setObjectName(QStringLiteral("receiverCodeDialog"));
    setWindowTitle(tr("Receiver Code"));
    auto *layout = new QVBoxLayout(this);

    const QString schemeName = scheme == SignatureScheme::GitHub
                                   ? tr("GitHub (X-Hub-Signature-256)")
                                   : tr("Standard Webhooks");
    const QString hook = hookId > 0 ? tr("webhook %1").arg(hookId) : tr("this webhook");
    //: %1 e.g. "webhook 3", %2 the signature scheme, %3 the environment variable's name
    auto *intro =
        new QLabel(tr("How a receiver verifies the %2 signatures of %1: against the raw "
                      "body, compared in constant time. Set the environment variable "
                      "%3 to the hook's signing secret; the code never holds it.")
                       .arg(hook, schemeName, QLatin1String(ReceiverSnippets::SecretVariable)),
                   this);
    intro->setObjectName(QStringLiteral("receiverCodeIntro"));
    intro->setWordWrap(true);
    layout->addWidget(intro);

    m_tabs = new QTabWidget(this);
    m_tabs->setObjectName(QStringLiteral("languageTabs"));
    const QFont code = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    for (const ReceiverSnippets::Language language : ReceiverSnippets::languages()) {
        auto *text = new QPlainTextEdit(ReceiverSnippets::snippet(scheme, language), m_tabs);
        text->setObjectName(QStringLiteral("snippet") +
                            ReceiverSnippets::languageName(language).remove(QLatin1Char('.')));
        text->setReadOnly(true);
        text->setFont(code);
        text->setLineWrapMode(QPlainTextEdit::NoWrap);
        text->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
        m_tabs->addTab(text, ReceiverSnippets::languageName(language));
    }
    layout->addWidget(m_tabs, 1);

    auto *note = new QLabel(tr("Run as a script, each serves on 127.0.0.1:8000 and answers 204 "
                               "when the signature is valid, 401 when not; in a receiver of "
                               "your own, call its verify function with the raw body."),
                            this);
    note->setWordWrap(true);
    layout->addWidget(note);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    m_copy = buttons->addButton(tr("&Copy"), QDialogButtonBox::ActionRole);
    m_copy->setObjectName(QStringLiteral("copySnippetButton"));
    m_copy->setToolTip(tr("Copies the code on the tab shown"));
    connect(m_copy, &QPushButton::clicked, this, &ReceiverCodeDialog::copy);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    resize(760, 620);
}

QString ReceiverCodeDialog::currentSnippet() const
{
    const auto *text = qobject_cast<const QPlainTextEdit *>(m_tabs->currentWidget());
    return text ? text->toPlainText() : QString();
}

void ReceiverCodeDialog::copy()
{
    QGuiApplication::clipboard()->setText(currentSnippet());
    m_copy->setText(tr("Copied"));
    QTimer::singleShot(1500, m_copy, [button = m_copy] { button->setText(tr("&Copy")); });
}
