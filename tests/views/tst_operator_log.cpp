#include "delivery/delivery_store.h"
#include "delivery/engine_host.h"
#include "delivery_log_pane.h"
#include "hook_list_view.h"
#include "items/delivery_log_model.h"
#include "main_window.h"
#include "store/database.h"
#include "store/hook_store.h"
#include "test_receiver.h"
#include "test_send_dialog.h"

#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QDateTimeEdit>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QToolButton>
#include <functional>
#include <memory>

// The log pane's operator tools, driven offscreen with a real SQLite file,
// the real delivery engine on its thread and a real receiver on 127.0.0.1:
// the time filter with Redeliver Failed on what it shows, and Edit and Resend.
class TestOperatorLog : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void timeFilterNarrowsTheLogAndRedeliverFailed();
    void editAndResendSendsTheEditedBodyOnceElsewhere();

private:
    QString path() const { return m_dir->filePath(QStringLiteral("log.sqlite")); }
    qint64 addHook(const QString &url, const QStringList &actions = {});
    // Emits `count` events and waits until the engine has sent each once.
    bool emitAndWait(int count, const QString &action);
    void backdate(qint64 deliveryId, qint64 secondsAgo);
    void answerNextModal(std::function<void(QWidget *)> answer);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Database> m_database;
    std::unique_ptr<HookStore> m_hooks;
    std::unique_ptr<DeliveryStore> m_deliveries;
    std::unique_ptr<TestReceiver> m_receiver;
    std::unique_ptr<EngineHost> m_service;
};

void TestOperatorLog::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QSettings(QStringLiteral("webhook-admin"), QStringLiteral("webhook-admin")).clear();
}

void TestOperatorLog::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_database = std::make_unique<Database>();
    QVERIFY(!m_database->open(path()));
    m_hooks = std::make_unique<HookStore>(m_database.get());
    m_deliveries = std::make_unique<DeliveryStore>(m_database.get());
    m_receiver = std::make_unique<TestReceiver>();
    QVERIFY(m_receiver->listen());
    m_service = std::make_unique<EngineHost>(path());
    m_service->start();
}

void TestOperatorLog::cleanup()
{
    m_service.reset();
    m_receiver.reset();
    m_deliveries.reset();
    m_hooks.reset();
    m_database.reset();
    m_dir.reset();
    QSettings(QStringLiteral("webhook-admin"), QStringLiteral("webhook-admin")).clear();
}

qint64 TestOperatorLog::addHook(const QString &url, const QStringList &actions)
{
    Webhook hook;
    hook.url = url;
    hook.maxAttempts = 1;
    hook.sendForAllActions = actions.isEmpty();
    hook.actions = actions;
    const Result<Webhook> saved = m_hooks->saveHook(hook);
    return saved ? saved->id : 0;
}

bool TestOperatorLog::emitAndWait(int count, const QString &action)
{
    const EventCatalog catalog = m_hooks->catalog();
    const int before = int(m_receiver->requests().size());
    for (int i = 0; i < count; ++i) {
        if (!m_deliveries->emitEvent(catalog, action, std::nullopt, catalog.samplePayload(action),
                                     QDateTime::currentDateTimeUtc()))
            return false;
    }
    m_service->wake();
    if (!QTest::qWaitFor([&] { return m_receiver->requests().size() >= before + count; }, 15000))
        return false;
    // Recorded a moment after the receiver answered.
    return QTest::qWaitFor(
        [&] {
            LogFilter pending;
            pending.outcome = AttemptOutcome::Pending;
            return m_deliveries->countAttempts(pending).value() == 0;
        },
        10000);
}

void TestOperatorLog::backdate(qint64 deliveryId, qint64 secondsAgo)
{
    QSqlQuery query(m_database->connection());
    query.prepare(QStringLiteral("UPDATE attempts SET created_at = ? WHERE delivery_id = ?"));
    query.addBindValue(QDateTime::currentMSecsSinceEpoch() - secondsAgo * 1000);
    query.addBindValue(deliveryId);
    QVERIFY(query.exec());
    QCOMPARE(query.numRowsAffected(), 1);
}

void TestOperatorLog::answerNextModal(std::function<void(QWidget *)> answer)
{
    auto *timer = new QTimer(this);
    timer->setInterval(20);
    connect(timer, &QTimer::timeout, this, [timer, answer] {
        QWidget *modal = QApplication::activeModalWidget();
        if (!modal)
            return;
        timer->stop();
        timer->deleteLater();
        answer(modal);
    });
    timer->start();
    QTimer::singleShot(10000, timer, [timer] {
        timer->stop();
        if (QWidget *modal = QApplication::activeModalWidget())
            modal->close();
    });
}

void TestOperatorLog::timeFilterNarrowsTheLogAndRedeliverFailed()
{
    const qint64 hook = addHook(m_receiver->url(QStringLiteral("/status/500")));
    QVERIFY(hook);
    QVERIFY(emitAndWait(3, QStringLiteral("TASKS_CREATED")));
    // Delivery 1 failed ten hours ago, delivery 2 three hours ago, 3 just now.
    backdate(1, 10 * 3600);
    backdate(2, 3 * 3600);
    Webhook fixed = m_hooks->hook(hook).value();
    fixed.url = m_receiver->url(QStringLiteral("/ok"));
    QVERIFY(m_hooks->saveHook(fixed));

    DeliveryLogPane pane(m_deliveries.get(), m_hooks.get());
    connect(&pane, &DeliveryLogPane::deliveriesQueued, m_service.get(), &EngineHost::wake);
    pane.resize(1200, 700);
    pane.show();
    QVERIFY(QTest::qWaitForWindowExposed(&pane));
    DeliveryLogModel *model = pane.model();
    QCOMPARE(model->rowCount(), 3);
    auto *time = pane.findChild<QComboBox *>(QStringLiteral("timeFilter"));
    QVERIFY(time && time->isVisible());
    auto *custom = pane.findChild<QWidget *>(QStringLiteral("timeFromEdit"));
    QVERIFY(!custom->isVisible());

    time->setFocus();
    QTest::keyClick(time, Qt::Key_Down); // Last hour
    QCOMPARE(time->currentText(), QStringLiteral("Last hour"));
    QTRY_COMPARE(model->rowCount(), 1);
    QTRY_VERIFY2(pane.redeliverFailedAction()->text().contains(QLatin1String("(1)")),
                 qPrintable(pane.redeliverFailedAction()->text()));
    QTest::keyClick(time, Qt::Key_Down); // Last 24 hours
    QTRY_COMPARE(model->rowCount(), 3);
    QTRY_VERIFY(pane.redeliverFailedAction()->text().contains(QLatin1String("(3)")));

    // From/To: twelve to two hours ago holds deliveries 1 and 2.
    QTest::keyClick(time, Qt::Key_Down); // Last 7 days
    QTest::keyClick(time, Qt::Key_Down); // From/To…
    QVERIFY(custom->isVisible());
    auto *from = pane.findChild<QDateTimeEdit *>(QStringLiteral("timeFromEdit"));
    auto *to = pane.findChild<QDateTimeEdit *>(QStringLiteral("timeToEdit"));
    const QDateTime now = QDateTime::currentDateTime();
    from->setDateTime(now.addSecs(-12 * 3600));
    to->setDateTime(now.addSecs(-2 * 3600));
    QTRY_COMPARE(model->rowCount(), 2);
    QCOMPARE(pane.filter().since.toSecsSinceEpoch() / 60,
             now.addSecs(-12 * 3600).toSecsSinceEpoch() / 60);
    QTRY_VERIFY(pane.redeliverFailedAction()->text().contains(QLatin1String("(2)")));

    // Redeliver Failed says how many before it sends, and sends only those.
    QString question;
    answerNextModal([&question](QWidget *modal) {
        auto *box = qobject_cast<QMessageBox *>(modal);
        QVERIFY(box);
        question = box->text();
        for (QAbstractButton *button : box->buttons()) {
            if (box->buttonRole(button) == QMessageBox::AcceptRole)
                QTest::mouseClick(button, Qt::LeftButton);
        }
    });
    pane.redeliverFailedAction()->trigger();
    QVERIFY2(question.contains(QLatin1String("Send the 2 failed deliveries")),
             qPrintable(question));
    QTRY_COMPARE_WITH_TIMEOUT(m_receiver->count("/ok"), 2, 15000);
    QTest::qWait(300);
    QCOMPARE(m_receiver->count("/ok"), 2);
    Result<QList<Attempt>> manual = m_deliveries->attempts({}, 0, 2);
    QVERIFY(manual);
    QList<qint64> resent;
    for (const Attempt &a : manual.value()) {
        QCOMPARE(a.trigger, AttemptTrigger::Manual);
        resent.append(a.deliveryId);
    }
    std::sort(resent.begin(), resent.end());
    QCOMPARE(resent, (QList<qint64>{1, 2}));
}

void TestOperatorLog::editAndResendSendsTheEditedBodyOnceElsewhere()
{
    const QString hookUrl = m_receiver->url(QStringLiteral("/status/400"));
    const qint64 hook = addHook(hookUrl, {QStringLiteral("TASKS_CREATED")});
    QVERIFY(hook);
    QVERIFY(emitAndWait(1, QStringLiteral("TASKS_CREATED")));
    const QByteArray originalBody = m_receiver->requests().first().body;

    MainWindow window(m_hooks.get(), path());
    window.setDeliveryService(m_service.get(), m_deliveries.get());
    window.resize(1400, 900);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    DeliveryLogPane *pane = window.logPane();
    QVERIFY(pane);
    QTRY_COMPARE(pane->model()->rowCount(), 1);
    QTableView *table = pane->table();
    QTest::mouseClick(table->viewport(), Qt::LeftButton, {},
                      table->visualRect(pane->model()->index(0, 0)).center());
    QCOMPARE(pane->currentAttemptId(), qint64(1));
    QVERIFY(pane->editAndResendAction()->isEnabled());
    QVERIFY(pane->findChild<QToolButton *>(QStringLiteral("editResendActionButton")));

    // The shortcut opens Send Test with the attempt's event and body.
    table->setFocus();
    QTest::keyClick(table, Qt::Key_E, Qt::ControlModifier);
    TestSendDialog *dialog = nullptr;
    QTRY_VERIFY((dialog = window.findChild<TestSendDialog *>()) && dialog->isVisible());
    QCOMPARE(dialog->editedFrom(), qint64(1));
    QCOMPARE(dialog->currentEvent(), QStringLiteral("TASKS_CREATED"));
    auto *payload = dialog->findChild<QPlainTextEdit *>(QStringLiteral("payloadEdit"));
    QJsonObject expected = QJsonDocument::fromJson(originalBody).object();
    expected.remove(QStringLiteral("action"));
    QCOMPARE(QJsonDocument::fromJson(payload->toPlainText().toUtf8()).object(), expected);
    auto *sendTo = dialog->findChild<QLineEdit *>(QStringLiteral("sendToEdit"));
    QVERIFY(sendTo->isVisible());

    // Fix the body, and send it once to another receiver.
    QJsonObject edited = expected;
    edited.insert(QStringLiteral("tasks"), QJsonArray{QJsonObject{{QStringLiteral("id"), 4242}}});
    payload->setPlainText(QString::fromUtf8(QJsonDocument(edited).toJson()));
    sendTo->setFocus();
    QTest::keyClicks(sendTo, QStringLiteral("not a url"));
    QVERIFY(!dialog->validationMessage().isEmpty());
    auto *send = dialog->findChild<QPushButton *>(QStringLiteral("sendButton"));
    QVERIFY(!send->isEnabled());
    sendTo->clear();
    QTest::keyClicks(sendTo, m_receiver->url(QStringLiteral("/ok")));
    QVERIFY2(dialog->validationMessage().isEmpty(), qPrintable(dialog->validationMessage()));
    QTest::mouseClick(send, Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(m_receiver->count("/ok"), 1, 15000);
    const QJsonObject sent = QJsonDocument::fromJson(m_receiver->requests().last().body).object();
    QCOMPARE(sent.value(QLatin1String("action")).toString(), QStringLiteral("TASKS_CREATED"));
    QCOMPARE(
        sent.value(QLatin1String("tasks")).toArray().first().toObject().value(QLatin1String("id")),
        QJsonValue(4242));
    QCOMPARE(m_receiver->count("/status/400"), 1);

    // The hook is unchanged; the new delivery names the one it came from.
    QCOMPARE(m_hooks->hook(hook)->url, hookUrl);
    const qint64 attemptId = dialog->attemptId();
    const Attempt resent = m_deliveries->attempt(attemptId).value();
    QVERIFY(resent.deliveryId != 1);
    QCOMPARE(resent.url, m_receiver->url(QStringLiteral("/ok")));
    QCOMPARE(m_deliveries->editedFrom({resent.deliveryId}).value().value(resent.deliveryId), 1);
    QVERIFY(m_deliveries->editedFrom({1}).value().isEmpty());
    const Attempt original = m_deliveries->attempt(1).value();
    QCOMPARE(original.requestBody, originalBody);
    QCOMPARE(original.outcome, AttemptOutcome::Failed);

    dialog->close();
    QTRY_VERIFY(pane->selectAttempt(attemptId));
    auto *title = pane->findChild<QLabel *>(QStringLiteral("detailsTitle"));
    QVERIFY2(title->text().contains(QLatin1String("edited from delivery 1")),
             qPrintable(title->text()));
}

QTEST_MAIN(TestOperatorLog)
#include "tst_operator_log.moc"
