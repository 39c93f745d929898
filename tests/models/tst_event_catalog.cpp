#include "domain/event_catalog.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <QTest>

namespace {

const QStringList TaskFields{
    QStringLiteral("id"),
    QStringLiteral("data"),
    QStringLiteral("meta"),
    QStringLiteral("is_labeled"),
    QStringLiteral("overlap"),
    QStringLiteral("inner_id"),
    QStringLiteral("total_annotations"),
    QStringLiteral("cancelled_annotations"),
    QStringLiteral("total_predictions"),
    QStringLiteral("project"),
};
const QStringList AnnotationFields{
    QStringLiteral("id"),           QStringLiteral("result"),     QStringLiteral("was_cancelled"),
    QStringLiteral("ground_truth"), QStringLiteral("created_at"), QStringLiteral("updated_at"),
    QStringLiteral("lead_time"),    QStringLiteral("task"),       QStringLiteral("project"),
    QStringLiteral("completed_by"),
};
const QStringList ProjectFields{
    QStringLiteral("id"),
    QStringLiteral("title"),
    QStringLiteral("label_config"),
    QStringLiteral("organization"),
    QStringLiteral("created_by"),
    QStringLiteral("task_number"),
    QStringLiteral("finished_task_number"),
};

// The fields of a sample object that a receiver expects but are not there.
QStringList missingFields(const QJsonObject &object, const QStringList &fields)
{
    QStringList missing;
    for (const QString &field : fields) {
        if (!object.contains(field))
            missing.append(field);
    }
    return missing;
}

QList<QJsonObject> objectsOf(const QJsonValue &value)
{
    QList<QJsonObject> objects;
    if (value.isObject())
        objects.append(value.toObject());
    for (const QJsonValue &item : value.toArray())
        objects.append(item.toObject());
    return objects;
}

bool isIdOnly(const QJsonObject &object)
{
    return object.size() == 1 && object.value(QStringLiteral("id")).isDouble() &&
           object.value(QStringLiteral("id")).toInteger() > 0;
}

EventType custom(const QString &key, const QString &payloadKey, bool isList)
{
    EventType type;
    type.key = key;
    type.name = QStringLiteral("Custom %1").arg(key);
    type.payloadKey = payloadKey;
    type.isList = isList;
    // What a careless caller might pass; the catalog must override these.
    type.organizationOnly = true;
    type.group = QStringLiteral("Project");
    type.builtIn = true;
    return type;
}

} // namespace

class TestEventCatalog : public QObject
{
    Q_OBJECT

private slots:
    void builtInsInLabelStudioOrder();
    void builtIn_data();
    void builtIn();
    void groups();
    void samplePayloadShape_data();
    void samplePayloadShape();
    void sampleTasksHaveFields();
    void sampleAnnotationsHaveFields();
    void sampleProjectHasFields();
    void annotationPayloadTaskMatches();
    void labelLinkUpdatedHasLabel();
    void ping();
    void customTypes();
    void customSamplePayload_data();
    void customSamplePayload();
    void sorted();
};

void TestEventCatalog::builtInsInLabelStudioOrder()
{
    const QStringList expected{
        QStringLiteral("PROJECT_CREATED"),
        QStringLiteral("PROJECT_UPDATED"),
        QStringLiteral("PROJECT_DELETED"),
        QStringLiteral("TASKS_CREATED"),
        QStringLiteral("TASKS_DELETED"),
        QStringLiteral("ANNOTATION_CREATED"),
        QStringLiteral("ANNOTATIONS_CREATED"),
        QStringLiteral("ANNOTATION_UPDATED"),
        QStringLiteral("ANNOTATIONS_DELETED"),
        QStringLiteral("LABEL_LINK_CREATED"),
        QStringLiteral("LABEL_LINK_UPDATED"),
        QStringLiteral("LABEL_LINK_DELETED"),
        // Operational events: the engine's, about a hook that broke.
        QStringLiteral("WEBHOOK_DISABLED"),
        QStringLiteral("WEBHOOK_PAUSED"),
        QStringLiteral("DELIVERY_EXHAUSTED"),
    };
    QStringList keys;
    for (const EventType &type : EventCatalog::builtInTypes())
        keys.append(type.key);
    QCOMPARE(keys, expected);

    QStringList catalogKeys;
    const EventCatalog catalog; // types() refers into it: keep it alive
    for (const EventType &type : catalog.types())
        catalogKeys.append(type.key);
    QCOMPARE(catalogKeys, expected);
}

void TestEventCatalog::builtIn_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("payloadKey");
    QTest::addColumn<bool>("isList");
    QTest::addColumn<bool>("organizationOnly");
    QTest::addColumn<QString>("group");

    const auto row = [](const char *key, const char *payloadKey, bool isList, bool orgOnly,
                        const char *group) {
        QTest::newRow(key) << QString::fromLatin1(key) << QString::fromLatin1(payloadKey) << isList
                           << orgOnly << QString::fromLatin1(group);
    };
    row("PROJECT_CREATED", "project", false, true, "Project");
    row("PROJECT_UPDATED", "project", false, false, "Project");
    row("PROJECT_DELETED", "project", false, true, "Project");
    row("TASKS_CREATED", "tasks", true, false, "Tasks");
    row("TASKS_DELETED", "tasks", true, false, "Tasks");
    row("ANNOTATION_CREATED", "annotation", false, false, "Annotations");
    row("ANNOTATIONS_CREATED", "annotation", true, false, "Annotations");
    row("ANNOTATION_UPDATED", "annotation", false, false, "Annotations");
    row("ANNOTATIONS_DELETED", "annotations", true, false, "Annotations");
    row("LABEL_LINK_CREATED", "label_link", true, false, "Label links");
    row("LABEL_LINK_UPDATED", "label_link", false, false, "Label links");
    row("LABEL_LINK_DELETED", "label_link", false, false, "Label links");
}

void TestEventCatalog::builtIn()
{
    QFETCH(QString, key);
    QFETCH(QString, payloadKey);
    QFETCH(bool, isList);
    QFETCH(bool, organizationOnly);
    QFETCH(QString, group);

    const EventCatalog catalog;
    const std::optional<EventType> type = catalog.find(key);
    QVERIFY(type.has_value());
    QCOMPARE(type->key, key);
    QCOMPARE(type->payloadKey, payloadKey);
    QCOMPARE(type->isList, isList);
    QCOMPARE(type->organizationOnly, organizationOnly);
    QCOMPARE(type->group, group);
    QVERIFY(type->builtIn);
    QVERIFY(!type->name.trimmed().isEmpty());
    QVERIFY(!type->description.trimmed().isEmpty());
    QVERIFY(catalog.contains(key));
    QVERIFY(!catalog.contains(key.toLower()));
}

void TestEventCatalog::groups()
{
    QCOMPARE(EventCatalog::groups(),
             (QStringList{QStringLiteral("Project"), QStringLiteral("Tasks"),
                          QStringLiteral("Annotations"), QStringLiteral("Label links"),
                          QStringLiteral("Operations"), QStringLiteral("Custom")}));
    const EventCatalog catalog;
    QCOMPARE(catalog.typesInGroup(QStringLiteral("Project")).size(), 3);
    QCOMPARE(catalog.typesInGroup(QStringLiteral("Tasks")).size(), 2);
    QCOMPARE(catalog.typesInGroup(QStringLiteral("Annotations")).size(), 4);
    QCOMPARE(catalog.typesInGroup(QStringLiteral("Label links")).size(), 3);
    QCOMPARE(catalog.typesInGroup(QStringLiteral("Operations")).size(), 3);
    QVERIFY(catalog.typesInGroup(QStringLiteral("Custom")).isEmpty());
    QCOMPARE(catalog.typesInGroup(QStringLiteral("Annotations")).first().key,
             QStringLiteral("ANNOTATION_CREATED"));
    // Every type sits in a group the UI shows, and every group has a title.
    for (const EventType &type : catalog.types())
        QVERIFY2(EventCatalog::groups().contains(type.group), qPrintable(type.key));
    for (const QString &group : EventCatalog::groups())
        QVERIFY(!EventCatalog::groupTitle(group).isEmpty());
}

void TestEventCatalog::samplePayloadShape_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<QStringList>("topLevelKeys"); // sorted
    QTest::addColumn<bool>("idOnly");

    const auto keys = [](std::initializer_list<const char *> names) {
        QStringList list;
        for (const char *name : names)
            list.append(QString::fromLatin1(name));
        list.sort();
        return list;
    };
    QTest::newRow("PROJECT_CREATED")
        << QStringLiteral("PROJECT_CREATED") << keys({"project"}) << false;
    QTest::newRow("PROJECT_UPDATED")
        << QStringLiteral("PROJECT_UPDATED") << keys({"project"}) << false;
    QTest::newRow("PROJECT_DELETED")
        << QStringLiteral("PROJECT_DELETED") << keys({"project"}) << true;
    QTest::newRow("TASKS_CREATED") << QStringLiteral("TASKS_CREATED") << keys({"tasks"}) << false;
    QTest::newRow("TASKS_DELETED") << QStringLiteral("TASKS_DELETED") << keys({"tasks"}) << true;
    QTest::newRow("ANNOTATION_CREATED")
        << QStringLiteral("ANNOTATION_CREATED") << keys({"annotation", "task"}) << false;
    QTest::newRow("ANNOTATIONS_CREATED")
        << QStringLiteral("ANNOTATIONS_CREATED") << keys({"annotation", "task"}) << false;
    QTest::newRow("ANNOTATION_UPDATED")
        << QStringLiteral("ANNOTATION_UPDATED") << keys({"annotation", "task"}) << false;
    QTest::newRow("ANNOTATIONS_DELETED")
        << QStringLiteral("ANNOTATIONS_DELETED") << keys({"annotations"}) << true;
    QTest::newRow("LABEL_LINK_CREATED")
        << QStringLiteral("LABEL_LINK_CREATED") << keys({"label_link"}) << false;
    QTest::newRow("LABEL_LINK_UPDATED")
        << QStringLiteral("LABEL_LINK_UPDATED") << keys({"label", "label_link"}) << false;
    QTest::newRow("LABEL_LINK_DELETED")
        << QStringLiteral("LABEL_LINK_DELETED") << keys({"label_link"}) << true;
}

void TestEventCatalog::samplePayloadShape()
{
    QFETCH(QString, key);
    QFETCH(QStringList, topLevelKeys);
    QFETCH(bool, idOnly);

    const EventCatalog catalog;
    const EventType type = *catalog.find(key);
    const QJsonObject payload = catalog.samplePayload(key);
    QStringList actualKeys = payload.keys();
    actualKeys.sort();
    QCOMPARE(actualKeys, topLevelKeys);
    QVERIFY(!payload.contains(QStringLiteral("action")));

    const QJsonValue data = payload.value(type.payloadKey);
    QCOMPARE(data.isArray(), type.isList);
    QCOMPARE(data.isObject(), !type.isList);
    if (type.isList) {
        QVERIFY(!data.toArray().isEmpty());
        for (const QJsonValue &item : data.toArray())
            QVERIFY(item.isObject());
    }
    for (const QJsonObject &object : objectsOf(data)) {
        QCOMPARE(isIdOnly(object), idOnly);
        QVERIFY(object.value(QStringLiteral("id")).isDouble());
    }
    // It survives the trip through the wire format.
    const QByteArray json = QJsonDocument(payload).toJson(QJsonDocument::Compact);
    QCOMPARE(QJsonDocument::fromJson(json).object(), payload);
}

void TestEventCatalog::sampleTasksHaveFields()
{
    const EventCatalog catalog;
    QList<QJsonObject> tasks = objectsOf(
        catalog.samplePayload(QStringLiteral("TASKS_CREATED")).value(QStringLiteral("tasks")));
    for (const char *key : {"ANNOTATION_CREATED", "ANNOTATIONS_CREATED", "ANNOTATION_UPDATED"})
        tasks += objectsOf(catalog.samplePayload(QLatin1String(key)).value(QStringLiteral("task")));
    QCOMPARE(tasks.size(), 2 + 1 + 2 + 1);
    for (const QJsonObject &task : tasks) {
        QCOMPARE(missingFields(task, TaskFields), QStringList());
        QVERIFY(task.value(QStringLiteral("data")).isObject());
        QVERIFY(task.value(QStringLiteral("meta")).isObject());
        QVERIFY(task.value(QStringLiteral("is_labeled")).isBool());
        QVERIFY(task.value(QStringLiteral("project")).isDouble());
    }
    // Distinct tasks in one batch.
    const QJsonArray batch = catalog.samplePayload(QStringLiteral("TASKS_CREATED"))
                                 .value(QStringLiteral("tasks"))
                                 .toArray();
    QVERIFY(batch.at(0)[QStringLiteral("id")] != batch.at(1)[QStringLiteral("id")]);
}

void TestEventCatalog::sampleAnnotationsHaveFields()
{
    const EventCatalog catalog;
    for (const char *key : {"ANNOTATION_CREATED", "ANNOTATIONS_CREATED", "ANNOTATION_UPDATED"}) {
        const QList<QJsonObject> annotations = objectsOf(
            catalog.samplePayload(QLatin1String(key)).value(QStringLiteral("annotation")));
        QVERIFY(!annotations.isEmpty());
        for (const QJsonObject &annotation : annotations) {
            QCOMPARE(missingFields(annotation, AnnotationFields), QStringList());
            QVERIFY(annotation.value(QStringLiteral("result")).isArray());
            QVERIFY(!annotation.value(QStringLiteral("result")).toArray().isEmpty());
            QVERIFY(annotation.value(QStringLiteral("was_cancelled")).isBool());
            QVERIFY(annotation.value(QStringLiteral("lead_time")).isDouble());
        }
    }
}

void TestEventCatalog::sampleProjectHasFields()
{
    const EventCatalog catalog;
    for (const char *key : {"PROJECT_CREATED", "PROJECT_UPDATED"}) {
        const QJsonObject project =
            catalog.samplePayload(QLatin1String(key)).value(QStringLiteral("project")).toObject();
        QCOMPARE(missingFields(project, ProjectFields), QStringList());
        QVERIFY(project.value(QStringLiteral("label_config"))
                    .toString()
                    .startsWith(QStringLiteral("<View>")));
    }
    const QJsonObject named = EventCatalog::sampleProject(42, QStringLiteral("Medical scans"));
    QCOMPARE(missingFields(named, ProjectFields), QStringList());
    QCOMPARE(named.value(QStringLiteral("id")).toInteger(), 42);
    QCOMPARE(named.value(QStringLiteral("title")).toString(), QStringLiteral("Medical scans"));
    QVERIFY(!EventCatalog::sampleProject().value(QStringLiteral("title")).toString().isEmpty());
}

void TestEventCatalog::annotationPayloadTaskMatches()
{
    const EventCatalog catalog;
    const QJsonObject single = catalog.samplePayload(QStringLiteral("ANNOTATION_CREATED"));
    QVERIFY(single.value(QStringLiteral("task")).isObject());
    QCOMPARE(single[QStringLiteral("annotation")][QStringLiteral("task")].toInteger(),
             single[QStringLiteral("task")][QStringLiteral("id")].toInteger());

    const QJsonObject batch = catalog.samplePayload(QStringLiteral("ANNOTATIONS_CREATED"));
    const QJsonArray annotations = batch.value(QStringLiteral("annotation")).toArray();
    const QJsonArray tasks = batch.value(QStringLiteral("task")).toArray();
    QVERIFY(batch.value(QStringLiteral("task")).isArray());
    QCOMPARE(annotations.size(), tasks.size());
    QSet<qint64> taskIds;
    for (const QJsonValue &task : tasks)
        taskIds.insert(task[QStringLiteral("id")].toInteger());
    for (const QJsonValue &annotation : annotations)
        QVERIFY(taskIds.contains(annotation[QStringLiteral("task")].toInteger()));
}

void TestEventCatalog::labelLinkUpdatedHasLabel()
{
    const QJsonObject payload = EventCatalog().samplePayload(QStringLiteral("LABEL_LINK_UPDATED"));
    const QJsonObject label = payload.value(QStringLiteral("label")).toObject();
    QVERIFY(label.contains(QStringLiteral("id")));
    QVERIFY(label.contains(QStringLiteral("value")));
    QCOMPARE(payload[QStringLiteral("label_link")][QStringLiteral("label")].toInteger(),
             label.value(QStringLiteral("id")).toInteger());
}

void TestEventCatalog::ping()
{
    const EventCatalog catalog;
    QVERIFY(!catalog.contains(EventCatalog::PingKey));
    QVERIFY(!catalog.samplePayload(EventCatalog::PingKey).isEmpty());
    QVERIFY(catalog.samplePayload(QStringLiteral("NO_SUCH_EVENT")).isEmpty());
}

void TestEventCatalog::customTypes()
{
    const EventCatalog catalog(
        {custom(QStringLiteral("MODEL_TRAINED"), QStringLiteral("model"), false),
         custom(QStringLiteral("DATASET_VERSIONED"), QStringLiteral("datasets"), true)});
    QCOMPARE(catalog.types().size(), EventCatalog::builtInTypes().size() + 2);
    // Built-ins first, custom types after them in the order given.
    QCOMPARE(catalog.types().at(15).key, QStringLiteral("MODEL_TRAINED"));
    QCOMPARE(catalog.types().at(16).key, QStringLiteral("DATASET_VERSIONED"));
    for (const EventType &type : catalog.typesInGroup(EventCatalog::CustomGroup)) {
        QVERIFY(!type.builtIn);
        QVERIFY(!type.organizationOnly);
        QCOMPARE(type.group, EventCatalog::CustomGroup);
    }
    QCOMPARE(catalog.typesInGroup(EventCatalog::CustomGroup).size(), 2);
    QCOMPARE(catalog.typesInGroup(QStringLiteral("Project")).size(), 3);
    QCOMPARE(catalog.find(QStringLiteral("DATASET_VERSIONED"))->payloadKey,
             QStringLiteral("datasets"));
    // The built-in list itself is not changed by a catalog with custom types.
    QCOMPARE(EventCatalog::builtInTypes().size(), 15);
    QCOMPARE(EventCatalog().types().size(), 15);
}

void TestEventCatalog::customSamplePayload_data()
{
    QTest::addColumn<bool>("isList");
    QTest::newRow("object") << false;
    QTest::newRow("list") << true;
}

void TestEventCatalog::customSamplePayload()
{
    QFETCH(bool, isList);
    const EventCatalog catalog(
        {custom(QStringLiteral("MODEL_TRAINED"), QStringLiteral("model_run"), isList)});
    const QJsonObject payload = catalog.samplePayload(QStringLiteral("MODEL_TRAINED"));
    QCOMPARE(payload.keys(), QStringList{QStringLiteral("model_run")});
    const QJsonValue data = payload.value(QStringLiteral("model_run"));
    QCOMPARE(data.isArray(), isList);
    const QList<QJsonObject> objects = objectsOf(data);
    QCOMPARE(objects.size(), 1);
    QVERIFY(objects.first().contains(QStringLiteral("id")));
}

void TestEventCatalog::sorted()
{
    const EventCatalog catalog(
        {custom(QStringLiteral("MODEL_TRAINED"), QStringLiteral("model"), false)});
    const QStringList keys{QStringLiteral("ZZZ_UNKNOWN"),        QStringLiteral("MODEL_TRAINED"),
                           QStringLiteral("LABEL_LINK_DELETED"), QStringLiteral("AAA_UNKNOWN"),
                           QStringLiteral("PROJECT_CREATED"),    QStringLiteral("ZZZ_UNKNOWN")};
    QCOMPARE(catalog.sorted(keys),
             (QStringList{QStringLiteral("PROJECT_CREATED"), QStringLiteral("LABEL_LINK_DELETED"),
                          QStringLiteral("MODEL_TRAINED"), QStringLiteral("AAA_UNKNOWN"),
                          QStringLiteral("ZZZ_UNKNOWN")}));
    QVERIFY(catalog.sorted({}).isEmpty());
}

QTEST_GUILESS_MAIN(TestEventCatalog)
#include "tst_event_catalog.moc"
