#include "delivery/delivery_store.h"
#include "event_type_dialog.h"
#include "event_types_dialog.h"
#include "hook_editor.h"
#include "hook_list_view.h"
#include "items/event_tree_model.h"
#include "items/hook_list_model.h"
#include "lock_holder.h"
#include "main_window.h"
#include "projects_dialog.h"
#include "store/database.h"
#include "store/hook_store.h"
#include "store/store_writer.h"
#include "test_database.h"

#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QTreeView>
#include <QTreeWidget>
#include <functional>
#include <memory>
#include <tuple>

namespace {

// Runs action on the next modal dialog of type T once it is shown (exec() blocks).
template <typename T>
void onNextModal(std::function<void(T *)> action)
{
    auto *timer = new QTimer(qApp);
    timer->setInterval(20);
    auto remaining = std::make_shared<int>(500);
    QObject::connect(timer, &QTimer::timeout, timer, [timer, action, remaining] {
        auto *dialog = qobject_cast<T *>(QApplication::activeModalWidget());
        if (dialog && dialog->isVisible()) {
            timer->stop();
            timer->deleteLater();
            action(dialog);
        } else if (--*remaining <= 0) {
            timer->stop();
            timer->deleteLater();
        }
    });
    timer->start();
}

QTreeWidgetItem *rowWithText(QTreeWidget *list, int column, const QString &text)
{
    const QList<QTreeWidgetItem *> found =
        list->findItems(text, Qt::MatchExactly | Qt::MatchRecursive, column);
    return found.value(0);
}

} // namespace

// Issue 13, Hook management: rename and delete projects, list, edit and
// delete custom event types, from the window, through its writer thread.
// A project or type that webhooks use is deleted only after a confirmation
// that names how many; nothing is orphaned.
class TestCatalogDialogs : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void renamedProjectShowsInTheEditorAndTheList();
    void deletingAProjectNamesItsWebhooks();
    void deletingAnEmptyProject();
    void builtInEventTypesAreReadOnly();
    void editingACustomEventType();
    void deletingAnEventTypeNamesItsWebhooks();

private:
    ProjectsDialog *openProjects();
    EventTypesDialog *openEventTypes();
    // Read on a connection of its own, as another process would.
    QVariant scalar(const QString &sql, const QVariantList &values = {}) const;

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_location;
    std::unique_ptr<Database> m_database;
    std::unique_ptr<HookStore> m_hooks;
    std::unique_ptr<DeliveryStore> m_deliveries;
    std::unique_ptr<StoreWriter> m_writer;
    std::unique_ptr<MainWindow> m_window;
    qint64 m_street = 0; // a project with two hooks
    qint64 m_empty = 0;  // a project with none
    qint64 m_first = 0;  // in m_street, with one recorded attempt
    qint64 m_second = 0; // in m_street
    qint64 m_org = 0;    // organization-wide, checks MODEL_TRAINED
};

void TestCatalogDialogs::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QSettings(QStringLiteral("webhook-admin"), QStringLiteral("webhook-admin")).clear();
}

void TestCatalogDialogs::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_location = TestDatabase::create(m_dir->path(), QStringLiteral("catalog.sqlite"));
    QVERIFY(!m_location.isEmpty());
    m_database = std::make_unique<Database>();
    QVERIFY(!m_database->open(m_location));
    m_hooks = std::make_unique<HookStore>(m_database.get());
    m_deliveries = std::make_unique<DeliveryStore>(m_database.get());

    const Result<Project> street = m_hooks->addProject(QStringLiteral("Street scenes"));
    const Result<Project> empty = m_hooks->addProject(QStringLiteral("Empty project"));
    QVERIFY(street && empty);
    m_street = street->id;
    m_empty = empty->id;
    EventType trained;
    trained.key = QStringLiteral("MODEL_TRAINED");
    trained.name = QStringLiteral("Model trained");
    trained.payloadKey = QStringLiteral("model");
    QVERIFY(m_hooks->addEventType(trained));
    EventType unused = trained;
    unused.key = QStringLiteral("DATASET_EXPORTED");
    unused.name = QStringLiteral("Dataset exported");
    unused.payloadKey = QStringLiteral("dataset");
    QVERIFY(m_hooks->addEventType(unused));

    Webhook hook;
    hook.url = QStringLiteral("https://street.example.com/first");
    hook.projectId = m_street;
    Result<Webhook> saved = m_hooks->saveHook(hook);
    QVERIFY(saved);
    m_first = saved->id;
    hook.url = QStringLiteral("https://street.example.com/second");
    saved = m_hooks->saveHook(hook);
    QVERIFY(saved);
    m_second = saved->id;
    Webhook org;
    org.url = QStringLiteral("https://org.example.com/trained");
    org.sendForAllActions = false;
    org.actions = {QStringLiteral("PROJECT_UPDATED"), QStringLiteral("MODEL_TRAINED")};
    saved = m_hooks->saveHook(org);
    QVERIFY(saved);
    m_org = saved->id;
    // History of the first hook, which must outlive its project.
    QVERIFY(m_deliveries->enqueueTest(m_hooks->catalog(), m_first, QStringLiteral("PING"),
                                      std::nullopt, {}, QDateTime::currentDateTimeUtc()));

    m_writer = std::make_unique<StoreWriter>(m_location);
    m_window = std::make_unique<MainWindow>(m_hooks.get(), m_location);
    m_window->setStoreWriter(m_writer.get());
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    // The writer has its connection before a test holds the lock.
    QVERIFY(m_writer->wait(QString(), [](const WriterStores &s) {
        return s.database ? Status(Done{}) : Status(StorageError{});
    }));
}

void TestCatalogDialogs::cleanup()
{
    m_window.reset();
    m_writer.reset();
    m_deliveries.reset();
    m_hooks.reset();
    m_database.reset();
    m_dir.reset();
    QSettings(QStringLiteral("webhook-admin"), QStringLiteral("webhook-admin")).clear();
}

QVariant TestCatalogDialogs::scalar(const QString &sql, const QVariantList &values) const
{
    Database reader;
    if (reader.open(m_location))
        return {};
    QSqlQuery query(reader.connection());
    query.prepare(sql);
    for (const QVariant &value : values)
        query.addBindValue(value);
    if (!query.exec() || !query.next())
        return {};
    return query.value(0);
}

ProjectsDialog *TestCatalogDialogs::openProjects()
{
    m_window->projectsAction()->trigger();
    auto *dialog = m_window->findChild<ProjectsDialog *>();
    if (dialog)
        std::ignore = QTest::qWaitForWindowExposed(dialog);
    return dialog;
}

EventTypesDialog *TestCatalogDialogs::openEventTypes()
{
    m_window->eventTypesAction()->trigger();
    auto *dialog = m_window->findChild<EventTypesDialog *>();
    if (dialog)
        std::ignore = QTest::qWaitForWindowExposed(dialog);
    return dialog;
}

void TestCatalogDialogs::renamedProjectShowsInTheEditorAndTheList()
{
    auto *list = m_window->findChild<HookListView *>(QStringLiteral("hookList"));
    QVERIFY(list->selectHook(m_first));
    auto *scope = m_window->editor()->findChild<QComboBox *>(QStringLiteral("projectCombo"));
    QVERIFY(scope);
    QCOMPARE(scope->currentText(), QStringLiteral("Street scenes"));

    ProjectsDialog *dialog = openProjects();
    QVERIFY(dialog);
    QTreeWidgetItem *row =
        rowWithText(dialog->list(), ProjectsDialog::TitleColumn, QStringLiteral("Street scenes"));
    QVERIFY(row);
    QCOMPARE(row->text(ProjectsDialog::HooksColumn), QStringLiteral("2"));
    dialog->list()->setCurrentItem(row);

    // Rename…: a title dialog pre-filled with the current title.
    QString prefilled;
    onNextModal<QInputDialog>([&prefilled](QInputDialog *input) {
        prefilled = input->textValue();
        input->setTextValue(QStringLiteral("Night scenes"));
        input->accept();
    });
    QTest::mouseClick(dialog->findChild<QPushButton *>(QStringLiteral("renameProjectButton")),
                      Qt::LeftButton);
    QCOMPARE(prefilled, QStringLiteral("Street scenes"));

    // Written on the writer's connection; the window hears of it and shows it everywhere.
    QTRY_VERIFY_WITH_TIMEOUT(!dialog->isWriting(), 10000);
    QCOMPARE(
        scalar(QStringLiteral("SELECT title FROM projects WHERE id = ?"), {m_street}).toString(),
        QStringLiteral("Night scenes"));
    QTRY_VERIFY(
        rowWithText(dialog->list(), ProjectsDialog::TitleColumn, QStringLiteral("Night scenes")));
    QTRY_COMPARE(scope->currentText(), QStringLiteral("Night scenes"));
    QVERIFY(!m_window->editor()->isDirty());
    const QModelIndex first =
        list->model()
            ->match(list->model()->index(0, HookListModel::Url), HookListModel::HookIdRole, m_first)
            .value(0);
    QVERIFY(first.isValid());
    QTRY_COMPARE(first.siblingAtColumn(HookListModel::Scope).data().toString(),
                 QStringLiteral("Night scenes"));
    QCOMPARE(dialog->findChild<QLabel *>(QStringLiteral("projectsStatus"))->text(),
             QStringLiteral("Project %1 is now called Night scenes.").arg(m_street));
}

void TestCatalogDialogs::deletingAProjectNamesItsWebhooks()
{
    ProjectsDialog *dialog = openProjects();
    QVERIFY(dialog);
    QVERIFY(dialog->selectProject(m_street));
    auto *remove = dialog->findChild<QPushButton *>(QStringLiteral("deleteProjectButton"));

    // Cancel first: nothing changes.
    QString question;
    QString details;
    QString confirmText;
    onNextModal<QMessageBox>([&](QMessageBox *box) {
        question = box->text();
        details = box->informativeText();
        confirmText =
            box->findChild<QPushButton *>(QStringLiteral("confirmDeleteProjectButton"))->text();
        box->button(QMessageBox::Cancel)->click();
    });
    QTest::mouseClick(remove, Qt::LeftButton);
    QCOMPARE(question, QStringLiteral("The project Street scenes has 2 webhooks."));
    QVERIFY2(details.contains(QLatin1String("deletes them too")), qPrintable(details));
    QVERIFY2(details.contains(QLatin1String("stay in the delivery log")), qPrintable(details));
    QCOMPARE(confirmText, QStringLiteral("&Delete Project and 2 Webhooks"));
    QCOMPARE(
        scalar(QStringLiteral("SELECT COUNT(*) FROM projects WHERE id = ?"), {m_street}).toInt(),
        1);
    QCOMPARE(scalar(QStringLiteral("SELECT COUNT(*) FROM webhooks WHERE project_id = ? AND "
                                   "deleted_at IS NULL"),
                    {m_street})
                 .toInt(),
             2);

    // Confirmed while another connection holds the lock: pending, then done.
    // Long enough for a loaded machine; below the writer's 5 s busy timeout.
    LockHolder lock(m_location, 4000);
    lock.start();
    QTRY_VERIFY_WITH_TIMEOUT(lock.isHolding() || lock.hasReleased(), 10000);
    QVERIFY2(lock.error().isEmpty(), qPrintable(lock.error()));
    onNextModal<QMessageBox>([](QMessageBox *box) {
        box->findChild<QPushButton *>(QStringLiteral("confirmDeleteProjectButton"))->click();
    });
    QTest::mouseClick(remove, Qt::LeftButton);
    QVERIFY(lock.isHolding());
    QVERIFY(dialog->isWriting());
    QCOMPARE(dialog->findChild<QLabel *>(QStringLiteral("projectsStatus"))->text(),
             QStringLiteral("Deleting the project…"));
    QVERIFY(!remove->isEnabled());
    QCOMPARE(m_window->writeStatusLabel()->text(), QStringLiteral("Deleting the project…"));
    QCOMPARE(m_hooks->projectHookCount(m_street).value(), 2); // not yet
    QVERIFY2(lock.isHolding(), "the checks took longer than the lock was held");

    QTRY_VERIFY_WITH_TIMEOUT(lock.hasReleased(), 10000);
    QTRY_VERIFY_WITH_TIMEOUT(!dialog->isWriting(), 10000);
    QCOMPARE(dialog->findChild<QLabel *>(QStringLiteral("projectsStatus"))->text(),
             QStringLiteral("Deleted project %1 with its webhooks (2).").arg(m_street));
    QCOMPARE(
        scalar(QStringLiteral("SELECT COUNT(*) FROM projects WHERE id = ?"), {m_street}).toInt(),
        0);
    QVERIFY(
        !rowWithText(dialog->list(), ProjectsDialog::TitleColumn, QStringLiteral("Street scenes")));
    // Its hooks are gone from every list, the first one's history stays.
    QCOMPARE(
        scalar(QStringLiteral("SELECT COUNT(*) FROM webhooks WHERE deleted_at IS NULL")).toInt(),
        1);
    QCOMPARE(scalar(QStringLiteral("SELECT COUNT(*) FROM attempts WHERE webhook_id = ?"), {m_first})
                 .toInt(),
             1);
    auto *list = m_window->findChild<HookListView *>(QStringLiteral("hookList"));
    QTRY_COMPARE(list->model()->rowCount(), 1);
    QVERIFY(!list->selectHook(m_first));
    QVERIFY(list->selectHook(m_org));
}

void TestCatalogDialogs::deletingAnEmptyProject()
{
    ProjectsDialog *dialog = openProjects();
    QVERIFY(dialog);
    QVERIFY(dialog->selectProject(m_empty));
    QString question;
    QString details;
    onNextModal<QMessageBox>([&](QMessageBox *box) {
        question = box->text();
        details = box->informativeText();
        box->findChild<QPushButton *>(QStringLiteral("confirmDeleteProjectButton"))->click();
    });
    QTest::mouseClick(dialog->findChild<QPushButton *>(QStringLiteral("deleteProjectButton")),
                      Qt::LeftButton);
    QCOMPARE(question, QStringLiteral("Delete the project Empty project?"));
    QCOMPARE(details, QStringLiteral("No webhook is scoped to it."));
    QTRY_VERIFY_WITH_TIMEOUT(!dialog->isWriting(), 10000);
    QCOMPARE(
        scalar(QStringLiteral("SELECT COUNT(*) FROM projects WHERE id = ?"), {m_empty}).toInt(), 0);
    QCOMPARE(
        scalar(QStringLiteral("SELECT COUNT(*) FROM webhooks WHERE deleted_at IS NULL")).toInt(),
        3);
    // The editor's scope choice no longer offers it.
    auto *scope = m_window->editor()->findChild<QComboBox *>(QStringLiteral("projectCombo"));
    QTRY_COMPARE(scope->findText(QStringLiteral("Empty project")), -1);
    QVERIFY(scope->findText(QStringLiteral("Street scenes")) >= 0);
}

void TestCatalogDialogs::builtInEventTypesAreReadOnly()
{
    EventTypesDialog *dialog = openEventTypes();
    QVERIFY(dialog);
    auto *edit = dialog->findChild<QPushButton *>(QStringLiteral("editEventTypeButton"));
    auto *remove = dialog->findChild<QPushButton *>(QStringLiteral("deleteEventTypeButton"));
    // Every type is listed, built-in and custom, with the hooks that check it.
    QTreeWidgetItem *updated =
        rowWithText(dialog->list(), EventTypesDialog::KeyColumn, QStringLiteral("PROJECT_UPDATED"));
    QVERIFY(updated);
    QCOMPARE(updated->text(EventTypesDialog::HooksColumn), QStringLiteral("1"));
    QVERIFY(rowWithText(dialog->list(), EventTypesDialog::KeyColumn,
                        QStringLiteral("DATASET_EXPORTED")));
    QVERIFY(dialog->selectType(QStringLiteral("PROJECT_UPDATED")));
    QVERIFY(!edit->isEnabled());
    QVERIFY(!remove->isEnabled());
    QCOMPARE(dialog->findChild<QLabel *>(QStringLiteral("eventTypesStatus"))->text(),
             QStringLiteral("PROJECT_UPDATED is built in: it cannot be edited or deleted."));
    QVERIFY(dialog->selectType(QStringLiteral("MODEL_TRAINED")));
    QVERIFY(edit->isEnabled());
    QVERIFY(remove->isEnabled());
    // The store refuses too, whatever asks.
    QVERIFY(!m_hooks->removeEventType(QStringLiteral("PROJECT_UPDATED"),
                                      HookStore::Subscribers::Unsubscribe));
}

void TestCatalogDialogs::editingACustomEventType()
{
    EventTypesDialog *dialog = openEventTypes();
    QVERIFY(dialog);
    QVERIFY(dialog->selectType(QStringLiteral("MODEL_TRAINED")));
    bool keyReadOnly = false;
    bool okEnabled = false;
    onNextModal<EventTypeDialog>([&](EventTypeDialog *edit) {
        auto *key = edit->findChild<QLineEdit *>(QStringLiteral("eventKey"));
        keyReadOnly = key->isReadOnly() && key->text() == QLatin1String("MODEL_TRAINED");
        auto *name = edit->findChild<QLineEdit *>(QStringLiteral("eventName"));
        name->selectAll();
        QTest::keyClicks(name, QStringLiteral("Model retrained"));
        auto *payloadKey = edit->findChild<QLineEdit *>(QStringLiteral("eventPayloadKey"));
        payloadKey->selectAll();
        QTest::keyClicks(payloadKey, QStringLiteral("model_version"));
        auto *ok = edit->findChild<QDialogButtonBox *>()->button(QDialogButtonBox::Ok);
        okEnabled = ok->isEnabled();
        QTest::mouseClick(ok, Qt::LeftButton);
    });
    QTest::mouseClick(dialog->findChild<QPushButton *>(QStringLiteral("editEventTypeButton")),
                      Qt::LeftButton);
    QVERIFY(keyReadOnly);
    QVERIFY(okEnabled);
    QCOMPARE(scalar(QStringLiteral("SELECT name FROM event_types WHERE key = ?"),
                    {QStringLiteral("MODEL_TRAINED")})
                 .toString(),
             QStringLiteral("Model retrained"));
    QCOMPARE(scalar(QStringLiteral("SELECT payload_key FROM event_types WHERE key = ?"),
                    {QStringLiteral("MODEL_TRAINED")})
                 .toString(),
             QStringLiteral("model_version"));
    QTreeWidgetItem *row =
        rowWithText(dialog->list(), EventTypesDialog::KeyColumn, QStringLiteral("MODEL_TRAINED"));
    QVERIFY(row);
    QCOMPARE(row->text(EventTypesDialog::NameColumn), QStringLiteral("Model retrained"));
    // The editor's event tree shows the new name.
    auto *tree = m_window->editor()->findChild<QTreeView *>(QStringLiteral("eventsView"));
    QTRY_VERIFY(!tree->model()
                     ->match(tree->model()->index(0, 0), Qt::DisplayRole,
                             QStringLiteral("Model retrained"), 1,
                             Qt::MatchExactly | Qt::MatchRecursive)
                     .isEmpty());
    // The hook that checks it still does.
    QCOMPARE(scalar(QStringLiteral("SELECT COUNT(*) FROM webhook_actions WHERE action = ?"),
                    {QStringLiteral("MODEL_TRAINED")})
                 .toInt(),
             1);
}

void TestCatalogDialogs::deletingAnEventTypeNamesItsWebhooks()
{
    EventTypesDialog *dialog = openEventTypes();
    QVERIFY(dialog);
    QVERIFY(dialog->selectType(QStringLiteral("MODEL_TRAINED")));
    auto *remove = dialog->findChild<QPushButton *>(QStringLiteral("deleteEventTypeButton"));
    QString question;
    QString confirmText;
    onNextModal<QMessageBox>([&](QMessageBox *box) {
        question = box->text();
        confirmText =
            box->findChild<QPushButton *>(QStringLiteral("confirmDeleteEventTypeButton"))->text();
        box->button(QMessageBox::Cancel)->click();
    });
    QTest::mouseClick(remove, Qt::LeftButton);
    QCOMPARE(question, QStringLiteral("One webhook subscribes to MODEL_TRAINED."));
    QCOMPARE(confirmText, QStringLiteral("&Delete and Unsubscribe One Webhook"));
    QCOMPARE(scalar(QStringLiteral("SELECT COUNT(*) FROM event_types")).toInt(), 2);

    onNextModal<QMessageBox>([](QMessageBox *box) {
        box->findChild<QPushButton *>(QStringLiteral("confirmDeleteEventTypeButton"))->click();
    });
    QTest::mouseClick(remove, Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(!dialog->isWriting(), 10000);
    QCOMPARE(dialog->findChild<QLabel *>(QStringLiteral("eventTypesStatus"))->text(),
             QStringLiteral("Deleted the event type MODEL_TRAINED; webhooks unsubscribed: 1."));
    QCOMPARE(scalar(QStringLiteral("SELECT COUNT(*) FROM event_types WHERE key = ?"),
                    {QStringLiteral("MODEL_TRAINED")})
                 .toInt(),
             0);
    QCOMPARE(scalar(QStringLiteral("SELECT COUNT(*) FROM webhook_actions WHERE action = ?"),
                    {QStringLiteral("MODEL_TRAINED")})
                 .toInt(),
             0);
    // The hook keeps its other event and stays valid.
    const Result<Webhook> org = m_hooks->hook(m_org);
    QVERIFY(org);
    QCOMPARE(org->actions, QStringList{QStringLiteral("PROJECT_UPDATED")});
    QVERIFY(
        !rowWithText(dialog->list(), EventTypesDialog::KeyColumn, QStringLiteral("MODEL_TRAINED")));

    // An unused type goes without naming webhooks.
    QVERIFY(dialog->selectType(QStringLiteral("DATASET_EXPORTED")));
    onNextModal<QMessageBox>([&](QMessageBox *box) {
        question = box->text();
        box->findChild<QPushButton *>(QStringLiteral("confirmDeleteEventTypeButton"))->click();
    });
    QTest::mouseClick(remove, Qt::LeftButton);
    QCOMPARE(question, QStringLiteral("Delete the event type DATASET_EXPORTED?"));
    QTRY_VERIFY_WITH_TIMEOUT(!dialog->isWriting(), 10000);
    QCOMPARE(scalar(QStringLiteral("SELECT COUNT(*) FROM event_types")).toInt(), 0);
}

QTEST_MAIN(TestCatalogDialogs)
#include "tst_catalog_dialogs.moc"
