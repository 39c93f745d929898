#include "project_list_model.h"

#include "store/hook_store.h"

#include <algorithm>

ProjectListModel::ProjectListModel(HookStore *store, QObject *parent)
    : QAbstractListModel(parent)
    , m_store(store)
{
    connect(m_store, &HookStore::projectsChanged, this, &ProjectListModel::refresh);
    refresh();
}

void ProjectListModel::refresh()
{
    Result<QList<Project>> loaded = m_store->projects();
    if (!loaded) {
        // Keep what is shown; a later refresh may succeed.
        m_error = loaded.error().message;
        return;
    }
    m_error.clear();
    const QList<Project> &fresh = loaded.value();

    // Rows of projects that are gone, from the back.
    for (int i = int(m_projects.size()) - 1; i >= 0; --i) {
        const qint64 id = m_projects.at(i).id;
        const bool kept = std::any_of(fresh.cbegin(), fresh.cend(),
                                      [id](const Project &p) { return p.id == id; });
        if (!kept) {
            beginRemoveRows({}, i + 1, i + 1);
            m_projects.removeAt(i);
            endRemoveRows();
        }
    }
    // Both lists are in store order now, the old one a subsequence of the new.
    for (int i = 0; i < fresh.size(); ++i) {
        const Project &project = fresh.at(i);
        if (i < m_projects.size() && m_projects.at(i).id == project.id) {
            if (!(m_projects.at(i) == project)) {
                m_projects[i] = project;
                emit dataChanged(index(i + 1), index(i + 1));
            }
            continue;
        }
        beginInsertRows({}, i + 1, i + 1);
        m_projects.insert(i, project);
        endInsertRows();
    }
}

int ProjectListModel::rowForProject(std::optional<qint64> projectId) const
{
    if (!projectId)
        return 0;
    for (int i = 0; i < m_projects.size(); ++i) {
        if (m_projects.at(i).id == *projectId)
            return i + 1;
    }
    return -1;
}

std::optional<qint64> ProjectListModel::projectAt(int row) const
{
    if (row < 1 || row > m_projects.size())
        return std::nullopt;
    return m_projects.at(row - 1).id;
}

int ProjectListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_projects.size()) + 1;
}

QVariant ProjectListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    if (index.row() == 0) {
        switch (role) {
        case Qt::DisplayRole:
            return tr("Organization-wide");
        case Qt::ToolTipRole:
            return tr("Fires for every project's events and for organization-only events.");
        case ProjectIdRole:
            return qint64(0);
        case IsOrganizationWideRole:
            return true;
        default:
            return {};
        }
    }
    const Project &project = m_projects.at(index.row() - 1);
    switch (role) {
    case Qt::DisplayRole:
        return project.title;
    case Qt::ToolTipRole:
        return tr("Fires only for events of project %1 (id %2).")
            .arg(project.title)
            .arg(project.id);
    case ProjectIdRole:
        return project.id;
    case IsOrganizationWideRole:
        return false;
    default:
        return {};
    }
}

QHash<int, QByteArray> ProjectListModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractListModel::roleNames();
    names.insert(ProjectIdRole, "projectId");
    names.insert(IsOrganizationWideRole, "isOrganizationWide");
    return names;
}
