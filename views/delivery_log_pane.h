#pragma once

#include "delivery/delivery_store.h"
#include "io/log_exporter.h"

#include <QWidget>

class AttemptDetails;
class DeliveryChartModel;
class DeliveryChartView;
class DeliveryGroupModel;
class FlowLayout;
class DeliveryLogModel;
class HookStore;
class StoreWriter;
class QAction;
class QCheckBox;
class QComboBox;
class QDateTimeEdit;
class QLabel;
class QLineEdit;
class QPushButton;
class QSplitter;
class QStackedWidget;
class QAbstractItemView;
class QTableView;
class QTreeView;
class QTimer;
class QToolButton;

// The live delivery log: a filter bar, the attempts newest first (new ones
// appear at the top as they happen), and the selected attempt's request,
// response and trace. Redeliver, redeliver every failed delivery the filter
// shows, copy an attempt as a curl command, export the filtered log.
class DeliveryLogPane final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DeliveryLogPane)

public:
    static constexpr int SearchDebounceMs = 200;
    // How soon after rows change the Redeliver Failed count is read again.
    static constexpr int FailedCountDelayMs = 500;
    // Narrower than this, the details go below the log instead of beside it,
    // so every column of the log stays visible.
    static constexpr int SideBySideMinWidth = 1300;
    // The log keeps at least this many rows in sight, chart open or not.
    static constexpr int MinimumRows = 4;

    DeliveryLogPane(DeliveryStore *deliveries, HookStore *hooks, QWidget *parent = nullptr);
    ~DeliveryLogPane() override;

    // The filter bar, the chart when open, and DefaultRows rows of the log.
    QSize sizeHint() const override;
    static constexpr int DefaultRows = 5;

    DeliveryLogModel *model() const { return m_model; }
    QTableView *table() const { return m_table; }
    // The log grouped by delivery (GitHub's "Recent deliveries"): shown
    // instead of the table while isGrouped().
    QTreeView *tree() const { return m_tree; }
    DeliveryGroupModel *groupModel() const { return m_groupModel; }
    bool isGrouped() const;
    // The table, or the tree when grouped.
    QAbstractItemView *activeView() const;
    AttemptDetails *details() const { return m_details; }
    // The chart of attempts over time above the log.
    DeliveryChartView *chart() const { return m_chart; }
    // What the filter bar shows right now.
    LogFilter filter() const;
    // The attempt whose details are shown, 0 for none.
    qint64 currentAttemptId() const;

    QAction *redeliverAction() const { return m_redeliverAction; }
    QAction *redeliverFailedAction() const { return m_redeliverFailedAction; }
    QAction *editAndResendAction() const { return m_editResendAction; }
    QAction *copyCurlAction() const { return m_copyCurlAction; }
    QAction *copyCurlSigningNowAction() const { return m_copyCurlSigningNowAction; }
    QAction *exportAction() const { return m_exportAction; }
    // Checked: the log grouped by delivery.
    QAction *groupByDeliveryAction() const { return m_groupAction; }

    // Writes the filtered log without asking; what exportLog() does after
    // its file dialog. Returns how many attempts were written.
    Result<qint64> exportTo(const QString &path, LogExporter::Format format);

    // The chart's header and the actions on what the filter shows (Group by
    // delivery, Clear filters, the match count, Redeliver Failed): the last
    // row of the filter bar, unless taken for a place of its own, e.g. the
    // tab bar the pane sits under. The caller owns it then.
    QWidget *takeActionsRow();

    // Where Redeliver writes: the window's writer thread. Without one it
    // writes at once on this thread's connection.
    void setStoreWriter(StoreWriter *writer) { m_writer = writer; }

public slots:
    // Shows the attempts queued in [from, to): the time filter's custom range.
    void setTimeWindow(const QDateTime &from, const QDateTime &to);

    // The hook selected in the main window; the "Selected webhook only"
    // filter follows it. 0 for none.
    void setSelectedHook(qint64 id);
    // Reads what changed in this process right away (the model also polls).
    void refresh();
    // Shows this attempt's row and details, e.g. after a test send. False
    // when the current filter hides it.
    bool selectAttempt(qint64 attemptId);

    void redeliverSelected();
    void redeliverAllFailed();
    void copySelectedAsCurl();
    // The same request signed again with the current time (a shell script).
    void copySelectedAsCurlSigningNow();
    void exportLog();
    // Every filter back to show all attempts.
    void clearFilters();
    // One row per delivery with its attempts beneath, or one row per attempt.
    void setGrouped(bool grouped);

signals:
    // Deliveries were queued here (redeliver); a dispatcher should look now.
    void deliveriesQueued();
    // Edit and Resend… on this attempt: the window opens Send Test with its
    // hook, event and body.
    void editAndResendRequested(qint64 attemptId);
    // A short confirmation for a status bar.
    void statusMessage(const QString &message);

protected:
    void resizeEvent(QResizeEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    QWidget *createFilterBar();
    QWidget *createActionsGroup();
    static QToolButton *actionButton(QAction *action);
    void createTable();
    void createTree();
    void rememberTreeState();
    void restoreTreeState();
    // The chart's bars show while it is open, with room of their own.
    void updateChartRoom();
    void createActions();
    void reloadHookChoices();
    void restoreHookChoiceText();
    void clearNewRows();
    void reloadEventChoices();
    void applyFilter();
    void onTimeRangeChanged();
    void setCustomRangeVisible(bool visible);
    void onCurrentRowChanged();
    void showDetails(qint64 attemptId);
    void updateEmptyState();
    void updateActions();
    // Asks the log's reader thread for the match and failed-delivery counts.
    void updateFailedCount();
    void forgetCounts();
    void showCounts(quint64 request, qint64 matches, qint64 failedDeliveries, const QString &error);
    void askToRedeliverFailed(qint64 count);
    void showContextMenu(const QPoint &pos);
    void copyCurl(bool signNow);
    void rememberScrollBeforeInsert(int first);
    void keepScrollAfterInsert(int first, int last);
    void restoreLayout();
    void saveLayout() const;

    DeliveryStore *m_deliveries;
    HookStore *m_hooks;
    StoreWriter *m_writer = nullptr;
    DeliveryLogModel *m_model;
    DeliveryChartModel *m_chartModel = nullptr;
    DeliveryChartView *m_chart = nullptr;
    qint64 m_selectedHookId = 0;

    QComboBox *m_hookCombo = nullptr;
    QCheckBox *m_selectedOnly = nullptr;
    QComboBox *m_eventCombo = nullptr;
    QComboBox *m_outcomeCombo = nullptr;
    QLineEdit *m_search = nullptr;
    // When: any time, a quick range back from when it was chosen (kept, so
    // what Redeliver Failed sends is what the log shows), or From/To.
    QComboBox *m_timeCombo = nullptr;
    QWidget *m_customRange = nullptr;
    QDateTimeEdit *m_fromEdit = nullptr;
    QDateTimeEdit *m_toEdit = nullptr;
    QDateTime m_quickSince;
    QTimer *m_searchTimer = nullptr;
    QToolButton *m_clearFilters = nullptr;
    QLabel *m_matchCount = nullptr;
    QPushButton *m_newRowsBadge = nullptr;
    int m_newRows = 0;
    QTimer *m_failedCountTimer = nullptr;
    qint64 m_failedCount = -1;
    // The newest count request, and whether its answer is what is shown.
    quint64 m_countRequest = 0;
    bool m_countsCurrent = false;
    // Redeliver Failed was asked for before the count was there.
    bool m_askWhenCounted = false;

    QSplitter *m_splitter = nullptr;
    QStackedWidget *m_tableStack = nullptr;
    QTableView *m_table = nullptr;
    QTreeView *m_tree = nullptr;
    DeliveryGroupModel *m_groupModel = nullptr;
    QCheckBox *m_groupToggle = nullptr;
    // Across a regrouping: what was current, and which deliveries were open.
    qint64 m_treeCurrentAttempt = 0;
    bool m_treeCurrentWasDelivery = false;
    QList<qint64> m_treeExpanded;
    QLabel *m_emptyLabel = nullptr;
    QWidget *m_detailsColumn = nullptr;
    QStackedWidget *m_detailsStack = nullptr;
    QLabel *m_detailsPlaceholder = nullptr;
    QLabel *m_detailsTitle = nullptr;
    AttemptDetails *m_details = nullptr;

    QAction *m_redeliverAction = nullptr;
    QAction *m_redeliverFailedAction = nullptr;
    QAction *m_editResendAction = nullptr;
    QAction *m_copyCurlAction = nullptr;
    QAction *m_copyCurlSigningNowAction = nullptr;
    QAction *m_exportAction = nullptr;
    QAction *m_groupAction = nullptr;
    QWidget *m_filterBar = nullptr;
    FlowLayout *m_filterFlow = nullptr;
    QWidget *m_actionsRow = nullptr;

    // Scroll position kept while rows are inserted above what the user reads.
    int m_scrollBeforeInsert = -1;
};
