#include "hook_editor.h"
#include "items/event_tree_model.h"
#include "items/header_table_model.h"
#include "secret_field.h"
#include "store/database.h"
#include "store/hook_store.h"

#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QStyle>
#include <QStyleOptionViewItem>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTextCursor>
#include <QTimer>
#include <QToolButton>
#include <QTreeView>
#include <functional>
#include <memory>

class TestHookEditor : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void createHookByClicksAndTyping();
    void untouchedNewHookIsCleanAndQuiet();
    void invalidInputBlocksSaving_data();
    void invalidInputBlocksSaving();
    void tooManyHeadersBlockSaving();
    void organizationOnlyEventsAreDisabledOnProjectHooks();
    void selectAllAndNonePerGroup();
    void revertRestoresTheStoredHook();
    void tlsVerificationCanBeSwitchedOffWithAWarning();
    void httpVersionIsChosenSavedAndReverted();
    void deleteAsksFirstAndCancelKeepsTheHook();
    void dirtyFlagFollowsTheForm();
    void confirmDiscardOrSave();
    void newEventTypesAppearAndChecksSurvive();
    void signingSecretGenerateRevealCopy();
    void errorsWaitUntilTheUserLeavesTheField();
    void credentialHeadersAreSecretByDefault();
    void mnemonicsAreUniqueAndLabelsHaveBuddies();

private:
    template <typename T>
    T *field(const char *name) const
    {
        T *widget = m_editor->findChild<T *>(QLatin1String(name));
        if (!widget)
            qWarning("no widget %s", name);
        return widget;
    }
    QString path() const { return m_dir->filePath(QStringLiteral("hooks.sqlite")); }
    // The hook as a second connection to the same file sees it.
    Webhook storedHook(qint64 id) const;
    qint64 addValidHook(std::optional<qint64> projectId = std::nullopt);
    void clickCheckBox(QAbstractItemView *view, const QModelIndex &index);
    void typeInto(QWidget *widget, const QString &text);
    // Clicks a check box on its indicator, not in the empty space of a wide one.
    void clickCheckBox(QCheckBox *box);
    // Runs answer on the next modal dialog, once it is shown.
    void answerNextModal(std::function<void(QWidget *)> answer);
    void clickMessageBoxButton(QWidget *modal, QMessageBox::StandardButton button);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Database> m_database;
    std::unique_ptr<HookStore> m_store;
    std::unique_ptr<HookEditor> m_editor;
    QString m_lastModalText;
};

void TestHookEditor::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
}

void TestHookEditor::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_database = std::make_unique<Database>();
    const std::optional<StorageError> error = m_database->open(path());
    QVERIFY2(!error, error ? qPrintable(error->message) : "");
    m_store = std::make_unique<HookStore>(m_database.get());
    m_editor = std::make_unique<HookEditor>(m_store.get());
    m_editor->resize(820, 1100);
    m_editor->show();
    QVERIFY(QTest::qWaitForWindowActive(m_editor.get()));
    m_lastModalText.clear();
}

void TestHookEditor::cleanup()
{
    m_editor.reset();
    m_store.reset();
    m_database.reset();
    m_dir.reset();
}

Webhook TestHookEditor::storedHook(qint64 id) const
{
    Database database;
    if (const std::optional<StorageError> error = database.open(path()))
        qFatal("cannot reopen the database: %s", qPrintable(error->message));
    HookStore store(&database);
    const Result<Webhook> hook = store.hook(id);
    return hook ? hook.value() : Webhook{};
}

qint64 TestHookEditor::addValidHook(std::optional<qint64> projectId)
{
    Webhook hook;
    hook.url = QStringLiteral("https://example.com/hook");
    hook.projectId = projectId;
    hook.description = QStringLiteral("Training trigger");
    hook.sendForAllActions = false;
    hook.actions = {QStringLiteral("TASKS_CREATED"), QStringLiteral("ANNOTATION_CREATED")};
    hook.headers = {{QStringLiteral("Authorization"), QStringLiteral("Bearer abc"), true}};
    const Result<Webhook> saved = m_store->saveHook(hook);
    if (!saved)
        qFatal("cannot save the sample hook: %s", qPrintable(saved.error().message));
    return saved->id;
}

void TestHookEditor::clickCheckBox(QAbstractItemView *view, const QModelIndex &index)
{
    view->scrollTo(index);
    QStyleOptionViewItem option;
    option.initFrom(view);
    option.rect = view->visualRect(index);
    option.features = QStyleOptionViewItem::HasCheckIndicator;
    if (!index.data().toString().isEmpty())
        option.features |= QStyleOptionViewItem::HasDisplay;
    option.text = index.data().toString();
    option.checkState = index.data(Qt::CheckStateRole).value<Qt::CheckState>();
    option.index = index;
    option.widget = view;
    const QRect box =
        view->style()->subElementRect(QStyle::SE_ItemViewItemCheckIndicator, &option, view);
    QVERIFY(!box.isEmpty());
    QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, box.center());
}

void TestHookEditor::clickCheckBox(QCheckBox *box)
{
    const int indicator = box->style()->pixelMetric(QStyle::PM_IndicatorWidth, nullptr, box);
    QTest::mouseClick(box, Qt::LeftButton, {}, QPoint(indicator / 2 + 1, box->height() / 2));
}

void TestHookEditor::typeInto(QWidget *widget, const QString &text)
{
    widget->setFocus();
    QTest::keyClick(widget, Qt::Key_A, Qt::ControlModifier);
    QTest::keyClicks(widget, text);
}

void TestHookEditor::answerNextModal(std::function<void(QWidget *)> answer)
{
    auto *timer = new QTimer(this);
    timer->setInterval(20);
    connect(timer, &QTimer::timeout, this, [this, timer, answer] {
        QWidget *modal = QApplication::activeModalWidget();
        if (!modal)
            return;
        timer->stop();
        timer->deleteLater();
        if (auto *box = qobject_cast<QMessageBox *>(modal))
            m_lastModalText = box->text();
        answer(modal);
    });
    timer->start();
    // The timer must not outlive a test whose dialog never came.
    QTimer::singleShot(10000, timer, [timer] {
        timer->stop();
        if (QWidget *modal = QApplication::activeModalWidget())
            modal->close();
    });
}

void TestHookEditor::clickMessageBoxButton(QWidget *modal, QMessageBox::StandardButton button)
{
    auto *box = qobject_cast<QMessageBox *>(modal);
    QVERIFY(box);
    QAbstractButton *target = box->button(button);
    QVERIFY(target);
    QTest::mouseClick(target, Qt::LeftButton);
}

void TestHookEditor::createHookByClicksAndTyping()
{
    QSignalSpy saved(m_editor.get(), &HookEditor::hookSaved);
    QSignalSpy dirty(m_editor.get(), &HookEditor::dirtyChanged);
    auto *save = field<QPushButton>("saveButton");
    QCOMPARE(m_editor->hookId(), 0);
    QVERIFY(!save->isEnabled());

    // URL: a Docker service name without a dot is fine.
    auto *url = field<QLineEdit>("urlEdit");
    QTest::keyClicks(url, QStringLiteral("http://trainer:9090/hook"));
    QVERIFY(m_editor->isDirty());
    QCOMPARE(dirty.size(), 1);
    QVERIFY(field<QLabel>("urlError")->isHidden());
    QVERIFY(save->isEnabled());

    auto *active = field<QCheckBox>("activeCheck");
    QVERIFY(active->isChecked());
    clickCheckBox(active);
    QVERIFY(!active->isChecked());

    // A new project, named in the dialog the button opens.
    answerNextModal([](QWidget *modal) {
        auto *dialog = qobject_cast<QInputDialog *>(modal);
        QVERIFY(dialog);
        auto *edit = dialog->findChild<QLineEdit *>();
        QVERIFY(edit);
        QTest::keyClicks(edit, QStringLiteral("Street scenes"));
        auto *buttons = dialog->findChild<QDialogButtonBox *>();
        QTest::mouseClick(buttons->button(QDialogButtonBox::Ok), Qt::LeftButton);
    });
    QTest::mouseClick(field<QPushButton>("newProjectButton"), Qt::LeftButton);
    auto *project = field<QComboBox>("projectCombo");
    QCOMPARE(project->currentText(), QStringLiteral("Street scenes"));
    // The offscreen platform has no window manager to hand focus back.
    m_editor->activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(m_editor.get()));
    const Result<QList<Project>> projects = m_store->projects();
    QVERIFY(projects && projects->size() == 1);
    const qint64 projectId = projects->constFirst().id;

    QTest::keyClicks(field<QPlainTextEdit>("descriptionEdit"),
                     QStringLiteral("Start training on new annotations"));

    // Headers: add three, remove the last, mark the first secret.
    auto *headersView = field<QTableView>("headersView");
    auto *addHeader = field<QPushButton>("addHeaderButton");
    const QList<std::pair<QString, QString>> rows{
        {QStringLiteral("Authorization"), QStringLiteral("Bearer s3cret")},
        {QStringLiteral("X-Team"), QStringLiteral("vision")},
        {QStringLiteral("X-Remove-Me"), QStringLiteral("soon")}};
    for (const auto &[name, value] : rows) {
        QTest::mouseClick(addHeader, Qt::LeftButton);
        QWidget *nameEditor = QApplication::focusWidget();
        QVERIFY(qobject_cast<QLineEdit *>(nameEditor));
        QTest::keyClicks(nameEditor, name);
        QTest::keyClick(nameEditor, Qt::Key_Tab);
        QWidget *valueEditor = QApplication::focusWidget();
        QVERIFY(qobject_cast<QLineEdit *>(valueEditor));
        QVERIFY(valueEditor != nameEditor);
        QTest::keyClicks(valueEditor, value);
        QTest::keyClick(valueEditor, Qt::Key_Return);
        // The delegate commits on Return through a queued call.
        QTRY_COMPARE(headersView->model()
                         ->index(headersView->model()->rowCount() - 1, HeaderTableModel::Value)
                         .data(Qt::EditRole)
                         .toString(),
                     value);
    }
    auto *headerModel = headersView->model();
    QCOMPARE(headerModel->rowCount(), 3);
    QCOMPARE(headerModel->index(2, HeaderTableModel::Value).data().toString(),
             QStringLiteral("soon"));
    auto *removeHeader = field<QPushButton>("removeHeaderButton");
    QTest::mouseClick(
        headersView->viewport(), Qt::LeftButton, {},
        headersView->visualRect(headerModel->index(2, HeaderTableModel::Name)).center());
    QVERIFY(removeHeader->isEnabled());
    QTest::mouseClick(removeHeader, Qt::LeftButton);
    QCOMPARE(headerModel->rowCount(), 2);

    // Authorization is a credential: secret without a click.
    QCOMPARE(headerModel->index(0, HeaderTableModel::Secret).data(Qt::CheckStateRole).toInt(),
             int(Qt::Checked));
    QCOMPARE(headerModel->index(1, HeaderTableModel::Secret).data(Qt::CheckStateRole).toInt(),
             int(Qt::Unchecked));
    QCOMPARE(headerModel->index(0, HeaderTableModel::Value).data().toString(), maskedSecret());
    QCOMPARE(headerModel->index(0, HeaderTableModel::Value).data(Qt::EditRole).toString(),
             QStringLiteral("Bearer s3cret"));

    clickCheckBox(field<QCheckBox>("sendPayloadCheck"));
    auto *eventsView = field<QTreeView>("eventsView");
    QVERIFY(!eventsView->isEnabled());
    clickCheckBox(field<QCheckBox>("sendForAllCheck"));
    QVERIFY(eventsView->isEnabled());
    // Nothing checked yet: the page says so and Save waits.
    QVERIFY(!field<QLabel>("actionsError")->isHidden());
    QVERIFY(!save->isEnabled());

    auto *events = qobject_cast<EventTreeModel *>(eventsView->model());
    QVERIFY(events);
    clickCheckBox(eventsView, events->eventIndex(QStringLiteral("TASKS_CREATED")));
    clickCheckBox(eventsView, events->eventIndex(QStringLiteral("ANNOTATION_UPDATED")));
    clickCheckBox(eventsView, events->eventIndex(QStringLiteral("TASKS_DELETED")));
    clickCheckBox(eventsView, events->eventIndex(QStringLiteral("TASKS_DELETED"))); // and off
    QCOMPARE(events->checkedKeys(),
             (QStringList{QStringLiteral("TASKS_CREATED"), QStringLiteral("ANNOTATION_UPDATED")}));
    QVERIFY(field<QLabel>("actionsError")->text().isEmpty());

    // Signing: Standard Webhooks, with a generated secret.
    auto *scheme = field<QComboBox>("schemeCombo");
    scheme->setFocus();
    QTest::keyClick(scheme, Qt::Key_Down);
    QCOMPARE(scheme->currentText(), QStringLiteral("Standard Webhooks"));
    QVERIFY(!field<QLabel>("secretError")->isHidden()); // a scheme needs a secret
    QTest::mouseClick(field<QPushButton>("generateSecretButton"), Qt::LeftButton);
    const QString secret = field<QLineEdit>("secretEdit")->text();
    QVERIFY(secret.startsWith(QStringLiteral("whsec_")));
    QVERIFY(field<QLabel>("secretError")->text().isEmpty());

    typeInto(field<QSpinBox>("timeoutSpin"), QStringLiteral("30"));
    typeInto(field<QSpinBox>("attemptsSpin"), QStringLiteral("3"));
    QCOMPARE(field<QSpinBox>("timeoutSpin")->value(), 30);
    QCOMPARE(field<QSpinBox>("attemptsSpin")->value(), 3);

    QVERIFY(save->isEnabled());
    QTest::mouseClick(save, Qt::LeftButton);
    QCOMPARE(saved.size(), 1);
    const qint64 id = saved.constFirst().constFirst().toLongLong();
    QVERIFY(id > 0);
    QCOMPARE(m_editor->hookId(), id);
    QVERIFY(!m_editor->isDirty());
    QCOMPARE(dirty.constLast().constFirst().toBool(), false);
    QVERIFY(!save->isEnabled());

    const Webhook stored = storedHook(id);
    QCOMPARE(stored.id, id);
    QCOMPARE(stored.url, QStringLiteral("http://trainer:9090/hook"));
    QCOMPARE(stored.isActive, false);
    QCOMPARE(stored.projectId, std::optional<qint64>(projectId));
    QCOMPARE(stored.description, QStringLiteral("Start training on new annotations"));
    const QList<HeaderRow> headers{
        {QStringLiteral("Authorization"), QStringLiteral("Bearer s3cret"), true},
        {QStringLiteral("X-Team"), QStringLiteral("vision"), false}};
    QCOMPARE(stored.headers, headers);
    QCOMPARE(stored.sendPayload, false);
    QCOMPARE(stored.sendForAllActions, false);
    QCOMPARE(stored.actions,
             (QStringList{QStringLiteral("TASKS_CREATED"), QStringLiteral("ANNOTATION_UPDATED")}));
    QCOMPARE(stored.signature, SignatureScheme::Standard);
    QCOMPARE(stored.secret, secret);
    QCOMPARE(stored.timeoutSeconds, 30);
    QCOMPARE(stored.maxAttempts, 3);
}

void TestHookEditor::untouchedNewHookIsCleanAndQuiet()
{
    m_editor->showNewHook();
    QVERIFY(!m_editor->isDirty());
    QCOMPARE(m_editor->hookId(), 0);
    QVERIFY(!field<QPushButton>("saveButton")->isEnabled());
    QVERIFY(!field<QPushButton>("deleteButton")->isEnabled());
    QVERIFY(!field<QPushButton>("revertButton")->isEnabled());
    // The empty URL is not valid, but nobody has typed yet.
    QVERIFY(field<QLabel>("urlError")->isHidden());
    QCOMPARE(m_editor->formState().timeoutSeconds, Webhook{}.timeoutSeconds);
    QCOMPARE(m_editor->formState().maxAttempts, 8);
    QVERIFY(m_editor->formState().sendPayload);
    QVERIFY(m_editor->formState().sendForAllActions);

    // Trying to save shows why it cannot be saved.
    QVERIFY(!m_editor->save());
    QVERIFY(!field<QLabel>("urlError")->isHidden());
    QCOMPARE(field<QLabel>("urlError")->text(),
             QStringLiteral("Enter the URL that receives the webhook."));
}

enum class Breakage {
    FtpUrl,
    RelativeUrl,
    HeaderNameWithSpace,
    EngineOwnedHeader,
    ValueWithNewline,
    DuplicateHeader,
    OrganizationOnlyEventOnProjectHook,
};
Q_DECLARE_METATYPE(Breakage)

void TestHookEditor::invalidInputBlocksSaving_data()
{
    QTest::addColumn<Breakage>("breakage");
    QTest::addColumn<QString>("errorLabel");
    QTest::addColumn<QString>("message");
    QTest::newRow("ftp url") << Breakage::FtpUrl << QStringLiteral("urlError")
                             << QStringLiteral("Only http and https URLs");
    QTest::newRow("no scheme") << Breakage::RelativeUrl << QStringLiteral("urlError")
                               << QStringLiteral("must start with http:// or https://");
    QTest::newRow("header name with space")
        << Breakage::HeaderNameWithSpace << QStringLiteral("headersError")
        << QStringLiteral("Row 2: \"Bad Name\" is not a valid header name");
    QTest::newRow("engine-owned header")
        << Breakage::EngineOwnedHeader << QStringLiteral("headersError")
        << QStringLiteral("Content-Type is set by Webhook Admin");
    QTest::newRow("value with newline")
        << Breakage::ValueWithNewline << QStringLiteral("headersError")
        << QStringLiteral("cannot contain line breaks");
    QTest::newRow("duplicate header") << Breakage::DuplicateHeader << QStringLiteral("headersError")
                                      << QStringLiteral("listed twice");
    QTest::newRow("org-only event on project hook")
        << Breakage::OrganizationOnlyEventOnProjectHook << QStringLiteral("actionsError")
        << QStringLiteral("PROJECT_CREATED is an organization-wide event");
}

void TestHookEditor::invalidInputBlocksSaving()
{
    QFETCH(Breakage, breakage);
    QFETCH(QString, errorLabel);
    QFETCH(QString, message);

    const Result<Project> project = m_store->addProject(QStringLiteral("Street scenes"));
    QVERIFY(project);
    const qint64 id = addValidHook();
    m_editor->showHook(id);
    const Webhook before = storedHook(id);
    auto *save = field<QPushButton>("saveButton");
    auto *headersView = field<QTableView>("headersView");
    QAbstractItemModel *headers = headersView->model();
    auto *eventsView = field<QTreeView>("eventsView");
    auto *events = qobject_cast<EventTreeModel *>(eventsView->model());
    QVERIFY(events);

    auto addHeaderRow = [&](const QString &name, const QString &value) {
        QTest::mouseClick(field<QPushButton>("addHeaderButton"), Qt::LeftButton);
        QWidget *nameEditor = QApplication::focusWidget();
        QVERIFY(qobject_cast<QLineEdit *>(nameEditor));
        QTest::keyClicks(nameEditor, name);
        QTest::keyClick(nameEditor, Qt::Key_Tab);
        QWidget *valueEditor = QApplication::focusWidget();
        QTest::keyClicks(valueEditor, value);
        QTest::keyClick(valueEditor, Qt::Key_Return);
        QTRY_VERIFY(!headersView->indexWidget(headersView->currentIndex()));
    };

    switch (breakage) {
    case Breakage::FtpUrl:
        typeInto(field<QLineEdit>("urlEdit"), QStringLiteral("ftp://example.com/hook"));
        break;
    case Breakage::RelativeUrl:
        typeInto(field<QLineEdit>("urlEdit"), QStringLiteral("example.com/hook"));
        break;
    case Breakage::HeaderNameWithSpace:
        addHeaderRow(QStringLiteral("Bad Name"), QStringLiteral("1"));
        break;
    case Breakage::EngineOwnedHeader:
        addHeaderRow(QStringLiteral("Content-Type"), QStringLiteral("text/plain"));
        break;
    case Breakage::ValueWithNewline:
        // A line edit cannot take a line break; a paste into the model can.
        addHeaderRow(QStringLiteral("X-Trace"), QStringLiteral("1"));
        QVERIFY(headers->setData(headers->index(1, HeaderTableModel::Value),
                                 QStringLiteral("1\r\nX-Evil: yes")));
        break;
    case Breakage::DuplicateHeader:
        addHeaderRow(QStringLiteral("authorization"), QStringLiteral("Bearer other"));
        break;
    case Breakage::OrganizationOnlyEventOnProjectHook: {
        clickCheckBox(eventsView, events->eventIndex(QStringLiteral("PROJECT_CREATED")));
        QCOMPARE(events->checkedKeys().constFirst(), QStringLiteral("PROJECT_CREATED"));
        QVERIFY(save->isEnabled());
        auto *combo = field<QComboBox>("projectCombo");
        combo->setFocus();
        QTest::keyClick(combo, Qt::Key_Down);
        QCOMPARE(combo->currentText(), QStringLiteral("Street scenes"));
        break;
    }
    }

    auto *label = field<QLabel>(qPrintable(errorLabel));
    QVERIFY(label);
    // Typed fields are checked when the user leaves them.
    if (errorLabel != QLatin1String("actionsError")) {
        QVERIFY2(label->text().isEmpty(), qPrintable(label->text()));
        field<QWidget>("sendPayloadCheck")->setFocus();
        QTRY_VERIFY(field<QWidget>("sendPayloadCheck")->hasFocus());
    }
    QVERIFY2(!label->isHidden(), qPrintable(errorLabel));
    QVERIFY2(label->text().contains(message), qPrintable(label->text()));
    QVERIFY(!save->isEnabled());
    QVERIFY(m_editor->isDirty());
    // The field itself is outlined.
    QWidget *outlined = errorLabel == QLatin1String("urlError") ? field<QWidget>("urlEdit")
                        : errorLabel == QLatin1String("headersError")
                            ? static_cast<QWidget *>(headersView)
                            : eventsView;
    QVERIFY(!outlined->styleSheet().isEmpty());
    if (errorLabel == QLatin1String("headersError")) {
        const QModelIndex bad = headers->index(1, HeaderTableModel::Name);
        QVERIFY(!bad.data(HeaderTableModel::ErrorRole).toString().isEmpty());
        QCOMPARE(bad.data(Qt::ToolTipRole).toString(),
                 bad.data(HeaderTableModel::ErrorRole).toString());
    }

    QSignalSpy saved(m_editor.get(), &HookEditor::hookSaved);
    QVERIFY(!m_editor->save());
    QCOMPARE(saved.size(), 0);
    QVERIFY(!field<QLabel>("storeError")->isHidden());
    QCOMPARE(storedHook(id), before);

    // Fixing the input clears the message and allows saving again.
    field<QPushButton>("revertButton")->click();
    QVERIFY(label->isHidden());
    QVERIFY(outlined->styleSheet().isEmpty());
}

void TestHookEditor::tooManyHeadersBlockSaving()
{
    const qint64 id = addValidHook();
    m_editor->showHook(id);
    auto *headers = field<QTableView>("headersView")->model();
    auto *addHeader = field<QPushButton>("addHeaderButton");
    for (int row = headers->rowCount(); row < Webhook::MaxHeaders; ++row) {
        QVERIFY(headers->insertRows(row, 1));
        QVERIFY(headers->setData(headers->index(row, HeaderTableModel::Name),
                                 QStringLiteral("X-Header-%1").arg(row)));
    }
    QVERIFY(field<QPushButton>("saveButton")->isEnabled());
    QVERIFY(!addHeader->isEnabled()); // the limit is reached
    QVERIFY(headers->insertRows(headers->rowCount(), 1));
    QVERIFY(headers->setData(headers->index(Webhook::MaxHeaders, HeaderTableModel::Name),
                             QStringLiteral("X-One-Too-Many")));
    QVERIFY(field<QLabel>("headersError")->text().contains(QStringLiteral("at most 50 headers")));
    QVERIFY(!field<QPushButton>("saveButton")->isEnabled());
}

void TestHookEditor::organizationOnlyEventsAreDisabledOnProjectHooks()
{
    const Result<Project> project = m_store->addProject(QStringLiteral("Street scenes"));
    QVERIFY(project);
    const qint64 id = addValidHook(project->id);
    m_editor->showHook(id);
    auto *eventsView = field<QTreeView>("eventsView");
    auto *events = qobject_cast<EventTreeModel *>(eventsView->model());
    const QModelIndex created = events->eventIndex(QStringLiteral("PROJECT_CREATED"));
    QVERIFY(!(created.flags() & Qt::ItemIsEnabled));
    clickCheckBox(eventsView, created);
    QVERIFY(!events->checkedKeys().contains(QStringLiteral("PROJECT_CREATED")));
    QVERIFY(!m_editor->isDirty());

    auto *note = field<QLabel>("orgOnlyNote");
    QVERIFY(!note->isHidden());
    QVERIFY(note->text().contains(QStringLiteral("Project created")));
    QVERIFY(note->text().contains(QStringLiteral("never receives them")));

    // Organization-wide again: the event can be checked and the note goes.
    auto *combo = field<QComboBox>("projectCombo");
    combo->setFocus();
    QTest::keyClick(combo, Qt::Key_Up);
    QCOMPARE(combo->currentText(), QStringLiteral("Organization-wide"));
    QVERIFY(note->isHidden());
    clickCheckBox(eventsView, created);
    QVERIFY(events->checkedKeys().contains(QStringLiteral("PROJECT_CREATED")));
}

void TestHookEditor::selectAllAndNonePerGroup()
{
    const qint64 id = addValidHook();
    m_editor->showHook(id);
    auto *eventsView = field<QTreeView>("eventsView");
    auto *events = qobject_cast<EventTreeModel *>(eventsView->model());
    auto *all = m_editor->findChild<QToolButton *>(QStringLiteral("selectAll_Annotations"));
    auto *none = m_editor->findChild<QToolButton *>(QStringLiteral("selectNone_Tasks"));
    QVERIFY(all && none);
    QTest::mouseClick(all, Qt::LeftButton);
    QTest::mouseClick(none, Qt::LeftButton);
    QCOMPARE(
        events->checkedKeys(),
        (QStringList{QStringLiteral("ANNOTATION_CREATED"), QStringLiteral("ANNOTATIONS_CREATED"),
                     QStringLiteral("ANNOTATION_UPDATED"), QStringLiteral("ANNOTATIONS_DELETED")}));
    // The group row's own check box does the same.
    const QModelIndex labelLinks = events->groupIndex(QStringLiteral("Label links"));
    clickCheckBox(eventsView, labelLinks);
    QCOMPARE(labelLinks.data(Qt::CheckStateRole).value<Qt::CheckState>(), Qt::Checked);
    QCOMPARE(events->checkedKeys().size(), 7);
    QVERIFY(m_editor->isDirty());
    QVERIFY(m_editor->save());
    QCOMPARE(storedHook(id).actions.size(), 7);
}

void TestHookEditor::revertRestoresTheStoredHook()
{
    const qint64 id = addValidHook();
    m_editor->showHook(id);
    const Webhook original = m_editor->formState();
    typeInto(field<QLineEdit>("urlEdit"), QStringLiteral("https://changed.example.com/"));
    QTest::keyClicks(field<QPlainTextEdit>("descriptionEdit"), QStringLiteral(" and more"));
    auto *eventsView = field<QTreeView>("eventsView");
    auto *events = qobject_cast<EventTreeModel *>(eventsView->model());
    clickCheckBox(eventsView, events->eventIndex(QStringLiteral("TASKS_CREATED")));
    QTest::mouseClick(field<QPushButton>("removeHeaderButton"), Qt::LeftButton); // nothing selected
    field<QTableView>("headersView")->selectRow(0);
    QTest::mouseClick(field<QPushButton>("removeHeaderButton"), Qt::LeftButton);
    QVERIFY(m_editor->isDirty());

    auto *revert = field<QPushButton>("revertButton");
    QVERIFY(revert->isEnabled());
    QTest::mouseClick(revert, Qt::LeftButton);
    QVERIFY(!m_editor->isDirty());
    QVERIFY(!revert->isEnabled());
    QCOMPARE(m_editor->formState(), original);
    QCOMPARE(field<QLineEdit>("urlEdit")->text(), QStringLiteral("https://example.com/hook"));
    QCOMPARE(field<QTableView>("headersView")->model()->rowCount(), 1);
    QCOMPARE(storedHook(id), original);
}

void TestHookEditor::tlsVerificationCanBeSwitchedOffWithAWarning()
{
    const qint64 id = addValidHook();
    m_editor->showHook(id);
    auto *verify = field<QCheckBox>("verifyTlsCheck");
    auto *warning = field<QLabel>("verifyTlsWarning");
    QVERIFY(verify->isChecked());
    QVERIFY(warning->isHidden());
    verify->setFocus();
    QTest::keyClick(verify, Qt::Key_Space);
    QVERIFY(!verify->isChecked());
    QVERIFY(!warning->isHidden());
    QVERIFY(warning->text().contains(QStringLiteral("Certificate checks are off")));
    QVERIFY(m_editor->isDirty());
    QVERIFY(m_editor->save());
    QCOMPARE(storedHook(id).verifyTls, false);
    m_editor->showHook(id);
    QVERIFY(!field<QCheckBox>("verifyTlsCheck")->isChecked());
}

void TestHookEditor::httpVersionIsChosenSavedAndReverted()
{
    const qint64 id = addValidHook();
    m_editor->showHook(id);
    auto *http = field<QComboBox>("httpVersionCombo");
    QVERIFY(http);
    QCOMPARE(http->count(), 3);
    QCOMPARE(http->currentText(), QStringLiteral("Automatic (HTTP/2 over TLS when offered)"));
    QCOMPARE(http->itemText(1), QStringLiteral("HTTP/1.1 only"));
    QCOMPARE(http->itemText(2), QStringLiteral("HTTP/2 with prior knowledge"));
    QVERIFY(http->toolTip().contains(QStringLiteral("without negotiating")));
    QVERIFY(http->toolTip().contains(QStringLiteral("every attempt fails")));

    // Its row lines up with the other delivery rows.
    auto *timeout = field<QSpinBox>("timeoutSpin");
    QCOMPARE(http->mapTo(m_editor.get(), QPoint()).x(),
             timeout->mapTo(m_editor.get(), QPoint()).x());
    QLabel *label = nullptr;
    for (QLabel *candidate : m_editor->findChildren<QLabel *>()) {
        if (candidate->buddy() == http) {
            label = candidate;
            break;
        }
    }
    QVERIFY(label);
    QCOMPARE(label->text(), QStringLiteral("HTTP version:"));
    QVERIFY(label->isVisible());

    QSignalSpy dirty(m_editor.get(), &HookEditor::dirtyChanged);
    auto *save = field<QPushButton>("saveButton");
    auto *revert = field<QPushButton>("revertButton");
    QVERIFY(!save->isEnabled());

    // Down once: HTTP/1.1 only. Revert brings back what is stored.
    http->setFocus();
    QTest::keyClick(http, Qt::Key_Down);
    QCOMPARE(http->currentText(), QStringLiteral("HTTP/1.1 only"));
    QVERIFY(m_editor->isDirty());
    QCOMPARE(dirty.size(), 1);
    QCOMPARE(dirty.at(0).at(0).toBool(), true);
    QVERIFY(save->isEnabled());
    QVERIFY(revert->isEnabled());
    QCOMPARE(m_editor->formState().httpVersion, HttpVersion::Http1);
    QTest::mouseClick(revert, Qt::LeftButton);
    QVERIFY(!m_editor->isDirty());
    QCOMPARE(dirty.size(), 2);
    QCOMPARE(dirty.at(1).at(0).toBool(), false);
    QCOMPARE(http->currentText(), QStringLiteral("Automatic (HTTP/2 over TLS when offered)"));
    QCOMPARE(storedHook(id).httpVersion, HttpVersion::Auto);

    // Choosing the stored value again is no change.
    QTest::keyClick(http, Qt::Key_Down);
    QTest::keyClick(http, Qt::Key_Up);
    QVERIFY(!m_editor->isDirty());

    // End: HTTP/2 with prior knowledge, saved with the button.
    http->setFocus();
    QTest::keyClick(http, Qt::Key_End);
    QCOMPARE(http->currentText(), QStringLiteral("HTTP/2 with prior knowledge"));
    QVERIFY(m_editor->isDirty());
    QTest::mouseClick(save, Qt::LeftButton);
    QVERIFY(!m_editor->isDirty());
    QCOMPARE(dirty.constLast().at(0).toBool(), false);
    Webhook stored = storedHook(id);
    QCOMPARE(stored.httpVersion, HttpVersion::Http2);
    QCOMPARE(stored.url, QStringLiteral("https://example.com/hook")); // nothing else changed
    QVERIFY(stored.verifyTls);

    // A fresh page shows the stored choice; other hooks keep the default.
    m_editor->showNewHook();
    QCOMPARE(http->currentText(), QStringLiteral("Automatic (HTTP/2 over TLS when offered)"));
    m_editor->showHook(id);
    QCOMPARE(http->currentText(), QStringLiteral("HTTP/2 with prior knowledge"));
    QVERIFY(!m_editor->isDirty());

    // Back to HTTP/1.1 with Home and Down, saved with the button's shortcut.
    QTest::keyClick(http, Qt::Key_Home);
    QTest::keyClick(http, Qt::Key_Down);
    QVERIFY(m_editor->isDirty());
    QTest::keyClick(m_editor.get(), Qt::Key_S, Qt::AltModifier);
    QTRY_VERIFY(!m_editor->isDirty()); // a mnemonic clicks after a short animation
    QCOMPARE(storedHook(id).httpVersion, HttpVersion::Http1);
}

void TestHookEditor::deleteAsksFirstAndCancelKeepsTheHook()
{
    const qint64 id = addValidHook();
    m_editor->showHook(id);
    QSignalSpy deleted(m_editor.get(), &HookEditor::hookDeleted);
    auto *remove = field<QPushButton>("deleteButton");
    QVERIFY(remove->isEnabled());

    answerNextModal([this](QWidget *modal) { clickMessageBoxButton(modal, QMessageBox::Cancel); });
    QTest::mouseClick(remove, Qt::LeftButton);
    QVERIFY(m_lastModalText.contains(QStringLiteral("https://example.com/hook")));
    QCOMPARE(deleted.size(), 0);
    QCOMPARE(m_editor->hookId(), id);
    QCOMPARE(storedHook(id).id, id);

    answerNextModal([](QWidget *modal) {
        auto *box = qobject_cast<QMessageBox *>(modal);
        QVERIFY(box);
        for (QAbstractButton *button : box->buttons()) {
            if (box->buttonRole(button) == QMessageBox::DestructiveRole)
                QTest::mouseClick(button, Qt::LeftButton);
        }
    });
    QTest::mouseClick(remove, Qt::LeftButton);
    QCOMPARE(deleted.size(), 1);
    QCOMPARE(deleted.constFirst().constFirst().toLongLong(), id);
    QCOMPARE(m_editor->hookId(), 0);
    QVERIFY(!m_store->hook(id));
    QCOMPARE(storedHook(id).id, 0);
}

void TestHookEditor::dirtyFlagFollowsTheForm()
{
    const qint64 id = addValidHook();
    m_editor->showHook(id);
    QSignalSpy dirty(m_editor.get(), &HookEditor::dirtyChanged);
    QVERIFY(!m_editor->isDirty());
    QVERIFY(!field<QPushButton>("saveButton")->isEnabled());

    auto *url = field<QLineEdit>("urlEdit");
    url->setFocus();
    url->end(false);
    QTest::keyClick(url, Qt::Key_X);
    QVERIFY(m_editor->isDirty());
    QTest::keyClick(url, Qt::Key_Backspace);
    QVERIFY(!m_editor->isDirty()); // back to what is stored
    QCOMPARE(dirty.size(), 2);
    QCOMPARE(dirty.at(0).at(0).toBool(), true);
    QCOMPARE(dirty.at(1).at(0).toBool(), false);

    auto *payload = field<QCheckBox>("sendPayloadCheck");
    clickCheckBox(payload);
    QVERIFY(m_editor->isDirty());
    clickCheckBox(payload);
    QVERIFY(!m_editor->isDirty());

    // A scheme without a secret to sign with is unsaved and invalid.
    auto *scheme = field<QComboBox>("schemeCombo");
    scheme->setCurrentIndex(2);
    QVERIFY(m_editor->isDirty());
    scheme->setCurrentIndex(0);
    QVERIFY(!m_editor->isDirty());

    // Loading another hook starts clean.
    QTest::keyClick(url, Qt::Key_Y);
    QVERIFY(m_editor->isDirty());
    m_editor->showHook(id);
    QVERIFY(!m_editor->isDirty());
    QCOMPARE(dirty.constLast().constFirst().toBool(), false);
}

void TestHookEditor::confirmDiscardOrSave()
{
    const qint64 id = addValidHook();
    m_editor->showHook(id);
    QVERIFY(m_editor->confirmDiscardOrSave()); // clean: no question

    auto *description = field<QPlainTextEdit>("descriptionEdit");
    description->moveCursor(QTextCursor::End);
    QTest::keyClicks(description, QStringLiteral(" v2"));
    answerNextModal([this](QWidget *modal) { clickMessageBoxButton(modal, QMessageBox::Cancel); });
    QVERIFY(!m_editor->confirmDiscardOrSave());
    QVERIFY(m_lastModalText.contains(QStringLiteral("unsaved changes")));
    QVERIFY(m_editor->isDirty());

    answerNextModal([this](QWidget *modal) { clickMessageBoxButton(modal, QMessageBox::Discard); });
    QVERIFY(m_editor->confirmDiscardOrSave());
    QVERIFY(!m_editor->isDirty());
    QCOMPARE(description->toPlainText(), QStringLiteral("Training trigger"));

    description->moveCursor(QTextCursor::End);
    QTest::keyClicks(description, QStringLiteral(" v3"));
    answerNextModal([this](QWidget *modal) { clickMessageBoxButton(modal, QMessageBox::Save); });
    QVERIFY(m_editor->confirmDiscardOrSave());
    QCOMPARE(storedHook(id).description, QStringLiteral("Training trigger v3"));

    // An invalid form cannot be saved on the way out.
    typeInto(field<QLineEdit>("urlEdit"), QStringLiteral("not a url"));
    answerNextModal([this](QWidget *modal) { clickMessageBoxButton(modal, QMessageBox::Save); });
    QVERIFY(!m_editor->confirmDiscardOrSave());
    QVERIFY(m_editor->isDirty());
    QCOMPARE(storedHook(id).url, QStringLiteral("https://example.com/hook"));
}

void TestHookEditor::newEventTypesAppearAndChecksSurvive()
{
    QSignalSpy requested(m_editor.get(), &HookEditor::addEventTypeRequested);
    QTest::mouseClick(field<QPushButton>("addEventTypeButton"), Qt::LeftButton);
    QCOMPARE(requested.size(), 1);

    const qint64 id = addValidHook();
    m_editor->showHook(id);
    auto *eventsView = field<QTreeView>("eventsView");
    auto *events = qobject_cast<EventTreeModel *>(eventsView->model());
    clickCheckBox(eventsView, events->eventIndex(QStringLiteral("LABEL_LINK_CREATED")));
    QVERIFY(m_editor->isDirty());

    EventType trained;
    trained.key = QStringLiteral("MODEL_TRAINED");
    trained.name = QStringLiteral("Model trained");
    trained.payloadKey = QStringLiteral("model");
    QVERIFY(m_store->addEventType(trained));

    const QModelIndex index = events->eventIndex(QStringLiteral("MODEL_TRAINED"));
    QVERIFY(index.isValid());
    QVERIFY(eventsView->isExpanded(index.parent()));
    QVERIFY(m_editor->isDirty());
    QCOMPARE(events->checkedKeys(),
             (QStringList{QStringLiteral("TASKS_CREATED"), QStringLiteral("ANNOTATION_CREATED"),
                          QStringLiteral("LABEL_LINK_CREATED")}));
    clickCheckBox(eventsView, index);
    QVERIFY(m_editor->save());
    QVERIFY(storedHook(id).actions.contains(QStringLiteral("MODEL_TRAINED")));
}

void TestHookEditor::signingSecretGenerateRevealCopy()
{
    const qint64 id = addValidHook();
    m_editor->showHook(id);
    auto *secret = field<QLineEdit>("secretEdit");
    auto *generate = field<QPushButton>("generateSecretButton");
    QVERIFY(!secret->isEnabled()); // no scheme, nothing to sign with
    QVERIFY(!generate->isEnabled());

    auto *scheme = field<QComboBox>("schemeCombo");
    scheme->setCurrentIndex(scheme->findText(QStringLiteral("GitHub")));
    QVERIFY(secret->isEnabled());
    QTest::mouseClick(generate, Qt::LeftButton);
    QCOMPARE(secret->text().size(), 64);
    QCOMPARE(secret->echoMode(), QLineEdit::Password);

    scheme->setCurrentIndex(scheme->findText(QStringLiteral("Standard Webhooks")));
    // A GitHub secret is not a whsec_ one.
    QVERIFY(field<QLabel>("secretError")->text().contains(QStringLiteral("whsec_")));
    // Replacing a secret breaks receivers: Generate asks first, and Cancel keeps it.
    const QString github = secret->text();
    QString question;
    answerNextModal([&question](QWidget *modal) {
        question = qobject_cast<QMessageBox *>(modal)->text();
        qobject_cast<QMessageBox *>(modal)->reject();
    });
    QTest::mouseClick(generate, Qt::LeftButton);
    QVERIFY(question.contains(QStringLiteral("reject every request")));
    QCOMPARE(secret->text(), github);
    answerNextModal([](QWidget *modal) {
        modal->findChild<QPushButton *>(QStringLiteral("replaceSecretButton"))->click();
    });
    QTest::mouseClick(generate, Qt::LeftButton);
    const QString value = secret->text();
    QVERIFY(value.startsWith(QStringLiteral("whsec_")));
    QCOMPARE(QByteArray::fromBase64(value.mid(6).toLatin1()).size(), 24);
    QVERIFY(field<QLabel>("secretError")->text().isEmpty());

    // Show turns into Hide and back.
    auto *reveal = field<QPushButton>("revealSecretButton");
    QCOMPARE(reveal->text(), QStringLiteral("Show"));
    QTest::mouseClick(reveal, Qt::LeftButton);
    QCOMPARE(secret->echoMode(), QLineEdit::Normal);
    QCOMPARE(reveal->text(), QStringLiteral("Hide"));
    QTest::mouseClick(reveal, Qt::LeftButton);
    QCOMPARE(secret->echoMode(), QLineEdit::Password);
    QCOMPARE(reveal->text(), QStringLiteral("Show"));

    // Its label's mnemonic, and focus given to the field, land in the line edit.
    QApplication::setActiveWindow(m_editor.get());
    QVERIFY(QTest::qWaitForWindowActive(m_editor.get()));
    field<QWidget>("urlEdit")->setFocus();
    QTRY_VERIFY(field<QWidget>("urlEdit")->hasFocus());
    QTest::keyClick(m_editor.get(), Qt::Key_T, Qt::AltModifier);
    QTRY_COMPARE(QApplication::focusWidget(), static_cast<QWidget *>(secret));
    field<QWidget>("urlEdit")->setFocus();
    field<QWidget>("secretField")->setFocus();
    QTRY_COMPARE(QApplication::focusWidget(), static_cast<QWidget *>(secret));
    // Wide enough for a Standard Webhooks secret's bullets.
    QVERIFY2(secret->width() >= secret->fontMetrics().horizontalAdvance(QChar(0x25CF)) * 38,
             qPrintable(QString::number(secret->width())));

    QTest::mouseClick(field<QPushButton>("copySecretButton"), Qt::LeftButton);
    QCOMPARE(QApplication::clipboard()->text(), value);

    QVERIFY(m_editor->save());
    QCOMPARE(storedHook(id).secret, value);
    // Showing a hook again masks its secret.
    QTest::mouseClick(reveal, Qt::LeftButton);
    m_editor->showHook(id);
    QCOMPARE(secret->echoMode(), QLineEdit::Password);
}

void TestHookEditor::mnemonicsAreUniqueAndLabelsHaveBuddies()
{
    auto mnemonic = [](const QString &text) {
        for (qsizetype i = 0; i + 1 < text.size(); ++i) {
            if (text.at(i) == QLatin1Char('&')) {
                if (text.at(i + 1) != QLatin1Char('&'))
                    return text.at(i + 1).toLower();
                ++i;
            }
        }
        return QChar();
    };
    QHash<QChar, QString> seen;
    QStringList texts;
    for (const QAbstractButton *button : m_editor->findChildren<QAbstractButton *>())
        texts.append(button->text());
    for (const QLabel *label : m_editor->findChildren<QLabel *>()) {
        if (label->text().contains(QLatin1Char('&'))) {
            QVERIFY2(label->buddy(), qPrintable(label->text()));
            texts.append(label->text());
        }
    }
    for (const QString &text : std::as_const(texts)) {
        const QChar key = mnemonic(text);
        if (key.isNull())
            continue;
        QVERIFY2(!seen.contains(key), qPrintable(seen.value(key) + QStringLiteral(" / ") + text));
        seen.insert(key, text);
    }
    QVERIFY(seen.size() >= 10);
}

void TestHookEditor::errorsWaitUntilTheUserLeavesTheField()
{
    const qint64 id = addValidHook();
    m_editor->showHook(id);
    auto *url = field<QLineEdit>("urlEdit");
    auto *error = field<QLabel>("urlError");
    // Typing a URL for the first time: no error while the user types it.
    typeInto(url, QStringLiteral("https:"));
    QVERIFY(error->isHidden() || error->text().isEmpty());
    QVERIFY(url->styleSheet().isEmpty());
    QVERIFY(!field<QPushButton>("saveButton")->isEnabled()); // but Save knows
    // Leaving it shows what is wrong.
    field<QWidget>("descriptionEdit")->setFocus();
    QTRY_VERIFY(!error->text().isEmpty());
    QVERIFY(!error->isHidden());
    const int spaceWithMessage = error->height();
    // Back in it, the message follows each keystroke, and its room stays:
    // the page does not jump as it comes and goes.
    const int descriptionTop =
        field<QWidget>("descriptionEdit")->mapTo(m_editor.get(), QPoint()).y();
    url->setFocus();
    QTest::keyClicks(url, QStringLiteral("//example.com/hook"));
    QTRY_VERIFY(error->text().isEmpty());
    QVERIFY(!error->isHidden());
    QVERIFY(error->height() > 0 && error->height() <= spaceWithMessage);
    QCOMPARE(field<QWidget>("descriptionEdit")->mapTo(m_editor.get(), QPoint()).y(),
             descriptionTop);

    // A new, empty header row is not red before anything is typed in it.
    auto *headersView = field<QTableView>("headersView");
    QTest::mouseClick(field<QPushButton>("addHeaderButton"), Qt::LeftButton);
    const int newRow = headersView->model()->rowCount() - 1;
    QVERIFY(headersView->model()
                ->index(newRow, HeaderTableModel::Name)
                .data(HeaderTableModel::ErrorRole)
                .toString()
                .isEmpty());
    QVERIFY(field<QLabel>("headersError")->text().isEmpty());
    // Saving shows every error at once.
    QVERIFY(!m_editor->save());
    QVERIFY(!field<QLabel>("headersError")->text().isEmpty());
    QVERIFY(!headersView->model()
                 ->index(newRow, HeaderTableModel::Name)
                 .data(HeaderTableModel::ErrorRole)
                 .toString()
                 .isEmpty());
}

void TestHookEditor::credentialHeadersAreSecretByDefault()
{
    // A stored hook keeps what it has, and the editor suggests the change.
    Webhook hook;
    hook.url = QStringLiteral("https://example.com/hook");
    hook.headers = {{QStringLiteral("X-Api-Key"), QStringLiteral("k-123"), false},
                    {QStringLiteral("X-Team"), QStringLiteral("vision"), false}};
    const Result<Webhook> saved = m_store->saveHook(hook);
    QVERIFY(saved);
    m_editor->showHook(saved->id);
    auto *suggestion = field<QLabel>("secretHeaderSuggestion");
    QVERIFY(!suggestion->isHidden());
    QVERIFY(suggestion->text().contains(QStringLiteral("X-Api-Key")));
    QVERIFY(!suggestion->text().contains(QStringLiteral("X-Team")));
    QVERIFY(!m_editor->isDirty());
    auto *headersView = field<QTableView>("headersView");
    QAbstractItemModel *headers = headersView->model();
    QVERIFY(headers->index(0, HeaderTableModel::Secret)
                .data(Qt::ToolTipRole)
                .toString()
                .contains(QStringLiteral("looks like a credential")));
    clickCheckBox(headersView, headers->index(0, HeaderTableModel::Secret));
    QVERIFY(suggestion->isHidden());

    // New rows: each credential name is secret, others are not, and a
    // row the user unticked stays unticked when its name changes.
    const QStringList names{QStringLiteral("Authorization"), QStringLiteral("Proxy-Authorization"),
                            QStringLiteral("Cookie"),        QStringLiteral("X-Api-Key"),
                            QStringLiteral("X-Auth-Token"),  QStringLiteral("Client-Secret"),
                            QStringLiteral("X-Password"),    QStringLiteral("X-Request-Id")};
    for (const QString &name : names) {
        const int row = headers->rowCount();
        QVERIFY(headers->insertRows(row, 1));
        QVERIFY(headers->setData(headers->index(row, HeaderTableModel::Name), name));
        const bool expected = name != QLatin1String("X-Request-Id");
        QVERIFY2(headers->index(row, HeaderTableModel::Secret).data(Qt::CheckStateRole).toInt() ==
                     (expected ? int(Qt::Checked) : int(Qt::Unchecked)),
                 qPrintable(name));
    }
    const int row = headers->rowCount() - 2; // X-Password
    QVERIFY(headers->setData(headers->index(row, HeaderTableModel::Secret), Qt::Unchecked,
                             Qt::CheckStateRole));
    QVERIFY(headers->setData(headers->index(row, HeaderTableModel::Name),
                             QStringLiteral("X-Api-Token")));
    QCOMPARE(headers->index(row, HeaderTableModel::Secret).data(Qt::CheckStateRole).toInt(),
             int(Qt::Unchecked));
}

QTEST_MAIN(TestHookEditor)
#include "tst_hook_editor.moc"
