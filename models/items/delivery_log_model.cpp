#include "delivery_log_model.h"

#include "delivery_log_search.h"
#include "domain/secret_mask.h"
#include "store/hook_store.h"

#include <QScopedValueRollback>
#include <algorithm>
#include <utility>

namespace {

QString fullTimeText(const QDateTime &time)
{
    return time.isValid() ? time.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"))
                          : QString();
}

// Today's rows show the time alone, older ones the date too: the column stays
// narrow, and the tooltip has the full time.
QString timeText(const QDateTime &time)
{
    if (!time.isValid())
        return {};
    const QDateTime local = time.toLocalTime();
    if (local.date() == QDate::currentDate())
        return local.toString(QStringLiteral("HH:mm:ss"));
    return local.toString(QStringLiteral("yyyy-MM-dd HH:mm"));
}

// Today's times without the date; anything else with it.
QString dueText(const QDateTime &due)
{
    const QDateTime local = due.toLocalTime();
    if (local.date() == QDate::currentDate())
        return local.toString(QStringLiteral("HH:mm:ss"));
    return local.toString(QStringLiteral("yyyy-MM-dd HH:mm"));
}

// What a view shows of the row; the rest (details) is not read here.
// The log is in the order attempts were queued (their ids), so that is the
// time its first column shows.
QDateTime queuedTime(const Attempt &attempt)
{
    return attempt.createdAt.isValid() ? attempt.createdAt : attempt.time();
}

bool sameRow(const Attempt &a, const Attempt &b)
{
    return a.outcome == b.outcome && a.trigger == b.trigger && a.dueAt == b.dueAt &&
           a.startedAt == b.startedAt && a.finishedAt == b.finishedAt &&
           a.statusCode == b.statusCode && a.errorKind == b.errorKind && a.error == b.error &&
           a.durationMs == b.durationMs && a.url == b.url && a.number == b.number &&
           a.maxAttempts == b.maxAttempts;
}

} // namespace

DeliveryLogModel::DeliveryLogModel(DeliveryStore *store, HookStore *hooks, QObject *parent)
    : QAbstractTableModel(parent)
    , m_store(store)
    , m_hooks(hooks)
{
    connect(m_store, &DeliveryStore::attemptsChanged, this, &DeliveryLogModel::scheduleRefresh);
    if (m_hooks)
        connect(m_hooks, &HookStore::hooksChanged, this, &DeliveryLogModel::reloadHooks);
    connect(&m_pollTimer, &QTimer::timeout, this, &DeliveryLogModel::poll);
    m_pollTimer.setInterval(PollIntervalMs);
    m_pollTimer.start();

    // The hooks' URLs are looked up for the rows shown (hookText).
    m_hookUrlTimer.setSingleShot(true);
    m_hookUrlTimer.setInterval(0);
    connect(&m_hookUrlTimer, &QTimer::timeout, this, &DeliveryLogModel::learnHookUrls);
    reload();
}

DeliveryLogModel::~DeliveryLogModel() = default;

int DeliveryLogModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int DeliveryLogModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

bool DeliveryLogModel::isRow(const QModelIndex &index) const
{
    // Like checkIndex(), without its warning: views ask about invalid indexes.
    return index.isValid() && index.model() == this && !index.parent().isValid() &&
           index.row() < m_rows.size() && index.column() < ColumnCount;
}

QString DeliveryLogModel::triggerText(AttemptTrigger trigger)
{
    switch (trigger) {
    case AttemptTrigger::Manual:
        //: How the attempt started: redelivered by hand
        return tr("manual");
    case AttemptTrigger::Test:
        //: How the attempt started: a test send
        return tr("test");
    case AttemptTrigger::Scheduled:
        break;
    }
    //: How the attempt started: by the delivery engine
    return tr("scheduled");
}

QString DeliveryLogModel::errorKindText(const QString &errorKind)
{
    if (errorKind == QLatin1String("refused"))
        //: Short outcome of a failed attempt: the connection was refused
        return tr("refused");
    if (errorKind == QLatin1String("timeout"))
        //: Short outcome of a failed attempt: no answer in time
        return tr("timeout");
    if (errorKind == QLatin1String("dns"))
        //: Short outcome of a failed attempt: the host name was not found
        return tr("DNS error");
    if (errorKind == QLatin1String("tls"))
        //: Short outcome of a failed attempt
        return tr("TLS error");
    if (errorKind == QLatin1String("reset"))
        //: Short outcome of a failed attempt: the connection was closed or reset
        return tr("reset");
    if (errorKind == QLatin1String("protocol"))
        //: Short outcome of a failed attempt: the answer was not valid HTTP
        return tr("protocol error");
    if (errorKind == QLatin1String("interrupted"))
        //: Short outcome of a failed attempt: the app stopped while it was in flight
        return tr("interrupted");
    if (errorKind == QLatin1String("cancelled"))
        //: Short outcome of an attempt never made: its webhook was deleted
        return tr("cancelled");
    //: Short outcome of a failed attempt of no known kind
    return tr("failed");
}

QString DeliveryLogModel::outcomeText(const Attempt &attempt)
{
    switch (attempt.outcome) {
    case AttemptOutcome::Pending:
        if (attempt.errorKind == QLatin1String("rate_limit"))
            //: A delivery held back by its hook's rate limit; %1 is when it is due
            return tr("waiting (rate limit) — due %1").arg(dueText(attempt.dueAt));
        //: %1 is when the attempt is due, e.g. 10:42:13
        return tr("pending — due %1").arg(dueText(attempt.dueAt));
    case AttemptOutcome::Filtered:
        //: Outcome of a delivery the hook's filter kept back: nothing was sent
        return tr("filtered");
    case AttemptOutcome::Succeeded:
    case AttemptOutcome::Failed:
        break;
    }
    if (attempt.statusCode > 0)
        return QString::number(attempt.statusCode);
    if (attempt.outcome == AttemptOutcome::Succeeded)
        //: Outcome of an attempt that succeeded without a status code
        return tr("delivered");
    return errorKindText(attempt.errorKind);
}

QString DeliveryLogModel::hookText(const Attempt &attempt) const
{
    if (!m_hooks)
        return attempt.url;
    const auto it = m_hookUrls.constFind(attempt.webhookId);
    if (it == m_hookUrls.constEnd()) {
        // Looked up with the others shown in this turn, in one statement; until
        // then the URL the attempt went to, which is the hook's unless it changed.
        m_hookUrlsWanted.insert(attempt.webhookId);
        if (!m_hookUrlTimer.isActive())
            m_hookUrlTimer.start();
        return attempt.url;
    }
    if (!it->isNull())
        return it.value();
    // The hook was deleted and its history kept (HookStore::History::Keep).
    //: In the log's Webhook column; %1 is the URL the attempt went to
    return tr("deleted webhook · %1").arg(attempt.url);
}

QString DeliveryLogModel::toolTip(const Attempt &attempt) const
{
    QString first;
    switch (attempt.outcome) {
    case AttemptOutcome::Pending:
        if (attempt.errorKind == QLatin1String("rate_limit"))
            //: %1 is a date and time
            first =
                tr("Waiting for the webhook's rate limit; due %1").arg(fullTimeText(attempt.dueAt));
        else
            //: %1 is a date and time
            first = tr("Waiting to be sent; due %1").arg(fullTimeText(attempt.dueAt));
        break;
    case AttemptOutcome::Filtered:
        //: %1 is the condition of the hook's filter that failed
        first = tr("Filtered, not sent: %1").arg(attempt.error);
        break;
    case AttemptOutcome::Succeeded:
        //: %1 is the HTTP status code
        first = tr("Delivered: HTTP %1").arg(attempt.statusCode);
        break;
    case AttemptOutcome::Failed:
        first = attempt.error.isEmpty() ? errorKindText(attempt.errorKind) : attempt.error;
        break;
    }
    //: Tooltip of a log row. %1 outcome or error, %2/%3 attempt n of N, %4 event key,
    //: %5 URL, %6 delivery id, %7 webhook-id header value
    // One pass, so a % in a URL or an error is never taken for a placeholder.
    return tr("%1\nAttempt %2 of %3 · %4 to %5\nDelivery %6 · webhook-id %7")
        .arg(first, QString::number(attempt.number), QString::number(attempt.maxAttempts),
             attempt.action, attempt.url, QString::number(attempt.deliveryId), attempt.messageId);
}

QVariant DeliveryLogModel::data(const QModelIndex &index, int role) const
{
    if (!isRow(index))
        return {};
    const Attempt &attempt = m_rows.at(index.row());
    const int column = index.column();

    switch (role) {
    case Qt::DisplayRole:
        switch (column) {
        case Time:
            return timeText(queuedTime(attempt));
        case Hook:
            return hookText(attempt);
        case Event:
            return attempt.action;
        case Outcome:
            return outcomeText(attempt);
        case Duration:
            //: Duration of an attempt in milliseconds
            return attempt.durationMs >= 0 ? tr("%1 ms").arg(attempt.durationMs) : QString();
        case AttemptNumber:
            //: Attempt n of N, e.g. 2/8
            return tr("%1/%2").arg(attempt.number).arg(attempt.maxAttempts);
        case Trigger:
            return triggerText(attempt.trigger);
        default:
            return {};
        }
    case Qt::ToolTipRole:
        if (column == Time) {
            //: %1 is a date and time
            QString when = tr("Queued %1").arg(fullTimeText(queuedTime(attempt)));
            if (attempt.startedAt.isValid())
                //: %1 is a date and time
                when += QLatin1Char('\n') + tr("Sent %1").arg(fullTimeText(attempt.startedAt));
            //: %1 is the queued and sent times, %2 the tooltip of the row
            return tr("%1\n%2").arg(when, toolTip(attempt));
        }
        if (column == Hook)
            //: %1 is the URL the attempt went to, %2 the tooltip of the row
            return tr("%1\n%2").arg(attempt.url, toolTip(attempt));
        return toolTip(attempt);
    case Qt::TextAlignmentRole:
        if (column == Duration || column == AttemptNumber)
            return QVariant::fromValue(Qt::Alignment(Qt::AlignRight | Qt::AlignVCenter));
        return {};
    case Qt::AccessibleTextRole:
        if (column == Outcome) {
            switch (attempt.outcome) {
            case AttemptOutcome::Succeeded:
                //: Read out by screen readers; %1 is the outcome text, e.g. 200
                return tr("Succeeded, %1").arg(outcomeText(attempt));
            case AttemptOutcome::Failed:
                return tr("Failed, %1").arg(outcomeText(attempt));
            case AttemptOutcome::Pending:
            case AttemptOutcome::Filtered:
                return outcomeText(attempt);
            }
        }
        return {};
    case AttemptIdRole:
        return attempt.id;
    case DeliveryIdRole:
        return attempt.deliveryId;
    case OutcomeRole:
        return int(attempt.outcome);
    case WebhookIdRole:
        return attempt.webhookId;
    case StatusCodeRole:
        return attempt.statusCode;
    case ErrorKindRole:
        return attempt.errorKind;
    case MessageIdRole:
        return attempt.messageId;
    case TimeRole:
        return attempt.time();
    default:
        return {};
    }
}

QVariant DeliveryLogModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
        return {};
    if (role == Qt::DisplayRole) {
        switch (section) {
        case Time:
            //: Column header: when the attempt was queued, the log's order
            return tr("Queued");
        case Hook:
            return tr("Webhook");
        case Event:
            return tr("Event");
        case Outcome:
            return tr("Status");
        case Duration:
            return tr("Duration");
        case AttemptNumber:
            return tr("Attempt");
        case Trigger:
            return tr("Trigger");
        default:
            return {};
        }
    }
    if (role == Qt::ToolTipRole) {
        switch (section) {
        case Time:
            return tr("When the attempt was queued: at once for a new event, when the attempt "
                      "before failed for a retry. The log is in this order; the tooltip says "
                      "when it was sent, the Status when a pending one is due.");
        case Hook:
            return tr("The webhook's URL");
        case Event:
            return tr("The event the delivery carries");
        case Outcome:
            return tr("The HTTP status code, or what went wrong before there was one");
        case Duration:
            return tr("From sending the request to the end of the response");
        case AttemptNumber:
            return tr("This attempt's number and how many the webhook allows");
        case Trigger:
            return tr("Scheduled by the engine, redelivered by hand, or a test send");
        default:
            return {};
        }
    }
    if (role == Qt::TextAlignmentRole && (section == Duration || section == AttemptNumber))
        return QVariant::fromValue(Qt::Alignment(Qt::AlignRight | Qt::AlignVCenter));
    return {};
}

Qt::ItemFlags DeliveryLogModel::flags(const QModelIndex &index) const
{
    if (!isRow(index))
        return Qt::NoItemFlags;
    return Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemNeverHasChildren;
}

QHash<int, QByteArray> DeliveryLogModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractTableModel::roleNames();
    names.insert(AttemptIdRole, "attemptId");
    names.insert(DeliveryIdRole, "deliveryId");
    names.insert(OutcomeRole, "outcome");
    names.insert(WebhookIdRole, "webhookId");
    names.insert(StatusCodeRole, "statusCode");
    names.insert(ErrorKindRole, "errorKind");
    names.insert(MessageIdRole, "messageId");
    names.insert(TimeRole, "time");
    return names;
}

bool DeliveryLogModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && !m_atEnd && !m_changing && !m_searching;
}

void DeliveryLogModel::fetchMore(const QModelIndex &parent)
{
    // Views and testers may ask from inside our own insert or reset
    // notifications, before the rows are in place.
    if (parent.isValid() || m_atEnd || m_changing || m_searching)
        return;
    const qint64 last = m_rows.isEmpty() ? 0 : m_rows.constLast().id;
    if (usesSearch()) {
        startSearch(last);
        return;
    }
    const QScopedValueRollback changing(m_changing, true);
    Result<QList<Attempt>> page = readPage(last);
    if (!page) {
        // Stop asking; refresh() starts over once the file can be read again.
        m_atEnd = true;
        m_loadFailed = true;
        emit loadFailed(page.error().message);
        return;
    }
    if (page->size() < PageSize)
        m_atEnd = true;
    if (page->isEmpty())
        return;
    beginInsertRows({}, int(m_rows.size()), int(m_rows.size() + page->size() - 1));
    m_rows.append(std::move(page).value());
    endInsertRows();
}

Result<QList<Attempt>> DeliveryLogModel::readPage(qint64 after) const
{
    if (!m_oldestFirst)
        return m_store->attempts(m_filter, after, PageSize);
    Result<QList<Attempt>> page = m_store->attemptsNewerThan(m_filter, after, PageSize);
    if (!page)
        return page;
    QList<Attempt> rows = std::move(page).value();
    std::reverse(rows.begin(), rows.end()); // it comes newest first
    return rows;
}

void DeliveryLogModel::sort(int column, Qt::SortOrder order)
{
    Q_UNUSED(column)
    const bool oldestFirst = order == Qt::AscendingOrder;
    if (oldestFirst == m_oldestFirst)
        return;
    m_oldestFirst = oldestFirst;
    reload();
}

int DeliveryLogModel::rowOfAttempt(qint64 attemptId) const
{
    for (int row = 0; row < m_rows.size(); ++row) {
        if (m_rows.at(row).id == attemptId)
            return row;
    }
    return -1;
}

void DeliveryLogModel::setFilter(const LogFilter &filter)
{
    if (filter == m_filter)
        return;
    m_filter = filter;
    reload();
}

void DeliveryLogModel::setPollInterval(int ms)
{
    if (ms <= 0) {
        m_pollTimer.stop();
        return;
    }
    m_pollTimer.setInterval(ms);
    m_pollTimer.start();
}

bool DeliveryLogModel::usesSearch() const
{
    return !m_filter.text.trimmed().isEmpty();
}

quint64 DeliveryLogModel::readBuckets(const LogFilter &filter, const QDateTime &start,
                                      qint64 bucketMs, int bucketCount)
{
    if (!m_chartReader)
        m_chartReader = makeReader();
    return m_chartReader->readBuckets({filter, start, bucketMs, bucketCount});
}

quint64 DeliveryLogModel::readCounts(const LogFilter &filter, bool withMatches)
{
    return reader()->readCounts({filter, withMatches});
}

DeliveryLogSearch *DeliveryLogModel::reader()
{
    if (!m_search)
        m_search = makeReader();
    return m_search.get();
}

std::unique_ptr<DeliveryLogSearch> DeliveryLogModel::makeReader()
{
    // The answers are posted to this thread; the reader thread is joined
    // before this object goes, and Qt drops events posted to it then.
    DeliveryLogSearch::Callbacks callbacks;
    callbacks.found = [this](quint64 generation, const QList<Attempt> &rows) {
        QMetaObject::invokeMethod(
            this, [this, generation, rows] { onSearchFound(generation, rows); },
            Qt::QueuedConnection);
    };
    callbacks.finished = [this](quint64 generation, bool reachedEnd,
                                const std::optional<StorageError> &error) {
        QMetaObject::invokeMethod(
            this,
            [this, generation, reachedEnd, error] {
                onSearchFinished(generation, reachedEnd, error);
            },
            Qt::QueuedConnection);
    };
    callbacks.buckets = [this](quint64 number, const Result<QList<AttemptBucket>> &buckets) {
        const QList<AttemptBucket> found = buckets ? buckets.value() : QList<AttemptBucket>();
        const QString error = buckets ? QString() : buckets.error().message;
        QMetaObject::invokeMethod(
            this, [this, number, found, error] { emit bucketsRead(number, found, error); },
            Qt::QueuedConnection);
    };
    callbacks.counts = [this](quint64 number, const Result<DeliveryLogSearch::Counts> &counts) {
        const DeliveryLogSearch::Counts found =
            counts ? counts.value() : DeliveryLogSearch::Counts{};
        const QString error = counts ? QString() : counts.error().message;
        QMetaObject::invokeMethod(
            this,
            [this, number, found, error] {
                emit countsRead(number, found.matches, found.failedDeliveries, error);
            },
            Qt::QueuedConnection);
    };
    return std::make_unique<DeliveryLogSearch>(m_store->databasePath(), std::move(callbacks));
}

void DeliveryLogModel::startSearch(qint64 after)
{
    reader();
    DeliveryLogSearch::Request request;
    request.filter = m_filter;
    request.oldestFirst = m_oldestFirst;
    request.limit = PageSize;
    if (m_oldestFirst) {
        // Up to the newest attempt now (an index lookup); a finished search
        // has read what is older.
        const Result<QList<Attempt>> newest = m_store->attempts({}, 0, 1);
        m_searchTop = newest && !newest->isEmpty() ? newest->constFirst().id : 0;
        request.afterId = std::max(after, m_searchCeiling);
        request.beforeId = m_searchTop > 0 ? m_searchTop + 1 : 0;
    } else {
        request.beforeId = after > 0 ? after : m_searchCeiling + 1;
    }
    m_searchGeneration = m_search->search(request);
    setSearching(true);
}

void DeliveryLogModel::cancelSearch()
{
    if (m_search)
        m_search->cancel();
    m_searchGeneration = 0;
    m_searchCeiling = 0;
}

void DeliveryLogModel::setSearching(bool searching)
{
    if (searching == m_searching)
        return;
    m_searching = searching;
    emit searchingChanged(searching);
}

void DeliveryLogModel::onSearchFound(quint64 generation, const QList<Attempt> &rows)
{
    if (generation != m_searchGeneration || !m_searching)
        return; // an answer to a filter or an order no longer shown
    // They belong below every row held; refresh() may have inserted some of
    // them meanwhile (a finishing pending row), those stay once.
    QList<Attempt> fresh;
    fresh.reserve(rows.size());
    for (const Attempt &attempt : rows) {
        if (m_rows.isEmpty() || (m_oldestFirst ? attempt.id > m_rows.constLast().id
                                               : attempt.id < m_rows.constLast().id))
            fresh.append(attempt);
    }
    if (fresh.isEmpty())
        return;
    const QScopedValueRollback changing(m_changing, true);
    beginInsertRows({}, int(m_rows.size()), int(m_rows.size() + fresh.size() - 1));
    m_rows.append(fresh);
    endInsertRows();
}

void DeliveryLogModel::onSearchFinished(quint64 generation, bool reachedEnd,
                                        const std::optional<StorageError> &error)
{
    if (generation != m_searchGeneration || !m_searching)
        return;
    m_atEnd = reachedEnd;
    if (m_oldestFirst && reachedEnd && !error)
        m_searchCeiling = std::max(m_searchCeiling, m_searchTop);
    if (error) {
        // Stop asking; refresh() starts over once the file can be read again.
        m_atEnd = true;
        m_loadFailed = true;
    }
    setSearching(false);
    if (error)
        emit loadFailed(error->message);
}

void DeliveryLogModel::reload()
{
    m_dataVersion = m_store->dataVersion();
    m_pendingFloor = pendingFloor();
    if (usesSearch()) {
        // The newest attempt now: the search reads up to it, refresh() what
        // comes later. An index lookup, cheap.
        const Result<QList<Attempt>> newest = m_store->attempts({}, 0, 1);
        cancelSearch();
        {
            const QScopedValueRollback changing(m_changing, true);
            beginResetModel();
            m_rows.clear();
            m_loadFailed = !newest.ok();
            const qint64 top = newest && !newest->isEmpty() ? newest->constFirst().id : 0;
            m_searchCeiling = m_oldestFirst ? 0 : top;
            m_atEnd = top == 0; // an empty log (or an unreadable file)
            endResetModel();
        }
        if (!newest) {
            setSearching(false);
            emit loadFailed(newest.error().message);
        } else if (m_atEnd) {
            setSearching(false);
        } else {
            startSearch(0);
        }
        return;
    }
    cancelSearch();
    setSearching(false);
    Result<QList<Attempt>> page = readPage(0);
    const QScopedValueRollback changing(m_changing, true);
    beginResetModel();
    m_rows.clear();
    m_loadFailed = !page.ok();
    m_atEnd = !page || page->size() < PageSize;
    if (page)
        m_rows = std::move(page).value();
    endResetModel();
    if (!page)
        emit loadFailed(page.error().message);
}

bool DeliveryLogModel::watchesFinishingRows() const
{
    return m_filter.outcome && *m_filter.outcome != AttemptOutcome::Pending;
}

qint64 DeliveryLogModel::pendingFloor() const
{
    if (!watchesFinishingRows())
        return 0;
    // Only a row pending now, or one added later, can come to match a
    // succeeded/failed filter. The text filter is left out: what it matches
    // (error, status code) changes when the attempt finishes.
    LogFilter pending;
    pending.webhookId = m_filter.webhookId;
    pending.action = m_filter.action;
    pending.outcome = AttemptOutcome::Pending;
    Result<QList<Attempt>> oldest = m_store->attemptsNewerThan(pending, 0, 1);
    if (!oldest)
        return 0;
    if (!oldest->isEmpty())
        return oldest->constFirst().id;
    Result<QList<Attempt>> newest = m_store->attempts({}, 0, 1);
    if (!newest)
        return 0;
    return newest->isEmpty() ? 1 : newest->constFirst().id + 1;
}

void DeliveryLogModel::scheduleRefresh()
{
    // Coalesce: a dispatcher may record many results in one event loop turn.
    if (m_refreshQueued)
        return;
    m_refreshQueued = true;
    QTimer::singleShot(0, this, [this] {
        if (m_refreshQueued)
            refresh();
    });
}

void DeliveryLogModel::poll()
{
    if (m_store->dataVersion() != m_dataVersion)
        refresh();
}

void DeliveryLogModel::refresh()
{
    m_refreshQueued = false;
    // Taken before reading: a commit during the reads shows at the next poll.
    m_dataVersion = m_store->dataVersion();
    if (m_loadFailed) {
        reload();
        return;
    }
    if (!updatePendingRows())
        return;
    if (m_oldestFirst) {
        // New attempts belong at the bottom: once everything older is held,
        // read them now; else they come with fetchMore like the rest.
        if (m_atEnd) {
            m_atEnd = false;
            fetchMore({});
        }
        return;
    }

    qint64 newest = m_rows.isEmpty() ? 0 : m_rows.constFirst().id;
    if (usesSearch()) // older ones are the search's, however few of them are held yet
        newest = std::max(newest, m_searchCeiling);
    qint64 after = newest;
    // Under a succeeded/failed filter, rows that were pending may match now,
    // anywhere among the held rows: read again from the oldest of them.
    const qint64 nextFloor = pendingFloor();
    if (m_pendingFloor > 0) {
        qint64 from = m_pendingFloor;
        if (!m_atEnd && !m_rows.isEmpty())
            from = std::max(from, m_rows.constLast().id); // older rows come with fetchMore
        after = std::min(after, from - 1);
    }
    Result<QList<Attempt>> incoming = m_store->attemptsNewerThan(m_filter, after, MaxLiveRows + 1);
    if (incoming && incoming->size() > MaxLiveRows && after < newest)
        incoming = m_store->attemptsNewerThan(m_filter, newest, MaxLiveRows + 1);
    if (!incoming) {
        emit loadFailed(incoming.error().message);
        return;
    }
    if (incoming->size() > MaxLiveRows) {
        reload();
        return;
    }
    m_pendingFloor = nextFloor;
    mergeRows(incoming.value());
}

void DeliveryLogModel::mergeRows(const QList<Attempt> &incoming)
{
    // Both lists are newest first; insert each run of rows not held yet at
    // its place, so views keep their selection and current row.
    const QScopedValueRollback changing(m_changing, true);
    qsizetype i = 0;
    while (i < incoming.size()) {
        const qint64 id = incoming.at(i).id;
        const auto at = std::lower_bound(m_rows.cbegin(), m_rows.cend(), id,
                                         [](const Attempt &a, qint64 v) { return a.id > v; });
        const qsizetype pos = at - m_rows.cbegin();
        if (pos < m_rows.size() && m_rows.at(pos).id == id) {
            ++i;
            continue;
        }
        if (pos == m_rows.size() && !m_atEnd && !(usesSearch() && id > m_searchCeiling)) {
            ++i; // below the held rows: fetchMore() or the search brings it
            continue;
        }
        qsizetype j = i + 1;
        while (j < incoming.size() &&
               (pos == m_rows.size() || incoming.at(j).id > m_rows.at(pos).id))
            ++j;
        beginInsertRows({}, int(pos), int(pos + (j - i) - 1));
        m_rows = m_rows.first(pos) + incoming.mid(i, j - i) + m_rows.sliced(pos);
        endInsertRows();
        i = j;
    }
}

bool DeliveryLogModel::updatePendingRows()
{
    QList<qint64> pending;
    for (const Attempt &attempt : std::as_const(m_rows)) {
        if (attempt.outcome == AttemptOutcome::Pending)
            pending.append(attempt.id);
    }
    if (pending.isEmpty())
        return true;
    Result<QList<Attempt>> current = m_store->attemptsWithIds(pending);
    if (!current) {
        emit loadFailed(current.error().message);
        return false;
    }
    QHash<qint64, const Attempt *> byId;
    for (const Attempt &attempt : std::as_const(current.value()))
        byId.insert(attempt.id, &attempt);
    // A row that is gone (its hook was deleted) stays as it was; the next
    // reload drops it.
    for (int row = 0; row < m_rows.size(); ++row) {
        Attempt &held = m_rows[row];
        if (held.outcome != AttemptOutcome::Pending)
            continue;
        const Attempt *now = byId.value(held.id);
        if (!now || sameRow(held, *now))
            continue;
        // Kept even when it no longer matches an outcome filter: rows that
        // vanish while being looked at are worse than a stale filter.
        held = *now;
        emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
    }
    return true;
}

void DeliveryLogModel::reloadHooks()
{
    // A hook changed: look the URLs up again as the rows are shown.
    m_hookUrls.clear();
    if (!m_rows.isEmpty())
        emit dataChanged(index(0, Hook), index(int(m_rows.size()) - 1, Hook));
}

void DeliveryLogModel::learnHookUrls()
{
    if (!m_hooks || m_hookUrlsWanted.isEmpty())
        return;
    QList<qint64> ids(m_hookUrlsWanted.cbegin(), m_hookUrlsWanted.cend());
    m_hookUrlsWanted.clear();
    const Result<QList<QPair<qint64, QString>>> found = m_hooks->hookUrls(ids);
    if (!found) {
        emit loadFailed(found.error().message);
        return; // the URLs the attempts went to stay
    }
    for (const qint64 id : std::as_const(ids))
        m_hookUrls.insert(id, QString()); // not found: deleted
    for (const auto &[id, url] : found.value())
        m_hookUrls.insert(id, SecretMask::url(url));
    if (!m_rows.isEmpty())
        emit dataChanged(index(0, Hook), index(int(m_rows.size()) - 1, Hook));
}