#include "projects_dialog.h"

#include "store/hook_store.h"
#include "store/store_writer.h"

#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QLocale>
#include <QMessageBox>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

ProjectsDialog::ProjectsDialog(HookStore *store, QWidget *parent)
    : QDialog(parent)
    , m_store(store)
    , m_list(new QTreeWidget(this))
    , m_status(new QLabel(this))
    , m_add(new QPushButton(tr("&Add…"), this))
    , m_rename(new QPushButton(tr("&Rename…"), this))
    , m_delete(new QPushButton(tr("&Delete…"), this))
{
    setObjectName(QStringLiteral("projectsDialog"));
    setWindowTitle(tr("Projects"));

    auto *intro = new QLabel(tr("A webhook scoped to a project fires only for that project's "
                                "events."),
                             this);
    intro->setWordWrap(true);

    m_list->setObjectName(QStringLiteral("projectList"));
    m_list->setAccessibleName(tr("Projects"));
    m_list->setRootIsDecorated(false);
    m_list->setUniformRowHeights(true);
    m_list->setAllColumnsShowFocus(true);
    m_list->setColumnCount(ColumnCount);
    m_list->setHeaderLabels({tr("Title"), tr("ID"), tr("Webhooks")});
    m_list->header()->setStretchLastSection(false);
    m_list->header()->setSectionResizeMode(TitleColumn, QHeaderView::Stretch);
    m_list->header()->setSectionResizeMode(IdColumn, QHeaderView::ResizeToContents);
    m_list->header()->setSectionResizeMode(HooksColumn, QHeaderView::ResizeToContents);
    m_list->setTextElideMode(Qt::ElideRight);

    m_add->setObjectName(QStringLiteral("addProjectButton"));
    m_rename->setObjectName(QStringLiteral("renameProjectButton"));
    m_delete->setObjectName(QStringLiteral("deleteProjectButton"));
    m_add->setToolTip(tr("Add a project"));
    m_rename->setToolTip(tr("Give the selected project another title"));
    m_delete->setToolTip(tr("Delete the selected project; asks what becomes of its webhooks"));
    // Enter in the list acts on its row (rename, edit), not on a default button.
    for (QPushButton *button : {m_add, m_rename, m_delete})
        button->setAutoDefault(false);
    auto *buttons = new QVBoxLayout;
    buttons->addWidget(m_add);
    buttons->addWidget(m_rename);
    buttons->addWidget(m_delete);
    buttons->addStretch();
    auto *row = new QHBoxLayout;
    row->addWidget(m_list, 1);
    row->addLayout(buttons);

    m_status->setObjectName(QStringLiteral("projectsStatus"));
    m_status->setWordWrap(true);
    // Reserved, so the layout does not jump when a message comes and goes.
    m_status->setMinimumHeight(fontMetrics().lineSpacing() * 2);
    m_status->setAlignment(Qt::AlignLeft | Qt::AlignTop);

    auto *close = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(close, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(row, 1);
    layout->addWidget(m_status);
    layout->addWidget(close);

    connect(m_add, &QPushButton::clicked, this, &ProjectsDialog::addProject);
    connect(m_rename, &QPushButton::clicked, this, &ProjectsDialog::renameSelected);
    connect(m_delete, &QPushButton::clicked, this, &ProjectsDialog::deleteSelected);
    connect(m_list, &QTreeWidget::itemSelectionChanged, this, &ProjectsDialog::updateButtons);
    connect(m_list, &QTreeWidget::itemActivated, this, &ProjectsDialog::renameSelected);
    // Written by the writer thread, another window or the command line.
    connect(m_store, &HookStore::projectsChanged, this, &ProjectsDialog::reload);
    connect(m_store, &HookStore::hooksChanged, this, &ProjectsDialog::reload);

    setTabOrder(m_list, m_add);
    setTabOrder(m_add, m_rename);
    setTabOrder(m_rename, m_delete);
    setTabOrder(m_delete, close->button(QDialogButtonBox::Close));

    reload();
    resize(520, 360);
}

void ProjectsDialog::reload()
{
    const qint64 selected = selectedId();
    const Result<QList<Project>> projects = m_store->projects();
    const Result<QHash<qint64, int>> counts = m_store->hookCountsByProject();
    if (!projects || !counts) {
        showStatus(projects ? counts.error().message : projects.error().message, true);
        return;
    }
    const QLocale locale;
    m_list->clear();
    for (const Project &project : projects.value()) {
        auto *item = new QTreeWidgetItem(m_list);
        item->setText(TitleColumn, project.title);
        item->setToolTip(TitleColumn, project.title);
        item->setText(IdColumn, QString::number(project.id));
        item->setTextAlignment(IdColumn, Qt::AlignRight | Qt::AlignVCenter);
        item->setText(HooksColumn, locale.toString(counts->value(project.id)));
        item->setTextAlignment(HooksColumn, Qt::AlignRight | Qt::AlignVCenter);
        item->setData(TitleColumn, ProjectIdRole, project.id);
    }
    if (!selectProject(selected) && m_list->topLevelItemCount() > 0)
        m_list->setCurrentItem(m_list->topLevelItem(0));
    if (projects->isEmpty())
        showStatus(tr("No projects yet. Every webhook is organization-wide."));
    updateButtons();
}

bool ProjectsDialog::selectProject(qint64 id)
{
    for (int i = 0; i < m_list->topLevelItemCount(); ++i) {
        QTreeWidgetItem *item = m_list->topLevelItem(i);
        if (item->data(TitleColumn, ProjectIdRole).toLongLong() == id) {
            m_list->setCurrentItem(item);
            return true;
        }
    }
    return false;
}

qint64 ProjectsDialog::selectedId() const
{
    const QTreeWidgetItem *item = m_list->currentItem();
    return item && item->isSelected() ? item->data(TitleColumn, ProjectIdRole).toLongLong() : 0;
}

QString ProjectsDialog::titleOf(qint64 id) const
{
    for (int i = 0; i < m_list->topLevelItemCount(); ++i) {
        const QTreeWidgetItem *item = m_list->topLevelItem(i);
        if (item->data(TitleColumn, ProjectIdRole).toLongLong() == id)
            return item->text(TitleColumn);
    }
    return {};
}

void ProjectsDialog::updateButtons()
{
    const bool chosen = selectedId() != 0;
    m_add->setEnabled(m_pending == 0);
    m_rename->setEnabled(chosen && m_pending == 0);
    m_delete->setEnabled(chosen && m_pending == 0);
}

void ProjectsDialog::showStatus(const QString &message, bool problem)
{
    QPalette palette = m_status->palette();
    palette.setColor(QPalette::WindowText, problem
                                               ? (palette.color(QPalette::Window).lightness() < 128
                                                      ? QColor(0xff, 0x80, 0x80)
                                                      : QColor(0xc0, 0x1c, 0x28))
                                               : this->palette().color(QPalette::WindowText));
    m_status->setPalette(palette);
    m_status->setText(message);
}

template <typename Job, typename Done>
void ProjectsDialog::write(const QString &what, Job job, Done done)
{
    ++m_pending;
    showStatus(what);
    updateButtons();
    WriterStores stores;
    stores.hooks = m_store;
    StoreWriter::submitTo(m_writer, stores, this, what, std::move(job),
                          [this, done = std::move(done)](auto result) {
                              --m_pending;
                              done(std::move(result));
                              reload();
                          });
}

void ProjectsDialog::addProject()
{
    bool ok = false;
    const QString title = QInputDialog::getText(this, tr("New project"), tr("Project &title:"),
                                                QLineEdit::Normal, QString(), &ok);
    if (!ok || title.trimmed().isEmpty())
        return;
    write(
        tr("Adding the project…"),
        [title](const WriterStores &s) { return s.hooks->addProject(title); },
        [this](const Result<Project> &added) {
            if (!added) {
                showStatus(tr("The project was not added: %1").arg(added.error().message), true);
                return;
            }
            reload();
            selectProject(added->id);
            const QString message = tr("Added the project %1.").arg(added->title);
            showStatus(message);
            emit statusMessage(message);
        });
}

void ProjectsDialog::renameSelected()
{
    const qint64 id = selectedId();
    if (id == 0 || m_pending > 0)
        return;
    bool ok = false;
    const QString title = QInputDialog::getText(this, tr("Rename project"), tr("New &title:"),
                                                QLineEdit::Normal, titleOf(id), &ok);
    if (!ok || title.trimmed() == titleOf(id))
        return;
    rename(id, title);
}

void ProjectsDialog::rename(qint64 id, const QString &title)
{
    write(
        tr("Renaming the project…"),
        [id, title](const WriterStores &s) { return s.hooks->renameProject(id, title); },
        [this](const Result<Project> &renamed) {
            if (!renamed) {
                showStatus(tr("The project was not renamed: %1").arg(renamed.error().message),
                           true);
                return;
            }
            //: %1 is the project's id, %2 its new title
            const QString message =
                tr("Project %1 is now called %2.").arg(renamed->id).arg(renamed->title);
            showStatus(message);
            emit statusMessage(message);
        });
}

void ProjectsDialog::deleteSelected()
{
    const qint64 id = selectedId();
    if (id == 0 || m_pending > 0)
        return;
    const QString title = fontMetrics().elidedText(titleOf(id), Qt::ElideMiddle,
                                                   fontMetrics().averageCharWidth() * 60);
    const Result<int> hooks = m_store->projectHookCount(id);
    if (!hooks) {
        showStatus(hooks.error().message, true);
        return;
    }
    QMessageBox box(QMessageBox::Warning, tr("Delete project"), QString(), QMessageBox::NoButton,
                    this);
    box.setObjectName(QStringLiteral("deleteProjectQuestion"));
    QPushButton *confirm = nullptr;
    if (hooks.value() == 0) {
        box.setText(tr("Delete the project %1?").arg(title));
        box.setInformativeText(tr("No webhook is scoped to it."));
        confirm = box.addButton(tr("&Delete Project"), QMessageBox::DestructiveRole);
    } else {
        box.setText(hooks.value() == 1
                        ? tr("The project %1 has one webhook.").arg(title)
                        //: %2 is a number greater than one
                        : tr("The project %1 has %2 webhooks.").arg(title).arg(hooks.value()));
        // What a user of Label Studio expects: a project's webhooks go with
        // it. Not organization-wide instead: they would fire for every project.
        box.setInformativeText(
            tr("Deleting the project deletes them too: they leave the list and send nothing "
               "more. Their recorded attempts stay in the delivery log, marked \"deleted "
               "webhook\", until retention removes them.\n\nTo keep a webhook, give it another "
               "scope in the editor first."));
        confirm = box.addButton(hooks.value() == 1
                                    ? tr("&Delete Project and Its Webhook")
                                    //: %1 is a number greater than one
                                    : tr("&Delete Project and %1 Webhooks").arg(hooks.value()),
                                QMessageBox::DestructiveRole);
    }
    confirm->setObjectName(QStringLiteral("confirmDeleteProjectButton"));
    box.addButton(QMessageBox::Cancel);
    box.setDefaultButton(QMessageBox::Cancel);
    box.exec();
    if (box.clickedButton() != confirm)
        return;
    remove(id, hooks.value());
}

void ProjectsDialog::remove(qint64 id, int expectedHooks)
{
    write(
        tr("Deleting the project…"),
        [id, expectedHooks](const WriterStores &s) -> Status {
            // Only the webhooks the user was told about.
            const Result<int> now = s.hooks->projectHookCount(id);
            if (!now)
                return now.error();
            if (now.value() != expectedHooks)
                return StorageError{StorageError::Kind::Invalid,
                                    tr("The project's webhooks changed meanwhile; nothing "
                                       "was deleted. Try again.")};
            return s.hooks->removeProject(id, expectedHooks > 0 ? HookStore::ProjectHooks::Delete
                                                                : HookStore::ProjectHooks::Refuse);
        },
        [this, id, expectedHooks](const Status &removed) {
            if (!removed) {
                showStatus(tr("The project was not deleted: %1").arg(removed.error().message),
                           true);
                return;
            }
            const QString message =
                expectedHooks == 0
                    ? tr("Deleted project %1.").arg(id)
                    : tr("Deleted project %1 with its webhooks (%2).").arg(id).arg(expectedHooks);
            showStatus(message);
            emit statusMessage(message);
        });
}
