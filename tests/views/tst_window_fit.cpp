#include "attempt_details.h"
#include "delivery/delivery_store.h"
#include "delivery_log_pane.h"
#include "elided_label.h"
#include "main_window.h"
#include "store/database.h"
#include "store/hook_store.h"
#include "test_send_dialog.h"

#include <QApplication>
#include <QPushButton>
#include <QScreen>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <memory>

// Windows stay on their screen: a URL with no break point, a saved geometry
// from a bigger screen, a scaled screen. Registered twice: on a desktop
// screen, and on a 1920x1080 screen at QT_SCALE_FACTOR=2 (tests/views/CMakeLists.txt).
class TestWindowFit : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void defaultSizeFitsTheScreen();
    void longUrlInTheLogNeverWidensTheWindow();
    void longUrlNeverWidensSendTest();
    void restoredGeometryIsClampedToTheScreen();

private:
    QString path() const { return m_dir->filePath(QStringLiteral("fit.sqlite")); }
    static QRect available() { return QGuiApplication::primaryScreen()->availableGeometry(); }
    static bool fits(const QWidget *window)
    {
        return available().contains(window->frameGeometry());
    }
    void openWindow();
    qint64 addLongUrlHook();

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Database> m_database;
    std::unique_ptr<HookStore> m_hooks;
    std::unique_ptr<DeliveryStore> m_deliveries;
    std::unique_ptr<MainWindow> m_window;
    QString m_longUrl;
};

void TestWindowFit::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QSettings(QStringLiteral("webhook-admin"), QStringLiteral("webhook-admin")).clear();
    // A legal URL of 1,965 characters with no '/' after the host.
    m_longUrl = QStringLiteral("https://receiver.example.com?");
    for (int i = 0; m_longUrl.size() < 1965; ++i)
        m_longUrl += QStringLiteral("p%1=%1&").arg(i);
    m_longUrl.truncate(1965);
}

void TestWindowFit::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_database = std::make_unique<Database>();
    QVERIFY(!m_database->open(path()));
    m_hooks = std::make_unique<HookStore>(m_database.get());
    m_deliveries = std::make_unique<DeliveryStore>(m_database.get());
}

void TestWindowFit::cleanup()
{
    m_window.reset();
    m_deliveries.reset();
    m_hooks.reset();
    m_database.reset();
    m_dir.reset();
    QSettings(QStringLiteral("webhook-admin"), QStringLiteral("webhook-admin")).clear();
}

void TestWindowFit::openWindow()
{
    m_window = std::make_unique<MainWindow>(m_hooks.get(), path());
    m_window->setDeliveryService(nullptr, m_deliveries.get());
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
}

qint64 TestWindowFit::addLongUrlHook()
{
    Webhook hook;
    hook.url = m_longUrl;
    const Result<Webhook> saved = m_hooks->saveHook(hook);
    if (!saved)
        qWarning("%s", qPrintable(saved.error().message));
    return saved ? saved->id : 0;
}

void TestWindowFit::defaultSizeFitsTheScreen()
{
    openWindow();
    QVERIFY2(fits(m_window.get()), qPrintable(QStringLiteral("window %1x%2, screen %3x%4")
                                                  .arg(m_window->frameGeometry().width())
                                                  .arg(m_window->frameGeometry().height())
                                                  .arg(available().width())
                                                  .arg(available().height())));
    // Where the screen has room, the window has its designed size.
    const QSize designed(MainWindow::DefaultWidth, MainWindow::DefaultHeight);
    const QSize frame = m_window->frameGeometry().size() - m_window->size();
    if (available().width() >= designed.width() + frame.width() &&
        available().height() >= designed.height() + frame.height())
        QCOMPARE(m_window->size(), designed);
}

void TestWindowFit::longUrlInTheLogNeverWidensTheWindow()
{
    QVERIFY(addLongUrlHook() != 0);
    const EventCatalog catalog = m_hooks->catalog();
    const Result<EmitResult> emitted = m_deliveries->emitEvent(
        catalog, QStringLiteral("PROJECT_UPDATED"), std::nullopt,
        catalog.samplePayload(QStringLiteral("PROJECT_UPDATED")), QDateTime::currentDateTimeUtc());
    QVERIFY(emitted && emitted->attemptIds.size() == 1);
    openWindow();
    DeliveryLogPane *pane = m_window->logPane();
    QVERIFY(pane);
    QVERIFY(pane->selectAttempt(emitted->attemptIds.first()));
    QCOMPARE(pane->currentAttemptId(), emitted->attemptIds.first());
    QTest::qWait(50);

    QVERIFY(m_window->minimumSizeHint().width() <= available().width());
    QVERIFY2(
        fits(m_window.get()),
        qPrintable(QStringLiteral("window is %1 px wide").arg(m_window->frameGeometry().width())));
    auto *requestLine = pane->findChild<ElidedLabel *>(QStringLiteral("requestLine"));
    QVERIFY(requestLine);
    QCOMPARE(requestLine->fullText(), QStringLiteral("POST ") + m_longUrl);
    // Shortened on screen, whole in the tooltip.
    QVERIFY(requestLine->text().contains(QChar(0x2026)));
    QCOMPARE(requestLine->toolTip(), requestLine->fullText());
}

void TestWindowFit::longUrlNeverWidensSendTest()
{
    const qint64 id = addLongUrlHook();
    QVERIFY(id != 0);
    openWindow();
    const Result<Webhook> hook = m_hooks->hook(id);
    QVERIFY(hook);
    TestSendDialog dialog(hook.value(), m_hooks.get(), m_deliveries.get(), nullptr, m_window.get());
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    QVERIFY2(
        fits(&dialog),
        qPrintable(QStringLiteral("dialog is %1 px wide").arg(dialog.frameGeometry().width())));
    for (const char *name : {"sendButton", "closeButton"}) {
        auto *button = dialog.findChild<QPushButton *>(QLatin1String(name));
        QVERIFY(button);
        const QRect onScreen(button->mapToGlobal(QPoint(0, 0)), button->size());
        QVERIFY2(available().contains(onScreen), name);
    }
    auto *target = dialog.findChild<ElidedLabel *>(QStringLiteral("targetLabel"));
    QVERIFY(target);
    QVERIFY(target->fullText().endsWith(m_longUrl));
    QVERIFY(target->text().contains(QChar(0x2026)));
    QVERIFY(target->toolTip().endsWith(m_longUrl));
}

void TestWindowFit::restoredGeometryIsClampedToTheScreen()
{
    openWindow();
    // What the long-URL bug saved: a window far wider and taller than any screen.
    m_window->setGeometry(-4000, 200, 14051, 3000);
    QVERIFY(m_window->close());
    m_window.reset();

    openWindow();
    QVERIFY2(fits(m_window.get()), qPrintable(QStringLiteral("restored at %1,%2 %3x%4")
                                                  .arg(m_window->frameGeometry().x())
                                                  .arg(m_window->frameGeometry().y())
                                                  .arg(m_window->frameGeometry().width())
                                                  .arg(m_window->frameGeometry().height())));
}

QTEST_MAIN(TestWindowFit)
#include "tst_window_fit.moc"
