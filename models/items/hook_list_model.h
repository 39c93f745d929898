#pragma once

#include "domain/attempt.h"
#include "domain/event_catalog.h"
#include "domain/webhook.h"
#include "hook_list_reader.h"

#include <QAbstractTableModel>
#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <QTimer>
#include <memory>

class DeliveryStore;
class HookStatsStore;
class HookStore;
class StoreWriter;

// The configured webhooks, one row each, in id order. Reloads from the
// HookStore when it reports a change and applies the difference as row
// inserts, removals and dataChanged, so views keep their selection.
class HookListModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HookListModel)

public:
    enum Column { Id, Url, Scope, Active, Events, Recent, ColumnCount };
    Q_ENUM(Column)

    enum Role {
        HookIdRole = Qt::UserRole + 1, // qint64
        UrlRole,                       // QString, the full URL
        DescriptionRole,               // QString
        IsActiveRole,                  // bool
        DisabledReasonRole,            // QString, empty unless the engine disabled it
        SortRole,                      // a value that sorts the column sensibly
        RecentOutcomesRole,            // QVariantList of int(AttemptOutcome), newest first
        ConsecutiveFailuresRole,       // int, scheduled attempts that failed in a row
        PausedRole,                    // bool, the circuit breaker paused the hook
        PausedTextRole,                // QString, "Paused · next probe in 42 s", empty if not
    };
    Q_ENUM(Role)

    // How many finished attempts the Recent column shows per hook.
    static constexpr int RecentOutcomeCount = 10;
    static constexpr int OutcomeRefreshMs = 1000;

    // Reads the hooks at once, on the store's connection.
    explicit HookListModel(HookStore *store, QObject *parent = nullptr);
    // Reads them in the background on a connection of its own to
    // readerLocation (as Database::open takes it): the rows come a moment
    // later, with loadingChanged(false), and the window paints meanwhile.
    // Reloads after that (a change) are read at once, as above.
    HookListModel(HookStore *store, const QString &readerLocation, QObject *parent = nullptr);

    // Where the Recent column reads the outcomes of the last attempts; without
    // it the column stays empty. Reloads when this connection changes the log.
    void setDeliveryStore(DeliveryStore *deliveries);
    // Where the tooltips of the URL and Recent columns read each hook's
    // health (last 24 hours and 7 days); read when a tooltip is asked for,
    // kept for StatsCacheMs.
    void setHookStatsStore(HookStatsStore *stats);
    static constexpr int StatsCacheMs = 10000;
    // Where the Active toggle writes: the window's writer thread. Without
    // one it writes at once through the HookStore.
    void setStoreWriter(StoreWriter *writer) { m_writer = writer; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

    // Row of the hook with this id, or -1.
    int rowOfHook(qint64 id) const;
    QModelIndex indexOfHook(qint64 id, int column = Url) const;
    qint64 hookIdAt(int row) const;
    const Webhook &hookAt(int row) const { return m_hooks.at(row); }

public slots:
    // Reads the hooks again and applies what changed. Keeps the last good
    // list and emits loadFailed when the store cannot be read.
    void reload();
    // Reads the recent outcomes again, at most once per OutcomeRefreshMs: a
    // call within that time is folded into one at its end. Attempts are
    // recorded in bursts, and reading the outcomes of 10,000 hooks takes tens
    // of milliseconds (seconds on a busy server), on the reader's thread.
    void refreshOutcomes();
    // True while the hooks are read in the background (the first time).
    bool isLoading() const { return m_loading; }
    // True while a read of the outcomes is due, under way, or its answer not applied.
    bool outcomesPending() const { return m_outcomeTimer.isActive() || m_outcomeReadsUnderway > 0; }

signals:
    void loadFailed(const QString &message);
    void loadingChanged(bool loading);
    // An in-place edit (the Active toggle) could not be written.
    void writeFailed(const QString &message);

private:
    bool isRow(const QModelIndex &index) const;
    QString scopeText(const Webhook &hook) const;
    QString eventsText(const Webhook &hook) const;
    QString eventsToolTip(const Webhook &hook) const;
    QString eventName(const QString &key) const;
    QString toolTip(const Webhook &hook, int column) const;
    QVariant sortValue(const Webhook &hook, int column) const;
    QString recentToolTip(const Webhook &hook) const;
    struct Deferred
    {
    };
    HookListModel(HookStore *store, Deferred, QObject *parent);
    std::unique_ptr<HookListReader> makeReader(const QString &location);
    // Reads the hooks on the reader's thread; at once without a reader.
    void loadInBackground();
    void onSnapshotRead(quint64 number, const Result<HookListReader::Snapshot> &read);
    void setLoading(bool loading);
    // Applies a list of hooks read as the difference to the rows shown;
    // without projects, the titles known stay.
    void apply(const QList<Webhook> &fresh, const QList<Project> *projects, EventCatalog catalog);
    void applyOutcomes();
    // Reads the outcomes now: on the reader's thread, or at once without one.
    void askOutcomes();
    void onOutcomesRead(const Result<HookListReader::Outcomes> &read);

    HookStore *m_store;
    DeliveryStore *m_deliveries = nullptr;
    StoreWriter *m_writer = nullptr;
    QList<Webhook> m_hooks;
    QHash<qint64, QList<AttemptOutcome>> m_outcomes;
    HookStatsStore *m_stats = nullptr;
    struct CachedStats
    {
        QStringList lines;
        QElapsedTimer age;
    };
    mutable QHash<qint64, CachedStats> m_statsCache;
    // The health lines of the hook, from the cache when fresh; empty without a store.
    QStringList statsLines(qint64 hookId) const;
    QHash<qint64, QString> m_projectTitles;
    EventCatalog m_catalog;
    QTimer m_outcomeTimer;
    QTimer m_pausedTick; // counts the next probe down while a hook is paused
    QElapsedTimer m_lastOutcomeRead;
    int m_outcomeReadsUnderway = 0;
    quint64 m_snapshotNumber = 0; // of the newest read of the hooks
    bool m_loading = false;
    std::unique_ptr<HookListReader> m_reader; // declared last: gone first
};
