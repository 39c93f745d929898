#include "database_location.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QUrl>
#include <QUrlQuery>

namespace {

const QString Mask = QStringLiteral("•••");

QString tr(const char *text)
{
    return QCoreApplication::translate("DatabaseLocation", text);
}

} // namespace

bool DatabaseLocation::isServerAddress(const QString &text)
{
    return text.startsWith(QLatin1String("postgresql://"), Qt::CaseInsensitive) ||
           text.startsWith(QLatin1String("postgres://"), Qt::CaseInsensitive);
}

DatabaseLocation DatabaseLocation::parse(const QString &text, QString *error)
{
    DatabaseLocation location;
    if (!isServerAddress(text)) {
        location.path = text.isEmpty() ? QString() : QFileInfo(text).absoluteFilePath();
        return location;
    }
    location.kind = Kind::Server;
    const QUrl url(text, QUrl::StrictMode);
    auto fail = [&](const QString &message) {
        if (error)
            *error = message;
        location.host.clear();
        return location;
    };
    if (!url.isValid())
        return fail(tr("The server address is not a valid URL (postgresql://USER[:PASSWORD]@HOST"
                       "[:PORT]/DBNAME)."));
    location.host = url.host();
    location.port = url.port(5432);
    location.user = url.userName();
    location.password = url.password();
    location.databaseName = url.path().mid(1);
    const QUrlQuery query(url);
    for (const auto &[key, value] : query.queryItems(QUrl::FullyDecoded)) {
        if (key == QLatin1String("sslmode")) {
            static const QStringList Modes = {
                QStringLiteral("disable"),   QStringLiteral("allow"),
                QStringLiteral("prefer"),    QStringLiteral("require"),
                QStringLiteral("verify-ca"), QStringLiteral("verify-full")};
            if (!Modes.contains(value))
                return fail(tr("sslmode must be one of %1.").arg(Modes.join(QStringLiteral(", "))));
            location.sslMode = value;
        } else {
            return fail(tr("The server address has an unknown option \"%1\"; only sslmode is "
                           "read.")
                            .arg(key));
        }
    }
    if (location.host.isEmpty())
        return fail(tr("The server address names no host."));
    if (location.databaseName.isEmpty() || location.databaseName.contains(QLatin1Char('/')))
        return fail(tr("The server address names no database (…/DBNAME at its end)."));
    if (location.user.isEmpty())
        return fail(tr("The server address names no user (USER@HOST)."));
    return location;
}

QString DatabaseLocation::toString() const
{
    if (kind == Kind::File)
        return path;
    QUrl url;
    url.setScheme(QStringLiteral("postgresql"));
    url.setHost(host);
    if (port != 5432)
        url.setPort(port);
    url.setUserName(user);
    if (!password.isEmpty())
        url.setPassword(password);
    url.setPath(QLatin1Char('/') + databaseName);
    if (!sslMode.isEmpty())
        url.setQuery(QStringLiteral("sslmode=") + sslMode);
    return url.toString(QUrl::FullyEncoded);
}

QString DatabaseLocation::display() const
{
    if (kind == Kind::File)
        return path;
    QString text = QStringLiteral("postgresql://") + user;
    if (!password.isEmpty())
        text += QLatin1Char(':') + Mask;
    // Host, port and database name it; options say nothing to a reader.
    text += QLatin1Char('@') + host + QLatin1Char(':') + QString::number(port);
    return text + QLatin1Char('/') + databaseName;
}

QString DatabaseLocation::connectOptions() const
{
    QStringList options{QStringLiteral("connect_timeout=5"),
                        QStringLiteral("application_name=webhook-admin")};
    if (!sslMode.isEmpty())
        options.append(QStringLiteral("sslmode=") + sslMode);
    return options.join(QLatin1Char(';'));
}
