#pragma once

#include "domain/webhook.h"

#include <QDialog>

class QPushButton;
class QTabWidget;

// "Receiver code…": how a receiver verifies this hook's signatures, in
// Python, Node.js and Go (a tab each), with Copy. The code reads the secret
// from an environment variable; the hook's secret never appears in it.
class ReceiverCodeDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ReceiverCodeDialog)

public:
    ReceiverCodeDialog(qint64 hookId, SignatureScheme scheme, QWidget *parent = nullptr);

    // The code on the tab shown.
    QString currentSnippet() const;

private:
    void copy();

    QTabWidget *m_tabs = nullptr;
    QPushButton *m_copy = nullptr;
};
