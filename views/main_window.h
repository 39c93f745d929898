#pragma once

#include "domain/webhook.h"

#include <QMainWindow>

class DeliveryLogPane;
class EngineHost;
class DeliveryStore;
class EmptyState;
class HookEditor;
class HookFilterModel;
class HookListModel;
class HookListView;
class HookStore;
class SecretRotationStore;
class StoreWriter;
class HookStatsStore;
class InboxPane;
class InboxStore;
class ListenerPreferencesPage;
class ListenerSettingsStore;
class MessageBanner;
class PreferencesDialog;
class QAction;
class QLabel;
class QLineEdit;
class QMenu;
class QPushButton;
class QSplitter;
class QStackedWidget;
class QTabWidget;
class QTimer;

// The hook list on the left, the selected hook's settings on the right, and
// room below them for a bottom pane (setBottomWidget).
class MainWindow final : public QMainWindow
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)

public:
    static constexpr int ExternalChangePollMs = 1000;
    // The first start's size, made smaller on a smaller (or scaled) screen.
    static constexpr int DefaultWidth = 1120;
    static constexpr int DefaultHeight = 720;

    MainWindow(HookStore *store, const QString &databasePath, QWidget *parent = nullptr);
    ~MainWindow() override;

    // Puts a widget below the list and settings page, in a vertical splitter
    // whose sizes are remembered.
    void setBottomWidget(QWidget *widget);

    HookEditor *editor() const { return m_editor; }

    // The delivery engine and the log on the window's connection: enables
    // Send Test, feeds the list's Recent column, and shows the engine's
    // storage failures in a banner. Either may be null (no engine).
    void setDeliveryService(EngineHost *service, DeliveryStore *deliveries);
    // Every write of the window (saves, the Active toggle, deletes, tests,
    // redeliveries, rotations, imports) goes through this writer, its own
    // thread and connection, in the order asked; the status bar shows what
    // is pending. Without one the window writes on its own connection.
    void setStoreWriter(StoreWriter *writer);
    StoreWriter *storeWriter() const { return m_writer; }
    // "Saving the webhook…" in the status bar while a write is pending.
    QLabel *writeStatusLabel() const { return m_writeStatus; }
    // Lets the settings page rotate signing secrets.
    void setSecretRotationStore(SecretRotationStore *rotations);
    // Lets the settings page show each hook's delivery health.
    void setHookStatsStore(HookStatsStore *stats);
    // Where the listener runs now (empty: it does not): the status bar shows
    // it and the editor's "Use local inbox" points at it.
    void showListenerUrl(const QString &url);
    MessageBanner *banner() const { return m_banner; }
    QAction *sendTestAction() const { return m_sendTestAction; }
    // The live log below the list, once there is a DeliveryStore; else null.
    DeliveryLogPane *logPane() const { return m_logPane; }
    // "Listening on URL" in the status bar while the engine's listener runs.
    QLabel *listenerLabel() const { return m_listenerLabel; }

    // The local inbox as a tab next to the log; it follows the file's
    // changes like the log does. Null removes nothing (call once).
    void setInboxStore(InboxStore *inbox);
    // Adds the Listener page to Preferences; saving it restarts the listener.
    void setListenerSettings(ListenerSettingsStore *settings);
    InboxPane *inboxPane() const { return m_inboxPane; }
    // View → Inbox: shows the tabs below the list with the Inbox in front.
    QAction *showInboxAction() const { return m_showInboxAction; }
    // The tabs below the list (Delivery Log, Inbox); null until one exists.
    QTabWidget *bottomTabs() const { return m_bottomTabs; }

    // Edit → Preferences, made on first use with its General page. Other
    // pages join with preferences()->addPage(page, title).
    PreferencesDialog *preferences();
    QAction *preferencesAction() const { return m_preferencesAction; }

    // File → Import Webhooks… without its file dialog: reads Label Studio
    // JSON, shows what it holds, and adds all of it or nothing.
    bool importHooksFrom(const QString &path);
    // File → Export Webhooks… without its dialogs; the file is created 0600.
    // Returns the error, empty on success.
    QString exportHooksTo(const QString &path, bool includeSecrets);
    QAction *importAction() const { return m_importAction; }
    QAction *exportHooksAction() const { return m_exportHooksAction; }
    QAction *exportLogAction() const { return m_exportLogAction; }
    // The Deliveries menu: the log's actions, their shortcuts work anywhere
    // in the window.
    QMenu *deliveriesMenu() const { return m_deliveriesMenu; }

    // Webhook → Duplicate: a new, unsaved copy of the hook in the editor.
    QAction *duplicateAction() const { return m_duplicateAction; }
    // On every hook selected in the list (Ctrl/Shift+click selects several).
    QAction *activateSelectedAction() const { return m_activateSelectedAction; }
    QAction *deactivateSelectedAction() const { return m_deactivateSelectedAction; }
    QAction *deleteSelectedAction() const { return m_listDeleteAction; }
    // A copy of `hook` with its settings and headers (secret values too), a
    // signing secret of its own and "(copy)" after its description.
    static Webhook duplicateOf(const Webhook &hook);

    // Edit → Projects… and Edit → Event Types…: rename and delete projects,
    // edit and delete custom event types (ProjectsDialog, EventTypesDialog).
    QAction *projectsAction() const { return m_projectsAction; }
    QAction *eventTypesAction() const { return m_eventTypesAction; }

    QAction *openDatabaseAction() const { return m_openDatabaseAction; }
    // Databases opened before, newest first: file paths, and server URLs
    // without their password.
    static QStringList recentDatabases();
    static void rememberDatabase(const QString &location);
    static constexpr int MaxRecentDatabases = 8;

signals:
    // File → Open Database… opened this location (a path or a postgresql://
    // URL with its password); whoever made the window switches to it.
    void databaseChosen(const QString &location);

public slots:
    // A failure notification was clicked: shows the hook and, when not 0,
    // the attempt's row in the log.
    void showFailure(qint64 hookId, qint64 attemptId);
    // File → Open Database…; a location pre-fills it (Open Recent).
    void openDatabase(const QString &location = {});
    void importHooks();
    void exportHooks();
    void newHook();
    void duplicateHook();
    void setSelectedHooksActive(bool active);
    // One confirmation for every selected hook; keeps their history unless asked.
    void deleteSelectedHooks();
    void focusSearch();
    void addEventType();
    void showProjects();
    void showEventTypes();
    void about();
    // Opens the Send Test dialog for the hook in the editor.
    void sendTest();
    // Send Test with a logged attempt's hook, event and body (Edit and Resend).
    void editAndResend(qint64 attemptId);
    void showPreferences();

protected:
    void showEvent(QShowEvent *event) override;
    void closeEvent(QCloseEvent *event) override;

private:
    void createCentralArea();
    void createActions();
    void createMenus();
    void fillRecentMenu();

    void onSelectionChanged();
    void applySearch(const QString &text);
    void onHookSaved(qint64 id);
    void scheduleReconcile();
    void reconcile();
    void showNeighbour();
    void showHookInEditor(qint64 id);
    void selectInList(qint64 id);
    void updatePanes();
    void updateActions();
    void deleteCurrentHook();
    void focusEditor();

    QTabWidget *ensureBottomTabs();
    void restoreSettings();
    void restoreSelectedHook();
    void saveSettings() const;

    HookStore *m_store;
    QString m_databasePath;
    HookListModel *m_model;
    HookFilterModel *m_filter;

    QSplitter *m_verticalSplitter = nullptr;
    QSplitter *m_splitter = nullptr;
    QStackedWidget *m_centralStack = nullptr;
    QStackedWidget *m_rightStack = nullptr;
    EmptyState *m_emptyState = nullptr;
    QLabel *m_placeholder = nullptr;
    QLineEdit *m_search = nullptr;
    HookListView *m_list = nullptr;
    QPushButton *m_addButton = nullptr;
    HookEditor *m_editor = nullptr;
    QLabel *m_countLabel = nullptr;
    QLabel *m_listenerLabel = nullptr;
    QLabel *m_writeStatus = nullptr;
    StoreWriter *m_writer = nullptr;
    QTimer *m_pollTimer = nullptr;
    MessageBanner *m_banner = nullptr;
    QPushButton *m_sendTestButton = nullptr;
    EngineHost *m_service = nullptr;
    DeliveryStore *m_deliveries = nullptr;
    DeliveryLogPane *m_logPane = nullptr;
    QAction *m_toggleLogAction = nullptr;
    QTabWidget *m_bottomTabs = nullptr;
    InboxPane *m_inboxPane = nullptr;
    ListenerSettingsStore *m_listenerSettings = nullptr;
    ListenerPreferencesPage *m_listenerPage = nullptr;
    PreferencesDialog *m_preferences = nullptr;
    QAction *m_preferencesAction = nullptr;
    QAction *m_showInboxAction = nullptr;

    QAction *m_newAction = nullptr;
    QAction *m_duplicateAction = nullptr;
    QAction *m_activateSelectedAction = nullptr;
    QAction *m_deactivateSelectedAction = nullptr;
    QAction *m_saveAction = nullptr;
    QAction *m_revertAction = nullptr;
    QAction *m_deleteAction = nullptr;
    QAction *m_listDeleteAction = nullptr;
    QAction *m_quitAction = nullptr;
    QAction *m_findAction = nullptr;
    QAction *m_addEventTypeAction = nullptr;
    QAction *m_projectsAction = nullptr;
    QAction *m_eventTypesAction = nullptr;
    QAction *m_aboutAction = nullptr;
    QAction *m_aboutQtAction = nullptr;
    QAction *m_sendTestAction = nullptr;
    QAction *m_importAction = nullptr;
    QAction *m_exportHooksAction = nullptr;
    QAction *m_exportLogAction = nullptr;
    QMenu *m_deliveriesMenu = nullptr;
    QAction *m_openDatabaseAction = nullptr;
    QMenu *m_recentMenu = nullptr;

    // The editor shows a hook (existing or new) rather than the placeholder.
    bool m_editorActive = false;
    // The hook as it was when the editor loaded it, to notice changes made
    // elsewhere (the list's Active toggle, the command line).
    Webhook m_shownHook;
    // Row of the edited hook in the list, to pick a neighbour after a delete.
    int m_lastRow = 0;
    bool m_syncingSelection = false;
    bool m_reconcileQueued = false;
    // The editor deleted its hook and now shows a blank new one.
    bool m_deletedHere = false;
    bool m_settingsSaved = false;
    // The log's first height is still to be set (no saved splitter).
    bool m_logHeightPending = false;
};
