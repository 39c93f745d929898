#include "attempt_details.h"
#include "delivery/delivery_store.h"
#include "delivery_chart_view.h"
#include "delivery_log_pane.h"
#include "items/delivery_group_model.h"
#include "items/delivery_log_model.h"
#include "store/database.h"
#include "store/hook_store.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QLabel>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeView>
#include <memory>

// The log grouped by delivery (GitHub's "Recent deliveries"), offscreen over a
// real SQLite file: one row per delivery with its attempts beneath, and the
// filters, live rows, details and actions as in the flat log.
class TestDeliveryLogGrouped : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void oneRowPerDeliveryWithItsAttempts();
    void selectionShowsTheAttemptOrTheLatest();
    void actionsWorkOnTheSelectedOrLatestAttempt();
    void filtersAndLiveRowsKeepTheGroups();
    void toggleIsRememberedAndKeepsTheSelection();

private:
    void fillLog();
    void makePane();
    QModelIndex deliveryRow(qint64 deliveryId) const;
    void clickRow(const QModelIndex &index);
    QString text(const QModelIndex &index, int column) const;

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Database> m_db;
    std::unique_ptr<HookStore> m_hooks;
    std::unique_ptr<DeliveryStore> m_store;
    std::unique_ptr<DeliveryLogPane> m_pane;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
    qint64 m_hookA = 0;
    qint64 m_hookB = 0;
    qint64 m_retried = 0;            // hook A's delivery: failed, failed, succeeded
    QList<qint64> m_retriedAttempts; // its attempts, oldest first
    qint64 m_once = 0;               // hook B's delivery: one failed attempt
};

void TestDeliveryLogGrouped::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
}

void TestDeliveryLogGrouped::init()
{
    QSettings(QStringLiteral("webhook-admin"), QStringLiteral("webhook-admin")).clear();
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_db = std::make_unique<Database>();
    QVERIFY(!m_db->open(m_dir->filePath(QStringLiteral("log.sqlite"))));
    m_hooks = std::make_unique<HookStore>(m_db.get());
    m_store = std::make_unique<DeliveryStore>(m_db.get());
    fillLog();
}

void TestDeliveryLogGrouped::cleanup()
{
    m_tester.reset();
    m_pane.reset();
    m_store.reset();
    m_hooks.reset();
    m_db.reset();
    m_dir.reset();
    m_retriedAttempts.clear();
}

static AttemptResult finished(qint64 attemptId, AttemptOutcome outcome, int status)
{
    AttemptResult r;
    r.attemptId = attemptId;
    r.outcome = outcome;
    r.startedAt = QDateTime::currentDateTimeUtc();
    r.finishedAt = r.startedAt.addMSecs(40);
    r.durationMs = 40;
    r.statusCode = status;
    if (outcome == AttemptOutcome::Failed) {
        r.errorKind = QStringLiteral("http");
        r.error = QStringLiteral("HTTP %1").arg(status);
    }
    return r;
}

void TestDeliveryLogGrouped::fillLog()
{
    Webhook a;
    a.url = QStringLiteral("https://a.example/hook");
    Webhook b;
    b.url = QStringLiteral("https://b.example/other");
    Result<Webhook> savedA = m_hooks->saveHook(a);
    Result<Webhook> savedB = m_hooks->saveHook(b);
    QVERIFY(savedA && savedB);
    m_hookA = savedA->id;
    m_hookB = savedB->id;
    const EventCatalog catalog = m_hooks->catalog();
    const QString action = QStringLiteral("ANNOTATION_CREATED");
    Result<EmitResult> emitted =
        m_store->emitEvent(catalog, action, std::nullopt, catalog.samplePayload(action),
                           QDateTime::currentDateTimeUtc());
    QVERIFY(emitted);
    QCOMPARE(emitted->attemptIds.size(), 2);
    m_retried = emitted->deliveryIds.at(0);
    m_once = emitted->deliveryIds.at(1);
    const qint64 first = emitted->attemptIds.at(0);
    QVERIFY(
        m_store->recordResults({finished(first, AttemptOutcome::Failed, 500),
                                finished(emitted->attemptIds.at(1), AttemptOutcome::Failed, 404)},
                               QDateTime::currentDateTimeUtc()));
    m_retriedAttempts = {first};
    // Two more by hand: failed, then succeeded.
    Result<qint64> second = m_store->redeliver(m_retried, QDateTime::currentDateTimeUtc());
    QVERIFY(second);
    QVERIFY(m_store->recordResults({finished(*second, AttemptOutcome::Failed, 503)},
                                   QDateTime::currentDateTimeUtc()));
    Result<qint64> third = m_store->redeliver(m_retried, QDateTime::currentDateTimeUtc());
    QVERIFY(third);
    QVERIFY(m_store->recordResults({finished(*third, AttemptOutcome::Succeeded, 200)},
                                   QDateTime::currentDateTimeUtc()));
    m_retriedAttempts.append({*second, *third});
}

void TestDeliveryLogGrouped::makePane()
{
    m_pane = std::make_unique<DeliveryLogPane>(m_store.get(), m_hooks.get());
    m_pane->model()->setPollInterval(0);
    m_pane->resize(1100, 700);
    m_pane->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_pane.get()));
    m_tester = std::make_unique<QAbstractItemModelTester>(
        m_pane->groupModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
}

QModelIndex TestDeliveryLogGrouped::deliveryRow(qint64 deliveryId) const
{
    return m_pane->groupModel()->indexOfDelivery(deliveryId);
}

QString TestDeliveryLogGrouped::text(const QModelIndex &index, int column) const
{
    return index.siblingAtColumn(column).data().toString();
}

void TestDeliveryLogGrouped::clickRow(const QModelIndex &index)
{
    QTreeView *tree = m_pane->tree();
    tree->scrollTo(index);
    const QRect rect = tree->visualRect(index.siblingAtColumn(DeliveryLogModel::Event));
    QVERIFY(rect.isValid());
    QTest::mouseClick(tree->viewport(), Qt::LeftButton, {}, rect.center());
}

void TestDeliveryLogGrouped::oneRowPerDeliveryWithItsAttempts()
{
    makePane();
    auto *toggle = m_pane->findChild<QCheckBox *>(QStringLiteral("groupByDelivery"));
    QVERIFY(toggle);
    QVERIFY(!m_pane->isGrouped());
    QCOMPARE(m_pane->model()->rowCount(), 4);
    QTest::mouseClick(toggle, Qt::LeftButton);
    QVERIFY(m_pane->isGrouped());
    QVERIFY(m_pane->tree()->isVisible());
    QVERIFY(!m_pane->table()->isVisible());

    DeliveryGroupModel *groups = m_pane->groupModel();
    QCOMPARE(groups->rowCount(), 2);
    // Newest first: the retried delivery's latest attempt is the newest.
    const QModelIndex retried = groups->index(0, 0);
    QCOMPARE(retried.data(DeliveryLogModel::DeliveryIdRole).toLongLong(), m_retried);
    QCOMPARE(text(retried, DeliveryLogModel::AttemptNumber), QStringLiteral("3 attempts"));
    QCOMPARE(text(retried, DeliveryLogModel::Outcome), QStringLiteral("200"));
    QCOMPARE(text(retried, DeliveryLogModel::Event), QStringLiteral("ANNOTATION_CREATED"));
    QVERIFY(text(retried, DeliveryLogModel::Hook).contains(QStringLiteral("a.example")));
    QCOMPARE(retried.data(DeliveryLogModel::AttemptIdRole).toLongLong(), m_retriedAttempts.last());
    const QModelIndex once = deliveryRow(m_once);
    QCOMPARE(once.row(), 1);
    QCOMPARE(text(once, DeliveryLogModel::AttemptNumber), QStringLiteral("1 attempt"));
    QCOMPARE(text(once, DeliveryLogModel::Outcome), QStringLiteral("404"));

    // Its attempts beneath, newest first, as rows of the log.
    QCOMPARE(groups->rowCount(retried), 3);
    QCOMPARE(groups->rowCount(once), 1);
    QVERIFY(!m_pane->tree()->isExpanded(retried));
    QTest::keyClick(m_pane->tree(), Qt::Key_Home);
    QTest::keyClick(m_pane->tree(), Qt::Key_Right);
    QVERIFY(m_pane->tree()->isExpanded(retried));
    QCOMPARE(groups->index(0, 0, retried).data(DeliveryLogModel::AttemptIdRole).toLongLong(),
             m_retriedAttempts.at(2));
    QCOMPARE(groups->index(2, 0, retried).data(DeliveryLogModel::AttemptIdRole).toLongLong(),
             m_retriedAttempts.at(0));
    QCOMPARE(text(groups->index(2, 0, retried), DeliveryLogModel::Outcome), QStringLiteral("500"));
    QCOMPARE(text(groups->index(1, 0, retried), DeliveryLogModel::AttemptNumber),
             text(m_pane->model()->index(m_pane->model()->rowOfAttempt(m_retriedAttempts.at(1)),
                                         DeliveryLogModel::AttemptNumber),
                  DeliveryLogModel::AttemptNumber));
}

void TestDeliveryLogGrouped::selectionShowsTheAttemptOrTheLatest()
{
    makePane();
    m_pane->setGrouped(true);
    const QModelIndex retried = deliveryRow(m_retried);
    clickRow(retried);
    // A delivery row stands for its latest attempt.
    QCOMPARE(m_pane->currentAttemptId(), m_retriedAttempts.last());
    auto *title = m_pane->findChild<QLabel *>(QStringLiteral("detailsTitle"));
    QVERIFY(title);
    QVERIFY2(title->text().startsWith(QStringLiteral("Attempt 3 of")), qPrintable(title->text()));

    // An attempt beneath it: that one.
    m_pane->tree()->expand(retried);
    clickRow(m_pane->groupModel()->index(2, 0, retried));
    QCOMPARE(m_pane->currentAttemptId(), m_retriedAttempts.first());
    QVERIFY2(title->text().startsWith(QStringLiteral("Attempt 1 of")), qPrintable(title->text()));
    QVERIFY(m_pane->details()->isVisible());
}

void TestDeliveryLogGrouped::actionsWorkOnTheSelectedOrLatestAttempt()
{
    makePane();
    m_pane->setGrouped(true);
    const QModelIndex retried = deliveryRow(m_retried);
    m_pane->tree()->expand(retried);
    clickRow(m_pane->groupModel()->index(2, 0, retried)); // the first, failed attempt
    QVERIFY(m_pane->copyCurlAction()->isEnabled());
    QApplication::clipboard()->clear();
    m_pane->copyCurlAction()->trigger();
    QVERIFY(QApplication::clipboard()->text().contains(QStringLiteral("https://a.example/hook")));

    // Redeliver on the other delivery's row sends that delivery again: its
    // row moves to the top with two attempts, the first stays open.
    clickRow(deliveryRow(m_once));
    QVERIFY(m_pane->redeliverAction()->isEnabled());
    QSignalSpy queued(m_pane.get(), &DeliveryLogPane::deliveriesQueued);
    m_pane->redeliverAction()->trigger();
    QCOMPARE(queued.size(), 1);
    const QModelIndex once = deliveryRow(m_once);
    QCOMPARE(once.row(), 0);
    QCOMPARE(text(once, DeliveryLogModel::AttemptNumber), QStringLiteral("2 attempts"));
    QCOMPARE(m_pane->groupModel()->rowCount(once), 2);
    QVERIFY(m_pane->tree()->isExpanded(deliveryRow(m_retried)));
    // The selection stays on the delivery, now standing for its new attempt.
    QCOMPARE(m_pane->tree()->currentIndex().data(DeliveryLogModel::DeliveryIdRole).toLongLong(),
             m_once);
    QVERIFY(m_pane->tree()->currentIndex().data(DeliveryGroupModel::IsDeliveryRole).toBool());
}

void TestDeliveryLogGrouped::filtersAndLiveRowsKeepTheGroups()
{
    makePane();
    m_pane->setGrouped(true);
    // Succeeded attempts only: the retried delivery, with its one success.
    auto *outcomes = m_pane->findChild<QComboBox *>(QStringLiteral("outcomeFilter"));
    QVERIFY(outcomes);
    outcomes->setCurrentIndex(outcomes->findData(int(AttemptOutcome::Succeeded)));
    QCOMPARE(m_pane->groupModel()->rowCount(), 1);
    const QModelIndex retried = deliveryRow(m_retried);
    QVERIFY(retried.isValid());
    QCOMPARE(m_pane->groupModel()->rowCount(retried), 1);
    outcomes->setCurrentIndex(0);
    QCOMPARE(m_pane->groupModel()->rowCount(), 2);

    // A new event, from this connection or another: a new delivery on top,
    // and what was open stays open.
    m_pane->tree()->expand(deliveryRow(m_retried));
    const EventCatalog catalog = m_hooks->catalog();
    const QString action = QStringLiteral("PROJECT_UPDATED");
    Result<EmitResult> emitted =
        m_store->emitEvent(catalog, action, std::nullopt, catalog.samplePayload(action),
                           QDateTime::currentDateTimeUtc());
    QVERIFY(emitted);
    m_pane->refresh();
    QTRY_COMPARE(m_pane->groupModel()->rowCount(), 4);
    QCOMPARE(text(m_pane->groupModel()->index(0, 0), DeliveryLogModel::Event), action);
    QVERIFY(m_pane->tree()->isExpanded(deliveryRow(m_retried)));
    // Pending until it is sent; then the delivery row shows the result.
    const qint64 newDelivery = emitted->deliveryIds.at(0);
    QVERIFY(text(deliveryRow(newDelivery), DeliveryLogModel::Outcome)
                .startsWith(QStringLiteral("pending")));
    QVERIFY(m_store->recordResults(
        {finished(emitted->attemptIds.at(0), AttemptOutcome::Succeeded, 204)},
        QDateTime::currentDateTimeUtc()));
    m_pane->refresh();
    QTRY_COMPARE(text(deliveryRow(newDelivery), DeliveryLogModel::Outcome), QStringLiteral("204"));
}

void TestDeliveryLogGrouped::toggleIsRememberedAndKeepsTheSelection()
{
    makePane();
    // Select the middle attempt in the table, then group: it stays selected.
    const int row = m_pane->model()->rowOfAttempt(m_retriedAttempts.at(1));
    m_pane->table()->selectionModel()->setCurrentIndex(m_pane->model()->index(row, 0),
                                                       QItemSelectionModel::ClearAndSelect |
                                                           QItemSelectionModel::Rows);
    m_pane->setGrouped(true);
    QCOMPARE(m_pane->currentAttemptId(), m_retriedAttempts.at(1));
    QVERIFY(m_pane->tree()->isExpanded(deliveryRow(m_retried)));
    m_pane.reset();
    m_tester.reset();
    makePane();
    QVERIFY(m_pane->isGrouped());
    QVERIFY(m_pane->tree()->isVisible());
    m_pane->setGrouped(false);
    m_pane.reset();
    m_tester.reset();
    makePane();
    QVERIFY(!m_pane->isGrouped());
    QVERIFY(m_pane->table()->isVisible());
}

QTEST_MAIN(TestDeliveryLogGrouped)
#include "tst_delivery_log_grouped.moc"
