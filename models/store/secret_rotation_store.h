#pragma once

#include "domain/webhook.h"
#include "storage_error.h"

#include <QCoreApplication>
#include <QDateTime>

class Database;

// What rotateSecret did.
struct SecretRotation
{
    QString secret; // the new secret: shown once, to the person who rotated it
    SignatureScheme scheme = SignatureScheme::None;
    // Secrets rotated out that still sign, newest first.
    QList<PreviousSecret> stillValid;
};

// Rotating a hook's signing secret without breaking its receivers: the
// secret it replaces keeps signing for an overlap (Standard Webhooks sends
// one signature per valid secret), at most PreviousSecret::MaxKept of them.
class SecretRotationStore final
{
    Q_DECLARE_TR_FUNCTIONS(SecretRotationStore)
    Q_DISABLE_COPY_MOVE(SecretRotationStore)

public:
    explicit SecretRotationStore(Database *database);

    // Sets newSecret (a generated one when empty) as the hook's secret. With
    // Standard Webhooks and overlapSeconds > 0, the old secret stays valid
    // until now + overlap; 0 ends every overlap at once. GitHub's header
    // carries one signature, so for GitHub the old secret stops at once.
    Result<SecretRotation> rotate(qint64 hookId, const QString &newSecret, qint64 overlapSeconds,
                                  const QDateTime &now);
    // The secrets rotated out that still sign at `now`, newest first.
    Result<QList<PreviousSecret>> previousSecrets(qint64 hookId, const QDateTime &now) const;

private:
    Database *m_database;
};
