#include "delivery/delivery_store.h"
#include "delivery/engine_host.h"
#include "hook_editor.h"
#include "listener_preferences_page.h"
#include "main_window.h"
#include "store/database.h"
#include "store/hook_store.h"
#include "store/listener_settings_store.h"

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>
#include <QUrl>

// The Listener page and "Use local inbox", driven with clicks and keys
// against a real database file and, for the window, a real listener.
class TestListenerPreferencesPage : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();
    void showsTheStoredSettingsAndAMaskedToken();
    void tokenShowCopyRotate();
    void labelStudioUrlFollowsTheFields();
    void savesValidSettingsOnly();
    void windowShowsTheListenerAndEditorUsesTheLocalInbox();

private:
    QTemporaryDir m_dir;
    std::unique_ptr<Database> m_db;
    std::unique_ptr<ListenerSettingsStore> m_settings;
    int m_run = 0;
};

void TestListenerPreferencesPage::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_dir.isValid());
}

void TestListenerPreferencesPage::init()
{
    m_db = std::make_unique<Database>();
    QVERIFY(!m_db->open(m_dir.filePath(QStringLiteral("prefs%1.sqlite").arg(++m_run))));
    m_settings = std::make_unique<ListenerSettingsStore>(m_db.get());
}

void TestListenerPreferencesPage::cleanup()
{
    m_settings.reset();
    m_db.reset();
}

void TestListenerPreferencesPage::showsTheStoredSettingsAndAMaskedToken()
{
    ListenerPreferencesPage page(m_settings.get());
    page.show();
    QVERIFY(!page.enabledBox()->isChecked());
    QCOMPARE(page.addressEdit()->text(), QStringLiteral("127.0.0.1"));
    QCOMPARE(page.portSpin()->value(), 8484);
    QCOMPARE(page.bodyLimitSpin()->value(), 10);
    // The token was created on first use and is shown masked.
    const Result<QString> token = m_settings->existingToken();
    QVERIFY(token && !token->isEmpty());
    QCOMPARE(page.tokenEdit()->text(), token.value());
    QCOMPARE(page.tokenEdit()->echoMode(), QLineEdit::Password);
    QVERIFY(page.tokenEdit()->displayText() != token.value());
    QVERIFY(page.tokenEdit()->isReadOnly());
    QVERIFY(!page.isDirty());
}

void TestListenerPreferencesPage::tokenShowCopyRotate()
{
    ListenerPreferencesPage page(m_settings.get());
    page.show();
    const QString before = page.tokenEdit()->text();
    QTest::mouseClick(page.showTokenButton(), Qt::LeftButton);
    QCOMPARE(page.tokenEdit()->displayText(), before);
    QTest::mouseClick(page.showTokenButton(), Qt::LeftButton);
    QCOMPARE(page.tokenEdit()->echoMode(), QLineEdit::Password);

    QTest::mouseClick(page.copyTokenButton(), Qt::LeftButton);
    QCOMPARE(QApplication::clipboard()->text(), before);

    QTest::mouseClick(page.rotateTokenButton(), Qt::LeftButton);
    const QString after = page.tokenEdit()->text();
    QVERIFY(after != before);
    QCOMPARE(m_settings->existingToken().value(), after);
}

void TestListenerPreferencesPage::labelStudioUrlFollowsTheFields()
{
    ListenerPreferencesPage page(m_settings.get());
    page.show();
    QCOMPARE(page.labelStudioUrlEdit()->text(),
             QStringLiteral("http://127.0.0.1:8484/intake/label-studio"));
    page.portSpin()->selectAll();
    QTest::keyClicks(page.portSpin(), QStringLiteral("9090"));
    QCOMPARE(page.labelStudioUrlEdit()->text(),
             QStringLiteral("http://127.0.0.1:9090/intake/label-studio"));
    page.addressEdit()->selectAll();
    QTest::keyClicks(page.addressEdit(), QStringLiteral("::1"));
    QCOMPARE(page.labelStudioUrlEdit()->text(),
             QStringLiteral("http://[::1]:9090/intake/label-studio"));
    QVERIFY(page.isDirty());
}

void TestListenerPreferencesPage::savesValidSettingsOnly()
{
    ListenerPreferencesPage page(m_settings.get());
    page.show();
    QSignalSpy saved(&page, &ListenerPreferencesPage::saved);
    page.addressEdit()->selectAll();
    QTest::keyClicks(page.addressEdit(), QStringLiteral("my laptop"));
    QVERIFY(!page.save());
    QVERIFY(page.errorLabel()->isVisibleTo(&page));
    QVERIFY(page.errorLabel()->text().contains(QLatin1String("my laptop")));
    QCOMPARE(saved.size(), 0);
    QCOMPARE(m_settings->settings().address, QStringLiteral("127.0.0.1"));

    page.addressEdit()->selectAll();
    QTest::keyClicks(page.addressEdit(), QStringLiteral("0.0.0.0"));
    QVERIFY(!page.errorLabel()->isVisibleTo(&page));
    QTest::mouseClick(page.enabledBox(), Qt::LeftButton);
    page.portSpin()->selectAll();
    QTest::keyClicks(page.portSpin(), QStringLiteral("9191"));
    page.bodyLimitSpin()->selectAll();
    QTest::keyClicks(page.bodyLimitSpin(), QStringLiteral("2"));
    QVERIFY(page.save());
    QCOMPARE(saved.size(), 1);
    const ListenerSettings stored = m_settings->settings();
    QVERIFY(stored.enabled);
    QCOMPARE(stored.address, QStringLiteral("0.0.0.0"));
    QCOMPARE(stored.port, quint16(9191));
    QCOMPARE(stored.bodyLimit, qint64(2) * 1024 * 1024);
    QVERIFY(!page.isDirty());
}

void TestListenerPreferencesPage::windowShowsTheListenerAndEditorUsesTheLocalInbox()
{
    HookStore hooks(m_db.get());
    DeliveryStore deliveries(m_db.get());
    EngineHost host(m_db->path());
    MainWindow window(&hooks, m_db->path());
    window.setDeliveryService(&host, &deliveries);
    window.show();
    QVERIFY(!window.listenerLabel()->isVisibleTo(&window));
    auto *useInbox =
        window.editor()->findChild<QToolButton *>(QStringLiteral("useLocalInboxButton"));
    QVERIFY(useInbox);
    window.newHook();
    QVERIFY(!useInbox->isEnabled());

    ListenerSettings settings;
    settings.enabled = true;
    settings.port = 0;
    QVERIFY(host.applyListenerSettings(settings).isEmpty());
    const QString url = host.listenerUrl();
    QVERIFY(url.startsWith(QLatin1String("http://127.0.0.1:")));
    QVERIFY(window.listenerLabel()->isVisibleTo(&window));
    QCOMPARE(window.listenerLabel()->text(), QStringLiteral("Listening on ") + url);
    QVERIFY(useInbox->isEnabled());

    QTest::mouseClick(useInbox, Qt::LeftButton);
    auto *urlEdit = window.editor()->findChild<QLineEdit *>(QStringLiteral("urlEdit"));
    QCOMPARE(urlEdit->text(),
             QStringLiteral("http://127.0.0.1:%1/inbox/hook-new").arg(QUrl(url).port()));

    settings.enabled = false;
    QVERIFY(host.applyListenerSettings(settings).isEmpty());
    QVERIFY(!window.listenerLabel()->isVisibleTo(&window));
    QVERIFY(!useInbox->isEnabled());
    host.stop();
}

QTEST_MAIN(TestListenerPreferencesPage)
#include "tst_listener_preferences_page.moc"
