#include "main_window.h"

#include "app_settings.h"
#include "delivery/delivery_store.h"
#include "delivery/engine_host.h"
#include "delivery/signature.h"
#include "delivery_log_pane.h"
#include "domain/secret_mask.h"
#include "domain/webhook_validator.h"
#include "empty_state.h"
#include "event_type_dialog.h"
#include "event_types_dialog.h"
#include "general_preferences_page.h"
#include "hook_editor.h"
#include "hook_list_view.h"
#include "inbox_pane.h"
#include "io/label_studio_json.h"
#include "items/hook_filter_model.h"
#include "items/hook_list_model.h"
#include "listener_preferences_page.h"
#include "message_banner.h"
#include "open_database_dialog.h"
#include "preferences_dialog.h"
#include "projects_dialog.h"
#include "screen_fit.h"
#include "store/hook_store.h"
#include "store/store_writer.h"
#include "test_send_dialog.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QCloseEvent>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QSplitter>
#include <QStackedWidget>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTabBar>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>
#include <QUrl>
#include <QVBoxLayout>
#include <algorithm>
#include <utility>

namespace {

// A stacked widget is as large as its largest page; hidden pages are made to
// ask for no room, so an empty state or placeholder never holds the window
// (or the editor's share of it) bigger than the page on show needs.
void showPage(QStackedWidget *stack, QWidget *page)
{
    const char *saved = "webhookAdminSizePolicy";
    for (int i = 0; i < stack->count(); ++i) {
        QWidget *each = stack->widget(i);
        if (!each->property(saved).isValid())
            each->setProperty(saved, QVariant::fromValue(each->sizePolicy()));
        each->setSizePolicy(each == page ? each->property(saved).value<QSizePolicy>()
                                         : QSizePolicy(QSizePolicy::Ignored, QSizePolicy::Ignored));
    }
    stack->setCurrentWidget(page);
}

} // namespace

MainWindow::MainWindow(HookStore *store, const QString &databasePath, QWidget *parent)
    : QMainWindow(parent)
    , m_store(store)
    , m_databasePath(databasePath)
    // The hooks are read in the background (90 ms with 10,000 of them), so
    // the window and its log paint first.
    , m_model(databasePath.isEmpty() ? new HookListModel(store, this)
                                     : new HookListModel(store, databasePath, this))
    , m_filter(new HookFilterModel(this))
{
    setObjectName(QStringLiteral("mainWindow"));
    setWindowIcon(QIcon(QStringLiteral(":/icons/webhook-admin.svg")));
    // Rows removed by a reload (a hook deleted elsewhere) move the list's
    // current row: not the user's pick, reconcile() decides what to show.
    // Connected before the filter and the view are, so it comes first.
    connect(m_model, &QAbstractItemModel::rowsAboutToBeRemoved, this,
            [this] { m_syncingSelection = true; });
    connect(m_model, &QAbstractItemModel::rowsRemoved, this,
            [this] { m_syncingSelection = false; });
    m_filter->setSourceModel(m_model);

    createCentralArea();
    createActions();
    createMenus();

    //: %1 is the database file name; [*] marks unsaved changes (keep it)
    setWindowTitle(tr("Webhook Admin — %1[*]")
                       .arg(OpenDatabaseDialog::isServerUrl(databasePath)
                                ? OpenDatabaseDialog::displayLocation(databasePath)
                                : QFileInfo(databasePath).fileName()));

    connect(m_list->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &MainWindow::onSelectionChanged);
    connect(m_editor, &HookEditor::dirtyChanged, this, [this](bool dirty) {
        setWindowModified(dirty);
        updateActions();
    });
    connect(m_editor, &HookEditor::hookSaved, this, &MainWindow::onHookSaved);
    connect(m_editor, &HookEditor::writingChanged, this, &MainWindow::updateActions);
    connect(m_editor, &HookEditor::hookDeleted, this, [this] {
        m_deletedHere = true;
        scheduleReconcile();
    });
    connect(m_editor, &HookEditor::addEventTypeRequested, this, &MainWindow::addEventType);
    // The model is connected first, so it has reloaded when this runs.
    connect(m_store, &HookStore::hooksChanged, this, &MainWindow::scheduleReconcile);
    connect(m_store, &HookStore::projectsChanged, this, &MainWindow::scheduleReconcile);
    connect(m_model, &HookListModel::loadFailed, this, [this](const QString &message) {
        statusBar()->showMessage(tr("Could not read the webhooks: %1").arg(message));
    });
    connect(m_model, &HookListModel::writeFailed, this, [this](const QString &message) {
        QMessageBox::warning(this, tr("Webhook Not Changed"), message);
    });
    connect(m_model, &QAbstractItemModel::rowsInserted, this, &MainWindow::updatePanes);
    connect(m_model, &HookListModel::loadingChanged, this, &MainWindow::updatePanes);
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, &MainWindow::updatePanes);
    connect(m_filter, &QAbstractItemModel::rowsInserted, this, &MainWindow::updatePanes);
    connect(m_filter, &QAbstractItemModel::rowsRemoved, this, &MainWindow::updatePanes);
    connect(m_filter, &QAbstractItemModel::modelReset, this, &MainWindow::updatePanes);

    // Another process (the command line, a second window) may change the file.
    m_pollTimer = new QTimer(this);
    m_pollTimer->setInterval(ExternalChangePollMs);
    connect(m_pollTimer, &QTimer::timeout, m_store, &HookStore::checkExternalChanges);
    m_pollTimer->start();

    GeneralPreferencesPage::applyStoredDefaults();
    restoreSettings();
    updatePanes();
    if (m_model->isLoading()) {
        connect(
            m_model, &HookListModel::loadingChanged, this, [this] { restoreSelectedHook(); },
            Qt::SingleShotConnection);
    } else {
        restoreSelectedHook();
    }
    updateActions();
}

MainWindow::~MainWindow()
{
    if (!m_settingsSaved)
        saveSettings();
}

void MainWindow::createCentralArea()
{
    m_search = new QLineEdit;
    m_search->setObjectName(QStringLiteral("hookSearch"));
    m_search->setPlaceholderText(tr("Search URL or description"));
    m_search->setClearButtonEnabled(true);
    m_search->setAccessibleName(tr("Search webhooks"));
    const QIcon findIcon = QIcon::fromTheme(QStringLiteral("edit-find"));
    if (!findIcon.isNull())
        m_search->addAction(findIcon, QLineEdit::LeadingPosition);
    connect(m_search, &QLineEdit::textChanged, this, &MainWindow::applySearch);

    m_list = new HookListView;
    m_list->setObjectName(QStringLiteral("hookList"));
    m_list->setAccessibleName(tr("Webhooks"));
    m_list->setModel(m_filter);

    m_addButton = new QPushButton(tr("Add webhook"));
    m_addButton->setObjectName(QStringLiteral("addHookButton"));
    m_addButton->setIcon(QIcon::fromTheme(QStringLiteral("list-add")));
    m_addButton->setToolTip(tr("Add a new webhook (Ctrl+N)"));
    connect(m_addButton, &QPushButton::clicked, this, &MainWindow::newHook);

    m_sendTestButton = new QPushButton(tr("Send Test…"));
    m_sendTestButton->setObjectName(QStringLiteral("sendTestButton"));
    m_sendTestButton->setIcon(QIcon::fromTheme(QStringLiteral("mail-send")));
    connect(m_sendTestButton, &QPushButton::clicked, this, &MainWindow::sendTest);

    m_countLabel = new QLabel;
    m_countLabel->setObjectName(QStringLiteral("hookCount"));
    m_countLabel->setForegroundRole(QPalette::PlaceholderText);

    auto *left = new QWidget;
    auto *leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addWidget(m_search);
    leftLayout->addWidget(m_list, 1);
    auto *buttonRow = new QHBoxLayout;
    buttonRow->addWidget(m_addButton);
    buttonRow->addWidget(m_sendTestButton);
    buttonRow->addStretch();
    buttonRow->addWidget(m_countLabel);
    leftLayout->addLayout(buttonRow);

    auto *placeholderLabel = new QLabel(tr("Select a webhook or add one."));
    placeholderLabel->setAlignment(Qt::AlignCenter);
    placeholderLabel->setForegroundRole(QPalette::PlaceholderText);
    placeholderLabel->setWordWrap(true);
    m_placeholder = placeholderLabel;
    m_placeholder->setObjectName(QStringLiteral("selectPlaceholder"));

    m_editor = new HookEditor(m_store);
    m_editor->setObjectName(QStringLiteral("hookEditor"));

    m_rightStack = new QStackedWidget;
    m_rightStack->setObjectName(QStringLiteral("rightStack"));
    m_rightStack->addWidget(m_placeholder);
    m_rightStack->addWidget(m_editor);

    m_splitter = new QSplitter(Qt::Horizontal);
    m_splitter->setObjectName(QStringLiteral("hookSplitter"));
    m_splitter->addWidget(left);
    m_splitter->addWidget(m_rightStack);
    m_splitter->setChildrenCollapsible(false);
    // A wider window mostly widens the list, whose URLs want it; the
    // editor's fields are usable at its minimum.
    m_splitter->setStretchFactor(0, 3);
    m_splitter->setStretchFactor(1, 1);

    m_emptyState = new EmptyState;
    m_emptyState->setObjectName(QStringLiteral("emptyState"));
    connect(m_emptyState, &EmptyState::addRequested, this, &MainWindow::newHook);

    m_centralStack = new QStackedWidget;
    m_centralStack->setObjectName(QStringLiteral("centralStack"));
    m_centralStack->addWidget(m_emptyState);
    m_centralStack->addWidget(m_splitter);

    // Only the top part for now; setBottomWidget() adds the pane below.
    m_verticalSplitter = new QSplitter(Qt::Vertical);
    m_verticalSplitter->setObjectName(QStringLiteral("verticalSplitter"));
    m_verticalSplitter->addWidget(m_centralStack);
    m_verticalSplitter->setChildrenCollapsible(false);
    auto *central = new QWidget;
    auto *centralLayout = new QVBoxLayout(central);
    // Thin margins above and below: the default size has no line to spare.
    centralLayout->setContentsMargins(6, 4, 6, 2);
    // Problems that need no answer (the engine cannot write) show here.
    m_banner = new MessageBanner;
    centralLayout->addWidget(m_banner);
    centralLayout->addWidget(m_verticalSplitter);
    setCentralWidget(central);

    setTabOrder(m_search, m_list);
    setTabOrder(m_list, m_addButton);

    m_writeStatus = new QLabel(this);
    m_writeStatus->setObjectName(QStringLiteral("writeStatusLabel"));
    m_writeStatus->hide();
    statusBar()->addPermanentWidget(m_writeStatus);

    m_listenerLabel = new QLabel(this);
    m_listenerLabel->setObjectName(QStringLiteral("listenerLabel"));
    statusBar()->addPermanentWidget(m_listenerLabel);
    showListenerUrl({});
}

void MainWindow::showListenerUrl(const QString &url)
{
    //: %1 is the listener's URL, e.g. http://127.0.0.1:8484
    m_listenerLabel->setText(url.isEmpty() ? QString() : tr("Listening on %1").arg(url));
    m_listenerLabel->setVisible(!url.isEmpty());
    // Hooks reach the inbox over loopback whatever address the listener binds.
    const int port = QUrl(url).port();
    m_editor->setLocalInboxBase(
        url.isEmpty() || port <= 0 ? QString() : QStringLiteral("http://127.0.0.1:%1").arg(port));
}

void MainWindow::createActions()
{
    m_newAction =
        new QAction(QIcon::fromTheme(QStringLiteral("document-new")), tr("&New Webhook"), this);
    m_newAction->setShortcut(QKeySequence::New);
    m_newAction->setStatusTip(tr("Add a new webhook"));
    connect(m_newAction, &QAction::triggered, this, &MainWindow::newHook);

    m_duplicateAction =
        new QAction(QIcon::fromTheme(QStringLiteral("edit-copy")), tr("D&uplicate Webhook"), this);
    m_duplicateAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_D));
    m_duplicateAction->setStatusTip(
        tr("Open a copy of this webhook, with its settings and headers, as a new webhook"));
    connect(m_duplicateAction, &QAction::triggered, this, &MainWindow::duplicateHook);

    m_activateSelectedAction = new QAction(tr("Acti&vate Selected"), this);
    m_activateSelectedAction->setStatusTip(tr("Switch every selected webhook on"));
    connect(m_activateSelectedAction, &QAction::triggered, this,
            [this] { setSelectedHooksActive(true); });
    m_deactivateSelectedAction = new QAction(tr("Deact&ivate Selected"), this);
    m_deactivateSelectedAction->setStatusTip(
        tr("Switch every selected webhook off; they keep their settings"));
    connect(m_deactivateSelectedAction, &QAction::triggered, this,
            [this] { setSelectedHooksActive(false); });

    m_saveAction =
        new QAction(QIcon::fromTheme(QStringLiteral("document-save")), tr("&Save"), this);
    m_saveAction->setShortcut(QKeySequence::Save);
    m_saveAction->setStatusTip(tr("Save the changes to this webhook"));
    connect(m_saveAction, &QAction::triggered, m_editor, &HookEditor::save);

    m_revertAction = new QAction(QIcon::fromTheme(QStringLiteral("document-revert")),
                                 tr("&Revert Changes"), this);
    m_revertAction->setStatusTip(tr("Discard the unsaved changes to this webhook"));
    connect(m_revertAction, &QAction::triggered, m_editor, &HookEditor::revert);

    m_deleteAction =
        new QAction(QIcon::fromTheme(QStringLiteral("edit-delete")), tr("&Delete Webhook…"), this);
    m_deleteAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_D));
    m_deleteAction->setStatusTip(tr("Delete this webhook"));
    connect(m_deleteAction, &QAction::triggered, this, &MainWindow::deleteCurrentHook);

    // Delete deletes only where it cannot mean "delete a character".
    m_listDeleteAction = new QAction(tr("Delete Webhook…"), m_list);
    m_listDeleteAction->setShortcut(QKeySequence::Delete);
    m_listDeleteAction->setShortcutContext(Qt::WidgetShortcut);
    connect(m_listDeleteAction, &QAction::triggered, this, &MainWindow::deleteSelectedHooks);
    m_list->addAction(m_listDeleteAction);

    m_quitAction =
        new QAction(QIcon::fromTheme(QStringLiteral("application-exit")), tr("&Quit"), this);
    m_quitAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Q));
    m_quitAction->setMenuRole(QAction::QuitRole);
    connect(m_quitAction, &QAction::triggered, this, &QWidget::close);

    m_findAction = new QAction(QIcon::fromTheme(QStringLiteral("edit-find")), tr("&Find…"), this);
    m_findAction->setShortcut(QKeySequence::Find);
    m_findAction->setStatusTip(tr("Search the webhooks by URL or description"));
    connect(m_findAction, &QAction::triggered, this, &MainWindow::focusSearch);

    m_addEventTypeAction = new QAction(tr("&Add Custom Event Type…"), this);
    m_addEventTypeAction->setStatusTip(tr("Define an event type of your own"));
    connect(m_addEventTypeAction, &QAction::triggered, this, &MainWindow::addEventType);

    m_projectsAction = new QAction(tr("Pro&jects…"), this);
    m_projectsAction->setObjectName(QStringLiteral("projectsAction"));
    m_projectsAction->setStatusTip(
        tr("Add, rename and delete the projects webhooks are scoped to"));
    connect(m_projectsAction, &QAction::triggered, this, &MainWindow::showProjects);
    m_eventTypesAction = new QAction(tr("&Event Types…"), this);
    m_eventTypesAction->setObjectName(QStringLiteral("eventTypesAction"));
    m_eventTypesAction->setStatusTip(tr("See every event type; edit and delete custom ones"));
    connect(m_eventTypesAction, &QAction::triggered, this, &MainWindow::showEventTypes);

    m_sendTestAction =
        new QAction(QIcon::fromTheme(QStringLiteral("mail-send")), tr("Send &Test…"), this);
    m_sendTestAction->setObjectName(QStringLiteral("sendTestAction"));
    m_sendTestAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_T));
    m_sendTestAction->setStatusTip(tr("Send an event with an editable payload to this webhook"));
    connect(m_sendTestAction, &QAction::triggered, this, &MainWindow::sendTest);

    m_toggleLogAction = new QAction(tr("Delivery &Log"), this);
    m_toggleLogAction->setObjectName(QStringLiteral("toggleLogAction"));
    m_toggleLogAction->setCheckable(true);
    m_toggleLogAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_L));
    m_toggleLogAction->setStatusTip(tr("Show or hide the live log of delivery attempts"));
    m_toggleLogAction->setEnabled(false); // until there is a log to show
    connect(m_toggleLogAction, &QAction::toggled, this, [this](bool on) {
        if (!m_bottomTabs)
            return;
        m_bottomTabs->setVisible(on);
        if (on && m_logPane)
            m_bottomTabs->setCurrentWidget(m_logPane);
    });

    m_showInboxAction = new QAction(tr("&Inbox"), this);
    m_showInboxAction->setObjectName(QStringLiteral("showInboxAction"));
    m_showInboxAction->setStatusTip(tr("Show what the local inbox received"));
    m_showInboxAction->setEnabled(false); // until there is an inbox to show
    connect(m_showInboxAction, &QAction::triggered, this, [this] {
        if (!m_bottomTabs || !m_inboxPane)
            return;
        m_bottomTabs->show();
        m_toggleLogAction->setChecked(true);
        m_bottomTabs->setCurrentWidget(m_inboxPane);
        if (m_inboxPane->table()->isVisible())
            m_inboxPane->table()->setFocus(Qt::ShortcutFocusReason);
    });

    m_preferencesAction = new QAction(QIcon::fromTheme(QStringLiteral("preferences-system")),
                                      tr("&Preferences…"), this);
    m_preferencesAction->setObjectName(QStringLiteral("preferencesAction"));
    m_preferencesAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Comma));
    m_preferencesAction->setMenuRole(QAction::PreferencesRole);
    m_preferencesAction->setStatusTip(
        tr("Retry schedule, failure threshold, retention and other settings"));
    connect(m_preferencesAction, &QAction::triggered, this, &MainWindow::showPreferences);

    m_openDatabaseAction =
        new QAction(QIcon::fromTheme(QStringLiteral("document-open")), tr("&Open Database…"), this);
    m_openDatabaseAction->setObjectName(QStringLiteral("openDatabaseAction"));
    m_openDatabaseAction->setShortcut(QKeySequence::Open);
    m_openDatabaseAction->setStatusTip(tr("Switch to another database file or server"));
    connect(m_openDatabaseAction, &QAction::triggered, this, [this] { openDatabase(); });

    m_importAction = new QAction(QIcon::fromTheme(QStringLiteral("document-import")),
                                 tr("&Import Webhooks…"), this);
    m_importAction->setStatusTip(tr("Add the webhooks of a Label Studio JSON file"));
    connect(m_importAction, &QAction::triggered, this, &MainWindow::importHooks);
    m_exportHooksAction = new QAction(QIcon::fromTheme(QStringLiteral("document-export")),
                                      tr("E&xport Webhooks…"), this);
    m_exportHooksAction->setStatusTip(tr("Save every webhook as Label Studio JSON"));
    connect(m_exportHooksAction, &QAction::triggered, this, &MainWindow::exportHooks);
    m_exportLogAction = new QAction(tr("Export &Log…"), this);
    m_exportLogAction->setStatusTip(
        tr("Save the log, as its filter shows it, as JSON Lines or CSV"));
    m_exportLogAction->setEnabled(false); // until there is a log
    connect(m_exportLogAction, &QAction::triggered, this, [this] {
        if (m_logPane)
            m_logPane->exportLog();
    });

    m_aboutAction = new QAction(tr("&About Webhook Admin"), this);
    m_aboutAction->setMenuRole(QAction::AboutRole);
    connect(m_aboutAction, &QAction::triggered, this, &MainWindow::about);
    m_aboutQtAction = new QAction(tr("About &Qt"), this);
    m_aboutQtAction->setMenuRole(QAction::AboutQtRole);
    connect(m_aboutQtAction, &QAction::triggered, qApp, &QApplication::aboutQt);

    for (QAction *action :
         {m_newAction, m_saveAction, m_revertAction, m_deleteAction, m_quitAction, m_findAction,
          m_addEventTypeAction, m_aboutAction, m_aboutQtAction, m_listDeleteAction}) {
        // Object names from the text, for tests and accessibility tools.
        QString name = action->text();
        name.remove(QLatin1Char('&'));
        name.remove(QChar(0x2026));
        action->setObjectName(name);
    }
    m_newAction->setObjectName(QStringLiteral("newHookAction"));
    m_duplicateAction->setObjectName(QStringLiteral("duplicateHookAction"));
    m_activateSelectedAction->setObjectName(QStringLiteral("activateSelectedAction"));
    m_deactivateSelectedAction->setObjectName(QStringLiteral("deactivateSelectedAction"));
    m_saveAction->setObjectName(QStringLiteral("saveHookAction"));
    m_revertAction->setObjectName(QStringLiteral("revertHookAction"));
    m_deleteAction->setObjectName(QStringLiteral("deleteHookAction"));
    m_listDeleteAction->setObjectName(QStringLiteral("listDeleteHookAction"));
    m_quitAction->setObjectName(QStringLiteral("quitAction"));
    m_findAction->setObjectName(QStringLiteral("findAction"));
    m_addEventTypeAction->setObjectName(QStringLiteral("addEventTypeAction"));
    m_aboutAction->setObjectName(QStringLiteral("aboutAction"));
    m_aboutQtAction->setObjectName(QStringLiteral("aboutQtAction"));
    m_importAction->setObjectName(QStringLiteral("importHooksAction"));
    m_exportHooksAction->setObjectName(QStringLiteral("exportHooksAction"));
    m_exportLogAction->setObjectName(QStringLiteral("exportLogMenuAction"));
}

void MainWindow::createMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addAction(m_openDatabaseAction);
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    m_recentMenu->setObjectName(QStringLiteral("recentDatabasesMenu"));
    connect(m_recentMenu, &QMenu::aboutToShow, this, &MainWindow::fillRecentMenu);
    fillRecentMenu();
    file->addSeparator();
    file->addAction(m_importAction);
    file->addAction(m_exportHooksAction);
    file->addAction(m_exportLogAction);
    file->addSeparator();
    file->addAction(m_quitAction);

    QMenu *webhook = menuBar()->addMenu(tr("&Webhook"));
    webhook->addAction(m_newAction);
    webhook->addAction(m_duplicateAction);
    webhook->addAction(m_saveAction);
    webhook->addAction(m_revertAction);
    webhook->addSeparator();
    webhook->addAction(m_sendTestAction);
    // Here rather than in an Events menu, whose every letter clashes with
    // Edit, View or a field of the editor.
    webhook->addAction(m_addEventTypeAction);
    webhook->addSeparator();
    webhook->addAction(m_activateSelectedAction);
    webhook->addAction(m_deactivateSelectedAction);
    webhook->addSeparator();
    webhook->addAction(m_deleteAction);

    QMenu *edit = menuBar()->addMenu(tr("&Edit"));
    edit->addAction(m_findAction);
    edit->addSeparator();
    edit->addAction(m_projectsAction);
    edit->addAction(m_eventTypesAction);
    edit->addSeparator();
    edit->addAction(m_preferencesAction);

    QMenu *view = menuBar()->addMenu(tr("&View"));
    view->addAction(m_toggleLogAction);
    view->addAction(m_showInboxAction);

    // Filled with the log's actions once there is a log (setDeliveryService).
    m_deliveriesMenu = menuBar()->addMenu(tr("&Deliveries"));
    m_deliveriesMenu->setObjectName(QStringLiteral("deliveriesMenu"));
    m_deliveriesMenu->menuAction()->setVisible(false);

    QMenu *help = menuBar()->addMenu(tr("&Help"));
    help->addAction(m_aboutAction);
    help->addAction(m_aboutQtAction);

    m_list->setContextMenuPolicy(Qt::ActionsContextMenu);
    m_list->addAction(m_newAction);
    m_list->addAction(m_duplicateAction);
    m_list->addAction(m_sendTestAction);
    auto *separator = new QAction(m_list);
    separator->setSeparator(true);
    m_list->addAction(separator);
    m_list->addAction(m_activateSelectedAction);
    m_list->addAction(m_deactivateSelectedAction);
    m_list->removeAction(m_listDeleteAction);
    m_list->addAction(m_listDeleteAction);
}

void MainWindow::setBottomWidget(QWidget *widget)
{
    while (m_verticalSplitter->count() > 1)
        delete m_verticalSplitter->widget(1);
    if (!widget)
        return;
    m_verticalSplitter->addWidget(widget);
    // A taller window gives the editor the height; the pane keeps what the
    // user (or the first start) gave it, like an IDE's bottom panel.
    m_verticalSplitter->setStretchFactor(0, 1);
    m_verticalSplitter->setStretchFactor(1, 0);
    const QByteArray state =
        appSettings().value(QStringLiteral("mainWindow/verticalSplitter")).toByteArray();
    if (!state.isEmpty())
        m_verticalSplitter->restoreState(state);
}

void MainWindow::setStoreWriter(StoreWriter *writer)
{
    if (m_writer)
        disconnect(m_writer, nullptr, this, nullptr);
    m_writer = writer;
    m_editor->setStoreWriter(writer);
    m_model->setStoreWriter(writer);
    if (m_logPane)
        m_logPane->setStoreWriter(writer);
    if (m_inboxPane)
        m_inboxPane->setStoreWriter(writer);
    if (!writer)
        return;
    // The writer's connection is not this one: look at once rather than at
    // the next poll, before the write's answer reaches the editor.
    connect(writer, &StoreWriter::writtenElsewhere, m_store, &HookStore::lookAgain);
    connect(writer, &StoreWriter::pendingChanged, this, [this](int count, const QString &what) {
        //: %1 says what is being written, e.g. "Saving the webhook…"; %2 how many writes wait
        m_writeStatus->setText(count > 1 ? tr("%1 (%2 waiting)").arg(what).arg(count - 1) : what);
        m_writeStatus->setVisible(count > 0);
    });
}

void MainWindow::setSecretRotationStore(SecretRotationStore *rotations)
{
    m_editor->setSecretRotationStore(rotations);
}

void MainWindow::setHookStatsStore(HookStatsStore *stats)
{
    m_editor->setHookStatsStore(stats);
    m_model->setHookStatsStore(stats);
}

void MainWindow::setDeliveryService(EngineHost *service, DeliveryStore *deliveries)
{
    if (m_service && m_logPane) {
        disconnect(m_service, nullptr, m_logPane, nullptr);
        disconnect(m_logPane, nullptr, m_service, nullptr);
    }
    if (m_service)
        disconnect(m_service, nullptr, this, nullptr);
    m_service = service;
    m_deliveries = deliveries;
    m_model->setDeliveryStore(deliveries);
    m_editor->setDeliveryStore(deliveries);
    if (m_service) {
        // Recorded by the engine's connection: refresh the strips now rather
        // than at the next external-change poll.
        connect(m_service, &EngineHost::attemptsRecorded, m_model, &HookListModel::refreshOutcomes);
        connect(m_service, &EngineHost::listenerChanged, this, &MainWindow::showListenerUrl);
        connect(m_service, &EngineHost::listenerChanged, this, [this](const QString &url) {
            if (m_listenerPage)
                m_listenerPage->setRunningUrl(url);
        });
        showListenerUrl(m_service->listenerUrl());
        connect(m_service, &EngineHost::failed, this, [this](const QString &message) {
            //: %1 is the storage error, e.g. "database is locked"
            m_banner->showMessage(tr("The delivery engine has a problem: %1").arg(message));
        });
    }
    if (m_preferences)
        m_preferences->findChild<GeneralPreferencesPage *>()->setDeliveryStore(m_deliveries);
    if (m_deliveries && !m_logPane) {
        m_logPane = new DeliveryLogPane(m_deliveries, m_store);
        m_logPane->setStoreWriter(m_writer);
        ensureBottomTabs()->insertTab(0, m_logPane, tr("Delivery Log"));
        m_bottomTabs->setCurrentIndex(0);
        // The log's chart switch and bulk actions ride in the tab bar's empty
        // right end (as an IDE's panel does), a row the log's rows get back.
        QWidget *logActions = m_logPane->takeActionsRow();
        m_bottomTabs->setCornerWidget(logActions, Qt::TopRightCorner);
        const auto followTab = [this, logActions] {
            logActions->setVisible(m_bottomTabs->currentWidget() == m_logPane);
        };
        connect(m_bottomTabs, &QTabWidget::currentChanged, logActions, followTab);
        followTab();
        // Until the user sizes it, the log gets its filters and a few rows,
        // the editor the rest: its URL, headers and first events show at the
        // default size (showEvent(), once the splitter has its height).
        m_logHeightPending =
            appSettings().value(QStringLiteral("mainWindow/verticalSplitter")).isNull();
        connect(m_logPane, &DeliveryLogPane::statusMessage, this,
                [this](const QString &message) { statusBar()->showMessage(message, 8000); });
        connect(m_logPane, &DeliveryLogPane::editAndResendRequested, this,
                &MainWindow::editAndResend);
        // The log's actions in the menu bar, their shortcuts live in the whole window.
        for (QAction *action : std::initializer_list<QAction *>{
                 m_logPane->redeliverAction(), m_logPane->redeliverFailedAction(),
                 m_logPane->copyCurlAction(), m_logPane->copyCurlSigningNowAction(), nullptr,
                 m_logPane->exportAction(), nullptr, m_logPane->groupByDeliveryAction()}) {
            if (!action) {
                m_deliveriesMenu->addSeparator();
                continue;
            }
            action->setShortcutContext(Qt::WindowShortcut);
            m_deliveriesMenu->addAction(action);
        }
        m_deliveriesMenu->menuAction()->setVisible(true);
        m_exportLogAction->setEnabled(true);
        m_bottomTabs->setVisible(
            appSettings().value(QStringLiteral("mainWindow/logPaneVisible"), true).toBool());
        m_toggleLogAction->setChecked(!m_bottomTabs->isHidden());
        m_toggleLogAction->setEnabled(true);
        if (m_editorActive)
            m_logPane->setSelectedHook(m_editor->hookId());
    }
    if (m_logPane && m_service) {
        // Redeliveries wake the engine; what it records shows at once.
        connect(m_logPane, &DeliveryLogPane::deliveriesQueued, m_service, &EngineHost::wake);
        connect(m_service, &EngineHost::attemptsRecorded, m_logPane, &DeliveryLogPane::refresh);
    }
    updateActions();
}

QTabWidget *MainWindow::ensureBottomTabs()
{
    if (!m_bottomTabs) {
        m_bottomTabs = new QTabWidget;
        m_bottomTabs->setObjectName(QStringLiteral("bottomTabs"));
        m_bottomTabs->setDocumentMode(true);
        setBottomWidget(m_bottomTabs);
    }
    return m_bottomTabs;
}

void MainWindow::setListenerSettings(ListenerSettingsStore *settings)
{
    m_listenerSettings = settings;
}

void MainWindow::setInboxStore(InboxStore *inbox)
{
    if (!inbox || m_inboxPane)
        return;
    m_inboxPane = new InboxPane(inbox);
    m_inboxPane->setStoreWriter(m_writer);
    ensureBottomTabs()->addTab(m_inboxPane, tr("Inbox"));
    // The listener stores requests on its own connection, another process
    // on its own: both reach the window through the file watch.
    connect(m_store, &HookStore::otherDataChanged, m_inboxPane, &InboxPane::refresh);
    connect(m_store, &HookStore::hooksChanged, m_inboxPane, &InboxPane::refresh);
    m_showInboxAction->setEnabled(true);
    connect(m_inboxPane, &InboxPane::statusMessage, this,
            [this](const QString &message) { statusBar()->showMessage(message, 8000); });
}

PreferencesDialog *MainWindow::preferences()
{
    if (!m_preferences) {
        m_preferences = new PreferencesDialog(this);
        auto *general = new GeneralPreferencesPage(m_deliveries);
        general->setStoreWriter(m_writer);
        m_preferences->addPage(general, tr("General"));
        if (m_listenerSettings) {
            m_listenerPage = new ListenerPreferencesPage(m_listenerSettings);
            m_listenerPage->setStoreWriter(m_writer);
            m_preferences->addPage(m_listenerPage, tr("Listener"));
            m_listenerPage->setRunningUrl(m_service ? m_service->listenerUrl() : QString());
            connect(m_listenerPage, &ListenerPreferencesPage::saved, this,
                    [this](const ListenerSettings &settings) {
                        if (!m_service)
                            return;
                        if (const QString error = m_service->applyListenerSettings(settings);
                            !error.isEmpty())
                            //: %1 says why, e.g. "Address already in use"
                            m_banner->showMessage(tr("The listener does not run: %1").arg(error));
                    });
        }
    }
    return m_preferences;
}

void MainWindow::showPreferences()
{
    preferences()->open();
}

void MainWindow::editAndResend(qint64 attemptId)
{
    if (!m_deliveries)
        return;
    const Result<Attempt> attempt = m_deliveries->attempt(attemptId);
    const Result<Webhook> hook =
        attempt ? m_store->hook(attempt->webhookId) : Result<Webhook>(attempt.error());
    if (!hook) {
        //: %1 says why, e.g. that the webhook was deleted
        statusBar()->showMessage(tr("Cannot resend: %1").arg(hook.error().message), 8000);
        return;
    }
    auto *dialog = new TestSendDialog(hook.value(), m_store, m_deliveries, m_service, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setStoreWriter(m_writer);
    dialog->editAndResend(attempt.value());
    if (m_logPane) {
        DeliveryLogPane *pane = m_logPane;
        connect(dialog, &TestSendDialog::testQueued, pane, [pane](qint64 id) {
            pane->refresh();
            pane->selectAttempt(id);
        });
    }
    dialog->open();
}

void MainWindow::sendTest()
{
    if (!m_sendTestAction->isEnabled())
        return;
    const Result<Webhook> hook = m_store->hook(m_editor->hookId());
    if (!hook) {
        statusBar()->showMessage(hook.error().message, 5000);
        return;
    }
    auto *dialog = new TestSendDialog(hook.value(), m_store, m_deliveries, m_service, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setStoreWriter(m_writer);
    if (m_logPane) {
        // The test is in the log as soon as it is stored; show it there.
        DeliveryLogPane *pane = m_logPane;
        connect(dialog, &TestSendDialog::testQueued, pane, [pane](qint64 attemptId) {
            pane->refresh();
            pane->selectAttempt(attemptId);
        });
    }
    dialog->open();
}

QStringList MainWindow::recentDatabases()
{
    return appSettings().value(QStringLiteral("recentDatabases")).toStringList();
}

void MainWindow::rememberDatabase(const QString &location)
{
    // Never a password: a server is remembered without it and asks again.
    const QString remembered = OpenDatabaseDialog::withoutPassword(location);
    QStringList recent = recentDatabases();
    recent.removeAll(remembered);
    recent.prepend(remembered);
    appSettings().setValue(QStringLiteral("recentDatabases"),
                           QStringList(recent.mid(0, MaxRecentDatabases)));
}

void MainWindow::fillRecentMenu()
{
    m_recentMenu->clear();
    const QStringList recent = recentDatabases();
    for (const QString &location : recent) {
        QAction *action = m_recentMenu->addAction(OpenDatabaseDialog::displayLocation(location));
        connect(action, &QAction::triggered, this, [this, location] { openDatabase(location); });
    }
    m_recentMenu->setEnabled(!recent.isEmpty());
}

void MainWindow::openDatabase(const QString &location)
{
    OpenDatabaseDialog dialog(this);
    dialog.setLocation(location.isEmpty() ? m_databasePath : location);
    // A remembered file opens at once; a server asks for its password first.
    if (!location.isEmpty() && !OpenDatabaseDialog::isServerUrl(location))
        QTimer::singleShot(0, &dialog, &OpenDatabaseDialog::tryOpen);
    if (dialog.exec() != QDialog::Accepted)
        return;
    const QString chosen = dialog.location();
    if (m_editorActive && !m_editor->confirmDiscardOrSave())
        return;
    rememberDatabase(chosen);
    emit databaseChosen(chosen);
}

void MainWindow::importHooks()
{
    const QString folder = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Import Webhooks"), folder, tr("Label Studio JSON (*.json);;All files (*)"));
    if (!path.isEmpty())
        importHooksFrom(path);
}

bool MainWindow::importHooksFrom(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        QMessageBox::warning(this, tr("Not Imported"),
                             tr("Cannot read %1: %2").arg(path, file.errorString()));
        return false;
    }
    const LabelStudioJson::Parsed parsed = LabelStudioJson::read(&file);
    if (!parsed.ok()) {
        // The message names the entry: "entry 3: …".
        QMessageBox::warning(this, tr("Not Imported"),
                             tr("Nothing was imported from %1.\n\n%2")
                                 .arg(QFileInfo(path).fileName(), parsed.error));
        return false;
    }
    // Everything is checked before anything is shown or added.
    const EventCatalog catalog = m_store->catalog();
    for (qsizetype i = 0; i < parsed.hooks.size(); ++i) {
        const QList<FieldError> errors = WebhookValidator::validate(parsed.hooks.at(i), catalog);
        if (errors.isEmpty())
            continue;
        //: %1 is a file name, %2 the entry's number in it, %3 what is wrong
        QMessageBox::warning(this, tr("Not Imported"),
                             tr("Nothing was imported from %1.\n\nentry %2: %3")
                                 .arg(QFileInfo(path).fileName(), QString::number(i + 1),
                                      errors.constFirst().message));
        return false;
    }
    if (parsed.hooks.isEmpty()) {
        QMessageBox::information(this, tr("Nothing to Import"),
                                 tr("%1 holds no webhooks.").arg(QFileInfo(path).fileName()));
        return false;
    }
    // What would be added, before anything is.
    constexpr int Listed = 15;
    QStringList lines;
    for (const Webhook &hook : parsed.hooks.mid(0, Listed))
        lines.append(QStringLiteral("• ") + SecretMask::url(hook.url));
    if (parsed.hooks.size() > Listed)
        lines.append(tr("…and %1 more").arg(parsed.hooks.size() - Listed));
    QMessageBox preview(QMessageBox::Question, tr("Import Webhooks"),
                        tr("Add %n webhook(s) from %1?", nullptr, int(parsed.hooks.size()))
                            .arg(QFileInfo(path).fileName()),
                        QMessageBox::NoButton, this);
    preview.setObjectName(QStringLiteral("importPreview"));
    preview.setInformativeText(lines.join(QLatin1Char('\n')));
    QPushButton *import = preview.addButton(tr("&Import"), QMessageBox::AcceptRole);
    import->setObjectName(QStringLiteral("importButton"));
    preview.addButton(QMessageBox::Cancel);
    preview.setDefaultButton(import);
    preview.exec();
    if (preview.clickedButton() != import)
        return false;
    if (m_editorActive && !m_editor->confirmDiscardOrSave())
        return false;
    WriterStores stores;
    stores.hooks = m_store;
    const Result<QList<Webhook>> imported = StoreWriter::waitOn(
        m_writer, stores, tr("Importing webhooks…"),
        [hooks = parsed.hooks](const WriterStores &s) { return s.hooks->importHooks(hooks); });
    if (!imported) {
        QMessageBox::warning(this, tr("Not Imported"),
                             tr("Nothing was imported: %1").arg(imported.error().message));
        return false;
    }
    m_model->reload();
    statusBar()->showMessage(tr("Imported %n webhook(s).", nullptr, int(imported->size())), 8000);
    if (!imported->isEmpty()) {
        selectInList(imported->constFirst().id);
        showHookInEditor(imported->constFirst().id);
    }
    return true;
}

void MainWindow::exportHooks()
{
    const QString folder = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    QString path = QFileDialog::getSaveFileName(this, tr("Export Webhooks"),
                                                folder + QLatin1String("/webhooks.json"),
                                                tr("Label Studio JSON (*.json)"));
    if (path.isEmpty())
        return;
    if (QFileInfo(path).suffix().isEmpty())
        path += QLatin1String(".json");
    QMessageBox question(QMessageBox::Question, tr("Export Webhooks"),
                         tr("Include the signing secrets and secret header values?"),
                         QMessageBox::NoButton, this);
    question.setInformativeText(
        tr("Masked, the file can be shared, but an import cannot restore the secrets. Either way "
           "only you can read the file."));
    QPushButton *masked = question.addButton(tr("&Mask Secrets"), QMessageBox::AcceptRole);
    QPushButton *include = question.addButton(tr("I&nclude Secrets"), QMessageBox::DestructiveRole);
    question.addButton(QMessageBox::Cancel);
    question.setDefaultButton(masked);
    question.exec();
    if (question.clickedButton() != masked && question.clickedButton() != include)
        return;
    if (const QString error = exportHooksTo(path, question.clickedButton() == include);
        !error.isEmpty())
        QMessageBox::warning(this, tr("Not Exported"), error);
}

QString MainWindow::exportHooksTo(const QString &path, bool includeSecrets)
{
    const Result<QList<Webhook>> hooks = m_store->hooks();
    if (!hooks)
        return hooks.error().message;
    if (QString error = LabelStudioJson::writeFile(path, hooks.value(), includeSecrets);
        !error.isEmpty())
        return error;
    //: %1 is a file path
    statusBar()->showMessage(tr("Exported %n webhook(s) to %1.", nullptr, int(hooks->size()))
                                 .arg(QDir::toNativeSeparators(path)),
                             8000);
    return {};
}

void MainWindow::newHook()
{
    if (m_editorActive && !m_editor->confirmDiscardOrSave())
        return;
    m_syncingSelection = true;
    m_list->clearSelection();
    m_syncingSelection = false;
    m_editor->showNewHook();
    m_editorActive = true;
    m_shownHook = Webhook{};
    updatePanes();
    updateActions();
    focusEditor();
}

Webhook MainWindow::duplicateOf(const Webhook &hook)
{
    Webhook copy = hook;
    copy.id = 0;
    copy.createdAt = {};
    copy.updatedAt = {};
    copy.consecutiveFailures = 0;
    copy.disabledReason.clear();
    copy.pausedAt = {};
    copy.nextProbeAt = {};
    copy.pauseReason.clear();
    copy.lastError.clear();
    //: A duplicated webhook's description; %1 is the original's
    copy.description =
        hook.description.isEmpty() ? tr("(copy)") : tr("%1 (copy)").arg(hook.description);
    // A secret of its own: the copy's receiver need not trust the original's.
    if (copy.signature != SignatureScheme::None && !copy.secret.isEmpty())
        copy.secret = Signature::generateSecret(copy.signature);
    return copy;
}

void MainWindow::duplicateHook()
{
    if (!m_editorActive || m_editor->hookId() == 0)
        return;
    if (!m_editor->confirmDiscardOrSave())
        return;
    const Result<Webhook> original = m_store->hook(m_editor->hookId());
    if (!original) {
        statusBar()->showMessage(original.error().message, 8000);
        return;
    }
    m_syncingSelection = true;
    m_list->clearSelection();
    m_syncingSelection = false;
    m_editor->showCopyOf(original.value(), duplicateOf(original.value()));
    m_editorActive = true;
    m_shownHook = Webhook{};
    updatePanes();
    updateActions();
    //: %1 is the number of the duplicated webhook
    statusBar()->showMessage(
        tr("A copy of webhook %1: change what differs and save it.").arg(original->id), 8000);
}

void MainWindow::setSelectedHooksActive(bool active)
{
    QList<qint64> ids = m_list->selectedHookIds();
    if (ids.isEmpty() && m_editorActive && m_editor->hookId() != 0)
        ids.append(m_editor->hookId());
    if (ids.isEmpty())
        return;
    WriterStores stores;
    stores.hooks = m_store;
    StoreWriter::submitTo(
        m_writer, stores, this, active ? tr("Activating webhooks…") : tr("Deactivating webhooks…"),
        [ids, active](const WriterStores &s) { return s.hooks->setHooksActive(ids, active); },
        [this, active, count = int(ids.size())](const Status &done) {
            if (!done) {
                QMessageBox::warning(this, tr("Webhooks Not Changed"), done.error().message);
                return;
            }
            statusBar()->showMessage(active ? tr("Activated %n webhook(s).", nullptr, count)
                                            : tr("Deactivated %n webhook(s).", nullptr, count),
                                     5000);
        });
}

void MainWindow::deleteSelectedHooks()
{
    const QList<qint64> ids = m_list->selectedHookIds();
    if (ids.size() < 2) {
        deleteCurrentHook();
        return;
    }
    qint64 attempts = 0;
    if (m_deliveries) {
        for (const qint64 id : ids) {
            LogFilter filter;
            filter.webhookId = id;
            const Result<qint64> count = m_deliveries->countAttempts(filter);
            attempts += count ? count.value() : 0;
        }
    }
    //: %1 is a number greater than one
    QMessageBox box(QMessageBox::Warning, tr("Delete webhooks"),
                    tr("Delete the %1 selected webhooks?").arg(ids.size()), QMessageBox::NoButton,
                    this);
    box.setObjectName(QStringLiteral("deleteHooksQuestion"));
    // Whole sentences for one and for many, so translations need no plural rules here.
    QString history = tr("Their settings are removed for good; this cannot be undone.");
    if (attempts == 1)
        history = tr("Their settings are removed for good. Their one recorded attempt stays in "
                     "the delivery log, marked \"deleted webhook\", until retention removes it.");
    else if (attempts > 1)
        //: %1 is a number greater than one
        history = tr("Their settings are removed for good. Their %1 recorded attempts stay in "
                     "the delivery log, marked \"deleted webhook\", until retention removes "
                     "them.")
                      .arg(attempts);
    box.setInformativeText(history);
    if (attempts > 0) {
        auto *alsoHistory =
            new QCheckBox(attempts == 1 ? tr("&Also delete their attempt")
                                        //: %1 is a number greater than one
                                        : tr("&Also delete their %1 attempts").arg(attempts),
                          &box);
        alsoHistory->setObjectName(QStringLiteral("deleteHistoryCheck"));
        box.setCheckBox(alsoHistory);
    }
    //: %1 is a number greater than one
    QPushButton *confirm =
        box.addButton(tr("&Delete %1 Webhooks").arg(ids.size()), QMessageBox::DestructiveRole);
    confirm->setObjectName(QStringLiteral("confirmDeleteButton"));
    box.addButton(QMessageBox::Cancel);
    box.setDefaultButton(QMessageBox::Cancel);
    box.exec();
    if (box.clickedButton() != confirm)
        return;
    const HookStore::History keep = box.checkBox() && box.checkBox()->isChecked()
                                        ? HookStore::History::Delete
                                        : HookStore::History::Keep;
    WriterStores stores;
    stores.hooks = m_store;
    StoreWriter::submitTo(
        m_writer, stores, this, tr("Deleting webhooks…"),
        [ids, keep](const WriterStores &s) { return s.hooks->removeHooks(ids, keep); },
        [this, ids](const Status &removed) {
            if (!removed) {
                QMessageBox::warning(this, tr("Webhooks Not Deleted"), removed.error().message);
                return;
            }
            // The edited hook went too: its unsaved edits with it.
            if (m_editorActive && ids.contains(m_editor->hookId())) {
                m_editor->revert();
                m_deletedHere = true;
            }
            statusBar()->showMessage(tr("Deleted %n webhook(s).", nullptr, int(ids.size())), 5000);
            scheduleReconcile();
        });
}

void MainWindow::focusEditor()
{
    // Typing right away should go into the URL, the one field a new hook needs.
    if (auto *url = m_editor->findChild<QLineEdit *>(QStringLiteral("urlEdit"))) {
        url->setFocus(Qt::OtherFocusReason);
        return;
    }
    for (QWidget *w = m_editor->nextInFocusChain(); w && w != m_editor; w = w->nextInFocusChain()) {
        if (m_editor->isAncestorOf(w) && (w->focusPolicy() & Qt::TabFocus) && w->isVisible() &&
            w->isEnabled()) {
            w->setFocus(Qt::OtherFocusReason);
            return;
        }
    }
}

void MainWindow::focusSearch()
{
    if (m_centralStack->currentWidget() != m_splitter)
        return;
    m_search->setFocus(Qt::ShortcutFocusReason);
    m_search->selectAll();
}

void MainWindow::addEventType()
{
    EventTypeDialog dialog(m_store, this);
    dialog.setStoreWriter(m_writer);
    if (dialog.exec() == QDialog::Accepted)
        statusBar()->showMessage(tr("Added the event type %1 (%2).")
                                     .arg(dialog.addedType().name, dialog.addedType().key),
                                 5000);
}

void MainWindow::showProjects()
{
    auto *dialog = new ProjectsDialog(m_store, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setStoreWriter(m_writer);
    connect(dialog, &ProjectsDialog::statusMessage, this,
            [this](const QString &message) { statusBar()->showMessage(message, 8000); });
    dialog->open();
}

void MainWindow::showEventTypes()
{
    auto *dialog = new EventTypesDialog(m_store, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setStoreWriter(m_writer);
    connect(dialog, &EventTypesDialog::statusMessage, this,
            [this](const QString &message) { statusBar()->showMessage(message, 8000); });
    dialog->open();
}

void MainWindow::about()
{
    QMessageBox::about(
        this, tr("About Webhook Admin"),
        tr("<h3>Webhook Admin %1</h3>"
           "<p>Configure, test and watch the outgoing webhooks of a labeling platform: "
           "persisted, signed and retried deliveries, with every attempt logged.</p>"
           "<p>Database: %2</p>")
            .arg(QCoreApplication::applicationVersion(),
                 OpenDatabaseDialog::displayLocation(m_databasePath).toHtmlEscaped()));
}

void MainWindow::showEvent(QShowEvent *event)
{
    QMainWindow::showEvent(event);
    if (!std::exchange(m_logHeightPending, false) || !m_logPane || !m_bottomTabs ||
        m_verticalSplitter->count() < 2)
        return;
    const QList<int> sizes = m_verticalSplitter->sizes();
    const int total = sizes.value(0) + sizes.value(1);
    const QSize tabBar = m_bottomTabs->tabBar()->sizeHint();
    const QWidget *corner = m_bottomTabs->cornerWidget(Qt::TopRightCorner);
    const int log = std::max(tabBar.height(), corner ? corner->sizeHint().height() : 0) +
                    m_logPane->sizeHint().height();
    m_verticalSplitter->setSizes({std::max(0, total - log), log});
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (m_editorActive && !m_editor->confirmDiscardOrSave()) {
        event->ignore();
        return;
    }
    saveSettings();
    m_settingsSaved = true;
    event->accept();
}

void MainWindow::onSelectionChanged()
{
    if (m_syncingSelection)
        return;
    updateActions();
    // Several rows: the actions act on them all, the editor keeps its hook.
    if (m_list->selectedHookIds().size() > 1)
        return;
    const qint64 id = m_list->selectedHookId();
    // An empty selection comes from filtering or from the model; the editor
    // keeps what it shows until the user picks another hook.
    if (id == 0)
        return;
    if (m_editorActive && id == m_editor->hookId())
        return;
    if (m_editorActive && !m_editor->confirmDiscardOrSave()) {
        selectInList(m_editor->hookId());
        return;
    }
    // Saving in confirmDiscardOrSave may have moved the selection.
    selectInList(id);
    showHookInEditor(id);
}

void MainWindow::applySearch(const QString &text)
{
    // A filter that hides the edited hook moves the list's current row to a
    // neighbour. That is not the user's pick: the editor keeps its hook, and
    // the list shows it selected again once the search lets it through.
    m_syncingSelection = true;
    m_filter->setFilterText(text);
    selectInList(m_editorActive ? m_editor->hookId() : 0);
    m_syncingSelection = false;
}

void MainWindow::showHookInEditor(qint64 id)
{
    m_editor->showHook(id);
    if (m_logPane)
        m_logPane->setSelectedHook(id);
    m_editorActive = true;
    const int row = m_model->rowOfHook(id);
    m_shownHook = row >= 0 ? m_model->hookAt(row) : Webhook{};
    const QModelIndex shown = m_filter->mapFromSource(m_model->indexOfHook(id));
    if (shown.isValid())
        m_lastRow = shown.row();
    updatePanes();
    updateActions();
}

void MainWindow::showFailure(qint64 hookId, qint64 attemptId)
{
    setWindowState((windowState() & ~Qt::WindowMinimized) | Qt::WindowActive);
    show();
    raise();
    activateWindow();
    if (hookId != 0)
        m_list->selectHook(hookId);
    if (attemptId == 0 || !m_logPane)
        return;
    if (m_bottomTabs) {
        m_bottomTabs->show();
        m_bottomTabs->setCurrentWidget(m_logPane);
        m_toggleLogAction->setChecked(true);
    }
    m_logPane->refresh();
    if (!m_logPane->selectAttempt(attemptId))
        statusBar()->showMessage(
            tr("The failed attempt is hidden by the log's filter; clear the filter to see it."),
            8000);
}

void MainWindow::selectInList(qint64 id)
{
    m_syncingSelection = true;
    if (id == 0)
        m_list->clearSelection();
    else
        m_list->selectHook(id);
    m_syncingSelection = false;
}

void MainWindow::onHookSaved(qint64 id)
{
    if (m_model->rowOfHook(id) < 0)
        m_model->reload();
    // A new hook the search would hide: show it rather than lose it.
    if (!m_filter->mapFromSource(m_model->indexOfHook(id)).isValid())
        m_search->clear();
    selectInList(id);
    const int row = m_model->rowOfHook(id);
    m_shownHook = row >= 0 ? m_model->hookAt(row) : Webhook{};
    const QModelIndex shown = m_filter->mapFromSource(m_model->indexOfHook(id));
    if (shown.isValid())
        m_lastRow = shown.row();
    updatePanes();
    updateActions();
}

void MainWindow::scheduleReconcile()
{
    // Queued: the store's signals arrive in the middle of the editor's own
    // save or delete, which must finish before the window reacts.
    if (m_reconcileQueued)
        return;
    m_reconcileQueued = true;
    QTimer::singleShot(0, this, &MainWindow::reconcile);
}

void MainWindow::reconcile()
{
    m_reconcileQueued = false;
    const bool deletedHere = std::exchange(m_deletedHere, false);
    const qint64 id = m_editorActive ? m_editor->hookId() : 0;
    const int row = m_model->rowOfHook(id);
    if (deletedHere || (id != 0 && row < 0 && !m_editor->isDirty())) {
        // Deleted, here or by another process: move to a neighbour.
        showNeighbour();
    } else if (id != 0 && row >= 0 && !m_editor->isDirty() &&
               !(m_model->hookAt(row) == m_shownHook)) {
        // Changed elsewhere while shown unmodified here: show the new state.
        showHookInEditor(id);
    }
    if (m_editorActive && m_editor->hookId() != 0 && m_list->selectedHookId() == 0)
        selectInList(m_editor->hookId());
    updatePanes();
    updateActions();
}

void MainWindow::showNeighbour()
{
    const int count = m_filter->rowCount();
    if (count == 0) {
        m_editorActive = false;
        m_shownHook = Webhook{};
        selectInList(0);
        return;
    }
    const QModelIndex next =
        m_filter->index(std::clamp(m_lastRow, 0, count - 1), HookListModel::Url);
    const qint64 nextId = next.data(HookListModel::HookIdRole).toLongLong();
    selectInList(nextId);
    showHookInEditor(nextId);
}

void MainWindow::updatePanes()
{
    const int count = m_model->rowCount();
    const bool editingNew = m_editorActive && m_editor->hookId() == 0;
    // While the hooks are read, the list (empty yet) and the log, not the
    // invitation to add a first hook.
    const bool empty = count == 0 && !editingNew && !m_model->isLoading();
    QWidget *page =
        empty ? static_cast<QWidget *>(m_emptyState) : static_cast<QWidget *>(m_splitter);
    const bool changed = m_centralStack->currentWidget() != page;
    const bool hadFocus = changed && m_centralStack->currentWidget() &&
                          m_centralStack->currentWidget()->isAncestorOf(focusWidget());
    showPage(m_centralStack, page);
    if (changed && (hadFocus || page == m_emptyState))
        page->setFocus(Qt::OtherFocusReason);
    if (count == 0 && !editingNew)
        m_editorActive = false;
    m_placeholder->setText(m_model->isLoading() ? tr("Reading the webhooks…")
                                                : tr("Select a webhook or add one."));
    showPage(m_rightStack, m_editorActive ? static_cast<QWidget *>(m_editor) : m_placeholder);
    const int shown = m_filter->rowCount();
    //: How many webhooks match the search
    m_countLabel->setText(tr("Showing %1 of %2").arg(shown).arg(count));
    m_countLabel->setVisible(shown != count);
    updateActions();
}

void MainWindow::updateActions()
{
    const bool dirty = m_editorActive && m_editor->isDirty();
    m_saveAction->setEnabled(dirty && !m_editor->isWriting());
    m_revertAction->setEnabled(dirty);
    const bool existing = m_editorActive && m_editor->hookId() != 0;
    m_deleteAction->setEnabled(existing);
    const qsizetype selected = m_list->selectedHookIds().size();
    m_listDeleteAction->setEnabled(existing || selected > 0);
    //: The list's Delete with several webhooks selected; %1 is their number
    m_listDeleteAction->setText(selected > 1 ? tr("Delete %1 Webhooks…").arg(selected)
                                             : tr("Delete Webhook…"));
    m_duplicateAction->setEnabled(existing);
    m_activateSelectedAction->setEnabled(selected > 0 || existing);
    m_deactivateSelectedAction->setEnabled(selected > 0 || existing);
    m_findAction->setEnabled(m_model->rowCount() > 0);

    // A test goes to the saved hook, so it waits for a save.
    QString testTip;
    if (!m_deliveries || !m_service)
        testTip = tr("The delivery engine is not running");
    else if (!m_editorActive)
        testTip = tr("Select a webhook to send a test to it");
    else if (!existing)
        testTip = tr("Save the new webhook before sending a test to it");
    else if (dirty)
        testTip = tr("Save or revert your changes first: a test uses the saved settings");
    const bool canTest = testTip.isEmpty();
    if (canTest)
        testTip = tr("Send an event with an editable payload to this webhook (Ctrl+T)");
    m_sendTestAction->setEnabled(canTest);
    m_sendTestAction->setToolTip(testTip);
    m_sendTestButton->setEnabled(canTest);
    m_sendTestButton->setToolTip(testTip);
}

void MainWindow::deleteCurrentHook()
{
    if (!m_editorActive || m_editor->hookId() == 0)
        return;
    m_editor->deleteHook();
}

void MainWindow::restoreSettings()
{
    QSettings settings = appSettings();
    settings.beginGroup(QStringLiteral("mainWindow"));
    if (!restoreGeometry(settings.value(QStringLiteral("geometry")).toByteArray()))
        resize(ScreenFit::boundedSize(this, QSize(DefaultWidth, DefaultHeight)));
    // Saved on another screen, or at a size a layout bug forced: fit this one.
    ScreenFit::clampToScreen(this);
    ScreenFit::clampWhenShown(this);
    restoreState(settings.value(QStringLiteral("state")).toByteArray());
    const QByteArray splitter = settings.value(QStringLiteral("splitter")).toByteArray();
    if (splitter.isEmpty() || !m_splitter->restoreState(splitter))
        m_splitter->setSizes({600, 520});
    m_verticalSplitter->restoreState(
        settings.value(QStringLiteral("verticalSplitter")).toByteArray());
    settings.endGroup();
    // A header saved with other columns would put widths on the wrong ones.
    const QByteArray header = settings.value(QStringLiteral("hookList/header")).toByteArray();
    if (!header.isEmpty() &&
        settings.value(QStringLiteral("hookList/columns")).toInt() == HookListModel::ColumnCount)
        m_list->header()->restoreState(header);
}

void MainWindow::restoreSelectedHook()
{
    QSettings settings = appSettings();
    settings.beginGroup(QStringLiteral("mainWindow"));
    // An id means something only in the file it was saved for.
    if (settings.value(QStringLiteral("selectedHookDatabase")).toString() != m_databasePath)
        return;
    const qint64 id = settings.value(QStringLiteral("selectedHook")).toLongLong();
    if (id == 0 || m_model->rowOfHook(id) < 0)
        return;
    selectInList(id);
    showHookInEditor(id);
}

void MainWindow::saveSettings() const
{
    QSettings settings = appSettings();
    settings.beginGroup(QStringLiteral("mainWindow"));
    settings.setValue(QStringLiteral("selectedHookDatabase"), m_databasePath);
    settings.setValue(QStringLiteral("selectedHook"),
                      m_editorActive ? m_editor->hookId() : qint64(0));
    settings.setValue(QStringLiteral("geometry"), saveGeometry());
    settings.setValue(QStringLiteral("state"), saveState());
    settings.setValue(QStringLiteral("splitter"), m_splitter->saveState());
    settings.setValue(QStringLiteral("verticalSplitter"), m_verticalSplitter->saveState());
    if (m_bottomTabs && m_logPane)
        settings.setValue(QStringLiteral("logPaneVisible"), !m_bottomTabs->isHidden());
    settings.endGroup();
    settings.setValue(QStringLiteral("hookList/header"), m_list->header()->saveState());
    settings.setValue(QStringLiteral("hookList/columns"), int(HookListModel::ColumnCount));
}
