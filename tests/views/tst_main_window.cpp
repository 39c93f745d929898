#include "event_type_dialog.h"
#include "hook_editor.h"
#include "hook_list_view.h"
#include "items/hook_list_model.h"
#include "main_window.h"
#include "outcome_strip_delegate.h"
#include "store/database.h"
#include "store/hook_store.h"

#include <QAbstractButton>
#include <QAction>
#include <QApplication>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPointer>
#include <QPushButton>
#include <QRadioButton>
#include <QSettings>
#include <QSplitter>
#include <QSqlQuery>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <functional>
#include <memory>

namespace {

// Runs action on the next modal dialog once it is shown: the test cannot
// answer it otherwise, since exec() blocks.
void onNextModal(std::function<void(QWidget *)> action)
{
    auto *timer = new QTimer(qApp);
    timer->setInterval(20);
    auto remaining = std::make_shared<int>(250); // ~5 s
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

// Answers the next message box with its button of this role (Save is
// AcceptRole, Discard and Delete DestructiveRole, Cancel RejectRole).
void answerNextMessageBox(QMessageBox::ButtonRole role, QString *text = nullptr)
{
    onNextModal([role, text](QWidget *modal) {
        auto *box = qobject_cast<QMessageBox *>(modal);
        if (!box)
            return;
        if (text)
            *text = box->text();
        for (QAbstractButton *button : box->buttons()) {
            if (box->buttonRole(button) == role) {
                button->click();
                return;
            }
        }
    });
}

} // namespace

class TestMainWindow : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();
    void emptyStateOnAnEmptyDatabase();
    void createAHookThroughTheWindow();
    void searchFiltersTheList();
    void shortcuts();
    void unsavedEditsPromptWhenSwitching();
    void deleteMovesToANeighbour();
    void aNewWindowRemembersEverything();
    void hookAddedByAnotherProcessShowsUp();
    void eventTypeDialogAddsAType();
    void searchNeverChangesTheEditedHook();
    void recentCountIsNeverElided();

private:
    QString path() const { return m_dir->filePath(QStringLiteral("hooks.sqlite")); }
    qint64 addHook(const QString &url, const QString &description = {});
    void openWindow();
    void clickRow(int row);

    template <typename T>
    T *find(const QString &name) const
    {
        T *widget = m_window->findChild<T *>(name);
        if (!widget)
            qWarning("no %s", qPrintable(name));
        return widget;
    }
    QAction *action(const QString &name) const { return find<QAction>(name); }
    HookListView *list() const { return find<HookListView>(QStringLiteral("hookList")); }
    QStackedWidget *centralStack() const
    {
        return find<QStackedWidget>(QStringLiteral("centralStack"));
    }
    bool showsEmptyState() const
    {
        return centralStack()->currentWidget()->objectName() == QLatin1String("emptyState");
    }
    QStringList shownUrls() const;

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Database> m_database;
    std::unique_ptr<HookStore> m_store;
    std::unique_ptr<MainWindow> m_window;
};

void TestMainWindow::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setApplicationVersion(QStringLiteral("9.8.7"));
    QSettings(QStringLiteral("webhook-admin"), QStringLiteral("webhook-admin")).clear();
}

void TestMainWindow::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_database = std::make_unique<Database>();
    const std::optional<StorageError> error = m_database->open(path());
    QVERIFY2(!error, error ? qPrintable(error->message) : "");
    m_store = std::make_unique<HookStore>(m_database.get());
}

void TestMainWindow::cleanup()
{
    m_window.reset();
    m_store.reset();
    m_database.reset();
    m_dir.reset();
    QSettings(QStringLiteral("webhook-admin"), QStringLiteral("webhook-admin")).clear();
}

qint64 TestMainWindow::addHook(const QString &url, const QString &description)
{
    Webhook hook;
    hook.url = url;
    hook.description = description;
    const Result<Webhook> saved = m_store->saveHook(hook);
    if (!saved)
        qWarning("%s", qPrintable(saved.error().message));
    return saved ? saved->id : 0;
}

void TestMainWindow::openWindow()
{
    m_window = std::make_unique<MainWindow>(m_store.get(), path());
    m_window->show();
    QApplication::setActiveWindow(m_window.get());
    QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
}

void TestMainWindow::clickRow(int row)
{
    HookListView *view = list();
    const QRect rect = view->visualRect(view->model()->index(row, HookListModel::Url));
    QVERIFY(rect.isValid());
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, rect.center());
}

QStringList TestMainWindow::shownUrls() const
{
    QStringList urls;
    const QAbstractItemModel *model = list()->model();
    for (int row = 0; row < model->rowCount(); ++row)
        urls.append(model->index(row, HookListModel::Url).data(HookListModel::UrlRole).toString());
    return urls;
}

void TestMainWindow::emptyStateOnAnEmptyDatabase()
{
    openWindow();
    QVERIFY(m_window->windowTitle().contains(QStringLiteral("hooks.sqlite")));
    QVERIFY(showsEmptyState());
    const auto *title = find<QLabel>(QStringLiteral("emptyStateTitle"));
    QVERIFY(title && title->isVisible());
    QCOMPARE(title->text(), QStringLiteral("No webhooks yet"));

    auto *add = find<QPushButton>(QStringLiteral("emptyStateAddButton"));
    QVERIFY(add && add->isVisible());
    QTest::mouseClick(add, Qt::LeftButton);
    QVERIFY(!showsEmptyState());
    QVERIFY(m_window->editor()->isVisible());
    QCOMPARE(m_window->editor()->hookId(), 0);
    QVERIFY(!m_window->editor()->isDirty());
}

void TestMainWindow::createAHookThroughTheWindow()
{
    openWindow();
    QTest::mouseClick(find<QPushButton>(QStringLiteral("emptyStateAddButton")), Qt::LeftButton);
    auto *url = find<QLineEdit>(QStringLiteral("urlEdit"));
    QVERIFY(url && url->isVisible());
    QTest::mouseClick(url, Qt::LeftButton);
    QTest::keyClicks(url, QStringLiteral("https://ml.example.com/train"));
    auto *description = find<QPlainTextEdit>(QStringLiteral("descriptionEdit"));
    description->setFocus();
    QTest::keyClicks(description, QStringLiteral("Start the nightly training"));
    QVERIFY(m_window->editor()->isDirty());
    QVERIFY(m_window->isWindowModified());

    auto *save = find<QPushButton>(QStringLiteral("saveButton"));
    QVERIFY(save->isEnabled());
    QTest::mouseClick(save, Qt::LeftButton);

    QVERIFY(!m_window->isWindowModified());
    QCOMPARE(shownUrls(), QStringList{QStringLiteral("https://ml.example.com/train")});
    const Result<QList<Webhook>> stored = m_store->hooks();
    QVERIFY(stored);
    QCOMPARE(stored->size(), 1);
    QCOMPARE(stored->first().description, QStringLiteral("Start the nightly training"));
    // The new hook is selected in the list and shown in the editor.
    QCOMPARE(list()->selectedHookId(), stored->first().id);
    QCOMPARE(m_window->editor()->hookId(), stored->first().id);
}

void TestMainWindow::searchFiltersTheList()
{
    addHook(QStringLiteral("https://ml.example.com/train"), QStringLiteral("Nightly training"));
    addHook(QStringLiteral("http://trainer:9090/hook"));
    addHook(QStringLiteral("https://chat.example.org/notify"), QStringLiteral("Tell annotators"));
    openWindow();
    QCOMPARE(shownUrls().size(), 3);
    auto *search = find<QLineEdit>(QStringLiteral("hookSearch"));
    QCOMPARE(search->placeholderText(), QStringLiteral("Search URL or description"));
    QTest::keyClicks(search, QStringLiteral("ANNOT"));
    QCOMPARE(shownUrls(), QStringList{QStringLiteral("https://chat.example.org/notify")});
    search->clear();
    QTest::keyClicks(search, QStringLiteral("train"));
    QCOMPARE(shownUrls().size(), 2);
    QVERIFY(!shownUrls().contains(QStringLiteral("https://chat.example.org/notify")));
    search->clear();
    QTest::keyClicks(search, QStringLiteral("nothing like it"));
    QVERIFY(shownUrls().isEmpty());
    search->clear();
    QCOMPARE(shownUrls().size(), 3);
}

void TestMainWindow::shortcuts()
{
    addHook(QStringLiteral("https://a.example.com/hook"));
    openWindow();
    QVERIFY(!showsEmptyState());

    QTest::keyClick(m_window.get(), Qt::Key_N, Qt::ControlModifier);
    QCOMPARE(m_window->editor()->hookId(), 0);
    auto *url = find<QLineEdit>(QStringLiteral("urlEdit"));
    QVERIFY(url->isVisible());
    QCOMPARE(QApplication::focusWidget(), url);
    QTest::keyClicks(url, QStringLiteral("https://b.example.com/hook"));
    QVERIFY(m_window->isWindowModified());
    QVERIFY(action(QStringLiteral("saveHookAction"))->isEnabled());

    QTest::keyClick(url, Qt::Key_S, Qt::ControlModifier);
    QVERIFY(!m_window->isWindowModified());
    QCOMPARE(m_store->hooks()->size(), 2);
    QVERIFY(m_window->editor()->hookId() != 0);
    QCOMPARE(list()->selectedHookId(), m_window->editor()->hookId());

    QTest::keyClick(url, Qt::Key_F, Qt::ControlModifier);
    QCOMPARE(QApplication::focusWidget(), find<QLineEdit>(QStringLiteral("hookSearch")));

    // Delete on the focused list asks first; Cancel keeps the hook.
    list()->setFocus();
    answerNextMessageBox(QMessageBox::RejectRole);
    QTest::keyClick(list(), Qt::Key_Delete);
    QCOMPARE(m_store->hooks()->size(), 2);
}

void TestMainWindow::unsavedEditsPromptWhenSwitching()
{
    const qint64 first = addHook(QStringLiteral("https://a.example.com/hook"));
    const qint64 second = addHook(QStringLiteral("https://b.example.com/hook"));
    openWindow();
    clickRow(0);
    QCOMPARE(m_window->editor()->hookId(), first);

    auto *description = find<QPlainTextEdit>(QStringLiteral("descriptionEdit"));
    description->setFocus();
    QTest::keyClicks(description, QStringLiteral("edited"));
    QVERIFY(m_window->editor()->isDirty());

    // Cancel: stay on the edited hook, edits kept.
    QString question;
    answerNextMessageBox(QMessageBox::RejectRole, &question);
    clickRow(1);
    QVERIFY(!question.isEmpty());
    QCOMPARE(m_window->editor()->hookId(), first);
    QCOMPARE(list()->selectedHookId(), first);
    QVERIFY(m_window->editor()->isDirty());

    // Discard: the other hook is shown and nothing was written.
    answerNextMessageBox(QMessageBox::DestructiveRole);
    clickRow(1);
    QCOMPARE(m_window->editor()->hookId(), second);
    QCOMPARE(list()->selectedHookId(), second);
    QVERIFY(!m_window->editor()->isDirty());
    QVERIFY(m_store->hook(first)->description.isEmpty());

    // Save: written, then moved on.
    description->setFocus();
    QTest::keyClicks(description, QStringLiteral("kept"));
    answerNextMessageBox(QMessageBox::AcceptRole);
    clickRow(0);
    QCOMPARE(m_store->hook(second)->description, QStringLiteral("kept"));
    QCOMPARE(m_window->editor()->hookId(), first);
    QCOMPARE(list()->selectedHookId(), first);

    // Closing the window with edits asks too; Cancel keeps it open.
    QTest::keyClicks(description, QStringLiteral("x"));
    answerNextMessageBox(QMessageBox::RejectRole);
    QVERIFY(!m_window->close());
    QVERIFY(m_window->isVisible());
}

void TestMainWindow::deleteMovesToANeighbour()
{
    addHook(QStringLiteral("https://a.example.com/hook"));
    const qint64 second = addHook(QStringLiteral("https://b.example.com/hook"));
    const qint64 third = addHook(QStringLiteral("https://c.example.com/hook"));
    openWindow();
    clickRow(1);
    QCOMPARE(m_window->editor()->hookId(), second);

    answerNextMessageBox(QMessageBox::DestructiveRole);
    action(QStringLiteral("deleteHookAction"))->trigger();
    QVERIFY(!m_store->hook(second));
    QTRY_COMPARE(m_window->editor()->hookId(), third);
    QCOMPARE(list()->selectedHookId(), third);
    QCOMPARE(shownUrls().size(), 2);

    for (int i = 0; i < 2; ++i) {
        QTRY_VERIFY(m_window->editor()->hookId() != 0);
        answerNextMessageBox(QMessageBox::DestructiveRole);
        action(QStringLiteral("deleteHookAction"))->trigger();
        QTRY_COMPARE(shownUrls().size(), 1 - i);
    }
    QTRY_VERIFY(showsEmptyState());
    QVERIFY(!action(QStringLiteral("deleteHookAction"))->isEnabled());
}

void TestMainWindow::aNewWindowRemembersEverything()
{
    addHook(QStringLiteral("https://a.example.com/hook"));
    addHook(QStringLiteral("https://b.example.com/hook"));
    openWindow();
    m_window->resize(900, 640);
    auto *splitter = find<QSplitter>(QStringLiteral("hookSplitter"));
    splitter->setSizes({300, 560});
    const QList<int> sizes = splitter->sizes();
    list()->sortByColumn(HookListModel::Url, Qt::DescendingOrder);
    const QStringList urls = shownUrls();
    QCOMPARE(urls.first(), QStringLiteral("https://b.example.com/hook"));
    clickRow(1); // a.example.com
    const qint64 edited = m_window->editor()->hookId();
    QVERIFY(edited != 0);
    QVERIFY(m_window->close());
    m_window.reset();

    openWindow();
    QCOMPARE(m_window->size(), QSize(900, 640));
    QCOMPARE(find<QSplitter>(QStringLiteral("hookSplitter"))->sizes(), sizes);
    QCOMPARE(shownUrls(), urls);
    QVERIFY(!showsEmptyState());
    // The hook that was open is open again, and selected in the list.
    QCOMPARE(m_window->editor()->hookId(), edited);
    QVERIFY(m_window->editor()->isVisible());
    QCOMPARE(list()->selectedHookId(), edited);
    m_window.reset();

    // Not in another database file, where that id is another hook or none.
    Database other;
    QVERIFY(!other.open(m_dir->filePath(QStringLiteral("other.sqlite"))));
    HookStore otherStore(&other);
    Webhook hook;
    hook.url = QStringLiteral("https://c.example.com/hook");
    QVERIFY(otherStore.saveHook(hook));
    QVERIFY(otherStore.saveHook(hook));
    MainWindow window(&otherStore, other.path());
    QVERIFY(!window.editor()->isVisibleTo(&window));
}

void TestMainWindow::hookAddedByAnotherProcessShowsUp()
{
    openWindow();
    QVERIFY(showsEmptyState());
    {
        Database other;
        QVERIFY(!other.open(path()));
        HookStore otherStore(&other);
        Webhook hook;
        hook.url = QStringLiteral("https://from-the-cli.example.com/");
        QVERIFY(otherStore.saveHook(hook));
    }
    QTRY_COMPARE_WITH_TIMEOUT(
        shownUrls(), QStringList{QStringLiteral("https://from-the-cli.example.com/")}, 2500);
    QVERIFY(!showsEmptyState());
}

void TestMainWindow::eventTypeDialogAddsAType()
{
    openWindow();
    bool okWasDisabledWhileInvalid = false;
    QString inlineError;
    onNextModal([&](QWidget *modal) {
        auto *dialog = qobject_cast<EventTypeDialog *>(modal);
        if (!dialog)
            return;
        auto *ok = dialog->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok);
        auto *key = dialog->findChild<QLineEdit *>(QStringLiteral("eventKey"));
        QTest::keyClicks(key, QStringLiteral("2fast"));
        okWasDisabledWhileInvalid = !ok->isEnabled();
        inlineError = dialog->findChild<QLabel *>(QStringLiteral("eventTypeError"))->text();
        key->clear();
        QTest::keyClicks(key, QStringLiteral("model trained")); // becomes MODEL_TRAINED
        QTest::keyClicks(dialog->findChild<QLineEdit *>(QStringLiteral("eventName")),
                         QStringLiteral("Model trained"));
        QTest::keyClicks(dialog->findChild<QLineEdit *>(QStringLiteral("eventPayloadKey")),
                         QStringLiteral("model"));
        dialog->findChild<QRadioButton *>(QStringLiteral("eventPayloadList"))->setChecked(true);
        if (ok->isEnabled())
            QTest::mouseClick(ok, Qt::LeftButton);
        else
            dialog->reject();
    });
    action(QStringLiteral("addEventTypeAction"))->trigger();

    QVERIFY(okWasDisabledWhileInvalid);
    QVERIFY(!inlineError.isEmpty());
    const Result<QList<EventType>> custom = m_store->customEventTypes();
    QVERIFY(custom);
    QCOMPARE(custom->size(), 1);
    QCOMPARE(custom->first().key, QStringLiteral("MODEL_TRAINED"));
    QCOMPARE(custom->first().name, QStringLiteral("Model trained"));
    QCOMPARE(custom->first().payloadKey, QStringLiteral("model"));
    QVERIFY(custom->first().isList);
}

// Issue 13, defect 2: a search that hides the edited hook moved the list to a
// neighbour, which opened "Unsaved changes" and swallowed the rest of the typing.
void TestMainWindow::searchNeverChangesTheEditedHook()
{
    addHook(QStringLiteral("https://a.example.com/hook"), QStringLiteral("alpha"));
    const qint64 second =
        addHook(QStringLiteral("https://b.example.com/hook"), QStringLiteral("beta"));
    addHook(QStringLiteral("https://c.example.com/hook"), QStringLiteral("gamma"));
    openWindow();
    clickRow(1);
    QCOMPARE(m_window->editor()->hookId(), second);
    auto *description = find<QPlainTextEdit>(QStringLiteral("descriptionEdit"));
    description->setFocus();
    description->moveCursor(QTextCursor::End);
    QTest::keyClicks(description, QStringLiteral(" edited"));
    QVERIFY(m_window->editor()->isDirty());

    // Shared: the watcher outlives this test when no dialog comes.
    const auto askedToSave = std::make_shared<bool>(false);
    onNextModal([askedToSave](QWidget *modal) {
        *askedToSave = true;
        if (auto *box = qobject_cast<QMessageBox *>(modal))
            box->reject();
    });
    auto *search = find<QLineEdit>(QStringLiteral("hookSearch"));
    search->setFocus();
    // "gamma" hides the edited hook at the first keystroke.
    QTest::keyClicks(search, QStringLiteral("gamma"));
    QTest::qWait(150); // room for a modal to appear
    QVERIFY(!*askedToSave);
    QCOMPARE(search->text(), QStringLiteral("gamma"));
    QCOMPARE(shownUrls(), QStringList{QStringLiteral("https://c.example.com/hook")});
    QCOMPARE(m_window->editor()->hookId(), second);
    QVERIFY(m_window->editor()->isDirty());
    QCOMPARE(description->toPlainText(), QStringLiteral("beta edited"));
    QCOMPARE(list()->selectedHookId(), 0);

    // The search cleared, the edited hook is the selected one again.
    search->clear();
    QCOMPARE(shownUrls().size(), 3);
    QCOMPARE(list()->selectedHookId(), second);
    QCOMPARE(m_window->editor()->hookId(), second);
    QVERIFY(m_window->editor()->isDirty());
}

// Issue 13: 165 failures in a row were drawn as "165…".
void TestMainWindow::recentCountIsNeverElided()
{
    const qint64 id = addHook(QStringLiteral("https://down.example.com/hook"));
    QSqlQuery query(m_database->connection());
    QVERIFY(query.exec(
        QStringLiteral("UPDATE webhooks SET consecutive_failures = 165 WHERE id = %1").arg(id)));
    m_store->checkExternalChanges();
    openWindow();
    const QModelIndex recent = list()->model()->index(0, HookListModel::Recent);
    QTRY_VERIFY(recent.data(Qt::ToolTipRole)
                    .toString()
                    .contains(QStringLiteral("165 failed attempts in a row")));
    const QString drawn = OutcomeStripDelegate::failureCountText(165);
    QCOMPARE(drawn, QStringLiteral("99+ ✖"));
    QFont bold = list()->font();
    bold.setBold(true);
    const int needed = OutcomeStripDelegate::Margin * 3 +
                       HookListModel::RecentOutcomeCount *
                           (OutcomeStripDelegate::MarkWidth + OutcomeStripDelegate::MarkGap) +
                       QFontMetrics(bold).horizontalAdvance(drawn);
    QVERIFY2(
        list()->columnWidth(HookListModel::Recent) >= needed,
        qPrintable(
            QStringLiteral("%1 < %2").arg(list()->columnWidth(HookListModel::Recent)).arg(needed)));
}

QTEST_MAIN(TestMainWindow)
#include "tst_main_window.moc"
