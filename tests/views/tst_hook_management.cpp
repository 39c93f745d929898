#include "delivery/delivery_store.h"
#include "hook_editor.h"
#include "hook_list_view.h"
#include "items/hook_list_model.h"
#include "main_window.h"
#include "store/database.h"
#include "store/hook_store.h"
#include "store/store_writer.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <functional>
#include <memory>

namespace {

// Runs action on the next message box once it is shown (exec() blocks).
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

// Issue 13, hook management: Duplicate, and Activate, Deactivate and Delete
// on several selected hooks. The window writes through its writer thread.
class TestHookManagement : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void duplicateOpensACopyInTheEditor();
    void duplicateByShortcutAndContextMenu();
    void severalSelectedKeepTheEditorsHook();
    void activateAndDeactivateSelected();
    void deleteSelectedAsksOnceAndKeepsHistory();
    void deleteSelectedCanTakeHistory();

private:
    void openWindow();
    void selectRows(const QList<qint64> &ids);
    Webhook stored(qint64 id) const;
    qint64 attemptsOf(qint64 id) const;

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_path;
    std::unique_ptr<Database> m_database;
    std::unique_ptr<HookStore> m_hooks;
    std::unique_ptr<DeliveryStore> m_deliveries;
    std::unique_ptr<StoreWriter> m_writer;
    std::unique_ptr<MainWindow> m_window;
    HookListView *m_list = nullptr;
    QList<qint64> m_ids;
};

void TestHookManagement::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QSettings(QStringLiteral("webhook-admin"), QStringLiteral("webhook-admin")).clear();
}

void TestHookManagement::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_path = m_dir->filePath(QStringLiteral("manage.sqlite"));
    m_database = std::make_unique<Database>();
    QVERIFY(!m_database->open(m_path));
    m_hooks = std::make_unique<HookStore>(m_database.get());
    m_deliveries = std::make_unique<DeliveryStore>(m_database.get());
    m_ids.clear();
    for (int i = 1; i <= 4; ++i) {
        Webhook hook;
        hook.url = QStringLiteral("https://receiver%1.example.com/hook").arg(i);
        hook.description = i == 1 ? QStringLiteral("Trainer") : QString();
        hook.sendForAllActions = false;
        hook.actions = {QStringLiteral("TASKS_CREATED"), QStringLiteral("PROJECT_UPDATED")};
        hook.headers = {{QStringLiteral("Authorization"), QStringLiteral("Bearer s3cr3t"), true},
                        {QStringLiteral("X-Team"), QStringLiteral("ml"), false}};
        hook.signature = SignatureScheme::Standard;
        hook.secret = QStringLiteral("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
        hook.timeoutSeconds = 7;
        hook.maxAttempts = 3;
        const Result<Webhook> saved = m_hooks->saveHook(hook);
        QVERIFY(saved);
        m_ids.append(saved->id);
    }
    // Recorded attempts of the first two hooks: one each.
    const EventCatalog catalog = m_hooks->catalog();
    for (const qint64 id : {m_ids.at(0), m_ids.at(1)})
        QVERIFY(m_deliveries->enqueueTest(catalog, id, QStringLiteral("PING"), std::nullopt, {},
                                          QDateTime::currentDateTimeUtc()));
    m_writer = std::make_unique<StoreWriter>(m_path);
}

void TestHookManagement::cleanup()
{
    m_window.reset();
    m_writer.reset();
    m_deliveries.reset();
    m_hooks.reset();
    m_database.reset();
    m_dir.reset();
    QSettings(QStringLiteral("webhook-admin"), QStringLiteral("webhook-admin")).clear();
}

void TestHookManagement::openWindow()
{
    m_window = std::make_unique<MainWindow>(m_hooks.get(), m_path);
    m_window->setStoreWriter(m_writer.get());
    m_window->setDeliveryService(nullptr, m_deliveries.get());
    m_window->show();
    QApplication::setActiveWindow(m_window.get());
    QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
    m_list = m_window->findChild<HookListView *>(QStringLiteral("hookList"));
    QVERIFY(m_list && m_list->selectHook(m_ids.first()));
    QTRY_COMPARE(m_window->editor()->hookId(), m_ids.first());
}

void TestHookManagement::selectRows(const QList<qint64> &ids)
{
    // Ctrl+click on each row, as a user selects several.
    m_list->setFocus();
    for (const qint64 id : ids) {
        QAbstractItemModel *model = m_list->model();
        const QModelIndex index =
            model->match(model->index(0, HookListModel::Url), HookListModel::HookIdRole, id)
                .value(0);
        QVERIFY(index.isValid());
        const QRect rect = m_list->visualRect(index);
        QTest::mouseClick(m_list->viewport(), Qt::LeftButton, Qt::ControlModifier, rect.center());
    }
}

Webhook TestHookManagement::stored(qint64 id) const
{
    Database reader;
    if (reader.open(m_path))
        return {};
    HookStore hooks(&reader);
    const Result<Webhook> hook = hooks.hook(id);
    return hook ? hook.value() : Webhook{};
}

qint64 TestHookManagement::attemptsOf(qint64 id) const
{
    LogFilter filter;
    filter.webhookId = id;
    const Result<qint64> count = m_deliveries->countAttempts(filter);
    return count ? count.value() : -1;
}

void TestHookManagement::duplicateOpensACopyInTheEditor()
{
    openWindow();
    const Webhook original = stored(m_ids.first());
    QAction *duplicate = m_window->duplicateAction();
    QVERIFY(duplicate->isEnabled());
    duplicate->trigger();

    HookEditor *editor = m_window->editor();
    QCOMPARE(editor->hookId(), 0);
    QVERIFY(editor->isDirty());
    const Webhook form = editor->formState();
    QCOMPARE(form.url, original.url);
    QCOMPARE(form.description, QStringLiteral("Trainer (copy)"));
    QCOMPARE(form.headers, original.headers); // the secret value too
    QCOMPARE(form.actions, original.actions);
    QCOMPARE(form.sendForAllActions, false);
    QCOMPARE(form.timeoutSeconds, 7);
    QCOMPARE(form.maxAttempts, 3);
    QCOMPARE(form.signature, SignatureScheme::Standard);
    QVERIFY(form.secret.startsWith(QLatin1String("whsec_")));
    QVERIFY(form.secret != original.secret); // a secret of its own
    QVERIFY(editor->findChild<QLabel *>(QStringLiteral("titleLabel"))
                ->text()
                .contains(QString::number(original.id)));
    // Nothing is stored until Save.
    QCOMPARE(m_hooks->hooks()->size(), 4);

    auto *save = editor->findChild<QPushButton *>(QStringLiteral("saveButton"));
    QTest::mouseClick(save, Qt::LeftButton);
    QTRY_VERIFY(editor->hookId() != 0);
    const qint64 copyId = editor->hookId();
    QVERIFY(!m_ids.contains(copyId));
    const Webhook copy = stored(copyId);
    QCOMPARE(copy.description, QStringLiteral("Trainer (copy)"));
    QCOMPARE(copy.headers, original.headers);
    QCOMPARE(copy.secret, form.secret);
    QCOMPARE(stored(m_ids.first()).description, QStringLiteral("Trainer")); // untouched
    QTRY_COMPARE(m_list->selectedHookId(), copyId);
}

void TestHookManagement::duplicateByShortcutAndContextMenu()
{
    openWindow();
    QVERIFY(m_list->actions().contains(m_window->duplicateAction()));
    QCOMPARE(m_window->duplicateAction()->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_D));
    // A hook without a description gets "(copy)".
    QVERIFY(m_list->selectHook(m_ids.at(1)));
    QTRY_COMPARE(m_window->editor()->hookId(), m_ids.at(1));
    m_list->setFocus();
    QTest::keyClick(m_list, Qt::Key_D, Qt::ControlModifier);
    QCOMPARE(m_window->editor()->hookId(), 0);
    QCOMPARE(m_window->editor()->formState().description, QStringLiteral("(copy)"));
    // Unsaved edits are asked about before the copy replaces them.
    auto *url = m_window->editor()->findChild<QLineEdit *>(QStringLiteral("urlEdit"));
    url->setFocus();
    QTest::keyClicks(url, QStringLiteral("x"));
    QVERIFY(!m_window->duplicateAction()->isEnabled()); // a new hook has nothing to copy
}

void TestHookManagement::severalSelectedKeepTheEditorsHook()
{
    openWindow();
    selectRows({m_ids.at(2)});
    // A Ctrl+click adds to the selection; the editor keeps showing a hook,
    // it does not jump with every click.
    QCOMPARE(m_list->selectedHookIds(), (QList<qint64>{m_ids.at(0), m_ids.at(2)}));
    QCOMPARE(m_window->editor()->hookId(), m_ids.at(0));
    QCOMPARE(m_window->deleteSelectedAction()->text(), QStringLiteral("Delete 2 Webhooks…"));
    // A plain click picks one again, and the editor follows.
    const QModelIndex third = m_list->model()
                                  ->match(m_list->model()->index(0, HookListModel::Url),
                                          HookListModel::HookIdRole, m_ids.at(3))
                                  .value(0);
    QTest::mouseClick(m_list->viewport(), Qt::LeftButton, {}, m_list->visualRect(third).center());
    QTRY_COMPARE(m_window->editor()->hookId(), m_ids.at(3));
    QCOMPARE(m_list->selectedHookIds(), QList<qint64>{m_ids.at(3)});
}

void TestHookManagement::activateAndDeactivateSelected()
{
    openWindow();
    selectRows({m_ids.at(1), m_ids.at(2)});
    QCOMPARE(m_list->selectedHookIds().size(), 3);
    m_window->deactivateSelectedAction()->trigger();
    QTRY_COMPARE(m_writer->pendingCount(), 0);
    for (int i = 0; i < 3; ++i)
        QVERIFY(!stored(m_ids.at(i)).isActive);
    QVERIFY(stored(m_ids.at(3)).isActive); // not selected
    // The list shows it.
    QAbstractItemModel *model = m_list->model();
    const QModelIndex second =
        model->match(model->index(0, HookListModel::Url), HookListModel::HookIdRole, m_ids.at(1))
            .value(0);
    QTRY_COMPARE(second.siblingAtColumn(HookListModel::Active)
                     .data(Qt::CheckStateRole)
                     .value<Qt::CheckState>(),
                 Qt::Unchecked);
    m_window->activateSelectedAction()->trigger();
    QTRY_COMPARE(m_writer->pendingCount(), 0);
    for (int i = 0; i < 3; ++i)
        QVERIFY(stored(m_ids.at(i)).isActive);
}

void TestHookManagement::deleteSelectedAsksOnceAndKeepsHistory()
{
    openWindow();
    selectRows({m_ids.at(1), m_ids.at(3)});
    QCOMPARE(m_list->selectedHookIds().size(), 3);
    int asked = 0;
    QString text;
    QString informative;
    QString historyCheck;
    onNextModal([&](QMessageBox *box) {
        ++asked;
        text = box->text();
        informative = box->informativeText();
        historyCheck = box->checkBox() ? box->checkBox()->text() : QString();
        box->findChild<QPushButton *>(QStringLiteral("confirmDeleteButton"))->click();
    });
    m_list->setFocus();
    QTest::keyClick(m_list, Qt::Key_Delete);
    QCOMPARE(asked, 1);
    QVERIFY2(text.contains(QLatin1String("3 selected webhooks")), qPrintable(text));
    QVERIFY2(informative.contains(QLatin1String("2 recorded attempts")), qPrintable(informative));
    QVERIFY(historyCheck.contains(QLatin1String("2")));
    QTRY_COMPARE(m_writer->pendingCount(), 0);
    QTRY_COMPARE(m_hooks->hooks()->size(), 1);
    QCOMPARE(m_hooks->hooks()->first().id, m_ids.at(2));
    // The history stays, as with a single delete.
    QCOMPARE(attemptsOf(m_ids.at(0)), 1);
    QCOMPARE(attemptsOf(m_ids.at(1)), 1);
    // The editor showed a deleted hook: it moved to the one that is left.
    QTRY_COMPARE(m_window->editor()->hookId(), m_ids.at(2));
}

void TestHookManagement::deleteSelectedCanTakeHistory()
{
    openWindow();
    selectRows({m_ids.at(1)});
    onNextModal([](QMessageBox *box) {
        box->checkBox()->setChecked(true);
        box->findChild<QPushButton *>(QStringLiteral("confirmDeleteButton"))->click();
    });
    m_window->deleteSelectedAction()->trigger();
    QTRY_COMPARE(m_hooks->hooks()->size(), 2);
    QCOMPARE(attemptsOf(m_ids.at(0)), 0);
    QCOMPARE(attemptsOf(m_ids.at(1)), 0);
    // Cancel deletes nothing.
    QVERIFY(m_list->selectHook(m_ids.at(2)));
    selectRows({m_ids.at(3)});
    QCOMPARE(m_list->selectedHookIds().size(), 2);
    onNextModal([](QMessageBox *box) { box->reject(); });
    m_window->deleteSelectedAction()->trigger();
    QTest::qWait(100);
    QCOMPARE(m_hooks->hooks()->size(), 2);
}

QTEST_MAIN(TestHookManagement)
#include "tst_hook_management.moc"
