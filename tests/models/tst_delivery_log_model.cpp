#include "delivery/delivery_store.h"
#include "domain/webhook.h"
#include "items/delivery_log_model.h"
#include "store/database.h"
#include "store/hook_store.h"

#include <QAbstractItemModelTester>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QSignalSpy>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <memory>

// The delivery log model over a real SQLite file filled through the
// DeliveryStore; results are fabricated, no network needed.
class TestDeliveryLogModel : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void emptyLogHasNoRows();
    void rowShowsTheAttempt();
    void outcomeText_data();
    void outcomeText();
    void fetchesLazilyInPagesNewestFirst();
    void filters_data();
    void filters();
    void filterIsKeptWhileNewRowsArrive();
    void rowFromSecondConnectionAppearsAtTheTop();
    void pendingRowFinishesInPlace();
    void retryIsPrependedAndTheFailureStays();
    void hookColumnFollowsEditsAndHidesPasswords();
    void textFilterSearchesThenStops();
    void textFilterPagesWithFetchMore();
    void textFilterOldestFirst();
    void staleSearchIsDropped();
    void newRowsDuringASearchAreNotLostOrDoubled();
    void largeLogSearchDoesNotBlock();
    void aSearchDoesNotWaitForCounts();

private:
    qint64 addHook(const QString &url);
    // Emits `count` TASKS_CREATED deliveries per hook in one transaction.
    QList<qint64> emitTasks(int count, DeliveryStore *store = nullptr);
    QList<qint64> emitEvent(const QString &action, DeliveryStore *store = nullptr);
    static AttemptResult result(qint64 attemptId, AttemptOutcome outcome, int statusCode,
                                const QString &errorKind = {}, const QString &error = {});
    std::unique_ptr<DeliveryLogModel> makeModel();
    // `count` succeeded attempts of one hook in one statement (fast), their
    // error set to `needle` at the given attempt ids.
    bool fillLargeLog(int count, const QList<qint64> &needleIds, const QString &needle);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Database> m_db;
    std::unique_ptr<HookStore> m_hooks;
    std::unique_ptr<DeliveryStore> m_store;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
};

void TestDeliveryLogModel::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
}

void TestDeliveryLogModel::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_db = std::make_unique<Database>();
    const std::optional<StorageError> error =
        m_db->open(m_dir->filePath(QStringLiteral("log.sqlite")));
    QVERIFY2(!error, error ? qPrintable(error->message) : "");
    m_hooks = std::make_unique<HookStore>(m_db.get());
    m_store = std::make_unique<DeliveryStore>(m_db.get());
}

void TestDeliveryLogModel::cleanup()
{
    m_tester.reset();
    m_store.reset();
    m_hooks.reset();
    m_db.reset();
    m_dir.reset();
    qunsetenv("WEBHOOK_BATCH_SIZE");
}

qint64 TestDeliveryLogModel::addHook(const QString &url)
{
    Webhook hook;
    hook.url = url;
    Result<Webhook> saved = m_hooks->saveHook(hook);
    if (!saved)
        qWarning() << saved.error().message;
    return saved ? saved->id : 0;
}

QList<qint64> TestDeliveryLogModel::emitTasks(int count, DeliveryStore *store)
{
    qputenv("WEBHOOK_BATCH_SIZE", "1");
    QJsonArray tasks;
    for (int i = 0; i < count; ++i)
        tasks.append(QJsonObject{{QStringLiteral("id"), i + 1}});
    Result<EmitResult> emitted =
        (store ? store : m_store.get())
            ->emitEvent(m_hooks->catalog(), QStringLiteral("TASKS_CREATED"), std::nullopt,
                        {{QStringLiteral("tasks"), tasks}}, QDateTime::currentDateTimeUtc());
    qunsetenv("WEBHOOK_BATCH_SIZE");
    if (!emitted) {
        qWarning() << emitted.error().message;
        return {};
    }
    return emitted->attemptIds;
}

QList<qint64> TestDeliveryLogModel::emitEvent(const QString &action, DeliveryStore *store)
{
    const EventCatalog catalog = m_hooks->catalog();
    Result<EmitResult> emitted =
        (store ? store : m_store.get())
            ->emitEvent(catalog, action, std::nullopt, catalog.samplePayload(action),
                        QDateTime::currentDateTimeUtc());
    if (!emitted) {
        qWarning() << emitted.error().message;
        return {};
    }
    return emitted->attemptIds;
}

AttemptResult TestDeliveryLogModel::result(qint64 attemptId, AttemptOutcome outcome, int statusCode,
                                           const QString &errorKind, const QString &error)
{
    AttemptResult r;
    r.attemptId = attemptId;
    r.outcome = outcome;
    r.startedAt = QDateTime::currentDateTimeUtc();
    r.finishedAt = r.startedAt.addMSecs(123);
    r.durationMs = 123;
    r.statusCode = statusCode;
    r.errorKind = errorKind;
    r.error = error;
    r.requestHeaders = {{QStringLiteral("Content-Type"), QStringLiteral("application/json")}};
    r.responseBody = R"({"ok":true})";
    r.trace = QStringLiteral("trace");
    return r;
}

std::unique_ptr<DeliveryLogModel> TestDeliveryLogModel::makeModel()
{
    auto model = std::make_unique<DeliveryLogModel>(m_store.get(), m_hooks.get());
    m_tester = std::make_unique<QAbstractItemModelTester>(
        model.get(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    return model;
}

void TestDeliveryLogModel::emptyLogHasNoRows()
{
    auto model = makeModel();
    QCOMPARE(model->rowCount(), 0);
    QCOMPARE(model->columnCount(), int(DeliveryLogModel::ColumnCount));
    QVERIFY(model->isEmpty());
    QVERIFY(!model->canFetchMore({}));
    QCOMPARE(model->headerData(DeliveryLogModel::Outcome, Qt::Horizontal).toString(),
             QStringLiteral("Status"));
}

void TestDeliveryLogModel::rowShowsTheAttempt()
{
    const qint64 hookId = addHook(QStringLiteral("https://hooks.example.com/label-studio"));
    const QList<qint64> ids = emitEvent(QStringLiteral("ANNOTATION_CREATED"));
    QCOMPARE(ids.size(), 1);
    QVERIFY(m_store->recordResults({result(ids.first(), AttemptOutcome::Succeeded, 200)},
                                   QDateTime::currentDateTimeUtc()));

    auto model = makeModel();
    QCOMPARE(model->rowCount(), 1);
    const auto text = [&](int column) {
        return model->index(0, column).data().toString();
    };
    QCOMPARE(text(DeliveryLogModel::Hook),
             QStringLiteral("https://hooks.example.com/label-studio"));
    QCOMPARE(text(DeliveryLogModel::Event), QStringLiteral("ANNOTATION_CREATED"));
    QCOMPARE(text(DeliveryLogModel::Outcome), QStringLiteral("200"));
    QCOMPARE(text(DeliveryLogModel::Duration), QStringLiteral("123 ms"));
    QCOMPARE(text(DeliveryLogModel::AttemptNumber),
             QStringLiteral("1/%1").arg(Webhook::DefaultMaxAttempts));
    QCOMPARE(text(DeliveryLogModel::Trigger), QStringLiteral("scheduled"));
    const Attempt held = model->attemptAt(0);
    // Today's time alone; the tooltip has the date too.
    // The Queued column: when the attempt was queued, the log's order.
    QCOMPARE(text(DeliveryLogModel::Time),
             held.createdAt.toLocalTime().toString(QStringLiteral("HH:mm:ss")));
    const QString timeTip =
        model->index(0, DeliveryLogModel::Time).data(Qt::ToolTipRole).toString();
    QVERIFY2(timeTip.startsWith(
                 QStringLiteral("Queued ") +
                 held.createdAt.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"))),
             qPrintable(timeTip));
    QVERIFY2(timeTip.contains(QStringLiteral("Sent ") + held.startedAt.toLocalTime().toString(
                                                            QStringLiteral("yyyy-MM-dd HH:mm:ss"))),
             qPrintable(timeTip));

    const QModelIndex outcome = model->index(0, DeliveryLogModel::Outcome);
    QCOMPARE(outcome.data(DeliveryLogModel::AttemptIdRole).toLongLong(), ids.first());
    QCOMPARE(outcome.data(DeliveryLogModel::WebhookIdRole).toLongLong(), hookId);
    QCOMPARE(outcome.data(DeliveryLogModel::OutcomeRole).toInt(), int(AttemptOutcome::Succeeded));
    QCOMPARE(outcome.data(DeliveryLogModel::StatusCodeRole).toInt(), 200);
    QVERIFY(outcome.data(DeliveryLogModel::DeliveryIdRole).toLongLong() > 0);
    QVERIFY(
        outcome.data(DeliveryLogModel::MessageIdRole).toString().startsWith(QLatin1String("msg_")));
    QVERIFY(outcome.data(Qt::ToolTipRole).toString().contains(QLatin1String("HTTP 200")));
    QCOMPARE(model->index(0, DeliveryLogModel::Duration).data(Qt::TextAlignmentRole).toInt(),
             int(Qt::AlignRight | Qt::AlignVCenter));
}

void TestDeliveryLogModel::outcomeText_data()
{
    QTest::addColumn<int>("outcome");
    QTest::addColumn<int>("statusCode");
    QTest::addColumn<QString>("errorKind");
    QTest::addColumn<QString>("expected");

    const int ok = int(AttemptOutcome::Succeeded);
    const int failed = int(AttemptOutcome::Failed);
    QTest::newRow("200") << ok << 200 << QString() << QStringLiteral("200");
    QTest::newRow("204") << ok << 204 << QString() << QStringLiteral("204");
    QTest::newRow("500") << failed << 500 << QStringLiteral("http") << QStringLiteral("500");
    QTest::newRow("301") << failed << 301 << QStringLiteral("http") << QStringLiteral("301");
    QTest::newRow("refused") << failed << 0 << QStringLiteral("refused")
                             << QStringLiteral("refused");
    QTest::newRow("timeout") << failed << 0 << QStringLiteral("timeout")
                             << QStringLiteral("timeout");
    QTest::newRow("dns") << failed << 0 << QStringLiteral("dns") << QStringLiteral("DNS error");
    QTest::newRow("tls") << failed << 0 << QStringLiteral("tls") << QStringLiteral("TLS error");
    QTest::newRow("reset") << failed << 0 << QStringLiteral("reset") << QStringLiteral("reset");
}

void TestDeliveryLogModel::outcomeText()
{
    QFETCH(int, outcome);
    QFETCH(int, statusCode);
    QFETCH(QString, errorKind);
    QFETCH(QString, expected);
    Attempt attempt;
    attempt.outcome = AttemptOutcome(outcome);
    attempt.statusCode = statusCode;
    attempt.errorKind = errorKind;
    QCOMPARE(DeliveryLogModel::outcomeText(attempt), expected);
}

void TestDeliveryLogModel::fetchesLazilyInPagesNewestFirst()
{
    addHook(QStringLiteral("https://hooks.example.com/a"));
    QCOMPARE(emitTasks(1000).size(), 1000);

    // Without a view asking, only the first page is read.
    DeliveryLogModel model(m_store.get(), m_hooks.get());
    QCOMPARE(model.rowCount(), DeliveryLogModel::PageSize);
    QVERIFY(model.canFetchMore({}));
    QVERIFY(!model.isEmpty());
    model.fetchMore({});
    QCOMPARE(model.rowCount(), 2 * DeliveryLogModel::PageSize);

    // The tester fetches a page or two itself; it must not load everything.
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QVERIFY(model.rowCount() < 1000);
    QCOMPARE(model.rowCount() % DeliveryLogModel::PageSize, 0);

    while (model.canFetchMore({}))
        model.fetchMore({});
    QCOMPARE(model.rowCount(), 1000);
    for (int row = 1; row < model.rowCount(); ++row)
        QVERIFY(model.attemptAt(row - 1).id > model.attemptAt(row).id);
    model.fetchMore({});
    QCOMPARE(model.rowCount(), 1000);
}

void TestDeliveryLogModel::filters_data()
{
    QTest::addColumn<QString>("hook"); // "a", "b" or empty
    QTest::addColumn<QString>("action");
    QTest::addColumn<int>("outcome"); // -1: any
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("expected");

    const int ok = int(AttemptOutcome::Succeeded);
    const int failed = int(AttemptOutcome::Failed);
    const int pending = int(AttemptOutcome::Pending);
    QTest::newRow("everything") << QString() << QString() << -1 << QString() << 10;
    QTest::newRow("hook a") << QStringLiteral("a") << QString() << -1 << QString() << 5;
    QTest::newRow("event") << QString() << QStringLiteral("TASKS_CREATED") << -1 << QString() << 4;
    QTest::newRow("succeeded") << QString() << QString() << ok << QString() << 3;
    QTest::newRow("failed") << QString() << QString() << failed << QString() << 3;
    QTest::newRow("pending") << QString() << QString() << pending << QString() << 4;
    QTest::newRow("text url") << QString() << QString() << -1 << QStringLiteral("b.example") << 5;
    QTest::newRow("text status") << QString() << QString() << -1 << QStringLiteral("500") << 3;
    QTest::newRow("text error") << QString() << QString() << -1 << QStringLiteral("internal server")
                                << 3;
    QTest::newRow("hook b failed annotations")
        << QStringLiteral("b") << QStringLiteral("ANNOTATION_CREATED") << failed << QString() << 3;
    QTest::newRow("hook a failed") << QStringLiteral("a") << QString() << failed << QString() << 0;
    QTest::newRow("no match") << QString() << QString() << -1 << QStringLiteral("nowhere") << 0;
}

void TestDeliveryLogModel::filters()
{
    QFETCH(QString, hook);
    QFETCH(QString, action);
    QFETCH(int, outcome);
    QFETCH(QString, text);
    QFETCH(int, expected);

    const qint64 a = addHook(QStringLiteral("https://a.example/hook"));
    const qint64 b = addHook(QStringLiteral("https://b.example/other"));
    QList<AttemptResult> results;
    for (int i = 0; i < 3; ++i) {
        const QList<qint64> ids = emitEvent(QStringLiteral("ANNOTATION_CREATED"));
        QCOMPARE(ids.size(), 2); // one per hook, in hook order
        results.append(result(ids.at(0), AttemptOutcome::Succeeded, 200));
        results.append(result(ids.at(1), AttemptOutcome::Failed, 500, QStringLiteral("http"),
                              QStringLiteral("HTTP 500 Internal Server Error")));
    }
    for (int i = 0; i < 2; ++i)
        QCOMPARE(emitEvent(QStringLiteral("TASKS_CREATED")).size(), 2);
    QVERIFY(m_store->recordResults(results, QDateTime::currentDateTimeUtc()));

    auto model = makeModel();
    LogFilter filter;
    if (!hook.isEmpty())
        filter.webhookId = hook == QLatin1String("a") ? a : b;
    filter.action = action;
    if (outcome >= 0)
        filter.outcome = AttemptOutcome(outcome);
    filter.text = text;
    QSignalSpy reset(model.get(), &QAbstractItemModel::modelReset);
    model->setFilter(filter);
    QCOMPARE(reset.size(), filter.isEmpty() ? 0 : 1);
    QCOMPARE(model->filter(), filter);
    // A text filter is read on the search thread; the rest at once.
    QCOMPARE(model->isSearching(), !text.isEmpty());
    QTRY_VERIFY(!model->isSearching());
    QCOMPARE(model->rowCount(), expected);
    QCOMPARE(model->isEmpty(), expected == 0);
    for (int row = 0; row < model->rowCount(); ++row) {
        const Attempt &attempt = model->attemptAt(row);
        if (filter.webhookId)
            QCOMPARE(attempt.webhookId, *filter.webhookId);
        if (!action.isEmpty())
            QCOMPARE(attempt.action, action);
        if (filter.outcome)
            QCOMPARE(attempt.outcome, *filter.outcome);
    }
}

void TestDeliveryLogModel::filterIsKeptWhileNewRowsArrive()
{
    addHook(QStringLiteral("https://a.example/hook"));
    const QList<qint64> first = emitEvent(QStringLiteral("ANNOTATION_CREATED"));
    QVERIFY(m_store->recordResults(
        {result(first.first(), AttemptOutcome::Failed, 0, QStringLiteral("refused"),
                QStringLiteral("connection refused"))},
        QDateTime::currentDateTimeUtc()));
    auto model = makeModel();
    model->setPollInterval(0);
    LogFilter failedOnly;
    failedOnly.outcome = AttemptOutcome::Failed;
    model->setFilter(failedOnly);
    QCOMPARE(model->rowCount(), 1);

    // New pending rows do not match; a new failure does.
    const QList<qint64> second = emitEvent(QStringLiteral("ANNOTATION_CREATED"));
    const QList<qint64> third = emitEvent(QStringLiteral("ANNOTATION_CREATED"));
    model->refresh();
    QCOMPARE(model->rowCount(), 1);
    QVERIFY(m_store->recordResults(
        {result(third.first(), AttemptOutcome::Failed, 503, QStringLiteral("http"),
                QStringLiteral("HTTP 503 Service Unavailable"))},
        QDateTime::currentDateTimeUtc()));
    model->refresh();
    QCOMPARE(model->filter(), failedOnly);
    QVERIFY(model->rowOfAttempt(second.first()) < 0); // still pending
    QCOMPARE(model->rowCount(), 2);
    QCOMPARE(model->attemptAt(0).id, third.first());
    QCOMPARE(model->index(0, DeliveryLogModel::Outcome).data().toString(), QStringLiteral("503"));

    // An older attempt failing later joins at its place, not at the top.
    QPersistentModelIndex top = model->index(0, DeliveryLogModel::Time);
    QVERIFY(m_store->recordResults(
        {result(second.first(), AttemptOutcome::Failed, 0, QStringLiteral("reset"),
                QStringLiteral("connection reset"))},
        QDateTime::currentDateTimeUtc()));
    model->refresh();
    QCOMPARE(model->rowCount(), 3);
    QCOMPARE(model->attemptAt(0).id, third.first());
    QCOMPARE(model->attemptAt(1).id, second.first());
    QCOMPARE(model->attemptAt(2).id, first.first());
    QCOMPARE(top.row(), 0);
    model->refresh();
    QCOMPARE(model->rowCount(), 3);
}

void TestDeliveryLogModel::rowFromSecondConnectionAppearsAtTheTop()
{
    addHook(QStringLiteral("https://a.example/hook"));
    QCOMPARE(emitTasks(3).size(), 3);
    auto model = makeModel();
    QCOMPARE(model->rowCount(), 3);
    const qint64 newestBefore = model->attemptAt(0).id;
    QPersistentModelIndex oldTop = model->index(0, DeliveryLogModel::Time);

    // Another process: its commit shows only through the data version poll.
    Database other;
    QVERIFY(!other.open(m_dir->filePath(QStringLiteral("log.sqlite"))));
    DeliveryStore otherStore(&other);
    QSignalSpy inserted(model.get(), &QAbstractItemModel::rowsInserted);
    const QList<qint64> ids = emitEvent(QStringLiteral("PROJECT_UPDATED"), &otherStore);
    QCOMPARE(ids.size(), 1);

    QTRY_COMPARE(model->rowCount(), 4);
    QCOMPARE(inserted.size(), 1);
    QCOMPARE(inserted.first().at(1).toInt(), 0); // at the top
    QCOMPARE(model->attemptAt(0).id, ids.first());
    QCOMPARE(model->index(0, DeliveryLogModel::Event).data().toString(),
             QStringLiteral("PROJECT_UPDATED"));
    QVERIFY(model->index(0, DeliveryLogModel::Outcome)
                .data()
                .toString()
                .startsWith(QStringLiteral("pending — due ")));
    // What the user had is still there, one row down.
    QCOMPARE(oldTop.row(), 1);
    QCOMPARE(oldTop.data(DeliveryLogModel::AttemptIdRole).toLongLong(), newestBefore);
}

void TestDeliveryLogModel::pendingRowFinishesInPlace()
{
    addHook(QStringLiteral("https://a.example/hook"));
    const QList<qint64> ids = emitTasks(2);
    auto model = makeModel();
    QCOMPARE(model->rowCount(), 2);
    const int row = model->rowOfAttempt(ids.first());
    QVERIFY(row >= 0);
    QPersistentModelIndex outcome = model->index(row, DeliveryLogModel::Outcome);
    QCOMPARE(outcome.data(DeliveryLogModel::OutcomeRole).toInt(), int(AttemptOutcome::Pending));
    QSignalSpy changed(model.get(), &QAbstractItemModel::dataChanged);
    QSignalSpy inserted(model.get(), &QAbstractItemModel::rowsInserted);

    // Recorded by another connection: found by the poll.
    Database other;
    QVERIFY(!other.open(m_dir->filePath(QStringLiteral("log.sqlite"))));
    DeliveryStore otherStore(&other);
    QVERIFY(otherStore.recordResults({result(ids.first(), AttemptOutcome::Succeeded, 202)},
                                     QDateTime::currentDateTimeUtc()));
    QTRY_COMPARE(outcome.data(DeliveryLogModel::OutcomeRole).toInt(),
                 int(AttemptOutcome::Succeeded));
    QCOMPARE(outcome.row(), row);
    QCOMPARE(outcome.data().toString(), QStringLiteral("202"));
    QCOMPARE(model->index(row, DeliveryLogModel::Duration).data().toString(),
             QStringLiteral("123 ms"));
    QVERIFY(!changed.isEmpty());
    QCOMPARE(inserted.size(), 0);
    QCOMPARE(model->rowCount(), 2);

    // Recorded in this process: attemptsChanged, no poll needed.
    model->setPollInterval(0);
    const int otherRow = model->rowOfAttempt(ids.last());
    QVERIFY(m_store->recordResults(
        {result(ids.last(), AttemptOutcome::Failed, 0, QStringLiteral("timeout"),
                QStringLiteral("no answer within 10 s"))},
        QDateTime::currentDateTimeUtc()));
    QTRY_COMPARE(model->index(otherRow, DeliveryLogModel::Outcome).data().toString(),
                 QStringLiteral("timeout"));
    QVERIFY(model->index(otherRow, DeliveryLogModel::Outcome)
                .data(Qt::ToolTipRole)
                .toString()
                .contains(QLatin1String("no answer within 10 s")));
}

void TestDeliveryLogModel::retryIsPrependedAndTheFailureStays()
{
    addHook(QStringLiteral("https://a.example/hook"));
    const QList<qint64> ids = emitEvent(QStringLiteral("ANNOTATION_CREATED"));
    auto model = makeModel();
    model->setPollInterval(0);
    QCOMPARE(model->rowCount(), 1);

    AttemptResult failed = result(ids.first(), AttemptOutcome::Failed, 500, QStringLiteral("http"),
                                  QStringLiteral("HTTP 500 Internal Server Error"));
    failed.nextAttemptAt = QDateTime::currentDateTimeUtc().addSecs(300);
    QVERIFY(m_store->recordResults({failed}, QDateTime::currentDateTimeUtc()));
    model->refresh();
    QCOMPARE(model->rowCount(), 2);
    QCOMPARE(model->index(0, DeliveryLogModel::AttemptNumber).data().toString(),
             QStringLiteral("2/%1").arg(Webhook::DefaultMaxAttempts));
    QCOMPARE(model->index(0, DeliveryLogModel::Outcome).data(DeliveryLogModel::OutcomeRole).toInt(),
             int(AttemptOutcome::Pending));
    // Today's due time alone; a due time past midnight (CI runs at any hour) with its date.
    const QDateTime dueLocal = failed.nextAttemptAt->toLocalTime();
    const QString due = dueLocal.date() == QDate::currentDate()
                            ? dueLocal.toString(QStringLiteral("HH:mm:ss"))
                            : dueLocal.toString(QStringLiteral("yyyy-MM-dd HH:mm"));
    QCOMPARE(model->index(0, DeliveryLogModel::Outcome).data().toString(),
             QStringLiteral("pending — due %1").arg(due));
    QCOMPARE(model->index(1, DeliveryLogModel::Outcome).data().toString(), QStringLiteral("500"));

    // Redelivering by hand brings the waiting retry forward, marked manual.
    QVERIFY(m_store->redeliver(model->attemptAt(0).deliveryId, QDateTime::currentDateTimeUtc()));
    model->refresh();
    QCOMPARE(model->rowCount(), 2);
    QCOMPARE(model->index(0, DeliveryLogModel::Trigger).data().toString(),
             QStringLiteral("manual"));
}

void TestDeliveryLogModel::hookColumnFollowsEditsAndHidesPasswords()
{
    const qint64 id = addHook(QStringLiteral("https://robot:hunter2@hooks.example.com/in"));
    QCOMPARE(emitEvent(QStringLiteral("ANNOTATION_CREATED")).size(), 1);
    auto model = makeModel();
    const QModelIndex hook = model->index(0, DeliveryLogModel::Hook);
    QVERIFY(!hook.data().toString().contains(QLatin1String("hunter2")));
    QVERIFY(hook.data().toString().contains(QLatin1String("hooks.example.com/in")));
    QVERIFY(!hook.data(Qt::ToolTipRole).toString().contains(QLatin1String("hunter2")));

    Result<Webhook> stored = m_hooks->hook(id);
    QVERIFY(stored);
    Webhook edited = stored.value();
    edited.url = QStringLiteral("https://hooks.example.com/moved");
    QSignalSpy changed(model.get(), &QAbstractItemModel::dataChanged);
    QVERIFY(m_hooks->saveHook(edited));
    QVERIFY(!changed.isEmpty());
    // Looked up again for the rows shown, in one statement a moment later.
    QTRY_COMPARE(model->index(0, DeliveryLogModel::Hook).data().toString(),
                 QStringLiteral("https://hooks.example.com/moved"));
}

bool TestDeliveryLogModel::fillLargeLog(int count, const QList<qint64> &needleIds,
                                        const QString &needle)
{
    const qint64 hook = addHook(QStringLiteral("https://bulk.example/hook"));
    QSqlDatabase db = m_db->connection();
    if (!db.transaction())
        return false;
    QSqlQuery query(db);
    query.prepare(QStringLiteral(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?) "
        "INSERT INTO deliveries (id, webhook_id, action, message_id, body, status, "
        "attempt_count, created_at, updated_at) "
        "SELECT i, ?, 'TASKS_CREATED', 'msg_bulk_' || i, X'7B7D', 'succeeded', 1, 0, 0 FROM n"));
    query.addBindValue(count);
    query.addBindValue(hook);
    bool ok = query.exec();
    ok = ok && query.exec(QStringLiteral(
                   "INSERT INTO attempts (id, delivery_id, webhook_id, action, number, "
                   "max_attempts, trigger, outcome, due_at, started_at, finished_at, duration_ms, "
                   "url, status_code, created_at) SELECT id, id, webhook_id, action, 1, 1, "
                   "'scheduled', 'succeeded', 0, 0, 0, 5, 'https://bulk.example/hook', 200, 0 "
                   "FROM deliveries ORDER BY id"));
    for (const qint64 id : needleIds) {
        if (!ok)
            break;
        query.prepare(QStringLiteral("UPDATE attempts SET outcome = 'failed', status_code = 0, "
                                     "error = ? WHERE id = ?"));
        query.addBindValue(needle);
        query.addBindValue(id);
        ok = query.exec();
    }
    if (!ok) {
        qWarning() << query.lastError().text();
        db.rollback();
        return false;
    }
    return db.commit();
}

void TestDeliveryLogModel::textFilterSearchesThenStops()
{
    addHook(QStringLiteral("https://a.example/hook"));
    addHook(QStringLiteral("https://b.example/other"));
    for (int i = 0; i < 3; ++i)
        QCOMPARE(emitEvent(QStringLiteral("ANNOTATION_CREATED")).size(), 2);
    auto model = makeModel();
    QCOMPARE(model->rowCount(), 6);
    QSignalSpy searching(model.get(), &DeliveryLogModel::searchingChanged);
    LogFilter filter;
    filter.text = QStringLiteral("b.example");
    model->setFilter(filter);
    // Nothing held yet, and not "empty": the answer is still to come.
    QCOMPARE(model->rowCount(), 0);
    QVERIFY(model->isSearching());
    QVERIFY(!model->isEmpty());
    QVERIFY(!model->canFetchMore({}));
    QCOMPARE(searching.size(), 1);
    QCOMPARE(searching.at(0).at(0).toBool(), true);
    QTRY_COMPARE(searching.size(), 2);
    QCOMPARE(searching.at(1).at(0).toBool(), false);
    QVERIFY(!model->isSearching());
    QCOMPARE(model->rowCount(), 3);
    for (int row = 0; row < 3; ++row)
        QVERIFY(model->attemptAt(row).url.contains(QLatin1String("b.example")));
    QVERIFY(!model->canFetchMore({}));

    // A term that matches nothing ends as an empty log, not a searching one.
    filter.text = QStringLiteral("nowhere");
    model->setFilter(filter);
    QVERIFY(model->isSearching());
    QTRY_VERIFY(!model->isSearching());
    QCOMPARE(model->rowCount(), 0);
    QVERIFY(model->isEmpty());

    // Clearing the text reads synchronously again.
    model->setFilter({});
    QVERIFY(!model->isSearching());
    QCOMPARE(model->rowCount(), 6);
}

void TestDeliveryLogModel::textFilterPagesWithFetchMore()
{
    addHook(QStringLiteral("https://a.example/hook"));
    QCOMPARE(emitTasks(450).size(), 450);
    addHook(QStringLiteral("https://b.example/other"));
    QCOMPARE(emitTasks(10).size(), 20); // both hooks now
    auto model = makeModel();
    LogFilter filter;
    filter.text = QStringLiteral("a.example");
    model->setFilter(filter);
    QTRY_VERIFY(!model->isSearching());
    QCOMPARE(model->rowCount(), DeliveryLogModel::PageSize);
    QVERIFY(model->canFetchMore({}));
    while (model->canFetchMore({}) || model->isSearching()) {
        model->fetchMore({});
        QTRY_VERIFY(!model->isSearching());
    }
    QCOMPARE(model->rowCount(), 460);
    for (int row = 0; row < model->rowCount(); ++row) {
        QVERIFY(model->attemptAt(row).url.contains(QLatin1String("a.example")));
        if (row > 0)
            QVERIFY(model->attemptAt(row - 1).id > model->attemptAt(row).id);
    }
}

void TestDeliveryLogModel::textFilterOldestFirst()
{
    addHook(QStringLiteral("https://a.example/hook"));
    addHook(QStringLiteral("https://b.example/other"));
    const QList<qint64> first = emitEvent(QStringLiteral("ANNOTATION_CREATED"));
    QCOMPARE(emitTasks(300).size(), 600);
    auto model = makeModel();
    model->sort(DeliveryLogModel::Time, Qt::AscendingOrder);
    LogFilter filter;
    filter.text = QStringLiteral("b.example");
    model->setFilter(filter);
    QTRY_VERIFY(!model->isSearching());
    QCOMPARE(model->rowCount(), DeliveryLogModel::PageSize);
    QCOMPARE(model->attemptAt(0).id, first.at(1));
    model->fetchMore({});
    QTRY_VERIFY(!model->isSearching());
    QCOMPARE(model->rowCount(), 301);
    for (int row = 1; row < model->rowCount(); ++row)
        QVERIFY(model->attemptAt(row - 1).id < model->attemptAt(row).id);
}

void TestDeliveryLogModel::staleSearchIsDropped()
{
    addHook(QStringLiteral("https://a.example/hook"));
    addHook(QStringLiteral("https://b.example/other"));
    for (int i = 0; i < 5; ++i)
        QCOMPARE(emitEvent(QStringLiteral("ANNOTATION_CREATED")).size(), 2);
    auto model = makeModel();
    QList<qint64> seen;
    connect(model.get(), &QAbstractItemModel::rowsInserted, model.get(),
            [&](const QModelIndex &, int first, int last) {
                for (int row = first; row <= last; ++row)
                    seen.append(model->attemptAt(row).webhookId);
            });
    LogFilter filter;
    filter.text = QStringLiteral("a.example");
    model->setFilter(filter);
    // Let the first search answer into the event queue, then type on.
    QThread::msleep(300);
    filter.text = QStringLiteral("b.example");
    model->setFilter(filter);
    QTRY_VERIFY(!model->isSearching());
    QCOMPARE(model->rowCount(), 5);
    QCOMPARE(seen.size(), 5);
    const qint64 b = model->attemptAt(0).webhookId;
    for (int row = 0; row < 5; ++row) {
        QVERIFY(model->attemptAt(row).url.contains(QLatin1String("b.example")));
        QCOMPARE(seen.at(row), b);
    }

    // Cleared while a search runs: its answer does not come back.
    filter.text = QStringLiteral("a.example");
    model->setFilter(filter);
    QThread::msleep(300);
    model->setFilter({});
    QCOMPARE(model->rowCount(), 10);
    QTest::qWait(100);
    QCOMPARE(model->rowCount(), 10);
    QVERIFY(!model->isSearching());
}

void TestDeliveryLogModel::newRowsDuringASearchAreNotLostOrDoubled()
{
    addHook(QStringLiteral("https://a.example/hook"));
    QCOMPARE(emitTasks(5).size(), 5);
    auto model = makeModel();
    model->setPollInterval(0);
    LogFilter filter;
    filter.text = QStringLiteral("a.example");
    model->setFilter(filter);
    QVERIFY(model->isSearching());
    // New rows arrive before the search answered: refresh() takes those newer
    // than the search's start, the search the rest.
    QCOMPARE(emitTasks(2).size(), 2);
    model->refresh();
    QCOMPARE(model->rowCount(), 2);
    QVERIFY(model->isSearching());
    QTRY_VERIFY(!model->isSearching());
    QCOMPARE(model->rowCount(), 7);
    for (int row = 1; row < model->rowCount(); ++row)
        QVERIFY(model->attemptAt(row - 1).id > model->attemptAt(row).id);
    model->refresh();
    QCOMPARE(model->rowCount(), 7);
    // And after the search: a new row joins at the top.
    QCOMPARE(emitTasks(1).size(), 1);
    model->refresh();
    QCOMPARE(model->rowCount(), 8);
    QVERIFY(model->attemptAt(0).id > model->attemptAt(1).id);
}

void TestDeliveryLogModel::largeLogSearchDoesNotBlock()
{
    constexpr int Count = 200000;
    // Matches in different windows of the scan, newest first.
    const QList<qint64> needles = {Count - 5, 130000, 70000, 10};
    QVERIFY(fillLargeLog(Count, needles, QStringLiteral("needle in the log")));
    auto model = makeModel();
    model->setPollInterval(0);
    QVERIFY(model->rowCount() >= DeliveryLogModel::PageSize);

    // Matching nothing means reading every row; setFilter does not wait for it.
    LogFilter filter;
    filter.text = QStringLiteral("matches-no-attempt");
    QElapsedTimer clock;
    clock.start();
    model->setFilter(filter);
    QVERIFY2(clock.elapsed() < 50, qPrintable(QString::number(clock.elapsed())));
    QVERIFY(model->isSearching());
    QTRY_VERIFY_WITH_TIMEOUT(!model->isSearching(), 60000);
    QVERIFY(model->isEmpty());

    // The matches come as each window is read, newest first.
    QSignalSpy inserted(model.get(), &QAbstractItemModel::rowsInserted);
    filter.text = QStringLiteral("needle");
    model->setFilter(filter);
    QTRY_VERIFY_WITH_TIMEOUT(!model->isSearching(), 60000);
    QCOMPARE(model->rowCount(), 4);
    QVERIFY(inserted.size() > 1);
    for (int row = 0; row < 4; ++row)
        QCOMPARE(model->attemptAt(row).id, needles.at(row));

    // A newer search does not wait for an older full scan.
    filter.text = QStringLiteral("matches-no-attempt-either");
    model->setFilter(filter);
    filter.text = QStringLiteral("needle in");
    model->setFilter(filter);
    QTRY_VERIFY_WITH_TIMEOUT(!model->isSearching(), 60000);
    QCOMPARE(model->rowCount(), 4);
}

void TestDeliveryLogModel::aSearchDoesNotWaitForCounts()
{
    // Counting the matches of a text filter reads every attempt; the page
    // the user typed for comes first, and the counts still arrive after it.
    constexpr int Count = 400000;
    const QList<qint64> needles = {Count - 3, Count - 7, 5};
    QVERIFY(fillLargeLog(Count, needles, QStringLiteral("needle in the log")));
    auto model = makeModel();
    model->setPollInterval(0);

    QElapsedTimer clock;
    clock.start();
    qint64 rowsAt = -1;
    qint64 countsAt = -1;
    qint64 matches = -2;
    connect(model.get(), &QAbstractItemModel::rowsInserted, this, [&] {
        if (rowsAt < 0 && model->rowCount() > 0 && model->filter().text == QLatin1String("needle"))
            rowsAt = clock.nsecsElapsed();
    });
    connect(model.get(), &QAbstractItemModel::modelReset, this, [&] {
        if (rowsAt < 0 && model->rowCount() > 0 && model->filter().text == QLatin1String("needle"))
            rowsAt = clock.nsecsElapsed();
    });
    const quint64 asked = [&] {
        LogFilter filter;
        filter.text = QStringLiteral("needle");
        // Counts asked first, as the pane does when the filter changes; a
        // pass over 400,000 attempts on the log's thread, then the page.
        const quint64 number = model->readCounts(filter, true);
        QThread::msleep(20); // the count is under way
        model->setFilter(filter);
        return number;
    }();
    connect(model.get(), &DeliveryLogModel::countsRead, this,
            [&](quint64 request, qint64 m, qint64, const QString &error) {
                QVERIFY2(error.isEmpty(), qPrintable(error));
                if (request == asked) {
                    countsAt = clock.nsecsElapsed();
                    matches = m;
                }
            });
    QTRY_VERIFY_WITH_TIMEOUT(countsAt > 0, 60000);
    QVERIFY(rowsAt > 0);
    QVERIFY2(rowsAt < countsAt, qPrintable(QStringLiteral("rows at %1 ms, counts at %2 ms")
                                               .arg(rowsAt / 1e6)
                                               .arg(countsAt / 1e6)));
    QCOMPARE(matches, qint64(needles.size()));
    QTRY_VERIFY_WITH_TIMEOUT(!model->isSearching(), 60000);
    QCOMPARE(model->rowCount(), 3);
}

QTEST_GUILESS_MAIN(TestDeliveryLogModel)
#include "tst_delivery_log_model.moc"
