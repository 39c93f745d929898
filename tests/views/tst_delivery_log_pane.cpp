#include "attempt_details.h"
#include "delivery/delivery_store.h"
#include "delivery_chart_view.h"
#include "delivery_log_pane.h"
#include "items/delivery_chart_model.h"
#include "items/delivery_log_model.h"
#include "sql_trace.h"
#include "store/database.h"
#include "store/hook_store.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QElapsedTimer>
#include <QFile>
#include <QHeaderView>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScopeGuard>
#include <QScrollBar>
#include <QSettings>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlDriver>
#include <QSqlError>
#include <QSqlQuery>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QTableView>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBlock>
#include <QTextLayout>
#include <QTimer>
#include <QToolButton>
#include <memory>

// The log pane over a real SQLite file, offscreen.
class TestDeliveryLogPane : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void emptyLogSaysWhatToDo();
    void filtersFromTheBar();
    void searchIsDebounced();
    void typedSearchShowsSearchingThenRows();
    void selectedWebhookOnlyFollowsTheMainWindow();
    void selectingARowShowsItsDetails();
    void pendingAttemptShowsWhatIsKnown();
    void redeliverAddsAPendingManualRow();
    void redeliverAllFailedAsksWithTheCount();
    void copyAsCurlHasNoSecrets();
    void exportWritesTheFilteredLog();
    void newRowsDoNotMoveWhatTheUserReads();
    void detailsUseOneVocabulary();
    void failedFilterAndRedeliverFailedTellApart();
    void timeColumnIsInItsOrder();
    void matchCountAndClearFilters();
    void countsNeverMakeTheGuiThreadWait();
    void openingRunsNoLongQueryOnTheGuiThread();

private:
    void fillLog();
    bool fillRecentLog(int count);
    int rowOf(qint64 attemptId) const;
    void selectRow(int row);
    template <typename T>
    T *child(const char *name) const
    {
        T *widget = m_pane->findChild<T *>(QLatin1String(name));
        if (!widget)
            qWarning() << "no child" << name;
        return widget;
    }

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Database> m_db;
    std::unique_ptr<HookStore> m_hooks;
    std::unique_ptr<DeliveryStore> m_store;
    std::unique_ptr<DeliveryLogPane> m_pane;
    qint64 m_hookA = 0;
    qint64 m_hookB = 0;
    qint64 m_okAttempt = 0;
    qint64 m_failedAttempt = 0;
    qint64 m_pendingAttempt = 0;
};

void TestDeliveryLogPane::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
}

void TestDeliveryLogPane::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_db = std::make_unique<Database>();
    QVERIFY(!m_db->open(m_dir->filePath(QStringLiteral("log.sqlite"))));
    m_hooks = std::make_unique<HookStore>(m_db.get());
    m_store = std::make_unique<DeliveryStore>(m_db.get());
}

void TestDeliveryLogPane::cleanup()
{
    m_pane.reset();
    m_store.reset();
    m_hooks.reset();
    m_db.reset();
    m_dir.reset();
}

// Hook A answered 200 to an annotation, hook B 500; a task event waits.
void TestDeliveryLogPane::fillLog()
{
    Webhook a;
    a.url = QStringLiteral("https://a.example/hook");
    a.headers = {{QStringLiteral("X-Api-Key"), QStringLiteral("sk_live_topsecret"), true}};
    Webhook b;
    b.url = QStringLiteral("https://b.example/other");
    Result<Webhook> savedA = m_hooks->saveHook(a);
    Result<Webhook> savedB = m_hooks->saveHook(b);
    QVERIFY(savedA && savedB);
    m_hookA = savedA->id;
    m_hookB = savedB->id;

    const EventCatalog catalog = m_hooks->catalog();
    const auto emitEvent = [&](const QString &action) {
        Result<EmitResult> emitted =
            m_store->emitEvent(catalog, action, std::nullopt, catalog.samplePayload(action),
                               QDateTime::currentDateTimeUtc());
        return emitted ? emitted->attemptIds : QList<qint64>();
    };
    const QList<qint64> first = emitEvent(QStringLiteral("ANNOTATION_CREATED"));
    QCOMPARE(first.size(), 2);
    m_okAttempt = first.at(0);
    m_failedAttempt = first.at(1);

    AttemptResult ok;
    ok.attemptId = m_okAttempt;
    ok.outcome = AttemptOutcome::Succeeded;
    ok.startedAt = QDateTime::currentDateTimeUtc();
    ok.finishedAt = ok.startedAt.addMSecs(87);
    ok.durationMs = 87;
    ok.statusCode = 200;
    ok.requestHeaders = {{QStringLiteral("Content-Type"), QStringLiteral("application/json")},
                         {QStringLiteral("webhook-id"), QStringLiteral("msg_test")},
                         {QStringLiteral("X-Api-Key"), maskedSecret()},
                         {QStringLiteral("Authorization"), maskedSecret()}};
    ok.responseHeaders = {{QStringLiteral("Content-Type"), QStringLiteral("application/json")}};
    ok.responseBody = R"({"received":true,"items":[1,2]})";
    ok.trace = QStringLiteral("Delivered: HTTP 200 OK\nPhase reached: response received");
    AttemptResult bad = ok;
    bad.attemptId = m_failedAttempt;
    bad.outcome = AttemptOutcome::Failed;
    bad.statusCode = 500;
    bad.errorKind = QStringLiteral("http");
    bad.error = QStringLiteral("HTTP 500 Internal Server Error");
    bad.responseBody = QByteArray(70000, 'x');
    bad.responseTruncated = true;
    bad.trace = QStringLiteral("Failed: HTTP 500 Internal Server Error");
    QVERIFY(m_store->recordResults({ok, bad}, QDateTime::currentDateTimeUtc()));
    const QList<qint64> tasks = emitEvent(QStringLiteral("TASKS_CREATED"));
    QCOMPARE(tasks.size(), 2);
    m_pendingAttempt = tasks.first();
}

int TestDeliveryLogPane::rowOf(qint64 attemptId) const
{
    return m_pane->model()->rowOfAttempt(attemptId);
}

void TestDeliveryLogPane::selectRow(int row)
{
    QTableView *table = m_pane->table();
    table->selectionModel()->setCurrentIndex(table->model()->index(row, 0),
                                             QItemSelectionModel::ClearAndSelect |
                                                 QItemSelectionModel::Rows);
}

void TestDeliveryLogPane::emptyLogSaysWhatToDo()
{
    m_pane = std::make_unique<DeliveryLogPane>(m_store.get(), m_hooks.get());
    m_pane->resize(1000, 500);
    m_pane->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_pane.get()));
    auto *empty = child<QLabel>("deliveryLogEmpty");
    QVERIFY(empty);
    QVERIFY(empty->isVisible());
    QVERIFY(!m_pane->table()->isVisible());
    QCOMPARE(empty->text(), QStringLiteral("No deliveries yet — send a test or emit an event"));
    QVERIFY(!m_pane->exportAction()->isEnabled());
    QVERIFY(!m_pane->redeliverAction()->isEnabled());

    // The first delivery replaces the empty state.
    Webhook hook;
    hook.url = QStringLiteral("https://a.example/hook");
    QVERIFY(m_hooks->saveHook(hook));
    const EventCatalog catalog = m_hooks->catalog();
    QVERIFY(m_store->emitEvent(catalog, QStringLiteral("PROJECT_UPDATED"), std::nullopt,
                               catalog.samplePayload(QStringLiteral("PROJECT_UPDATED")),
                               QDateTime::currentDateTimeUtc()));
    QTRY_VERIFY(m_pane->table()->isVisible());
    QVERIFY(!empty->isVisible());
    QCOMPARE(m_pane->model()->rowCount(), 1);
}

void TestDeliveryLogPane::filtersFromTheBar()
{
    fillLog();
    m_pane = std::make_unique<DeliveryLogPane>(m_store.get(), m_hooks.get());
    QCOMPARE(m_pane->model()->rowCount(), 4);

    auto *hooks = child<QComboBox>("hookFilter");
    auto *events = child<QComboBox>("eventFilter");
    auto *outcomes = child<QComboBox>("outcomeFilter");
    QVERIFY(hooks && events && outcomes);
    QCOMPARE(hooks->count(), 3); // all + two hooks
    QCOMPARE(hooks->itemText(0), QStringLiteral("All webhooks"));
    QVERIFY(events->findText(QStringLiteral("TASKS_CREATED")) > 0);

    hooks->setCurrentIndex(hooks->findData(m_hookB));
    QCOMPARE(m_pane->filter().webhookId, std::optional<qint64>(m_hookB));
    QCOMPARE(m_pane->model()->rowCount(), 2);

    outcomes->setCurrentIndex(outcomes->findText(QStringLiteral("Failed attempts")));
    QCOMPARE(m_pane->model()->rowCount(), 1);
    QCOMPARE(m_pane->model()->attemptAt(0).id, m_failedAttempt);

    outcomes->setCurrentIndex(0);
    events->setCurrentIndex(events->findText(QStringLiteral("TASKS_CREATED")));
    QCOMPARE(m_pane->model()->rowCount(), 1);
    QCOMPARE(m_pane->model()->attemptAt(0).action, QStringLiteral("TASKS_CREATED"));

    // Nothing matches: says so rather than looking empty.
    outcomes->setCurrentIndex(outcomes->findText(QStringLiteral("Succeeded")));
    QCOMPARE(m_pane->model()->rowCount(), 0);
    QCOMPARE(child<QLabel>("deliveryLogEmpty")->text(),
             QStringLiteral("No deliveries match the filter."));

    hooks->setCurrentIndex(0);
    events->setCurrentIndex(0);
    outcomes->setCurrentIndex(0);
    QVERIFY(m_pane->filter().isEmpty());
    QCOMPARE(m_pane->model()->rowCount(), 4);
}

void TestDeliveryLogPane::searchIsDebounced()
{
    fillLog();
    m_pane = std::make_unique<DeliveryLogPane>(m_store.get(), m_hooks.get());
    auto *search = child<QLineEdit>("logSearch");
    QVERIFY(search);
    QTest::keyClicks(search, QStringLiteral("500"));
    // Not on every key: the model still shows everything right after typing.
    QCOMPARE(m_pane->model()->rowCount(), 4);
    QTRY_COMPARE(m_pane->model()->rowCount(), 1);
    QCOMPARE(m_pane->model()->attemptAt(0).id, m_failedAttempt);
    QCOMPARE(m_pane->filter().text, QStringLiteral("500"));
    search->clear();
    QTRY_COMPARE(m_pane->model()->rowCount(), 4);
}

void TestDeliveryLogPane::typedSearchShowsSearchingThenRows()
{
    fillLog();
    m_pane = std::make_unique<DeliveryLogPane>(m_store.get(), m_hooks.get());
    m_pane->resize(1000, 600);
    m_pane->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_pane.get()));
    auto *search = child<QLineEdit>("logSearch");
    auto *empty = child<QLabel>("deliveryLogEmpty");
    QVERIFY(search && empty);
    // What the pane shows the moment the search starts and ends.
    QStringList shown;
    connect(
        m_pane->model(), &DeliveryLogModel::searchingChanged, m_pane.get(), [&](bool searching) {
            shown.append(QString(QLatin1String(searching ? "start: " : "end: ") +
                                 (empty->isVisible() ? empty->text() : QStringLiteral("table"))));
        });

    search->setFocus();
    QTest::keyClicks(search, QStringLiteral("b.example"));
    QTRY_COMPARE(shown.size(), 2);
    QCOMPARE(shown.at(0), QStringLiteral("start: Searching the log…"));
    QCOMPARE(shown.at(1), QStringLiteral("end: table"));
    QVERIFY(m_pane->table()->isVisible());
    QCOMPARE(m_pane->model()->rowCount(), 2); // hook B's failure and its pending task
    for (int row = 0; row < 2; ++row)
        QCOMPARE(m_pane->model()->attemptAt(row).webhookId, m_hookB);

    // Typed on to a term nothing matches: searching, then says so.
    shown.clear();
    QTest::keyClicks(search, QStringLiteral("-nowhere"));
    QTRY_COMPARE(shown.size(), 2);
    QCOMPARE(shown.at(0), QStringLiteral("start: Searching the log…"));
    QCOMPARE(shown.at(1), QStringLiteral("end: No deliveries match the filter."));
    QVERIFY(empty->isVisible());
    QVERIFY(!m_pane->model()->isSearching());

    search->clear();
    QTRY_COMPARE(m_pane->model()->rowCount(), 4);
    QVERIFY(m_pane->table()->isVisible());
}

void TestDeliveryLogPane::selectedWebhookOnlyFollowsTheMainWindow()
{
    fillLog();
    m_pane = std::make_unique<DeliveryLogPane>(m_store.get(), m_hooks.get());
    auto *selectedOnly = child<QCheckBox>("selectedHookOnly");
    auto *hooks = child<QComboBox>("hookFilter");
    QVERIFY(selectedOnly && hooks);
    m_pane->setSelectedHook(m_hookA);
    QCOMPARE(m_pane->model()->rowCount(), 4); // not asked for yet
    selectedOnly->setChecked(true);
    QVERIFY(!hooks->isEnabled());
    QCOMPARE(m_pane->model()->rowCount(), 2);
    for (int row = 0; row < 2; ++row)
        QCOMPARE(m_pane->model()->attemptAt(row).webhookId, m_hookA);
    m_pane->setSelectedHook(m_hookB);
    QCOMPARE(m_pane->model()->rowCount(), 2);
    QCOMPARE(m_pane->model()->attemptAt(0).webhookId, m_hookB);
    m_pane->setSelectedHook(0);
    QCOMPARE(m_pane->model()->rowCount(), 0);
    QCOMPARE(child<QLabel>("deliveryLogEmpty")->text(),
             QStringLiteral("Select a webhook in the list to see its deliveries."));
    selectedOnly->setChecked(false);
    QVERIFY(hooks->isEnabled());
    QCOMPARE(m_pane->model()->rowCount(), 4);
}

void TestDeliveryLogPane::selectingARowShowsItsDetails()
{
    fillLog();
    m_pane = std::make_unique<DeliveryLogPane>(m_store.get(), m_hooks.get());
    m_pane->resize(1000, 600);
    m_pane->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_pane.get()));
    // No placeholder holds room while nothing is selected.
    QVERIFY(!m_pane->details()->isVisible());
    QVERIFY(!child<QWidget>("detailsColumn")->isVisible());

    selectRow(rowOf(m_okAttempt));
    QVERIFY(child<QWidget>("detailsColumn")->isVisible());
    QCOMPARE(m_pane->currentAttemptId(), m_okAttempt);
    QVERIFY(m_pane->details()->isVisible());
    QCOMPARE(m_pane->details()->attemptId(), m_okAttempt);
    QVERIFY(m_pane->copyCurlAction()->isEnabled());
    QVERIFY(m_pane->redeliverAction()->isEnabled());

    // Request: method and URL, headers as rows, the body indented.
    QCOMPARE(child<QLabel>("requestLine")->text(), QStringLiteral("POST https://a.example/hook"));
    auto *requestHeaders = child<QTableWidget>("requestHeaders");
    QCOMPARE(requestHeaders->rowCount(), 4);
    QCOMPARE(requestHeaders->item(1, 0)->text(), QStringLiteral("webhook-id"));
    QCOMPARE(requestHeaders->item(1, 1)->text(), QStringLiteral("msg_test"));
    QCOMPARE(requestHeaders->item(2, 1)->text(), maskedSecret());
    auto *requestBody = child<QPlainTextEdit>("requestBody");
    const QString body = requestBody->toPlainText();
    QVERIFY(body.startsWith(QLatin1String("{\n    \"action\": \"ANNOTATION_CREATED\"")));
    QVERIFY(!body.contains(QLatin1String("sk_live_topsecret")));
    // Highlighted: the key on the second line carries a format.
    const QTextBlock keyLine = requestBody->document()->findBlockByNumber(1);
    QVERIFY(!keyLine.layout()->formats().isEmpty());

    // Response: status, headers, pretty body; not truncated.
    m_pane->details()->setCurrentIndex(AttemptDetails::ResponseTab);
    QCOMPARE(child<QLabel>("statusLine")->text(), QStringLiteral("HTTP 200 · 87 ms"));
    QCOMPARE(child<QTableWidget>("responseHeaders")->rowCount(), 1);
    QCOMPARE(child<QPlainTextEdit>("responseBody")->toPlainText(),
             QStringLiteral("{\n    \"items\": [\n        1,\n        2\n    ],\n    "
                            "\"received\": true\n}"));
    QVERIFY(!child<QLabel>("truncatedNote")->isVisible());

    m_pane->details()->setCurrentIndex(AttemptDetails::TraceTab);
    QCOMPARE(child<QPlainTextEdit>("traceView")->toPlainText(),
             QStringLiteral("Delivered: HTTP 200 OK\nPhase reached: response received"));

    // The failure: its summary, a body that is not JSON, truncation noted.
    selectRow(rowOf(m_failedAttempt));
    m_pane->details()->setCurrentIndex(AttemptDetails::ResponseTab);
    QCOMPARE(child<QLabel>("statusLine")->text(),
             QStringLiteral("HTTP 500 Internal Server Error · 87 ms"));
    QVERIFY(child<QLabel>("truncatedNote")->isVisible());
    QCOMPARE(child<QLabel>("truncatedNote")->text(), QStringLiteral("(truncated to 64 KiB)"));
    QCOMPARE(child<QPlainTextEdit>("responseBody")->toPlainText().size(),
             DeliveryStore::ResponseCaptureBytes);
}

// Issue 13: "Try 1 of 1 · delivery 2 · (attempt 2)" mixed an attempt's number
// with a row id, and a refused connection said both "No response" and "The
// response had no body".
void TestDeliveryLogPane::detailsUseOneVocabulary()
{
    fillLog();
    m_pane = std::make_unique<DeliveryLogPane>(m_store.get(), m_hooks.get());
    m_pane->resize(1000, 600);
    m_pane->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_pane.get()));
    selectRow(rowOf(m_failedAttempt));
    const Result<Attempt> failed = m_store->attempt(m_failedAttempt);
    QVERIFY(failed);
    QCOMPARE(child<QLabel>("detailsTitle")->text(),
             QStringLiteral("Attempt 1 of %1 · delivery %2 · webhook-id %3")
                 .arg(failed->maxAttempts)
                 .arg(failed->deliveryId)
                 .arg(failed->messageId));

    Attempt refused = failed.value();
    refused.statusCode = 0;
    refused.responseHeaders.clear();
    refused.responseBody.clear();
    refused.errorKind = QStringLiteral("refused");
    refused.error = QStringLiteral("Connection refused");
    AttemptDetails details;
    details.setAttempt(refused);
    auto *status = details.findChild<QLabel *>(QStringLiteral("statusLine"));
    auto *body = details.findChild<QPlainTextEdit *>(QStringLiteral("responseBody"));
    QCOMPARE(status->text(), QStringLiteral("No response: Connection refused"));
    QVERIFY(body->toPlainText().isEmpty());
    QVERIFY2(!body->placeholderText().contains(QLatin1String("body")),
             qPrintable(body->placeholderText()));
    // A real response without a body still says so.
    refused.statusCode = 204;
    refused.responseHeaders = {{QStringLiteral("Server"), QStringLiteral("test")}};
    details.setAttempt(refused);
    QCOMPARE(body->placeholderText(), QStringLiteral("The response had no body"));
}

// Issue 13: the Failed filter showed failed attempts, some still being
// retried, while Redeliver Failed counted deliveries that had given up.
void TestDeliveryLogPane::failedFilterAndRedeliverFailedTellApart()
{
    fillLog();
    // The pending task attempt fails and is retried later: a failed attempt
    // whose delivery is not failed.
    AttemptResult retried;
    retried.attemptId = m_pendingAttempt;
    retried.outcome = AttemptOutcome::Failed;
    retried.startedAt = QDateTime::currentDateTimeUtc();
    retried.finishedAt = retried.startedAt;
    retried.statusCode = 503;
    retried.errorKind = QStringLiteral("http");
    retried.nextAttemptAt = QDateTime::currentDateTimeUtc().addSecs(3600);
    QVERIFY(m_store->recordResults({retried}, QDateTime::currentDateTimeUtc()));

    m_pane = std::make_unique<DeliveryLogPane>(m_store.get(), m_hooks.get());
    auto *outcomes = child<QComboBox>("outcomeFilter");
    outcomes->setCurrentIndex(outcomes->findText(QStringLiteral("Failed attempts")));
    QVERIFY(outcomes->currentIndex() > 0);
    QCOMPARE(m_pane->model()->rowCount(), 2); // both failed attempts
    // The action names deliveries and the number it sends: one, the other
    // delivery is still being retried. The number comes from the reader thread.
    QTRY_COMPARE(m_pane->redeliverFailedAction()->text(),
                 QStringLiteral("Redeliver &Failed Deliveries (1)…"));
    QString asked;
    QTimer::singleShot(0, this, [&asked] {
        if (auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget())) {
            asked = box->text();
            box->reject();
        }
    });
    m_pane->redeliverFailedAction()->trigger();
    QVERIFY2(asked.contains(QLatin1String("one failed delivery")), qPrintable(asked));

    // Once it is redelivered, nothing is left for the action.
    QVERIFY(m_store->redeliver(m_store->attempt(m_failedAttempt)->deliveryId,
                               QDateTime::currentDateTimeUtc()));
    m_pane->refresh();
    QTRY_COMPARE(m_pane->redeliverFailedAction()->text(),
                 QStringLiteral("Redeliver &Failed Deliveries…"));
    QVERIFY(!m_pane->redeliverFailedAction()->isEnabled());
}

// Issue 13: pending rows showed their due time under a Time arrow while the
// rows were ordered by id, and other headers looked sortable but were not.
void TestDeliveryLogPane::timeColumnIsInItsOrder()
{
    fillLog();
    // A retry due in an hour, queued after everything else.
    AttemptResult retried;
    retried.attemptId = m_pendingAttempt;
    retried.outcome = AttemptOutcome::Failed;
    retried.startedAt = QDateTime::currentDateTimeUtc();
    retried.finishedAt = retried.startedAt;
    retried.statusCode = 503;
    retried.errorKind = QStringLiteral("http");
    retried.nextAttemptAt = QDateTime::currentDateTimeUtc().addSecs(3600);
    QVERIFY(m_store->recordResults({retried}, QDateTime::currentDateTimeUtc()));

    m_pane = std::make_unique<DeliveryLogPane>(m_store.get(), m_hooks.get());
    m_pane->resize(1000, 600);
    m_pane->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_pane.get()));
    DeliveryLogModel *model = m_pane->model();
    QCOMPARE(model->headerData(DeliveryLogModel::Time, Qt::Horizontal).toString(),
             QStringLiteral("Queued"));
    const auto queuedTimes = [model] {
        QList<QDateTime> times;
        for (int row = 0; row < model->rowCount(); ++row)
            times.append(model->attemptAt(row).createdAt);
        return times;
    };
    const auto ids = [model] {
        QList<qint64> list;
        for (int row = 0; row < model->rowCount(); ++row)
            list.append(model->attemptAt(row).id);
        return list;
    };
    QList<QDateTime> times = queuedTimes();
    QVERIFY(times.size() >= 4);
    for (qsizetype i = 1; i < times.size(); ++i)
        QVERIFY(times.at(i - 1) >= times.at(i)); // newest first, by what is shown
    // The retry due in an hour shows when it was queued, not its due time.
    const Attempt top = model->attemptAt(0);
    QCOMPARE(top.outcome, AttemptOutcome::Pending);
    QVERIFY(top.dueAt > top.createdAt.addSecs(3000));
    QCOMPARE(model->index(0, DeliveryLogModel::Time).data().toString(),
             top.createdAt.toLocalTime().toString(QStringLiteral("HH:mm:ss")));

    // Another header neither sorts nor moves the arrow.
    QHeaderView *header = m_pane->table()->horizontalHeader();
    const QList<qint64> before = ids();
    QTest::mouseClick(
        header->viewport(), Qt::LeftButton, {},
        QPoint(header->sectionViewportPosition(DeliveryLogModel::Event) + 5, header->height() / 2));
    QCOMPARE(ids(), before);
    QCOMPARE(header->sortIndicatorSection(), int(DeliveryLogModel::Time));
    QCOMPARE(header->sortIndicatorOrder(), Qt::DescendingOrder);
    // Queued turns the order round.
    QTest::mouseClick(
        header->viewport(), Qt::LeftButton, {},
        QPoint(header->sectionViewportPosition(DeliveryLogModel::Time) + 5, header->height() / 2));
    QTRY_COMPARE(header->sortIndicatorOrder(), Qt::AscendingOrder);
    QList<qint64> reversed = before;
    std::reverse(reversed.begin(), reversed.end());
    QTRY_COMPARE(ids(), reversed);
}

void TestDeliveryLogPane::pendingAttemptShowsWhatIsKnown()
{
    fillLog();
    m_pane = std::make_unique<DeliveryLogPane>(m_store.get(), m_hooks.get());
    m_pane->resize(1000, 600);
    m_pane->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_pane.get()));
    selectRow(rowOf(m_pendingAttempt));
    QVERIFY(child<QLabel>("requestNote")->isVisible());
    QVERIFY(child<QLabel>("requestNote")->text().startsWith(QLatin1String("Not sent yet; due ")));
    QVERIFY(
        child<QPlainTextEdit>("requestBody")->toPlainText().contains(QLatin1String("\"tasks\"")));
    QCOMPARE(child<QLabel>("statusLine")->text(), QStringLiteral("No response yet."));
    QVERIFY(child<QPlainTextEdit>("responseBody")->toPlainText().isEmpty());
}

void TestDeliveryLogPane::redeliverAddsAPendingManualRow()
{
    fillLog();
    m_pane = std::make_unique<DeliveryLogPane>(m_store.get(), m_hooks.get());
    QVERIFY(!m_pane->redeliverAction()->isEnabled());
    selectRow(rowOf(m_failedAttempt));
    const qint64 deliveryId = m_pane->model()->attemptAt(rowOf(m_failedAttempt)).deliveryId;
    QSignalSpy queued(m_pane.get(), &DeliveryLogPane::deliveriesQueued);
    QSignalSpy message(m_pane.get(), &DeliveryLogPane::statusMessage);
    m_pane->redeliverAction()->trigger();
    QCOMPARE(queued.size(), 1);
    QCOMPARE(message.size(), 1);
    QCOMPARE(message.first().first().toString(), QStringLiteral("Redeliveries queued: 1"));

    QTRY_COMPARE(m_pane->model()->rowCount(), 5);
    const QAbstractItemModel *model = m_pane->model();
    QCOMPARE(model->index(0, DeliveryLogModel::Trigger).data().toString(),
             QStringLiteral("manual"));
    QCOMPARE(model->index(0, DeliveryLogModel::Outcome).data(DeliveryLogModel::OutcomeRole).toInt(),
             int(AttemptOutcome::Pending));
    QCOMPARE(model->index(0, 0).data(DeliveryLogModel::DeliveryIdRole).toLongLong(), deliveryId);
    // The user's selection stayed on the row they picked.
    QCOMPARE(m_pane->currentAttemptId(), m_failedAttempt);
}

void TestDeliveryLogPane::redeliverAllFailedAsksWithTheCount()
{
    fillLog();
    m_pane = std::make_unique<DeliveryLogPane>(m_store.get(), m_hooks.get());
    QSignalSpy queued(m_pane.get(), &DeliveryLogPane::deliveriesQueued);
    // The count the question names is read on the log's reader thread.
    QTRY_VERIFY(m_pane->redeliverFailedAction()->text().contains(QLatin1String("(1)")));
    QString asked;
    // Cancel first: nothing is sent.
    QTimer::singleShot(0, this, [&asked] {
        auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
        QVERIFY(box);
        asked = box->text();
        box->button(QMessageBox::Cancel)->click();
    });
    m_pane->redeliverFailedAction()->trigger();
    QCOMPARE(asked,
             QStringLiteral("Send the one failed delivery that the filter shows again now?"));
    QCOMPARE(queued.size(), 0);
    QCOMPARE(m_pane->model()->rowCount(), 4);

    QTimer::singleShot(0, this, [] {
        auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
        QVERIFY(box);
        for (QAbstractButton *button : box->buttons()) {
            if (box->buttonRole(button) == QMessageBox::AcceptRole)
                button->click();
        }
    });
    m_pane->redeliverFailedAction()->trigger();
    QCOMPARE(queued.size(), 1);
    QTRY_COMPARE(m_pane->model()->rowCount(), 5);
    QCOMPARE(m_pane->model()->attemptAt(0).trigger, AttemptTrigger::Manual);
    QCOMPARE(m_pane->model()->attemptAt(0).webhookId, m_hookB);
}

void TestDeliveryLogPane::copyAsCurlHasNoSecrets()
{
    fillLog();
    m_pane = std::make_unique<DeliveryLogPane>(m_store.get(), m_hooks.get());
    QApplication::clipboard()->clear();
    selectRow(rowOf(m_okAttempt));
    QSignalSpy message(m_pane.get(), &DeliveryLogPane::statusMessage);
    m_pane->copyCurlAction()->trigger();
    const QString command = QApplication::clipboard()->text();
    QVERIFY(command.startsWith(QLatin1String("curl -X POST")));
    QVERIFY(command.contains(QLatin1String("--data-raw '{\"action\":\"ANNOTATION_CREATED\"")));
    QVERIFY(command.endsWith(QLatin1String("'https://a.example/hook'")));
    QVERIFY(command.contains(QLatin1String("\"$WEBHOOK_SECRET_AUTHORIZATION\"")));
    QVERIFY(command.contains(QLatin1String("\"$WEBHOOK_SECRET_X_API_KEY\"")));
    QVERIFY(!command.contains(QLatin1String("sk_live_topsecret")));
    QVERIFY(!command.contains(maskedSecret()));
    QCOMPARE(message.size(), 1);
    // The message names the variables this command uses, and no other.
    const QString said = message.first().first().toString();
    QVERIFY2(said.contains(QLatin1String("$WEBHOOK_SECRET_X_API_KEY")), qPrintable(said));
    QVERIFY2(said.contains(QLatin1String("$WEBHOOK_SECRET_AUTHORIZATION")), qPrintable(said));
    QVERIFY(!said.contains(QLatin1String("PASSWORD")));

    // An unsigned request has nothing to sign again; a signed one does.
    m_pane->copyCurlSigningNowAction()->trigger();
    QCOMPARE(message.size(), 2);
    QVERIFY(message.last().first().toString().contains(QLatin1String("not signed")));
    AttemptResult sent;
    sent.attemptId = m_pendingAttempt;
    sent.outcome = AttemptOutcome::Succeeded;
    sent.startedAt = QDateTime::currentDateTimeUtc();
    sent.finishedAt = sent.startedAt;
    sent.statusCode = 200;
    sent.requestHeaders = {{QStringLiteral("webhook-id"), QStringLiteral("msg_x")},
                           {QStringLiteral("X-Hub-Signature-256"), QStringLiteral("sha256=00")}};
    QVERIFY(m_store->recordResults({sent}, QDateTime::currentDateTimeUtc()));
    m_pane->refresh();
    selectRow(rowOf(m_pendingAttempt));
    m_pane->copyCurlAction()->trigger();
    QVERIFY(message.last().first().toString().contains(QLatin1String("5 minutes")));
    m_pane->copyCurlSigningNowAction()->trigger();
    const QString script = QApplication::clipboard()->text();
    QVERIFY(
        script.contains(QLatin1String("openssl dgst -sha256 -hmac \"$WEBHOOK_SIGNING_SECRET\"")));
    QVERIFY(!script.contains(QLatin1String("It's a Secret")));
    QVERIFY(message.last().first().toString().contains(QLatin1String("$WEBHOOK_SIGNING_SECRET")));
}

void TestDeliveryLogPane::exportWritesTheFilteredLog()
{
    fillLog();
    m_pane = std::make_unique<DeliveryLogPane>(m_store.get(), m_hooks.get());
    auto *hooks = child<QComboBox>("hookFilter");
    hooks->setCurrentIndex(hooks->findData(m_hookA));
    const QString path = m_dir->filePath(QStringLiteral("a.csv"));
    Result<qint64> written = m_pane->exportTo(path, LogExporter::Format::Csv);
    QVERIFY(written);
    QCOMPARE(written.value(), 2);
    QFile file(path);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray data = file.readAll();
    QCOMPARE(data.count("\r\n"), 3); // header and two rows of hook A
    QVERIFY(!data.contains("b.example"));
}

void TestDeliveryLogPane::newRowsDoNotMoveWhatTheUserReads()
{
    Webhook hook;
    hook.url = QStringLiteral("https://a.example/hook");
    QVERIFY(m_hooks->saveHook(hook));
    const EventCatalog catalog = m_hooks->catalog();
    const auto emitTasks = [&](int count) {
        qputenv("WEBHOOK_BATCH_SIZE", "1");
        QJsonArray tasks;
        for (int i = 0; i < count; ++i)
            tasks.append(QJsonObject{{QStringLiteral("id"), i + 1}});
        const bool ok =
            m_store
                ->emitEvent(catalog, QStringLiteral("TASKS_CREATED"), std::nullopt,
                            {{QStringLiteral("tasks"), tasks}}, QDateTime::currentDateTimeUtc())
                .ok();
        qunsetenv("WEBHOOK_BATCH_SIZE");
        return ok;
    };
    QVERIFY(emitTasks(150));
    m_pane = std::make_unique<DeliveryLogPane>(m_store.get(), m_hooks.get());
    m_pane->resize(1000, 600);
    m_pane->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_pane.get()));
    QTableView *table = m_pane->table();
    const auto topVisibleId = [table] {
        return table->indexAt(QPoint(4, 4)).data(DeliveryLogModel::AttemptIdRole).toLongLong();
    };

    // At the top the user watches: new rows show at the top.
    QVERIFY(emitTasks(3));
    m_pane->refresh();
    QCoreApplication::processEvents();
    QCOMPARE(table->verticalScrollBar()->value(), 0);
    QCOMPARE(topVisibleId(), m_pane->model()->attemptAt(0).id);

    // Scrolled down the user reads: what they read stays where it is.
    table->verticalScrollBar()->setValue(table->verticalHeader()->defaultSectionSize() * 40);
    QCoreApplication::processEvents();
    const qint64 reading = topVisibleId();
    QVERIFY(reading != 0);
    QVERIFY(emitTasks(5));
    m_pane->refresh();
    QCoreApplication::processEvents();
    QCOMPARE(m_pane->model()->rowCount(), 158);
    QCOMPARE(topVisibleId(), reading);

    // A badge says how many arrived above, and takes the user up to them.
    auto *badge = child<QPushButton>("newRowsBadge");
    QVERIFY(badge);
    QVERIFY(badge->isVisible());
    QVERIFY2(badge->text().startsWith(QStringLiteral("5 new")), qPrintable(badge->text()));
    QVERIFY(emitTasks(2));
    m_pane->refresh();
    QCoreApplication::processEvents();
    QVERIFY2(badge->text().startsWith(QStringLiteral("7 new")), qPrintable(badge->text()));
    QTest::mouseClick(badge, Qt::LeftButton);
    QCOMPARE(table->verticalScrollBar()->value(), 0);
    QVERIFY(!badge->isVisible());
    QCOMPARE(topVisibleId(), m_pane->model()->attemptAt(0).id);
    // At the top, new rows need no badge.
    QVERIFY(emitTasks(1));
    m_pane->refresh();
    QCoreApplication::processEvents();
    QVERIFY(!badge->isVisible());
}

void TestDeliveryLogPane::matchCountAndClearFilters()
{
    fillLog();
    m_pane = std::make_unique<DeliveryLogPane>(m_store.get(), m_hooks.get());
    m_pane->resize(1200, 600);
    m_pane->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_pane.get()));
    auto *count = child<QLabel>("matchCount");
    auto *clear = child<QToolButton>("clearFiltersButton");
    QVERIFY(count && clear);
    // Unfiltered: nothing to count or clear.
    QVERIFY(!count->isVisible());
    QVERIFY(!clear->isEnabled());

    auto *hooks = child<QComboBox>("hookFilter");
    hooks->setCurrentIndex(hooks->findData(m_hookB));
    // Counted on the reader thread: it shows when it arrives.
    QTRY_COMPARE(count->text(), QStringLiteral("2 matches"));
    QTRY_VERIFY(count->isVisible());
    auto *outcomes = child<QComboBox>("outcomeFilter");
    outcomes->setCurrentIndex(outcomes->findText(QStringLiteral("Failed attempts")));
    QTRY_COMPARE(count->text(), QStringLiteral("1 match"));
    QTest::keyClicks(child<QLineEdit>("logSearch"), QStringLiteral("nothing matches this"));
    QTRY_COMPARE(count->text(), QStringLiteral("0 matches"));
    QVERIFY(clear->isEnabled());

    QTest::mouseClick(clear, Qt::LeftButton);
    QVERIFY(m_pane->filter().isEmpty());
    QCOMPARE(hooks->currentIndex(), 0);
    QCOMPARE(outcomes->currentIndex(), 0);
    QVERIFY(child<QLineEdit>("logSearch")->text().isEmpty());
    QCOMPARE(m_pane->model()->rowCount(), 4);
    QVERIFY(!count->isVisible());
    QVERIFY(!clear->isEnabled());
}

// The counts (the matches, Redeliver Failed's number) ran SQL on the GUI
// thread: 1.1-1.8 s at 1,000,000 attempts. They are read on the log's reader
// thread now: the window's own connection (the GUI thread's) never runs a
// count, at the start, after a filter change or after new rows, and the
// numbers still arrive and follow the data.
void TestDeliveryLogPane::countsNeverMakeTheGuiThreadWait()
{
    fillLog();
    SqlTrace onGuiThread(m_db->connection());
    QVERIFY(onGuiThread.isTracing());
    const auto counts = [&onGuiThread] {
        return onGuiThread.containing(QStringLiteral("count("));
    };

    m_pane = std::make_unique<DeliveryLogPane>(m_store.get(), m_hooks.get());
    m_pane->model()->setPollInterval(0);
    QTRY_COMPARE(m_pane->redeliverFailedAction()->text(),
                 QStringLiteral("Redeliver &Failed Deliveries (1)…"));
    QVERIFY(!onGuiThread.statements().isEmpty()); // the trace works: the first page is read here
    QVERIFY2(counts().isEmpty(), qPrintable(counts().join(QLatin1Char('\n'))));

    // A filter: the match count too.
    auto *hooks = child<QComboBox>("hookFilter");
    hooks->setCurrentIndex(hooks->findData(m_hookB));
    QTRY_COMPARE(child<QLabel>("matchCount")->text(), QStringLiteral("2 matches"));
    hooks->setCurrentIndex(0);
    QTRY_COMPARE(m_pane->redeliverFailedAction()->text(),
                 QStringLiteral("Redeliver &Failed Deliveries (1)…"));

    // Another process fails the task's delivery for good: the recount after
    // new rows (the pane's timer) finds two.
    const Result<Attempt> pending = m_store->attempt(m_pendingAttempt);
    QVERIFY(pending);
    {
        Database other;
        QVERIFY(!other.open(m_dir->filePath(QStringLiteral("log.sqlite"))));
        QSqlQuery query(other.connection());
        QVERIFY(query.exec(QStringLiteral("UPDATE attempts SET outcome = 'failed' WHERE id = %1")
                               .arg(m_pendingAttempt)));
        QVERIFY(query.exec(QStringLiteral("UPDATE deliveries SET status = 'failed' WHERE id = %1")
                               .arg(pending->deliveryId)));
    }
    QTimer *recount = nullptr;
    for (QTimer *timer : m_pane->findChildren<QTimer *>()) {
        if (timer->isSingleShot() && timer->interval() == DeliveryLogPane::FailedCountDelayMs)
            recount = timer;
    }
    QVERIFY(recount);
    recount->start();
    QTRY_COMPARE(m_pane->redeliverFailedAction()->text(),
                 QStringLiteral("Redeliver &Failed Deliveries (2)…"));

    // Redeliver Failed asks with the number read there, too.
    QString asked;
    QTimer::singleShot(0, this, [&asked] {
        if (auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget())) {
            asked = box->text();
            box->reject();
        }
    });
    m_pane->redeliverFailedAction()->trigger();
    QCOMPARE(asked,
             QStringLiteral("Send the 2 failed deliveries that the filter shows again now?"));
    QVERIFY2(counts().isEmpty(), qPrintable(counts().join(QLatin1Char('\n'))));
}

// `count` attempts over the last hours, one a second up to now, of one
// hook; every second one's delivery failed for good.
bool TestDeliveryLogPane::fillRecentLog(int count)
{
    Webhook hook;
    hook.url = QStringLiteral("https://bulk.example/hook");
    const Result<Webhook> saved = m_hooks->saveHook(hook);
    if (!saved)
        return false;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QSqlDatabase db = m_db->connection();
    if (!db.transaction())
        return false;
    QSqlQuery query(db);
    query.prepare(QStringLiteral(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?) "
        "INSERT INTO deliveries (id, webhook_id, action, message_id, body, status, "
        "attempt_count, created_at, updated_at) "
        "SELECT i, ?, 'TASKS_CREATED', 'msg_bulk_' || i, X'7B7D', CASE WHEN i % 2 = 0 THEN "
        "'failed' ELSE 'succeeded' END, 1, ? - (? - i) * 1000, ? - (? - i) * 1000 FROM n"));
    for (const qint64 value : {qint64(count), saved->id, now, qint64(count), now, qint64(count)})
        query.addBindValue(value);
    bool ok = query.exec();
    ok = ok && query.exec(QStringLiteral(
                   "INSERT INTO attempts (id, delivery_id, webhook_id, action, number, "
                   "max_attempts, trigger, outcome, due_at, started_at, finished_at, duration_ms, "
                   "url, status_code, created_at) SELECT id, id, webhook_id, action, 1, 1, "
                   "'scheduled', status, created_at, created_at, created_at, 5, "
                   "'https://bulk.example/hook', CASE WHEN status = 'failed' THEN 500 ELSE 200 "
                   "END, created_at FROM deliveries ORDER BY id"));
    if (!ok) {
        qWarning() << query.lastError().text();
        db.rollback();
        return false;
    }
    return db.commit();
}

// Opening the pane with its chart open, over a log of many attempts: the
// first page is read here (an index range), but the chart's aggregates and
// the counts (each a pass over every attempt) on the log's reader threads.
// The GUI thread's own connection never runs a statement whose work grows
// with the log: at 1,000,000 attempts one such statement is a stall of
// seconds. Work is counted in SQLite's virtual machine steps, which do not
// depend on how busy the machine is.
void TestDeliveryLogPane::openingRunsNoLongQueryOnTheGuiThread()
{
    constexpr int Count = 40000;
    QVERIFY(fillRecentLog(Count));
    // The chart open, on the last 24 hours.
    const QString expandedKey = QStringLiteral("deliveryLog/chartExpanded");
    const QString rangeKey = QStringLiteral("deliveryLog/chartRange");
    {
        QSettings settings(QStringLiteral("webhook-admin"), QStringLiteral("webhook-admin"));
        settings.setValue(expandedKey, true);
        settings.setValue(rangeKey, int(DeliveryChartModel::Range::Last24Hours));
    }
    const auto folded = qScopeGuard([&] {
        QSettings settings(QStringLiteral("webhook-admin"), QStringLiteral("webhook-admin"));
        settings.remove(expandedKey);
        settings.remove(rangeKey);
    });
    SqlTrace onGuiThread(m_db->connection());
    QVERIFY(onGuiThread.isTracing());
    // A fraction of the log: a page of 200 rows takes a few thousand steps,
    // a count or the chart's aggregate over the log tens of thousands.
    constexpr int MostSteps = Count / 4;
    const auto longOnes = [&onGuiThread] {
        QStringList found;
        for (const SqlTrace::Cost &cost : onGuiThread.over(MostSteps - 1))
            found.append(QString::number(cost.steps) + QLatin1String(" steps: ") + cost.sql);
        return found;
    };

    m_pane = std::make_unique<DeliveryLogPane>(m_store.get(), m_hooks.get());
    m_pane->resize(1100, 700);
    m_pane->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_pane.get()));
    QVERIFY(m_pane->chart()->isExpanded());
    DeliveryChartModel *chart = m_pane->chart()->model();
    QTRY_VERIFY_WITH_TIMEOUT(chart->hasLoaded() && !chart->isLoading(), 30000);
    QCOMPARE(chart->total(), qint64(Count));
    QTRY_COMPARE_WITH_TIMEOUT(m_pane->redeliverFailedAction()->text(),
                              QStringLiteral("Redeliver &Failed Deliveries (%1)…").arg(Count / 2),
                              30000);
    QVERIFY(m_pane->model()->rowCount() >= DeliveryLogModel::PageSize);
    QVERIFY(!onGuiThread.statements().isEmpty()); // the trace works: the first page is read here
    QVERIFY2(longOnes().isEmpty(), qPrintable(longOnes().join(QLatin1Char('\n'))));

    // The measure tells: one count on this connection is caught.
    QVERIFY(m_store->countAttempts({}));
    QCOMPARE(longOnes().size(), 1);
}

QTEST_MAIN(TestDeliveryLogPane)
#include "tst_delivery_log_pane.moc"
