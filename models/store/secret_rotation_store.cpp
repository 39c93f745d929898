#include "secret_rotation_store.h"

#include "database.h"
#include "delivery/signature.h"
#include "domain/webhook_validator.h"
#include "transaction.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

SecretRotationStore::SecretRotationStore(Database *database)
    : m_database(database)
{
}

Result<SecretRotation> SecretRotationStore::rotate(qint64 hookId, const QString &newSecret,
                                                   qint64 overlapSeconds, const QDateTime &now)
{
    const QString context = tr("Rotating the secret of webhook %1").arg(hookId);
    const QSqlDatabase db = m_database->connection();
    Transaction transaction(db);
    if (!transaction.isOpen())
        return StorageError::fromSql(transaction.error(), context);

    QSqlQuery query(db);
    query.prepare(QStringLiteral(
        "SELECT secret, signature FROM webhooks WHERE id = ? AND deleted_at IS NULL"));
    query.addBindValue(hookId);
    if (!query.exec())
        return StorageError::fromSql(query.lastError(), context);
    if (!query.next())
        return StorageError{StorageError::Kind::NotFound,
                            tr("There is no webhook with id %1.").arg(hookId)};
    const QString oldSecret = query.value(0).toString();
    const SignatureScheme scheme =
        signatureSchemeFromKey(query.value(1).toString()).value_or(SignatureScheme::None);
    query.finish();
    if (scheme == SignatureScheme::None)
        return StorageError{StorageError::Kind::Invalid,
                            tr("Webhook %1 does not sign its requests, so it has no secret to "
                               "rotate; choose a signature scheme and a secret first.")
                                .arg(hookId)};

    SecretRotation rotation;
    rotation.scheme = scheme;
    rotation.secret = newSecret.isEmpty() ? Signature::generateSecret(scheme) : newSecret;
    if (const QString problem = WebhookValidator::checkSecret(rotation.secret, scheme);
        !problem.isEmpty())
        return StorageError{StorageError::Kind::Invalid, problem};
    if (rotation.secret == oldSecret)
        return StorageError{StorageError::Kind::Invalid,
                            tr("The new secret is the current one; rotating needs a new secret.")};

    const qint64 nowMs = now.toMSecsSinceEpoch();
    QSqlQuery write(db);
    if (overlapSeconds <= 0 || scheme != SignatureScheme::Standard) {
        write.prepare(QStringLiteral("DELETE FROM previous_secrets WHERE webhook_id = ?"));
        write.addBindValue(hookId);
        if (!write.exec())
            return StorageError::fromSql(write.lastError(), context);
    } else if (!oldSecret.isEmpty()) {
        write.prepare(QStringLiteral("INSERT INTO previous_secrets (webhook_id, secret, "
                                     "valid_until, retired_at) VALUES (?, ?, ?, ?)"));
        write.addBindValue(hookId);
        write.addBindValue(oldSecret);
        write.addBindValue(nowMs + overlapSeconds * 1000);
        write.addBindValue(nowMs);
        if (!write.exec())
            return StorageError::fromSql(write.lastError(), context);
    }
    // Expired ones sign nothing more; beyond the newest few none are kept.
    write.prepare(QStringLiteral(
        "DELETE FROM previous_secrets WHERE webhook_id = ? AND (valid_until <= ? OR id NOT IN "
        "(SELECT id FROM previous_secrets WHERE webhook_id = ? ORDER BY id DESC LIMIT ?))"));
    write.addBindValue(hookId);
    write.addBindValue(nowMs);
    write.addBindValue(hookId);
    write.addBindValue(PreviousSecret::MaxKept);
    if (!write.exec())
        return StorageError::fromSql(write.lastError(), context);
    write.prepare(QStringLiteral("UPDATE webhooks SET secret = ?, updated_at = ? WHERE id = ?"));
    write.addBindValue(rotation.secret);
    write.addBindValue(now.toUTC().toString(Qt::ISODateWithMs));
    write.addBindValue(hookId);
    if (!write.exec())
        return StorageError::fromSql(write.lastError(), context);
    if (!transaction.commit())
        return StorageError::fromSql(transaction.error(), context);

    Result<QList<PreviousSecret>> valid = previousSecrets(hookId, now);
    if (!valid)
        return valid.error();
    rotation.stillValid = valid.value();
    return rotation;
}

Result<QList<PreviousSecret>> SecretRotationStore::previousSecrets(qint64 hookId,
                                                                   const QDateTime &now) const
{
    QSqlQuery query(m_database->connection());
    query.setForwardOnly(true);
    query.prepare(QStringLiteral("SELECT secret, valid_until FROM previous_secrets "
                                 "WHERE webhook_id = ? AND valid_until > ? ORDER BY id DESC"));
    query.addBindValue(hookId);
    query.addBindValue(now.toMSecsSinceEpoch());
    if (!query.exec())
        return StorageError::fromSql(query.lastError(),
                                     tr("Reading the previous secrets of webhook %1").arg(hookId));
    QList<PreviousSecret> secrets;
    while (query.next())
        secrets.append({query.value(0).toString(),
                        QDateTime::fromMSecsSinceEpoch(query.value(1).toLongLong(), Qt::UTC)});
    return secrets;
}
