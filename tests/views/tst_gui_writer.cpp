#include "delivery/delivery_store.h"
#include "delivery/engine_host.h"
#include "delivery_log_pane.h"
#include "hook_editor.h"
#include "hook_list_view.h"
#include "items/hook_list_model.h"
#include "lock_holder.h"
#include "main_window.h"
#include "store/database.h"
#include "store/hook_store.h"
#include "store/store_writer.h"
#include "test_database.h"
#include "test_send_dialog.h"

#include <QAction>
#include <QApplication>
#include <QElapsedTimer>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <memory>

// Issue 13, "The GUI thread never waits on a lock": while another connection
// holds the write lock, the window's save, Active toggle, test send and
// redelivery wait on the writer thread, the event loop keeps running, the
// window says what is pending, and every action lands once the lock is gone.
class TestGuiWriter : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void actionsWaitOffTheGuiThread();
    void writesLandInTheOrderAsked();
    void aFailedSaveKeepsTheForm();

private:
    Webhook storedHook(qint64 id) const;

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_location;
    std::unique_ptr<Database> m_database;
    std::unique_ptr<HookStore> m_hooks;
    std::unique_ptr<DeliveryStore> m_deliveries;
    std::unique_ptr<EngineHost> m_service;
    std::unique_ptr<StoreWriter> m_writer;
    std::unique_ptr<MainWindow> m_window;
    qint64 m_first = 0;
    qint64 m_second = 0;
    qint64 m_deliveryId = 0;
    qint64 m_attemptId = 0;
};

void TestGuiWriter::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
}

void TestGuiWriter::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_location = TestDatabase::create(m_dir->path(), QStringLiteral("writer.sqlite"));
    QVERIFY(!m_location.isEmpty());
    m_database = std::make_unique<Database>();
    QVERIFY(!m_database->open(m_location));
    m_hooks = std::make_unique<HookStore>(m_database.get());
    m_deliveries = std::make_unique<DeliveryStore>(m_database.get());
    Webhook hook;
    hook.url = QStringLiteral("http://127.0.0.1:9/first");
    Result<Webhook> first = m_hooks->saveHook(hook);
    QVERIFY(first);
    m_first = first->id;
    hook.url = QStringLiteral("http://127.0.0.1:9/second");
    Result<Webhook> second = m_hooks->saveHook(hook);
    QVERIFY(second);
    m_second = second->id;
    // A delivery to redeliver (the engine does not run: it stays pending).
    Result<EmitResult> test =
        m_deliveries->enqueueTest(m_hooks->catalog(), m_first, QStringLiteral("PING"), std::nullopt,
                                  {}, QDateTime::currentDateTimeUtc());
    QVERIFY(test);
    m_deliveryId = test->deliveryIds.first();
    m_attemptId = test->attemptIds.first();

    m_service = std::make_unique<EngineHost>(m_location);
    m_writer = std::make_unique<StoreWriter>(m_location);
    m_window = std::make_unique<MainWindow>(m_hooks.get(), m_location);
    m_window->setStoreWriter(m_writer.get());
    m_window->setDeliveryService(m_service.get(), m_deliveries.get());
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    // The writer has opened its connection before anyone holds the lock.
    QVERIFY(m_writer->wait(QString(), [](const WriterStores &s) {
        return s.database ? Status(Done{}) : Status(StorageError{});
    }));
}

void TestGuiWriter::cleanup()
{
    m_window.reset();
    m_writer.reset();
    m_service.reset();
    m_deliveries.reset();
    m_hooks.reset();
    m_database.reset();
    m_dir.reset();
}

Webhook TestGuiWriter::storedHook(qint64 id) const
{
    Database reader;
    if (reader.open(m_location))
        return {};
    HookStore hooks(&reader);
    const Result<Webhook> hook = hooks.hook(id);
    return hook ? hook.value() : Webhook{};
}

void TestGuiWriter::actionsWaitOffTheGuiThread()
{
    auto *list = m_window->findChild<HookListView *>(QStringLiteral("hookList"));
    QVERIFY(list);
    list->selectHook(m_first);
    QCOMPARE(m_window->editor()->hookId(), m_first);

    // A heartbeat: how long the event loop went without running a timer.
    int beats = 0;
    qint64 longestGapMs = 0;
    QElapsedTimer sinceBeat;
    sinceBeat.start();
    QTimer heartbeat;
    heartbeat.setInterval(5);
    connect(&heartbeat, &QTimer::timeout, this, [&] {
        ++beats;
        longestGapMs = std::max(longestGapMs, sinceBeat.restart());
    });

    constexpr int HoldMs = 1500;
    LockHolder lock(m_location, HoldMs);
    lock.start();
    QTRY_VERIFY_WITH_TIMEOUT(lock.isHolding() || lock.hasReleased(), 10000);
    QVERIFY2(lock.error().isEmpty(), qPrintable(lock.error()));
    QVERIFY(lock.isHolding());
    heartbeat.start();
    sinceBeat.restart();
    QElapsedTimer clicks;
    clicks.start();

    // Send Test…: stores a test for the first hook.
    m_window->sendTestAction()->trigger();
    auto *dialog = m_window->findChild<TestSendDialog *>();
    QVERIFY(dialog);
    QTRY_VERIFY(dialog->isVisible());
    auto *send = dialog->findChild<QPushButton *>(QStringLiteral("sendButton"));
    QVERIFY(send && send->isEnabled());
    QSignalSpy queued(dialog, &TestSendDialog::testQueued);
    QTest::mouseClick(send, Qt::LeftButton);
    QVERIFY(dialog->isWaiting()); // "Storing the test…"

    // Redeliver the first delivery from the log.
    DeliveryLogPane *log = m_window->logPane();
    QVERIFY(log);
    log->refresh();
    QVERIFY(log->selectAttempt(m_attemptId));
    QSignalSpy redelivered(log, &DeliveryLogPane::deliveriesQueued);
    log->redeliverAction()->trigger();

    // The Active toggle of the second hook, in the list.
    const QModelIndex active =
        list->model()->index(m_window->findChild<HookListView *>(QStringLiteral("hookList"))
                                 ->model()
                                 ->match(list->model()->index(0, HookListModel::Url),
                                         HookListModel::HookIdRole, m_second)
                                 .value(0)
                                 .row(),
                             HookListModel::Active);
    QVERIFY(active.isValid());
    QVERIFY(list->model()->setData(active, Qt::Unchecked, Qt::CheckStateRole));
    // Shown switched off at once, stored later.
    QCOMPARE(active.data(Qt::CheckStateRole).value<Qt::CheckState>(), Qt::Unchecked);

    // Edit and save the first hook.
    auto *description =
        m_window->editor()->findChild<QPlainTextEdit *>(QStringLiteral("descriptionEdit"));
    QVERIFY(description);
    description->setFocus();
    QTest::keyClicks(description, QStringLiteral("Saved under a lock"));
    auto *save = m_window->editor()->findChild<QPushButton *>(QStringLiteral("saveButton"));
    QVERIFY(save && save->isEnabled());
    QTest::mouseClick(save, Qt::LeftButton);
    const qint64 clickMs = clicks.elapsed();

    // All four wait behind the lock; the window says so and keeps running.
    QVERIFY2(lock.isHolding(), "the clicks took longer than the lock was held");
    QVERIFY(m_writer->pendingCount() >= 1);
    QVERIFY(!save->isEnabled());
    QCOMPARE(save->text(), QStringLiteral("Saving…"));
    QVERIFY(m_window->writeStatusLabel()->isVisible());
    QVERIFY(!m_window->writeStatusLabel()->text().isEmpty());
    const int beatsBefore = beats;
    QTest::qWait(300);
    QVERIFY2(beats > beatsBefore + 10, "the event loop stopped while the lock was held");
    QVERIFY(lock.isHolding());
    QVERIFY(storedHook(m_first).description.isEmpty());
    QVERIFY(storedHook(m_second).isActive);
    QCOMPARE(queued.count(), 0);
    QCOMPARE(redelivered.count(), 0);

    // Released: every action lands.
    QTRY_VERIFY_WITH_TIMEOUT(lock.hasReleased(), 10000);
    QTRY_COMPARE_WITH_TIMEOUT(m_writer->pendingCount(), 0, 10000);
    QCOMPARE(storedHook(m_first).description, QStringLiteral("Saved under a lock"));
    QVERIFY(!storedHook(m_second).isActive);
    if (queued.count() != 1) {
        for (QLabel *label : dialog->findChildren<QLabel *>())
            qWarning() << label->objectName() << label->text();
    }
    QCOMPARE(queued.count(), 1); // the dialog heard back: "Sending to…"
    QVERIFY(dialog->attemptId() != 0);
    dialog->close();
    QCOMPARE(redelivered.count(), 1);
    QVERIFY(!m_window->editor()->isDirty());
    QCOMPARE(save->text(), QStringLiteral("&Save"));
    QTRY_VERIFY(!m_window->writeStatusLabel()->isVisible());
    heartbeat.stop();
    qInfo("clicks took %lld ms; longest gap between heartbeats %lld ms", clickMs, longestGapMs);
    // Not a timing test (the machine may be loaded), but no wait near the lock's length.
    QVERIFY2(longestGapMs < HoldMs / 2, qPrintable(QString::number(longestGapMs)));
}

void TestGuiWriter::writesLandInTheOrderAsked()
{
    QStringList order;
    for (int i = 0; i < 5; ++i) {
        m_writer->submit(
            this, QStringLiteral("job"),
            [this, i](const WriterStores &s) {
                Webhook hook = s.hooks->hook(m_first).value();
                hook.description = QString::number(i);
                return s.hooks->saveHook(hook);
            },
            [&order](const Result<Webhook> &saved) {
                order.append(saved ? saved->description : QStringLiteral("error"));
            });
    }
    QCOMPARE(m_writer->pendingCount(), 5);
    QTRY_COMPARE(order.size(), 5);
    QCOMPARE(order.join(QLatin1Char(',')), QStringLiteral("0,1,2,3,4"));
    QCOMPARE(storedHook(m_first).description, QStringLiteral("4"));
}

void TestGuiWriter::aFailedSaveKeepsTheForm()
{
    auto *list = m_window->findChild<HookListView *>(QStringLiteral("hookList"));
    list->selectHook(m_first);
    auto *description =
        m_window->editor()->findChild<QPlainTextEdit *>(QStringLiteral("descriptionEdit"));
    description->setFocus();
    QTest::keyClicks(description, QStringLiteral("kept"));
    // Another connection removes the hook while it is being edited.
    QVERIFY(m_writer->wait(QString(), [this](const WriterStores &s) {
        return s.hooks->removeHook(m_first, HookStore::History::Delete);
    }));
    auto *save = m_window->editor()->findChild<QPushButton *>(QStringLiteral("saveButton"));
    QTest::mouseClick(save, Qt::LeftButton);
    auto *error = m_window->editor()->findChild<QLabel *>(QStringLiteral("storeError"));
    QVERIFY(error);
    QTRY_VERIFY(error->isVisible());
    QVERIFY(error->text().contains(QStringLiteral("not saved")));
    QCOMPARE(description->toPlainText(), QStringLiteral("kept"));
    QVERIFY(m_window->editor()->isDirty());
}

QTEST_MAIN(TestGuiWriter)
#include "tst_gui_writer.moc"
