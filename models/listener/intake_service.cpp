#include "intake_service.h"

#include "delivery/delivery_store.h"
#include "delivery/payload_builder.h"
#include "domain/event_catalog.h"
#include "store/database.h"
#include "store/hook_store.h"
#include "store/intake_store.h"
#include "store/statement_cache.h"
#include "store/transaction.h"

#include <QJsonDocument>
#include <QUrlQuery>

namespace {

const QLatin1String ProjectKey("project");

QByteArray header(const ListenerRequest &request, const QByteArray &name)
{
    for (const auto &[key, value] : request.headers) {
        if (key.compare(name, Qt::CaseInsensitive) == 0)
            return value;
    }
    return {};
}

// Idempotency-Key, else the webhook-id a Standard Webhooks sender puts on
// every retry of one message.
QString idempotencyKey(const ListenerRequest &request)
{
    QByteArray key = header(request, "Idempotency-Key").trimmed();
    if (key.isEmpty())
        key = header(request, "webhook-id").trimmed();
    return QString::fromUtf8(key.left(512));
}

ListenerReply json(int status, const QJsonObject &object)
{
    ListenerReply reply;
    reply.status = status;
    reply.body = QJsonDocument(object).toJson(QJsonDocument::Compact);
    return reply;
}

} // namespace

IntakeService::IntakeService(Database *database)
    : m_database(database)
    , m_store(std::make_unique<IntakeStore>(database))
    , m_statements(std::make_unique<StatementCache>(database))
{
}

IntakeService::~IntakeService() = default;

ListenerReply IntakeService::error(int status, const QString &message)
{
    return json(status, QJsonObject{{QStringLiteral("error"), message}});
}

ListenerReply IntakeService::storageError(const StorageError &e)
{
    switch (e.kind) {
    case StorageError::Kind::Invalid:
    case StorageError::Kind::NotFound:
        return error(422, e.message);
    case StorageError::Kind::Locked:
    case StorageError::Kind::Full:
    case StorageError::Kind::ReadOnly: {
        ListenerReply reply = error(503, e.message);
        reply.headers.append(
            qMakePair(QByteArray("Retry-After"), QByteArray(QByteArray::number(RetryAfterSecs))));
        return reply;
    }
    default:
        return error(500, e.message);
    }
}

qint64 IntakeService::acceptedEvent(const ListenerReply &reply)
{
    if (reply.status != 202 && reply.status != 200)
        return 0;
    return QJsonDocument::fromJson(reply.body).object().value(QLatin1String("event")).toInteger();
}

ListenerReply IntakeService::health()
{
    if (Status s = m_store->ping(); !s) {
        ListenerReply reply = error(503, s.error().message);
        reply.headers.append(
            qMakePair(QByteArray("Retry-After"), QByteArray(QByteArray::number(RetryAfterSecs))));
        return reply;
    }
    return json(200, QJsonObject{{QStringLiteral("status"), QStringLiteral("ok")}});
}

IntakeService::Checked IntakeService::labelStudio(const ListenerRequest &request)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(request.body, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return error(400, tr("The body is not JSON: %1 at byte %2.")
                              .arg(parseError.errorString())
                              .arg(parseError.offset));
    if (!document.isObject())
        return error(400, tr("The body must be a JSON object."));
    QJsonObject data = document.object();
    const QJsonValue action = data.value(QLatin1String("action"));
    if (!action.isString() || action.toString().isEmpty())
        return error(400, tr("The body has no \"action\" naming the event type."));
    data.remove(QStringLiteral("action"));

    // The project Label Studio names scopes the event, except for the
    // organization-only events, whose "project" is their payload.
    std::optional<qint64> projectId;
    std::optional<QString> title;
    Result<const EventCatalog *> catalog = this->catalog(action.toString());
    if (!catalog)
        return storageError(catalog.error());
    const std::optional<EventType> type = catalog.value()->find(action.toString());
    if (type && !type->organizationOnly && data.value(ProjectKey).isObject()) {
        const QJsonObject project = data.value(ProjectKey).toObject();
        if (project.contains(QLatin1String("id"))) {
            const QJsonValue id = project.value(QLatin1String("id"));
            if (!id.isDouble() || id.toDouble() != double(id.toInteger()) || id.toInteger() <= 0)
                return error(400, tr("\"project.id\" must be a positive whole number."));
            projectId = id.toInteger();
            const QJsonValue t = project.value(QLatin1String("title"));
            title = t.isString() ? t.toString() : QString();
        }
    }
    return check(request, action.toString(), projectId, std::move(data), std::move(title));
}

IntakeService::Checked IntakeService::events(const QString &action, const ListenerRequest &request)
{
    std::optional<qint64> projectId;
    const QUrlQuery query(request.query);
    if (query.hasQueryItem(QStringLiteral("project"))) {
        bool ok = false;
        const qint64 id = query.queryItemValue(QStringLiteral("project")).toLongLong(&ok);
        if (!ok || id <= 0)
            return error(400, tr("\"project\" in the query must be a project id."));
        projectId = id;
    }
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(request.body, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return error(400, tr("The body is not JSON: %1 at byte %2.")
                              .arg(parseError.errorString())
                              .arg(parseError.offset));
    if (!document.isObject())
        return error(400, tr("The body must be a JSON object."));
    return check(request, action, projectId, document.object(), std::nullopt);
}

Result<const EventCatalog *> IntakeService::catalog(const QString &action)
{
    constexpr qint64 MaxAgeMs = 1000;
    if (m_catalog && m_catalogAge.elapsed() < MaxAgeMs && m_catalog->contains(action))
        return &*m_catalog;
    const HookStore hooks(m_database);
    Result<QList<EventType>> custom = hooks.customEventTypes();
    if (!custom)
        return custom.error();
    m_catalog = EventCatalog(custom.value());
    m_catalogAge.start();
    return &*m_catalog;
}

IntakeService::Checked IntakeService::check(const ListenerRequest &request, const QString &action,
                                            std::optional<qint64> projectId, QJsonObject data,
                                            std::optional<QString> projectTitle)
{
    Result<const EventCatalog *> catalog = this->catalog(action);
    if (!catalog)
        return storageError(catalog.error());
    const std::optional<EventType> type = catalog.value()->find(action);
    if (!type || action == EventCatalog::PingKey)
        return error(
            422, tr("Unknown event type %1; `webhook-admin events add` creates it.").arg(action));
    if (type->organizationOnly && projectId)
        return error(422, tr("%1 is an organization-only event; it takes no project.").arg(action));
    if (const QString e = PayloadBuilder::checkData(*type, data); !e.isEmpty())
        return error(422, e);
    return IntakeSubmission{action, projectId, std::move(projectTitle), std::move(data),
                            idempotencyKey(request)};
}

Result<ListenerReply> IntakeService::store(const IntakeSubmission &submission, const QDateTime &now)
{
    IntakeStore &intake = *m_store;
    const QString &key = submission.idempotencyKey;
    // Inside the batch's transaction this also sees the keys of the requests
    // stored before this one in the same batch.
    const auto replayed = [&]() -> Result<std::optional<ListenerReply>> {
        if (key.isEmpty())
            return std::optional<ListenerReply>();
        Result<std::optional<qint64>> first = intake.eventForKey(key, now);
        if (!first)
            return first.error();
        if (!first.value())
            return std::optional<ListenerReply>();
        return std::optional<ListenerReply>(
            json(200, QJsonObject{{QStringLiteral("event"), *first.value()},
                                  {QStringLiteral("duplicate"), true}}));
    };
    if (Result<std::optional<ListenerReply>> reply = replayed(); !reply)
        return reply.error();
    else if (reply.value())
        return *reply.value();

    Result<const EventCatalog *> catalog = this->catalog(submission.action);
    if (!catalog)
        return catalog.error();

    // The project and the event, all or nothing. Mostly the project is known
    // as it is, and the event's own transaction is enough.
    const QString context = tr("Storing the %1 event").arg(submission.action);
    std::optional<Transaction> transaction;
    if (submission.projectId && submission.projectTitle) {
        Result<bool> stored =
            intake.projectIsStored(*submission.projectId, *submission.projectTitle);
        if (!stored)
            return stored.error();
        if (!stored.value()) {
            transaction.emplace(m_database->connection());
            if (!transaction->isOpen())
                return StorageError::fromSql(transaction->error(), context);
            if (Status s = intake.upsertProject(*submission.projectId, *submission.projectTitle);
                !s)
                return s.error();
        }
    }
    DeliveryStore deliveries(m_database);
    deliveries.setStatementCache(m_statements.get());
    Result<EmitResult> emitted =
        deliveries.emitEvent(*catalog.value(), submission.action, submission.projectId,
                             submission.data, now, [&](qint64 eventId) -> Status {
                                 if (key.isEmpty())
                                     return Done{};
                                 return intake.rememberKey(key, eventId, now);
                             });
    if (!emitted) {
        switch (emitted.error().kind) {
        case StorageError::Kind::Invalid:
        case StorageError::Kind::NotFound:
            return storageError(emitted.error()); // 422, the request's own fault
        default:
            break;
        }
        // Another writer stored the same key first.
        if (Result<std::optional<ListenerReply>> reply = replayed(); reply && reply.value())
            return *reply.value();
        return emitted.error();
    }
    if (transaction && !transaction->commit())
        return StorageError::fromSql(transaction->error(), context);
    return json(202, QJsonObject{{QStringLiteral("event"), emitted->eventId},
                                 {QStringLiteral("deliveries"), emitted->deliveryIds.size()}});
}
