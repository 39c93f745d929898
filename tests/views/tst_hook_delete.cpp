#include "delivery/delivery_store.h"
#include "delivery_log_pane.h"
#include "hook_editor.h"
#include "hook_list_view.h"
#include "items/delivery_log_model.h"
#include "main_window.h"
#include "store/database.h"
#include "store/hook_store.h"

#include <QAbstractButton>
#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <functional>
#include <memory>

namespace {

// Runs action on the next modal dialog once it is shown (exec() blocks).
void onNextModal(std::function<void(QMessageBox *)> action)
{
    auto *timer = new QTimer(qApp);
    timer->setInterval(20);
    auto remaining = std::make_shared<int>(250);
    QObject::connect(timer, &QTimer::timeout, timer, [timer, action, remaining] {
        auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
        if (box && box->isVisible()) {
            timer->stop();
            timer->deleteLater();
            action(box);
        } else if (--*remaining <= 0) {
            timer->stop();
            timer->deleteLater();
        }
    });
    timer->start();
}

} // namespace

// Issue 13, defect 5: deleting a webhook keeps its delivery history unless
// the user asks otherwise, and offers to deactivate it instead.
class TestHookDelete : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void deleteKeepsTheHistory();
    void deleteCanTakeTheHistoryAlong();
    void deactivateInstead();
    void retentionRemovesTheDeletedHookWithItsLastAttempt();

private:
    QString path() const { return m_dir->filePath(QStringLiteral("delete.sqlite")); }
    void openWindow();
    qint64 countAttempts(qint64 hookId) const;
    qint64 webhookRows() const;

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Database> m_database;
    std::unique_ptr<HookStore> m_hooks;
    std::unique_ptr<DeliveryStore> m_deliveries;
    std::unique_ptr<MainWindow> m_window;
    qint64 m_hookId = 0;
    qint64 m_otherId = 0;
    qint64 m_deliveryId = 0;
};

void TestHookDelete::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QSettings(QStringLiteral("webhook-admin"), QStringLiteral("webhook-admin")).clear();
}

// The hook has two recorded attempts (one delivered, one failed) and one
// pending; another hook exists so the list is not empty afterwards.
void TestHookDelete::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_database = std::make_unique<Database>();
    QVERIFY(!m_database->open(path()));
    m_hooks = std::make_unique<HookStore>(m_database.get());
    m_deliveries = std::make_unique<DeliveryStore>(m_database.get());

    Webhook hook;
    hook.url = QStringLiteral("https://gone.example.com/hook");
    hook.sendForAllActions = false;
    hook.actions = {QStringLiteral("PROJECT_UPDATED")};
    Webhook other;
    other.url = QStringLiteral("https://stays.example.com/hook");
    other.sendForAllActions = false;
    other.actions = {QStringLiteral("TASKS_CREATED")};
    const Result<Webhook> saved = m_hooks->saveHook(hook);
    const Result<Webhook> savedOther = m_hooks->saveHook(other);
    QVERIFY(saved && savedOther);
    m_hookId = saved->id;
    m_otherId = savedOther->id;

    const EventCatalog catalog = m_hooks->catalog();
    QList<qint64> attempts;
    for (int i = 0; i < 3; ++i) {
        const Result<EmitResult> emitted =
            m_deliveries->emitEvent(catalog, QStringLiteral("PROJECT_UPDATED"), std::nullopt,
                                    catalog.samplePayload(QStringLiteral("PROJECT_UPDATED")),
                                    QDateTime::currentDateTimeUtc());
        QVERIFY(emitted && emitted->attemptIds.size() == 1);
        attempts.append(emitted->attemptIds.first());
    }
    const Result<Attempt> first = m_deliveries->attempt(attempts.first());
    QVERIFY(first);
    m_deliveryId = first->deliveryId;
    AttemptResult ok;
    ok.attemptId = attempts.at(0);
    ok.outcome = AttemptOutcome::Succeeded;
    ok.startedAt = QDateTime::currentDateTimeUtc();
    ok.finishedAt = ok.startedAt.addMSecs(20);
    ok.durationMs = 20;
    ok.statusCode = 200;
    AttemptResult bad = ok;
    bad.attemptId = attempts.at(1);
    bad.outcome = AttemptOutcome::Failed;
    bad.statusCode = 500;
    bad.errorKind = QStringLiteral("http");
    bad.error = QStringLiteral("HTTP 500 Internal Server Error");
    QVERIFY(m_deliveries->recordResults({ok, bad}, QDateTime::currentDateTimeUtc()));
    QCOMPARE(countAttempts(m_hookId), 3);
}

void TestHookDelete::cleanup()
{
    m_window.reset();
    m_deliveries.reset();
    m_hooks.reset();
    m_database.reset();
    m_dir.reset();
    QSettings(QStringLiteral("webhook-admin"), QStringLiteral("webhook-admin")).clear();
}

void TestHookDelete::openWindow()
{
    m_window = std::make_unique<MainWindow>(m_hooks.get(), path());
    m_window->setDeliveryService(nullptr, m_deliveries.get());
    m_window->show();
    QApplication::setActiveWindow(m_window.get());
    QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
    auto *list = m_window->findChild<HookListView *>(QStringLiteral("hookList"));
    QVERIFY(list && list->selectHook(m_hookId));
    QTRY_COMPARE(m_window->editor()->hookId(), m_hookId);
}

qint64 TestHookDelete::countAttempts(qint64 hookId) const
{
    LogFilter filter;
    filter.webhookId = hookId;
    const Result<qint64> count = m_deliveries->countAttempts(filter);
    return count ? count.value() : -1;
}

qint64 TestHookDelete::webhookRows() const
{
    QSqlQuery query(m_database->connection());
    if (!query.exec(QStringLiteral("SELECT COUNT(*) FROM webhooks")) || !query.next())
        return -1;
    return query.value(0).toLongLong();
}

void TestHookDelete::deleteKeepsTheHistory()
{
    openWindow();
    QString text;
    QString informative;
    bool offeredHistory = false;
    bool offeredDeactivate = false;
    onNextModal([&](QMessageBox *box) {
        text = box->text();
        informative = box->informativeText();
        offeredHistory = box->checkBox() && box->checkBox()->text().contains(QLatin1String("3"));
        offeredDeactivate =
            box->findChild<QPushButton *>(QStringLiteral("deactivateInsteadButton"));
        box->findChild<QPushButton *>(QStringLiteral("confirmDeleteButton"))->click();
    });
    m_window->findChild<QAction *>(QStringLiteral("deleteHookAction"))->trigger();
    QVERIFY(text.contains(QLatin1String("https://gone.example.com/hook")));
    QVERIFY2(informative.contains(QLatin1String("3 recorded attempts")), qPrintable(informative));
    QVERIFY(offeredHistory);
    QVERIFY(offeredDeactivate);

    // Gone from the hooks, not from the log.
    QVERIFY(!m_hooks->hook(m_hookId));
    QTRY_COMPARE(m_window->editor()->hookId(), m_otherId);
    QCOMPARE(countAttempts(m_hookId), 3);
    DeliveryLogModel *log = m_window->logPane()->model();
    log->refresh();
    QCOMPARE(log->rowCount(), 3);
    for (int row = 0; row < log->rowCount(); ++row)
        QTRY_COMPARE(log->index(row, DeliveryLogModel::Hook).data().toString(),
                     QStringLiteral("deleted webhook · https://gone.example.com/hook"));
    // The attempt that was still waiting is cancelled, not sent later.
    LogFilter pending;
    pending.outcome = AttemptOutcome::Pending;
    QCOMPARE(m_deliveries->countAttempts(pending).value(), 0);
    QCOMPARE(log->index(0, DeliveryLogModel::Outcome).data().toString(),
             QStringLiteral("cancelled"));
    LogFilter failed;
    QCOMPARE(m_deliveries->countFailedDeliveries(failed).value(), 0);
    // Nothing is sent to it any more, and it says why.
    const Result<qint64> again =
        m_deliveries->redeliver(m_deliveryId, QDateTime::currentDateTimeUtc());
    QVERIFY(!again);
    QVERIFY(again.error().message.contains(QLatin1String("deleted")));
    // A new hook never takes over the deleted one's id, and so its history.
    Webhook fresh;
    fresh.url = QStringLiteral("https://new.example.com/hook");
    const Result<Webhook> saved = m_hooks->saveHook(fresh);
    QVERIFY(saved);
    QVERIFY(saved->id != m_hookId);
}

void TestHookDelete::deleteCanTakeTheHistoryAlong()
{
    openWindow();
    onNextModal([](QMessageBox *box) {
        QVERIFY(box->checkBox());
        box->checkBox()->setChecked(true);
        box->findChild<QPushButton *>(QStringLiteral("confirmDeleteButton"))->click();
    });
    m_window->findChild<QAction *>(QStringLiteral("deleteHookAction"))->trigger();
    QVERIFY(!m_hooks->hook(m_hookId));
    QCOMPARE(countAttempts(m_hookId), 0);
    QCOMPARE(webhookRows(), 1);
}

void TestHookDelete::deactivateInstead()
{
    openWindow();
    onNextModal([](QMessageBox *box) {
        box->findChild<QPushButton *>(QStringLiteral("deactivateInsteadButton"))->click();
    });
    m_window->findChild<QAction *>(QStringLiteral("deleteHookAction"))->trigger();
    const Result<Webhook> kept = m_hooks->hook(m_hookId);
    QVERIFY(kept);
    QVERIFY(!kept->isActive);
    QCOMPARE(countAttempts(m_hookId), 3);
    QCOMPARE(m_window->editor()->hookId(), m_hookId);
    QVERIFY(!m_window->editor()->formState().isActive);
    QVERIFY(!m_window->editor()->isDirty());
}

void TestHookDelete::retentionRemovesTheDeletedHookWithItsLastAttempt()
{
    QVERIFY(m_hooks->removeHook(m_hookId));
    QCOMPARE(webhookRows(), 2); // kept for its history
    QVERIFY(m_deliveries->pruneAttempts(QDateTime::currentDateTimeUtc().addSecs(60)));
    QCOMPARE(countAttempts(m_hookId), 0);
    QCOMPARE(webhookRows(), 1);
    // A hook with no history at all goes at once.
    QVERIFY(m_hooks->removeHook(m_otherId));
    QCOMPARE(webhookRows(), 0);
}

QTEST_MAIN(TestHookDelete)
#include "tst_hook_delete.moc"
