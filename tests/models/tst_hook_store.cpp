#include "store/database.h"
#include "store/hook_store.h"
#include "test_database.h"

#include <QSignalSpy>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using Kind = StorageError::Kind;

namespace {

qint64 scalar(const QSqlDatabase &db, const QString &sql)
{
    QSqlQuery query(db);
    if (!query.exec(sql) || !query.next())
        return -1;
    return query.value(0).toLongLong();
}

bool exec(const QSqlDatabase &db, const QString &sql)
{
    return QSqlQuery(db).exec(sql);
}

EventType customType(const QString &key, const QString &payloadKey, bool isList = false)
{
    EventType type;
    type.key = key;
    type.name = QStringLiteral("  %1  ").arg(key.toLower());
    type.description = QStringLiteral("Custom event %1").arg(key);
    type.payloadKey = payloadKey;
    type.isList = isList;
    return type;
}

} // namespace

class TestHookStore : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void emptyStore();
    void roundTripsEveryField();
    void defaultsOnInsert();
    void update();
    void updateUnknownIdIsNotFound();
    void editingTargetResetsFailures_data();
    void editingTargetResetsFailures();
    void removeCascades();
    void setHookActive();
    void invalidHookWritesNothing();
    void invalidUpdateKeepsStoredHook();
    void failedWriteRollsBackWholeHook();
    void importIsAllOrNothing();
    void importAddsEveryEntry();
    void projects();
    void hookNeedsExistingProject();
    void customEventTypes();
    void customEventTypeRefused_data();
    void customEventTypeRefused();

private:
    Database m_db;
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<HookStore> m_store;

    qint64 rows(const char *table) const
    {
        return scalar(m_db.connection(),
                      QStringLiteral("SELECT count(*) FROM ") + QLatin1String(table));
    }
    Webhook fullHook();
};

void TestHookStore::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
}

void TestHookStore::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    const auto error =
        m_db.open(TestDatabase::create(m_dir->path(), QStringLiteral("hooks.sqlite")));
    QVERIFY2(!error, error ? qPrintable(error->message) : "");
    m_store = std::make_unique<HookStore>(&m_db);
}

void TestHookStore::cleanup()
{
    m_store.reset();
    m_db.close();
    m_dir.reset();
}

Webhook TestHookStore::fullHook()
{
    const Result<Project> project = m_store->addProject(QStringLiteral("Street scenes"));
    if (!project)
        return {};
    Webhook w;
    w.projectId = project->id;
    w.url = QStringLiteral("https://ml.example.com/train?source=ls");
    w.description = QStringLiteral("Start a training run\nwith Ümlauts and \"quotes\"");
    w.isActive = false;
    w.sendPayload = false;
    w.sendForAllActions = false;
    // Out of catalog order on purpose: they are stored in catalog order.
    w.actions = {QStringLiteral("LABEL_LINK_DELETED"), QStringLiteral("TASKS_CREATED"),
                 QStringLiteral("ANNOTATION_CREATED")};
    w.headers = {{QStringLiteral("Authorization"), QStringLiteral("Bearer t0k3n"), true},
                 {QStringLiteral("X-Team"), QStringLiteral("vision"), false},
                 {QStringLiteral("X-Empty"), QString(), false}};
    w.secret = QStringLiteral("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
    w.signature = SignatureScheme::Standard;
    w.timeoutSeconds = 45;
    w.maxAttempts = 3;
    return w;
}

void TestHookStore::emptyStore()
{
    const Result<QList<Webhook>> hooks = m_store->hooks();
    QVERIFY(hooks);
    QVERIFY(hooks->isEmpty());
    QVERIFY(m_store->projects()->isEmpty());
    QVERIFY(m_store->customEventTypes()->isEmpty());
    QCOMPARE(m_store->catalog().types().size(), EventCatalog::builtInTypes().size());
    const Result<Webhook> missing = m_store->hook(1);
    QVERIFY(!missing);
    QCOMPARE(missing.error().kind, Kind::NotFound);
}

void TestHookStore::roundTripsEveryField()
{
    QSignalSpy changed(m_store.get(), &HookStore::hooksChanged);
    const Webhook input = fullHook();
    QVERIFY(input.projectId);
    const QDateTime before = QDateTime::currentDateTimeUtc().addMSecs(-1);
    const Result<Webhook> saved = m_store->saveHook(input);
    QVERIFY2(saved, qPrintable(saved.error().message));
    QCOMPARE(changed.count(), 1);
    QVERIFY(saved->id > 0);

    const Result<Webhook> loaded = m_store->hook(saved->id);
    QVERIFY(loaded);
    QCOMPARE(loaded->id, saved->id);
    QCOMPARE(loaded->projectId, input.projectId);
    QCOMPARE(loaded->url, input.url);
    QCOMPARE(loaded->description, input.description);
    QCOMPARE(loaded->isActive, false);
    QCOMPARE(loaded->sendPayload, false);
    QCOMPARE(loaded->sendForAllActions, false);
    QCOMPARE(loaded->actions,
             (QStringList{QStringLiteral("TASKS_CREATED"), QStringLiteral("ANNOTATION_CREATED"),
                          QStringLiteral("LABEL_LINK_DELETED")}));
    QCOMPARE(loaded->headers.size(), 3);
    QCOMPARE(loaded->headers.at(0), input.headers.at(0));
    QCOMPARE(loaded->headers.at(1), input.headers.at(1));
    QCOMPARE(loaded->headers.at(2).name, QStringLiteral("X-Empty"));
    QVERIFY(loaded->headers.at(2).value.isEmpty());
    QCOMPARE(loaded->secret, input.secret);
    QCOMPARE(loaded->signature, SignatureScheme::Standard);
    QCOMPARE(loaded->timeoutSeconds, 45);
    QCOMPARE(loaded->maxAttempts, 3);
    QCOMPARE(loaded->consecutiveFailures, 0);
    QVERIFY(loaded->disabledReason.isEmpty());
    QVERIFY(loaded->createdAt >= before);
    QCOMPARE(loaded->createdAt.timeSpec(), Qt::UTC);
    QCOMPARE(loaded->updatedAt, loaded->createdAt);
    // What saveHook returned is exactly what a reader gets back.
    QCOMPARE(loaded.value(), saved.value());
    QCOMPARE(m_store->hooks()->size(), 1);
}

void TestHookStore::defaultsOnInsert()
{
    Webhook w;
    w.url = QStringLiteral("  http://trainer:9090/hook  ");
    w.consecutiveFailures = 7; // read-only state: ignored on insert
    w.disabledReason = QStringLiteral("should not be stored");
    const Result<Webhook> saved = m_store->saveHook(w);
    QVERIFY2(saved, qPrintable(saved.error().message));
    const Webhook loaded = m_store->hook(saved->id).value();
    QCOMPARE(loaded.url, QStringLiteral("http://trainer:9090/hook"));
    QVERIFY(loaded.isOrganizationWide());
    QVERIFY(loaded.isActive && loaded.sendPayload && loaded.sendForAllActions);
    QCOMPARE(loaded.timeoutSeconds, Webhook::DefaultTimeoutSeconds);
    QCOMPARE(loaded.maxAttempts, Webhook::DefaultMaxAttempts);
    QCOMPARE(loaded.signature, SignatureScheme::None);
    QCOMPARE(loaded.consecutiveFailures, 0);
    QVERIFY(loaded.disabledReason.isEmpty());
    QVERIFY(loaded.actions.isEmpty());
    QVERIFY(loaded.headers.isEmpty());
}

void TestHookStore::update()
{
    const Result<Webhook> saved = m_store->saveHook(fullHook());
    QVERIFY(saved);
    QTest::qWait(5); // so updated_at moves

    Webhook edited = saved.value();
    edited.projectId.reset();
    edited.description = QStringLiteral("Org-wide now");
    edited.isActive = true;
    edited.sendForAllActions = true;
    edited.actions = {QStringLiteral("PROJECT_CREATED")};
    edited.headers = {{QStringLiteral("X-Only"), QStringLiteral("one"), false}};
    edited.secret = QStringLiteral("It's a Secret to Everybody");
    edited.signature = SignatureScheme::GitHub;
    edited.timeoutSeconds = 5;
    edited.maxAttempts = 1;
    QSignalSpy changed(m_store.get(), &HookStore::hooksChanged);
    const Result<Webhook> updated = m_store->saveHook(edited);
    QVERIFY2(updated, qPrintable(updated.error().message));
    QCOMPARE(changed.count(), 1);
    QCOMPARE(updated->id, saved->id);

    const Webhook loaded = m_store->hook(saved->id).value();
    QVERIFY(loaded.isOrganizationWide());
    QCOMPARE(loaded.description, QStringLiteral("Org-wide now"));
    QVERIFY(loaded.isActive);
    QVERIFY(loaded.sendForAllActions);
    QCOMPARE(loaded.actions, QStringList{QStringLiteral("PROJECT_CREATED")});
    QCOMPARE(loaded.headers, edited.headers);
    QCOMPARE(loaded.secret, edited.secret);
    QCOMPARE(loaded.signature, SignatureScheme::GitHub);
    QCOMPARE(loaded.timeoutSeconds, 5);
    QCOMPARE(loaded.maxAttempts, 1);
    QCOMPARE(loaded.createdAt, saved->createdAt);
    QVERIFY(loaded.updatedAt > saved->updatedAt);
    QCOMPARE(m_store->hooks()->size(), 1);
    // The old rows are gone, not left next to the new ones.
    QCOMPARE(rows("webhook_headers"), 1);
    QCOMPARE(rows("webhook_actions"), 1);
}

void TestHookStore::updateUnknownIdIsNotFound()
{
    Webhook w;
    w.id = 404;
    w.url = QStringLiteral("https://example.com/");
    const Result<Webhook> saved = m_store->saveHook(w);
    QVERIFY(!saved);
    QCOMPARE(saved.error().kind, Kind::NotFound);
    QVERIFY(saved.error().message.contains(QStringLiteral("404")));
    QCOMPARE(rows("webhooks"), 0);
}

void TestHookStore::editingTargetResetsFailures_data()
{
    QTest::addColumn<QString>("change");
    QTest::addColumn<bool>("resets");
    QTest::newRow("url") << QStringLiteral("url") << true;
    QTest::newRow("headers") << QStringLiteral("headers") << true;
    QTest::newRow("description only") << QStringLiteral("description") << false;
    QTest::newRow("events only") << QStringLiteral("actions") << false;
}

void TestHookStore::editingTargetResetsFailures()
{
    QFETCH(QString, change);
    QFETCH(bool, resets);
    Webhook w = fullHook();
    w.isActive = true;
    const Result<Webhook> saved = m_store->saveHook(w);
    QVERIFY(saved);
    // What the engine records after failed deliveries.
    QVERIFY(exec(m_db.connection(),
                 QStringLiteral("UPDATE webhooks SET consecutive_failures = 4 WHERE id = %1")
                     .arg(saved->id)));

    Webhook edited = m_store->hook(saved->id).value();
    QCOMPARE(edited.consecutiveFailures, 4);
    if (change == QLatin1String("url"))
        edited.url = QStringLiteral("https://ml.example.com/v2/train");
    else if (change == QLatin1String("headers"))
        edited.headers[1].value = QStringLiteral("research");
    else if (change == QLatin1String("description"))
        edited.description = QStringLiteral("New words");
    else
        edited.actions.removeLast();
    QVERIFY(m_store->saveHook(edited));
    QCOMPARE(m_store->hook(saved->id)->consecutiveFailures, resets ? 0 : 4);
}

void TestHookStore::removeCascades()
{
    const Result<Webhook> first = m_store->saveHook(fullHook());
    Webhook other = fullHook();
    other.url = QStringLiteral("https://other.example.com/");
    const Result<Webhook> second = m_store->saveHook(other);
    QVERIFY(first && second);
    QCOMPARE(rows("webhook_headers"), 6);
    QCOMPARE(rows("webhook_actions"), 6);

    QSignalSpy changed(m_store.get(), &HookStore::hooksChanged);
    QVERIFY(m_store->removeHook(first->id));
    QCOMPARE(changed.count(), 1);
    QCOMPARE(m_store->hook(first->id).error().kind, Kind::NotFound);
    const qint64 id = first->id;
    QCOMPARE(
        scalar(
            m_db.connection(),
            QStringLiteral("SELECT count(*) FROM webhook_headers WHERE webhook_id = %1").arg(id)),
        0);
    QCOMPARE(
        scalar(
            m_db.connection(),
            QStringLiteral("SELECT count(*) FROM webhook_actions WHERE webhook_id = %1").arg(id)),
        0);
    // The other hook is untouched.
    QCOMPARE(rows("webhook_headers"), 3);
    QCOMPARE(m_store->hook(second->id)->headers.size(), 3);

    const Status again = m_store->removeHook(first->id);
    QVERIFY(!again);
    QCOMPARE(again.error().kind, Kind::NotFound);
    QCOMPARE(changed.count(), 1);
}

void TestHookStore::setHookActive()
{
    Webhook w = fullHook();
    w.isActive = true;
    const Result<Webhook> saved = m_store->saveHook(w);
    QVERIFY(saved);
    QSignalSpy changed(m_store.get(), &HookStore::hooksChanged);

    QVERIFY(m_store->setHookActive(saved->id, false));
    QVERIFY(!m_store->hook(saved->id)->isActive);
    QCOMPARE(changed.count(), 1);

    // Deactivated by the engine (410 Gone): reactivating clears the reason and count.
    QVERIFY(exec(m_db.connection(),
                 QStringLiteral("UPDATE webhooks SET consecutive_failures = 9, disabled_reason = "
                                "'410 Gone' WHERE id = %1")
                     .arg(saved->id)));
    QCOMPARE(m_store->hook(saved->id)->disabledReason, QStringLiteral("410 Gone"));
    QVERIFY(m_store->setHookActive(saved->id, true));
    const Webhook loaded = m_store->hook(saved->id).value();
    QVERIFY(loaded.isActive);
    QVERIFY(loaded.disabledReason.isEmpty());
    QCOMPARE(loaded.consecutiveFailures, 0);
    // Everything else stays as it was.
    QCOMPARE(loaded.url, saved->url);
    QCOMPARE(loaded.headers, saved->headers);
    QCOMPARE(loaded.actions, saved->actions);

    const Status missing = m_store->setHookActive(12345, true);
    QVERIFY(!missing);
    QCOMPARE(missing.error().kind, Kind::NotFound);
}

void TestHookStore::invalidHookWritesNothing()
{
    QSignalSpy changed(m_store.get(), &HookStore::hooksChanged);
    Webhook w = fullHook();
    w.url = QStringLiteral("ftp://example.com/");
    w.headers.append({QStringLiteral("Host"), QStringLiteral("evil"), false});
    const Result<Webhook> saved = m_store->saveHook(w);
    QVERIFY(!saved);
    QCOMPARE(saved.error().kind, Kind::Invalid);
    // Every problem, each named by its field.
    QVERIFY2(saved.error().message.contains(QStringLiteral("url: ")),
             qPrintable(saved.error().message));
    QVERIFY2(saved.error().message.contains(QStringLiteral("headers: ")),
             qPrintable(saved.error().message));
    QCOMPARE(changed.count(), 0);
    for (const char *table : {"webhooks", "webhook_headers", "webhook_actions"})
        QVERIFY2(rows(table) == 0, table);
}

void TestHookStore::invalidUpdateKeepsStoredHook()
{
    const Result<Webhook> saved = m_store->saveHook(fullHook());
    QVERIFY(saved);
    Webhook edited = saved.value();
    edited.description = QStringLiteral("changed");
    edited.headers.append({QStringLiteral("Bad Name"), QStringLiteral("x"), false});
    const Result<Webhook> result = m_store->saveHook(edited);
    QVERIFY(!result);
    QCOMPARE(result.error().kind, Kind::Invalid);
    QCOMPARE(m_store->hook(saved->id).value(), saved.value());
}

void TestHookStore::failedWriteRollsBackWholeHook()
{
    const Result<Webhook> saved = m_store->saveHook(fullHook());
    QVERIFY(saved);
    // A fault half way through the write: the database refuses one header row.
    if (TestDatabase::onServer()) {
        QVERIFY(exec(m_db.connection(),
                     QStringLiteral("CREATE FUNCTION refuse_header() RETURNS trigger LANGUAGE "
                                    "plpgsql AS $$ BEGIN RAISE EXCEPTION 'disk gremlin'; END $$")));
        QVERIFY(exec(m_db.connection(),
                     QStringLiteral("CREATE TRIGGER refuse_header BEFORE INSERT ON "
                                    "webhook_headers FOR EACH ROW WHEN (NEW.name = 'X-Fail') "
                                    "EXECUTE FUNCTION refuse_header()")));
    } else {
        QVERIFY(exec(m_db.connection(),
                     QStringLiteral("CREATE TEMP TRIGGER refuse_header BEFORE INSERT ON "
                                    "main.webhook_headers WHEN NEW.name = 'X-Fail' BEGIN "
                                    "SELECT RAISE(ABORT, 'disk gremlin'); END")));
    }

    Webhook fresh = fullHook();
    fresh.headers.append({QStringLiteral("X-Fail"), QStringLiteral("boom"), false});
    const Result<Webhook> inserted = m_store->saveHook(fresh);
    QVERIFY(!inserted);
    QCOMPARE(rows("webhooks"), 1);
    QCOMPARE(rows("webhook_headers"), 3);

    Webhook edited = saved.value();
    edited.url = QStringLiteral("https://moved.example.com/");
    edited.headers.append({QStringLiteral("X-Fail"), QStringLiteral("boom"), false});
    const Result<Webhook> updated = m_store->saveHook(edited);
    QVERIFY(!updated);
    // The stored hook is exactly as before: not its new URL without its headers.
    QCOMPARE(m_store->hook(saved->id).value(), saved.value());
}

void TestHookStore::importIsAllOrNothing()
{
    QSignalSpy changed(m_store.get(), &HookStore::hooksChanged);
    QList<Webhook> batch;
    for (const char *url : {"https://a.example.com/", "http://trainer:9090/hook",
                            "javascript:alert(1)", "https://d.example.com/"}) {
        Webhook w;
        w.url = QLatin1String(url);
        batch.append(w);
    }
    const Result<QList<Webhook>> imported = m_store->importHooks(batch);
    QVERIFY(!imported);
    QCOMPARE(imported.error().kind, Kind::Invalid);
    // Names the entry, counted from 1, and what is wrong with it.
    QVERIFY2(imported.error().message.contains(QStringLiteral("3")),
             qPrintable(imported.error().message));
    QVERIFY2(imported.error().message.contains(QStringLiteral("javascript:alert(1)")),
             qPrintable(imported.error().message));
    QCOMPARE(rows("webhooks"), 0);
    QCOMPARE(changed.count(), 0);
}

void TestHookStore::importAddsEveryEntry()
{
    const Result<Webhook> existing = m_store->saveHook(fullHook());
    QVERIFY(existing);
    QList<Webhook> batch;
    for (int i = 0; i < 3; ++i) {
        Webhook w = fullHook();
        w.id = existing->id; // an id from another installation is not ours
        w.url = QStringLiteral("https://import%1.example.com/").arg(i);
        batch.append(w);
    }
    QSignalSpy changed(m_store.get(), &HookStore::hooksChanged);
    const Result<QList<Webhook>> imported = m_store->importHooks(batch);
    QVERIFY2(imported, qPrintable(imported.error().message));
    QCOMPARE(changed.count(), 1);
    QCOMPARE(imported->size(), 3);
    QCOMPARE(rows("webhooks"), 4);
    QCOMPARE(m_store->hook(existing->id)->url, existing->url); // not overwritten
    for (int i = 0; i < 3; ++i) {
        const Webhook &w = imported->at(i);
        QVERIFY(w.id != existing->id);
        const Webhook loaded = m_store->hook(w.id).value();
        QCOMPARE(loaded.url, QStringLiteral("https://import%1.example.com/").arg(i));
        QCOMPARE(loaded.headers.size(), 3);
        QCOMPARE(loaded.actions.size(), 3);
    }
}

void TestHookStore::projects()
{
    QSignalSpy changed(m_store.get(), &HookStore::projectsChanged);
    const Result<Project> first = m_store->addProject(QStringLiteral("  Street scenes  "));
    QVERIFY(first);
    QCOMPARE(first->title, QStringLiteral("Street scenes"));
    QVERIFY(first->createdAt.isValid());
    const Result<Project> second = m_store->addProject(QStringLiteral("Medical scans"));
    QVERIFY(second);
    QCOMPARE(changed.count(), 2);

    const Result<QList<Project>> all = m_store->projects();
    QVERIFY(all);
    QCOMPARE(all->size(), 2);
    QCOMPARE(all->at(0).id, first->id);
    QCOMPARE(all->at(0).title, QStringLiteral("Street scenes"));
    QCOMPARE(all->at(1).title, QStringLiteral("Medical scans"));

    for (const QString &bad : {QString(), QStringLiteral("   "), QString(201, QLatin1Char('p'))}) {
        const Result<Project> refused = m_store->addProject(bad);
        QVERIFY(!refused);
        QCOMPARE(refused.error().kind, Kind::Invalid);
    }
    QCOMPARE(m_store->projects()->size(), 2);
    QCOMPARE(changed.count(), 2);
}

void TestHookStore::hookNeedsExistingProject()
{
    Webhook w;
    w.url = QStringLiteral("https://example.com/");
    w.projectId = 77;
    const Result<Webhook> saved = m_store->saveHook(w);
    QVERIFY(!saved);
    QCOMPARE(saved.error().kind, Kind::Invalid);
    QVERIFY2(saved.error().message.contains(QStringLiteral("project: ")),
             qPrintable(saved.error().message));
    QCOMPARE(rows("webhooks"), 0);
}

void TestHookStore::customEventTypes()
{
    QSignalSpy changed(m_store.get(), &HookStore::eventTypesChanged);
    EventType sneaky = customType(QStringLiteral("MODEL_TRAINED"), QStringLiteral("model"));
    sneaky.organizationOnly = true; // custom types are never organization-only
    const Result<EventType> added = m_store->addEventType(sneaky);
    QVERIFY2(added, qPrintable(added.error().message));
    QCOMPARE(added->name, QStringLiteral("model_trained"));
    QVERIFY(!added->builtIn);
    QVERIFY(!added->organizationOnly);
    QCOMPARE(added->group, EventCatalog::CustomGroup);
    QVERIFY(m_store->addEventType(
        customType(QStringLiteral("DATASET_VERSIONED"), QStringLiteral("datasets"), true)));
    EventType bare = customType(QStringLiteral("BARE_EVENT"), QStringLiteral("bare"));
    bare.description = QString(); // optional
    QVERIFY(m_store->addEventType(bare));
    QCOMPARE(changed.count(), 3);

    const Result<QList<EventType>> stored = m_store->customEventTypes();
    QVERIFY(stored);
    QCOMPARE(stored->size(), 3);
    QCOMPARE(stored->at(0), added.value());
    const EventCatalog catalog = m_store->catalog();
    QCOMPARE(catalog.types().size(), EventCatalog::builtInTypes().size() + 3);
    QCOMPARE(catalog.typesInGroup(EventCatalog::CustomGroup).size(), 3);
    QVERIFY(catalog.find(QStringLiteral("DATASET_VERSIONED"))->isList);

    // A hook may subscribe to them, scoped to a project too; they come back in catalog order.
    Webhook w;
    w.url = QStringLiteral("https://example.com/");
    w.projectId = m_store->addProject(QStringLiteral("P"))->id;
    w.sendForAllActions = false;
    w.actions = {QStringLiteral("MODEL_TRAINED"), QStringLiteral("TASKS_CREATED")};
    const Result<Webhook> saved = m_store->saveHook(w);
    QVERIFY2(saved, qPrintable(saved.error().message));
    QCOMPARE(m_store->hook(saved->id)->actions,
             (QStringList{QStringLiteral("TASKS_CREATED"), QStringLiteral("MODEL_TRAINED")}));
}

void TestHookStore::customEventTypeRefused_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("payloadKey");
    QTest::newRow("duplicate of a custom type")
        << QStringLiteral("MODEL_TRAINED") << QStringLiteral("model");
    QTest::newRow("PING") << QStringLiteral("PING") << QStringLiteral("ping");
    QTest::newRow("built-in") << QStringLiteral("TASKS_CREATED") << QStringLiteral("tasks");
    QTest::newRow("lower case") << QStringLiteral("model_deployed") << QStringLiteral("model");
    QTest::newRow("payload key project")
        << QStringLiteral("MODEL_DEPLOYED") << QStringLiteral("project");
}

void TestHookStore::customEventTypeRefused()
{
    QFETCH(QString, key);
    QFETCH(QString, payloadKey);
    QVERIFY(m_store->addEventType(
        customType(QStringLiteral("MODEL_TRAINED"), QStringLiteral("model"))));
    QSignalSpy changed(m_store.get(), &HookStore::eventTypesChanged);
    const Result<EventType> refused = m_store->addEventType(customType(key, payloadKey));
    QVERIFY(!refused);
    QCOMPARE(refused.error().kind, Kind::Invalid);
    QVERIFY(!refused.error().message.isEmpty());
    QCOMPARE(m_store->customEventTypes()->size(), 1);
    QCOMPARE(changed.count(), 0);
}

QTEST_GUILESS_MAIN(TestHookStore)
#include "tst_hook_store.moc"
