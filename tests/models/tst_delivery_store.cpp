#include "delivery/delivery_store.h"
#include "store/database.h"
#include "store/hook_store.h"
#include "test_database.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <memory>

// The outbox without a network: which hooks an event reaches, what each
// body holds, chunking, claims and leases, redelivery, pruning.
class TestDeliveryStore : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void matching_data();
    void matching();
    void bodies_data();
    void bodies();
    void chunking();
    void dataProjectFieldsAreMerged();
    void invalidEmitStoresNothing();
    void claimDueOrderAndLeases();
    void twoOwnersNeverShareAnAttempt();
    void redeliverCreatesManualAttemptWithSameMessageId();
    void messageIdsAreUniqueAndSortByTime();
    void redeliverFailedHonoursFilter();
    void pruneRemovesOnlyOldFinishedAttempts();
    void recentOutcomes();

private:
    qint64 addHook(std::optional<qint64> project, bool active = true, bool sendForAll = true,
                   const QStringList &actions = {}, bool sendPayload = true);
    Result<EmitResult> emitSample(const QString &action, std::optional<qint64> project,
                                  const QDateTime &now = QDateTime::currentDateTimeUtc());
    QJsonObject bodyOf(qint64 attemptId);
    void finish(qint64 attemptId, AttemptOutcome outcome, const QDateTime &at,
                std::optional<QDateTime> retryAt = std::nullopt);
    qint64 count(const QString &sql);

    QTemporaryDir m_dir;
    std::unique_ptr<Database> m_db;
    std::unique_ptr<HookStore> m_hooks;
    std::unique_ptr<DeliveryStore> m_store;
    qint64 m_projectA = 0;
    qint64 m_projectB = 0;
    int m_run = 0;
};

void TestDeliveryStore::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_dir.isValid());
}

void TestDeliveryStore::init()
{
    qunsetenv("WEBHOOK_BATCH_SIZE");
    m_db = std::make_unique<Database>();
    QVERIFY(!m_db->open(
        TestDatabase::create(m_dir.path(), QStringLiteral("store%1.sqlite").arg(++m_run))));
    m_hooks = std::make_unique<HookStore>(m_db.get());
    m_store = std::make_unique<DeliveryStore>(m_db.get());
    Result<Project> a = m_hooks->addProject(QStringLiteral("Harbour cams"));
    Result<Project> b = m_hooks->addProject(QStringLiteral("Medical scans"));
    QVERIFY(a && b);
    m_projectA = a->id;
    m_projectB = b->id;
}

void TestDeliveryStore::cleanup()
{
    qunsetenv("WEBHOOK_BATCH_SIZE");
    m_store.reset();
    m_hooks.reset();
    m_db.reset();
}

qint64 TestDeliveryStore::addHook(std::optional<qint64> project, bool active, bool sendForAll,
                                  const QStringList &actions, bool sendPayload)
{
    Webhook hook;
    hook.url = QStringLiteral("http://receiver.invalid/hook");
    hook.projectId = project;
    hook.isActive = active;
    hook.sendForAllActions = sendForAll;
    hook.actions = actions;
    hook.sendPayload = sendPayload;
    Result<Webhook> saved = m_hooks->saveHook(hook);
    if (!saved) {
        qWarning() << saved.error().message;
        return 0;
    }
    return saved->id;
}

Result<EmitResult> TestDeliveryStore::emitSample(const QString &action,
                                                 std::optional<qint64> project,
                                                 const QDateTime &now)
{
    const EventCatalog catalog = m_hooks->catalog();
    return m_store->emitEvent(catalog, action, project, catalog.samplePayload(action), now);
}

QJsonObject TestDeliveryStore::bodyOf(qint64 attemptId)
{
    Result<Attempt> attempt = m_store->attempt(attemptId);
    if (!attempt)
        return {};
    return QJsonDocument::fromJson(attempt->requestBody).object();
}

void TestDeliveryStore::finish(qint64 attemptId, AttemptOutcome outcome, const QDateTime &at,
                               std::optional<QDateTime> retryAt)
{
    AttemptResult result;
    result.attemptId = attemptId;
    result.outcome = outcome;
    result.startedAt = at;
    result.finishedAt = at.addMSecs(5);
    result.durationMs = 5;
    result.statusCode = outcome == AttemptOutcome::Succeeded ? 200 : 500;
    if (outcome == AttemptOutcome::Failed) {
        result.errorKind = QStringLiteral("http");
        result.error = QStringLiteral("HTTP 500 Internal Server Error");
    }
    result.nextAttemptAt = retryAt;
    const Status recorded = m_store->recordResults({result}, at.addMSecs(5));
    if (!recorded)
        qWarning() << recorded.error().message;
}

qint64 TestDeliveryStore::count(const QString &sql)
{
    QSqlQuery query(m_db->connection());
    if (!query.exec(sql) || !query.next())
        return -1;
    return query.value(0).toLongLong();
}

void TestDeliveryStore::matching_data()
{
    QTest::addColumn<QString>("hookScope"); // none, same, other
    QTest::addColumn<bool>("active");
    QTest::addColumn<bool>("sendForAll");
    QTest::addColumn<QStringList>("actions");
    QTest::addColumn<QString>("event");
    QTest::addColumn<bool>("withProject"); // the event happens in project A
    QTest::addColumn<bool>("matches");

    const QString none = QStringLiteral("none");
    const QString same = QStringLiteral("same");
    const QString other = QStringLiteral("other");
    const QString annotation = QStringLiteral("ANNOTATION_CREATED");
    const QStringList noActions;

    QTest::newRow("org-wide, project event")
        << none << true << true << noActions << annotation << true << true;
    QTest::newRow("org-wide, event without project")
        << none << true << true << noActions << annotation << false << true;
    QTest::newRow("same project") << same << true << true << noActions << annotation << true
                                  << true;
    QTest::newRow("other project")
        << other << true << true << noActions << annotation << true << false;
    QTest::newRow("project hook, event without project")
        << same << true << true << noActions << annotation << false << false;
    QTest::newRow("inactive org-wide")
        << none << false << true << noActions << annotation << true << false;
    QTest::newRow("inactive same project")
        << same << false << true << noActions << annotation << true << false;
    QTest::newRow("checked action")
        << same << true << false << QStringList{QStringLiteral("TASKS_CREATED"), annotation}
        << annotation << true << true;
    QTest::newRow("unchecked action")
        << same << true << false << QStringList{QStringLiteral("TASKS_CREATED")} << annotation
        << true << false;
    QTest::newRow("PROJECT_CREATED reaches org-wide")
        << none << true << true << noActions << QStringLiteral("PROJECT_CREATED") << true << true;
    QTest::newRow("PROJECT_CREATED skips same project")
        << same << true << true << noActions << QStringLiteral("PROJECT_CREATED") << true << false;
    QTest::newRow("PROJECT_DELETED reaches org-wide, checked")
        << none << true << false << QStringList{QStringLiteral("PROJECT_DELETED")}
        << QStringLiteral("PROJECT_DELETED") << true << true;
    QTest::newRow("PROJECT_DELETED skips same project")
        << same << true << true << noActions << QStringLiteral("PROJECT_DELETED") << true << false;
    QTest::newRow("PROJECT_UPDATED is not org-only")
        << same << true << true << noActions << QStringLiteral("PROJECT_UPDATED") << true << true;
}

void TestDeliveryStore::matching()
{
    QFETCH(QString, hookScope);
    QFETCH(bool, active);
    QFETCH(bool, sendForAll);
    QFETCH(QStringList, actions);
    QFETCH(QString, event);
    QFETCH(bool, withProject);
    QFETCH(bool, matches);

    std::optional<qint64> scope;
    if (hookScope == QLatin1String("same"))
        scope = m_projectA;
    else if (hookScope == QLatin1String("other"))
        scope = m_projectB;
    const qint64 hook = addHook(scope, active, sendForAll, actions);
    QVERIFY(hook > 0);

    Result<EmitResult> emitted =
        emitSample(event, withProject ? std::optional<qint64>(m_projectA) : std::nullopt);
    QVERIFY2(emitted, qPrintable(emitted.error().message));
    QVERIFY(emitted->eventId > 0);
    QCOMPARE(emitted->deliveryIds.size(), matches ? 1 : 0);
    QCOMPARE(emitted->attemptIds.size(), emitted->deliveryIds.size());
    QCOMPARE(count(QStringLiteral("SELECT count(*) FROM events")), 1);
    if (matches) {
        Result<Attempt> attempt = m_store->attempt(emitted->attemptIds.first());
        QVERIFY(attempt);
        QCOMPARE(attempt->webhookId, hook);
        QCOMPARE(attempt->action, event);
        QCOMPARE(attempt->outcome, AttemptOutcome::Pending);
        QCOMPARE(attempt->trigger, AttemptTrigger::Scheduled);
        QCOMPARE(attempt->number, 1);
        QCOMPARE(attempt->maxAttempts, Webhook::DefaultMaxAttempts);
        QVERIFY(attempt->messageId.startsWith(QLatin1String("msg_")));
    }
}

void TestDeliveryStore::bodies_data()
{
    QTest::addColumn<QString>("event");
    QTest::addColumn<bool>("withProject");
    QTest::addColumn<bool>("sendPayload");
    QTest::addColumn<QStringList>("keys"); // sorted

    const auto keys = [](std::initializer_list<const char *> list) {
        QStringList result;
        for (const char *key : list)
            result.append(QString::fromUtf8(key));
        result.sort();
        return result;
    };
    QTest::newRow("PROJECT_CREATED")
        << QStringLiteral("PROJECT_CREATED") << true << true << keys({"action", "project"});
    QTest::newRow("PROJECT_DELETED")
        << QStringLiteral("PROJECT_DELETED") << true << true << keys({"action", "project"});
    QTest::newRow("TASKS_CREATED")
        << QStringLiteral("TASKS_CREATED") << true << true << keys({"action", "project", "tasks"});
    QTest::newRow("TASKS_DELETED")
        << QStringLiteral("TASKS_DELETED") << true << true << keys({"action", "project", "tasks"});
    QTest::newRow("ANNOTATION_CREATED") << QStringLiteral("ANNOTATION_CREATED") << true << true
                                        << keys({"action", "project", "annotation", "task"});
    QTest::newRow("ANNOTATIONS_CREATED") << QStringLiteral("ANNOTATIONS_CREATED") << true << true
                                         << keys({"action", "project", "annotation", "task"});
    QTest::newRow("ANNOTATION_UPDATED") << QStringLiteral("ANNOTATION_UPDATED") << true << true
                                        << keys({"action", "project", "annotation", "task"});
    QTest::newRow("ANNOTATIONS_DELETED") << QStringLiteral("ANNOTATIONS_DELETED") << true << true
                                         << keys({"action", "project", "annotations"});
    QTest::newRow("LABEL_LINK_CREATED") << QStringLiteral("LABEL_LINK_CREATED") << true << true
                                        << keys({"action", "project", "label_link"});
    QTest::newRow("LABEL_LINK_UPDATED") << QStringLiteral("LABEL_LINK_UPDATED") << true << true
                                        << keys({"action", "project", "label_link", "label"});
    QTest::newRow("LABEL_LINK_DELETED") << QStringLiteral("LABEL_LINK_DELETED") << true << true
                                        << keys({"action", "project", "label_link"});
    QTest::newRow("without a project") << QStringLiteral("ANNOTATION_CREATED") << false << true
                                       << keys({"action", "annotation", "task"});
    QTest::newRow("send_payload off")
        << QStringLiteral("ANNOTATION_CREATED") << true << false << keys({"action"});
    QTest::newRow("send_payload off, list")
        << QStringLiteral("TASKS_CREATED") << true << false << keys({"action"});
}

void TestDeliveryStore::bodies()
{
    QFETCH(QString, event);
    QFETCH(bool, withProject);
    QFETCH(bool, sendPayload);
    QFETCH(QStringList, keys);

    QVERIFY(addHook(std::nullopt, true, true, {}, sendPayload) > 0);
    Result<EmitResult> emitted =
        emitSample(event, withProject ? std::optional<qint64>(m_projectA) : std::nullopt);
    QVERIFY2(emitted, qPrintable(emitted.error().message));
    QCOMPARE(emitted->attemptIds.size(), 1);
    const QJsonObject body = bodyOf(emitted->attemptIds.first());
    QStringList actual = body.keys();
    actual.sort();
    QCOMPARE(actual, keys);
    QCOMPARE(body.value(QLatin1String("action")).toString(), event);
    if (!sendPayload)
        return;

    const EventCatalog catalog = m_hooks->catalog();
    const EventType type = catalog.find(event).value();
    if (type.payloadKey != QLatin1String("project")) {
        // The payload key holds the sample data unchanged.
        QCOMPARE(body.value(type.payloadKey), catalog.samplePayload(event).value(type.payloadKey));
    }
    if (withProject) {
        const QJsonObject project = body.value(QLatin1String("project")).toObject();
        QCOMPARE(project.value(QLatin1String("id")).toInteger(), m_projectA);
        if (event == QLatin1String("PROJECT_DELETED"))
            QCOMPARE(project.keys(), QStringList{QStringLiteral("id")}); // {"id": N} only
        else if (type.payloadKey != QLatin1String("project"))            // the stored project
            QCOMPARE(project.value(QLatin1String("title")).toString(),
                     QStringLiteral("Harbour cams"));
    }
}

void TestDeliveryStore::chunking()
{
    qputenv("WEBHOOK_BATCH_SIZE", "100");
    const qint64 full = addHook(std::nullopt);
    const qint64 bare = addHook(std::nullopt, true, true, {}, false);
    QVERIFY(full > 0 && bare > 0);

    QJsonArray tasks;
    for (int i = 1; i <= 250; ++i)
        tasks.append(QJsonObject{{QStringLiteral("id"), i}});
    const EventCatalog catalog = m_hooks->catalog();
    Result<EmitResult> emitted =
        m_store->emitEvent(catalog, QStringLiteral("TASKS_CREATED"), m_projectA,
                           {{QStringLiteral("tasks"), tasks}}, QDateTime::currentDateTimeUtc());
    QVERIFY2(emitted, qPrintable(emitted.error().message));
    QCOMPARE(emitted->deliveryIds.size(), 4); // 3 chunks to one hook, 1 {"action"} to the other

    QList<int> sizes;
    QSet<QString> messageIds;
    QList<qint64> firstIds;
    int bareCount = 0;
    for (const qint64 id : emitted->attemptIds) {
        Result<Attempt> attempt = m_store->attempt(id);
        QVERIFY(attempt);
        messageIds.insert(attempt->messageId);
        const QJsonObject body = QJsonDocument::fromJson(attempt->requestBody).object();
        if (attempt->webhookId == bare) {
            ++bareCount;
            QCOMPARE(body.keys(), QStringList{QStringLiteral("action")});
            continue;
        }
        const QJsonArray chunk = body.value(QLatin1String("tasks")).toArray();
        sizes.append(int(chunk.size()));
        firstIds.append(chunk.first().toObject().value(QLatin1String("id")).toInteger());
        QCOMPARE(body.value(QLatin1String("project")).toObject().value(QLatin1String("id")),
                 QJsonValue(m_projectA));
    }
    QCOMPARE(sizes, (QList<int>{100, 100, 50}));
    QCOMPARE(firstIds, (QList<qint64>{1, 101, 201})); // in order
    QCOMPARE(bareCount, 1);
    QCOMPARE(messageIds.size(), 4); // each delivery its own webhook-id

    // Extra lists that pair up item by item are split alongside.
    QJsonArray annotations;
    QJsonArray pairedTasks;
    for (int i = 1; i <= 150; ++i) {
        annotations.append(QJsonObject{{QStringLiteral("id"), 1000 + i}});
        pairedTasks.append(QJsonObject{{QStringLiteral("id"), i}});
    }
    emitted = m_store->emitEvent(
        catalog, QStringLiteral("ANNOTATIONS_CREATED"), m_projectA,
        {{QStringLiteral("annotation"), annotations}, {QStringLiteral("task"), pairedTasks}},
        QDateTime::currentDateTimeUtc());
    QVERIFY(emitted);
    QCOMPARE(emitted->deliveryIds.size(), 3);
    const QJsonObject second = bodyOf(emitted->attemptIds.at(1));
    QCOMPARE(second.value(QLatin1String("annotation")).toArray().size(), 50);
    QCOMPARE(second.value(QLatin1String("task")).toArray().size(), 50);
    QCOMPARE(second.value(QLatin1String("task"))
                 .toArray()
                 .first()
                 .toObject()
                 .value(QLatin1String("id"))
                 .toInt(),
             101);
}

void TestDeliveryStore::dataProjectFieldsAreMerged()
{
    QVERIFY(addHook(std::nullopt) > 0);
    const QJsonObject data{
        {QStringLiteral("tasks"), QJsonArray{QJsonObject{{QStringLiteral("id"), 1}}}},
        {QStringLiteral("project"),
         QJsonObject{{QStringLiteral("label_config"), QStringLiteral("<View/>")},
                     {QStringLiteral("task_number"), 12}}}};
    Result<EmitResult> emitted =
        m_store->emitEvent(m_hooks->catalog(), QStringLiteral("TASKS_CREATED"), m_projectA, data,
                           QDateTime::currentDateTimeUtc());
    QVERIFY(emitted);
    const QJsonObject project =
        bodyOf(emitted->attemptIds.first()).value(QLatin1String("project")).toObject();
    QCOMPARE(project.value(QLatin1String("id")).toInteger(), m_projectA);
    QCOMPARE(project.value(QLatin1String("title")).toString(), QStringLiteral("Harbour cams"));
    QCOMPARE(project.value(QLatin1String("label_config")).toString(), QStringLiteral("<View/>"));
    QCOMPARE(project.value(QLatin1String("task_number")).toInt(), 12);
}

void TestDeliveryStore::invalidEmitStoresNothing()
{
    QVERIFY(addHook(std::nullopt) > 0);
    const EventCatalog catalog = m_hooks->catalog();
    const QDateTime now = QDateTime::currentDateTimeUtc();
    Result<EmitResult> result =
        m_store->emitEvent(catalog, QStringLiteral("TASKS_CREATED"), std::nullopt, {}, now);
    QVERIFY(!result);
    QCOMPARE(result.error().kind, StorageError::Kind::Invalid);
    result = m_store->emitEvent(catalog, QStringLiteral("NO_SUCH_EVENT"), std::nullopt,
                                catalog.samplePayload(QStringLiteral("TASKS_CREATED")), now);
    QVERIFY(!result);
    QCOMPARE(result.error().kind, StorageError::Kind::Invalid);
    result = emitSample(QStringLiteral("TASKS_CREATED"), 4242);
    QVERIFY(!result);
    QCOMPARE(result.error().kind, StorageError::Kind::Invalid);
    result = emitSample(EventCatalog::PingKey, std::nullopt);
    QVERIFY(!result);
    QCOMPARE(count(QStringLiteral("SELECT count(*) FROM events")), 0);
    QCOMPARE(count(QStringLiteral("SELECT count(*) FROM deliveries")), 0);
    QCOMPARE(count(QStringLiteral("SELECT count(*) FROM attempts")), 0);
}

void TestDeliveryStore::claimDueOrderAndLeases()
{
    const qint64 hook = addHook(std::nullopt);
    const qint64 inactive = addHook(std::nullopt);
    QVERIFY(hook > 0 && inactive > 0);
    const QDateTime now = QDateTime::currentDateTimeUtc();
    // Emitted newest first: claims still go oldest first.
    const qint64 third = emitSample(QStringLiteral("TASKS_CREATED"), std::nullopt, now.addSecs(-1))
                             ->attemptIds.first();
    const qint64 second = emitSample(QStringLiteral("TASKS_DELETED"), std::nullopt, now.addSecs(-2))
                              ->attemptIds.first();
    const qint64 first =
        emitSample(QStringLiteral("PROJECT_CREATED"), std::nullopt, now.addSecs(-3))
            ->attemptIds.first();
    const qint64 future =
        emitSample(QStringLiteral("PROJECT_UPDATED"), std::nullopt, now.addSecs(3600))
            ->attemptIds.first();
    Q_UNUSED(future);
    // Every emit went to both hooks; switch one off: its scheduled attempts wait.
    QVERIFY(m_hooks->setHookActive(inactive, false));

    const QDateTime lease = now.addSecs(60);
    Result<QList<ClaimedAttempt>> a = m_store->claimDue(QStringLiteral("host:1:a"), 2, now, lease);
    QVERIFY(a);
    QCOMPARE(a->size(), 2);
    QCOMPARE(a->at(0).attempt.id, first);
    QCOMPARE(a->at(1).attempt.id, second);
    QCOMPARE(a->at(0).hook.id, hook);
    QVERIFY(!a->at(0).attempt.requestBody.isEmpty());

    // Per-hook order with several dispatchers: while one holds some of a
    // hook's deliveries, the others leave that hook alone.
    Result<QList<ClaimedAttempt>> b = m_store->claimDue(QStringLiteral("host:2:b"), 10, now, lease);
    QVERIFY(b);
    QCOMPARE(b->size(), 0);
    a = m_store->claimDue(QStringLiteral("host:1:a"), 10, now, lease);
    QVERIFY(a);
    QCOMPARE(a->size(), 1); // the third; the future one is not due, the inactive hook's wait
    QCOMPARE(a->first().attempt.id, third);
    a = m_store->claimDue(QStringLiteral("host:1:a"), 10, now, lease);
    QCOMPARE(a->size(), 0);

    // nextDue: the future attempt (leased ones come due when their lease ends).
    Result<std::optional<QDateTime>> next = m_store->nextDue();
    QVERIFY(next && next.value());
    QVERIFY(*next.value() > now.addSecs(59));

    // Released leases can be claimed by someone else.
    QVERIFY(m_store->releaseLeases(QStringLiteral("host:1:a")));
    b = m_store->claimDue(QStringLiteral("host:2:b"), 10, now, lease);
    QCOMPARE(b->size(), 3);
    QCOMPARE(b->at(0).attempt.id, first);

    // A lease that ran out is free again.
    QVERIFY(m_store->releaseLeases(QStringLiteral("host:2:b")));
    a = m_store->claimDue(QStringLiteral("host:1:a"), 10, now,
                          QDateTime::currentDateTimeUtc().addSecs(-1));
    QCOMPARE(a->size(), 3);
    b = m_store->claimDue(QStringLiteral("host:2:b"), 10, QDateTime::currentDateTimeUtc(), lease);
    QCOMPARE(b->size(), 3);
}

void TestDeliveryStore::twoOwnersNeverShareAnAttempt()
{
    QVERIFY(addHook(std::nullopt) > 0);
    QList<qint64> ids;
    for (int i = 0; i < 20; ++i)
        ids += emitSample(QStringLiteral("TASKS_CREATED"), std::nullopt)->attemptIds;
    // A second connection to the same file, as another process would have.
    Database otherDb;
    QVERIFY(!otherDb.open(m_db->path()));
    DeliveryStore other(&otherDb);

    const QDateTime now = QDateTime::currentDateTimeUtc();
    const QDateTime lease = now.addSecs(60);
    QSet<qint64> seen;
    int claimed = 0;
    for (int round = 0; round < 20 && claimed < 20; ++round) {
        DeliveryStore &store = round % 2 == 0 ? *m_store : other;
        Result<QList<ClaimedAttempt>> got =
            store.claimDue(QStringLiteral("host:%1:x").arg(round % 2), 3, now, lease);
        QVERIFY(got);
        QStringList done;
        for (const ClaimedAttempt &c : got.value()) {
            QVERIFY2(!seen.contains(c.attempt.id), "claimed twice");
            seen.insert(c.attempt.id);
            done.append(QString::number(c.attempt.id));
            ++claimed;
        }
        // Sent and recorded: the hook is free for the other dispatcher.
        if (!done.isEmpty())
            QVERIFY(QSqlQuery(m_db->connection())
                        .exec(QStringLiteral("UPDATE attempts SET outcome = 'succeeded', "
                                             "lease_owner = '' WHERE id IN (%1)")
                                  .arg(done.join(QLatin1Char(',')))));
    }
    QCOMPARE(claimed, 20);
    // Claiming specific ids someone else holds gets nothing.
    Result<QList<ClaimedAttempt>> taken = other.claim(ids, QStringLiteral("host:9:z"), lease);
    QVERIFY(taken);
    QCOMPARE(taken->size(), 0);
}

void TestDeliveryStore::redeliverCreatesManualAttemptWithSameMessageId()
{
    QVERIFY(addHook(std::nullopt) > 0);
    Result<EmitResult> emitted = emitSample(QStringLiteral("ANNOTATION_CREATED"), m_projectA);
    QVERIFY(emitted);
    const qint64 delivery = emitted->deliveryIds.first();
    const qint64 firstAttempt = emitted->attemptIds.first();
    const QDateTime now = QDateTime::currentDateTimeUtc();
    finish(firstAttempt, AttemptOutcome::Failed, now); // no retry: the delivery has failed
    QCOMPARE(count(QStringLiteral("SELECT count(*) FROM deliveries WHERE status = 'failed'")), 1);
    QCOMPARE(count(QStringLiteral("SELECT count(*) FROM attempts WHERE outcome = 'pending'")), 0);
    QCOMPARE(m_store->countAttempts({std::nullopt, {}, AttemptOutcome::Failed, {}}).value(), 1);

    Result<qint64> again = m_store->redeliver(delivery, now.addSecs(1));
    QVERIFY(again);
    QVERIFY(again.value() != firstAttempt);
    Result<Attempt> manual = m_store->attempt(again.value());
    Result<Attempt> original = m_store->attempt(firstAttempt);
    QVERIFY(manual && original);
    QCOMPARE(manual->trigger, AttemptTrigger::Manual);
    QCOMPARE(manual->outcome, AttemptOutcome::Pending);
    QCOMPARE(manual->deliveryId, delivery);
    QCOMPARE(manual->number, 2);
    QCOMPARE(manual->messageId, original->messageId);
    QCOMPARE(manual->requestBody, original->requestBody);
    QCOMPARE(original->outcome, AttemptOutcome::Failed); // history stays

    Result<qint64> unknown = m_store->redeliver(987654, now);
    QVERIFY(!unknown);
    QCOMPARE(unknown.error().kind, StorageError::Kind::NotFound);
}

void TestDeliveryStore::redeliverFailedHonoursFilter()
{
    const qint64 first = addHook(std::nullopt);
    const qint64 second = addHook(std::nullopt);
    QVERIFY(first > 0 && second > 0);
    Result<EmitResult> emitted = emitSample(QStringLiteral("TASKS_CREATED"), std::nullopt);
    QVERIFY(emitted);
    QCOMPARE(emitted->attemptIds.size(), 2);
    const QDateTime now = QDateTime::currentDateTimeUtc();
    for (const qint64 id : emitted->attemptIds)
        finish(id, AttemptOutcome::Failed, now);
    // A succeeded delivery is never redelivered in bulk.
    Result<EmitResult> fine = emitSample(QStringLiteral("TASKS_DELETED"), std::nullopt);
    for (const qint64 id : fine->attemptIds)
        finish(id, AttemptOutcome::Succeeded, now);

    LogFilter onlyFirst;
    onlyFirst.webhookId = first;
    Result<QList<qint64>> queued = m_store->redeliverFailed(onlyFirst, now.addSecs(1));
    QVERIFY(queued);
    QCOMPARE(queued->size(), 1);
    QCOMPARE(m_store->attempt(queued->first())->webhookId, first);
    QCOMPARE(m_store->attempt(queued->first())->trigger, AttemptTrigger::Manual);

    LogFilter otherEvent;
    otherEvent.action = QStringLiteral("TASKS_DELETED");
    queued = m_store->redeliverFailed(otherEvent, now.addSecs(1));
    QVERIFY(queued);
    QCOMPARE(queued->size(), 0);

    // Without a filter: the second hook's, the first is pending again already.
    queued = m_store->redeliverFailed({}, now.addSecs(2));
    QVERIFY(queued);
    QCOMPARE(queued->size(), 1);
    QCOMPARE(m_store->attempt(queued->first())->webhookId, second);
}

void TestDeliveryStore::pruneRemovesOnlyOldFinishedAttempts()
{
    QVERIFY(addHook(std::nullopt) > 0);
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const QDateTime old = now.addDays(-40);
    const qint64 oldFinished =
        emitSample(QStringLiteral("TASKS_CREATED"), std::nullopt, old)->attemptIds.first();
    finish(oldFinished, AttemptOutcome::Succeeded, old);
    const qint64 oldPending =
        emitSample(QStringLiteral("TASKS_DELETED"), std::nullopt, old)->attemptIds.first();
    const qint64 recent =
        emitSample(QStringLiteral("PROJECT_CREATED"), std::nullopt, now)->attemptIds.first();
    finish(recent, AttemptOutcome::Failed, now);
    QCOMPARE(m_store->countAttempts({}).value(), 3);

    QCOMPARE(m_store->retentionDays(), DeliveryStore::DefaultRetentionDays);
    Result<int> pruned = m_store->pruneAttempts(now.addDays(-m_store->retentionDays()));
    QVERIFY(pruned);
    QCOMPARE(pruned.value(), 1);
    QVERIFY(!m_store->attempt(oldFinished));
    QVERIFY(m_store->attempt(oldPending)); // still to be sent: never pruned
    QVERIFY(m_store->attempt(recent));
    QCOMPARE(count(QStringLiteral("SELECT count(*) FROM deliveries")), 2);
    QCOMPARE(count(QStringLiteral("SELECT count(*) FROM events")), 2);
    QCOMPARE(m_store->pruneAttempts(now.addDays(-30)).value(), 0);

    QVERIFY(m_store->setRetentionDays(7));
    QCOMPARE(m_store->retentionDays(), 7);
    QVERIFY(!m_store->setRetentionDays(0));
}

void TestDeliveryStore::recentOutcomes()
{
    const qint64 busy = addHook(std::nullopt, true, false, {QStringLiteral("TASKS_CREATED")});
    const qint64 quiet = addHook(std::nullopt, true, false, {QStringLiteral("PROJECT_CREATED")});
    QVERIFY(busy > 0 && quiet > 0);
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const QList<AttemptOutcome> sequence{AttemptOutcome::Succeeded, AttemptOutcome::Failed,
                                         AttemptOutcome::Succeeded, AttemptOutcome::Failed};
    for (const AttemptOutcome outcome : sequence) {
        const qint64 id =
            emitSample(QStringLiteral("TASKS_CREATED"), std::nullopt)->attemptIds.first();
        finish(id, outcome, now);
    }
    (void)emitSample(QStringLiteral("TASKS_CREATED"), std::nullopt); // pending: not shown

    Result<QHash<qint64, QList<AttemptOutcome>>> recent = m_store->recentOutcomes(3);
    QVERIFY(recent);
    QCOMPARE(recent->value(busy),
             (QList<AttemptOutcome>{AttemptOutcome::Failed, AttemptOutcome::Succeeded,
                                    AttemptOutcome::Failed}));
    QVERIFY(recent->contains(quiet));
    QVERIFY(recent->value(quiet).isEmpty());
}

QTEST_GUILESS_MAIN(TestDeliveryStore)
void TestDeliveryStore::messageIdsAreUniqueAndSortByTime()
{
    // Standard Webhooks' webhook-id: unique, unguessable, and (so that the
    // unique index grows at one end) later ones sort later.
    QSet<QString> seen;
    QString previous;
    for (int round = 0; round < 6; ++round) {
        const QString id = DeliveryStore::newMessageId();
        QVERIFY2(id.startsWith(QLatin1String("msg_")), qPrintable(id));
        QCOMPARE(id.size(), 4 + 27);
        for (const QChar c : QStringView(id).mid(4))
            QVERIFY2(c.isLetterOrNumber() && c.unicode() < 128, qPrintable(id));
        // Ids of one millisecond differ in their random part only.
        for (int i = 0; i < 1000; ++i) {
            const QString same = DeliveryStore::newMessageId();
            QVERIFY(!seen.contains(same));
            seen.insert(same);
        }
        if (!previous.isEmpty())
            QVERIFY2(previous < id, qPrintable(previous + QLatin1String(" then ") + id));
        previous = DeliveryStore::newMessageId();
        QTest::qWait(5);
    }
    // The random part is most of it: 1,000 ids of one moment share no tail.
    QSet<QString> tails;
    for (const QString &id : std::as_const(seen))
        tails.insert(id.right(18));
    QCOMPARE(tails.size(), seen.size());
}

#include "tst_delivery_store.moc"
