#include "inbox_request_model.h"

#include "store/inbox_store.h"

#include <QLocale>

InboxRequestModel::InboxRequestModel(InboxStore *store, QObject *parent)
    : QAbstractTableModel(parent)
    , m_store(store)
{
    reload();
}

int InboxRequestModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int InboxRequestModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

bool InboxRequestModel::isRow(const QModelIndex &index) const
{
    return index.isValid() && !index.parent().isValid() && index.row() < m_rows.size() &&
           index.column() < ColumnCount;
}

QString InboxRequestModel::verdictText(InboxVerdict verdict)
{
    switch (verdict) {
    case InboxVerdict::Valid:
        return tr("valid");
    case InboxVerdict::Invalid:
        return tr("invalid");
    case InboxVerdict::Stale:
        return tr("stale");
    case InboxVerdict::Unsigned:
        break;
    }
    return tr("unsigned");
}

QVariant InboxRequestModel::data(const QModelIndex &index, int role) const
{
    if (!isRow(index))
        return {};
    const InboxRequest &r = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (Column(index.column())) {
        case Time:
            return r.receivedAt.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
        case Inbox:
            return r.inbox;
        case Request:
            return QString(r.method + QLatin1Char(' ') + r.path);
        case Verdict:
            return verdictText(r.verdict);
        case Size:
            return QLocale().formattedDataSize(r.size, 1, QLocale::DataSizeTraditionalFormat);
        case ColumnCount:
            break;
        }
        return {};
    case Qt::ToolTipRole:
        if (index.column() == Verdict)
            return r.reason;
        if (index.column() == Time)
            return QLocale().toString(r.receivedAt.toLocalTime(), QLocale::LongFormat);
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() == Size)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case RequestIdRole:
        return r.id;
    case VerdictRole:
        return int(r.verdict);
    case InboxRole:
        return r.inbox;
    case ReasonRole:
        return r.reason;
    case TimeRole:
        return r.receivedAt;
    default:
        return {};
    }
}

QVariant InboxRequestModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (Column(section)) {
    case Time:
        return tr("Received");
    case Inbox:
        return tr("Inbox");
    case Request:
        return tr("Request");
    case Verdict:
        return tr("Signature");
    case Size:
        return tr("Size");
    case ColumnCount:
        break;
    }
    return {};
}

QHash<int, QByteArray> InboxRequestModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractTableModel::roleNames();
    names.insert(RequestIdRole, "requestId");
    names.insert(VerdictRole, "verdict");
    names.insert(InboxRole, "inbox");
    names.insert(ReasonRole, "reason");
    names.insert(TimeRole, "time");
    return names;
}

bool InboxRequestModel::canFetchMore(const QModelIndex &parent) const
{
    return !parent.isValid() && !m_atEnd;
}

void InboxRequestModel::fetchMore(const QModelIndex &parent)
{
    // Views (and the model tester) ask for more while the reset is signalled.
    if (parent.isValid() || m_atEnd || m_resetting)
        return;
    const qint64 before = m_rows.isEmpty() ? 0 : m_rows.last().id;
    const Result<QList<InboxRequest>> page = m_store->requests(m_inbox, before, PageSize);
    if (!page) {
        m_atEnd = true;
        emit loadFailed(page.error().message);
        return;
    }
    m_atEnd = page->size() < PageSize;
    if (page->isEmpty())
        return;
    beginInsertRows({}, int(m_rows.size()), int(m_rows.size() + page->size() - 1));
    m_rows.append(page.value());
    endInsertRows();
}

void InboxRequestModel::setInboxFilter(const QString &inbox)
{
    if (inbox == m_inbox)
        return;
    m_inbox = inbox;
    reload();
}

int InboxRequestModel::rowOfRequest(qint64 id) const
{
    for (int row = 0; row < m_rows.size(); ++row) {
        if (m_rows.at(row).id == id)
            return row;
    }
    return -1;
}

void InboxRequestModel::reload()
{
    beginResetModel();
    m_resetting = true;
    m_rows.clear();
    const Result<QList<InboxRequest>> page = m_store->requests(m_inbox, 0, PageSize);
    if (page) {
        m_rows = page.value();
        m_atEnd = m_rows.size() < PageSize;
    } else {
        m_atEnd = true;
    }
    endResetModel();
    m_resetting = false;
    if (!page)
        emit loadFailed(page.error().message);
}

void InboxRequestModel::refresh()
{
    if (!m_rows.isEmpty()) {
        // Held rows deleted (cleared, pruned): start over.
        const Result<qint64> held =
            m_store->countBetween(m_inbox, m_rows.last().id, m_rows.first().id);
        if (!held) {
            emit loadFailed(held.error().message);
            return;
        }
        if (held.value() != m_rows.size()) {
            reload();
            return;
        }
    }
    const qint64 newest = m_rows.isEmpty() ? 0 : m_rows.first().id;
    // More than a page at once: the newest page is all a user can take in.
    const Result<QList<InboxRequest>> fresh =
        m_store->requestsNewerThan(m_inbox, newest, PageSize + 1);
    if (!fresh) {
        emit loadFailed(fresh.error().message);
        return;
    }
    if (fresh->isEmpty())
        return;
    if (fresh->size() > PageSize) {
        reload();
        return;
    }
    beginInsertRows({}, 0, int(fresh->size() - 1));
    m_rows = fresh.value() + m_rows;
    endInsertRows();
}
