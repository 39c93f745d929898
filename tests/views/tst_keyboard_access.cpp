#include "delivery/delivery_store.h"
#include "delivery_log_pane.h"
#include "event_type_dialog.h"
#include "event_types_dialog.h"
#include "hook_editor.h"
#include "hook_list_view.h"
#include "main_window.h"
#include "open_database_dialog.h"
#include "projects_dialog.h"
#include "store/database.h"
#include "store/hook_store.h"
#include "test_send_dialog.h"

#include <QAbstractButton>
#include <QAction>
#include <QApplication>
#include <QDir>
#include <QGroupBox>
#include <QLabel>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QStandardPaths>
#include <QTabBar>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QToolButton>
#include <QTranslator>
#include <functional>
#include <memory>

namespace {

QString describe(const QWidget *widget)
{
    QString name = widget->objectName();
    if (name.isEmpty())
        name = QString::fromLatin1(widget->metaObject()->className());
    if (const auto *button = qobject_cast<const QAbstractButton *>(widget))
        name += QStringLiteral(" \"%1\"").arg(button->text());
    return name;
}

// The widgets a keyboard user must be able to reach in this window.
QList<QWidget *> tabStops(QWidget *window)
{
    QList<QWidget *> result;
    const QList<QWidget *> all = window->findChildren<QWidget *>();
    for (QWidget *widget : all) {
        if (widget->window() != window || !widget->isVisibleTo(window) || !widget->isEnabled() ||
            !(widget->focusPolicy() & Qt::TabFocus) || widget->focusProxy())
            continue;
        result.append(widget);
    }
    return result;
}

// Presses Tab from the focus widget until the focus comes back; returns every
// widget the focus visited, and fails when it never comes back (a trap).
QList<QWidget *> walkTabOrder(QWidget *window, bool *closed)
{
    QList<QWidget *> visited;
    QWidget *start = QApplication::focusWidget();
    *closed = false;
    if (!start)
        return visited;
    visited.append(start);
    for (int step = 0; step < 400; ++step) {
        QTest::keyClick(QApplication::focusWidget(), Qt::Key_Tab);
        QWidget *now = QApplication::focusWidget();
        if (!now || now->window() != window)
            return visited;
        if (now == start) {
            *closed = true;
            return visited;
        }
        visited.append(now);
    }
    return visited;
}

bool reached(const QWidget *widget, const QList<QWidget *> &visited)
{
    for (const QWidget *v : visited) {
        if (v == widget || v->focusProxy() == widget)
            return true;
    }
    return false;
}

// Alt+letter of a text with a mnemonic ("&Save" -> Alt+S); empty for none.
QString mnemonic(const QString &text)
{
    return QKeySequence::mnemonic(text).toString(QKeySequence::PortableText).toLower();
}

// Every mnemonic that is live in this window right now, by key: buttons,
// labels with a buddy, group boxes, tab bars and the menu bar.
QMultiMap<QString, QString> liveMnemonics(QWidget *window)
{
    QMultiMap<QString, QString> keys;
    auto add = [&keys](const QString &text, const QString &owner) {
        const QString key = mnemonic(text);
        if (!key.isEmpty())
            keys.insert(key, QStringLiteral("%1 (%2)").arg(text, owner));
    };
    const QList<QWidget *> all = window->findChildren<QWidget *>();
    for (QWidget *widget : all) {
        if (widget->window() != window || !widget->isVisibleTo(window))
            continue;
        if (auto *button = qobject_cast<QAbstractButton *>(widget))
            add(button->text(), describe(widget));
        else if (auto *label = qobject_cast<QLabel *>(widget); label && label->buddy())
            add(label->text(), describe(label->buddy()));
        else if (auto *group = qobject_cast<QGroupBox *>(widget))
            add(group->title(), describe(widget));
        else if (auto *tabs = qobject_cast<QTabBar *>(widget)) {
            for (int i = 0; i < tabs->count(); ++i)
                add(tabs->tabText(i), describe(widget));
        } else if (auto *bar = qobject_cast<QMenuBar *>(widget)) {
            for (QAction *action : bar->actions())
                add(action->text(), QStringLiteral("menu bar"));
        }
    }
    return keys;
}

QStringList clashes(const QMultiMap<QString, QString> &keys)
{
    QStringList result;
    for (const QString &key : keys.uniqueKeys()) {
        const QStringList owners = keys.values(key);
        if (owners.size() > 1)
            result.append(key + QStringLiteral(": ") + owners.join(QStringLiteral(", ")));
    }
    return result;
}

QStringList menuClashes(QWidget *window)
{
    QStringList result;
    for (QMenu *menu : window->findChildren<QMenu *>()) {
        QMultiMap<QString, QString> keys;
        for (QAction *action : menu->actions()) {
            if (const QString key = mnemonic(action->text()); !key.isEmpty())
                keys.insert(key, action->text());
        }
        for (const QString &clash : clashes(keys))
            result.append(menu->title() + QStringLiteral(" menu: ") + clash);
    }
    return result;
}

// Runs action on the next modal dialog once it is shown (exec() blocks).
void onNextModal(std::function<void(QWidget *)> action)
{
    auto *timer = new QTimer(qApp);
    timer->setInterval(20);
    auto remaining = std::make_shared<int>(250);
    QObject::connect(timer, &QTimer::timeout, timer, [timer, action, remaining] {
        if (QWidget *modal = QApplication::activeModalWidget(); modal && modal->isVisible()) {
            timer->stop();
            timer->deleteLater();
            action(modal);
        } else if (--*remaining <= 0) {
            timer->stop();
            timer->deleteLater();
        }
    });
    timer->start();
}

} // namespace

// A keyboard-only user reaches every control, and every Alt+letter does one
// thing, in every shipped language (issue 13, defects 3 and 4).
class TestKeyboardAccess : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void tabReachesEveryControlOfTheWindow();
    void tabReachesEveryControlOfTheDialogs();
    void noMnemonicClashes_data();
    void noMnemonicClashes();

private:
    QString path() const { return m_dir->filePath(QStringLiteral("keys.sqlite")); }
    void openWindowWithAHookAndALog();
    void checkTabWalk(QWidget *window, QWidget *start);
    static QStringList windowClashes(QWidget *window, const QString &state);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Database> m_database;
    std::unique_ptr<HookStore> m_hooks;
    std::unique_ptr<DeliveryStore> m_deliveries;
    std::unique_ptr<MainWindow> m_window;
    qint64 m_hookId = 0;
    qint64 m_attemptId = 0;
};

void TestKeyboardAccess::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QSettings(QStringLiteral("webhook-admin"), QStringLiteral("webhook-admin")).clear();
}

void TestKeyboardAccess::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_database = std::make_unique<Database>();
    QVERIFY(!m_database->open(path()));
    m_hooks = std::make_unique<HookStore>(m_database.get());
    m_deliveries = std::make_unique<DeliveryStore>(m_database.get());
}

void TestKeyboardAccess::cleanup()
{
    m_window.reset();
    m_deliveries.reset();
    m_hooks.reset();
    m_database.reset();
    m_dir.reset();
    QSettings(QStringLiteral("webhook-admin"), QStringLiteral("webhook-admin")).clear();
}

void TestKeyboardAccess::openWindowWithAHookAndALog()
{
    Webhook hook;
    hook.url = QStringLiteral("https://ml.example.com/train");
    hook.headers = {{QStringLiteral("X-Team"), QStringLiteral("vision"), false}};
    hook.signature = SignatureScheme::Standard;
    hook.secret = QStringLiteral("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
    const Result<Webhook> saved = m_hooks->saveHook(hook);
    QVERIFY(saved);
    m_hookId = saved->id;
    const EventCatalog catalog = m_hooks->catalog();
    const Result<EmitResult> emitted = m_deliveries->emitEvent(
        catalog, QStringLiteral("PROJECT_UPDATED"), std::nullopt,
        catalog.samplePayload(QStringLiteral("PROJECT_UPDATED")), QDateTime::currentDateTimeUtc());
    QVERIFY(emitted && !emitted->attemptIds.isEmpty());
    m_attemptId = emitted->attemptIds.first();

    m_window = std::make_unique<MainWindow>(m_hooks.get(), path());
    m_window->setDeliveryService(nullptr, m_deliveries.get());
    m_window->show();
    QApplication::setActiveWindow(m_window.get());
    QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
    auto *list = m_window->findChild<HookListView *>(QStringLiteral("hookList"));
    QVERIFY(list && list->selectHook(m_hookId));
    QTRY_COMPARE(m_window->editor()->hookId(), m_hookId);
    QVERIFY(m_window->editor()->isVisible());
    QVERIFY(m_window->logPane()->selectAttempt(m_attemptId));
}

void TestKeyboardAccess::checkTabWalk(QWidget *window, QWidget *start)
{
    start->setFocus(Qt::OtherFocusReason);
    QCOMPARE(QApplication::focusWidget(), start);
    bool closed = false;
    const QList<QWidget *> visited = walkTabOrder(window, &closed);
    QStringList order;
    for (const QWidget *widget : visited)
        order.append(describe(widget));
    QVERIFY2(closed, qPrintable(QStringLiteral("Tab never came back; it went: ") +
                                order.join(QStringLiteral(" > "))));
    QStringList missed;
    for (QWidget *widget : tabStops(window)) {
        if (!reached(widget, visited))
            missed.append(describe(widget));
    }
    QVERIFY2(missed.isEmpty(),
             qPrintable(QStringLiteral("Tab never reaches: ") + missed.join(QStringLiteral(", ")) +
                        QStringLiteral("\nTab order: ") + order.join(QStringLiteral(" > "))));
}

void TestKeyboardAccess::tabReachesEveryControlOfTheWindow()
{
    openWindowWithAHookAndALog();
    auto *search = m_window->findChild<QWidget *>(QStringLiteral("hookSearch"));
    QVERIFY(search);
    checkTabWalk(m_window.get(), search);
    // In particular past both tables, which used to keep Tab for their cells.
    for (const char *name : {"deliveryLogTable", "headersView", "eventsView", "saveButton"})
        QVERIFY2(m_window->findChild<QWidget *>(QLatin1String(name))->isVisible(), name);
}

void TestKeyboardAccess::tabReachesEveryControlOfTheDialogs()
{
    openWindowWithAHookAndALog();
    const Result<Webhook> hook = m_hooks->hook(m_hookId);
    QVERIFY(hook);
    {
        TestSendDialog dialog(hook.value(), m_hooks.get(), m_deliveries.get(), nullptr,
                              m_window.get());
        dialog.show();
        QApplication::setActiveWindow(&dialog);
        QVERIFY(QTest::qWaitForWindowActive(&dialog));
        checkTabWalk(&dialog, dialog.findChild<QWidget *>(QStringLiteral("eventCombo")));
    }
    {
        EventTypeDialog dialog(m_hooks.get(), m_window.get());
        dialog.show();
        QApplication::setActiveWindow(&dialog);
        QVERIFY(QTest::qWaitForWindowActive(&dialog));
        checkTabWalk(&dialog, dialog.findChild<QWidget *>(QStringLiteral("eventKey")));
    }
    {
        ProjectsDialog dialog(m_hooks.get(), m_window.get());
        dialog.show();
        QApplication::setActiveWindow(&dialog);
        QVERIFY(QTest::qWaitForWindowActive(&dialog));
        checkTabWalk(&dialog, dialog.findChild<QWidget *>(QStringLiteral("projectList")));
    }
    {
        EventTypesDialog dialog(m_hooks.get(), m_window.get());
        dialog.show();
        QApplication::setActiveWindow(&dialog);
        QVERIFY(QTest::qWaitForWindowActive(&dialog));
        checkTabWalk(&dialog, dialog.findChild<QWidget *>(QStringLiteral("eventTypeList")));
    }
    // The delete question, with its history check box and Deactivate Instead.
    bool walked = false;
    onNextModal([this, &walked](QWidget *box) {
        QApplication::setActiveWindow(box);
        if (QTest::qWaitForWindowActive(box)) {
            checkTabWalk(box, box->findChild<QWidget *>(QStringLiteral("deleteHistoryCheck")));
            walked = true;
        }
        qobject_cast<QMessageBox *>(box)->reject();
    });
    m_window->findChild<QAction *>(QStringLiteral("deleteHookAction"))->trigger();
    QVERIFY(walked);
    QVERIFY(m_hooks->hook(m_hookId));
}

void TestKeyboardAccess::noMnemonicClashes_data()
{
    QTest::addColumn<QString>("catalog");
    QTest::newRow("en") << QString();
    // Every shipped translation.
    const QDir qmDir(QStringLiteral(WEBHOOK_ADMIN_QM_DIR));
    const QStringList catalogs =
        qmDir.entryList({QStringLiteral("webhook-admin_*.qm")}, QDir::Files, QDir::Name);
    QVERIFY2(!catalogs.isEmpty(), WEBHOOK_ADMIN_QM_DIR);
    for (const QString &file : catalogs)
        QTest::newRow(qPrintable(file)) << qmDir.filePath(file);
}

QStringList TestKeyboardAccess::windowClashes(QWidget *window, const QString &state)
{
    QStringList result;
    for (const QString &clash : clashes(liveMnemonics(window)) + menuClashes(window))
        result.append(state + QStringLiteral(": ") + clash);
    return result;
}

void TestKeyboardAccess::noMnemonicClashes()
{
    QFETCH(QString, catalog);
    QTranslator translator;
    if (!catalog.isEmpty()) {
        QVERIFY(translator.load(catalog));
        QVERIFY(QCoreApplication::installTranslator(&translator));
    }
    QStringList found;
    {
        // The first start: the empty state.
        MainWindow empty(m_hooks.get(), path());
        empty.setDeliveryService(nullptr, m_deliveries.get());
        empty.show();
        QVERIFY(QTest::qWaitForWindowExposed(&empty));
        found += windowClashes(&empty, QStringLiteral("empty window"));
    }
    openWindowWithAHookAndALog();
    auto *details = m_window->logPane()->findChild<QTabWidget *>(QStringLiteral("attemptDetails"));
    QVERIFY(details);
    for (int tab = 0; tab < details->count(); ++tab) {
        details->setCurrentIndex(tab);
        found += windowClashes(m_window.get(), QStringLiteral("window, details tab %1").arg(tab));
    }
    QStringList inBox;
    onNextModal([&inBox](QWidget *box) {
        inBox = windowClashes(box, QStringLiteral("delete question"));
        qobject_cast<QMessageBox *>(box)->reject();
    });
    m_window->findChild<QAction *>(QStringLiteral("deleteHookAction"))->trigger();
    found += inBox;
    m_window->newHook();
    found += windowClashes(m_window.get(), QStringLiteral("window, new hook"));

    const Result<Webhook> hook = m_hooks->hook(m_hookId);
    QVERIFY(hook);
    {
        TestSendDialog dialog(hook.value(), m_hooks.get(), m_deliveries.get(), nullptr,
                              m_window.get());
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        found += windowClashes(&dialog, QStringLiteral("Send Test"));
    }
    {
        EventTypeDialog dialog(m_hooks.get(), m_window.get());
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        found += windowClashes(&dialog, QStringLiteral("event type dialog"));
    }
    {
        ProjectsDialog dialog(m_hooks.get(), m_window.get());
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        found += windowClashes(&dialog, QStringLiteral("Projects"));
    }
    {
        EventTypesDialog dialog(m_hooks.get(), m_window.get());
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        found += windowClashes(&dialog, QStringLiteral("Event Types"));
    }
    // The editor with its sample payload preview open.
    m_window->editor()->payloadPreviewToggle()->setChecked(true);
    found += windowClashes(m_window.get(), QStringLiteral("window, payload preview"));
    m_window->editor()->payloadPreviewToggle()->setChecked(false);
    {
        OpenDatabaseDialog dialog(m_window.get());
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        auto *pages = dialog.findChild<QTabWidget *>(QStringLiteral("databasePages"));
        for (int page = 0; page < pages->count(); ++page) {
            pages->setCurrentIndex(page);
            found += windowClashes(&dialog, QStringLiteral("Open Database, page %1").arg(page));
        }
    }
    m_window.reset();
    if (!catalog.isEmpty())
        QCoreApplication::removeTranslator(&translator);
    QVERIFY2(found.isEmpty(), qPrintable(found.join(QLatin1Char('\n'))));
}

QTEST_MAIN(TestKeyboardAccess)
#include "tst_keyboard_access.moc"
