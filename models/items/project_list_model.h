#pragma once

#include "domain/project.h"

#include <QAbstractListModel>
#include <QList>
#include <optional>

class HookStore;

// The scopes a hook can have: "Organization-wide" first, then the projects of
// the store, kept current as projects are added.
class ProjectListModel final : public QAbstractListModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ProjectListModel)

public:
    enum Role {
        ProjectIdRole = Qt::UserRole, // qint64; 0 for the organization-wide row
        IsOrganizationWideRole,       // bool
    };

    explicit ProjectListModel(HookStore *store, QObject *parent = nullptr);

    // The row of a scope; -1 for a project that is not (or no longer) listed.
    int rowForProject(std::optional<qint64> projectId) const;
    // Empty for the organization-wide row.
    std::optional<qint64> projectAt(int row) const;

    // Why the projects could not be read; empty when they could.
    QString errorString() const { return m_error; }

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

public slots:
    // Updates rows in place (no reset) so a view's current row survives.
    void refresh();

private:
    HookStore *m_store;
    QList<Project> m_projects;
    QString m_error;
};
