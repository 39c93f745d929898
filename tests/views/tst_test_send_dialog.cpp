#include "delivery/delivery_store.h"
#include "delivery/engine_host.h"
#include "delivery_log_pane.h"
#include "hook_editor.h"
#include "hook_list_view.h"
#include "items/hook_list_model.h"
#include "main_window.h"
#include "message_banner.h"
#include "store/database.h"
#include "store/hook_store.h"
#include "test_receiver.h"
#include "test_send_dialog.h"

#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QFontDatabase>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>
#include <memory>

// Send Test against a real receiver on 127.0.0.1, through the real delivery
// engine on its thread, with the dialog on a real SQLite file.
class TestTestSendDialog : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();
    void defaultEvent_data();
    void defaultEvent();
    void prefillsTheSamplePayload();
    void parseErrorMessage_data();
    void parseErrorMessage();
    void invalidPayloadDisablesSend_data();
    void invalidPayloadDisablesSend();
    void editedPayloadIsKeptWhenTheEventChanges();
    void previewNamesUrlAndSignature();
    void sendsTheEditedPayloadAndShowsTheOutcome();
    void refusedConnectionIsShown();
    void sendTestNeedsASavedCleanHook();
    void engineFailuresShowInABanner();

private:
    QString path() const { return m_dir->filePath(QStringLiteral("hooks.sqlite")); }
    Webhook addHook(const QString &url, const QStringList &actions = {});
    std::unique_ptr<TestSendDialog> openDialog(const Webhook &hook, EngineHost *service);

    template <typename T>
    static T *child(QWidget *parent, const QString &name)
    {
        T *widget = parent->findChild<T *>(name);
        if (!widget)
            qWarning("no %s", qPrintable(name));
        return widget;
    }

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Database> m_database;
    std::unique_ptr<HookStore> m_hooks;
    std::unique_ptr<DeliveryStore> m_deliveries;
};

void TestTestSendDialog::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QSettings(QStringLiteral("webhook-admin"), QStringLiteral("webhook-admin")).clear();
}

void TestTestSendDialog::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_database = std::make_unique<Database>();
    const std::optional<StorageError> error = m_database->open(path());
    QVERIFY2(!error, error ? qPrintable(error->message) : "");
    m_hooks = std::make_unique<HookStore>(m_database.get());
    m_deliveries = std::make_unique<DeliveryStore>(m_database.get());
}

void TestTestSendDialog::cleanup()
{
    m_deliveries.reset();
    m_hooks.reset();
    m_database.reset();
    m_dir.reset();
    QSettings(QStringLiteral("webhook-admin"), QStringLiteral("webhook-admin")).clear();
}

Webhook TestTestSendDialog::addHook(const QString &url, const QStringList &actions)
{
    Webhook hook;
    hook.url = url;
    hook.sendForAllActions = actions.isEmpty();
    hook.actions = actions;
    const Result<Webhook> saved = m_hooks->saveHook(hook);
    if (!saved)
        qWarning("%s", qPrintable(saved.error().message));
    return saved ? saved.value() : Webhook{};
}

std::unique_ptr<TestSendDialog> TestTestSendDialog::openDialog(const Webhook &hook,
                                                               EngineHost *service)
{
    auto dialog =
        std::make_unique<TestSendDialog>(hook, m_hooks.get(), m_deliveries.get(), service);
    dialog->show();
    return dialog;
}

void TestTestSendDialog::defaultEvent_data()
{
    QTest::addColumn<bool>("forAll");
    QTest::addColumn<QStringList>("actions");
    QTest::addColumn<QString>("expected");

    QTest::newRow("all actions: ping") << true << QStringList() << EventCatalog::PingKey;
    QTest::newRow("first subscribed, in catalog order")
        << false
        << QStringList{QStringLiteral("ANNOTATION_UPDATED"), QStringLiteral("TASKS_CREATED")}
        << QStringLiteral("TASKS_CREATED");
    QTest::newRow("none subscribed: ping") << false << QStringList() << EventCatalog::PingKey;
}

void TestTestSendDialog::defaultEvent()
{
    QFETCH(bool, forAll);
    QFETCH(QStringList, actions);
    QFETCH(QString, expected);
    Webhook hook;
    hook.sendForAllActions = forAll;
    hook.actions = actions;
    QCOMPARE(TestSendDialog::defaultEvent(hook, EventCatalog()), expected);
}

void TestTestSendDialog::prefillsTheSamplePayload()
{
    const Webhook hook =
        addHook(QStringLiteral("http://127.0.0.1:9/hook"), {QStringLiteral("ANNOTATION_CREATED")});
    auto dialog = openDialog(hook, nullptr);
    QCOMPARE(dialog->currentEvent(), QStringLiteral("ANNOTATION_CREATED"));
    auto *editor = child<QPlainTextEdit>(dialog.get(), QStringLiteral("payloadEdit"));
    QVERIFY(editor);
    const QJsonObject sample = EventCatalog().samplePayload(QStringLiteral("ANNOTATION_CREATED"));
    QCOMPARE(QJsonDocument::fromJson(editor->toPlainText().toUtf8()).object(), sample);
    // Pretty-printed, one key per line, not a single long line.
    QVERIFY(editor->toPlainText().count(QLatin1Char('\n')) > 5);
    QCOMPARE(editor->font().family(), QFontDatabase::systemFont(QFontDatabase::FixedFont).family());
    QVERIFY(dialog->validationMessage().isEmpty());

    // An untouched sample follows the event.
    QVERIFY(dialog->setCurrentEvent(QStringLiteral("TASKS_CREATED")));
    QCOMPARE(QJsonDocument::fromJson(editor->toPlainText().toUtf8()).object(),
             EventCatalog().samplePayload(QStringLiteral("TASKS_CREATED")));

    // Every catalog type and PING can be picked.
    auto *events = child<QComboBox>(dialog.get(), QStringLiteral("eventCombo"));
    const EventCatalog catalog; // types() refers into it: keep it alive
    for (const EventType &type : catalog.types())
        QVERIFY2(events->findData(type.key) >= 0, qPrintable(type.key));
    QVERIFY(events->findData(EventCatalog::PingKey) >= 0);
}

void TestTestSendDialog::parseErrorMessage_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("position");

    QTest::newRow("missing colon on line 3")
        << QStringLiteral("{\n  \"a\": 1,\n  \"b\" 2\n}") << QStringLiteral("Line 3, column 7:");
    QTest::newRow("unterminated object")
        << QStringLiteral("{\n  \"a\": 1\n") << QStringLiteral("Line 2, column 9:");
    QTest::newRow("trailing comma, after non-ASCII")
        << QStringLiteral("{\"größe\": \"ä\",}") << QStringLiteral("Line 1, column 15:");
}

void TestTestSendDialog::parseErrorMessage()
{
    QFETCH(QString, text);
    QFETCH(QString, position);

    const Webhook hook = addHook(QStringLiteral("http://127.0.0.1:9/hook"));
    auto dialog = openDialog(hook, nullptr);
    auto *editor = child<QPlainTextEdit>(dialog.get(), QStringLiteral("payloadEdit"));
    editor->setPlainText(text);
    QVERIFY2(dialog->validationMessage().startsWith(position),
             qPrintable(dialog->validationMessage()));
    auto *error = child<QLabel>(dialog.get(), QStringLiteral("payloadError"));
    QVERIFY(error->isVisible());
    QCOMPARE(error->text(), dialog->validationMessage());
    QVERIFY(!editor->extraSelections().isEmpty()); // the line is marked
}

void TestTestSendDialog::invalidPayloadDisablesSend_data()
{
    QTest::addColumn<QString>("event");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("message");

    QTest::newRow("syntax") << QStringLiteral("TASKS_CREATED")
                            << QStringLiteral("{\n  \"tasks\": [\n    {\"id\": 1}\n  \n}")
                            << QStringLiteral("Line 5, column");
    QTest::newRow("not an object") << QStringLiteral("TASKS_CREATED") << QStringLiteral("[1, 2]")
                                   << QStringLiteral("must be a JSON object");
    QTest::newRow("empty") << EventCatalog::PingKey << QStringLiteral("  ")
                           << QStringLiteral("Enter the payload");
    QTest::newRow("list expected")
        << QStringLiteral("TASKS_CREATED") << QStringLiteral("{\"tasks\": {\"id\": 1}}")
        << QStringLiteral("\"tasks\" must be a list");
    QTest::newRow("payload key missing")
        << QStringLiteral("ANNOTATION_CREATED") << QStringLiteral("{\"task\": {\"id\": 1}}")
        << QStringLiteral("needs the key \"annotation\"");
    QTest::newRow("action set on ping")
        << EventCatalog::PingKey << QStringLiteral("{\"action\": \"X\"}")
        << QStringLiteral("cannot set \"action\"");
}

void TestTestSendDialog::invalidPayloadDisablesSend()
{
    QFETCH(QString, event);
    QFETCH(QString, text);
    QFETCH(QString, message);

    TestReceiver receiver;
    QVERIFY(receiver.listen());
    EngineHost service(path());
    const Webhook hook = addHook(receiver.url(QStringLiteral("/ok")));
    auto dialog = openDialog(hook, &service);
    auto *send = child<QPushButton>(dialog.get(), QStringLiteral("sendButton"));
    QVERIFY(dialog->setCurrentEvent(event));
    QVERIFY(send->isEnabled());

    auto *editor = child<QPlainTextEdit>(dialog.get(), QStringLiteral("payloadEdit"));
    editor->setFocus();
    editor->selectAll();
    // Typed, as a user would.
    const QStringList lines = text.split(QLatin1Char('\n'));
    for (qsizetype i = 0; i < lines.size(); ++i) {
        if (i > 0)
            QTest::keyClick(editor, Qt::Key_Return);
        QTest::keyClicks(editor, lines.at(i));
    }
    QVERIFY2(dialog->validationMessage().contains(message),
             qPrintable(dialog->validationMessage()));
    QVERIFY(!send->isEnabled());
    dialog->send(); // refused while invalid
    QCOMPARE(dialog->attemptId(), 0);

    // Fixed: Send comes back.
    QTest::mouseClick(child<QPushButton>(dialog.get(), QStringLiteral("restoreSampleButton")),
                      Qt::LeftButton);
    QVERIFY(dialog->validationMessage().isEmpty());
    QVERIFY(!child<QLabel>(dialog.get(), QStringLiteral("payloadError"))->isVisible());
    QVERIFY(send->isEnabled());
}

void TestTestSendDialog::editedPayloadIsKeptWhenTheEventChanges()
{
    const Webhook hook =
        addHook(QStringLiteral("http://127.0.0.1:9/hook"), {QStringLiteral("TASKS_CREATED")});
    auto dialog = openDialog(hook, nullptr);
    auto *editor = child<QPlainTextEdit>(dialog.get(), QStringLiteral("payloadEdit"));
    const QString edited = QStringLiteral("{\"tasks\": [{\"id\": 4242}]}");
    editor->setPlainText(edited);
    QVERIFY(dialog->validationMessage().isEmpty());
    QVERIFY(dialog->setCurrentEvent(QStringLiteral("ANNOTATION_CREATED")));
    QCOMPARE(editor->toPlainText(), edited);
    // It does not fit the new event, and the dialog says so.
    QVERIFY(dialog->validationMessage().contains(QStringLiteral("annotation")));
    auto *restore = child<QPushButton>(dialog.get(), QStringLiteral("restoreSampleButton"));
    QVERIFY(restore->isEnabled());
    QTest::mouseClick(restore, Qt::LeftButton);
    QCOMPARE(QJsonDocument::fromJson(editor->toPlainText().toUtf8()).object(),
             EventCatalog().samplePayload(QStringLiteral("ANNOTATION_CREATED")));
    QVERIFY(!restore->isEnabled());
}

void TestTestSendDialog::previewNamesUrlAndSignature()
{
    Webhook hook = addHook(QStringLiteral("https://ml.example.com/train"));
    hook.secret = QStringLiteral("It's a Secret to Everybody");
    hook.signature = SignatureScheme::GitHub;
    hook = m_hooks->saveHook(hook).value();
    auto dialog = openDialog(hook, nullptr);
    const QString preview = child<QLabel>(dialog.get(), QStringLiteral("previewLabel"))->text();
    QVERIFY2(preview.contains(QStringLiteral("POST https://ml.example.com/train")),
             qPrintable(preview));
    QVERIFY(preview.contains(QStringLiteral("X-Hub-Signature-256")));
    QVERIFY(!preview.contains(hook.secret));
    // Without an engine nothing can be sent, and the dialog says why.
    QVERIFY(!child<QPushButton>(dialog.get(), QStringLiteral("sendButton"))->isEnabled());
    QVERIFY(preview.contains(QStringLiteral("not running")));
}

void TestTestSendDialog::sendsTheEditedPayloadAndShowsTheOutcome()
{
    TestReceiver receiver;
    QVERIFY(receiver.listen());
    const Webhook hook =
        addHook(receiver.url(QStringLiteral("/ok")), {QStringLiteral("TASKS_CREATED")});
    EngineHost service(path());
    service.start();
    auto dialog = openDialog(hook, &service);

    auto *editor = child<QPlainTextEdit>(dialog.get(), QStringLiteral("payloadEdit"));
    // Broken first, then fixed by hand.
    editor->setPlainText(
        QStringLiteral("{\"tasks\": [{\"id\": 777, \"data\": {\"text\": \"hi\"}]}"));
    QVERIFY(!dialog->validationMessage().isEmpty());
    editor->setPlainText(
        QStringLiteral("{\"tasks\": [{\"id\": 777, \"data\": {\"text\": \"hi\"}}]}"));
    QVERIFY2(dialog->validationMessage().isEmpty(), qPrintable(dialog->validationMessage()));

    auto *send = child<QPushButton>(dialog.get(), QStringLiteral("sendButton"));
    QTest::mouseClick(send, Qt::LeftButton);
    QVERIFY(dialog->attemptId() > 0);
    auto *status = child<QLabel>(dialog.get(), QStringLiteral("statusLabel"));
    QTRY_VERIFY_WITH_TIMEOUT(status->text().contains(QStringLiteral("200")), 10000);
    QVERIFY2(status->text().contains(QStringLiteral("✔")), qPrintable(status->text()));
    QVERIFY(!dialog->isWaiting());
    QVERIFY(!child<QWidget>(dialog.get(), QStringLiteral("busyIndicator"))->isVisible());
    QVERIFY(send->isEnabled()); // another test can follow

    QCOMPARE(receiver.requests().size(), 1);
    const QJsonObject body = QJsonDocument::fromJson(receiver.requests().first().body).object();
    QCOMPARE(body.value(QStringLiteral("action")).toString(), QStringLiteral("TASKS_CREATED"));
    QCOMPARE(body.value(QStringLiteral("tasks"))
                 .toArray()
                 .first()
                 .toObject()
                 .value(QStringLiteral("id")),
             QJsonValue(777));

    // The details follow once recorded: duration, response, trace.
    auto *facts = child<QLabel>(dialog.get(), QStringLiteral("factsLabel"));
    QTRY_VERIFY_WITH_TIMEOUT(facts->text().contains(QStringLiteral(" ms")), 5000);
    auto *toggle = child<QToolButton>(dialog.get(), QStringLiteral("detailsToggle"));
    QVERIFY(toggle->isVisible());
    QWidget *tabs = child<QWidget>(dialog.get(), QStringLiteral("detailsTabs"));
    QVERIFY(!tabs->isVisible());
    toggle->click();
    QVERIFY(tabs->isVisible());
    QVERIFY(child<QPlainTextEdit>(dialog.get(), QStringLiteral("responseBody"))
                ->toPlainText()
                .contains(QStringLiteral("\"ok\"")));

    const Result<Attempt> stored = m_deliveries->attempt(dialog->attemptId());
    QVERIFY(stored);
    QCOMPARE(stored->trigger, AttemptTrigger::Test);
    QCOMPARE(stored->outcome, AttemptOutcome::Succeeded);
    QCOMPARE(stored->statusCode, 200);
    QCOMPARE(stored->webhookId, hook.id);
    service.stop();
}

void TestTestSendDialog::refusedConnectionIsShown()
{
    // A port that was just free: nothing listens there.
    quint16 port = 0;
    {
        TestReceiver closed;
        QVERIFY(closed.listen());
        port = closed.port();
        closed.close();
    }
    const Webhook hook = addHook(QStringLiteral("http://127.0.0.1:%1/hook").arg(port));
    EngineHost service(path());
    service.start();
    auto dialog = openDialog(hook, &service);
    QCOMPARE(dialog->currentEvent(), EventCatalog::PingKey);
    QTest::mouseClick(child<QPushButton>(dialog.get(), QStringLiteral("sendButton")),
                      Qt::LeftButton);
    auto *status = child<QLabel>(dialog.get(), QStringLiteral("statusLabel"));
    QTRY_VERIFY_WITH_TIMEOUT(status->text().contains(QStringLiteral("connection refused")), 10000);
    QVERIFY(status->text().contains(QStringLiteral("✖")));

    // Once recorded, the trace is the tab shown first.
    auto *trace = child<QPlainTextEdit>(dialog.get(), QStringLiteral("traceView"));
    QTRY_VERIFY_WITH_TIMEOUT(trace->toPlainText().contains(QStringLiteral("refused")), 5000);
    const Result<Attempt> stored = m_deliveries->attempt(dialog->attemptId());
    QVERIFY(stored);
    QCOMPARE(stored->trigger, AttemptTrigger::Test);
    QCOMPARE(stored->outcome, AttemptOutcome::Failed);
    QCOMPARE(stored->errorKind, QStringLiteral("refused"));
    // A test is never retried.
    QCOMPARE(m_deliveries->countAttempts({hook.id, {}, AttemptOutcome::Pending, {}}).value(), 0);
    service.stop();
}

void TestTestSendDialog::sendTestNeedsASavedCleanHook()
{
    TestReceiver receiver;
    QVERIFY(receiver.listen());
    const Webhook hook = addHook(receiver.url(QStringLiteral("/ok")));
    EngineHost service(path());
    MainWindow window(m_hooks.get(), path());
    window.show();
    QAction *action = window.sendTestAction();
    QVERIFY(action);
    QCOMPARE(action->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_T));
    auto *button = child<QPushButton>(&window, QStringLiteral("sendTestButton"));

    // No engine yet.
    auto *list = child<HookListView>(&window, QStringLiteral("hookList"));
    QTRY_VERIFY(list->selectHook(hook.id)); // once the hooks are read, in the background
    QCOMPARE(window.editor()->hookId(), hook.id);
    QVERIFY(!action->isEnabled());
    QVERIFY(action->toolTip().contains(QStringLiteral("not running")));

    window.setDeliveryService(&service, m_deliveries.get());
    QVERIFY(action->isEnabled());
    QVERIFY(button->isEnabled());

    // Unsaved edits: a test would not use them.
    auto *url = child<QLineEdit>(window.editor(), QStringLiteral("urlEdit"));
    url->setText(receiver.url(QStringLiteral("/status/500")));
    QVERIFY(window.editor()->isDirty());
    QVERIFY(!action->isEnabled());
    QVERIFY(!button->isEnabled());
    QVERIFY(button->toolTip().contains(QStringLiteral("Save")));
    window.editor()->revert();
    QVERIFY(action->isEnabled());

    // A new hook is not saved yet.
    window.newHook();
    QVERIFY(!action->isEnabled());
    QVERIFY(action->toolTip().contains(QStringLiteral("new webhook")));

    list->selectHook(hook.id);
    QVERIFY(action->isEnabled());
    action->trigger();
    auto *dialog = window.findChild<TestSendDialog *>();
    QVERIFY(dialog);
    QVERIFY(dialog->isVisible());
    QVERIFY(!dialog->isModal() || dialog->windowModality() == Qt::WindowModal);

    // Stored at once, so the log shows the test while the engine sends it.
    QTest::mouseClick(child<QPushButton>(dialog, QStringLiteral("sendButton")), Qt::LeftButton);
    QVERIFY(dialog->attemptId() > 0);
    auto *pane = window.findChild<DeliveryLogPane *>();
    QVERIFY(pane);
    QCOMPARE(pane->currentAttemptId(), dialog->attemptId());
    dialog->close();
}

void TestTestSendDialog::engineFailuresShowInABanner()
{
    addHook(QStringLiteral("http://127.0.0.1:9/hook"));
    EngineHost service(path());
    MainWindow window(m_hooks.get(), path());
    window.setDeliveryService(&service, m_deliveries.get());
    window.show();
    MessageBanner *banner = window.banner();
    QVERIFY(banner);
    QVERIFY(!banner->isVisible());

    emit service.failed(QStringLiteral("database is locked"));
    QVERIFY(banner->isVisible());
    QVERIFY(QApplication::activeModalWidget() == nullptr); // no dialog
    auto *text = child<QLabel>(banner, QStringLiteral("bannerText"));
    QVERIFY(text->text().contains(QStringLiteral("database is locked")));

    // The same failure again counts up rather than stacking up.
    emit service.failed(QStringLiteral("database is locked"));
    emit service.failed(QStringLiteral("database is locked"));
    QCOMPARE(banner->repeats(), 3);
    QVERIFY(text->text().contains(QStringLiteral("3 times")));

    QTest::mouseClick(child<QToolButton>(banner, QStringLiteral("bannerDismiss")), Qt::LeftButton);
    QVERIFY(!banner->isVisible());
    emit service.failed(QStringLiteral("disk I/O error"));
    QVERIFY(banner->isVisible());
    QCOMPARE(banner->repeats(), 1);
}

QTEST_MAIN(TestTestSendDialog)
#include "tst_test_send_dialog.moc"
