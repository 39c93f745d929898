#include "delivery/delivery_store.h"
#include "items/hook_filter_model.h"
#include "items/hook_list_model.h"
#include "sql_trace.h"
#include "store/database.h"
#include "store/hook_stats_store.h"
#include "store/hook_store.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <memory>

class TestHookListModel : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();
    void emptyStoreHasNoRows();
    void showsTheHooksOfTheStore();
    void eventsSummary_data();
    void eventsSummary();
    void scopeNamesTheProject();
    void toolTipsCarryTheFullStory();
    void onlyActiveIsCheckable();
    void togglingActiveWritesToTheStore();
    void failedToggleReportsAndKeepsTheRow();
    void changesKeepPersistentIndexes();
    void hookAddedByAnotherConnectionAppears();
    void filterMatchesUrlAndDescription_data();
    void filterMatchesUrlAndDescription();
    void sortsByUrlIgnoringCase();
    void recentOutcomesNewestFirst();
    void recentOutcomesFollowTheLog();
    void engineWritesRefreshOnlyTheOutcomesAtMostOncePerSecond();
    void recentToolTipTellsFailuresAndReason();
    void outcomesAreReadOnAConnectionOfTheirOwn();
    void toolTipsShowTheHealthOfTheLastDayAndWeek();

private:
    QString path() const { return m_dir->filePath(QStringLiteral("hooks.sqlite")); }
    qint64 addHook(const QString &url, const QString &description = {},
                   std::optional<qint64> project = std::nullopt);
    // Emits an event every hook gets and records its first attempt as done.
    static void deliver(DeliveryStore *deliveries, AttemptOutcome outcome, qint64 durationMs = 12);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Database> m_database;
    std::unique_ptr<HookStore> m_store;
};

void TestHookListModel::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
}

void TestHookListModel::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_database = std::make_unique<Database>();
    const std::optional<StorageError> error = m_database->open(path());
    QVERIFY2(!error, error ? qPrintable(error->message) : "");
    m_store = std::make_unique<HookStore>(m_database.get());
}

void TestHookListModel::cleanup()
{
    m_store.reset();
    m_database.reset();
    m_dir.reset();
}

qint64 TestHookListModel::addHook(const QString &url, const QString &description,
                                  std::optional<qint64> project)
{
    Webhook hook;
    hook.url = url;
    hook.description = description;
    hook.projectId = project;
    const Result<Webhook> saved = m_store->saveHook(hook);
    if (!saved)
        qWarning("%s", qPrintable(saved.error().message));
    return saved ? saved->id : 0;
}

void TestHookListModel::emptyStoreHasNoRows()
{
    HookListModel model(m_store.get());
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(model.columnCount(), int(HookListModel::ColumnCount));
    QCOMPARE(model.headerData(HookListModel::Url, Qt::Horizontal).toString(),
             QStringLiteral("URL"));
    QCOMPARE(model.headerData(HookListModel::Active, Qt::Horizontal).toString(),
             QStringLiteral("Active"));
}

void TestHookListModel::showsTheHooksOfTheStore()
{
    const qint64 first = addHook(QStringLiteral("https://ml.example.com/train"));
    const qint64 second = addHook(QStringLiteral("http://trainer:9090/hook"));
    HookListModel model(m_store.get());
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.index(0, HookListModel::Url).data().toString(),
             QStringLiteral("https://ml.example.com/train"));
    QCOMPARE(model.index(0, HookListModel::Url).data(HookListModel::HookIdRole).toLongLong(),
             first);
    QCOMPARE(model.index(1, HookListModel::Url).data().toString(),
             QStringLiteral("http://trainer:9090/hook"));
    QCOMPARE(model.rowOfHook(second), 1);
    QCOMPARE(model.index(1, HookListModel::Active).data(Qt::CheckStateRole).value<Qt::CheckState>(),
             Qt::Checked);
    QCOMPARE(model.index(1, HookListModel::Scope).data().toString(),
             QStringLiteral("Organization"));
}

void TestHookListModel::eventsSummary_data()
{
    QTest::addColumn<bool>("forAll");
    QTest::addColumn<QStringList>("actions");
    QTest::addColumn<QString>("summary");

    QTest::newRow("all") << true << QStringList() << QStringLiteral("All events");
    QTest::newRow("one") << false << QStringList{QStringLiteral("ANNOTATION_CREATED")}
                         << QStringLiteral("Annotation created");
    QTest::newRow("two, catalog order")
        << false
        << QStringList{QStringLiteral("ANNOTATION_UPDATED"), QStringLiteral("ANNOTATION_CREATED")}
        << QStringLiteral("Annotation created, Annotation updated");
    QTest::newRow("five") << false
                          << QStringList{QStringLiteral("PROJECT_UPDATED"),
                                         QStringLiteral("TASKS_CREATED"),
                                         QStringLiteral("TASKS_DELETED"),
                                         QStringLiteral("ANNOTATION_CREATED"),
                                         QStringLiteral("ANNOTATION_UPDATED")}
                          << QStringLiteral("5 events");
}

void TestHookListModel::eventsSummary()
{
    QFETCH(bool, forAll);
    QFETCH(QStringList, actions);
    QFETCH(QString, summary);

    Webhook hook;
    hook.url = QStringLiteral("https://example.com/hook");
    hook.sendForAllActions = forAll;
    hook.actions = actions;
    QVERIFY(m_store->saveHook(hook));
    HookListModel model(m_store.get());
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model.index(0, HookListModel::Events).data().toString(), summary);
}

void TestHookListModel::scopeNamesTheProject()
{
    const Result<Project> project = m_store->addProject(QStringLiteral("Cars"));
    QVERIFY(project);
    const qint64 id = addHook(QStringLiteral("https://example.com/cars"), {}, project->id);
    QVERIFY(id);
    HookListModel model(m_store.get());
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model.index(0, HookListModel::Scope).data().toString(), QStringLiteral("Cars"));
    QVERIFY(model.index(0, HookListModel::Scope)
                .data(Qt::ToolTipRole)
                .toString()
                .contains(QStringLiteral("Cars")));
}

void TestHookListModel::toolTipsCarryTheFullStory()
{
    const QString url =
        QStringLiteral("https://hooks.example.com/") + QString(300, QLatin1Char('a'));
    const qint64 id = addHook(url, QStringLiteral("Starts the nightly training"));
    // The engine disables a hook that answered 410 Gone; imitate it.
    QSqlQuery query(m_database->connection());
    QVERIFY(query.exec(QStringLiteral("UPDATE webhooks SET is_active = 0, disabled_reason = "
                                      "'The receiver answered 410 Gone.' WHERE id = %1")
                           .arg(id)));
    HookListModel model(m_store.get());
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const QString urlTip = model.index(0, HookListModel::Url).data(Qt::ToolTipRole).toString();
    QVERIFY(urlTip.contains(url));
    QVERIFY(urlTip.contains(QStringLiteral("Starts the nightly training")));
    QCOMPARE(model.index(0, HookListModel::Url).data(HookListModel::DisabledReasonRole).toString(),
             QStringLiteral("The receiver answered 410 Gone."));
    QVERIFY(model.index(0, HookListModel::Active)
                .data(Qt::ToolTipRole)
                .toString()
                .contains(QStringLiteral("410 Gone")));
    QCOMPARE(model.index(0, HookListModel::Active).data(Qt::CheckStateRole).value<Qt::CheckState>(),
             Qt::Unchecked);
}

void TestHookListModel::onlyActiveIsCheckable()
{
    addHook(QStringLiteral("https://example.com/a"));
    HookListModel model(m_store.get());
    for (int column = 0; column < HookListModel::ColumnCount; ++column) {
        const Qt::ItemFlags flags = model.flags(model.index(0, column));
        QVERIFY(flags.testFlag(Qt::ItemIsSelectable));
        QCOMPARE(flags.testFlag(Qt::ItemIsUserCheckable), column == HookListModel::Active);
        QVERIFY(!flags.testFlag(Qt::ItemIsEditable));
    }
    QVERIFY(!model.setData(model.index(0, HookListModel::Url), QStringLiteral("x")));
}

void TestHookListModel::togglingActiveWritesToTheStore()
{
    const qint64 id = addHook(QStringLiteral("https://example.com/a"));
    HookListModel model(m_store.get());
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    const QModelIndex active = model.index(0, HookListModel::Active);
    QVERIFY(model.setData(active, Qt::Unchecked, Qt::CheckStateRole));
    QCOMPARE(m_store->hook(id)->isActive, false);
    QCOMPARE(active.data(Qt::CheckStateRole).value<Qt::CheckState>(), Qt::Unchecked);
    QCOMPARE(active.data(HookListModel::IsActiveRole).toBool(), false);
    QVERIFY(!changed.isEmpty());

    QVERIFY(model.setData(active, Qt::Checked, Qt::CheckStateRole));
    QCOMPARE(m_store->hook(id)->isActive, true);
}

void TestHookListModel::failedToggleReportsAndKeepsTheRow()
{
    const qint64 id = addHook(QStringLiteral("https://example.com/a"));
    HookListModel model(m_store.get());
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    // Another process removed it; this model has not noticed yet.
    {
        Database other;
        QVERIFY(!other.open(path()));
        HookStore otherStore(&other);
        QVERIFY(otherStore.removeHook(id));
    }
    QSignalSpy failed(&model, &HookListModel::writeFailed);
    QVERIFY(
        !model.setData(model.index(0, HookListModel::Active), Qt::Unchecked, Qt::CheckStateRole));
    QCOMPARE(failed.count(), 1);
    QVERIFY(!failed.first().first().toString().isEmpty());
}

void TestHookListModel::changesKeepPersistentIndexes()
{
    const qint64 first = addHook(QStringLiteral("https://example.com/1"));
    const qint64 second = addHook(QStringLiteral("https://example.com/2"));
    addHook(QStringLiteral("https://example.com/3"));
    HookListModel model(m_store.get());
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy removed(&model, &QAbstractItemModel::rowsRemoved);
    const QPersistentModelIndex kept = model.indexOfHook(second);
    QCOMPARE(kept.row(), 1);

    QVERIFY(m_store->removeHook(first));
    QCOMPARE(removed.count(), 1);
    QCOMPARE(kept.row(), 0);

    const qint64 fourth = addHook(QStringLiteral("https://example.com/4"));
    QCOMPARE(inserted.count(), 1);
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(model.rowOfHook(fourth), 2);

    Webhook edited = m_store->hook(second).value();
    edited.url = QStringLiteral("https://example.com/two");
    const Result<Webhook> saved = m_store->saveHook(edited);
    QVERIFY2(saved, qPrintable(saved.error().message));
    QVERIFY(kept.isValid());
    QCOMPARE(kept.data().toString(), QStringLiteral("https://example.com/two"));
    QCOMPARE(kept.data(HookListModel::HookIdRole).toLongLong(), second);
    QCOMPARE(reset.count(), 0);
}

void TestHookListModel::hookAddedByAnotherConnectionAppears()
{
    addHook(QStringLiteral("https://example.com/mine"));
    HookListModel model(m_store.get());
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    {
        Database other;
        QVERIFY(!other.open(path()));
        HookStore otherStore(&other);
        Webhook hook;
        hook.url = QStringLiteral("https://example.com/from-the-cli");
        QVERIFY(otherStore.saveHook(hook));
    }
    QCOMPARE(model.rowCount(), 1);
    m_store->checkExternalChanges();
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.index(1, HookListModel::Url).data().toString(),
             QStringLiteral("https://example.com/from-the-cli"));
}

void TestHookListModel::filterMatchesUrlAndDescription_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QStringList>("urls");

    const QString a = QStringLiteral("https://ml.example.com/train");
    const QString b = QStringLiteral("http://trainer:9090/hook");
    const QString c = QStringLiteral("https://chat.example.org/notify");
    QTest::newRow("empty shows all") << QString() << QStringList{a, b, c};
    QTest::newRow("url, any case") << QStringLiteral("TRAIN") << QStringList{a, b};
    QTest::newRow("description") << QStringLiteral("annotators") << QStringList{c};
    QTest::newRow("spaces trimmed") << QStringLiteral("  9090 ") << QStringList{b};
    QTest::newRow("nothing") << QStringLiteral("zzz") << QStringList{};
}

void TestHookListModel::filterMatchesUrlAndDescription()
{
    QFETCH(QString, text);
    QFETCH(QStringList, urls);

    addHook(QStringLiteral("https://ml.example.com/train"), QStringLiteral("Nightly training"));
    addHook(QStringLiteral("http://trainer:9090/hook"));
    addHook(QStringLiteral("https://chat.example.org/notify"),
            QStringLiteral("Tell the Annotators"));
    HookListModel model(m_store.get());
    HookFilterModel filter;
    filter.setSourceModel(&model);
    QAbstractItemModelTester tester(&filter,
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    filter.setFilterText(text);
    QStringList shown;
    for (int row = 0; row < filter.rowCount(); ++row)
        shown.append(filter.index(row, HookListModel::Url).data().toString());
    QCOMPARE(shown, urls);
}

void TestHookListModel::sortsByUrlIgnoringCase()
{
    addHook(QStringLiteral("https://b.example.com/"));
    addHook(QStringLiteral("HTTPS://C.EXAMPLE.COM/"));
    addHook(QStringLiteral("https://a.example.com/"));
    HookListModel model(m_store.get());
    HookFilterModel filter;
    filter.setSourceModel(&model);
    QAbstractItemModelTester tester(&filter,
                                    QAbstractItemModelTester::FailureReportingMode::QtTest);
    filter.sort(HookListModel::Url, Qt::AscendingOrder);
    QCOMPARE(filter.index(0, HookListModel::Url).data().toString(),
             QStringLiteral("https://a.example.com/"));
    QCOMPARE(filter.index(2, HookListModel::Url).data().toString(),
             QStringLiteral("HTTPS://C.EXAMPLE.COM/"));
    // A hook added later lands in its sorted place.
    addHook(QStringLiteral("https://aa.example.com/"));
    QCOMPARE(filter.index(1, HookListModel::Url).data().toString(),
             QStringLiteral("https://aa.example.com/"));
}

void TestHookListModel::deliver(DeliveryStore *deliveries, AttemptOutcome outcome,
                                qint64 durationMs)
{
    const EventCatalog catalog;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const Result<EmitResult> emitted =
        deliveries->emitEvent(catalog, QStringLiteral("PROJECT_UPDATED"), std::nullopt,
                              catalog.samplePayload(QStringLiteral("PROJECT_UPDATED")), now);
    QVERIFY2(emitted, emitted ? "" : qPrintable(emitted.error().message));
    QList<AttemptResult> results;
    for (const qint64 id : emitted->attemptIds) {
        AttemptResult result;
        result.attemptId = id;
        result.outcome = outcome;
        result.startedAt = now;
        result.finishedAt = now;
        result.durationMs = durationMs;
        result.statusCode = outcome == AttemptOutcome::Succeeded ? 200 : 500;
        result.errorKind =
            outcome == AttemptOutcome::Succeeded ? QString() : QStringLiteral("http");
        results.append(result);
    }
    const Status recorded = deliveries->recordResults(results, now);
    QVERIFY2(recorded, recorded ? "" : qPrintable(recorded.error().message));
}

static QVariantList outcomeList(std::initializer_list<AttemptOutcome> outcomes)
{
    QVariantList list;
    for (const AttemptOutcome outcome : outcomes)
        list.append(int(outcome));
    return list;
}

void TestHookListModel::recentOutcomesNewestFirst()
{
    addHook(QStringLiteral("https://example.com/a"));
    DeliveryStore deliveries(m_database.get());
    deliver(&deliveries, AttemptOutcome::Succeeded);
    deliver(&deliveries, AttemptOutcome::Failed);
    deliver(&deliveries, AttemptOutcome::Failed);
    // Queued, not sent yet: not an outcome.
    QVERIFY(deliveries.emitEvent(EventCatalog(), QStringLiteral("PROJECT_UPDATED"), std::nullopt,
                                 EventCatalog().samplePayload(QStringLiteral("PROJECT_UPDATED")),
                                 QDateTime::currentDateTimeUtc()));

    HookListModel model(m_store.get());
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model.headerData(HookListModel::Recent, Qt::Horizontal).toString(),
             QStringLiteral("Recent"));
    const QModelIndex recent = model.index(0, HookListModel::Recent);
    // Without a delivery store the column is empty, not wrong.
    QCOMPARE(recent.data(HookListModel::RecentOutcomesRole).toList(), QVariantList());

    model.setDeliveryStore(&deliveries);
    QTRY_VERIFY(!model.outcomesPending()); // read once the event loop runs
    QCOMPARE(
        recent.data(HookListModel::RecentOutcomesRole).toList(),
        outcomeList({AttemptOutcome::Failed, AttemptOutcome::Failed, AttemptOutcome::Succeeded}));
    QCOMPARE(recent.data(HookListModel::ConsecutiveFailuresRole).toInt(), 2);

    // Only the last ten.
    for (int i = 0; i < 12; ++i)
        deliver(&deliveries, AttemptOutcome::Succeeded);
    QTRY_VERIFY(!model.outcomesPending());
    QCOMPARE(recent.data(HookListModel::RecentOutcomesRole).toList().size(),
             HookListModel::RecentOutcomeCount);
    QCOMPARE(recent.data(HookListModel::ConsecutiveFailuresRole).toInt(), 0);
}

void TestHookListModel::recentOutcomesFollowTheLog()
{
    const qint64 first = addHook(QStringLiteral("https://example.com/a"));
    addHook(QStringLiteral("https://example.com/b"));
    DeliveryStore deliveries(m_database.get());
    HookListModel model(m_store.get());
    model.setDeliveryStore(&deliveries);
    QTRY_VERIFY(!model.outcomesPending()); // read once the event loop runs
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const QPersistentModelIndex recent = model.index(model.rowOfHook(first), HookListModel::Recent);
    QCOMPARE(recent.data(HookListModel::RecentOutcomesRole).toList(), QVariantList());

    // Recorded through this connection: the row changes as soon as the
    // outcomes are read again, on the reader's thread.
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    deliver(&deliveries, AttemptOutcome::Succeeded);
    QVERIFY(model.outcomesPending());
    QTRY_COMPARE(recent.data(HookListModel::RecentOutcomesRole).toList(),
                 outcomeList({AttemptOutcome::Succeeded}));
    bool recentChanged = false;
    for (const QList<QVariant> &args : changed) {
        const QModelIndex from = args.at(0).toModelIndex();
        const QModelIndex to = args.at(1).toModelIndex();
        recentChanged |= from.column() <= HookListModel::Recent &&
                         to.column() >= HookListModel::Recent && from.row() <= recent.row() &&
                         to.row() >= recent.row();
    }
    QVERIFY(recentChanged);

    // Recorded by another process (the engine's own connection, a CLI): the
    // external-change poll brings it.
    {
        Database other;
        QVERIFY(!other.open(path()));
        DeliveryStore otherDeliveries(&other);
        deliver(&otherDeliveries, AttemptOutcome::Failed);
    }
    QCOMPARE(recent.data(HookListModel::RecentOutcomesRole).toList().size(), 1);
    m_store->checkExternalChanges();
    QTRY_COMPARE_WITH_TIMEOUT(recent.data(HookListModel::RecentOutcomesRole).toList(),
                              outcomeList({AttemptOutcome::Failed, AttemptOutcome::Succeeded}),
                              HookListModel::OutcomeRefreshMs + 1000);
    QCOMPARE(recent.data(HookListModel::ConsecutiveFailuresRole).toInt(), 1);
}

void TestHookListModel::engineWritesRefreshOnlyTheOutcomesAtMostOncePerSecond()
{
    const qint64 first = addHook(QStringLiteral("https://example.com/a"));
    DeliveryStore deliveries(m_database.get());
    HookListModel model(m_store.get());
    model.setDeliveryStore(&deliveries);
    QTRY_VERIFY(!model.outcomesPending()); // read once the event loop runs
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const QPersistentModelIndex recent = model.index(model.rowOfHook(first), HookListModel::Recent);
    m_store->checkExternalChanges(); // the first look takes everything in

    // The engine records on its own connection: with only attempts changed,
    // the poll says so, and the hooks are not read again.
    Database engine;
    QVERIFY(!engine.open(path()));
    DeliveryStore engineDeliveries(&engine);
    HookStore engineHooks(&engine);
    QSignalSpy hooksChanged(m_store.get(), &HookStore::hooksChanged);
    QSignalSpy otherChanged(m_store.get(), &HookStore::otherDataChanged);
    {
        // A hook's failure count is part of what the list shows: a failure
        // is a change of the hooks too, so record a success here.
        deliver(&engineDeliveries, AttemptOutcome::Succeeded);
    }
    m_store->checkExternalChanges();
    QCOMPARE(hooksChanged.count(), 0);
    QCOMPARE(otherChanged.count(), 1);
    // The outcomes were read when the store was set, under a second ago:
    // this read waits for the end of that second.
    QCOMPARE(recent.data(HookListModel::RecentOutcomesRole).toList().size(), 0);
    QTRY_COMPARE_WITH_TIMEOUT(recent.data(HookListModel::RecentOutcomesRole).toList(),
                              outcomeList({AttemptOutcome::Succeeded}),
                              HookListModel::OutcomeRefreshMs + 1000);

    // Another burst within the second is folded into one read at its end.
    deliver(&engineDeliveries, AttemptOutcome::Succeeded);
    model.refreshOutcomes();
    model.refreshOutcomes();
    QCOMPARE(recent.data(HookListModel::RecentOutcomesRole).toList().size(), 1);
    QTRY_COMPARE_WITH_TIMEOUT(recent.data(HookListModel::RecentOutcomesRole).toList().size(), 2,
                              HookListModel::OutcomeRefreshMs + 1000);

    // After a quiet second, a refresh reads at once, without waiting for a timer.
    QTest::qWait(HookListModel::OutcomeRefreshMs + 50);
    deliver(&engineDeliveries, AttemptOutcome::Succeeded);
    model.refreshOutcomes();
    QTRY_COMPARE_WITH_TIMEOUT(recent.data(HookListModel::RecentOutcomesRole).toList().size(), 3,
                              HookListModel::OutcomeRefreshMs / 2);

    // A hook saved elsewhere is a change of the hooks.
    Webhook hook;
    hook.url = QStringLiteral("https://example.com/from-the-cli");
    QVERIFY(engineHooks.saveHook(hook));
    m_store->checkExternalChanges();
    QCOMPARE(hooksChanged.count(), 1);
    QCOMPARE(model.rowCount(), 2);
}

void TestHookListModel::recentToolTipTellsFailuresAndReason()
{
    const qint64 id = addHook(QStringLiteral("https://example.com/a"));
    DeliveryStore deliveries(m_database.get());
    HookListModel model(m_store.get());
    model.setDeliveryStore(&deliveries);
    QTRY_VERIFY(!model.outcomesPending()); // read once the event loop runs
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const QModelIndex recent = model.index(0, HookListModel::Recent);
    QVERIFY(recent.data(Qt::ToolTipRole).toString().contains(QStringLiteral("No finished")));

    deliver(&deliveries, AttemptOutcome::Succeeded);
    for (int i = 0; i < 3; ++i)
        deliver(&deliveries, AttemptOutcome::Failed);
    QTRY_VERIFY(!model.outcomesPending());
    const QString tip = recent.data(Qt::ToolTipRole).toString();
    // The strip counts attempts, and says so (issue 13).
    QVERIFY2(tip.contains(QStringLiteral("3 of the last 4 attempts failed")), qPrintable(tip));
    QVERIFY2(tip.contains(QStringLiteral("3 failed attempts in a row")), qPrintable(tip));
    QVERIFY(!tip.contains(QStringLiteral("deliveries")));
    QVERIFY(!tip.contains(QStringLiteral("Disabled")));

    // The engine switched it off; the reason is part of the story.
    QSqlQuery query(m_database->connection());
    QVERIFY(query.exec(QStringLiteral("UPDATE webhooks SET is_active = 0, disabled_reason = "
                                      "'The receiver answered 410 Gone.' WHERE id = %1")
                           .arg(id)));
    model.reload();
    QVERIFY(
        recent.data(Qt::ToolTipRole)
            .toString()
            .contains(QStringLiteral("Disabled automatically: The receiver answered 410 Gone.")));
    // Sorting by Recent puts the unhealthiest hook last in ascending order.
    QVERIFY(recent.data(HookListModel::SortRole).toLongLong() > 0);
}

void TestHookListModel::toolTipsShowTheHealthOfTheLastDayAndWeek()
{
    const qint64 id =
        addHook(QStringLiteral("https://example.com/a"), QStringLiteral("Starts training"));
    DeliveryStore deliveries(m_database.get());
    deliver(&deliveries, AttemptOutcome::Succeeded, 50); // three days ago, below
    deliver(&deliveries, AttemptOutcome::Succeeded, 100);
    deliver(&deliveries, AttemptOutcome::Succeeded, 300);
    deliver(&deliveries, AttemptOutcome::Failed, 900);
    QSqlQuery query(m_database->connection());
    QVERIFY(query.prepare(QStringLiteral("UPDATE attempts SET created_at = ? WHERE id = ?")));
    query.addBindValue(QDateTime::currentMSecsSinceEpoch() - 3 * 86400 * 1000LL);
    query.addBindValue(1);
    QVERIFY(query.exec());
    QCOMPARE(query.numRowsAffected(), 1);

    HookListModel model(m_store.get());
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const QModelIndex url = model.index(model.rowOfHook(id), HookListModel::Url);
    QVERIFY(!url.data(Qt::ToolTipRole).toString().contains(QStringLiteral("Last 24 hours")));
    HookStatsStore stats(m_database.get());
    model.setHookStatsStore(&stats);

    // By hand: today 100 ok, 300 ok, 900 failed: 3 deliveries, 2 of 3, nearest
    // rank p50 = 2nd = 300, p95 = 3rd = 900. The week adds 50 ok: 3 of 4,
    // sorted 50 100 300 900, p50 = 2nd = 100, p95 = 4th = 900.
    const QString day =
        QStringLiteral("Last 24 hours: 3 deliveries, 66.7 % succeeded, p50 300 ms, p95 900 ms");
    const QString week =
        QStringLiteral("Last 7 days: 4 deliveries, 75.0 % succeeded, p50 100 ms, p95 900 ms");
    const QString urlTip = url.data(Qt::ToolTipRole).toString();
    QVERIFY2(urlTip.startsWith(QStringLiteral("https://example.com/a\n\nStarts training\n\n")),
             qPrintable(urlTip));
    QVERIFY2(urlTip.endsWith(day + QLatin1Char('\n') + week), qPrintable(urlTip));
    const QString recentTip =
        model.index(model.rowOfHook(id), HookListModel::Recent).data(Qt::ToolTipRole).toString();
    QVERIFY2(recentTip.contains(day) && recentTip.contains(week), qPrintable(recentTip));

    // A hook without finished attempts says so.
    const qint64 quiet = addHook(QStringLiteral("https://example.com/quiet"));
    model.reload();
    QVERIFY(model.index(model.rowOfHook(quiet), HookListModel::Url)
                .data(Qt::ToolTipRole)
                .toString()
                .endsWith(QStringLiteral("Last 24 hours: no finished attempts\n"
                                         "Last 7 days: no finished attempts")));
}

// The Recent column's read is a subquery per hook: 0.35-1.5 s with 10,000
// hooks on a busy PostgreSQL server, which held the window's first paint
// when it ran on the GUI thread's connection. The model's own connection
// (the GUI thread's) never runs it now, neither when the store is set nor
// when this connection records attempts, and the outcomes still arrive.
void TestHookListModel::outcomesAreReadOnAConnectionOfTheirOwn()
{
    const qint64 id = addHook(QStringLiteral("https://example.com/a"));
    for (int i = 0; i < 50; ++i)
        addHook(QStringLiteral("https://example.com/more-%1").arg(i));
    DeliveryStore deliveries(m_database.get());
    deliver(&deliveries, AttemptOutcome::Failed);
    SqlTrace onModelsConnection(m_database->connection());
    QVERIFY(onModelsConnection.isTracing());
    const auto outcomeReads = [&onModelsConnection] {
        return onModelsConnection.containing(QStringLiteral("outcome IN ('succeeded', 'failed')"));
    };

    HookListModel model(m_store.get());
    model.setDeliveryStore(&deliveries);
    QVERIFY(model.outcomesPending());
    const QPersistentModelIndex recent = model.index(model.rowOfHook(id), HookListModel::Recent);
    QTRY_VERIFY(!model.outcomesPending());
    QCOMPARE(recent.data(HookListModel::RecentOutcomesRole).toList(),
             outcomeList({AttemptOutcome::Failed}));
    QCOMPARE(model.index(model.rowCount() - 1, HookListModel::Recent)
                 .data(HookListModel::RecentOutcomesRole)
                 .toList()
                 .size(),
             1);

    deliver(&deliveries, AttemptOutcome::Succeeded);
    QTRY_COMPARE(recent.data(HookListModel::RecentOutcomesRole).toList(),
                 outcomeList({AttemptOutcome::Succeeded, AttemptOutcome::Failed}));
    QVERIFY(!onModelsConnection.containing(QStringLiteral("FROM webhooks")).isEmpty()); // traced
    QVERIFY2(outcomeReads().isEmpty(), qPrintable(outcomeReads().join(QLatin1Char('\n'))));

    // The measure tells: a read on this connection is caught.
    QVERIFY(deliveries.recentOutcomes(HookListModel::RecentOutcomeCount));
    QCOMPARE(outcomeReads().size(), 1);
}

QTEST_GUILESS_MAIN(TestHookListModel)
#include "tst_hook_list_model.moc"
