#include "inbox_pane.h"

#include "attempt_details.h"
#include "inbox_verdict_delegate.h"
#include "items/inbox_request_model.h"
#include "json_highlighter.h"
#include "store/inbox_store.h"
#include "store/store_writer.h"

#include <QComboBox>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QStackedWidget>
#include <QTableView>
#include <QTableWidget>
#include <QVBoxLayout>

InboxPane::InboxPane(InboxStore *store, QWidget *parent)
    : QWidget(parent)
    , m_store(store)
    , m_model(new InboxRequestModel(store, this))
{
    setObjectName(QStringLiteral("inboxPane"));

    auto *title = new QLabel(tr("Local inbox"));
    QFont bold = title->font();
    bold.setBold(true);
    title->setFont(bold);
    m_inboxCombo = new QComboBox;
    m_inboxCombo->setObjectName(QStringLiteral("inboxFilter"));
    m_inboxCombo->setAccessibleName(tr("Inbox filter"));
    m_inboxCombo->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_inboxCombo->setMinimumContentsLength(14);
    connect(m_inboxCombo, &QComboBox::currentIndexChanged, this,
            [this] { m_model->setInboxFilter(m_inboxCombo->currentData().toString()); });
    m_clearButton = new QPushButton(tr("&Clear Inbox…"));
    m_clearButton->setObjectName(QStringLiteral("clearInboxButton"));
    m_clearButton->setToolTip(tr("Delete what the chosen inbox (or the selected request's inbox) "
                                 "received"));
    connect(m_clearButton, &QPushButton::clicked, this, &InboxPane::clearInbox);
    auto *bar = new QHBoxLayout;
    bar->addWidget(title);
    bar->addSpacing(8);
    bar->addWidget(m_inboxCombo);
    bar->addStretch();
    bar->addWidget(m_clearButton);

    m_table = new QTableView;
    m_table->setObjectName(QStringLiteral("inboxTable"));
    m_table->setAccessibleName(tr("Received requests"));
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setShowGrid(false);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->setTabKeyNavigation(false);
    m_table->setItemDelegateForColumn(InboxRequestModel::Verdict,
                                      new InboxVerdictDelegate(m_table));
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 8);
    QHeaderView *columns = m_table->horizontalHeader();
    columns->setHighlightSections(false);
    const QFontMetrics metrics = m_table->fontMetrics();
    columns->resizeSection(InboxRequestModel::Time,
                           metrics.horizontalAdvance(QStringLiteral("2024-12-31 23:59:59")) + 16);
    columns->resizeSection(InboxRequestModel::Verdict,
                           metrics.horizontalAdvance(QStringLiteral("unsigned")) + 40);
    columns->setSectionResizeMode(InboxRequestModel::Request, QHeaderView::Stretch);

    m_emptyLabel = new QLabel;
    m_emptyLabel->setObjectName(QStringLiteral("inboxEmpty"));
    m_emptyLabel->setAlignment(Qt::AlignCenter);
    m_emptyLabel->setWordWrap(true);
    m_emptyLabel->setForegroundRole(QPalette::PlaceholderText);
    m_tableStack = new QStackedWidget;
    m_tableStack->addWidget(m_table);
    m_tableStack->addWidget(m_emptyLabel);

    // Details: the verdict in words, the request line, headers and body.
    m_verdictIcon = new QLabel;
    m_verdict = new QLabel;
    m_verdict->setObjectName(QStringLiteral("inboxVerdict"));
    m_verdict->setWordWrap(true);
    m_verdict->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_requestLine = new QLabel;
    m_requestLine->setObjectName(QStringLiteral("inboxRequestLine"));
    m_requestLine->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_requestLine->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_headers = new QTableWidget(0, 2);
    m_headers->setObjectName(QStringLiteral("inboxHeaders"));
    m_headers->setHorizontalHeaderLabels({tr("Header"), tr("Value")});
    m_headers->verticalHeader()->hide();
    m_headers->horizontalHeader()->setStretchLastSection(true);
    m_headers->horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    m_headers->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_headers->setWordWrap(false);
    m_headers->setTabKeyNavigation(false);
    m_body = new QPlainTextEdit;
    m_body->setObjectName(QStringLiteral("inboxBody"));
    m_body->setReadOnly(true);
    m_body->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_body->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_body->setAccessibleName(tr("Body"));
    m_highlighter = new JsonHighlighter(m_body->document());
    m_highlighter->setBaseColor(m_body->palette().color(QPalette::Base));
    m_truncatedNote = new QLabel;
    m_truncatedNote->setObjectName(QStringLiteral("inboxTruncated"));
    m_truncatedNote->setForegroundRole(QPalette::PlaceholderText);
    m_truncatedNote->hide();

    auto *verdictRow = new QHBoxLayout;
    verdictRow->addWidget(m_verdictIcon, 0, Qt::AlignTop);
    verdictRow->addWidget(m_verdict, 1);
    auto *headersAndBody = new QSplitter(Qt::Vertical);
    headersAndBody->addWidget(m_headers);
    headersAndBody->addWidget(m_body);
    headersAndBody->setChildrenCollapsible(false);
    auto *details = new QWidget;
    auto *detailsLayout = new QVBoxLayout(details);
    detailsLayout->setContentsMargins(0, 0, 0, 0);
    detailsLayout->addLayout(verdictRow);
    detailsLayout->addWidget(m_requestLine);
    detailsLayout->addWidget(headersAndBody, 1);
    detailsLayout->addWidget(m_truncatedNote);
    m_detailsPlaceholder =
        new QLabel(tr("Select a request to see its headers, body and signature verdict."));
    m_detailsPlaceholder->setAlignment(Qt::AlignCenter);
    m_detailsPlaceholder->setWordWrap(true);
    m_detailsPlaceholder->setForegroundRole(QPalette::PlaceholderText);
    m_detailsStack = new QStackedWidget;
    m_detailsStack->addWidget(m_detailsPlaceholder);
    m_detailsStack->addWidget(details);

    auto *splitter = new QSplitter(Qt::Horizontal);
    splitter->setObjectName(QStringLiteral("inboxSplitter"));
    splitter->addWidget(m_tableStack);
    splitter->addWidget(m_detailsStack);
    splitter->setChildrenCollapsible(false);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 1);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(bar);
    layout->addWidget(splitter, 1);

    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &InboxPane::onCurrentRowChanged);
    connect(m_model, &QAbstractItemModel::modelReset, this, &InboxPane::onCurrentRowChanged);
    connect(m_model, &QAbstractItemModel::modelReset, this, &InboxPane::updateEmptyState);
    connect(m_model, &QAbstractItemModel::rowsInserted, this, &InboxPane::updateEmptyState);
    connect(m_model, &QAbstractItemModel::rowsInserted, this, &InboxPane::reloadInboxNames);
    connect(m_model, &InboxRequestModel::loadFailed, this, [this](const QString &message) {
        emit statusMessage(tr("Could not read the inbox: %1").arg(message));
    });

    reloadInboxNames();
    updateEmptyState();
    showDetails(0);
}

void InboxPane::refresh()
{
    m_model->refresh();
}

void InboxPane::reloadInboxNames()
{
    const Result<QStringList> names = m_store->inboxNames();
    if (!names)
        return;
    QStringList shown;
    for (int i = 1; i < m_inboxCombo->count(); ++i)
        shown.append(m_inboxCombo->itemData(i).toString());
    if (m_inboxCombo->count() > 0 && shown == names.value())
        return;
    const QString current = m_inboxCombo->currentData().toString();
    const QSignalBlocker blocker(m_inboxCombo);
    m_inboxCombo->clear();
    m_inboxCombo->addItem(tr("All inboxes"), QString());
    for (const QString &name : names.value())
        m_inboxCombo->addItem(name, name);
    m_inboxCombo->setCurrentIndex(std::max(0, m_inboxCombo->findData(current)));
}

void InboxPane::updateEmptyState()
{
    // Nothing to select: the empty text gets the whole width.
    m_detailsStack->setVisible(m_model->rowCount() > 0);
    m_clearButton->setEnabled(m_model->rowCount() > 0 && m_clearing == 0);
    if (m_model->rowCount() > 0) {
        m_tableStack->setCurrentWidget(m_table);
        return;
    }
    const QString inbox = m_model->inboxFilter();
    m_emptyLabel->setText(
        inbox.isEmpty()
            ? tr("Nothing received yet.\nTo try a hook, open it, click \"Use local inbox\" (or "
                 "set its URL to http://127.0.0.1:PORT/inbox/NAME), save, and Send Test. What "
                 "arrives shows here with its signature verdict.")
            : tr("The inbox %1 has received nothing yet.").arg(inbox));
    m_tableStack->setCurrentWidget(m_emptyLabel);
}

void InboxPane::onCurrentRowChanged()
{
    const QModelIndex current = m_table->currentIndex();
    showDetails(current.isValid() ? current.data(InboxRequestModel::RequestIdRole).toLongLong()
                                  : 0);
}

void InboxPane::showDetails(qint64 id)
{
    m_shownId = 0;
    if (id == 0) {
        m_detailsStack->setCurrentWidget(m_detailsPlaceholder);
        return;
    }
    const Result<InboxRequest> request = m_store->request(id);
    if (!request) {
        m_detailsPlaceholder->setText(request.error().message);
        m_detailsStack->setCurrentWidget(m_detailsPlaceholder);
        return;
    }
    const InboxRequest &r = request.value();
    m_shownId = r.id;
    const int side = fontMetrics().height();
    m_verdictIcon->setPixmap(InboxVerdictDelegate::iconFor(r.verdict).pixmap(side, side));
    //: %1 is the verdict (valid, invalid, stale, unsigned), %2 the reason in words
    m_verdict->setText(tr("%1: %2").arg(InboxRequestModel::verdictText(r.verdict), r.reason));
    const QString target = r.query.isEmpty() ? r.path : r.path + QLatin1Char('?') + r.query;
    //: %1 method, %2 path, %3 remote address, %4 time
    m_requestLine->setText(
        tr("%1 %2 from %3 at %4")
            .arg(r.method, target, r.remoteAddress,
                 r.receivedAt.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"))));
    m_headers->setRowCount(int(r.headers.size()));
    for (int row = 0; row < r.headers.size(); ++row) {
        m_headers->setItem(row, 0, new QTableWidgetItem(r.headers.at(row).first));
        m_headers->setItem(row, 1, new QTableWidgetItem(r.headers.at(row).second));
    }
    m_body->setPlainText(r.body.isEmpty() ? tr("(no body)") : AttemptDetails::prettyBody(r.body));
    m_truncatedNote->setVisible(r.isTruncated());
    if (r.isTruncated())
        m_truncatedNote->setText(tr("The body was %1; the first %2 are stored.")
                                     .arg(QLocale().formattedDataSize(r.size),
                                          QLocale().formattedDataSize(r.body.size())));
    m_detailsStack->setCurrentIndex(1);
}

QString InboxPane::inboxToClear() const
{
    const QString chosen = m_inboxCombo->currentData().toString();
    if (!chosen.isEmpty())
        return chosen;
    const QModelIndex current = m_table->currentIndex();
    return current.isValid() ? current.data(InboxRequestModel::InboxRole).toString() : QString();
}

void InboxPane::clearInbox()
{
    const QString name = inboxToClear();
    if (name.isEmpty()) {
        emit statusMessage(
            tr("Choose an inbox above, or select one of its requests, to clear it."));
        return;
    }
    const auto answer = QMessageBox::question(
        this, tr("Clear Inbox"),
        tr("Delete everything the inbox %1 received? Its settings stay.").arg(name),
        QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel);
    if (answer == QMessageBox::Yes)
        clearInboxNamed(name);
}

void InboxPane::clearInboxNamed(const QString &name)
{
    ++m_clearing;
    m_clearButton->setEnabled(false);
    m_clearButton->setText(tr("Clearing…"));
    WriterStores stores;
    stores.inbox = m_store;
    // On the writer thread it may wait out another process's lock; the
    // window stays usable meanwhile. Without a writer it runs here, where
    // it must not wait long.
    const int lockWait = m_writer ? -1 : LockWaitMs;
    StoreWriter::submitTo(
        m_writer, stores, this, tr("Clearing the inbox %1…").arg(name),
        [name, lockWait](const WriterStores &s) { return s.inbox->clear(name, lockWait); },
        [this, name](const Result<int> &cleared) {
            --m_clearing;
            m_clearButton->setText(tr("&Clear Inbox…"));
            if (!cleared) {
                updateEmptyState();
                emit statusMessage(cleared.error().kind == StorageError::Kind::Locked
                                       ? tr("Another program is writing to the database; the "
                                            "inbox was not cleared. Try again in a moment.")
                                       : cleared.error().message);
                return;
            }
            m_model->reload();
            updateEmptyState();
            emit statusMessage(
                tr("Deleted %1 requests from the inbox %2.").arg(cleared.value()).arg(name));
            emit inboxCleared(name, cleared.value());
        });
}
