#include "hook_list_model.h"

#include "delivery/delivery_store.h"
#include "domain/secret_mask.h"
#include "store/hook_stats_store.h"
#include "store/hook_store.h"
#include "store/store_writer.h"

#include <QSet>
#include <algorithm>
#include <limits>
#include <memory>
#include <utility>

HookListModel::HookListModel(HookStore *store, QObject *parent)
    : HookListModel(store, Deferred{}, parent)
{
    reload();
}

HookListModel::HookListModel(HookStore *store, Deferred, QObject *parent)
    : QAbstractTableModel(parent)
    , m_store(store)
{
    connect(m_store, &HookStore::hooksChanged, this, &HookListModel::reload);
    connect(m_store, &HookStore::projectsChanged, this, &HookListModel::reload);
    connect(m_store, &HookStore::eventTypesChanged, this, &HookListModel::reload);
    // Another connection (the engine, another process) recorded attempts.
    connect(m_store, &HookStore::otherDataChanged, this, &HookListModel::refreshOutcomes);
    m_outcomeTimer.setSingleShot(true);
    connect(&m_outcomeTimer, &QTimer::timeout, this, &HookListModel::applyOutcomes);
    m_pausedTick.setInterval(1000);
    connect(&m_pausedTick, &QTimer::timeout, this, [this] {
        for (int row = 0; row < m_hooks.size(); ++row) {
            if (m_hooks.at(row).isPaused())
                emit dataChanged(index(row, Url), index(row, Url), {PausedTextRole});
        }
    });
}

HookListModel::HookListModel(HookStore *store, const QString &readerLocation, QObject *parent)
    : HookListModel(store, Deferred{}, parent)
{
    m_reader = makeReader(readerLocation);
    loadInBackground();
}

void HookListModel::refreshOutcomes()
{
    if (!m_deliveries || m_outcomeTimer.isActive())
        return; // already folded into the refresh to come
    const qint64 since =
        m_lastOutcomeRead.isValid() ? m_lastOutcomeRead.elapsed() : OutcomeRefreshMs;
    if (since >= OutcomeRefreshMs)
        applyOutcomes();
    else
        m_outcomeTimer.start(int(OutcomeRefreshMs - since));
}

void HookListModel::applyOutcomes()
{
    m_outcomeTimer.stop();
    m_lastOutcomeRead.start();
    askOutcomes();
}

void HookListModel::askOutcomes()
{
    if (!m_deliveries)
        return;
    if (m_reader) {
        if (m_reader->readOutcomes())
            ++m_outcomeReadsUnderway;
        return;
    }
    // No connection of its own to read on: at once, on this one.
    onOutcomesRead(m_deliveries->recentOutcomes(RecentOutcomeCount));
}

void HookListModel::onOutcomesRead(const Result<HookListReader::Outcomes> &read)
{
    if (!read) {
        emit loadFailed(read.error().message);
        return; // the last good ones stay
    }
    const QHash<qint64, QList<AttemptOutcome>> old = std::exchange(m_outcomes, read.value());
    // One signal for the span of changed rows: a signal per row made the
    // sorting proxy sort 10,000 times (22 s at start-up).
    int first = -1;
    int last = -1;
    for (int row = 0; row < m_hooks.size(); ++row) {
        const qint64 id = m_hooks.at(row).id;
        if (old.value(id) != m_outcomes.value(id)) {
            if (first < 0)
                first = row;
            last = row;
        }
    }
    if (first >= 0)
        emit dataChanged(index(first, Recent), index(last, Recent));
}

void HookListModel::setDeliveryStore(DeliveryStore *deliveries)
{
    if (m_deliveries == deliveries)
        return;
    if (m_deliveries)
        disconnect(m_deliveries, nullptr, this, nullptr);
    m_deliveries = deliveries;
    // Attempts recorded through this connection; other connections' commits
    // reach reload() through HookStore::checkExternalChanges.
    if (m_deliveries)
        connect(m_deliveries, &DeliveryStore::attemptsChanged, this, &HookListModel::reload);
    // The hooks are loaded already; only their outcomes are new, read on a
    // connection of their own (up to 1.5 s with 10,000 hooks on a busy server).
    m_outcomeTimer.stop();
    const QString location = m_deliveries ? m_deliveries->databasePath() : QString();
    if (!m_reader && !location.isEmpty())
        m_reader = makeReader(location);
    // While the hooks are read in the background, their arrival asks for the
    // outcomes (apply()): asking now too read them twice at start-up.
    if (!m_loading)
        applyOutcomes();
}

std::unique_ptr<HookListReader> HookListModel::makeReader(const QString &location)
{
    HookListReader::Callbacks callbacks;
    callbacks.outcomes = [this](const Result<HookListReader::Outcomes> &read) {
        --m_outcomeReadsUnderway;
        onOutcomesRead(read);
    };
    callbacks.snapshot = [this](quint64 number, const Result<HookListReader::Snapshot> &read) {
        onSnapshotRead(number, read);
    };
    return std::make_unique<HookListReader>(location, RecentOutcomeCount, std::move(callbacks));
}

int HookListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_hooks.size());
}

int HookListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

bool HookListModel::isRow(const QModelIndex &index) const
{
    // Like checkIndex(), without its warning: views ask about invalid indexes.
    return index.isValid() && index.model() == this && !index.parent().isValid() &&
           index.row() < m_hooks.size() && index.column() < ColumnCount;
}

QVariant HookListModel::data(const QModelIndex &index, int role) const
{
    if (!isRow(index))
        return {};
    const Webhook &hook = m_hooks.at(index.row());
    const int column = index.column();

    switch (role) {
    case Qt::DisplayRole:
        switch (column) {
        case Id:
            return hook.id;
        case Url:
            return SecretMask::url(hook.url);
        case Scope:
            return scopeText(hook);
        case Events:
            return eventsText(hook);
        default:
            return {}; // Recent is painted by a delegate
        }
    case Qt::CheckStateRole:
        if (column == Active)
            return hook.isActive ? Qt::Checked : Qt::Unchecked;
        return {};
    case Qt::TextAlignmentRole:
        if (column == Id)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    case Qt::ToolTipRole:
        return toolTip(hook, column);
    case Qt::AccessibleTextRole:
        if (column == Active)
            return hook.isActive ? tr("Active") : tr("Inactive");
        if (column == Recent)
            return recentToolTip(hook);
        return {};
    case HookIdRole:
        return hook.id;
    case UrlRole:
        return hook.url;
    case DescriptionRole:
        return hook.description;
    case IsActiveRole:
        return hook.isActive;
    case DisabledReasonRole:
        return hook.disabledReason;
    case SortRole:
        return sortValue(hook, column);
    case RecentOutcomesRole: {
        QVariantList outcomes;
        for (const AttemptOutcome outcome : m_outcomes.value(hook.id))
            outcomes.append(int(outcome));
        return outcomes;
    }
    case ConsecutiveFailuresRole:
        return hook.consecutiveFailures;
    case PausedRole:
        return hook.isActive && hook.isPaused();
    case PausedTextRole: {
        if (!hook.isActive || !hook.isPaused())
            return QString();
        const qint64 seconds = QDateTime::currentDateTimeUtc().secsTo(hook.nextProbeAt);
        if (seconds <= 0)
            //: Badge of a hook the circuit breaker paused
            return tr("Paused · probing");
        if (seconds < 120)
            //: Badge of a hook the circuit breaker paused; %1 is seconds
            return tr("Paused · next probe in %1 s").arg(seconds);
        //: Badge of a hook the circuit breaker paused; %1 is minutes
        return tr("Paused · next probe in %1 min").arg((seconds + 59) / 60);
    }
    default:
        return {};
    }
}

bool HookListModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (!isRow(index) || index.column() != Active || role != Qt::CheckStateRole)
        return false;
    const bool active = value.value<Qt::CheckState>() == Qt::Checked;
    const qint64 id = m_hooks.at(index.row()).id;
    if (m_hooks.at(index.row()).isActive == active)
        return true;
    // Shown switched at once; the writer stores it, and the store's
    // hooksChanged then reloads the row. A refusal puts the stored state back.
    m_hooks[index.row()].isActive = active;
    emit dataChanged(this->index(index.row(), 0), this->index(index.row(), ColumnCount - 1));
    WriterStores stores;
    stores.hooks = m_store;
    const auto refused = std::make_shared<bool>(false);
    StoreWriter::submitTo(
        m_writer, stores, this,
        active ? tr("Activating the webhook…") : tr("Deactivating the webhook…"),
        [id, active](const WriterStores &s) { return s.hooks->setHookActive(id, active); },
        [this, refused](const Status &status) {
            if (!status) {
                *refused = true;
                emit writeFailed(status.error().message);
                reload();
            }
        });
    // Without a writer thread the answer is in already.
    return !*refused;
}

Qt::ItemFlags HookListModel::flags(const QModelIndex &index) const
{
    if (!isRow(index))
        return Qt::NoItemFlags;
    Qt::ItemFlags result = Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemNeverHasChildren;
    if (index.column() == Active)
        result |= Qt::ItemIsUserCheckable;
    return result;
}

QVariant HookListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
        return {};
    if (role == Qt::DisplayRole) {
        switch (section) {
        case Id:
            //: Column header: the webhook's number, as the command line takes it
            return tr("ID");
        case Url:
            return tr("URL");
        case Scope:
            return tr("Scope");
        case Active:
            return tr("Active");
        case Events:
            return tr("Events");
        case Recent:
            //: Column header: the outcomes of the last deliveries
            return tr("Recent");
        default:
            return {};
        }
    }
    if (role == Qt::ToolTipRole) {
        switch (section) {
        case Id:
            return tr("The webhook's number, as `hooks show ID` and the log's filter name it");
        case Url:
            return tr("Where the webhook sends its requests");
        case Scope:
            return tr("The project whose events the webhook receives, or the whole organization");
        case Active:
            return tr("Inactive webhooks send nothing");
        case Events:
            return tr("The events the webhook is subscribed to");
        case Recent:
            return tr("The outcomes of the last deliveries, newest on the right");
        default:
            return {};
        }
    }
    return {};
}

QHash<int, QByteArray> HookListModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractTableModel::roleNames();
    names.insert(HookIdRole, "hookId");
    names.insert(UrlRole, "url");
    names.insert(DescriptionRole, "description");
    names.insert(IsActiveRole, "isActive");
    names.insert(DisabledReasonRole, "disabledReason");
    names.insert(SortRole, "sortValue");
    names.insert(RecentOutcomesRole, "recentOutcomes");
    names.insert(ConsecutiveFailuresRole, "consecutiveFailures");
    names.insert(PausedRole, "paused");
    names.insert(PausedTextRole, "pausedText");
    return names;
}

int HookListModel::rowOfHook(qint64 id) const
{
    for (int row = 0; row < m_hooks.size(); ++row) {
        if (m_hooks.at(row).id == id)
            return row;
    }
    return -1;
}

QModelIndex HookListModel::indexOfHook(qint64 id, int column) const
{
    const int row = rowOfHook(id);
    return row < 0 ? QModelIndex() : index(row, column);
}

qint64 HookListModel::hookIdAt(int row) const
{
    return row >= 0 && row < m_hooks.size() ? m_hooks.at(row).id : 0;
}

void HookListModel::reload()
{
    // Read here and now: what a read in the background would bring is older.
    ++m_snapshotNumber;
    Result<QList<Webhook>> loaded = m_store->hooks();
    if (!loaded) {
        setLoading(false);
        emit loadFailed(loaded.error().message);
        return;
    }
    Result<QList<Project>> projects = m_store->projects();
    if (!projects)
        emit loadFailed(projects.error().message);
    apply(loaded.value(), projects ? &projects.value() : nullptr, m_store->catalog());
    setLoading(false); // with the rows in place
}

void HookListModel::loadInBackground()
{
    if (!m_reader) {
        reload();
        return;
    }
    setLoading(true);
    m_reader->readSnapshot(++m_snapshotNumber);
}

void HookListModel::onSnapshotRead(quint64 number, const Result<HookListReader::Snapshot> &read)
{
    if (number != m_snapshotNumber)
        return; // read again since: that read is newer
    if (!read) {
        setLoading(false);
        emit loadFailed(read.error().message);
        return;
    }
    apply(read->hooks, &read->projects, read->catalog);
    setLoading(false); // with the rows in place
}

void HookListModel::setLoading(bool loading)
{
    if (m_loading == loading)
        return;
    m_loading = loading;
    emit loadingChanged(loading);
}

void HookListModel::apply(const QList<Webhook> &fresh, const QList<Project> *projects,
                          EventCatalog catalog)
{
    QHash<qint64, QString> titles = m_projectTitles; // the last good ones without projects
    if (projects) {
        titles.clear();
        for (const Project &project : *projects)
            titles.insert(project.id, project.title);
    }
    const bool labelsChanged = titles != m_projectTitles || catalog.types() != m_catalog.types();
    m_projectTitles = titles;
    m_catalog = std::move(catalog);

    QSet<qint64> freshIds;
    for (const Webhook &hook : fresh)
        freshIds.insert(hook.id);

    // Removals, as contiguous ranges from the back so rows stay valid.
    for (int row = int(m_hooks.size()) - 1; row >= 0;) {
        if (freshIds.contains(m_hooks.at(row).id)) {
            --row;
            continue;
        }
        int first = row;
        while (first > 0 && !freshIds.contains(m_hooks.at(first - 1).id))
            --first;
        beginRemoveRows({}, first, row);
        m_hooks.remove(first, row - first + 1);
        endRemoveRows();
        row = first - 1;
    }

    // Both lists are in id order, so what is left is a subsequence of fresh:
    // walk fresh and insert each run of ids we do not have yet.
    for (int row = 0; row < fresh.size();) {
        if (row < m_hooks.size() && m_hooks.at(row).id == fresh.at(row).id) {
            ++row;
            continue;
        }
        int last = row;
        const qint64 nextKnown = row < m_hooks.size() ? m_hooks.at(row).id : -1;
        while (last + 1 < fresh.size() && fresh.at(last + 1).id != nextKnown)
            ++last;
        beginInsertRows({}, row, last);
        if (row == m_hooks.size()) {
            // At the end (the whole list, the first time): no room to make first.
            m_hooks.reserve(fresh.size());
            for (int i = row; i <= last; ++i)
                m_hooks.append(fresh.at(i));
        } else {
            m_hooks.insert(row, last - row + 1, Webhook{});
            for (int i = row; i <= last; ++i)
                m_hooks[i] = fresh.at(i);
        }
        endInsertRows();
        row = last + 1;
    }

    // Changed rows.
    for (int row = 0; row < fresh.size(); ++row) {
        if (labelsChanged || !(m_hooks.at(row) == fresh.at(row))) {
            m_hooks[row] = fresh.at(row);
            emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
        }
    }
    const bool anyPaused = std::any_of(m_hooks.cbegin(), m_hooks.cend(),
                                       [](const Webhook &h) { return h.isActive && h.isPaused(); });
    if (anyPaused && !m_pausedTick.isActive())
        m_pausedTick.start();
    else if (!anyPaused)
        m_pausedTick.stop();
    // New rows, and attempts this connection recorded: their outcomes come
    // when the read lands.
    askOutcomes();
}

QString HookListModel::scopeText(const Webhook &hook) const
{
    if (hook.isOrganizationWide())
        return tr("Organization");
    const auto it = m_projectTitles.constFind(*hook.projectId);
    if (it == m_projectTitles.constEnd())
        return tr("Project %1").arg(*hook.projectId);
    return *it;
}

QString HookListModel::eventName(const QString &key) const
{
    const std::optional<EventType> type = m_catalog.find(key);
    return type ? type->name : key;
}

QString HookListModel::eventsText(const Webhook &hook) const
{
    if (hook.sendForAllActions)
        return tr("All events");
    if (hook.actions.isEmpty())
        return tr("No events");
    if (hook.actions.size() <= 2) {
        QStringList names;
        for (const QString &key : hook.actions)
            names.append(eventName(key));
        //: Separates event names in the hook list, e.g. "Task created, Task deleted"
        return names.join(tr(", "));
    }
    //: Only used for three or more events
    return tr("%n events", nullptr, int(hook.actions.size()));
}

QString HookListModel::eventsToolTip(const Webhook &hook) const
{
    if (hook.sendForAllActions)
        return tr("Sent for every event, including custom event types added later");
    if (hook.actions.isEmpty())
        return tr("Subscribed to no events: this webhook sends nothing");
    QStringList names;
    for (const QString &key : hook.actions)
        names.append(eventName(key));
    return names.join(QLatin1Char('\n'));
}

QString HookListModel::toolTip(const Webhook &hook, int column) const
{
    switch (column) {
    case Id:
    case Url: {
        QString text = hook.description.isEmpty()
                           ? SecretMask::url(hook.url)
                           : tr("%1\n\n%2").arg(SecretMask::url(hook.url), hook.description);
        if (const QStringList health = statsLines(hook.id); !health.isEmpty())
            text += QStringLiteral("\n\n") + health.join(QLatin1Char('\n'));
        return text;
    }
    case Scope:
        if (hook.isOrganizationWide())
            return tr("Receives the events of every project and of the organization");
        return tr("Receives only the events of project \"%1\"").arg(scopeText(hook));
    case Active:
        if (hook.isActive)
            return tr("Active: sends requests when its events happen");
        if (!hook.disabledReason.isEmpty())
            return tr("Disabled automatically: %1").arg(hook.disabledReason);
        return tr("Inactive: sends nothing");
    case Events:
        return eventsToolTip(hook);
    case Recent:
        return recentToolTip(hook);
    default:
        return {};
    }
}

void HookListModel::setHookStatsStore(HookStatsStore *stats)
{
    m_stats = stats;
    m_statsCache.clear();
}

QStringList HookListModel::statsLines(qint64 hookId) const
{
    if (!m_stats)
        return {};
    auto cached = m_statsCache.find(hookId);
    if (cached != m_statsCache.end() && !cached->age.hasExpired(StatsCacheMs))
        return cached->lines;
    const Result<QStringList> summary = m_stats->summary(hookId, QDateTime::currentDateTimeUtc());
    CachedStats fresh{summary ? summary.value() : QStringList{summary.error().message}, {}};
    fresh.age.start();
    m_statsCache.insert(hookId, fresh);
    return fresh.lines;
}

QString HookListModel::recentToolTip(const Webhook &hook) const
{
    const QList<AttemptOutcome> outcomes = m_outcomes.value(hook.id);
    QStringList lines;
    if (outcomes.isEmpty()) {
        lines << tr("No finished deliveries yet");
    } else {
        const int failed =
            int(std::count(outcomes.begin(), outcomes.end(), AttemptOutcome::Failed));
        // The strip shows attempts (each retry is one), so the words say attempts.
        //: %1 is how many of them failed
        lines << tr("%1 of the last %n attempts failed", nullptr, int(outcomes.size())).arg(failed);
    }
    if (hook.consecutiveFailures > 0)
        //: Scheduled attempts that failed one after the other (test sends do not count)
        lines << tr("%n failed attempts in a row", nullptr, hook.consecutiveFailures);
    if (!hook.disabledReason.isEmpty())
        lines << tr("Disabled automatically: %1").arg(hook.disabledReason);
    if (const QStringList health = statsLines(hook.id); !health.isEmpty())
        lines << QString() << health;
    return lines.join(QLatin1Char('\n'));
}

QVariant HookListModel::sortValue(const Webhook &hook, int column) const
{
    switch (column) {
    case Url:
        // Compared case-insensitively by the proxy, without a folded copy
        // per comparison (10,000 hooks sort in a few ms).
        return hook.url;
    case Scope:
        // Organization-wide hooks first, then projects by title.
        return hook.isOrganizationWide() ? QString()
                                         : QStringLiteral("1") + scopeText(hook).toCaseFolded();
    case Active:
        return hook.isActive ? 1 : 0;
    case Events:
        return hook.sendForAllActions ? std::numeric_limits<int>::max() : int(hook.actions.size());
    case Recent: {
        // The unhealthiest first when sorted descending.
        const QList<AttemptOutcome> outcomes = m_outcomes.value(hook.id);
        const auto failed = std::count(outcomes.begin(), outcomes.end(), AttemptOutcome::Failed);
        return qint64(hook.consecutiveFailures) * 100 + qint64(failed);
    }
    default:
        return hook.id;
    }
}
