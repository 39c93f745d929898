#include "test_database.h"

#include <QAtomicInt>
#include <QCoreApplication>
#include <QDebug>
#include <QDir>
#include <QFile>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QUrl>
#include <QUuid>

namespace TestDatabase {

namespace {

QString stateFile()
{
    return qEnvironmentVariable("WEBHOOK_ADMIN_TEST_PG");
}

QString readLine(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(file.readLine()).trimmed();
}

} // namespace

bool onServer()
{
    return !stateFile().isEmpty();
}

QString serverAddress()
{
    return onServer() ? readLine(stateFile()) : QString();
}

QString clusterFolder()
{
    return onServer() ? readLine(stateFile() + QStringLiteral(".dir")) : QString();
}

QString create(const QString &dir, const QString &fileName)
{
    if (!onServer())
        return QDir(dir).filePath(fileName);
    const QString server = serverAddress();
    if (server.isEmpty()) {
        qWarning() << "TestDatabase: the PostgreSQL fixture left no address in" << stateFile();
        return {};
    }
    const QUrl url(server);
    static QAtomicInt counter;
    const QString name = QStringLiteral("t_%1_%2_%3")
                             .arg(QCoreApplication::applicationPid())
                             .arg(counter.fetchAndAddRelaxed(1))
                             .arg(QUuid::createUuid().toString(QUuid::Id128).left(8));
    {
        const QString connection = QStringLiteral("test-database-admin");
        QSqlDatabase db = QSqlDatabase::contains(connection)
                              ? QSqlDatabase::database(connection)
                              : QSqlDatabase::addDatabase(QStringLiteral("QPSQL"), connection);
        db.setHostName(url.host());
        db.setPort(url.port(5432));
        db.setUserName(url.userName());
        db.setPassword(url.password());
        db.setDatabaseName(url.path().mid(1));
        if (!db.isOpen() && !db.open()) {
            qWarning() << "TestDatabase: cannot reach the server:" << db.lastError().text();
            return {};
        }
        QSqlQuery query(db);
        if (!query.exec(QStringLiteral("CREATE DATABASE %1").arg(name))) {
            qWarning() << "TestDatabase: CREATE DATABASE failed:" << query.lastError().text();
            return {};
        }
    }
    QUrl result = url;
    result.setPath(QLatin1Char('/') + name);
    return result.toString();
}

} // namespace TestDatabase
