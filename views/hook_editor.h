#pragma once

#include "domain/event_catalog.h"
#include "domain/webhook.h"
#include "domain/webhook_validator.h"
#include "store/storage_error.h"

#include <QSet>
#include <QWidget>

class DeliveryStore;
class EventTreeModel;
class DeliveryPolicySection;
class HeaderTableModel;
class HookFilterSection;
class HookStore;
class PayloadPreview;
class ProjectListModel;
class QCheckBox;
class QComboBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QToolButton;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class QTableView;
class QTreeView;
class SecretField;
class SecretRotationStore;
class HookStatsStore;
class StoreWriter;
struct WriterStores;

// The settings page of one webhook: edits a copy of the stored hook, shows
// what is wrong next to each field as the user types, and writes the hook
// through HookStore only when it is valid.
class HookEditor final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HookEditor)

public:
    explicit HookEditor(HookStore *store, QWidget *parent = nullptr);
    ~HookEditor() override;

    void showHook(qint64 id); // loads from the store, clean state
    void showNewHook();       // a fresh hook with the defaults, clean state
    // A new, unsaved hook filled from `copy` (Duplicate): dirty until saved.
    void showCopyOf(const Webhook &original, const Webhook &copy);
    qint64 hookId() const; // 0 for a new unsaved hook
    bool isDirty() const;
    bool confirmDiscardOrSave(); // false on Cancel or a failed save
    // The log, so that Delete can say how much history the hook has. May be null.
    void setDeliveryStore(DeliveryStore *deliveries) { m_deliveries = deliveries; }
    // Enables "Rotate secret…" and shows the secrets still valid. May be null.
    void setSecretRotationStore(SecretRotationStore *rotations);
    // Shows the hook's delivery health (24 hours, 7 days). May be null.
    void setHookStatsStore(HookStatsStore *stats);
    // Where saves, deletes and the other writes go: the window's writer
    // thread. Without one they run at once on this thread's stores.
    void setStoreWriter(StoreWriter *writer) { m_writer = writer; }
    // A write of this editor is queued and has not landed yet.
    bool isWriting() const { return m_pendingWrites > 0; }
    // Runs the event loop (user input waits) until every write has landed.
    void waitForWrites();

    // The hook as the form currently describes it.
    Webhook formState() const;
    // The problems with formState(), as shown next to the fields.
    QList<FieldError> errors() const { return m_errors; }
    // The sample payload preview below the event tree, and its toggle
    // (collapsed at first; the choice is remembered).
    PayloadPreview *payloadPreview() const { return m_preview; }
    QToolButton *payloadPreviewToggle() const { return m_previewToggle; }

    // Where "Use local inbox" points: the running listener, e.g.
    // http://127.0.0.1:8484; empty disables it.
    void setLocalInboxBase(const QString &baseUrl);

public slots:
    bool save();
    void revert();
    void deleteHook();
    // Asks for the overlap, then gives the saved hook a new secret.
    void rotateSecret();
    void showReceiverCode();

signals:
    void dirtyChanged(bool dirty);
    // A write was queued (true) or the last one landed (false).
    void writingChanged(bool writing);
    void hookSaved(qint64 id);
    void hookDeleted(qint64 id);
    void addEventTypeRequested();

private:
    void buildUi();
    void useLocalInbox();
    QWidget *buildEndpointGroup();
    QWidget *buildHeadersGroup();
    QWidget *buildEventsGroup();
    QWidget *buildSigningGroup();
    QWidget *buildDeliveryGroup();
    QWidget *buildButtonBar();
    void setUpTabOrder();

    void loadForm(const Webhook &webhook);
    void reloadCatalog();
    void installGroupButtons();
    void updateState();
    void showErrors(const QList<FieldError> &errors);
    void setFieldError(QWidget *field, QLabel *label, const QString &message);
    // The fields a user types into, by int(FieldError::Field).
    QList<QPair<int, QWidget *>> typingFields() const;
    static bool containsFocus(const QWidget *widget);
    void onFocusChanged();
    void resetValidationTiming();
    void focusFirstError();
    void showStoreError(const QString &message);
    qint64 recordedAttempts() const;
    WriterStores stores() const;
    template <typename Job, typename Done>
    void write(const QString &what, Job job, Done done);
    void finishSave(const Webhook &submitted, const Result<Webhook> &saved);
    void deactivateInsteadOfDeleting();

    void addHeader();
    void removeSelectedHeaders();
    void addProject();
    void onProjectChanged();
    void onSchemeChanged();
    void showPreviousSecrets();
    void showHealth();

    HookStore *m_store;
    DeliveryStore *m_deliveries = nullptr;
    SecretRotationStore *m_rotations = nullptr;
    HookStatsStore *m_stats = nullptr;
    StoreWriter *m_writer = nullptr;
    int m_pendingWrites = 0;
    bool m_lastSaveOk = false;
    EventCatalog m_catalog;
    Webhook m_loaded;
    QList<FieldError> m_errors;
    bool m_loading = false;
    bool m_dirty = false;
    bool m_showErrors = false;
    // int(FieldError::Field) of fields typed in for the first time and not
    // yet left (their errors wait), and of fields the user has left.
    QSet<int> m_typingFields;
    QSet<int> m_leftFields;
    // The form at the last updateState(), to tell which field changed.
    Webhook m_lastForm;

    HeaderTableModel *m_headers;
    EventTreeModel *m_events;
    ProjectListModel *m_projects;

    QLabel *m_title = nullptr;
    QLabel *m_subtitle = nullptr;
    QLineEdit *m_url = nullptr;
    QToolButton *m_useInbox = nullptr;
    QString m_inboxBase;
    QCheckBox *m_active = nullptr;
    QLabel *m_urlError = nullptr;
    QComboBox *m_project = nullptr;
    QPushButton *m_newProject = nullptr;
    QLabel *m_projectError = nullptr;
    QPlainTextEdit *m_description = nullptr;
    QLabel *m_descriptionError = nullptr;
    QTableView *m_headersView = nullptr;
    QPushButton *m_addHeader = nullptr;
    QPushButton *m_removeHeader = nullptr;
    QLabel *m_headersError = nullptr;
    QLabel *m_secretSuggestion = nullptr;
    QCheckBox *m_sendPayload = nullptr;
    QCheckBox *m_sendForAll = nullptr;
    QTreeView *m_eventsView = nullptr;
    QLabel *m_orgOnlyNote = nullptr;
    QPushButton *m_addEventType = nullptr;
    QToolButton *m_previewToggle = nullptr;
    PayloadPreview *m_preview = nullptr;
    QLabel *m_actionsError = nullptr;
    QComboBox *m_scheme = nullptr;
    SecretField *m_secret = nullptr;
    QLabel *m_secretError = nullptr;
    QPushButton *m_rotate = nullptr;
    QPushButton *m_receiverCode = nullptr;
    QLabel *m_previousSecrets = nullptr;
    QFormLayout *m_signingForm = nullptr;
    QSpinBox *m_timeout = nullptr;
    QLabel *m_timeoutError = nullptr;
    QSpinBox *m_attempts = nullptr;
    QComboBox *m_httpVersion = nullptr;
    QCheckBox *m_verifyTls = nullptr;
    QLabel *m_verifyTlsWarning = nullptr;
    QLabel *m_attemptsError = nullptr;
    QFormLayout *m_deliveryForm = nullptr;
    QLabel *m_state = nullptr;
    QLabel *m_health = nullptr;
    HookFilterSection *m_filterSection = nullptr;
    DeliveryPolicySection *m_policySection = nullptr;
    QLabel *m_storeError = nullptr;
    QPushButton *m_save = nullptr;
    QPushButton *m_revert = nullptr;
    QPushButton *m_delete = nullptr;
};
