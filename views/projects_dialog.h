#pragma once

#include <QDialog>

class HookStore;
class QLabel;
class QPushButton;
class QTreeWidget;
class StoreWriter;

// Edit → Projects…: every project with the number of webhooks scoped to it;
// add, rename and delete. A project with webhooks is deleted only with them,
// after a confirmation that names how many (their history stays in the log);
// nothing turns organization-wide behind the user's back. Writes go through
// the window's writer thread; the dialog says what is pending meanwhile.
class ProjectsDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ProjectsDialog)

public:
    enum Column { TitleColumn, IdColumn, HooksColumn, ColumnCount };
    static constexpr int ProjectIdRole = Qt::UserRole;

    explicit ProjectsDialog(HookStore *store, QWidget *parent = nullptr);

    void setStoreWriter(StoreWriter *writer) { m_writer = writer; }
    QTreeWidget *list() const { return m_list; }
    // Selects the project's row; false when it is not listed.
    bool selectProject(qint64 id);
    // A write was asked for and has not landed yet.
    bool isWriting() const { return m_pending > 0; }

public slots:
    void reload();
    void addProject();
    // Ask for a title (or the confirmation), then write.
    void renameSelected();
    void deleteSelected();
    // Without asking: what the buttons do once the user has answered.
    void rename(qint64 id, const QString &title);
    // expectedHooks: the count the user confirmed; the write refuses when
    // the project has another number of webhooks by then.
    void remove(qint64 id, int expectedHooks);

signals:
    // A write landed: what happened, or why not.
    void statusMessage(const QString &message);

private:
    qint64 selectedId() const;
    QString titleOf(qint64 id) const;
    void updateButtons();
    void showStatus(const QString &message, bool problem = false);
    template <typename Job, typename Done>
    void write(const QString &what, Job job, Done done);

    HookStore *m_store;
    StoreWriter *m_writer = nullptr;
    int m_pending = 0;
    QTreeWidget *m_list;
    QLabel *m_status;
    QPushButton *m_add;
    QPushButton *m_rename;
    QPushButton *m_delete;
};
