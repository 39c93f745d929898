#include "hook_editor.h"
#include "hook_list_view.h"
#include "items/event_tree_model.h"
#include "main_window.h"
#include "payload_preview.h"
#include "store/database.h"
#include "store/hook_store.h"

#include <QCheckBox>
#include <QComboBox>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QScreen>
#include <QScrollArea>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>
#include <QTreeView>
#include <memory>

// Issue 13, Hook management: "A preview of each event's sample payload in
// the editor". The real window at its default size, offscreen.
class TestPayloadPreview : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void collapsedAtFirstAndRemembered();
    void selectedEventShowsItsBodyAsThisHookSendsIt();
    void sendPayloadOffLeavesOnlyTheAction();
    void secretsAreMasked();
    void everyEventOfAHookSendingAll();
    void aLongUrlDoesNotWidenTheWindow();

private:
    void openPreview();
    QModelIndex eventIndex(const QString &key, int column) const;
    QJsonObject shownBody() const;
    PayloadPreview *preview() const { return m_window->editor()->payloadPreview(); }

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Database> m_database;
    std::unique_ptr<HookStore> m_hooks;
    std::unique_ptr<MainWindow> m_window;
    qint64 m_hookId = 0;
    qint64 m_allId = 0;
};

void TestPayloadPreview::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QSettings(QStringLiteral("webhook-admin"), QStringLiteral("webhook-admin")).clear();
}

void TestPayloadPreview::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_database = std::make_unique<Database>();
    QVERIFY(!m_database->open(m_dir->filePath(QStringLiteral("preview.sqlite"))));
    m_hooks = std::make_unique<HookStore>(m_database.get());
    const Result<Project> project = m_hooks->addProject(QStringLiteral("Street scenes"));
    QVERIFY(project);

    Webhook hook;
    hook.url = QStringLiteral("https://ml.example.com/train?token=abc123&run=7");
    hook.projectId = project->id;
    hook.sendForAllActions = false;
    hook.actions = {QStringLiteral("TASKS_CREATED"), QStringLiteral("ANNOTATION_CREATED")};
    hook.headers = {{QStringLiteral("Authorization"), QStringLiteral("Bearer s3cr3t-value"), true},
                    {QStringLiteral("X-Team"), QStringLiteral("vision"), false}};
    hook.secret = QStringLiteral("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
    hook.signature = SignatureScheme::Standard;
    Result<Webhook> saved = m_hooks->saveHook(hook);
    QVERIFY(saved);
    m_hookId = saved->id;
    Webhook all;
    all.url = QStringLiteral("https://all.example.com/hook");
    saved = m_hooks->saveHook(all);
    QVERIFY(saved);
    m_allId = saved->id;

    m_window = std::make_unique<MainWindow>(m_hooks.get(), m_database->path());
    m_window->resize(MainWindow::DefaultWidth, MainWindow::DefaultHeight);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    auto *list = m_window->findChild<HookListView *>(QStringLiteral("hookList"));
    QVERIFY(list->selectHook(m_hookId));
    QCOMPARE(m_window->editor()->hookId(), m_hookId);
}

void TestPayloadPreview::cleanup()
{
    m_window.reset();
    m_hooks.reset();
    m_database.reset();
    m_dir.reset();
    QSettings(QStringLiteral("webhook-admin"), QStringLiteral("webhook-admin")).clear();
}

void TestPayloadPreview::openPreview()
{
    QToolButton *toggle = m_window->editor()->payloadPreviewToggle();
    QVERIFY(toggle->isVisible());
    if (!toggle->isChecked())
        QTest::mouseClick(toggle, Qt::LeftButton);
    QVERIFY(preview()->isVisible());
}

QModelIndex TestPayloadPreview::eventIndex(const QString &key, int column) const
{
    auto *tree = m_window->editor()->findChild<QTreeView *>(QStringLiteral("eventsView"));
    const QModelIndexList found =
        tree->model()->match(tree->model()->index(0, 0), EventTreeModel::EventKeyRole, key, 1,
                             Qt::MatchExactly | Qt::MatchRecursive);
    return found.isEmpty() ? QModelIndex() : found.first().siblingAtColumn(column);
}

QJsonObject TestPayloadPreview::shownBody() const
{
    QJsonParseError error{};
    const QJsonDocument document =
        QJsonDocument::fromJson(preview()->bodyView()->toPlainText().toUtf8(), &error);
    return error.error == QJsonParseError::NoError ? document.object() : QJsonObject();
}

void TestPayloadPreview::collapsedAtFirstAndRemembered()
{
    QToolButton *toggle = m_window->editor()->payloadPreviewToggle();
    QVERIFY(toggle->isVisible());
    QVERIFY(!toggle->isChecked());
    QVERIFY(!preview()->isVisible());
    // The toggle shows at the default size, in the editor's viewport.
    auto *scroll =
        m_window->editor()->findChild<QScrollArea *>(QStringLiteral("settingsScrollArea"));
    QVERIFY(scroll);
    const QRect viewport(scroll->viewport()->mapTo(m_window.get(), QPoint()),
                         scroll->viewport()->size());
    QVERIFY(viewport.contains(QRect(toggle->mapTo(m_window.get(), QPoint()), toggle->size())));
    // Opening it moves nothing above it on the page (the URL, the tree), and
    // scrolls it into view.
    QWidget *page = scroll->widget();
    toggle->setFocus();
    QTest::qWait(50); // the page's last layout pass
    auto *url = m_window->editor()->findChild<QLineEdit *>(QStringLiteral("urlEdit"));
    auto *tree = m_window->editor()->findChild<QTreeView *>(QStringLiteral("eventsView"));
    const QPoint urlAt = url->mapTo(page, QPoint());
    const QPoint treeAt = tree->mapTo(page, QPoint());
    const int width = m_window->width();
    QTest::keyClick(toggle, Qt::Key_Space);
    QTest::qWait(50);
    QVERIFY(preview()->isVisible());
    QCOMPARE(url->mapTo(page, QPoint()), urlAt);
    QCOMPARE(tree->mapTo(page, QPoint()), treeAt);
    QCOMPARE(m_window->width(), width);
    QTRY_VERIFY(viewport.intersects(
        QRect(preview()->bodyView()->mapTo(m_window.get(), QPoint()), QSize(10, 10))));
    QVERIFY(QSettings(QStringLiteral("webhook-admin"), QStringLiteral("webhook-admin"))
                .value(QStringLiteral("hookEditor/payloadPreview"))
                .toBool());
    // A new window opens it again.
    m_window.reset();
    m_window = std::make_unique<MainWindow>(m_hooks.get(), m_database->path());
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    QVERIFY(m_window->findChild<HookListView *>(QStringLiteral("hookList"))->selectHook(m_hookId));
    QVERIFY(m_window->editor()->payloadPreviewToggle()->isChecked());
    QVERIFY(preview()->isVisible());
    QTest::mouseClick(m_window->editor()->payloadPreviewToggle(), Qt::LeftButton);
    QVERIFY(!preview()->isVisible());
}

void TestPayloadPreview::selectedEventShowsItsBodyAsThisHookSendsIt()
{
    openPreview();
    // Only the events this hook sends, in catalog order.
    QComboBox *events = preview()->eventCombo();
    QCOMPARE(events->count(), 2);
    QCOMPARE(events->itemData(0).toString(), QStringLiteral("TASKS_CREATED"));
    QCOMPARE(events->itemData(1).toString(), QStringLiteral("ANNOTATION_CREATED"));
    QCOMPARE(shownBody().value(QStringLiteral("action")).toString(),
             QStringLiteral("TASKS_CREATED"));

    // A click on an event in the tree shows that event.
    auto *tree = m_window->editor()->findChild<QTreeView *>(QStringLiteral("eventsView"));
    const QModelIndex annotation =
        eventIndex(QStringLiteral("ANNOTATION_CREATED"), EventTreeModel::Key);
    QVERIFY(annotation.isValid());
    tree->scrollTo(annotation);
    QTest::mouseClick(tree->viewport(), Qt::LeftButton, {}, tree->visualRect(annotation).center());
    QCOMPARE(preview()->currentEvent(), QStringLiteral("ANNOTATION_CREATED"));
    const QJsonObject body = shownBody();
    QCOMPARE(body.value(QStringLiteral("action")).toString(), QStringLiteral("ANNOTATION_CREATED"));
    QVERIFY(body.value(QStringLiteral("annotation")).isObject());
    QVERIFY(body.value(QStringLiteral("task")).isObject());
    // The hook's project, by its title.
    QCOMPARE(
        body.value(QStringLiteral("project")).toObject().value(QStringLiteral("title")).toString(),
        QStringLiteral("Street scenes"));
    // Read-only, and not dirtying the hook.
    QVERIFY(preview()->bodyView()->isReadOnly());
    QVERIFY(!m_window->editor()->isDirty());
}

void TestPayloadPreview::sendPayloadOffLeavesOnlyTheAction()
{
    openPreview();
    preview()->selectEvent(QStringLiteral("ANNOTATION_CREATED"));
    auto *sendPayload =
        m_window->editor()->findChild<QCheckBox *>(QStringLiteral("sendPayloadCheck"));
    QVERIFY(sendPayload->isChecked());
    QTest::mouseClick(sendPayload, Qt::LeftButton);
    QVERIFY(!sendPayload->isChecked());
    QCOMPARE(shownBody(),
             QJsonObject({{QStringLiteral("action"), QStringLiteral("ANNOTATION_CREATED")}}));
    QCOMPARE(preview()->findChild<QLabel *>(QStringLiteral("previewNote"))->text(),
             QStringLiteral("Send payload is off: the body holds only the action."));
    QTest::mouseClick(sendPayload, Qt::LeftButton);
    QVERIFY(shownBody().contains(QStringLiteral("annotation")));
}

void TestPayloadPreview::secretsAreMasked()
{
    openPreview();
    const QString request = preview()->requestText();
    QVERIFY2(request.startsWith(QLatin1String("POST https://ml.example.com/train?token=")),
             qPrintable(request));
    QVERIFY2(!request.contains(QLatin1String("abc123")), qPrintable(request));
    QVERIFY2(!request.contains(QLatin1String("s3cr3t")), qPrintable(request));
    QVERIFY2(!request.contains(QLatin1String("MfKQ9r8")), qPrintable(request));
    QVERIFY2(request.contains(QLatin1String("Authorization: ")), qPrintable(request));
    QVERIFY2(request.contains(QLatin1String("X-Team: vision")), qPrintable(request));
    QVERIFY2(request.contains(QLatin1String("webhook-signature: v1,")), qPrintable(request));
    // Nothing anywhere in the pane shows them.
    for (QLabel *label : preview()->findChildren<QLabel *>()) {
        QVERIFY(!label->text().contains(QLatin1String("s3cr3t")));
        QVERIFY(!label->toolTip().contains(QLatin1String("s3cr3t")));
        QVERIFY(!label->toolTip().contains(QLatin1String("abc123")));
    }
    QVERIFY(!preview()->bodyView()->toPlainText().contains(QLatin1String("s3cr3t")));
}

void TestPayloadPreview::everyEventOfAHookSendingAll()
{
    auto *list = m_window->findChild<HookListView *>(QStringLiteral("hookList"));
    QVERIFY(list->selectHook(m_allId));
    openPreview();
    // The tree is disabled (Send for all actions); the preview's own list has every event.
    auto *tree = m_window->editor()->findChild<QTreeView *>(QStringLiteral("eventsView"));
    QVERIFY(!tree->isEnabled());
    QComboBox *events = preview()->eventCombo();
    QVERIFY(events->count() >= 12);
    QCOMPARE(events->findData(QStringLiteral("PING")), -1);
    events->setCurrentIndex(events->findData(QStringLiteral("PROJECT_DELETED")));
    QCOMPARE(shownBody().value(QStringLiteral("project")).toObject(),
             QJsonObject({{QStringLiteral("id"), 1}}));
    QVERIFY(preview()->requestText().startsWith(QLatin1String("POST https://all.example.com/hook\n"
                                                              "Content-Type: application/json")));
}

void TestPayloadPreview::aLongUrlDoesNotWidenTheWindow()
{
    openPreview();
    const int width = m_window->width();
    // 1,965 characters with no break point, as issue 13's first defect had.
    QString longUrl = QStringLiteral("https://ml.example.com?a=1");
    for (int i = 0; longUrl.size() < 1965; ++i)
        longUrl += QStringLiteral("&b%1=%1").arg(i);
    auto *url = m_window->editor()->findChild<QLineEdit *>(QStringLiteral("urlEdit"));
    url->selectAll();
    url->insert(longUrl);
    QVERIFY(preview()->requestText().contains(longUrl.left(200)));
    QTest::qWait(50);
    QCOMPARE(m_window->width(), width);
    QVERIFY(preview()->width() < m_window->width());
    QVERIFY(m_window->frameGeometry().width() <= m_window->screen()->availableGeometry().width());
}

QTEST_MAIN(TestPayloadPreview)
#include "tst_payload_preview.moc"
