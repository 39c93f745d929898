#include "inbox_store.h"

#include "database.h"
#include "delivery/signature.h"
#include "domain/webhook_validator.h"
#include "sql_dialect.h"
#include "sql_text.h"
#include "transaction.h"

#include <QHostAddress>
#include <QJsonArray>
#include <QJsonDocument>
#include <QScopeGuard>
#include <QSqlError>
#include <QSqlQuery>
#include <QUrl>
#include <QVariant>

namespace {

StorageError invalid(const QString &message)
{
    return {StorageError::Kind::Invalid, message};
}

QString headersToText(const HeaderList &headers)
{
    QJsonArray array;
    for (const auto &[name, value] : headers)
        array.append(QJsonArray{name, value});
    return QString::fromUtf8(QJsonDocument(array).toJson(QJsonDocument::Compact));
}

HeaderList headersFromText(const QString &text)
{
    HeaderList headers;
    const QJsonArray array = QJsonDocument::fromJson(text.toUtf8()).array();
    for (const QJsonValue &pair : array) {
        const QJsonArray item = pair.toArray();
        headers.append({item.at(0).toString(), item.at(1).toString()});
    }
    return headers;
}

const QString Columns = QStringLiteral(
    "id, inbox, received_at, remote_address, method, path, query, size, verdict, reason");
const QString DetailColumns = Columns + QStringLiteral(", headers, body");

InboxRequest readRequest(const QSqlQuery &query, bool withDetails)
{
    InboxRequest r;
    r.id = query.value(0).toLongLong();
    r.inbox = query.value(1).toString();
    r.receivedAt = QDateTime::fromMSecsSinceEpoch(query.value(2).toLongLong(), Qt::UTC);
    r.remoteAddress = query.value(3).toString();
    r.method = query.value(4).toString();
    r.path = query.value(5).toString();
    r.query = query.value(6).toString();
    r.size = query.value(7).toLongLong();
    r.verdict = inboxVerdictFromKey(query.value(8).toString());
    r.reason = query.value(9).toString();
    if (withDetails) {
        r.headers = headersFromText(query.value(10).toString());
        r.body = query.value(11).toByteArray();
    }
    return r;
}

} // namespace

InboxStore::InboxStore(Database *database)
    : m_database(database)
{
}

bool InboxStore::isLoopbackHost(const QString &host)
{
    if (host.compare(QLatin1String("localhost"), Qt::CaseInsensitive) == 0)
        return true;
    QString bare = host;
    if (bare.startsWith(QLatin1Char('[')) && bare.endsWith(QLatin1Char(']')))
        bare = bare.mid(1, bare.size() - 2);
    const QHostAddress address(bare);
    return !address.isNull() && address.isLoopback();
}

QString InboxStore::checkSettings(const InboxSettings &settings)
{
    if (!InboxSettings::isValidName(settings.name))
        return tr("An inbox name is 1 to %1 letters, digits, '.', '_', '-' or '~', not \"%2\".")
            .arg(InboxSettings::MaxNameLength)
            .arg(settings.name);
    if (settings.status < 200 || settings.status > 599)
        return tr("The answer's status is between 200 and 599, not %1.").arg(settings.status);
    if (settings.delayMs < 0 || settings.delayMs > InboxSettings::MaxDelayMs)
        return tr("The delay is between 0 and %1 ms, not %2.")
            .arg(InboxSettings::MaxDelayMs)
            .arg(settings.delayMs);
    if (settings.body.size() > InboxSettings::MaxBodyBytes)
        return tr("The answer's body is larger than %1 KiB.")
            .arg(InboxSettings::MaxBodyBytes / 1024);
    if (!settings.body.isEmpty()) {
        QJsonParseError error;
        QJsonDocument::fromJson(settings.body, &error);
        if (error.error != QJsonParseError::NoError)
            //: %1 is the JSON parser's message
            return tr("The answer's body is not JSON: %1 at character %2.")
                .arg(error.errorString())
                .arg(error.offset);
    }
    return WebhookValidator::checkSecret(settings.secret, settings.signature);
}

Result<InboxSettings> InboxStore::settings(const QString &name) const
{
    InboxSettings settings;
    settings.name = name;
    QSqlQuery query(m_database->connection());
    query.prepare(QStringLiteral(
        "SELECT status, delay_ms, body, secret, signature FROM inboxes WHERE name = ?"));
    query.addBindValue(name);
    if (!query.exec())
        return StorageError::fromSql(query.lastError(), tr("Reading the inbox %1").arg(name));
    if (query.next()) {
        settings.status = query.value(0).toInt();
        settings.delayMs = query.value(1).toInt();
        settings.body = query.value(2).toByteArray();
        settings.secret = query.value(3).toString();
        settings.signature =
            signatureSchemeFromKey(query.value(4).toString()).value_or(SignatureScheme::None);
    }
    return settings;
}

Status InboxStore::saveSettings(const InboxSettings &settings)
{
    if (const QString e = checkSettings(settings); !e.isEmpty())
        return invalid(e);
    QSqlQuery query(m_database->connection());
    query.prepare(QStringLiteral(
        "INSERT INTO inboxes (name, status, delay_ms, body, secret, signature, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(name) DO UPDATE SET status = excluded.status, "
        "delay_ms = excluded.delay_ms, body = excluded.body, secret = excluded.secret, "
        "signature = excluded.signature, updated_at = excluded.updated_at"));
    query.addBindValue(settings.name);
    query.addBindValue(settings.status);
    query.addBindValue(settings.delayMs);
    query.addBindValue(sqlText(QString::fromUtf8(settings.body)));
    query.addBindValue(sqlText(settings.secret));
    query.addBindValue(settings.signature == SignatureScheme::None
                           ? QString(QLatin1String(""))
                           : signatureSchemeKey(settings.signature));
    query.addBindValue(QDateTime::currentMSecsSinceEpoch());
    if (!query.exec())
        return StorageError::fromSql(query.lastError(),
                                     tr("Saving the inbox %1").arg(settings.name));
    return Done{};
}

Result<QList<InboxSecret>> InboxStore::secretsFor(const QString &name) const
{
    QList<InboxSecret> secrets;
    QSqlQuery query(m_database->connection());
    query.setForwardOnly(true);
    // Few hooks point at an inbox; LIKE keeps the others from being parsed.
    query.prepare(QStringLiteral(
        "SELECT id, url, secret, signature FROM webhooks WHERE secret != '' AND signature != '' "
        "AND url LIKE '%/inbox/%' ORDER BY id"));
    if (!query.exec())
        return StorageError::fromSql(query.lastError(), tr("Reading the hooks of the inbox"));
    const QString path = QStringLiteral("/inbox/") + name;
    while (query.next()) {
        const QUrl url(query.value(1).toString());
        if (!url.isValid() || url.path() != path || !isLoopbackHost(url.host()))
            continue;
        const auto scheme = signatureSchemeFromKey(query.value(3).toString());
        if (!scheme || *scheme == SignatureScheme::None)
            continue;
        secrets.append({query.value(0).toLongLong(), query.value(2).toString(), *scheme});
    }
    const Result<InboxSettings> own = settings(name);
    if (!own)
        return own.error();
    if (own->signature != SignatureScheme::None && !own->secret.isEmpty())
        secrets.append({std::nullopt, own->secret, own->signature});
    return secrets;
}

Result<qint64> InboxStore::addRequest(const InboxRequest &request)
{
    QSqlDatabase db = m_database->connection();
    const QString context = tr("Storing a request of the inbox %1").arg(request.inbox);
    Transaction transaction(db);
    if (!transaction.isOpen())
        return StorageError::fromSql(transaction.error(), context);
    QSqlQuery query(db);
    query.prepare(QStringLiteral(
        "INSERT INTO inbox_requests (inbox, received_at, remote_address, method, path, query, "
        "headers, body, size, verdict, reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "RETURNING id"));
    query.addBindValue(request.inbox);
    query.addBindValue(request.receivedAt.toMSecsSinceEpoch());
    query.addBindValue(sqlText(request.remoteAddress));
    query.addBindValue(sqlText(request.method));
    query.addBindValue(sqlText(request.path));
    query.addBindValue(sqlText(request.query));
    query.addBindValue(headersToText(request.headers));
    const QByteArray body = request.body.left(InboxRequest::MaxStoredBodyBytes);
    query.addBindValue(body.isNull() ? QByteArray("") : body);
    query.addBindValue(std::max<qint64>(request.size, request.body.size()));
    query.addBindValue(inboxVerdictKey(request.verdict));
    query.addBindValue(sqlText(request.reason));
    if (!query.exec())
        return StorageError::fromSql(query.lastError(), context);
    const qint64 id = SqlDialect::returnedId(query);
    // Keep the newest MaxRequestsPerInbox of this inbox.
    QSqlQuery prune(db);
    prune.prepare(QStringLiteral(
        "DELETE FROM inbox_requests WHERE inbox = ? AND id <= (SELECT id FROM inbox_requests "
        "WHERE inbox = ? ORDER BY id DESC LIMIT 1 OFFSET ?)"));
    prune.addBindValue(request.inbox);
    prune.addBindValue(request.inbox);
    prune.addBindValue(MaxRequestsPerInbox);
    if (!prune.exec())
        return StorageError::fromSql(prune.lastError(), context);
    if (!transaction.commit())
        return StorageError::fromSql(transaction.error(), context);
    return id;
}

Result<QList<InboxRequest>> InboxStore::requests(const QString &inbox, qint64 beforeId, int limit,
                                                 bool withDetails) const
{
    QSqlQuery query(m_database->connection());
    query.setForwardOnly(true);
    QString sql = QStringLiteral("SELECT ") + (withDetails ? DetailColumns : Columns) +
                  QStringLiteral(" FROM inbox_requests WHERE 1 = 1");
    if (!inbox.isEmpty())
        sql += QStringLiteral(" AND inbox = :inbox");
    if (beforeId > 0)
        sql += QStringLiteral(" AND id < :before");
    sql += QStringLiteral(" ORDER BY id DESC LIMIT :limit");
    query.prepare(sql);
    if (!inbox.isEmpty())
        query.bindValue(QStringLiteral(":inbox"), inbox);
    if (beforeId > 0)
        query.bindValue(QStringLiteral(":before"), beforeId);
    query.bindValue(QStringLiteral(":limit"), limit);
    if (!query.exec())
        return StorageError::fromSql(query.lastError(), tr("Reading the inbox"));
    QList<InboxRequest> rows;
    while (query.next())
        rows.append(readRequest(query, withDetails));
    return rows;
}

Result<QList<InboxRequest>> InboxStore::requestsNewerThan(const QString &inbox, qint64 afterId,
                                                          int limit) const
{
    QSqlQuery query(m_database->connection());
    query.setForwardOnly(true);
    QString sql = QStringLiteral("SELECT ") + Columns +
                  QStringLiteral(" FROM inbox_requests WHERE id > :after");
    if (!inbox.isEmpty())
        sql += QStringLiteral(" AND inbox = :inbox");
    sql += QStringLiteral(" ORDER BY id DESC LIMIT :limit");
    query.prepare(sql);
    query.bindValue(QStringLiteral(":after"), afterId);
    if (!inbox.isEmpty())
        query.bindValue(QStringLiteral(":inbox"), inbox);
    query.bindValue(QStringLiteral(":limit"), limit);
    if (!query.exec())
        return StorageError::fromSql(query.lastError(), tr("Reading the inbox"));
    QList<InboxRequest> rows;
    while (query.next())
        rows.append(readRequest(query, false));
    return rows;
}

Result<qint64> InboxStore::countBetween(const QString &inbox, qint64 fromId, qint64 toId) const
{
    QSqlQuery query(m_database->connection());
    QString sql =
        QStringLiteral("SELECT COUNT(*) FROM inbox_requests WHERE id BETWEEN :from AND :to");
    if (!inbox.isEmpty())
        sql += QStringLiteral(" AND inbox = :inbox");
    query.prepare(sql);
    query.bindValue(QStringLiteral(":from"), fromId);
    query.bindValue(QStringLiteral(":to"), toId);
    if (!inbox.isEmpty())
        query.bindValue(QStringLiteral(":inbox"), inbox);
    if (!query.exec() || !query.next())
        return StorageError::fromSql(query.lastError(), tr("Reading the inbox"));
    return query.value(0).toLongLong();
}

Result<InboxRequest> InboxStore::request(qint64 id) const
{
    QSqlQuery query(m_database->connection());
    query.prepare(QStringLiteral("SELECT ") + DetailColumns +
                  QStringLiteral(" FROM inbox_requests WHERE id = ?"));
    query.addBindValue(id);
    if (!query.exec())
        return StorageError::fromSql(query.lastError(), tr("Reading the inbox"));
    if (!query.next())
        return StorageError{StorageError::Kind::NotFound,
                            tr("There is no inbox request %1; \"inbox list\" shows them.").arg(id)};
    return readRequest(query, true);
}

Result<QStringList> InboxStore::inboxNames() const
{
    QSqlQuery query(m_database->connection());
    query.setForwardOnly(true);
    if (!query.exec(QStringLiteral("SELECT name FROM inboxes UNION SELECT DISTINCT inbox FROM "
                                   "inbox_requests ORDER BY 1")))
        return StorageError::fromSql(query.lastError(), tr("Reading the inboxes"));
    QStringList names;
    while (query.next())
        names.append(query.value(0).toString());
    return names;
}

Result<int> InboxStore::clear(const QString &name, int lockWaitMs)
{
    QSqlQuery query(m_database->connection());
    if (lockWaitMs >= 0)
        SqlDialect::setLockWait(m_database->connection(), lockWaitMs);
    const auto restore = qScopeGuard([&] {
        if (lockWaitMs >= 0)
            SqlDialect::setLockWait(m_database->connection(), Database::BusyTimeoutMs);
    });
    query.prepare(QStringLiteral("DELETE FROM inbox_requests WHERE inbox = ?"));
    query.addBindValue(name);
    if (!query.exec())
        return StorageError::fromSql(query.lastError(), tr("Clearing the inbox %1").arg(name));
    return query.numRowsAffected();
}
