#pragma once

#include "domain/webhook.h"

#include <QDialog>

class QComboBox;
class QLabel;

// Asks how long the secret being replaced keeps signing. GitHub's header
// carries one signature, so for GitHub there is no overlap to choose and
// the dialog says so.
class RotateSecretDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RotateSecretDialog)

public:
    RotateSecretDialog(qint64 hookId, SignatureScheme scheme, QWidget *parent = nullptr);

    // Seconds the old secret stays valid; 0: it stops at once.
    qint64 overlapSeconds() const;

private:
    QComboBox *m_overlap = nullptr;
};
