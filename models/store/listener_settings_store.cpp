#include "listener_settings_store.h"

#include "store/database.h"
#include "store/settings_table.h"
#include "store/sql_text.h"

#include <QCryptographicHash>
#include <QHostAddress>
#include <QRandomGenerator>
#include <QSqlError>
#include <QSqlQuery>

namespace {

const QString EnabledKey = QStringLiteral("listener.enabled");
const QString AddressKey = QStringLiteral("listener.address");
const QString PortKey = QStringLiteral("listener.port");
const QString BodyLimitKey = QStringLiteral("listener.body_limit");
const QString TokenKey = QStringLiteral("listener.token");

QString newToken()
{
    QByteArray bytes(32, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(bytes.data()),
                                          bytes.size() / int(sizeof(quint32)));
    return QStringLiteral("whi_") +
           QString::fromLatin1(
               bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
}

} // namespace

ListenerSettingsStore::ListenerSettingsStore(Database *database)
    : m_database(database)
{
}

QString ListenerSettingsStore::value(const QString &key, const QString &fallback) const
{
    return SettingsTable::value(m_database->connection(), key, fallback);
}

Status ListenerSettingsStore::setValue(const QString &key, const QString &value)
{
    return SettingsTable::setValue(m_database->connection(), key, value);
}

ListenerSettings ListenerSettingsStore::settings() const
{
    ListenerSettings s;
    s.enabled = value(EnabledKey, QStringLiteral("0")) == QLatin1String("1");
    s.address = value(AddressKey, s.address);
    bool ok = false;
    const uint port = value(PortKey, QString()).toUInt(&ok);
    if (ok && port <= 65535)
        s.port = quint16(port);
    const qint64 limit = value(BodyLimitKey, QString()).toLongLong(&ok);
    if (ok && limit >= MinBodyLimit && limit <= MaxBodyLimit)
        s.bodyLimit = limit;
    return s;
}

QString ListenerSettingsStore::check(const ListenerSettings &settings)
{
    if (QHostAddress(settings.address).isNull())
        return tr("\"%1\" is not an IP address to listen on, e.g. 127.0.0.1.")
            .arg(settings.address);
    if (settings.bodyLimit < MinBodyLimit || settings.bodyLimit > MaxBodyLimit)
        return tr("The body limit must be between 1 KB and 1 GB.");
    return {};
}

Status ListenerSettingsStore::save(const ListenerSettings &settings)
{
    if (const QString e = check(settings); !e.isEmpty())
        return StorageError{StorageError::Kind::Invalid, e};
    for (const auto &[key, text] :
         {std::pair{EnabledKey, settings.enabled ? QStringLiteral("1") : QStringLiteral("0")},
          std::pair{AddressKey, settings.address},
          std::pair{PortKey, QString::number(settings.port)},
          std::pair{BodyLimitKey, QString::number(settings.bodyLimit)}}) {
        if (Status s = setValue(key, text); !s)
            return s;
    }
    return Done{};
}

QString ListenerSettingsStore::tokenQuery()
{
    return QStringLiteral("SELECT value FROM settings WHERE key = ?");
}

QString ListenerSettingsStore::tokenKey()
{
    return TokenKey;
}

Result<QString> ListenerSettingsStore::existingToken() const
{
    QSqlQuery query(m_database->connection());
    query.prepare(tokenQuery());
    query.addBindValue(TokenKey);
    if (!query.exec())
        return StorageError::fromSql(query.lastError(), tr("Reading the intake token"));
    return query.next() ? query.value(0).toString() : QString();
}

Result<QString> ListenerSettingsStore::token()
{
    Result<QString> existing = existingToken();
    if (!existing || !existing->isEmpty())
        return existing;
    // Another process may create one at the same moment: keep whichever came first.
    QSqlQuery query(m_database->connection());
    query.prepare(QStringLiteral(
        "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING"));
    query.addBindValue(TokenKey);
    query.addBindValue(newToken());
    if (!query.exec())
        return StorageError::fromSql(query.lastError(), tr("Creating the intake token"));
    return existingToken();
}

Result<QString> ListenerSettingsStore::rotateToken()
{
    const QString token = newToken();
    if (Status s = setValue(TokenKey, token); !s)
        return s.error();
    return token;
}

bool ListenerSettingsStore::authorizationMatches(const QByteArray &authorization,
                                                 const QString &token)
{
    static const QByteArray scheme = QByteArrayLiteral("bearer ");
    if (token.isEmpty() || authorization.size() < scheme.size() ||
        authorization.left(scheme.size()).toLower() != scheme)
        return false;
    // Equal-length digests compared without an early exit: the time taken
    // says nothing about how much of the token was right.
    const QByteArray given = QCryptographicHash::hash(authorization.mid(scheme.size()).trimmed(),
                                                      QCryptographicHash::Sha256);
    const QByteArray stored = QCryptographicHash::hash(token.toUtf8(), QCryptographicHash::Sha256);
    unsigned char difference = 0;
    for (qsizetype i = 0; i < given.size(); ++i)
        difference |= static_cast<unsigned char>(given.at(i) ^ stored.at(i));
    return difference == 0;
}
