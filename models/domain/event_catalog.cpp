#include "event_catalog.h"

#include <QJsonArray>
#include <algorithm>

namespace {

EventType builtIn(const char *key, const QString &name, const QString &description,
                  const char *payloadKey, bool isList, bool orgOnly, const char *group)
{
    return EventType{QLatin1String(key),        name,   description,
                     QLatin1String(payloadKey), isList, orgOnly,
                     QLatin1String(group),      true};
}

QJsonObject sampleTask(qint64 id, qint64 projectId)
{
    return QJsonObject{
        {QStringLiteral("id"), id},
        {QStringLiteral("data"),
         QJsonObject{{QStringLiteral("image"),
                      QStringLiteral("s3://datasets/street-scenes/frame_%1.jpg").arg(id)},
                     {QStringLiteral("captured_at"), QStringLiteral("2026-10-02T08:14:00Z")}}},
        {QStringLiteral("meta"),
         QJsonObject{{QStringLiteral("source"), QStringLiteral("camera-7")}}},
        {QStringLiteral("created_at"), QStringLiteral("2026-11-02T09:30:12.482Z")},
        {QStringLiteral("updated_at"), QStringLiteral("2026-11-02T09:30:12.482Z")},
        {QStringLiteral("is_labeled"), false},
        {QStringLiteral("overlap"), 1},
        {QStringLiteral("inner_id"), id - 1000},
        {QStringLiteral("total_annotations"), 1},
        {QStringLiteral("cancelled_annotations"), 0},
        {QStringLiteral("total_predictions"), 1},
        {QStringLiteral("comment_count"), 0},
        {QStringLiteral("unresolved_comment_count"), 0},
        {QStringLiteral("last_comment_updated_at"), QJsonValue::Null},
        {QStringLiteral("file_upload"), 17},
        {QStringLiteral("updated_by"), 3},
        {QStringLiteral("project"), projectId},
    };
}

QJsonObject sampleAnnotation(qint64 id, qint64 taskId, qint64 projectId)
{
    const QJsonObject value{
        {QStringLiteral("x"), 12.5},
        {QStringLiteral("y"), 40.25},
        {QStringLiteral("width"), 18.0},
        {QStringLiteral("height"), 22.75},
        {QStringLiteral("rotation"), 0},
        {QStringLiteral("rectanglelabels"), QJsonArray{QStringLiteral("Car")}},
    };
    const QJsonObject region{
        {QStringLiteral("id"), QStringLiteral("Xr7aK2_p1Q")},
        {QStringLiteral("type"), QStringLiteral("rectanglelabels")},
        {QStringLiteral("from_name"), QStringLiteral("label")},
        {QStringLiteral("to_name"), QStringLiteral("image")},
        {QStringLiteral("original_width"), 1920},
        {QStringLiteral("original_height"), 1080},
        {QStringLiteral("origin"), QStringLiteral("manual")},
        {QStringLiteral("value"), value},
    };
    return QJsonObject{
        {QStringLiteral("id"), id},
        {QStringLiteral("result"), QJsonArray{region}},
        {QStringLiteral("was_cancelled"), false},
        {QStringLiteral("ground_truth"), false},
        {QStringLiteral("created_at"), QStringLiteral("2026-11-02T10:02:41.115Z")},
        {QStringLiteral("updated_at"), QStringLiteral("2026-11-02T10:02:41.115Z")},
        {QStringLiteral("draft_created_at"), QJsonValue::Null},
        {QStringLiteral("lead_time"), 37.412},
        {QStringLiteral("prediction"), QJsonObject{}},
        {QStringLiteral("result_count"), 1},
        {QStringLiteral("unique_id"), QStringLiteral("0b8f3c1e-5f0a-4a8e-9d52-6e1a4c2b7d90")},
        {QStringLiteral("import_id"), QJsonValue::Null},
        {QStringLiteral("last_action"), QJsonValue::Null},
        {QStringLiteral("task"), taskId},
        {QStringLiteral("project"), projectId},
        {QStringLiteral("completed_by"), 3},
        {QStringLiteral("updated_by"), 3},
        {QStringLiteral("parent_prediction"), QJsonValue::Null},
        {QStringLiteral("parent_annotation"), QJsonValue::Null},
        {QStringLiteral("last_created_by"), QJsonValue::Null},
    };
}

QJsonObject sampleLabelLink(qint64 id, qint64 projectId)
{
    return QJsonObject{
        {QStringLiteral("id"), id},
        {QStringLiteral("from_name"), QStringLiteral("label")},
        {QStringLiteral("project"), projectId},
        {QStringLiteral("label"), 12},
    };
}

QJsonObject sampleLabel()
{
    return QJsonObject{
        {QStringLiteral("id"), 12},
        {QStringLiteral("created_at"), QStringLiteral("2026-10-30T15:20:00.000Z")},
        {QStringLiteral("updated_at"), QStringLiteral("2026-11-01T11:05:00.000Z")},
        {QStringLiteral("value"),
         QJsonObject{{QStringLiteral("rectanglelabels"), QJsonArray{QStringLiteral("Car")}}}},
        {QStringLiteral("title"), QStringLiteral("Car")},
        {QStringLiteral("description"), QStringLiteral("Passenger cars, vans and pick-ups")},
        {QStringLiteral("approved"), true},
        {QStringLiteral("created_by"), 3},
        {QStringLiteral("organization"), 1},
    };
}

QJsonObject idOnly(qint64 id)
{
    return QJsonObject{{QStringLiteral("id"), id}};
}

} // namespace

EventCatalog::EventCatalog()
    : m_types(builtInTypes())
{
}

EventCatalog::EventCatalog(const QList<EventType> &customTypes)
    : m_types(builtInTypes())
{
    for (EventType type : customTypes) {
        type.builtIn = false;
        type.organizationOnly = false;
        type.group = CustomGroup;
        m_types.append(type);
    }
}

const QList<EventType> &EventCatalog::builtInTypes()
{
    static const QList<EventType> types{
        builtIn("PROJECT_CREATED", tr("Project created"), tr("A new project was created."),
                "project", false, true, "Project"),
        builtIn("PROJECT_UPDATED", tr("Project updated"),
                tr("A project's settings or labeling configuration changed."), "project", false,
                false, "Project"),
        builtIn("PROJECT_DELETED", tr("Project deleted"),
                tr("A project was deleted; the payload holds only its id."), "project", false, true,
                "Project"),
        builtIn("TASKS_CREATED", tr("Task created"), tr("Tasks were imported into a project."),
                "tasks", true, false, "Tasks"),
        builtIn("TASKS_DELETED", tr("Task deleted"),
                tr("Tasks were deleted; the payload holds only their ids."), "tasks", true, false,
                "Tasks"),
        builtIn("ANNOTATION_CREATED", tr("Annotation created"),
                tr("An annotator submitted an annotation."), "annotation", false, false,
                "Annotations"),
        builtIn("ANNOTATIONS_CREATED", tr("Annotations created"),
                tr("Several annotations were created at once, e.g. by an import."), "annotation",
                true, false, "Annotations"),
        builtIn("ANNOTATION_UPDATED", tr("Annotation updated"),
                tr("An existing annotation was changed."), "annotation", false, false,
                "Annotations"),
        builtIn("ANNOTATIONS_DELETED", tr("Annotation deleted"),
                tr("Annotations were deleted; the payload holds only their ids."), "annotations",
                true, false, "Annotations"),
        builtIn("LABEL_LINK_CREATED", tr("Label link created"),
                tr("Labels were linked to a project's labeling configuration."), "label_link", true,
                false, "Label links"),
        builtIn("LABEL_LINK_UPDATED", tr("Label link updated"), tr("A label link was changed."),
                "label_link", false, false, "Label links"),
        builtIn("LABEL_LINK_DELETED", tr("Label link deleted"),
                tr("A label link was removed; the payload holds only its id."), "label_link", false,
                false, "Label links"),
        builtIn("WEBHOOK_DISABLED", tr("Webhook disabled"),
                tr("The engine deactivated a webhook, e.g. after 410 Gone or a long outage."),
                "webhook", false, true, "Operations"),
        builtIn("WEBHOOK_PAUSED", tr("Webhook paused"),
                tr("The circuit breaker paused a webhook after failed deliveries in a row."),
                "webhook", false, true, "Operations"),
        builtIn("DELIVERY_EXHAUSTED", tr("Delivery exhausted"),
                tr("A delivery failed for good: no attempt follows."), "webhook", false, true,
                "Operations"),
    };
    return types;
}

QStringList EventCatalog::groups()
{
    return {QStringLiteral("Project"),     QStringLiteral("Tasks"), QStringLiteral("Annotations"),
            QStringLiteral("Label links"), OperationsGroup,         CustomGroup};
}

bool EventCatalog::isOperational(const QString &key)
{
    return key == WebhookDisabledKey || key == WebhookPausedKey || key == DeliveryExhaustedKey;
}

QString EventCatalog::groupTitle(const QString &group)
{
    if (group == QLatin1String("Project"))
        return tr("Project");
    if (group == QLatin1String("Tasks"))
        return tr("Tasks");
    if (group == QLatin1String("Annotations"))
        return tr("Annotations");
    if (group == QLatin1String("Label links"))
        return tr("Label links");
    if (group == OperationsGroup)
        return tr("Operations");
    if (group == CustomGroup)
        return tr("Custom");
    return group;
}

QList<EventType> EventCatalog::typesInGroup(const QString &group) const
{
    QList<EventType> result;
    for (const EventType &type : m_types) {
        if (type.group == group)
            result.append(type);
    }
    return result;
}

std::optional<EventType> EventCatalog::find(const QString &key) const
{
    for (const EventType &type : m_types) {
        if (type.key == key)
            return type;
    }
    return std::nullopt;
}

QStringList EventCatalog::sorted(const QStringList &keys) const
{
    QStringList known;
    QStringList unknown;
    for (const EventType &type : m_types) {
        if (keys.contains(type.key))
            known.append(type.key);
    }
    for (const QString &key : keys) {
        if (!known.contains(key) && !unknown.contains(key))
            unknown.append(key);
    }
    std::sort(unknown.begin(), unknown.end());
    return known + unknown;
}

QJsonObject EventCatalog::sampleProject(qint64 id, const QString &title)
{
    return QJsonObject{
        {QStringLiteral("id"), id},
        {QStringLiteral("title"), title.isEmpty() ? QStringLiteral("Street scenes") : title},
        {QStringLiteral("description"), QStringLiteral("Bounding boxes for vehicles")},
        {QStringLiteral("label_config"),
         QStringLiteral("<View><Image name=\"image\" value=\"$image\"/><RectangleLabels "
                        "name=\"label\" toName=\"image\"><Label value=\"Car\"/><Label "
                        "value=\"Pedestrian\"/></RectangleLabels></View>")},
        {QStringLiteral("expert_instruction"), QString()},
        {QStringLiteral("show_instruction"), false},
        {QStringLiteral("show_skip_button"), true},
        {QStringLiteral("enable_empty_annotation"), true},
        {QStringLiteral("maximum_annotations"), 1},
        {QStringLiteral("is_published"), true},
        {QStringLiteral("is_draft"), false},
        {QStringLiteral("organization"), 1},
        {QStringLiteral("created_by"), 3},
        {QStringLiteral("created_at"), QStringLiteral("2026-10-30T15:12:09.304Z")},
        {QStringLiteral("task_number"), 1500},
        {QStringLiteral("finished_task_number"), 642},
        {QStringLiteral("total_annotations_number"), 704},
        {QStringLiteral("total_predictions_number"), 1500},
        {QStringLiteral("num_tasks_with_annotations"), 642},
        {QStringLiteral("useful_annotation_number"), 690},
        {QStringLiteral("skipped_annotations_number"), 14},
        {QStringLiteral("sampling"), QStringLiteral("Sequential sampling")},
        {QStringLiteral("color"), QStringLiteral("#FFFFFF")},
        {QStringLiteral("pinned_at"), QJsonValue::Null},
    };
}

QJsonObject EventCatalog::samplePayload(const QString &key) const
{
    const qint64 projectId = 1;
    if (key == QLatin1String("PROJECT_CREATED") || key == QLatin1String("PROJECT_UPDATED"))
        return {{QStringLiteral("project"), sampleProject(projectId)}};
    if (key == QLatin1String("PROJECT_DELETED"))
        return {{QStringLiteral("project"), idOnly(projectId)}};
    if (key == QLatin1String("TASKS_CREATED"))
        return {{QStringLiteral("tasks"),
                 QJsonArray{sampleTask(1041, projectId), sampleTask(1042, projectId)}}};
    if (key == QLatin1String("TASKS_DELETED"))
        return {{QStringLiteral("tasks"), QJsonArray{idOnly(1041), idOnly(1042)}}};
    if (key == QLatin1String("ANNOTATION_CREATED") || key == QLatin1String("ANNOTATION_UPDATED"))
        return {{QStringLiteral("annotation"), sampleAnnotation(5120, 1041, projectId)},
                {QStringLiteral("task"), sampleTask(1041, projectId)}};
    if (key == QLatin1String("ANNOTATIONS_CREATED"))
        return {{QStringLiteral("annotation"), QJsonArray{sampleAnnotation(5120, 1041, projectId),
                                                          sampleAnnotation(5121, 1042, projectId)}},
                {QStringLiteral("task"),
                 QJsonArray{sampleTask(1041, projectId), sampleTask(1042, projectId)}}};
    if (key == QLatin1String("ANNOTATIONS_DELETED"))
        return {{QStringLiteral("annotations"), QJsonArray{idOnly(5120), idOnly(5121)}}};
    if (key == QLatin1String("LABEL_LINK_CREATED"))
        return {{QStringLiteral("label_link"), QJsonArray{sampleLabelLink(88, projectId)}}};
    if (key == QLatin1String("LABEL_LINK_UPDATED"))
        return {{QStringLiteral("label_link"), sampleLabelLink(88, projectId)},
                {QStringLiteral("label"), sampleLabel()}};
    if (key == QLatin1String("LABEL_LINK_DELETED"))
        return {{QStringLiteral("label_link"), idOnly(88)}};
    if (key == PingKey)
        return {{QStringLiteral("message"), QStringLiteral("Test delivery from Webhook Admin")}};
    if (isOperational(key)) {
        const bool exhausted = key == DeliveryExhaustedKey;
        const bool paused = key == WebhookPausedKey;
        return {{QStringLiteral("webhook"),
                 QJsonObject{{QStringLiteral("id"), 7},
                             {QStringLiteral("url"),
                              QStringLiteral("https://trainer.example.com/hook?token=••••••")}}},
                {QStringLiteral("reason"),
                 exhausted ? QStringLiteral("All 8 attempts failed.")
                 : paused  ? QStringLiteral("5 deliveries in a row failed; the last: HTTP 500")
                           : QStringLiteral("410 Gone: the receiver says this webhook is gone.")},
                {QStringLiteral("last_error"),
                 exhausted || paused ? QStringLiteral("HTTP 500 Internal Server Error")
                                     : QStringLiteral("HTTP 410 Gone")},
                {QStringLiteral("delivery_id"), 4211},
                {QStringLiteral("occurred_at"), QStringLiteral("2026-11-02T10:00:00.000Z")}};
    }

    // Custom types: a small object (or a list of one) under their payload key.
    const std::optional<EventType> type = find(key);
    if (!type)
        return {};
    const QJsonObject item{{QStringLiteral("id"), 1},
                           {QStringLiteral("event"), type->key},
                           {QStringLiteral("created_at"), QStringLiteral("2026-11-02T10:00:00Z")},
                           {QStringLiteral("project"), projectId}};
    return {{type->payloadKey, type->isList ? QJsonValue(QJsonArray{item}) : QJsonValue(item)}};
}
