#include "delivery_log_pane.h"

#include "app_settings.h"
#include "attempt_details.h"
#include "delivery_chart_view.h"
#include "domain/secret_mask.h"
#include "flow_layout.h"
#include "io/curl_command.h"
#include "items/delivery_chart_model.h"
#include "items/delivery_group_model.h"
#include "items/delivery_log_model.h"
#include "outcome_delegate.h"
#include "store/hook_store.h"
#include "store/store_writer.h"

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QClipboard>
#include <QComboBox>
#include <QCompleter>
#include <QDateTimeEdit>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFocusEvent>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMenu>
#include <QMessageBox>
#include <QProgressDialog>
#include <QPushButton>
#include <QResizeEvent>
#include <QScrollBar>
#include <QSet>
#include <QSettings>
#include <QSplitter>
#include <QStackedWidget>
#include <QStandardItemModel>
#include <QStandardPaths>
#include <QTableView>
#include <QTimer>
#include <QToolButton>
#include <QTreeView>
#include <QVBoxLayout>
#include <algorithm>
#include <utility>

namespace {

// Item data of the "all" entries of the filter combos.
constexpr int AllOutcomes = -1;
// The time filter's choices; a quick range's data is its length in seconds.
constexpr qint64 AnyTime = 0;
constexpr qint64 CustomRange = -1;

} // namespace

DeliveryLogPane::DeliveryLogPane(DeliveryStore *deliveries, HookStore *hooks, QWidget *parent)
    : QWidget(parent)
    , m_deliveries(deliveries)
    , m_hooks(hooks)
    , m_model(new DeliveryLogModel(deliveries, hooks, this))
{
    setObjectName(QStringLiteral("deliveryLogPane"));
    m_failedCountTimer = new QTimer(this);
    m_failedCountTimer->setSingleShot(true);
    m_failedCountTimer->setInterval(FailedCountDelayMs);
    connect(m_failedCountTimer, &QTimer::timeout, this, &DeliveryLogPane::updateFailedCount);
    createActions();
    QWidget *filterBar = m_filterBar = createFilterBar();
    createTable();

    m_details = new AttemptDetails;
    m_details->setObjectName(QStringLiteral("attemptDetails"));
    m_detailsPlaceholder = new QLabel(tr("Select an attempt to see its request, response and "
                                         "trace."));
    m_detailsPlaceholder->setObjectName(QStringLiteral("detailsPlaceholder"));
    m_detailsPlaceholder->setAlignment(Qt::AlignCenter);
    m_detailsPlaceholder->setWordWrap(true);
    m_detailsPlaceholder->setForegroundRole(QPalette::PlaceholderText);
    m_detailsStack = new QStackedWidget;
    m_detailsStack->addWidget(m_detailsPlaceholder);
    m_detailsStack->addWidget(m_details);
    // The tabs ask for room for both headers and body; a few lines are
    // enough to start with, so the window fits a small or scaled screen.
    m_detailsStack->setMinimumHeight(m_detailsStack->fontMetrics().lineSpacing() * 5);
    m_detailsTitle = new QLabel;
    m_detailsTitle->setObjectName(QStringLiteral("detailsTitle"));
    m_detailsTitle->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto *detailsBar = new QHBoxLayout;
    detailsBar->addWidget(m_detailsTitle, 1);
    for (QAction *action : {m_redeliverAction, m_editResendAction, m_copyCurlAction})
        detailsBar->addWidget(actionButton(action));
    auto *detailsColumn = new QWidget;
    detailsColumn->setObjectName(QStringLiteral("detailsColumn"));
    m_detailsColumn = detailsColumn;
    auto *detailsLayout = new QVBoxLayout(detailsColumn);
    detailsLayout->setContentsMargins(0, 0, 0, 0);
    detailsLayout->addLayout(detailsBar);
    detailsLayout->addWidget(m_detailsStack, 1);

    m_splitter = new QSplitter(Qt::Vertical); // resizeEvent() turns it when wide
    m_splitter->setObjectName(QStringLiteral("deliveryLogSplitter"));
    m_splitter->addWidget(m_tableStack);
    m_splitter->addWidget(detailsColumn);
    m_splitter->setStretchFactor(0, 1);
    m_splitter->setStretchFactor(1, 1);
    m_splitter->setChildrenCollapsible(false);

    m_chartModel = new DeliveryChartModel(m_model, this);
    m_chart = new DeliveryChartView(m_chartModel);
    // A bar is a time window for the log.
    connect(m_chart, &DeliveryChartView::bucketClicked, this, &DeliveryLogPane::setTimeWindow);
    // The same switch as the Deliveries menu's Group by Delivery.
    m_groupToggle = new QCheckBox(tr("Group by delivery"));
    m_groupToggle->setObjectName(QStringLiteral("groupByDelivery"));
    m_groupToggle->setToolTip(m_groupAction->toolTip());
    connect(m_groupToggle, &QCheckBox::toggled, m_groupAction, &QAction::setChecked);
    connect(m_groupAction, &QAction::toggled, this, &DeliveryLogPane::setGrouped);
    // The chart's header (its switch, range and summary) is a row of the
    // filter bar, always in sight; open, the bars go between the bar and
    // the log, and the pane asks for their room rather than taking the log's.
    m_actionsRow = createActionsGroup();
    m_filterFlow->addWidget(m_actionsRow);
    connect(m_chart, &DeliveryChartView::expandedChanged, this, &DeliveryLogPane::updateChartRoom);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(filterBar);
    layout->addWidget(m_chart);
    layout->addWidget(m_splitter, 1);
    updateChartRoom();

    if (m_hooks) {
        connect(m_hooks, &HookStore::hooksChanged, this, &DeliveryLogPane::reloadHookChoices);
        connect(m_hooks, &HookStore::eventTypesChanged, this, &DeliveryLogPane::reloadEventChoices);
    }
    connect(m_model, &QAbstractItemModel::modelReset, this, &DeliveryLogPane::updateEmptyState);
    connect(m_model, &QAbstractItemModel::rowsInserted, this, &DeliveryLogPane::updateEmptyState);
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, &DeliveryLogPane::updateEmptyState);
    connect(m_model, &DeliveryLogModel::searchingChanged, this, &DeliveryLogPane::updateEmptyState);
    connect(m_model, &QAbstractItemModel::modelReset, this, &DeliveryLogPane::onCurrentRowChanged);
    connect(m_model, &QAbstractItemModel::dataChanged, this,
            [this](const QModelIndex &topLeft, const QModelIndex &bottomRight) {
                // A pending attempt that finished while shown: show its result.
                const int current = m_model->rowOfAttempt(currentAttemptId());
                if (current >= 0 && current >= topLeft.row() && current <= bottomRight.row() &&
                    topLeft.column() <= DeliveryLogModel::Outcome)
                    showDetails(currentAttemptId());
            });
    connect(m_model, &DeliveryLogModel::loadFailed, this, [this](const QString &message) {
        emit statusMessage(tr("Could not read the delivery log: %1").arg(message));
    });

    // Rows arrive live; the count follows them without a query per row.
    for (auto signal : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved})
        connect(m_model, signal, m_failedCountTimer, qOverload<>(&QTimer::start));
    connect(m_model, &QAbstractItemModel::dataChanged, m_failedCountTimer,
            qOverload<>(&QTimer::start));
    connect(m_model, &QAbstractItemModel::modelReset, m_failedCountTimer,
            qOverload<>(&QTimer::start));
    // A redelivery changes a delivery's state without a row of the filter changing.
    connect(m_deliveries, &DeliveryStore::attemptsChanged, m_failedCountTimer,
            qOverload<>(&QTimer::start));
    connect(m_model, &DeliveryLogModel::countsRead, this, &DeliveryLogPane::showCounts);

    reloadHookChoices();
    reloadEventChoices();
    updateFailedCount();
    restoreLayout();
    m_groupAction->setChecked(
        appSettings().value(QStringLiteral("deliveryLog/grouped"), false).toBool());
    showDetails(0);
    updateEmptyState();
    updateActions();
}

DeliveryLogPane::~DeliveryLogPane()
{
    // The children go after this object has stopped being a pane: the
    // filter's line edit losing focus then must not reach it.
    m_hookCombo->removeEventFilter(this);
    m_hookCombo->lineEdit()->removeEventFilter(this);
    disconnect(m_hookCombo->lineEdit(), nullptr, this, nullptr);
    saveLayout();
}

void DeliveryLogPane::createActions()
{
    m_redeliverAction =
        new QAction(QIcon::fromTheme(QStringLiteral("mail-send")), tr("&Redeliver"), this);
    m_redeliverAction->setObjectName(QStringLiteral("redeliverAction"));
    m_redeliverAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
    m_redeliverAction->setToolTip(tr("Send the selected deliveries again now, with the same "
                                     "webhook-id (Ctrl+R)"));
    connect(m_redeliverAction, &QAction::triggered, this, &DeliveryLogPane::redeliverSelected);

    // Deliveries, not attempts: the Failed attempts filter also shows attempts
    // whose delivery is still being retried, which this does not send. The
    // text carries the number it will send (updateFailedCount()).
    m_redeliverFailedAction = new QAction(tr("Redeliver &Failed Deliveries…"), this);
    m_redeliverFailedAction->setObjectName(QStringLiteral("redeliverFailedAction"));
    m_redeliverFailedAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R));
    m_redeliverFailedAction->setToolTip(
        tr("Send again now every delivery the filter shows that has used up its attempts "
           "without success; deliveries still being retried are left to their schedule "
           "(Ctrl+Shift+R)"));
    connect(m_redeliverFailedAction, &QAction::triggered, this,
            &DeliveryLogPane::redeliverAllFailed);

    m_editResendAction = new QAction(tr("Edit and Resend…"), this);
    m_editResendAction->setObjectName(QStringLiteral("editResendAction"));
    m_editResendAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    m_editResendAction->setToolTip(
        tr("Open Send Test with this attempt's webhook, event and body, to fix the body and "
           "send it again, optionally to another URL once (Ctrl+E)"));
    connect(m_editResendAction, &QAction::triggered, this, [this] {
        if (const qint64 id = currentAttemptId(); id != 0)
            emit editAndResendRequested(id);
    });

    m_copyCurlAction =
        new QAction(QIcon::fromTheme(QStringLiteral("edit-copy")), tr("Copy as c&URL"), this);
    m_copyCurlAction->setObjectName(QStringLiteral("copyCurlAction"));
    m_copyCurlAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C));
    m_copyCurlAction->setToolTip(tr("Copy a curl command that sends this request again; "
                                    "secrets become shell variables (Ctrl+Shift+C)"));
    connect(m_copyCurlAction, &QAction::triggered, this, &DeliveryLogPane::copySelectedAsCurl);

    m_copyCurlSigningNowAction = new QAction(tr("Copy as cURL, Signed &Now"), this);
    m_copyCurlSigningNowAction->setObjectName(QStringLiteral("copyCurlSigningNowAction"));
    m_copyCurlSigningNowAction->setToolTip(
        tr("Copy a shell script that signs the request again with the current time, using "
           "openssl and the secret in $WEBHOOK_SIGNING_SECRET"));
    connect(m_copyCurlSigningNowAction, &QAction::triggered, this,
            &DeliveryLogPane::copySelectedAsCurlSigningNow);

    m_exportAction =
        new QAction(QIcon::fromTheme(QStringLiteral("document-save-as")), tr("&Export…"), this);
    m_exportAction->setObjectName(QStringLiteral("exportLogAction"));
    m_exportAction->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E));
    m_exportAction->setToolTip(tr("Save the filtered log as JSON Lines or CSV (Ctrl+Shift+E)"));
    connect(m_exportAction, &QAction::triggered, this, &DeliveryLogPane::exportLog);

    m_groupAction = new QAction(tr("&Group by Delivery"), this);
    m_groupAction->setObjectName(QStringLiteral("groupByDeliveryAction"));
    m_groupAction->setCheckable(true);
    m_groupAction->setToolTip(tr("Show one row per delivery with its attempts beneath it"));

    // Shortcuts work while the focus is anywhere in the pane, and do not
    // clash with the main window's.
    for (QAction *action : {m_redeliverAction, m_redeliverFailedAction, m_editResendAction,
                            m_copyCurlAction, m_copyCurlSigningNowAction, m_exportAction}) {
        action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        addAction(action);
    }
}

QToolButton *DeliveryLogPane::actionButton(QAction *action)
{
    // Not setDefaultAction(): its text would carry the action's mnemonic,
    // which belongs to the Deliveries menu and clashes with the window's.
    auto *button = new QToolButton;
    button->setToolButtonStyle(Qt::ToolButtonTextOnly);
    button->setObjectName(action->objectName() + QLatin1String("Button"));
    const auto follow = [button, action] {
        QString text = action->text();
        text.replace(QLatin1String("&&"), QString(QChar(0x1)));
        text.remove(QLatin1Char('&'));
        text.replace(QString(QChar(0x1)), QLatin1String("&&"));
        button->setText(text);
        button->setToolTip(action->toolTip());
        button->setEnabled(action->isEnabled());
        button->setVisible(action->isVisible());
    };
    follow();
    connect(action, &QAction::changed, button, follow);
    connect(button, &QToolButton::clicked, action, &QAction::trigger);
    return button;
}

QWidget *DeliveryLogPane::createFilterBar()
{
    // No title label: the pane is plainly the log, and the bar must fit a
    // 960-pixel-wide window (1920 at scale 2) with the action's count in it.
    m_hookCombo = new QComboBox;
    m_hookCombo->setObjectName(QStringLiteral("hookFilter"));
    m_hookCombo->setAccessibleName(tr("Webhook filter"));
    m_hookCombo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    // Room for "All webhooks" in any language and the start of a URL; it
    // takes the row's spare width, and the tooltip has the whole choice.
    m_hookCombo->setMinimumContentsLength(18);
    m_hookCombo->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    // Hundreds of hooks, many with the same URL: type any part of the id,
    // URL or description and pick from what matches.
    m_hookCombo->setEditable(true);
    m_hookCombo->setInsertPolicy(QComboBox::NoInsert);
    m_hookCombo->lineEdit()->setPlaceholderText(tr("All webhooks"));
    auto *completer = new QCompleter(m_hookCombo->model(), m_hookCombo);
    completer->setFilterMode(Qt::MatchContains);
    completer->setCaseSensitivity(Qt::CaseInsensitive);
    completer->setCompletionMode(QCompleter::PopupCompletion);
    completer->setMaxVisibleItems(12);
    m_hookCombo->setCompleter(completer);
    // Text that names no hook is not a filter: show the chosen one again.
    connect(m_hookCombo->lineEdit(), &QLineEdit::editingFinished, this,
            &DeliveryLogPane::restoreHookChoiceText);
    m_hookCombo->installEventFilter(this);
    m_hookCombo->lineEdit()->installEventFilter(this);
    connect(m_hookCombo, &QComboBox::currentIndexChanged, this, &DeliveryLogPane::applyFilter);
    connect(m_hookCombo, &QComboBox::currentIndexChanged, this, [this] {
        m_hookCombo->setToolTip(m_hookCombo->currentIndex() > 0
                                    ? m_hookCombo->itemText(m_hookCombo->currentIndex())
                                    : QString());
    });

    m_selectedOnly = new QCheckBox(tr("Selected we&bhook only"));
    m_selectedOnly->setObjectName(QStringLiteral("selectedHookOnly"));
    m_selectedOnly->setToolTip(tr("Show the deliveries of the webhook selected in the list"));
    connect(m_selectedOnly, &QCheckBox::toggled, this, [this](bool on) {
        m_hookCombo->setEnabled(!on);
        applyFilter();
    });

    m_eventCombo = new QComboBox;
    m_eventCombo->setObjectName(QStringLiteral("eventFilter"));
    m_eventCombo->setAccessibleName(tr("Event filter"));
    m_eventCombo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_eventCombo->setMinimumContentsLength(6);
    connect(m_eventCombo, &QComboBox::currentIndexChanged, this, &DeliveryLogPane::applyFilter);

    m_outcomeCombo = new QComboBox;
    m_outcomeCombo->setObjectName(QStringLiteral("outcomeFilter"));
    m_outcomeCombo->setAccessibleName(tr("Outcome filter"));
    m_outcomeCombo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_outcomeCombo->setMinimumContentsLength(6);
    m_outcomeCombo->addItem(tr("All outcomes"), AllOutcomes);
    m_outcomeCombo->addItem(OutcomeDelegate::iconFor(AttemptOutcome::Succeeded), tr("Succeeded"),
                            int(AttemptOutcome::Succeeded));
    m_outcomeCombo->addItem(OutcomeDelegate::iconFor(AttemptOutcome::Failed), tr("Failed attempts"),
                            int(AttemptOutcome::Failed));
    m_outcomeCombo->setItemData(m_outcomeCombo->count() - 1,
                                tr("Attempts that failed, including those whose delivery will "
                                   "still be retried"),
                                Qt::ToolTipRole);
    m_outcomeCombo->addItem(OutcomeDelegate::iconFor(AttemptOutcome::Pending), tr("Pending"),
                            int(AttemptOutcome::Pending));
    m_outcomeCombo->addItem(OutcomeDelegate::iconFor(AttemptOutcome::Filtered), tr("Filtered"),
                            int(AttemptOutcome::Filtered));
    connect(m_outcomeCombo, &QComboBox::currentIndexChanged, this, &DeliveryLogPane::applyFilter);

    m_search = new QLineEdit;
    m_search->setObjectName(QStringLiteral("logSearch"));
    m_search->setPlaceholderText(tr("Search URL, error, webhook-id, status"));
    m_search->setAccessibleName(tr("Search the delivery log"));
    m_search->setClearButtonEnabled(true);
    // Never squeezed to a letter and an ellipsis.
    m_search->setMinimumWidth(m_search->fontMetrics().averageCharWidth() * 16);
    m_searchTimer = new QTimer(this);
    m_searchTimer->setSingleShot(true);
    m_searchTimer->setInterval(SearchDebounceMs);
    connect(m_search, &QLineEdit::textChanged, m_searchTimer, qOverload<>(&QTimer::start));
    connect(m_searchTimer, &QTimer::timeout, this, &DeliveryLogPane::applyFilter);

    m_timeCombo = new QComboBox;
    m_timeCombo->setObjectName(QStringLiteral("timeFilter"));
    m_timeCombo->setAccessibleName(tr("Time filter"));
    m_timeCombo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_timeCombo->setMinimumContentsLength(3);
    m_timeCombo->addItem(tr("Any time"), AnyTime);
    m_timeCombo->addItem(tr("Last hour"), qint64(3600));
    m_timeCombo->addItem(tr("Last 24 hours"), qint64(24 * 3600));
    m_timeCombo->addItem(tr("Last 7 days"), qint64(7 * 24 * 3600));
    m_timeCombo->addItem(tr("From/To…"), CustomRange);
    m_timeCombo->setToolTip(tr("When the attempts were queued (the Time column)"));
    connect(m_timeCombo, &QComboBox::currentIndexChanged, this,
            &DeliveryLogPane::onTimeRangeChanged);

    m_customRange = new QWidget;
    m_customRange->setObjectName(QStringLiteral("customTimeRange"));
    auto *rangeLayout = new QHBoxLayout(m_customRange);
    rangeLayout->setContentsMargins(0, 0, 0, 0);
    m_fromEdit = new QDateTimeEdit;
    m_fromEdit->setObjectName(QStringLiteral("timeFromEdit"));
    m_toEdit = new QDateTimeEdit;
    m_toEdit->setObjectName(QStringLiteral("timeToEdit"));
    auto *fromLabel = new QLabel(tr("From:"));
    fromLabel->setBuddy(m_fromEdit);
    auto *toLabel = new QLabel(tr("To:"));
    toLabel->setBuddy(m_toEdit);
    for (QDateTimeEdit *edit : {m_fromEdit, m_toEdit}) {
        edit->setCalendarPopup(true);
        edit->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm"));
        edit->setTimeSpec(Qt::LocalTime);
        connect(edit, &QDateTimeEdit::dateTimeChanged, m_searchTimer, qOverload<>(&QTimer::start));
    }
    rangeLayout->addWidget(fromLabel);
    rangeLayout->addWidget(m_fromEdit);
    rangeLayout->addWidget(toLabel);
    rangeLayout->addWidget(m_toEdit);
    rangeLayout->addStretch(1);
    // From/To only for a custom range, in a row of their own.
    setCustomRangeVisible(false);
    m_clearFilters = new QToolButton;
    m_clearFilters->setObjectName(QStringLiteral("clearFiltersButton"));
    m_clearFilters->setText(tr("Clear filters"));
    m_clearFilters->setToolTip(tr("Show every attempt again"));
    connect(m_clearFilters, &QToolButton::clicked, this, &DeliveryLogPane::clearFilters);
    m_matchCount = new QLabel;
    m_matchCount->setObjectName(QStringLiteral("matchCount"));
    m_matchCount->setForegroundRole(QPalette::PlaceholderText);

    // Each control at the width its longest choice needs, in as many rows as
    // the width takes (two at the default size, in English and German): a
    // row's spare width goes to the webhook filter, the search field and the
    // chart's header, so every text shows in full (issue 13).
    for (QComboBox *combo : {m_eventCombo, m_outcomeCombo, m_timeCombo})
        combo->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    auto *hookFilter = new QWidget;
    hookFilter->setObjectName(QStringLiteral("hookFilterGroup"));
    hookFilter->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    auto *hookRow = new QHBoxLayout(hookFilter);
    hookRow->setContentsMargins(0, 0, 0, 0);
    hookRow->addWidget(m_hookCombo, 1);
    hookRow->addWidget(m_selectedOnly);

    auto *bar = new QWidget;
    bar->setObjectName(QStringLiteral("logFilterBar"));
    auto *rows = new QVBoxLayout(bar);
    rows->setContentsMargins(0, 0, 0, 0);
    m_filterFlow = new FlowLayout;
    m_filterFlow->setSpacing(6);
    rows->addLayout(m_filterFlow);
    rows->addWidget(m_customRange);
    m_filterFlow->addWidget(hookFilter);
    m_filterFlow->addWidget(m_eventCombo);
    m_filterFlow->addWidget(m_outcomeCombo);
    m_filterFlow->addWidget(m_timeCombo);
    m_filterFlow->addWidget(m_search);
    // The chart's header and the actions on what the filter shows follow
    // (the constructor adds them once the chart exists).
    return bar;
}

QWidget *DeliveryLogPane::createActionsGroup()
{
    // The bulk action on what the filter shows; those on one attempt sit by
    // its details. Export is in the File and Deliveries menus (Ctrl+Shift+E).
    auto *group = new QWidget;
    group->setObjectName(QStringLiteral("logActionsGroup"));
    group->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    auto *layout = new QHBoxLayout(group);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_chart->takeHeader(), 1);
    layout->addWidget(m_groupToggle);
    layout->addWidget(m_clearFilters);
    layout->addWidget(m_matchCount);
    layout->addWidget(actionButton(m_redeliverFailedAction));
    return group;
}

QSize DeliveryLogPane::sizeHint() const
{
    const int bar = m_filterBar->sizeHint().height();
    const int chart = m_chart->isVisibleTo(this) ? m_chart->sizeHint().height() : 0;
    const int spacing = std::max(0, layout()->spacing());
    const int rows = m_table->horizontalHeader()->sizeHint().height() +
                     m_table->verticalHeader()->defaultSectionSize() * DefaultRows +
                     2 * m_table->frameWidth();
    return {QWidget::sizeHint().width(), bar + spacing + (chart > 0 ? chart + spacing : 0) + rows};
}

QWidget *DeliveryLogPane::takeActionsRow()
{
    m_filterFlow->removeWidget(m_actionsRow);
    m_actionsRow->setParent(nullptr);
    return m_actionsRow;
}

void DeliveryLogPane::onTimeRangeChanged()
{
    const qint64 range = m_timeCombo->currentData().toLongLong();
    const QDateTime now = QDateTime::currentDateTime();
    m_quickSince = range > 0 ? now.addSecs(-range).toUTC() : QDateTime();
    if (range == CustomRange && m_customRange->isHidden()) {
        // Start from the last day, to the next minute.
        const QSignalBlocker fromBlocker(m_fromEdit);
        const QSignalBlocker toBlocker(m_toEdit);
        const QDateTime end = now.addSecs(60 - now.time().second());
        m_toEdit->setDateTime(end);
        m_fromEdit->setDateTime(end.addDays(-1));
    }
    setCustomRangeVisible(range == CustomRange);
    applyFilter();
}

void DeliveryLogPane::setCustomRangeVisible(bool visible)
{
    m_customRange->setVisible(visible);
}

void DeliveryLogPane::setTimeWindow(const QDateTime &from, const QDateTime &to)
{
    {
        const QSignalBlocker comboBlocker(m_timeCombo);
        const QSignalBlocker fromBlocker(m_fromEdit);
        const QSignalBlocker toBlocker(m_toEdit);
        m_timeCombo->setCurrentIndex(m_timeCombo->findData(CustomRange));
        m_fromEdit->setDateTime(from.toLocalTime());
        m_toEdit->setDateTime(to.toLocalTime());
    }
    m_quickSince = QDateTime();
    setCustomRangeVisible(true);
    applyFilter();
}

void DeliveryLogPane::createTable()
{
    m_table = new QTableView;
    // Tab leaves the log for the details and actions; arrows move between rows.
    m_table->setTabKeyNavigation(false);
    m_table->setObjectName(QStringLiteral("deliveryLogTable"));
    m_table->setAccessibleName(tr("Delivery log"));
    m_table->setModel(m_model);
    // Newest first. The log is ordered by when attempts were queued only:
    // the Queued header turns the order round; the others do not sort, so
    // they do not react to clicks either.
    QHeaderView *header = m_table->horizontalHeader();
    header->setSortIndicatorShown(true);
    header->setSortIndicator(DeliveryLogModel::Time, Qt::DescendingOrder);
    header->setSectionsClickable(true);
    connect(header, &QHeaderView::sectionClicked, this, [this, header](int section) {
        if (section != DeliveryLogModel::Time) {
            header->setSortIndicator(DeliveryLogModel::Time, m_model->sortOrder());
            return;
        }
        const Qt::SortOrder order =
            m_model->sortOrder() == Qt::DescendingOrder ? Qt::AscendingOrder : Qt::DescendingOrder;
        m_model->sort(DeliveryLogModel::Time, order);
        header->setSortIndicator(DeliveryLogModel::Time, order);
    });
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setShowGrid(false);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->setTextElideMode(Qt::ElideMiddle);
    m_table->setVerticalScrollMode(QAbstractItemView::ScrollPerPixel);
    m_table->setItemDelegateForColumn(DeliveryLogModel::Outcome, new OutcomeDelegate(m_table));
    m_table->setContextMenuPolicy(Qt::CustomContextMenu);

    // Every row is one line: fixed heights keep a long log cheap to lay out.
    QHeaderView *rows = m_table->verticalHeader();
    rows->hide();
    rows->setSectionResizeMode(QHeaderView::Fixed);
    rows->setDefaultSectionSize(m_table->fontMetrics().height() + 8);

    QHeaderView *columns = m_table->horizontalHeader();
    columns->setHighlightSections(false);
    columns->setStretchLastSection(false);
    const QFontMetrics metrics = m_table->fontMetrics();
    const auto width = [&metrics](const QString &sample) {
        return metrics.horizontalAdvance(sample) + 16;
    };
    columns->resizeSection(DeliveryLogModel::Time, width(QStringLiteral("2024-12-31 23:59")));
    columns->resizeSection(DeliveryLogModel::Event, width(QStringLiteral("ANNOTATIONS_CREATED")));
    columns->resizeSection(DeliveryLogModel::Outcome,
                           width(QStringLiteral("pending — due 23:59:59")) + 16);
    columns->resizeSection(DeliveryLogModel::Duration, width(QStringLiteral("99999 ms")));
    columns->resizeSection(DeliveryLogModel::AttemptNumber, width(QStringLiteral("Attempt")));
    columns->resizeSection(DeliveryLogModel::Trigger, width(QStringLiteral("scheduled")));
    columns->resizeSection(DeliveryLogModel::Hook,
                           width(QStringLiteral("https://hooks.example.com/x")));
    columns->setSectionResizeMode(DeliveryLogModel::Hook, QHeaderView::Stretch);

    m_emptyLabel = new QLabel;
    m_emptyLabel->setObjectName(QStringLiteral("deliveryLogEmpty"));
    m_emptyLabel->setAlignment(Qt::AlignCenter);
    m_emptyLabel->setWordWrap(true);
    m_emptyLabel->setForegroundRole(QPalette::PlaceholderText);

    m_tableStack = new QStackedWidget;
    m_tableStack->addWidget(m_table);
    m_tableStack->addWidget(m_emptyLabel);
    // Never fewer rows than this, whatever the chart or the window above takes.
    m_tableStack->setMinimumHeight(columns->sizeHint().height() +
                                   rows->defaultSectionSize() * MinimumRows +
                                   2 * m_table->frameWidth());
    createTree();

    // Rows that arrived above what the user reads: say so, and go up on a click.
    m_newRowsBadge = new QPushButton(m_table);
    m_newRowsBadge->setObjectName(QStringLiteral("newRowsBadge"));
    m_newRowsBadge->setCursor(Qt::PointingHandCursor);
    m_newRowsBadge->setFocusPolicy(Qt::NoFocus);
    m_newRowsBadge->hide();
    connect(m_newRowsBadge, &QPushButton::clicked, this, [this] {
        m_table->scrollToTop();
        clearNewRows();
    });
    connect(m_table->verticalScrollBar(), &QScrollBar::valueChanged, this, [this](int value) {
        if (value == 0)
            clearNewRows();
    });

    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &DeliveryLogPane::onCurrentRowChanged);
    connect(m_table->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &DeliveryLogPane::updateActions);
    connect(m_table, &QWidget::customContextMenuRequested, this, &DeliveryLogPane::showContextMenu);
    // Connected after the view's own connections, so the view has seen the
    // rows when the scroll position is corrected.
    connect(m_model, &QAbstractItemModel::rowsAboutToBeInserted, this,
            [this](const QModelIndex &, int first, int) { rememberScrollBeforeInsert(first); });
    connect(
        m_model, &QAbstractItemModel::rowsInserted, this,
        [this](const QModelIndex &, int first, int last) { keepScrollAfterInsert(first, last); });
}

void DeliveryLogPane::rememberScrollBeforeInsert(int first)
{
    const int value = m_table->verticalScrollBar()->value();
    // At the very top the user watches new rows arrive; elsewhere they read.
    m_scrollBeforeInsert = (first == 0 && value > 0) ? value : -1;
}

void DeliveryLogPane::keepScrollAfterInsert(int first, int last)
{
    if (first != 0 || m_scrollBeforeInsert < 0 || isGrouped())
        return;
    QScrollBar *bar = m_table->verticalScrollBar();
    const int rowsAdded = last - first + 1;
    const int delta = m_table->verticalScrollMode() == QAbstractItemView::ScrollPerPixel
                          ? rowsAdded * m_table->verticalHeader()->defaultSectionSize()
                          : rowsAdded;
    const int target = m_scrollBeforeInsert + delta;
    m_scrollBeforeInsert = -1;
    m_newRows += rowsAdded;
    //: A badge over the log: rows arrived above what the user is reading
    m_newRowsBadge->setText(tr("%1 new ↑").arg(m_newRows));
    m_newRowsBadge->adjustSize();
    m_newRowsBadge->move((m_table->width() - m_newRowsBadge->width()) / 2,
                         m_table->horizontalHeader()->height() + 4);
    m_newRowsBadge->show();
    m_newRowsBadge->raise();
    // The view updates the range later; make room for the value now.
    if (bar->maximum() < target)
        bar->setMaximum(target);
    bar->setValue(target);
}

void DeliveryLogPane::restoreHookChoiceText()
{
    if (m_hookCombo->findText(m_hookCombo->currentText(), Qt::MatchFixedString) < 0)
        m_hookCombo->setEditText(m_hookCombo->itemText(m_hookCombo->currentIndex()));
}

bool DeliveryLogPane::eventFilter(QObject *watched, QEvent *event)
{
    if ((watched == m_hookCombo || watched == m_hookCombo->lineEdit()) &&
        event->type() == QEvent::FocusOut &&
        static_cast<QFocusEvent *>(event)->reason() != Qt::PopupFocusReason)
        restoreHookChoiceText();
    return QWidget::eventFilter(watched, event);
}

void DeliveryLogPane::clearNewRows()
{
    m_newRows = 0;
    m_newRowsBadge->hide();
}

void DeliveryLogPane::clearFilters()
{
    {
        const QSignalBlocker hooks(m_hookCombo);
        const QSignalBlocker events(m_eventCombo);
        const QSignalBlocker outcomes(m_outcomeCombo);
        const QSignalBlocker search(m_search);
        const QSignalBlocker selected(m_selectedOnly);
        m_hookCombo->setCurrentIndex(0);
        m_hookCombo->setEditText(m_hookCombo->itemText(0));
        m_hookCombo->setEnabled(true);
        m_eventCombo->setCurrentIndex(0);
        m_outcomeCombo->setCurrentIndex(0);
        m_search->clear();
        m_selectedOnly->setChecked(false);
        const QSignalBlocker time(m_timeCombo);
        m_timeCombo->setCurrentIndex(0);
        m_quickSince = QDateTime();
        setCustomRangeVisible(false);
    }
    applyFilter();
}

void DeliveryLogPane::reloadHookChoices()
{
    const QVariant current = m_hookCombo->currentData();
    const QSignalBlocker blocker(m_hookCombo);
    m_hookCombo->clear();
    m_hookCombo->addItem(tr("All webhooks"));
    if (m_hooks) {
        if (Result<QList<HookStore::HookLabel>> hooks = m_hooks->hookLabels()) {
            // In one insertion: item by item cost 20 ms with 10,000 hooks.
            QList<QStandardItem *> items;
            items.reserve(hooks->size());
            for (const HookStore::HookLabel &hook : hooks.value()) {
                const QString url = SecretMask::url(hook.url);
                const QString description = hook.description.simplified();
                //: A choice of the log's webhook filter: %1 the hook's id, %2 its URL,
                //: %3 its description
                const QString text =
                    description.isEmpty()
                        ? tr("#%1 %2").arg(QString::number(hook.id), url)
                        : tr("#%1 %2 — %3").arg(QString::number(hook.id), url, description);
                auto *item = new QStandardItem(text);
                item->setData(hook.id, Qt::UserRole);
                item->setToolTip(text);
                items.append(item);
            }
            if (auto *model = qobject_cast<QStandardItemModel *>(m_hookCombo->model()))
                model->invisibleRootItem()->appendRows(items);
        }
    }
    const int index = current.isValid() ? m_hookCombo->findData(current) : 0;
    m_hookCombo->setCurrentIndex(index < 0 ? 0 : index);
    if (index < 0)
        applyFilter(); // the hook filtered on is gone
}

void DeliveryLogPane::reloadEventChoices()
{
    const QString current = m_eventCombo->currentData().toString();
    const QSignalBlocker blocker(m_eventCombo);
    m_eventCombo->clear();
    m_eventCombo->addItem(tr("All events"), QString());
    const EventCatalog catalog = m_hooks ? m_hooks->catalog() : EventCatalog();
    for (const EventType &type : catalog.types()) {
        m_eventCombo->addItem(type.key, type.key);
        m_eventCombo->setItemData(m_eventCombo->count() - 1, type.name, Qt::ToolTipRole);
    }
    // Test sends may carry the ping event, which no hook subscribes to.
    m_eventCombo->addItem(EventCatalog::PingKey, EventCatalog::PingKey);
    const int index = m_eventCombo->findData(current);
    m_eventCombo->setCurrentIndex(index < 0 ? 0 : index);
}

LogFilter DeliveryLogPane::filter() const
{
    LogFilter filter;
    if (m_selectedOnly->isChecked()) {
        // Nothing selected shows nothing: no hook has id 0.
        filter.webhookId = m_selectedHookId;
    } else if (const QVariant hook = m_hookCombo->currentData(); hook.isValid()) {
        filter.webhookId = hook.toLongLong();
    }
    filter.action = m_eventCombo->currentData().toString();
    if (const int outcome = m_outcomeCombo->currentData().toInt(); outcome != AllOutcomes)
        filter.outcome = AttemptOutcome(outcome);
    filter.text = m_search->text().trimmed();
    if (m_timeCombo->currentData().toLongLong() == CustomRange) {
        filter.since = m_fromEdit->dateTime().toUTC();
        filter.until = m_toEdit->dateTime().toUTC();
    } else {
        filter.since = m_quickSince;
    }
    return filter;
}

void DeliveryLogPane::applyFilter()
{
    m_searchTimer->stop();
    m_model->setFilter(filter());
    updateEmptyState();
    updateActions();
    forgetCounts();
    updateFailedCount();
}

void DeliveryLogPane::updateFailedCount()
{
    m_failedCountTimer->stop();
    const LogFilter current = filter();
    const bool filtered = !current.isEmpty() || m_selectedOnly->isChecked();
    m_clearFilters->setEnabled(filtered);
    if (!filtered)
        m_matchCount->hide();
    // Counting a million attempts takes a second or more: the log's reader
    // thread does it, and showCounts() puts the numbers up when they come.
    m_countRequest = m_model->readCounts(current, filtered);
    m_countsCurrent = false;
}

void DeliveryLogPane::forgetCounts()
{
    // The filter changed: the numbers shown were another filter's.
    m_matchCount->hide();
    m_failedCount = -1;
    m_redeliverFailedAction->setText(tr("Redeliver &Failed Deliveries…"));
    m_redeliverFailedAction->setEnabled(true);
}

void DeliveryLogPane::showCounts(quint64 request, qint64 matches, qint64 failedDeliveries,
                                 const QString &error)
{
    if (request != m_countRequest)
        return; // an older filter's, or one read before the latest change
    m_countsCurrent = true;
    const bool filtered = matches >= 0;
    //: How many attempts match the log's filters
    m_matchCount->setText(!filtered      ? QString()
                          : matches == 1 ? tr("1 match")
                                         //: %1 is how many attempts the filters let through
                                         : tr("%1 matches").arg(QLocale().toString(matches)));
    m_matchCount->setVisible(filtered && error.isEmpty());
    m_failedCount = error.isEmpty() ? failedDeliveries : -1;
    //: %1 is how many deliveries the action will send again
    m_redeliverFailedAction->setText(
        m_failedCount > 0 ? tr("Redeliver &Failed Deliveries (%1)…").arg(m_failedCount)
                          : tr("Redeliver &Failed Deliveries…"));
    m_redeliverFailedAction->setEnabled(m_failedCount != 0);
    if (!std::exchange(m_askWhenCounted, false))
        return;
    if (!error.isEmpty())
        QMessageBox::warning(this, tr("Not Redelivered"), error);
    else
        askToRedeliverFailed(m_failedCount);
}

void DeliveryLogPane::setSelectedHook(qint64 id)
{
    if (m_selectedHookId == id)
        return;
    m_selectedHookId = id;
    if (m_selectedOnly->isChecked())
        applyFilter();
}

void DeliveryLogPane::refresh()
{
    m_model->refresh();
    m_failedCountTimer->start();
}

qint64 DeliveryLogPane::currentAttemptId() const
{
    const QModelIndex current = activeView()->currentIndex();
    return current.isValid() ? current.data(DeliveryLogModel::AttemptIdRole).toLongLong() : 0;
}

bool DeliveryLogPane::selectAttempt(qint64 attemptId)
{
    m_model->refresh();
    const int row = m_model->rowOfAttempt(attemptId);
    if (row < 0)
        return false;
    if (isGrouped()) {
        const QModelIndex index = m_groupModel->indexOfAttempt(attemptId);
        if (!index.isValid())
            return false;
        m_tree->expand(index.parent());
        m_tree->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect |
                                                             QItemSelectionModel::Rows);
        m_tree->scrollTo(index);
        return true;
    }
    const QModelIndex index = m_model->index(row, DeliveryLogModel::Time);
    m_table->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect |
                                                          QItemSelectionModel::Rows);
    m_table->scrollTo(index);
    return true;
}

void DeliveryLogPane::onCurrentRowChanged()
{
    showDetails(currentAttemptId());
    updateActions();
}

void DeliveryLogPane::showDetails(qint64 attemptId)
{
    // Nothing selected: the log takes the room, rather than a placeholder
    // that says to select something.
    m_detailsColumn->setVisible(attemptId != 0);
    if (attemptId == 0) {
        m_detailsTitle->clear();
        m_details->clear();
        m_detailsStack->setCurrentWidget(m_detailsPlaceholder);
        return;
    }
    Result<Attempt> attempt = m_deliveries->attempt(attemptId);
    if (!attempt) {
        m_details->clear();
        m_detailsPlaceholder->setText(attempt.error().message);
        m_detailsStack->setCurrentWidget(m_detailsPlaceholder);
        return;
    }
    m_details->setAttempt(attempt.value());
    m_detailsStack->setCurrentWidget(m_details);
    // The log's one vocabulary: "attempt n of N" is the number within its
    // delivery (the Attempt column's n/N), "delivery D" what Redeliver and
    // `redeliver D` take. The attempt's row id is not shown: next to them it
    // read like another attempt number.
    //: Above the details: %1 the attempt's number, %2 allowed attempts, %3 delivery id,
    //: %4 the webhook-id header
    QString title =
        tr("Attempt %1 of %2 · delivery %3 · webhook-id %4")
            .arg(QString::number(attempt->number), QString::number(attempt->maxAttempts),
                 QString::number(attempt->deliveryId), attempt->messageId);
    const Result<QHash<qint64, qint64>> edited = m_deliveries->editedFrom({attempt->deliveryId});
    if (edited && edited->contains(attempt->deliveryId))
        //: Appended to the details title; %1 is the delivery the body was edited from
        title += tr(" · edited from delivery %1").arg(edited->value(attempt->deliveryId));
    m_detailsTitle->setText(title);
    m_detailsTitle->setTextInteractionFlags(Qt::TextSelectableByMouse);
}

void DeliveryLogPane::updateEmptyState()
{
    if (m_model->rowCount() == 0 && m_model->isSearching()) {
        //: Shown instead of the log while a text filter is matched against it
        m_emptyLabel->setText(tr("Searching the log…"));
        m_tableStack->setCurrentWidget(m_emptyLabel);
    } else if (m_model->isEmpty()) {
        m_emptyLabel->setText(m_model->filter().isEmpty()
                                  ? tr("No deliveries yet — send a test or emit an event")
                                  : (m_selectedOnly->isChecked() && m_selectedHookId == 0
                                         ? tr("Select a webhook in the list to see its deliveries.")
                                         : tr("No deliveries match the filter.")));
        m_tableStack->setCurrentWidget(m_emptyLabel);
    } else {
        m_tableStack->setCurrentWidget(activeView());
    }
    m_exportAction->setEnabled(!m_model->isEmpty());
}

void DeliveryLogPane::updateActions()
{
    QAbstractItemView *view = activeView();
    const bool hasSelection = view->selectionModel()->hasSelection();
    const bool hasCurrent = view->currentIndex().isValid();
    m_redeliverAction->setEnabled(hasSelection);
    m_copyCurlAction->setEnabled(hasCurrent);
    m_editResendAction->setEnabled(hasCurrent);
    m_copyCurlSigningNowAction->setEnabled(hasCurrent);
}

void DeliveryLogPane::showContextMenu(const QPoint &pos)
{
    QAbstractItemView *view = activeView();
    const QModelIndex index = view->indexAt(pos);
    if (index.isValid() && !view->selectionModel()->isRowSelected(index.row(), index.parent()))
        view->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect |
                                                           QItemSelectionModel::Rows);
    QMenu menu(this);
    menu.addAction(m_redeliverAction);
    menu.addAction(m_editResendAction);
    menu.addAction(m_copyCurlAction);
    menu.addAction(m_copyCurlSigningNowAction);
    menu.addSeparator();
    menu.addAction(m_redeliverFailedAction);
    menu.addAction(m_exportAction);
    menu.addSeparator();
    menu.addAction(m_groupAction);
    menu.exec(view->viewport()->mapToGlobal(pos));
}

void DeliveryLogPane::redeliverSelected()
{
    QList<qint64> deliveries;
    QSet<qint64> seen;
    // Grouped, a delivery row and its attempts are one delivery.
    const QModelIndexList rows = activeView()->selectionModel()->selectedRows();
    for (const QModelIndex &row : rows) {
        const qint64 id = row.data(DeliveryLogModel::DeliveryIdRole).toLongLong();
        if (id != 0 && !seen.contains(id)) {
            seen.insert(id);
            deliveries.append(id);
        }
    }
    if (deliveries.isEmpty())
        return;
    // On the window's writer thread; the answer says how many were queued
    // and, when one was refused, why (those before it stay queued).
    using Queued = std::pair<int, QString>;
    WriterStores stores;
    stores.deliveries = m_deliveries;
    StoreWriter::submitTo(
        m_writer, stores, this, tr("Queuing redeliveries…"),
        [deliveries](const WriterStores &s) -> Result<Queued> {
            int queued = 0;
            for (const qint64 id : deliveries) {
                Result<qint64> attempt =
                    s.deliveries->redeliver(id, QDateTime::currentDateTimeUtc());
                if (!attempt)
                    return Queued{queued, attempt.error().message};
                ++queued;
            }
            return Queued{queued, QString()};
        },
        [this](const Result<Queued> &answer) {
            const int queued = answer ? answer->first : 0;
            const QString error = answer ? answer->second : answer.error().message;
            if (!error.isEmpty())
                QMessageBox::warning(this, tr("Not Redelivered"), error);
            if (queued == 0)
                return;
            m_model->refresh();
            emit deliveriesQueued();
            //: %1 is a number
            emit statusMessage(tr("Redeliveries queued: %1").arg(queued));
        });
}

void DeliveryLogPane::redeliverAllFailed()
{
    if (m_countsCurrent && m_failedCount >= 0) {
        askToRedeliverFailed(m_failedCount);
        return;
    }
    // The count for this filter is still being read (or failed): read it
    // again and ask once it is there, without the GUI thread waiting.
    m_askWhenCounted = true;
    updateFailedCount();
    emit statusMessage(tr("Counting the failed deliveries…"));
}

void DeliveryLogPane::askToRedeliverFailed(qint64 count)
{
    const LogFilter current = filter();
    if (count == 0) {
        QMessageBox::information(this, tr("Redeliver Failed"),
                                 tr("No failed deliveries match the filter."));
        return;
    }
    // Whole sentences for one and for many, so translations need no plural rules here.
    const QString text =
        count == 1
            ? tr("Send the one failed delivery that the filter shows again now?")
            //: %1 is a number greater than one
            : tr("Send the %1 failed deliveries that the filter shows again now?").arg(count);
    QMessageBox question(QMessageBox::Question, tr("Redeliver Failed Deliveries"), text,
                         QMessageBox::Cancel, this);
    question.setObjectName(QStringLiteral("redeliverFailedQuestion"));
    question.setInformativeText(tr("Each keeps its webhook-id, so receivers can tell a repeat."));
    QPushButton *send = question.addButton(tr("&Redeliver"), QMessageBox::AcceptRole);
    question.setDefaultButton(send);
    question.exec();
    if (question.clickedButton() != send)
        return;
    WriterStores stores;
    stores.deliveries = m_deliveries;
    StoreWriter::submitTo(
        m_writer, stores, this, tr("Queuing redeliveries…"),
        [current](const WriterStores &s) {
            return s.deliveries->redeliverFailed(current, QDateTime::currentDateTimeUtc());
        },
        [this](const Result<QList<qint64>> &queued) {
            if (!queued) {
                QMessageBox::warning(this, tr("Not Redelivered"), queued.error().message);
                return;
            }
            m_model->refresh();
            if (!queued->isEmpty())
                emit deliveriesQueued();
            emit statusMessage(tr("Redeliveries queued: %1").arg(queued->size()));
        });
}

void DeliveryLogPane::copySelectedAsCurl()
{
    copyCurl(false);
}

void DeliveryLogPane::copySelectedAsCurlSigningNow()
{
    copyCurl(true);
}

void DeliveryLogPane::copyCurl(bool signNow)
{
    const qint64 id = currentAttemptId();
    if (id == 0)
        return;
    Result<Attempt> attempt = m_deliveries->attempt(id);
    if (!attempt) {
        QMessageBox::warning(this, tr("Not Copied"), attempt.error().message);
        return;
    }
    QStringList variables;
    QString command = signNow ? CurlCommand::buildSigningNow(attempt.value(), &variables)
                              : CurlCommand::build(attempt.value(), &variables);
    const bool signedRequest = !CurlCommand::buildSigningNow(attempt.value()).isEmpty();
    if (command.isEmpty()) {
        emit statusMessage(tr("This request was not signed: Copy as cURL sends it as it was."));
        return;
    }
    QApplication::clipboard()->setText(command);
    QStringList said;
    said.append(signNow ? tr("Copied a script that signs the request with the current time.")
                        : tr("Copied a curl command."));
    for (QString &variable : variables)
        variable.prepend(QLatin1Char('$'));
    if (!variables.isEmpty())
        //: %1 lists shell variables, e.g. "$WEBHOOK_SECRET_AUTHORIZATION and $WEBHOOK_URL_PASSWORD"
        said.append(tr("Set %1 before running it.").arg(QLocale().createSeparatedList(variables)));
    if (!signNow && signedRequest)
        said.append(
            tr("Its signature and timestamp are the original's: receivers reject them after "
               "about 5 minutes. Copy as cURL, Signed Now makes fresh ones."));
    emit statusMessage(said.join(QLatin1Char(' ')));
}

Result<qint64> DeliveryLogPane::exportTo(const QString &path, LogExporter::Format format)
{
    QProgressDialog progress(tr("Exporting the delivery log…"), tr("Cancel"), 0, 0, this);
    progress.setWindowModality(Qt::WindowModal);
    progress.setMinimumDuration(500);
    return LogExporter::exportToFile(
        *m_deliveries, m_model->filter(), format, path, [&progress](qint64 written) {
            //: %1 is how many attempts were written so far
            progress.setLabelText(
                tr("Exporting the delivery log… %1 attempts so far").arg(written));
            progress.setValue(0);
            return !progress.wasCanceled();
        });
}

void DeliveryLogPane::exportLog()
{
    const QString jsonLines = tr("JSON Lines (*.jsonl)");
    const QString csv = tr("CSV (*.csv)");
    QString selected = jsonLines;
    const QString folder = QStandardPaths::writableLocation(QStandardPaths::DocumentsLocation);
    QString path = QFileDialog::getSaveFileName(this, tr("Export Delivery Log"),
                                                folder + QLatin1String("/deliveries.jsonl"),
                                                jsonLines + QLatin1String(";;") + csv, &selected);
    if (path.isEmpty())
        return;
    if (QFileInfo(path).suffix().isEmpty())
        path += selected == csv ? QLatin1String(".csv") : QLatin1String(".jsonl");
    // The name's suffix decides; an unknown one follows the chosen filter.
    const QString suffix = QFileInfo(path).suffix().toLower();
    const bool known = suffix == QLatin1String("csv") || suffix == QLatin1String("jsonl") ||
                       suffix == QLatin1String("json");
    const LogExporter::Format format =
        known ? LogExporter::formatForPath(path)
              : (selected == csv ? LogExporter::Format::Csv : LogExporter::Format::JsonLines);
    Result<qint64> written = exportTo(path, format);
    if (!written) {
        QMessageBox::warning(this, tr("Not Exported"), written.error().message);
        return;
    }
    //: %1 is a file path, %2 a number
    emit statusMessage(tr("Exported the delivery log to %1 (attempts: %2).")
                           .arg(QDir::toNativeSeparators(path), QString::number(written.value())));
}

void DeliveryLogPane::updateChartRoom()
{
    // Closed, the chart is its header alone (in the filter bar). Open, it
    // comes with its height: the pane's minimum grows by it, so the window's
    // splitter gives the pane that room instead of the log losing rows.
    m_chart->setVisible(m_chart->isExpanded());
    updateGeometry();
}

void DeliveryLogPane::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    const Qt::Orientation wanted = width() >= SideBySideMinWidth ? Qt::Horizontal : Qt::Vertical;
    if (m_splitter->orientation() == wanted)
        return;
    m_splitter->setOrientation(wanted);
    if (wanted == Qt::Horizontal)
        m_splitter->setSizes({width() * 3 / 5, width() * 2 / 5});
    else
        m_splitter->setSizes({height() / 2, height() / 2});
}

void DeliveryLogPane::restoreLayout()
{
    const QSettings settings = appSettings();
    // A header saved with other columns would put widths on the wrong ones.
    const QByteArray header = settings.value(QStringLiteral("deliveryLog/header")).toByteArray();
    if (!header.isEmpty() && settings.value(QStringLiteral("deliveryLog/columns")).toInt() ==
                                 DeliveryLogModel::ColumnCount)
        m_table->horizontalHeader()->restoreState(header);
}

void DeliveryLogPane::saveLayout() const
{
    QSettings settings = appSettings();
    settings.setValue(QStringLiteral("deliveryLog/header"),
                      m_table->horizontalHeader()->saveState());
    settings.setValue(QStringLiteral("deliveryLog/columns"), int(DeliveryLogModel::ColumnCount));
}

bool DeliveryLogPane::isGrouped() const
{
    return m_groupAction && m_groupAction->isChecked();
}

QAbstractItemView *DeliveryLogPane::activeView() const
{
    if (isGrouped())
        return m_tree;
    return m_table;
}

void DeliveryLogPane::createTree()
{
    m_groupModel = new DeliveryGroupModel(m_model, this);
    m_tree = new QTreeView;
    m_tree->setObjectName(QStringLiteral("deliveryLogTree"));
    m_tree->setAccessibleName(tr("Delivery log by delivery"));
    m_tree->setModel(m_groupModel);
    m_tree->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_tree->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_tree->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_tree->setAlternatingRowColors(true);
    m_tree->setUniformRowHeights(true);
    m_tree->setWordWrap(false);
    m_tree->setTextElideMode(Qt::ElideMiddle);
    m_tree->setAllColumnsShowFocus(true);
    m_tree->setExpandsOnDoubleClick(true);
    m_tree->setItemDelegateForColumn(DeliveryLogModel::Outcome, new OutcomeDelegate(m_tree));
    m_tree->setContextMenuPolicy(Qt::CustomContextMenu);
    // In the log's order (newest first unless the table was turned round).
    QHeaderView *columns = m_tree->header();
    columns->setSectionsClickable(false);
    columns->setSortIndicatorShown(false);
    columns->setStretchLastSection(false);
    for (int column = 0; column < DeliveryLogModel::ColumnCount; ++column)
        columns->resizeSection(column, m_table->horizontalHeader()->sectionSize(column));
    // A delivery's count of attempts in words.
    columns->resizeSection(DeliveryLogModel::AttemptNumber,
                           std::max(columns->sectionSize(DeliveryLogModel::AttemptNumber),
                                    m_tree->fontMetrics().horizontalAdvance(
                                        DeliveryGroupModel::tr("%1 attempts").arg(88)) +
                                        16));
    // Room for the tree's branch indicator before the time.
    columns->resizeSection(DeliveryLogModel::Time,
                           m_table->horizontalHeader()->sectionSize(DeliveryLogModel::Time) +
                               m_tree->indentation());
    columns->setSectionResizeMode(DeliveryLogModel::Hook, QHeaderView::Stretch);
    m_tableStack->addWidget(m_tree);

    connect(m_groupModel, &QAbstractItemModel::modelAboutToBeReset, this,
            &DeliveryLogPane::rememberTreeState);
    connect(m_groupModel, &QAbstractItemModel::modelReset, this,
            &DeliveryLogPane::restoreTreeState);
    connect(m_tree->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this] {
        if (isGrouped())
            onCurrentRowChanged();
    });
    connect(m_tree->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &DeliveryLogPane::updateActions);
    connect(m_tree, &QWidget::customContextMenuRequested, this, &DeliveryLogPane::showContextMenu);
}

void DeliveryLogPane::rememberTreeState()
{
    // By the ids the groups hold: the log's rows have already changed.
    const QModelIndex current = m_tree->currentIndex();
    m_treeCurrentAttempt = m_groupModel->attemptIdOf(current);
    m_treeCurrentWasDelivery = current.isValid() && !current.parent().isValid();
    m_treeExpanded.clear();
    for (int row = 0; row < m_groupModel->rowCount(); ++row) {
        const QModelIndex delivery = m_groupModel->index(row, 0);
        if (m_tree->isExpanded(delivery))
            m_treeExpanded.append(m_groupModel->deliveryIdOf(delivery));
    }
}

void DeliveryLogPane::restoreTreeState()
{
    for (const qint64 id : std::as_const(m_treeExpanded)) {
        const QModelIndex delivery = m_groupModel->indexOfDelivery(id);
        if (delivery.isValid())
            m_tree->expand(delivery);
    }
    if (m_treeCurrentAttempt == 0)
        return;
    QModelIndex current = m_groupModel->indexOfAttempt(m_treeCurrentAttempt);
    if (current.isValid() && m_treeCurrentWasDelivery)
        current = current.parent();
    if (!current.isValid())
        return;
    {
        // Without the selection model's signals: the same row again.
        const QSignalBlocker blocker(m_tree->selectionModel());
        m_tree->selectionModel()->setCurrentIndex(current, QItemSelectionModel::ClearAndSelect |
                                                               QItemSelectionModel::Rows);
    }
    m_tree->viewport()->update();
    // A delivery row stands for its latest attempt, which may be a new one.
    if (isGrouped() &&
        current.data(DeliveryLogModel::AttemptIdRole).toLongLong() != m_treeCurrentAttempt)
        onCurrentRowChanged();
}

void DeliveryLogPane::setGrouped(bool grouped)
{
    if (m_groupAction->isChecked() != grouped) {
        m_groupAction->setChecked(grouped); // comes back here
        return;
    }
    {
        const QSignalBlocker blocker(m_groupToggle);
        m_groupToggle->setChecked(grouped);
    }
    // The same attempt stays selected in the other view.
    const QAbstractItemView *from = grouped ? static_cast<QAbstractItemView *>(m_table) : m_tree;
    const QModelIndex current = from->currentIndex();
    const qint64 attempt =
        current.isValid() ? current.data(DeliveryLogModel::AttemptIdRole).toLongLong() : 0;
    // Grouping costs a pass over the held rows at each change: only when shown.
    m_groupModel->setActive(grouped);
    appSettings().setValue(QStringLiteral("deliveryLog/grouped"), grouped);
    updateEmptyState();
    if (attempt == 0 || !selectAttempt(attempt))
        onCurrentRowChanged();
    updateActions();
}
