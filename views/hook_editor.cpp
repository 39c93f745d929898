#include "hook_editor.h"

#include "delivery/delivery_store.h"
#include "delivery_policy_section.h"
#include "domain/secret_mask.h"
#include "event_tree_delegate.h"
#include "header_table_delegate.h"
#include "hook_filter_section.h"
#include "items/event_tree_model.h"
#include "items/header_table_model.h"
#include "items/project_list_model.h"
#include "payload_preview.h"
#include "receiver_code_dialog.h"
#include "rotate_secret_dialog.h"
#include "secret_field.h"
#include "store/hook_stats_store.h"
#include "store/hook_store.h"
#include "store/secret_rotation_store.h"
#include "store/store_writer.h"
#include "validation_style.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QEventLoop>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QSettings>
#include <QSpinBox>
#include <QTableView>
#include <QTimer>
#include <QToolButton>
#include <QTreeView>
#include <QVBoxLayout>
#include <algorithm>

namespace {

const char *const ReservedProperty = "webhookAdminReserved";

QLabel *makeErrorLabel(const QString &objectName, QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setObjectName(objectName);
    label->setWordWrap(true);
    label->setTextFormat(Qt::PlainText);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QPalette palette = label->palette();
    palette.setColor(QPalette::WindowText, ValidationStyle::errorColor(palette));
    label->setPalette(palette);
    label->hide();
    return label;
}

QLabel *makeNoteLabel(const QString &text, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    label->setWordWrap(true);
    label->setTextFormat(Qt::PlainText);
    QPalette palette = label->palette();
    palette.setColor(QPalette::WindowText, ValidationStyle::mutedColor(palette));
    label->setPalette(palette);
    return label;
}

// A field with its error message right under it.
QWidget *withError(QWidget *field, QLabel *error, QWidget *parent)
{
    auto *box = new QWidget(parent);
    auto *layout = new QVBoxLayout(box);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(field);
    layout->addWidget(error);
    return box;
}

QWidget *withError(QLayout *fieldLayout, QLabel *error, QWidget *parent)
{
    auto *row = new QWidget(parent);
    fieldLayout->setContentsMargins(0, 0, 0, 0);
    row->setLayout(fieldLayout);
    return withError(row, error, parent);
}

QString outlineStyle(const QWidget *field)
{
    return QStringLiteral("%1#%2 { border: 1px solid %3; border-radius: 3px; }")
        .arg(QString::fromLatin1(field->metaObject()->className()), field->objectName(),
             ValidationStyle::errorColor(field->palette()).name());
}

} // namespace

HookEditor::HookEditor(HookStore *store, QWidget *parent)
    : QWidget(parent)
    , m_store(store)
    , m_headers(new HeaderTableModel(this))
    , m_events(new EventTreeModel(this))
    , m_projects(new ProjectListModel(store, this))
{
    buildUi();

    connect(m_store, &HookStore::eventTypesChanged, this, [this] {
        reloadCatalog();
        updateState();
    });
    connect(m_url, &QLineEdit::textChanged, this, &HookEditor::updateState);
    connect(m_active, &QCheckBox::toggled, this, &HookEditor::updateState);
    connect(m_project, &QComboBox::currentIndexChanged, this, &HookEditor::onProjectChanged);
    connect(m_description, &QPlainTextEdit::textChanged, this, &HookEditor::updateState);
    connect(m_headers, &HeaderTableModel::headersChanged, this, &HookEditor::updateState);
    connect(m_sendPayload, &QCheckBox::toggled, this, &HookEditor::updateState);
    connect(m_sendForAll, &QCheckBox::toggled, this, &HookEditor::updateState);
    connect(m_events, &EventTreeModel::checkedKeysChanged, this, &HookEditor::updateState);
    connect(m_events, &QAbstractItemModel::modelReset, this, [this] {
        m_eventsView->expandAll();
        installGroupButtons();
    });
    connect(m_scheme, &QComboBox::currentIndexChanged, this, &HookEditor::onSchemeChanged);
    connect(m_secret, &SecretField::textChanged, this, &HookEditor::updateState);
    connect(m_timeout, &QSpinBox::valueChanged, this, &HookEditor::updateState);
    connect(m_attempts, &QSpinBox::valueChanged, this, &HookEditor::updateState);
    connect(m_filterSection, &HookFilterSection::changed, this, &HookEditor::updateState);
    connect(m_policySection, &DeliveryPolicySection::changed, this, &HookEditor::updateState);
    connect(m_attempts, &QSpinBox::valueChanged, m_policySection, &DeliveryPolicySection::refresh);
    connect(m_policySection, &DeliveryPolicySection::resumeRequested, this, [this] {
        const qint64 id = m_loaded.id;
        write(
            tr("Resuming the webhook…"),
            [id](const WriterStores &s) { return s.hooks->resumeHook(id); },
            [this, id](const Status &resumed) {
                if (!resumed)
                    showStoreError(resumed.error().message);
                else if (!m_dirty && m_loaded.id == id)
                    showHook(id);
            });
    });

    // Errors of a field the user is typing in for the first time wait until
    // they leave it (or save).
    connect(qApp, &QApplication::focusChanged, this, &HookEditor::onFocusChanged);

    showNewHook();
}

HookEditor::~HookEditor()
{
    // An open cell editor commits while the child widgets are destroyed, after
    // this object has stopped being a HookEditor.
    m_loading = true;
    disconnect(qApp, nullptr, this, nullptr);
    disconnect(m_headers, nullptr, this, nullptr);
    disconnect(m_events, nullptr, this, nullptr);
}

// --- layout -------------------------------------------------------------

void HookEditor::buildUi()
{
    auto *content = new QWidget;
    auto *column = new QVBoxLayout(content);
    column->setSpacing(6);

    m_title = new QLabel(content);
    m_title->setObjectName(QStringLiteral("titleLabel"));
    QFont titleFont = m_title->font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.3);
    titleFont.setBold(true);
    m_title->setFont(titleFont);
    m_subtitle = makeNoteLabel(QString(), content);
    // One line, title and dates side by side: at the window's default size
    // every line here is one the URL, headers and first events compete for.
    auto *heading = new QHBoxLayout;
    heading->setSpacing(12);
    heading->addWidget(m_title, 0, Qt::AlignVCenter);
    heading->addWidget(m_subtitle, 1, Qt::AlignVCenter);
    column->addLayout(heading);

    column->addWidget(buildEndpointGroup());
    column->addWidget(buildHeadersGroup());
    // The event tree takes the height the window has to spare.
    column->addWidget(buildEventsGroup(), 1);
    column->addWidget(buildSigningGroup());
    column->addWidget(buildDeliveryGroup());
    // What is sent and at what pace: sections of their own (issue 11).
    const auto current = [this] {
        return formState();
    };
    m_filterSection = new HookFilterSection(m_store->databasePath(), current, content);
    column->addWidget(m_filterSection);
    m_policySection = new DeliveryPolicySection(current, content);
    column->addWidget(m_policySection);

    // One label column width for every group, so the fields line up.
    QList<QWidget *> labels;
    int labelWidth = 0;
    for (QFormLayout *form : content->findChildren<QFormLayout *>()) {
        for (int row = 0; row < form->rowCount(); ++row) {
            if (QLayoutItem *item = form->itemAt(row, QFormLayout::LabelRole);
                item && item->widget()) {
                labels.append(item->widget());
                labelWidth = std::max(labelWidth, item->widget()->sizeHint().width());
            }
        }
    }
    for (QWidget *label : std::as_const(labels))
        label->setMinimumWidth(labelWidth);

    auto *scroll = new QScrollArea(this);
    scroll->setObjectName(QStringLiteral("settingsScrollArea"));
    scroll->setWidget(content);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    // Never narrower than its fields need (longer in German): with no
    // horizontal scroll bar, a narrower editor would cut them off.
    scroll->setMinimumWidth(content->minimumSizeHint().width() +
                            scroll->verticalScrollBar()->sizeHint().width() +
                            2 * scroll->frameWidth());

    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->setSpacing(0);
    outer->addWidget(scroll, 1);
    outer->addWidget(buildButtonBar());

    setUpTabOrder();
}

QWidget *HookEditor::buildEndpointGroup()
{
    auto *group = new QGroupBox(tr("Endpoint"));
    auto *form = new QFormLayout(group);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);

    m_url = new QLineEdit(group);
    m_url->setObjectName(QStringLiteral("urlEdit"));
    m_url->setPlaceholderText(tr("https://example.com/webhooks/label-studio"));
    m_url->setToolTip(tr("Where each event is POSTed. http and https only; a host name without "
                         "a dot, such as a Docker service name, is fine."));
    m_url->setClearButtonEnabled(true);
    m_active = new QCheckBox(tr("&Active"), group);
    m_active->setObjectName(QStringLiteral("activeCheck"));
    m_active->setToolTip(tr("An inactive hook keeps its settings but receives nothing."));
    m_urlError = makeErrorLabel(QStringLiteral("urlError"), group);
    auto *urlRow = new QHBoxLayout;
    urlRow->addWidget(m_url, 1);
    m_useInbox = new QToolButton(group);
    m_useInbox->setObjectName(QStringLiteral("useLocalInboxButton"));
    m_useInbox->setText(tr("Use local inbox"));
    connect(m_useInbox, &QToolButton::clicked, this, &HookEditor::useLocalInbox);
    urlRow->addWidget(m_useInbox);
    setLocalInboxBase({});
    urlRow->addSpacing(8);
    urlRow->addWidget(m_active);
    auto *urlLabel = new QLabel(tr("Payload &URL:"), group);
    urlLabel->setBuddy(m_url);
    form->addRow(urlLabel, withError(urlRow, m_urlError, group));

    m_project = new QComboBox(group);
    m_project->setObjectName(QStringLiteral("projectCombo"));
    m_project->setModel(m_projects);
    m_project->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_project->setMinimumContentsLength(24);
    m_project->setToolTip(tr("A hook scoped to one project fires only for that project's "
                             "events; an organization-wide hook fires for all of them."));
    m_newProject = new QPushButton(tr("&New project…"), group);
    m_newProject->setObjectName(QStringLiteral("newProjectButton"));
    m_newProject->setToolTip(tr("Add a project to the list."));
    m_projectError = makeErrorLabel(QStringLiteral("projectError"), group);
    auto *projectRow = new QHBoxLayout;
    projectRow->addWidget(m_project, 1);
    projectRow->addWidget(m_newProject);
    auto *projectLabel = new QLabel(tr("Pro&ject:"), group);
    projectLabel->setBuddy(m_project);
    form->addRow(projectLabel, withError(projectRow, m_projectError, group));

    m_description = new QPlainTextEdit(group);
    m_description->setObjectName(QStringLiteral("descriptionEdit"));
    m_description->setTabChangesFocus(true);
    m_description->setPlaceholderText(tr("What the receiver does with these events"));
    const int lines = 2;
    m_description->setFixedHeight(
        m_description->fontMetrics().lineSpacing() * lines +
        2 * (m_description->frameWidth() + int(m_description->document()->documentMargin())) + 2);
    m_descriptionError = makeErrorLabel(QStringLiteral("descriptionError"), group);
    auto *descriptionLabel = new QLabel(tr("Descr&iption:"), group);
    descriptionLabel->setBuddy(m_description);
    form->addRow(descriptionLabel, withError(m_description, m_descriptionError, group));
    return group;
}

QWidget *HookEditor::buildHeadersGroup()
{
    auto *group = new QGroupBox(tr("Headers"));
    auto *layout = new QVBoxLayout(group);
    // One line: the window's default size has no height to spare here.
    layout->addWidget(makeNoteLabel(
        tr("Sent after the standard headers. Secret values are masked everywhere."), group));

    m_headersView = new QTableView(group);
    // Tab goes on to Events, Signing and Save; arrows move between cells.
    m_headersView->setTabKeyNavigation(false);
    m_headersView->setObjectName(QStringLiteral("headersView"));
    m_headersView->setModel(m_headers);
    m_headersView->setItemDelegate(new HeaderTableDelegate(m_headersView));
    m_headersView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_headersView->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_headersView->setEditTriggers(
        QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed |
        QAbstractItemView::AnyKeyPressed | QAbstractItemView::SelectedClicked);
    m_headersView->verticalHeader()->hide();
    m_headersView->setWordWrap(false);
    m_headersView->horizontalHeader()->setSectionResizeMode(HeaderTableModel::Name,
                                                            QHeaderView::Interactive);
    m_headersView->horizontalHeader()->setSectionResizeMode(HeaderTableModel::Value,
                                                            QHeaderView::Stretch);
    m_headersView->horizontalHeader()->setSectionResizeMode(HeaderTableModel::Secret,
                                                            QHeaderView::ResizeToContents);
    m_headersView->setColumnWidth(HeaderTableModel::Name, 200);
    // As tall as its rows, between two and eight: an empty table does not
    // push the events out of a small window, and Add header makes a row.
    const auto fitHeaders = [this] {
        const int rows = std::clamp(m_headers->rowCount(), 2, 8);
        m_headersView->setFixedHeight(m_headersView->verticalHeader()->defaultSectionSize() * rows +
                                      m_headersView->horizontalHeader()->sizeHint().height() +
                                      2 * m_headersView->frameWidth());
    };
    fitHeaders();
    connect(m_headers, &QAbstractItemModel::rowsInserted, this, fitHeaders);
    connect(m_headers, &QAbstractItemModel::rowsRemoved, this, fitHeaders);
    connect(m_headers, &QAbstractItemModel::modelReset, this, fitHeaders);
    m_headersView->setToolTip(tr("Double-click a cell or start typing to edit it."));

    m_addHeader = new QPushButton(tr("Add heade&r"), group);
    m_addHeader->setObjectName(QStringLiteral("addHeaderButton"));
    m_addHeader->setToolTip(tr("Add a row and start typing its name."));
    m_removeHeader = new QPushButton(tr("Remove header"), group);
    m_removeHeader->setObjectName(QStringLiteral("removeHeaderButton"));
    m_removeHeader->setToolTip(tr("Remove the selected rows."));
    m_removeHeader->setEnabled(false);
    auto *buttons = new QVBoxLayout;
    buttons->addWidget(m_addHeader);
    buttons->addWidget(m_removeHeader);
    buttons->addStretch(1);

    auto *row = new QHBoxLayout;
    row->addWidget(m_headersView, 1);
    row->addLayout(buttons);
    layout->addLayout(row);
    m_headersError = makeErrorLabel(QStringLiteral("headersError"), group);
    layout->addWidget(m_headersError);
    m_secretSuggestion = makeNoteLabel(QString(), group);
    m_secretSuggestion->setObjectName(QStringLiteral("secretHeaderSuggestion"));
    m_secretSuggestion->hide();
    layout->addWidget(m_secretSuggestion);

    connect(m_addHeader, &QPushButton::clicked, this, &HookEditor::addHeader);
    connect(m_removeHeader, &QPushButton::clicked, this, &HookEditor::removeSelectedHeaders);
    connect(m_headersView->selectionModel(), &QItemSelectionModel::selectionChanged, this, [this] {
        m_removeHeader->setEnabled(m_headersView->selectionModel()->hasSelection() &&
                                   m_headers->rowCount() > 0);
    });
    return group;
}

QWidget *HookEditor::buildEventsGroup()
{
    auto *group = new QGroupBox(tr("Payload and events"));
    auto *layout = new QVBoxLayout(group);

    m_sendPayload = new QCheckBox(tr("Send &payload"), group);
    m_sendPayload->setObjectName(QStringLiteral("sendPayloadCheck"));
    m_sendPayload->setToolTip(tr("When off, the body holds only the action, e.g. "
                                 "{\"action\": \"TASKS_CREATED\"}."));
    m_sendForAll = new QCheckBox(tr("Send for a&ll actions"), group);
    m_sendForAll->setObjectName(QStringLiteral("sendForAllCheck"));
    m_sendForAll->setToolTip(tr("When off, the hook fires only for the events checked below."));
    // One row for both, so the first events show in a small window.
    auto *checks = new QHBoxLayout;
    checks->addWidget(m_sendPayload);
    checks->addSpacing(16);
    checks->addWidget(m_sendForAll);
    checks->addStretch(1);
    layout->addLayout(checks);
    // The sample payload of the selected event, as this hook sends it. The
    // toggle shows at the default size; the pane opens below the tree (the
    // fields above keep their place) and is scrolled into view.
    m_previewToggle = new QToolButton(group);
    m_previewToggle->setObjectName(QStringLiteral("payloadPreviewToggle"));
    m_previewToggle->setText(tr("Sample payload"));
    m_previewToggle->setToolTip(tr("Show the body the selected event's sample payload makes, as "
                                   "this webhook sends it"));
    m_previewToggle->setCheckable(true);
    m_previewToggle->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_previewToggle->setAutoRaise(true);
    m_previewToggle->setArrowType(Qt::RightArrow);
    m_previewToggle->setFocusPolicy(Qt::StrongFocus);
    checks->addWidget(m_previewToggle);

    m_eventsView = new QTreeView(group);
    m_eventsView->setObjectName(QStringLiteral("eventsView"));
    m_eventsView->setModel(m_events);
    m_eventsView->setItemDelegate(new EventTreeDelegate(m_eventsView));
    m_eventsView->setUniformRowHeights(false);
    m_eventsView->setSelectionMode(QAbstractItemView::SingleSelection);
    m_eventsView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_eventsView->setAllColumnsShowFocus(true);
    m_eventsView->header()->setStretchLastSection(true);
    m_eventsView->header()->setSectionResizeMode(EventTreeModel::Name,
                                                 QHeaderView::ResizeToContents);
    m_eventsView->setMinimumHeight(280);
    m_eventsView->setToolTip(tr("Check the events this hook fires for. A group's check box "
                                "selects all or none of its events."));
    m_eventsView->expandAll();
    installGroupButtons();
    layout->addWidget(m_eventsView, 1);

    m_orgOnlyNote = makeNoteLabel(QString(), group);
    m_orgOnlyNote->setObjectName(QStringLiteral("orgOnlyNote"));
    layout->addWidget(m_orgOnlyNote);
    m_actionsError = makeErrorLabel(QStringLiteral("actionsError"), group);
    layout->addWidget(m_actionsError);

    m_addEventType = new QPushButton(tr("Add &custom event type…"), group);
    m_addEventType->setObjectName(QStringLiteral("addEventTypeButton"));
    m_addEventType->setToolTip(tr("Define an event of your own; it appears under Custom."));
    auto *buttonRow = new QHBoxLayout;
    buttonRow->addWidget(m_addEventType);
    buttonRow->addStretch(1);
    layout->addLayout(buttonRow);
    m_preview = new PayloadPreview(group);
    m_preview->hide();
    layout->addWidget(m_preview);

    connect(m_addEventType, &QPushButton::clicked, this, &HookEditor::addEventTypeRequested);
    const QString previewKey = QStringLiteral("hookEditor/payloadPreview");
    connect(m_previewToggle, &QToolButton::toggled, this, [this, previewKey](bool on) {
        m_previewToggle->setArrowType(on ? Qt::DownArrow : Qt::RightArrow);
        m_preview->setVisible(on);
        QSettings(QStringLiteral("webhook-admin"), QStringLiteral("webhook-admin"))
            .setValue(previewKey, on);
        if (on && m_previewToggle->hasFocus()) {
            // Opened by the user: bring it into view once it is laid out.
            QTimer::singleShot(0, this, [this] {
                if (auto *scroll = findChild<QScrollArea *>(QStringLiteral("settingsScrollArea")))
                    scroll->ensureWidgetVisible(m_preview, 0, 0);
            });
        }
    });
    m_previewToggle->setChecked(
        QSettings(QStringLiteral("webhook-admin"), QStringLiteral("webhook-admin"))
            .value(previewKey, false)
            .toBool());
    connect(m_eventsView->selectionModel(), &QItemSelectionModel::currentChanged, this,
            [this](const QModelIndex &current) {
                m_preview->selectEvent(current.data(EventTreeModel::EventKeyRole).toString());
            });
    return group;
}

QWidget *HookEditor::buildSigningGroup()
{
    auto *group = new QGroupBox(tr("Signing"));
    auto *form = new QFormLayout(group);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);

    m_scheme = new QComboBox(group);
    m_scheme->setObjectName(QStringLiteral("schemeCombo"));
    m_scheme->addItem(tr("None"), int(SignatureScheme::None));
    m_scheme->setItemData(0, tr("Requests are not signed."), Qt::ToolTipRole);
    m_scheme->addItem(tr("Standard Webhooks"), int(SignatureScheme::Standard));
    m_scheme->setItemData(1,
                          tr("webhook-signature: v1,<base64 HMAC-SHA256 of id.timestamp.body>; "
                             "the secret is written whsec_<base64 key>."),
                          Qt::ToolTipRole);
    m_scheme->addItem(tr("GitHub"), int(SignatureScheme::GitHub));
    m_scheme->setItemData(2, tr("X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the body>."),
                          Qt::ToolTipRole);
    auto *schemeLabel = new QLabel(tr("Si&gnature:"), group);
    schemeLabel->setBuddy(m_scheme);
    form->addRow(schemeLabel, m_scheme);

    m_secret = new SecretField(group);
    m_secret->setObjectName(QStringLiteral("secretField"));
    m_secretError = makeErrorLabel(QStringLiteral("secretError"), group);
    auto *secretLabel = new QLabel(tr("Secre&t:"), group);
    secretLabel->setBuddy(m_secret);
    form->addRow(secretLabel, withError(m_secret, m_secretError, group));

    m_rotate = new QPushButton(tr("Rotate secret…"), group);
    m_rotate->setObjectName(QStringLiteral("rotateSecretButton"));
    m_rotate->setToolTip(tr("A new secret for the saved hook; the old one can keep signing "
                            "for a while, so receivers switch over without rejecting requests."));
    m_previousSecrets = makeNoteLabel(QString(), group);
    m_previousSecrets->setObjectName(QStringLiteral("previousSecretsLabel"));
    auto *rotateRow = new QVBoxLayout;
    rotateRow->setContentsMargins(0, 0, 0, 0);
    auto *buttonRow = new QHBoxLayout;
    buttonRow->addWidget(m_rotate);
    m_receiverCode = new QPushButton(tr("Receiver code…"), group);
    m_receiverCode->setObjectName(QStringLiteral("receiverCodeButton"));
    m_receiverCode->setToolTip(
        tr("Code a receiver can use to verify this scheme's signatures: Python, Node.js, Go"));
    buttonRow->addWidget(m_receiverCode);
    buttonRow->addStretch(1);
    rotateRow->addLayout(buttonRow);
    rotateRow->addWidget(m_previousSecrets);
    form->addRow(QString(), rotateRow);
    m_rotate->setVisible(false); // until a SecretRotationStore is set
    m_previousSecrets->setVisible(false);
    m_signingForm = form;
    connect(m_rotate, &QPushButton::clicked, this, &HookEditor::rotateSecret);
    connect(m_receiverCode, &QPushButton::clicked, this, &HookEditor::showReceiverCode);
    return group;
}

QWidget *HookEditor::buildDeliveryGroup()
{
    auto *group = new QGroupBox(tr("Delivery"));
    m_deliveryForm = new QFormLayout(group);
    m_deliveryForm->setFieldGrowthPolicy(QFormLayout::FieldsStayAtSizeHint);

    m_timeout = new QSpinBox(group);
    m_timeout->setObjectName(QStringLiteral("timeoutSpin"));
    m_timeout->setRange(1, Webhook::MaxTimeoutSeconds);
    m_timeout->setSuffix(tr(" s"));
    m_timeout->setToolTip(tr("How long one attempt may take before it counts as failed."));
    m_timeoutError = makeErrorLabel(QStringLiteral("timeoutError"), group);
    auto *timeoutLabel = new QLabel(tr("Time&out:"), group);
    timeoutLabel->setBuddy(m_timeout);
    m_deliveryForm->addRow(timeoutLabel, withError(m_timeout, m_timeoutError, group));

    m_attempts = new QSpinBox(group);
    m_attempts->setObjectName(QStringLiteral("attemptsSpin"));
    m_attempts->setRange(1, Webhook::MaxAttemptsLimit);
    m_attempts->setSpecialValueText(tr("1 (never retry)"));
    m_attempts->setToolTip(tr("Attempts per delivery, the first one included. 1 = never retry; "
                              "the default of 8 retries for about a day."));
    m_timeout->setMinimumWidth(m_attempts->sizeHint().width());
    m_attemptsError = makeErrorLabel(QStringLiteral("attemptsError"), group);
    auto *attemptsLabel = new QLabel(tr("Atte&mpts:"), group);
    attemptsLabel->setBuddy(m_attempts);
    m_deliveryForm->addRow(attemptsLabel, withError(m_attempts, m_attemptsError, group));

    m_httpVersion = new QComboBox(group);
    m_httpVersion->setObjectName(QStringLiteral("httpVersionCombo"));
    m_httpVersion->addItem(tr("Automatic (HTTP/2 over TLS when offered)"), int(HttpVersion::Auto));
    m_httpVersion->setItemData(0,
                               tr("HTTP/2 when an https receiver offers it while connecting, "
                                  "otherwise HTTP/1.1. Right for almost every receiver."),
                               Qt::ToolTipRole);
    m_httpVersion->addItem(tr("HTTP/1.1 only"), int(HttpVersion::Http1));
    m_httpVersion->setItemData(1, tr("Never HTTP/2, even when the receiver offers it."),
                               Qt::ToolTipRole);
    m_httpVersion->addItem(tr("HTTP/2 with prior knowledge"), int(HttpVersion::Http2));
    m_httpVersion->setItemData(2,
                               tr("HTTP/2 from the first byte, also over plain http (h2c), "
                                  "without asking the receiver first."),
                               Qt::ToolTipRole);
    m_httpVersion->setToolTip(
        tr("With prior knowledge, HTTP/2 starts without negotiating: only for a receiver known "
           "to speak it that way; with any other receiver every attempt fails."));
    // No mnemonic: every letter of "HTTP version" is taken in this window,
    // the menu bar's included, so the field is reached by Tab.
    auto *httpVersionLabel = new QLabel(tr("HTTP version:"), group);
    httpVersionLabel->setBuddy(m_httpVersion);
    m_deliveryForm->addRow(httpVersionLabel, m_httpVersion);
    connect(m_httpVersion, &QComboBox::currentIndexChanged, this, &HookEditor::updateState);

    m_verifyTls = new QCheckBox(tr("Chec&k the receiver's TLS certificate"), group);
    m_verifyTls->setObjectName(QStringLiteral("verifyTlsCheck"));
    m_verifyTls->setToolTip(tr("Switch off only for a receiver you control that uses a "
                               "self-signed certificate: anyone in between could read and change "
                               "the requests."));
    m_verifyTlsWarning = makeErrorLabel(QStringLiteral("verifyTlsWarning"), group);
    m_verifyTlsWarning->setText(tr("Certificate checks are off: requests to this webhook can be "
                                   "read and changed by anyone in between."));
    m_deliveryForm->addRow(QString(), withError(m_verifyTls, m_verifyTlsWarning, group));
    connect(m_verifyTls, &QCheckBox::toggled, this, [this](bool on) {
        m_verifyTlsWarning->setVisible(!on);
        updateState();
    });

    m_state = new QLabel(group);
    m_state->setObjectName(QStringLiteral("stateLabel"));
    m_state->setWordWrap(true);
    m_state->setTextFormat(Qt::PlainText);
    m_state->setTextInteractionFlags(Qt::TextSelectableByMouse);
    // The form keeps fields at their size hint, which for wrapped text is a
    // few words wide; a disabled reason needs a line of its own.
    m_state->setMinimumWidth(m_state->fontMetrics().averageCharWidth() * 60);
    m_deliveryForm->addRow(tr("State:"), m_state);

    m_health = new QLabel(group);
    m_health->setObjectName(QStringLiteral("healthLabel"));
    m_health->setWordWrap(true);
    m_health->setTextFormat(Qt::PlainText);
    m_health->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_health->setMinimumWidth(m_health->fontMetrics().averageCharWidth() * 60);
    m_health->setToolTip(tr("Finished attempts queued in the window; p50 and p95: the "
                            "duration half and 95 % of them stayed within"));
    m_deliveryForm->addRow(tr("Health:"), m_health);
    m_deliveryForm->setRowVisible(m_health, false);
    return group;
}

QWidget *HookEditor::buildButtonBar()
{
    auto *bar = new QWidget(this);
    auto *layout = new QVBoxLayout(bar);
    // Close under the settings, level with the list's buttons.
    const QMargins margins = layout->contentsMargins();
    layout->setContentsMargins(margins.left(), 4, margins.right(), 0);
    m_storeError = makeErrorLabel(QStringLiteral("storeError"), bar);
    layout->addWidget(m_storeError);

    // No mnemonic: Alt+D opens the Deliveries menu; Ctrl+Shift+D deletes.
    m_delete = new QPushButton(tr("Delete…"), bar);
    m_delete->setObjectName(QStringLiteral("deleteButton"));
    m_delete->setToolTip(tr("Delete this webhook after asking."));
    m_revert = new QPushButton(tr("Revert"), bar);
    m_revert->setObjectName(QStringLiteral("revertButton"));
    m_revert->setToolTip(tr("Throw away the unsaved changes."));
    m_save = new QPushButton(tr("&Save"), bar);
    m_save->setObjectName(QStringLiteral("saveButton"));
    m_save->setDefault(true);
    m_save->setToolTip(tr("Save the webhook. Fix the fields marked in red first."));
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_delete);
    buttons->addStretch(1);
    buttons->addWidget(m_revert);
    buttons->addWidget(m_save);
    layout->addLayout(buttons);

    connect(m_save, &QPushButton::clicked, this, &HookEditor::save);
    connect(m_revert, &QPushButton::clicked, this, &HookEditor::revert);
    connect(m_delete, &QPushButton::clicked, this, &HookEditor::deleteHook);
    connect(m_newProject, &QPushButton::clicked, this, &HookEditor::addProject);
    return bar;
}

void HookEditor::setUpTabOrder()
{
    const QList<QWidget *> order{m_url,
                                 m_active,
                                 m_project,
                                 m_newProject,
                                 m_description,
                                 m_headersView,
                                 m_addHeader,
                                 m_removeHeader,
                                 m_sendPayload,
                                 m_sendForAll,
                                 m_previewToggle,
                                 m_eventsView,
                                 m_addEventType,
                                 m_preview->eventCombo(),
                                 m_preview->bodyView(),
                                 m_scheme,
                                 m_secret->lineEdit(),
                                 m_secret->generateButton(),
                                 m_secret->revealButton(),
                                 m_secret->copyButton(),
                                 m_rotate,
                                 m_receiverCode,
                                 m_timeout,
                                 m_attempts,
                                 m_httpVersion,
                                 m_verifyTls,
                                 m_delete,
                                 m_revert,
                                 m_save};
    for (qsizetype i = 1; i < order.size(); ++i)
        setTabOrder(order.at(i - 1), order.at(i));
}

// Group rows carry "All" / "None" buttons: select all / none per group.
void HookEditor::installGroupButtons()
{
    for (int row = 0; row < m_events->rowCount(); ++row) {
        const QModelIndex name = m_events->index(row, EventTreeModel::Name);
        const QModelIndex key = m_events->index(row, EventTreeModel::Key);
        const QString group = name.data(EventTreeModel::GroupRole).toString();
        const QString title = EventCatalog::groupTitle(group);
        if (m_events->rowCount(name) == 0) {
            QLabel *hint = makeNoteLabel(group == EventCatalog::CustomGroup
                                             ? tr("None yet: add one with the button below.")
                                             : tr("No event types."),
                                         m_eventsView->viewport());
            m_eventsView->setIndexWidget(key, hint);
            continue;
        }
        auto *box = new QWidget(m_eventsView->viewport());
        auto *layout = new QHBoxLayout(box);
        layout->setContentsMargins(0, 0, 0, 0);
        layout->setSpacing(4);
        auto *all = new QToolButton(box);
        all->setObjectName(QStringLiteral("selectAll_") + group);
        all->setText(tr("Select all"));
        all->setToolTip(tr("Check every event in %1.").arg(title));
        all->setAutoRaise(true);
        all->setFocusPolicy(Qt::NoFocus);
        auto *none = new QToolButton(box);
        none->setObjectName(QStringLiteral("selectNone_") + group);
        none->setText(tr("Select none"));
        none->setToolTip(tr("Clear every event in %1.").arg(title));
        none->setAutoRaise(true);
        none->setFocusPolicy(Qt::NoFocus);
        layout->addWidget(all);
        layout->addWidget(none);
        layout->addStretch(1);
        connect(all, &QToolButton::clicked, this,
                [this, group] { m_events->setGroupChecked(group, true); });
        connect(none, &QToolButton::clicked, this,
                [this, group] { m_events->setGroupChecked(group, false); });
        m_eventsView->setIndexWidget(key, box);
    }
}

// --- loading ------------------------------------------------------------

void HookEditor::reloadCatalog()
{
    m_catalog = m_store->catalog();
    m_events->setCatalog(m_catalog); // keeps the checks; the reset re-expands
    QStringList orgOnly;
    for (const EventType &type : m_catalog.types()) {
        if (type.organizationOnly)
            orgOnly.append(type.name);
    }
    m_orgOnlyNote->setText(tr("Organization-wide events (%1) cannot be checked: a hook scoped "
                              "to one project never receives them.")
                               .arg(QLocale().createSeparatedList(orgOnly)));
}

void HookEditor::showHook(qint64 id)
{
    Result<Webhook> loaded = m_store->hook(id);
    if (!loaded) {
        showNewHook();
        showStoreError(loaded.error().message);
        return;
    }
    m_loaded = loaded.value();
    m_showErrors = true;
    loadForm(m_loaded);
}

void HookEditor::showNewHook()
{
    m_loaded = Webhook{};
    // Errors of an untouched new form would only shout at the user.
    m_showErrors = false;
    loadForm(m_loaded);
}

void HookEditor::showCopyOf(const Webhook &original, const Webhook &copy)
{
    m_loaded = Webhook{};
    // The URL field masks a user:password@; saving puts the copy's back.
    m_loaded.url = copy.url;
    m_showErrors = true;
    loadForm(copy);
    //: %1 is the number of the webhook that was duplicated
    m_title->setText(tr("Copy of webhook %1").arg(original.id));
    m_subtitle->setText(copy.secret != original.secret
                            ? tr("Not saved yet. It has a signing secret of its own.")
                            : tr("Not saved yet."));
    m_url->setFocus();
}

void HookEditor::loadForm(const Webhook &webhook)
{
    m_loading = true;
    resetValidationTiming();
    reloadCatalog();
    m_storeError->hide();

    if (webhook.id == 0) {
        m_title->setText(tr("New webhook"));
        m_subtitle->setText(tr("Not saved yet."));
    } else {
        m_title->setText(tr("Webhook %1").arg(webhook.id));
        const QLocale locale;
        m_subtitle->setText(
            tr("Created %1, last changed %2.")
                .arg(locale.toString(webhook.createdAt.toLocalTime(), QLocale::ShortFormat),
                     locale.toString(webhook.updatedAt.toLocalTime(), QLocale::ShortFormat)));
    }

    // The password of a user:password@ URL stays masked; formState() puts it back.
    m_url->setText(SecretMask::url(webhook.url));
    m_url->setCursorPosition(0);
    m_active->setChecked(webhook.isActive);
    m_project->setCurrentIndex(std::max(0, m_projects->rowForProject(webhook.projectId)));
    m_events->setProjectScoped(webhook.projectId.has_value());
    m_orgOnlyNote->setVisible(webhook.projectId.has_value());
    m_description->setPlainText(webhook.description);
    m_headers->setHeaders(webhook.headers);
    m_sendPayload->setChecked(webhook.sendPayload);
    m_sendForAll->setChecked(webhook.sendForAllActions);
    m_events->setCheckedKeys(webhook.actions);
    m_scheme->setCurrentIndex(std::max(0, m_scheme->findData(int(webhook.signature))));
    m_secret->setScheme(webhook.signature);
    m_secret->setText(webhook.secret);
    m_secret->setRevealed(false);
    m_timeout->setValue(webhook.timeoutSeconds);
    m_attempts->setValue(webhook.maxAttempts);
    m_httpVersion->setCurrentIndex(std::max(0, m_httpVersion->findData(int(webhook.httpVersion))));
    m_verifyTls->setChecked(webhook.verifyTls);
    m_verifyTlsWarning->setVisible(!webhook.verifyTls);
    m_filterSection->load(webhook, m_catalog);
    m_policySection->load(webhook);

    QStringList state;
    if (webhook.consecutiveFailures > 0)
        state.append(tr("%n consecutive failed deliveries.", nullptr, webhook.consecutiveFailures));
    if (!webhook.disabledReason.isEmpty())
        state.append(tr("Deactivated: %1").arg(webhook.disabledReason));
    m_state->setText(state.join(QLatin1Char('\n')));
    m_deliveryForm->setRowVisible(m_state, !state.isEmpty());
    showPreviousSecrets();
    showHealth();

    m_loading = false;
    m_lastForm = formState();
    updateState();
    if (webhook.id == 0)
        m_url->setFocus();
}

// --- state --------------------------------------------------------------

Webhook HookEditor::formState() const
{
    Webhook w = m_loaded;
    w.url = SecretMask::unmaskUrl(m_url->text(), m_loaded.url);
    w.isActive = m_active->isChecked();
    w.projectId = m_projects->projectAt(m_project->currentIndex());
    w.description = m_description->toPlainText();
    w.headers = m_headers->headers();
    w.sendPayload = m_sendPayload->isChecked();
    w.sendForAllActions = m_sendForAll->isChecked();
    w.actions = m_events->checkedKeys();
    w.signature = SignatureScheme(m_scheme->currentData().toInt());
    // With no scheme the secret is kept in the field (switching back restores
    // it) but not saved.
    w.secret = w.signature == SignatureScheme::None ? QString() : m_secret->text();
    w.timeoutSeconds = m_timeout->value();
    w.maxAttempts = m_attempts->value();
    w.httpVersion = HttpVersion(m_httpVersion->currentData().toInt());
    w.verifyTls = m_verifyTls->isChecked();
    if (m_filterSection) {
        w.filter = m_filterSection->filterText();
        (void)m_policySection->apply(&w);
    }
    return w;
}

qint64 HookEditor::hookId() const
{
    return m_loaded.id;
}

bool HookEditor::isDirty() const
{
    return m_dirty;
}

void HookEditor::updateState()
{
    if (m_loading)
        return;
    const Webhook w = formState();
    m_errors = WebhookValidator::validate(w, m_catalog);
    const bool dirty = !(w == m_loaded);
    if (dirty)
        m_showErrors = true;
    // A field changed while it has the focus, and not left since the form
    // was loaded: the user is typing it for the first time.
    using F = FieldError::Field;
    const QSet<int> changed = [&] {
        QSet<int> fields;
        if (w.url != m_lastForm.url)
            fields.insert(int(F::Url));
        if (w.description != m_lastForm.description)
            fields.insert(int(F::Description));
        if (w.headers != m_lastForm.headers)
            fields.insert(int(F::Headers));
        if (w.secret != m_lastForm.secret)
            fields.insert(int(F::Secret));
        if (w.timeoutSeconds != m_lastForm.timeoutSeconds)
            fields.insert(int(F::Timeout));
        if (w.maxAttempts != m_lastForm.maxAttempts)
            fields.insert(int(F::MaxAttempts));
        return fields;
    }();
    m_lastForm = w;
    for (const auto &[field, widget] : typingFields()) {
        if (changed.contains(field) && !m_leftFields.contains(field) && containsFocus(widget))
            m_typingFields.insert(field);
    }
    QList<FieldError> shown;
    if (m_showErrors) {
        for (const FieldError &error : std::as_const(m_errors)) {
            if (!m_typingFields.contains(int(error.field)))
                shown.append(error);
        }
    }
    m_headers->setErrorsShown(!m_typingFields.contains(int(FieldError::Field::Headers)));
    showErrors(shown);
    const QList<int> suggested = m_headers->suggestedSecretRows();
    QStringList names;
    for (const int row : suggested)
        names.append(m_headers->headers().at(row).name);
    //: %1 is a header name, e.g. Authorization
    m_secretSuggestion->setText(
        names.size() == 1
            ? tr("%1 looks like a credential: tick Secret to mask it wherever it is shown or "
                 "exported.")
                  .arg(names.constFirst())
            //: %1 lists header names, e.g. "Authorization and X-Api-Key"
            : tr("%1 look like credentials: tick Secret to mask them wherever they are shown "
                 "or exported.")
                  .arg(QLocale().createSeparatedList(names)));
    m_secretSuggestion->setVisible(!names.isEmpty());

    m_eventsView->setEnabled(!w.sendForAllActions);
    m_preview->setHook(m_catalog, w, w.projectId ? m_project->currentText() : QString());
    m_secret->setEnabled(w.signature != SignatureScheme::None);
    m_addHeader->setEnabled(m_headers->rowCount() < Webhook::MaxHeaders);
    // One save at a time: the next one waits for the answer to this one.
    m_save->setEnabled(m_errors.isEmpty() && (dirty || m_loaded.id == 0) && m_pendingWrites == 0);
    m_save->setText(m_pendingWrites > 0 ? tr("Saving…") : tr("&Save"));
    m_revert->setEnabled(dirty);
    m_delete->setEnabled(m_loaded.id != 0);
    // Rotation writes the stored hook: only a saved, signing, unchanged one.
    m_rotate->setEnabled(m_rotations && m_loaded.id != 0 && !dirty &&
                         m_loaded.signature != SignatureScheme::None && !m_loaded.secret.isEmpty());
    m_receiverCode->setEnabled(w.signature != SignatureScheme::None);

    if (dirty != m_dirty) {
        m_dirty = dirty;
        emit dirtyChanged(dirty);
    }
}

void HookEditor::showErrors(const QList<FieldError> &errors)
{
    using F = FieldError::Field;
    auto messageFor = [&errors](F field) {
        QStringList messages;
        for (const FieldError &error : errors) {
            if (error.field != field)
                continue;
            if (field == F::Headers && error.row >= 0)
                messages.append(tr("Row %1: %2").arg(error.row + 1).arg(error.message));
            else
                messages.append(error.message);
        }
        return messages.join(QLatin1Char('\n'));
    };
    setFieldError(m_url, m_urlError, messageFor(F::Url));
    setFieldError(m_project, m_projectError, messageFor(F::Project));
    setFieldError(m_description, m_descriptionError, messageFor(F::Description));
    setFieldError(m_headersView, m_headersError, messageFor(F::Headers));
    setFieldError(m_eventsView, m_actionsError, messageFor(F::Actions));
    setFieldError(m_secret->lineEdit(), m_secretError, messageFor(F::Secret));
    setFieldError(m_timeout, m_timeoutError, messageFor(F::Timeout));
    setFieldError(m_attempts, m_attemptsError, messageFor(F::MaxAttempts));
}

void HookEditor::setFieldError(QWidget *field, QLabel *label, const QString &message)
{
    if (label->text() == message &&
        (label->isHidden() == message.isEmpty() || label->property(ReservedProperty).toBool()))
        return;
    // Once shown, a message keeps its room until the form is loaded again,
    // so fixing and breaking a field while typing does not move the page.
    if (!message.isEmpty())
        label->setProperty(ReservedProperty, true);
    label->setText(message);
    label->setMinimumHeight(
        label->property(ReservedProperty).toBool() ? label->fontMetrics().lineSpacing() : 0);
    label->setVisible(!message.isEmpty() || label->property(ReservedProperty).toBool());
    field->setStyleSheet(message.isEmpty() ? QString() : outlineStyle(field));
}

QList<QPair<int, QWidget *>> HookEditor::typingFields() const
{
    using F = FieldError::Field;
    return {{int(F::Url), m_url},
            {int(F::Description), m_description},
            {int(F::Headers), m_headersView},
            {int(F::Secret), m_secret->lineEdit()},
            {int(F::Timeout), m_timeout},
            {int(F::MaxAttempts), m_attempts}};
}

bool HookEditor::containsFocus(const QWidget *widget)
{
    const QWidget *focus = QApplication::focusWidget();
    return focus && (focus == widget || widget->isAncestorOf(focus));
}

void HookEditor::onFocusChanged()
{
    if (m_typingFields.isEmpty())
        return;
    bool left = false;
    for (const auto &[field, widget] : typingFields()) {
        if (m_typingFields.contains(field) && !containsFocus(widget)) {
            m_typingFields.remove(field);
            m_leftFields.insert(field);
            left = true;
        }
    }
    if (left)
        updateState();
}

void HookEditor::resetValidationTiming()
{
    m_typingFields.clear();
    m_leftFields.clear();
    for (QLabel *label : {m_urlError, m_projectError, m_descriptionError, m_headersError,
                          m_actionsError, m_secretError, m_timeoutError, m_attemptsError}) {
        label->setProperty(ReservedProperty, false);
        label->setMinimumHeight(0);
        if (label->text().isEmpty())
            label->hide();
    }
}

void HookEditor::focusFirstError()
{
    using F = FieldError::Field;
    if (m_errors.isEmpty())
        return;
    switch (m_errors.constFirst().field) {
    case F::Url:
        m_url->setFocus();
        break;
    case F::Project:
        m_project->setFocus();
        break;
    case F::Description:
        m_description->setFocus();
        break;
    case F::Headers:
        m_headersView->setFocus();
        if (m_errors.constFirst().row >= 0)
            m_headersView->setCurrentIndex(m_headers->index(m_errors.constFirst().row, 0));
        break;
    case F::Actions:
        m_eventsView->setFocus();
        break;
    case F::Secret:
        m_secret->lineEdit()->setFocus();
        break;
    case F::Timeout:
        m_timeout->setFocus();
        break;
    case F::MaxAttempts:
        m_attempts->setFocus();
        break;
    case F::Filter:
        m_filterSection->setFocus();
        break;
    case F::RateLimit:
    case F::MaxInFlight:
    case F::RetryOn:
    case F::RetrySchedule:
        m_policySection->setFocus();
        break;
    }
}

void HookEditor::setSecretRotationStore(SecretRotationStore *rotations)
{
    m_rotations = rotations;
    m_rotate->setVisible(rotations != nullptr);
    showPreviousSecrets();
    updateState();
}

void HookEditor::setHookStatsStore(HookStatsStore *stats)
{
    m_stats = stats;
    showHealth();
}

void HookEditor::showHealth()
{
    QStringList lines;
    if (m_stats && m_loaded.id != 0) {
        const Result<QStringList> summary =
            m_stats->summary(m_loaded.id, QDateTime::currentDateTimeUtc());
        lines = summary ? summary.value() : QStringList{summary.error().message};
    }
    m_health->setText(lines.join(QLatin1Char('\n')));
    m_deliveryForm->setRowVisible(m_health, !lines.isEmpty());
}

void HookEditor::showPreviousSecrets()
{
    QString text;
    if (m_rotations && m_loaded.id != 0 && m_loaded.signature == SignatureScheme::Standard) {
        Result<QList<PreviousSecret>> previous =
            m_rotations->previousSecrets(m_loaded.id, QDateTime::currentDateTimeUtc());
        if (!previous) {
            text = previous.error().message;
        } else if (!previous->isEmpty()) {
            const QString until = QLocale().toString(previous->first().validUntil.toLocalTime(),
                                                     QLocale::ShortFormat);
            text = previous->size() == 1
                       ? tr("Previous secret valid until %1; requests carry both signatures "
                            "until then.")
                             .arg(until)
                       : tr("%n previous secrets still sign, the newest until %1.", nullptr,
                            int(previous->size()))
                             .arg(until);
        }
    } else if (m_rotations && m_loaded.signature == SignatureScheme::GitHub) {
        text = tr("GitHub signs with one secret: rotating switches to the new one at once.");
    }
    m_previousSecrets->setText(text);
    m_previousSecrets->setVisible(!text.isEmpty());
}

void HookEditor::rotateSecret()
{
    if (!m_rotations || m_loaded.id == 0 || m_dirty)
        return;
    RotateSecretDialog dialog(m_loaded.id, m_loaded.signature, this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    const qint64 id = m_loaded.id;
    const qint64 overlap = dialog.overlapSeconds();
    write(
        tr("Rotating the signing secret…"),
        [id, overlap](const WriterStores &s) {
            return s.rotations->rotate(id, QString(), overlap, QDateTime::currentDateTimeUtc());
        },
        [this, id](const Result<SecretRotation> &rotated) {
            if (!rotated) {
                showStoreError(rotated.error().message);
                return;
            }
            if (m_loaded.id == id && !m_dirty)
                showHook(id);
            emit hookSaved(id);
        });
}

void HookEditor::showReceiverCode()
{
    // The scheme chosen on the page, saved or not: the receiver is written for it.
    const auto scheme = SignatureScheme(m_scheme->currentData().toInt());
    if (scheme == SignatureScheme::None)
        return;
    ReceiverCodeDialog dialog(m_loaded.id, scheme, this);
    dialog.exec();
}

void HookEditor::showStoreError(const QString &message)
{
    m_storeError->setText(message);
    m_storeError->setVisible(!message.isEmpty());
}

// --- actions ------------------------------------------------------------

bool HookEditor::save()
{
    // One save at a time (Save is disabled meanwhile; Ctrl+S may still come).
    if (m_pendingWrites > 0)
        return false;
    // A header cell still being edited belongs to the form.
    const QModelIndex current = m_headersView->currentIndex();
    if (QWidget *cellEditor = m_headersView->indexWidget(current))
        m_headersView->itemDelegate()->setModelData(cellEditor, m_headers, current);

    m_typingFields.clear();
    updateState();
    if (!m_errors.isEmpty()) {
        m_showErrors = true;
        showErrors(m_errors);
        showStoreError(tr("The webhook was not saved: fix the fields marked in red."));
        focusFirstError();
        return false;
    }
    // The writer answers when it is stored; until then Save waits and the
    // form may be edited on.
    const Webhook submitted = formState();
    m_lastSaveOk = false;
    write(
        tr("Saving the webhook…"),
        [submitted](const WriterStores &s) { return s.hooks->saveHook(submitted); },
        [this, submitted](const Result<Webhook> &saved) { finishSave(submitted, saved); });
    return !isWriting() ? m_lastSaveOk : true;
}

void HookEditor::finishSave(const Webhook &submitted, const Result<Webhook> &saved)
{
    // The editor moved on to another hook meanwhile: the list shows the save.
    if (m_loaded.id != submitted.id) {
        if (saved)
            emit hookSaved(saved->id);
        return;
    }
    if (!saved) {
        showStoreError(tr("The webhook was not saved: %1").arg(saved.error().message));
        updateState();
        return;
    }
    m_lastSaveOk = true;
    const bool editedSince = !(formState() == submitted);
    m_loaded = saved.value();
    m_showErrors = true;
    if (editedSince) {
        // Typed on while it was being stored: keep those edits, unsaved.
        m_storeError->hide();
        updateState();
    } else {
        loadForm(m_loaded);
    }
    emit hookSaved(m_loaded.id);
}

WriterStores HookEditor::stores() const
{
    WriterStores stores;
    stores.hooks = m_store;
    stores.deliveries = m_deliveries;
    stores.rotations = m_rotations;
    return stores;
}

template <typename Job, typename Done>
void HookEditor::write(const QString &what, Job job, Done done)
{
    if (++m_pendingWrites == 1)
        emit writingChanged(true);
    updateState();
    StoreWriter::submitTo(m_writer, stores(), this, what, std::move(job),
                          [this, done = std::move(done)](auto result) {
                              --m_pendingWrites;
                              done(std::move(result));
                              updateState();
                              if (m_pendingWrites == 0)
                                  emit writingChanged(false);
                          });
}

void HookEditor::waitForWrites()
{
    if (m_pendingWrites == 0)
        return;
    QEventLoop loop;
    connect(this, &HookEditor::writingChanged, &loop, [&loop](bool writing) {
        if (!writing)
            loop.quit();
    });
    loop.exec(QEventLoop::ExcludeUserInputEvents);
}

void HookEditor::revert()
{
    m_showErrors = m_loaded.id != 0;
    loadForm(m_loaded);
}

qint64 HookEditor::recordedAttempts() const
{
    if (!m_deliveries || m_loaded.id == 0)
        return 0;
    LogFilter filter;
    filter.webhookId = m_loaded.id;
    const Result<qint64> count = m_deliveries->countAttempts(filter);
    return count ? count.value() : 0;
}

void HookEditor::deleteHook()
{
    if (m_loaded.id == 0)
        return;
    const QString url =
        fontMetrics().elidedText(SecretMask::url(m_loaded.url), Qt::ElideMiddle, 480);
    const qint64 attempts = recordedAttempts();
    QMessageBox box(QMessageBox::Warning, tr("Delete webhook"),
                    tr("Delete the webhook for %1?").arg(url), QMessageBox::NoButton, this);
    box.setObjectName(QStringLiteral("deleteHookQuestion"));
    // The history is kept unless the user asks otherwise: it is what tells
    // what the receiver got.
    // Whole sentences for one and for many, so translations need no plural rules here.
    QString history = tr("Its settings are removed for good; this cannot be undone.");
    if (attempts == 1)
        history = tr("Its settings are removed for good. Its one recorded attempt stays in the "
                     "delivery log, marked \"deleted webhook\", until retention removes it.");
    else if (attempts > 1)
        //: %1 is a number greater than one
        history = tr("Its settings are removed for good. Its %1 recorded attempts stay in the "
                     "delivery log, marked \"deleted webhook\", until retention removes them.")
                      .arg(attempts);
    box.setInformativeText(history);
    if (attempts > 0) {
        auto *alsoHistory =
            new QCheckBox(attempts == 1 ? tr("&Also delete its attempt")
                                        //: %1 is a number greater than one
                                        : tr("&Also delete its %1 attempts").arg(attempts),
                          &box);
        alsoHistory->setObjectName(QStringLiteral("deleteHistoryCheck"));
        box.setCheckBox(alsoHistory);
    }
    QPushButton *confirm = box.addButton(tr("&Delete"), QMessageBox::DestructiveRole);
    confirm->setObjectName(QStringLiteral("confirmDeleteButton"));
    QPushButton *deactivate = nullptr;
    if (m_loaded.isActive) {
        deactivate = box.addButton(tr("Deac&tivate Instead"), QMessageBox::ActionRole);
        deactivate->setObjectName(QStringLiteral("deactivateInsteadButton"));
        deactivate->setToolTip(tr("Keep the webhook and its settings, but send it nothing"));
    }
    box.addButton(QMessageBox::Cancel);
    box.setDefaultButton(QMessageBox::Cancel);
    box.exec();
    if (deactivate && box.clickedButton() == deactivate) {
        deactivateInsteadOfDeleting();
        return;
    }
    if (box.clickedButton() != confirm)
        return;

    const qint64 id = m_loaded.id;
    const HookStore::History keep = box.checkBox() && box.checkBox()->isChecked()
                                        ? HookStore::History::Delete
                                        : HookStore::History::Keep;
    write(
        tr("Deleting the webhook…"),
        [id, keep](const WriterStores &s) { return s.hooks->removeHook(id, keep); },
        [this, id](const Status &removed) {
            if (!removed) {
                if (m_loaded.id == id)
                    showStoreError(
                        tr("The webhook was not deleted: %1").arg(removed.error().message));
                return;
            }
            if (m_loaded.id == id)
                showNewHook();
            emit hookDeleted(id);
        });
}

void HookEditor::deactivateInsteadOfDeleting()
{
    const qint64 id = m_loaded.id;
    write(
        tr("Deactivating the webhook…"),
        [id](const WriterStores &s) { return s.hooks->setHookActive(id, false); },
        [this, id](const Status &done) {
            if (m_loaded.id != id)
                return;
            if (!done) {
                showStoreError(tr("The webhook was not deactivated: %1").arg(done.error().message));
                return;
            }
            // Unsaved edits stay in the form; only the stored state changed.
            if (isDirty()) {
                m_loaded.isActive = false;
                updateState();
            } else {
                showHook(id);
            }
        });
}

bool HookEditor::confirmDiscardOrSave()
{
    // A save on its way answers first: it may leave nothing to ask about.
    waitForWrites();
    if (!isDirty())
        return true;
    const QString url =
        formState().url.trimmed().isEmpty()
            ? SecretMask::url(m_loaded.url)
            : fontMetrics().elidedText(m_url->text().trimmed(), Qt::ElideMiddle, 480);
    const QString text = url.isEmpty() ? tr("The new webhook has unsaved changes.")
                                       : tr("The webhook for %1 has unsaved changes.").arg(url);
    QMessageBox box(QMessageBox::Question, tr("Unsaved changes"), text,
                    QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, this);
    box.setInformativeText(tr("Do you want to save them?"));
    box.setDefaultButton(QMessageBox::Save);
    switch (box.exec()) {
    case QMessageBox::Save:
        if (!save())
            return false;
        waitForWrites();
        return m_lastSaveOk;
    case QMessageBox::Discard:
        revert();
        return true;
    default:
        return false;
    }
}

void HookEditor::addHeader()
{
    const int row = m_headers->rowCount();
    if (row >= Webhook::MaxHeaders)
        return;
    // A new, empty row is not an error before the user has typed it.
    m_typingFields.insert(int(FieldError::Field::Headers));
    m_leftFields.remove(int(FieldError::Field::Headers));
    if (!m_headers->insertRows(row, 1))
        return;
    const QModelIndex name = m_headers->index(row, HeaderTableModel::Name);
    m_headersView->setFocus();
    m_headersView->setCurrentIndex(name);
    m_headersView->edit(name);
}

void HookEditor::removeSelectedHeaders()
{
    QList<int> rows;
    for (const QModelIndex &index : m_headersView->selectionModel()->selectedRows())
        rows.append(index.row());
    if (rows.isEmpty() && m_headersView->currentIndex().isValid())
        rows.append(m_headersView->currentIndex().row());
    std::sort(rows.begin(), rows.end(), std::greater<int>());
    for (const int row : std::as_const(rows))
        m_headers->removeRows(row, 1);
}

void HookEditor::addProject()
{
    bool ok = false;
    const QString title = QInputDialog::getText(this, tr("New project"), tr("Project &title:"),
                                                QLineEdit::Normal, QString(), &ok);
    if (!ok || title.trimmed().isEmpty())
        return;
    write(
        tr("Adding the project…"),
        [title](const WriterStores &s) { return s.hooks->addProject(title); },
        [this](const Result<Project> &project) {
            if (!project) {
                QMessageBox::warning(
                    this, tr("New project"),
                    tr("The project was not added: %1").arg(project.error().message));
                return;
            }
            m_projects->refresh();
            const int row = m_projects->rowForProject(project->id);
            if (row >= 0)
                m_project->setCurrentIndex(row);
        });
}

void HookEditor::onProjectChanged()
{
    const bool projectScoped = m_projects->projectAt(m_project->currentIndex()).has_value();
    m_events->setProjectScoped(projectScoped);
    m_orgOnlyNote->setVisible(projectScoped);
    updateState();
}

void HookEditor::onSchemeChanged()
{
    m_secret->setScheme(SignatureScheme(m_scheme->currentData().toInt()));
    updateState();
}

void HookEditor::setLocalInboxBase(const QString &baseUrl)
{
    m_inboxBase = baseUrl;
    m_useInbox->setEnabled(!baseUrl.isEmpty());
    m_useInbox->setToolTip(
        baseUrl.isEmpty()
            ? tr("Turn the listener on in Preferences to send this hook to the local inbox.")
            : tr("Send this hook to the local inbox at %1/inbox/, to see what it sends.")
                  .arg(baseUrl));
}

void HookEditor::useLocalInbox()
{
    if (m_inboxBase.isEmpty())
        return;
    const qint64 id = hookId();
    const QString name = id > 0 ? QStringLiteral("hook-%1").arg(id) : QStringLiteral("hook-new");
    m_url->setText(m_inboxBase + QStringLiteral("/inbox/") + name);
    m_url->setFocus();
}
