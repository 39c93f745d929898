#include "team_setup.h"

#include "receiver_process.h"
#include "store/database.h"
#include "test_database.h"

#include <QFile>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QSqlQuery>

TeamSetup::~TeamSetup()
{
    m_receiver.kill();
    m_receiver.waitForFinished();
}

QString TeamSetup::start()
{
    if (!m_home.isValid())
        return QStringLiteral("no temporary folder");
    m_db = TestDatabase::create(m_home.path(), QString());
    if (m_db.isEmpty())
        return QStringLiteral("no database on the test server");
    m_log = m_home.filePath(QStringLiteral("receiver.log"));
    m_environment = CliTest::cleanEnvironment(m_home.path());
    m_environment.insert(QStringLiteral("WEBHOOK_BATCH_SIZE"), QStringLiteral("1"));
    m_port = CliTest::startReceiver(&m_receiver, m_log);
    return m_port > 0 ? QString() : QStringLiteral("the receiver did not start");
}

CliTest::Run TeamSetup::cli(const QStringList &arguments) const
{
    return CliTest::runCli(m_environment, QStringList{QStringLiteral("--db"), m_db} + arguments);
}

qint64 TeamSetup::scalar(const QString &sql) const
{
    Database db;
    if (db.open(m_db))
        return -1;
    QSqlQuery query(db.connection());
    if (!query.exec(sql) || !query.next())
        return -1;
    return query.value(0).toLongLong();
}

int TeamSetup::receivedCount() const
{
    return int(CliTest::receiverLog(m_log).size());
}

QString TeamSetup::queueBurst(int hooks, const QString &path, int events, int tasksPerEvent)
{
    for (int h = 0; h < hooks; ++h) {
        const CliTest::Run added =
            cli({QStringLiteral("hooks"), QStringLiteral("add"), QStringLiteral("--url"),
                 QStringLiteral("http://127.0.0.1:%1%2").arg(m_port).arg(path),
                 QStringLiteral("--event"), QStringLiteral("TASKS_CREATED"),
                 QStringLiteral("--max-in-flight"), QStringLiteral("1")});
        if (added.exitCode != 0)
            return CliTest::describe(added);
    }
    int task = 1;
    for (int e = 0; e < events; ++e) {
        QJsonArray tasks;
        for (int i = 0; i < tasksPerEvent; ++i)
            tasks.append(QJsonObject{{QStringLiteral("id"), task++}});
        const QString file = m_home.filePath(QStringLiteral("tasks%1.json").arg(e));
        QFile out(file);
        if (!out.open(QIODevice::WriteOnly))
            return QStringLiteral("cannot write ") + file;
        out.write(QJsonDocument(QJsonObject{{QStringLiteral("tasks"), tasks}}).toJson());
        out.close();
        const CliTest::Run emitted =
            cli({QStringLiteral("emit"), QStringLiteral("TASKS_CREATED"), QStringLiteral("--data"),
                 file, QStringLiteral("--queue")});
        if (emitted.exitCode != 0)
            return CliTest::describe(emitted);
    }
    return {};
}

TeamSetup::Arrivals TeamSetup::arrivals() const
{
    Arrivals result;
    Database db;
    if (db.open(m_db))
        return result;
    QHash<QString, QPair<qint64, qint64>> deliveryOf; // message id -> hook, delivery
    QSqlQuery query(db.connection());
    if (!query.exec(QStringLiteral("SELECT message_id, webhook_id, id FROM deliveries")))
        return result;
    while (query.next())
        deliveryOf.insert(query.value(0).toString(),
                          {query.value(1).toLongLong(), query.value(2).toLongLong()});
    result.deliveries = deliveryOf.size();
    QSet<QString> seen;
    QHash<qint64, qint64> lastOfHook;
    for (const QString &line : CliTest::receiverLog(m_log)) {
        const QString id = line.section(QLatin1Char(' '), 0, 0);
        if (!deliveryOf.contains(id)) {
            result.unknown.append(line);
            continue;
        }
        if (seen.contains(id)) {
            ++result.duplicates;
            continue;
        }
        seen.insert(id);
        const auto [hook, delivery] = deliveryOf.value(id);
        if (delivery < lastOfHook.value(hook))
            result.outOfOrder.append(QStringLiteral("hook %1: delivery %2 after %3")
                                         .arg(hook)
                                         .arg(delivery)
                                         .arg(lastOfHook.value(hook)));
        lastOfHook[hook] = delivery;
    }
    result.arrived = seen.size();
    return result;
}
