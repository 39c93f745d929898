#include "intake_service.h"

#include "delivery/delivery_store.h"
#include "delivery/payload_builder.h"
#include "domain/event_catalog.h"
#include "store/hook_store.h"
#include "store/intake_store.h"

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
{
}

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
    IntakeStore store(m_database);
    if (Status s = store.ping(); !s) {
        ListenerReply reply = error(503, s.error().message);
        reply.headers.append(
            qMakePair(QByteArray("Retry-After"), QByteArray(QByteArray::number(RetryAfterSecs))));
        return reply;
    }
    return json(200, QJsonObject{{QStringLiteral("status"), QStringLiteral("ok")}});
}

ListenerReply IntakeService::labelStudio(const ListenerRequest &request)
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
    Result<EventCatalog> catalog = this->catalog(action.toString());
    if (!catalog)
        return storageError(catalog.error());
    const std::optional<EventType> type = catalog->find(action.toString());
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
    return store(request, action.toString(), projectId, data, title);
}

ListenerReply IntakeService::events(const QString &action, const ListenerRequest &request)
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
    return store(request, action, projectId, document.object(), std::nullopt);
}

Result<EventCatalog> IntakeService::catalog(const QString &action)
{
    constexpr qint64 MaxAgeMs = 1000;
    if (m_catalog && m_catalogAge.elapsed() < MaxAgeMs && m_catalog->contains(action))
        return *m_catalog;
    const HookStore hooks(m_database);
    Result<QList<EventType>> custom = hooks.customEventTypes();
    if (!custom)
        return custom.error();
    m_catalog = EventCatalog(custom.value());
    m_catalogAge.start();
    return *m_catalog;
}

ListenerReply IntakeService::store(const ListenerRequest &request, const QString &action,
                                   std::optional<qint64> projectId, const QJsonObject &data,
                                   const std::optional<QString> &projectTitle)
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    IntakeStore intake(m_database);
    const QString key = idempotencyKey(request);
    const auto replayed = [&]() -> std::optional<ListenerReply> {
        if (key.isEmpty())
            return std::nullopt;
        Result<std::optional<qint64>> first = intake.eventForKey(key, now);
        if (!first)
            return storageError(first.error());
        if (!first.value())
            return std::nullopt;
        return json(200, QJsonObject{{QStringLiteral("event"), *first.value()},
                                     {QStringLiteral("duplicate"), true}});
    };
    if (std::optional<ListenerReply> reply = replayed())
        return *reply;

    Result<EventCatalog> read = this->catalog(action);
    if (!read)
        return storageError(read.error());
    const EventCatalog &catalog = read.value();
    const std::optional<EventType> type = catalog.find(action);
    if (!type || action == EventCatalog::PingKey)
        return error(
            422, tr("Unknown event type %1; `webhook-admin events add` creates it.").arg(action));
    if (type->organizationOnly && projectId)
        return error(422, tr("%1 is an organization-only event; it takes no project.").arg(action));
    if (const QString e = PayloadBuilder::checkData(*type, data); !e.isEmpty())
        return error(422, e);

    // Only now, with the request known to be good, may the project be stored.
    if (projectId && projectTitle) {
        if (Status s = intake.upsertProject(*projectId, *projectTitle); !s)
            return storageError(s.error());
    }

    DeliveryStore deliveries(m_database);
    Result<EmitResult> emitted =
        deliveries.emitEvent(catalog, action, projectId, data, now, [&](qint64 eventId) -> Status {
            if (key.isEmpty())
                return Done{};
            return intake.rememberKey(key, eventId, now);
        });
    if (!emitted) {
        // Another request with the same key committed first.
        if (std::optional<ListenerReply> reply = replayed(); reply && reply->status == 200)
            return *reply;
        return storageError(emitted.error());
    }
    return json(202, QJsonObject{{QStringLiteral("event"), emitted->eventId},
                                 {QStringLiteral("deliveries"), emitted->deliveryIds.size()}});
}
