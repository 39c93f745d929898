#pragma once

#include "domain/event_catalog.h"

#include <QAbstractItemModel>
#include <QSet>
#include <QStringList>

// The event types a hook can subscribe to, as a two-level tree: the groups of
// the catalog (Project, Tasks, Annotations, Label links, Custom) with their
// event types as checkable children. A group row's check box is tristate and
// checks or clears the whole group.
class EventTreeModel final : public QAbstractItemModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EventTreeModel)

public:
    enum Column { Name, Key, ColumnCount };
    enum Role {
        EventKeyRole = Qt::UserRole, // QString; empty for group rows
        IsGroupRole,                 // bool
        GroupRole,                   // QString, untranslated group name
        OrganizationOnlyRole,        // bool
        // bool: the event cannot be checked because the hook is project-scoped
        UnavailableRole,
    };

    explicit EventTreeModel(QObject *parent = nullptr);

    // Keeps the checked keys that still exist in the new catalog.
    void setCatalog(const EventCatalog &catalog);
    const EventCatalog &catalog() const { return m_catalog; }

    void setCheckedKeys(const QStringList &keys);
    // In catalog order.
    QStringList checkedKeys() const;

    // A project-scoped hook never receives organization-only events, so they
    // cannot be checked. One checked before the scope changed stays checked
    // (and can be cleared) so the validator can say what is wrong with it.
    void setProjectScoped(bool projectScoped);
    bool isProjectScoped() const { return m_projectScoped; }

    // Checks every available event of the group, or clears the group.
    void setGroupChecked(const QString &group, bool checked);

    QModelIndex groupIndex(const QString &group, int column = Name) const;
    QModelIndex eventIndex(const QString &key, int column = Name) const;

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

signals:
    void checkedKeysChanged();

private:
    struct Group
    {
        QString name;
        QList<EventType> types;
    };

    static constexpr quintptr GroupId = 0; // internalId of group rows
    bool isGroup(const QModelIndex &index) const { return index.internalId() == GroupId; }
    const EventType *eventAt(const QModelIndex &index) const;
    bool isAvailable(const EventType &type) const;
    Qt::CheckState groupCheckState(const Group &group) const;
    void rebuildGroups();
    void emitAllChecksChanged();
    void setCheckedSet(const QSet<QString> &checked);

    EventCatalog m_catalog;
    QList<Group> m_groups;
    QSet<QString> m_checked;
    bool m_projectScoped = false;
};
