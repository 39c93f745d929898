#include "event_tree_model.h"

EventTreeModel::EventTreeModel(QObject *parent)
    : QAbstractItemModel(parent)
{
    rebuildGroups();
}

void EventTreeModel::rebuildGroups()
{
    m_groups.clear();
    for (const QString &name : EventCatalog::groups())
        m_groups.append({name, m_catalog.typesInGroup(name)});
}

void EventTreeModel::setCatalog(const EventCatalog &catalog)
{
    beginResetModel();
    m_catalog = catalog;
    rebuildGroups();
    endResetModel();
}

void EventTreeModel::setCheckedSet(const QSet<QString> &checked)
{
    if (checked == m_checked)
        return;
    m_checked = checked;
    emitAllChecksChanged();
    emit checkedKeysChanged();
}

void EventTreeModel::setCheckedKeys(const QStringList &keys)
{
    setCheckedSet(QSet<QString>(keys.cbegin(), keys.cend()));
}

QStringList EventTreeModel::checkedKeys() const
{
    QStringList keys;
    for (const EventType &type : m_catalog.types()) {
        if (m_checked.contains(type.key))
            keys.append(type.key);
    }
    return keys;
}

void EventTreeModel::setProjectScoped(bool projectScoped)
{
    if (projectScoped == m_projectScoped)
        return;
    m_projectScoped = projectScoped;
    // Flags, tooltips and group states all change.
    for (int row = 0; row < m_groups.size(); ++row) {
        emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
        const int children = int(m_groups.at(row).types.size());
        if (children > 0) {
            const QModelIndex parent = index(row, 0);
            emit dataChanged(index(0, 0, parent), index(children - 1, ColumnCount - 1, parent));
        }
    }
}

void EventTreeModel::setGroupChecked(const QString &group, bool checked)
{
    QSet<QString> result = m_checked;
    for (const Group &g : std::as_const(m_groups)) {
        if (g.name != group)
            continue;
        for (const EventType &type : g.types) {
            if (checked && isAvailable(type))
                result.insert(type.key);
            else
                result.remove(type.key);
        }
    }
    setCheckedSet(result);
}

QModelIndex EventTreeModel::groupIndex(const QString &group, int column) const
{
    for (int row = 0; row < m_groups.size(); ++row) {
        if (m_groups.at(row).name == group)
            return index(row, column);
    }
    return {};
}

QModelIndex EventTreeModel::eventIndex(const QString &key, int column) const
{
    for (int groupRow = 0; groupRow < m_groups.size(); ++groupRow) {
        const QList<EventType> &types = m_groups.at(groupRow).types;
        for (int row = 0; row < types.size(); ++row) {
            if (types.at(row).key == key)
                return index(row, column, index(groupRow, 0));
        }
    }
    return {};
}

void EventTreeModel::emitAllChecksChanged()
{
    const QList<int> roles{Qt::CheckStateRole};
    for (int row = 0; row < m_groups.size(); ++row) {
        emit dataChanged(index(row, Name), index(row, Name), roles);
        const int children = int(m_groups.at(row).types.size());
        if (children > 0) {
            const QModelIndex parent = index(row, 0);
            // Availability of a checked org-only event depends on its state.
            emit dataChanged(index(0, 0, parent), index(children - 1, ColumnCount - 1, parent));
        }
    }
}

const EventType *EventTreeModel::eventAt(const QModelIndex &index) const
{
    if (!index.isValid() || isGroup(index))
        return nullptr;
    const qsizetype groupRow = qsizetype(index.internalId() - 1);
    if (groupRow < 0 || groupRow >= m_groups.size())
        return nullptr;
    const QList<EventType> &types = m_groups.at(groupRow).types;
    if (index.row() < 0 || index.row() >= types.size())
        return nullptr;
    return &types.at(index.row());
}

bool EventTreeModel::isAvailable(const EventType &type) const
{
    return !(m_projectScoped && type.organizationOnly);
}

Qt::CheckState EventTreeModel::groupCheckState(const Group &group) const
{
    int checked = 0;
    int available = 0;
    bool unavailableChecked = false;
    for (const EventType &type : group.types) {
        const bool isChecked = m_checked.contains(type.key);
        if (isAvailable(type)) {
            ++available;
            checked += isChecked ? 1 : 0;
        } else if (isChecked) {
            unavailableChecked = true;
        }
    }
    if (checked == 0 && !unavailableChecked)
        return Qt::Unchecked;
    if (checked == available && !unavailableChecked)
        return Qt::Checked;
    return Qt::PartiallyChecked;
}

QModelIndex EventTreeModel::index(int row, int column, const QModelIndex &parent) const
{
    if (row < 0 || column < 0 || column >= ColumnCount)
        return {};
    if (!parent.isValid()) {
        if (row >= m_groups.size())
            return {};
        return createIndex(row, column, GroupId);
    }
    if (!isGroup(parent) || parent.row() >= m_groups.size())
        return {};
    if (row >= m_groups.at(parent.row()).types.size())
        return {};
    return createIndex(row, column, quintptr(parent.row()) + 1);
}

QModelIndex EventTreeModel::parent(const QModelIndex &child) const
{
    if (!child.isValid() || isGroup(child))
        return {};
    return createIndex(int(child.internalId() - 1), 0, GroupId);
}

int EventTreeModel::rowCount(const QModelIndex &parent) const
{
    if (!parent.isValid())
        return int(m_groups.size());
    if (parent.column() != 0 || !isGroup(parent) || parent.row() >= m_groups.size())
        return 0;
    return int(m_groups.at(parent.row()).types.size());
}

int EventTreeModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

QVariant EventTreeModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};

    if (isGroup(index)) {
        const Group &group = m_groups.at(index.row());
        switch (role) {
        case Qt::DisplayRole:
            return index.column() == Name ? EventCatalog::groupTitle(group.name) : QVariant();
        case Qt::ToolTipRole:
            if (group.types.isEmpty())
                return group.name == EventCatalog::CustomGroup
                           ? tr("No custom event types yet. Add one with “Add custom event "
                                "type…”.")
                           : tr("This group has no event types.");
            return tr("Check or clear every event in the group %1.")
                .arg(EventCatalog::groupTitle(group.name));
        case Qt::CheckStateRole:
            if (index.column() != Name || group.types.isEmpty())
                return {};
            return groupCheckState(group);
        case EventKeyRole:
            return QString();
        case IsGroupRole:
            return true;
        case GroupRole:
            return group.name;
        case OrganizationOnlyRole:
        case UnavailableRole:
            return false;
        default:
            return {};
        }
    }

    const EventType *type = eventAt(index);
    if (!type)
        return {};
    const bool available = isAvailable(*type);
    switch (role) {
    case Qt::DisplayRole:
        return index.column() == Name ? type->name : type->key;
    case Qt::ToolTipRole:
        if (!available)
            return tr("%1\nOrganization-wide event; a project-scoped hook never receives it.")
                .arg(type->description);
        return type->description;
    case Qt::CheckStateRole:
        if (index.column() != Name)
            return {};
        return m_checked.contains(type->key) ? Qt::Checked : Qt::Unchecked;
    case EventKeyRole:
        return type->key;
    case IsGroupRole:
        return false;
    case GroupRole:
        return type->group;
    case OrganizationOnlyRole:
        return type->organizationOnly;
    case UnavailableRole:
        return !available;
    default:
        return {};
    }
}

bool EventTreeModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (role != Qt::CheckStateRole || index.column() != Name ||
        !checkIndex(index, CheckIndexOption::IndexIsValid) || !(flags(index) & Qt::ItemIsEnabled))
        return false;
    const bool checked = value.value<Qt::CheckState>() != Qt::Unchecked;

    if (isGroup(index)) {
        const Group &group = m_groups.at(index.row());
        if (group.types.isEmpty())
            return false;
        setGroupChecked(group.name, checked);
        return true;
    }

    const EventType *type = eventAt(index);
    if (!type || (checked && !isAvailable(*type)))
        return false;
    QSet<QString> result = m_checked;
    if (checked)
        result.insert(type->key);
    else
        result.remove(type->key);
    setCheckedSet(result);
    return true;
}

Qt::ItemFlags EventTreeModel::flags(const QModelIndex &index) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return Qt::NoItemFlags;
    if (isGroup(index)) {
        const Group &group = m_groups.at(index.row());
        Qt::ItemFlags f = Qt::ItemIsEnabled | Qt::ItemIsSelectable;
        if (index.column() == Name && !group.types.isEmpty())
            f |= Qt::ItemIsUserCheckable;
        return f;
    }
    const EventType *type = eventAt(index);
    if (!type)
        return Qt::NoItemFlags;
    Qt::ItemFlags f = Qt::ItemNeverHasChildren;
    // An unavailable event that is still checked stays enabled so it can be
    // cleared; once cleared it cannot be checked again.
    if (isAvailable(*type) || m_checked.contains(type->key)) {
        f |= Qt::ItemIsEnabled | Qt::ItemIsSelectable;
        if (index.column() == Name)
            f |= Qt::ItemIsUserCheckable;
    }
    return f;
}

QVariant EventTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Name:
        return tr("Event");
    case Key:
        return tr("Key");
    default:
        return {};
    }
}

QHash<int, QByteArray> EventTreeModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractItemModel::roleNames();
    names.insert(EventKeyRole, "eventKey");
    names.insert(IsGroupRole, "isGroup");
    names.insert(GroupRole, "group");
    names.insert(OrganizationOnlyRole, "organizationOnly");
    names.insert(UnavailableRole, "unavailable");
    return names;
}
