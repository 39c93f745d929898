#include "delivery/delivery_store.h"
#include "delivery_log_pane.h"
#include "hook_editor.h"
#include "hook_list_view.h"
#include "main_window.h"
#include "store/database.h"
#include "store/hook_store.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QFile>
#include <QFileInfo>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <functional>
#include <memory>

namespace {

// Runs answer on the next modal dialog once it shows (exec() blocks).
void onNextModal(std::function<void(QMessageBox *)> answer)
{
    auto *timer = new QTimer(qApp);
    timer->setInterval(20);
    auto remaining = std::make_shared<int>(250);
    QObject::connect(timer, &QTimer::timeout, timer, [timer, answer, remaining] {
        if (auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
            box && box->isVisible()) {
            timer->stop();
            timer->deleteLater();
            answer(box);
        } else if (--*remaining <= 0) {
            timer->stop();
            timer->deleteLater();
        }
    });
    timer->start();
}

} // namespace

// File → Import Webhooks…, Export Webhooks…, Export Log…, and the Deliveries
// menu whose shortcuts work wherever the focus is (issue 13, Missing parts).
class TestFileMenu : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void importShowsWhatItAddsThenAddsAll();
    void importOfABadFileNamesTheEntryAndAddsNothing();
    void exportedWebhooksArePrivateAndMasked();
    void deliveriesMenuShortcutsWorkAnywhere();

private:
    QString path(const QString &name) const { return m_dir->filePath(name); }
    void openWindow();
    void writeFile(const QString &name, const QByteArray &data);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Database> m_database;
    std::unique_ptr<HookStore> m_hooks;
    std::unique_ptr<DeliveryStore> m_deliveries;
    std::unique_ptr<MainWindow> m_window;
};

void TestFileMenu::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QSettings(QStringLiteral("webhook-admin"), QStringLiteral("webhook-admin")).clear();
}

void TestFileMenu::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_database = std::make_unique<Database>();
    QVERIFY(!m_database->open(path(QStringLiteral("menu.sqlite"))));
    m_hooks = std::make_unique<HookStore>(m_database.get());
    m_deliveries = std::make_unique<DeliveryStore>(m_database.get());
}

void TestFileMenu::cleanup()
{
    m_window.reset();
    m_deliveries.reset();
    m_hooks.reset();
    m_database.reset();
    m_dir.reset();
    QSettings(QStringLiteral("webhook-admin"), QStringLiteral("webhook-admin")).clear();
}

void TestFileMenu::openWindow()
{
    m_window = std::make_unique<MainWindow>(m_hooks.get(), m_database->path());
    m_window->setDeliveryService(nullptr, m_deliveries.get());
    m_window->show();
    QApplication::setActiveWindow(m_window.get());
    QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
}

void TestFileMenu::writeFile(const QString &name, const QByteArray &data)
{
    QFile file(path(name));
    QVERIFY(file.open(QIODevice::WriteOnly));
    QCOMPARE(file.write(data), data.size());
}

void TestFileMenu::importShowsWhatItAddsThenAddsAll()
{
    writeFile(QStringLiteral("hooks.json"),
              R"([{"url": "https://a.example.com/hook?token=abc", "send_payload": true,
                   "send_for_all_actions": true, "headers": {}, "is_active": true,
                   "actions": []},
                  {"url": "https://b.example.com/hook", "send_payload": false,
                   "send_for_all_actions": false, "headers": {"X-Team": "vision"},
                   "is_active": true, "actions": ["TASKS_CREATED"]}])");
    openWindow();
    // The File menu has it.
    QMenu *file = m_window->menuBar()->findChildren<QMenu *>().value(0);
    QVERIFY(file && file->actions().contains(m_window->importAction()));

    // Cancel at the preview adds nothing.
    QString shown;
    onNextModal([&shown](QMessageBox *box) {
        shown = box->text() + QLatin1Char('\n') + box->informativeText();
        box->reject();
    });
    QVERIFY(!m_window->importHooksFrom(path(QStringLiteral("hooks.json"))));
    QVERIFY(shown.contains(QStringLiteral("Add 2 webhook")));
    QVERIFY(shown.contains(QStringLiteral("https://b.example.com/hook")));
    // The preview masks a URL's credentials too.
    QVERIFY(!shown.contains(QStringLiteral("token=abc")));
    QCOMPARE(m_hooks->hooks()->size(), 0);

    onNextModal([](QMessageBox *box) {
        box->findChild<QPushButton *>(QStringLiteral("importButton"))->click();
    });
    QVERIFY(m_window->importHooksFrom(path(QStringLiteral("hooks.json"))));
    const QList<Webhook> hooks = m_hooks->hooks().value();
    QCOMPARE(hooks.size(), 2);
    QCOMPARE(hooks.at(1).headers.value(0).value, QStringLiteral("vision"));
    auto *list = m_window->findChild<HookListView *>(QStringLiteral("hookList"));
    QTRY_COMPARE(list->model()->rowCount(), 2);
    QCOMPARE(m_window->editor()->hookId(), hooks.at(0).id);
}

void TestFileMenu::importOfABadFileNamesTheEntryAndAddsNothing()
{
    writeFile(QStringLiteral("bad.json"),
              R"([{"url": "https://a.example.com/hook"}, {"url": "ftp://b.example.com/"}])");
    openWindow();
    QString warning;
    onNextModal([&warning](QMessageBox *box) {
        warning = box->text();
        box->accept();
    });
    QVERIFY(!m_window->importHooksFrom(path(QStringLiteral("bad.json"))));
    QVERIFY2(warning.contains(QStringLiteral("entry 2")), qPrintable(warning));
    QCOMPARE(m_hooks->hooks()->size(), 0);
}

void TestFileMenu::exportedWebhooksArePrivateAndMasked()
{
    Webhook hook;
    hook.url = QStringLiteral("https://example.com/hook?token=abc");
    hook.signature = SignatureScheme::Standard;
    hook.secret = QStringLiteral("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
    hook.headers = {{QStringLiteral("Authorization"), QStringLiteral("Bearer s3cret"), true}};
    QVERIFY(m_hooks->saveHook(hook));
    openWindow();
    QVERIFY(m_window->exportHooksAction()->isEnabled());

    const QString masked = path(QStringLiteral("masked.json"));
    QCOMPARE(m_window->exportHooksTo(masked, false), QString());
    QFile file(masked);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray data = file.readAll();
    QVERIFY(data.contains("example.com/hook"));
    for (const char *secret : {"s3cret", "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "token=abc"})
        QVERIFY2(!data.contains(secret), secret);
    const auto others = QFileDevice::ReadGroup | QFileDevice::WriteGroup | QFileDevice::ReadOther |
                        QFileDevice::WriteOther;
    QCOMPARE(QFileInfo(masked).permissions() & others, QFileDevice::Permissions());

    const QString whole = path(QStringLiteral("whole.json"));
    QCOMPARE(m_window->exportHooksTo(whole, true), QString());
    QFile wholeFile(whole);
    QVERIFY(wholeFile.open(QIODevice::ReadOnly));
    const QByteArray wholeData = wholeFile.readAll();
    QVERIFY(wholeData.contains("s3cret"));
    QVERIFY(wholeData.contains("token=abc"));
    QCOMPARE(QFileInfo(whole).permissions() & others, QFileDevice::Permissions());
}

void TestFileMenu::deliveriesMenuShortcutsWorkAnywhere()
{
    Webhook hook;
    hook.url = QStringLiteral("https://ml.example.com/train");
    const Result<Webhook> saved = m_hooks->saveHook(hook);
    QVERIFY(saved);
    const EventCatalog catalog = m_hooks->catalog();
    const Result<EmitResult> emitted = m_deliveries->emitEvent(
        catalog, QStringLiteral("TASKS_CREATED"), std::nullopt,
        catalog.samplePayload(QStringLiteral("TASKS_CREATED")), QDateTime::currentDateTimeUtc());
    QVERIFY(emitted && emitted->attemptIds.size() == 1);
    AttemptResult failed;
    failed.attemptId = emitted->attemptIds.first();
    failed.outcome = AttemptOutcome::Failed;
    failed.startedAt = QDateTime::currentDateTimeUtc();
    failed.finishedAt = failed.startedAt.addMSecs(5);
    failed.durationMs = 5;
    failed.statusCode = 500;
    QVERIFY(m_deliveries->recordResults({failed}, QDateTime::currentDateTimeUtc()));
    openWindow();
    DeliveryLogPane *pane = m_window->logPane();
    QVERIFY(pane);
    QMenu *menu = m_window->deliveriesMenu();
    QVERIFY(menu && menu->menuAction()->isVisible());
    for (QAction *action : {pane->redeliverAction(), pane->redeliverFailedAction(),
                            pane->copyCurlAction(), pane->exportAction()})
        QVERIFY2(menu->actions().contains(action), qPrintable(action->text()));
    QVERIFY(m_window->exportLogAction()->isEnabled());

    auto *list = m_window->findChild<HookListView *>(QStringLiteral("hookList"));
    QVERIFY(list->selectHook(saved->id));
    QTRY_COMPARE(m_window->editor()->hookId(), saved->id);
    QVERIFY(pane->selectAttempt(emitted->attemptIds.first()));

    // The focus is in the editor's URL field, far from the log.
    auto *url = m_window->findChild<QLineEdit *>(QStringLiteral("urlEdit"));
    url->setFocus();
    QTRY_VERIFY(url->hasFocus());
    QApplication::clipboard()->clear();
    QTest::keyClick(url, Qt::Key_C, Qt::ControlModifier | Qt::ShiftModifier);
    QTRY_VERIFY(QApplication::clipboard()->text().startsWith(QStringLiteral("curl")));

    const Result<qint64> before = m_deliveries->countAttempts({});
    QVERIFY(before);
    QTest::keyClick(url, Qt::Key_R, Qt::ControlModifier);
    QTRY_COMPARE(m_deliveries->countAttempts({}).value(), before.value() + 1);
}

QTEST_MAIN(TestFileMenu)
#include "tst_file_menu.moc"
