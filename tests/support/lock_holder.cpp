#include "lock_holder.h"

#include "store/database.h"
#include "store/sql_dialect.h"

#include <QSqlError>
#include <QSqlQuery>

LockHolder::LockHolder(const QString &location, int holdMs)
    : m_location(location)
    , m_holdMs(holdMs)
{
}

LockHolder::~LockHolder()
{
    wait();
}

void LockHolder::run()
{
    {
        Database database;
        if (const std::optional<StorageError> error = database.open(m_location)) {
            m_error = error->message;
            m_released = true;
            return;
        }
        QSqlQuery query(database.connection());
        const bool server = SqlDialect::isPostgres(database.connection());
        const QStringList begin =
            server ? QStringList{QStringLiteral("BEGIN"),
                                 QStringLiteral("LOCK TABLE webhooks, webhook_headers, "
                                                "webhook_actions, projects, event_types, events, "
                                                "deliveries, attempts, settings, inbox_requests "
                                                "IN EXCLUSIVE MODE")}
                   : QStringList{QStringLiteral("BEGIN IMMEDIATE")};
        for (const QString &sql : begin) {
            if (!query.exec(sql)) {
                m_error = query.lastError().text();
                m_released = true;
                return;
            }
        }
        m_holding = true;
        QThread::msleep(m_holdMs);
        if (!query.exec(QStringLiteral("COMMIT")))
            m_error = query.lastError().text();
        m_holding = false;
    }
    m_released = true;
}
