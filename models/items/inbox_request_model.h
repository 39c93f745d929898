#pragma once

#include "domain/inbox.h"

#include <QAbstractTableModel>
#include <QList>

class InboxStore;

// What the local inbox received, one row per request, newest first, for
// one inbox or all. Pages are read as the view scrolls (keyset paging by
// id); refresh() prepends what arrived since, and starts over when rows it
// holds were deleted (an inbox cleared here or by another process, or the
// oldest pruned). Rows hold no headers or body: the details read them.
class InboxRequestModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(InboxRequestModel)

public:
    static constexpr int PageSize = 200;

    enum Column { Time, Inbox, Request, Verdict, Size, ColumnCount };
    Q_ENUM(Column)

    enum Role {
        RequestIdRole = Qt::UserRole + 1, // qint64
        VerdictRole,                      // int, an InboxVerdict
        InboxRole,                        // QString
        ReasonRole,                       // QString, the verdict in words
        TimeRole,                         // QDateTime (UTC)
    };
    Q_ENUM(Role)

    explicit InboxRequestModel(InboxStore *store, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;

    // Empty: every inbox.
    QString inboxFilter() const { return m_inbox; }
    void setInboxFilter(const QString &inbox);

    const InboxRequest &requestAt(int row) const { return m_rows.at(row); }
    int rowOfRequest(qint64 id) const;
    // Nothing held and nothing more to read.
    bool isEmpty() const { return m_rows.isEmpty() && m_atEnd; }

    static QString verdictText(InboxVerdict verdict);

public slots:
    // Prepends what arrived since the last read; reloads when held rows
    // were deleted.
    void refresh();
    // Drops everything and reads the newest page again.
    void reload();

signals:
    void loadFailed(const QString &message);

private:
    bool isRow(const QModelIndex &index) const;

    InboxStore *m_store;
    QString m_inbox;
    QList<InboxRequest> m_rows;
    bool m_atEnd = true;
    bool m_resetting = false;
};
