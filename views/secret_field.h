#pragma once

#include "domain/webhook.h"

#include <QWidget>

class QLineEdit;
class QPushButton;

// A signing secret: masked by default, with buttons to generate a fresh one
// for the chosen scheme, reveal it and copy it to the clipboard.
class SecretField final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SecretField)

public:
    explicit SecretField(QWidget *parent = nullptr);

    QString text() const;
    void setText(const QString &text);

    // What Generate makes: whsec_<base64> for Standard Webhooks, hex for GitHub.
    void setScheme(SignatureScheme scheme);
    SignatureScheme scheme() const { return m_scheme; }

    bool isRevealed() const;
    void setRevealed(bool revealed);

    QLineEdit *lineEdit() const { return m_edit; }
    QPushButton *generateButton() const { return m_generate; }
    QPushButton *revealButton() const { return m_reveal; }
    QPushButton *copyButton() const { return m_copy; }

    static QString generateSecret(SignatureScheme scheme);

public slots:
    void generate();
    void copyToClipboard();

signals:
    void textChanged(const QString &text);

protected:
    void changeEvent(QEvent *event) override;
    void focusInEvent(QFocusEvent *event) override;

private:
    void updateButtons();

    QLineEdit *m_edit;
    QPushButton *m_generate;
    QPushButton *m_reveal;
    QPushButton *m_copy;
    SignatureScheme m_scheme = SignatureScheme::None;
};
