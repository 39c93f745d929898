#include "event_types_dialog.h"

#include "event_type_dialog.h"
#include "store/hook_store.h"
#include "store/store_writer.h"

#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QMessageBox>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

EventTypesDialog::EventTypesDialog(HookStore *store, QWidget *parent)
    : QDialog(parent)
    , m_store(store)
    , m_list(new QTreeWidget(this))
    , m_status(new QLabel(this))
    , m_add(new QPushButton(tr("&Add…"), this))
    , m_edit(new QPushButton(tr("&Edit…"), this))
    , m_delete(new QPushButton(tr("&Delete…"), this))
{
    setObjectName(QStringLiteral("eventTypesDialog"));
    setWindowTitle(tr("Event Types"));

    auto *intro = new QLabel(tr("Built-in event types are read-only. Custom types can be "
                                "edited and deleted; their key stays, as webhooks subscribe by "
                                "key."),
                             this);
    intro->setWordWrap(true);

    m_list->setObjectName(QStringLiteral("eventTypeList"));
    m_list->setAccessibleName(tr("Event types"));
    m_list->setUniformRowHeights(true);
    m_list->setAllColumnsShowFocus(true);
    m_list->setColumnCount(ColumnCount);
    m_list->setHeaderLabels({tr("Name"), tr("Key"), tr("Payload key"), tr("Webhooks")});
    m_list->header()->setStretchLastSection(false);
    m_list->header()->setSectionResizeMode(NameColumn, QHeaderView::Stretch);
    for (const int column : {int(KeyColumn), int(PayloadKeyColumn), int(HooksColumn)})
        m_list->header()->setSectionResizeMode(column, QHeaderView::ResizeToContents);
    m_list->setTextElideMode(Qt::ElideRight);

    m_add->setObjectName(QStringLiteral("addEventTypeButton"));
    m_edit->setObjectName(QStringLiteral("editEventTypeButton"));
    m_delete->setObjectName(QStringLiteral("deleteEventTypeButton"));
    m_add->setToolTip(tr("Define an event type of your own"));
    m_edit->setToolTip(tr("Change the selected custom type's name, description or payload"));
    m_delete->setToolTip(tr("Delete the selected custom type"));
    // Enter in the list acts on its row (rename, edit), not on a default button.
    for (QPushButton *button : {m_add, m_edit, m_delete})
        button->setAutoDefault(false);
    auto *buttons = new QVBoxLayout;
    buttons->addWidget(m_add);
    buttons->addWidget(m_edit);
    buttons->addWidget(m_delete);
    buttons->addStretch();
    auto *row = new QHBoxLayout;
    row->addWidget(m_list, 1);
    row->addLayout(buttons);

    m_status->setObjectName(QStringLiteral("eventTypesStatus"));
    m_status->setWordWrap(true);
    m_status->setMinimumHeight(fontMetrics().lineSpacing() * 2);
    m_status->setAlignment(Qt::AlignLeft | Qt::AlignTop);

    auto *close = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(close, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(row, 1);
    layout->addWidget(m_status);
    layout->addWidget(close);

    connect(m_add, &QPushButton::clicked, this, &EventTypesDialog::addType);
    connect(m_edit, &QPushButton::clicked, this, &EventTypesDialog::editSelected);
    connect(m_delete, &QPushButton::clicked, this, &EventTypesDialog::deleteSelected);
    connect(m_list, &QTreeWidget::itemSelectionChanged, this, &EventTypesDialog::updateButtons);
    connect(m_list, &QTreeWidget::itemActivated, this, [this] {
        if (selectedIsCustom())
            editSelected();
    });
    connect(m_store, &HookStore::eventTypesChanged, this, &EventTypesDialog::reload);
    connect(m_store, &HookStore::hooksChanged, this, &EventTypesDialog::reload);

    setTabOrder(m_list, m_add);
    setTabOrder(m_add, m_edit);
    setTabOrder(m_edit, m_delete);
    setTabOrder(m_delete, close->button(QDialogButtonBox::Close));

    reload();
    // Wide enough for the German names beside the keys.
    resize(780, 500);
}

void EventTypesDialog::reload()
{
    const QString selected = selectedKey();
    Result<QList<EventType>> custom = m_store->customEventTypes();
    const Result<QHash<QString, int>> counts = m_store->hookCountsByEventType();
    if (!custom || !counts) {
        showStatus(custom ? counts.error().message : custom.error().message, true);
        return;
    }
    const EventCatalog catalog(custom.value());
    const QLocale locale;
    m_list->clear();
    for (const QString &group : EventCatalog::groups()) {
        const QList<EventType> types = catalog.typesInGroup(group);
        if (types.isEmpty())
            continue;
        auto *groupItem = new QTreeWidgetItem(m_list);
        groupItem->setText(NameColumn, EventCatalog::groupTitle(group));
        groupItem->setFlags(Qt::ItemIsEnabled);
        QFont bold = groupItem->font(NameColumn);
        bold.setBold(true);
        groupItem->setFont(NameColumn, bold);
        groupItem->setFirstColumnSpanned(true);
        for (const EventType &type : types) {
            auto *item = new QTreeWidgetItem(groupItem);
            item->setText(NameColumn, type.name);
            item->setToolTip(NameColumn, type.description.isEmpty()
                                             ? type.name
                                             : type.name + QLatin1Char('\n') + type.description);
            item->setText(KeyColumn, type.key);
            item->setText(PayloadKeyColumn,
                          type.payloadKey + (type.isList ? tr(" (list)") : QString()));
            item->setText(HooksColumn, locale.toString(counts->value(type.key)));
            item->setTextAlignment(HooksColumn, Qt::AlignRight | Qt::AlignVCenter);
            item->setData(NameColumn, KeyRole, type.key);
            item->setData(NameColumn, BuiltInRole, type.builtIn);
            if (type.builtIn) {
                // Read-only rows read as such.
                for (int column = 0; column < ColumnCount; ++column) {
                    item->setForeground(column,
                                        palette().brush(QPalette::Disabled, QPalette::Text));
                }
                item->setToolTip(KeyColumn, tr("Built-in: read-only"));
            }
        }
    }
    m_list->expandAll();
    if (!selectType(selected)) {
        // The first custom type, else nothing.
        if (!custom->isEmpty())
            selectType(custom->first().key);
    }
    updateButtons();
}

QTreeWidgetItem *EventTypesDialog::itemFor(const QString &key) const
{
    if (key.isEmpty())
        return nullptr;
    for (int g = 0; g < m_list->topLevelItemCount(); ++g) {
        QTreeWidgetItem *group = m_list->topLevelItem(g);
        for (int i = 0; i < group->childCount(); ++i) {
            if (group->child(i)->data(NameColumn, KeyRole).toString() == key)
                return group->child(i);
        }
    }
    return nullptr;
}

bool EventTypesDialog::selectType(const QString &key)
{
    QTreeWidgetItem *item = itemFor(key);
    if (!item)
        return false;
    m_list->setCurrentItem(item);
    m_list->scrollToItem(item);
    return true;
}

QString EventTypesDialog::selectedKey() const
{
    const QTreeWidgetItem *item = m_list->currentItem();
    return item && item->isSelected() ? item->data(NameColumn, KeyRole).toString() : QString();
}

bool EventTypesDialog::selectedIsCustom() const
{
    const QTreeWidgetItem *item = m_list->currentItem();
    return item && item->isSelected() && !item->data(NameColumn, KeyRole).toString().isEmpty() &&
           !item->data(NameColumn, BuiltInRole).toBool();
}

void EventTypesDialog::updateButtons()
{
    const bool custom = selectedIsCustom() && m_pending == 0;
    m_add->setEnabled(m_pending == 0);
    m_edit->setEnabled(custom);
    m_delete->setEnabled(custom);
    // A hint for built-in rows; it does not replace the answer of a write.
    if (!selectedKey().isEmpty() && !selectedIsCustom()) {
        showStatus(tr("%1 is built in: it cannot be edited or deleted.").arg(selectedKey()));
        m_status->setProperty("hint", true);
    } else if (m_status->property("hint").toBool()) {
        showStatus(QString());
    }
}

void EventTypesDialog::showStatus(const QString &message, bool problem)
{
    QPalette palette = m_status->palette();
    palette.setColor(QPalette::WindowText, problem
                                               ? (palette.color(QPalette::Window).lightness() < 128
                                                      ? QColor(0xff, 0x80, 0x80)
                                                      : QColor(0xc0, 0x1c, 0x28))
                                               : this->palette().color(QPalette::WindowText));
    m_status->setPalette(palette);
    m_status->setProperty("hint", false);
    m_status->setText(message);
}

void EventTypesDialog::addType()
{
    EventTypeDialog dialog(m_store, this);
    dialog.setStoreWriter(m_writer);
    if (dialog.exec() != QDialog::Accepted)
        return;
    reload();
    selectType(dialog.addedType().key);
    const QString message =
        tr("Added the event type %1 (%2).").arg(dialog.addedType().name, dialog.addedType().key);
    showStatus(message);
    emit statusMessage(message);
}

void EventTypesDialog::editSelected()
{
    const QString key = selectedKey();
    if (!selectedIsCustom() || m_pending > 0)
        return;
    const std::optional<EventType> type = m_store->catalog().find(key);
    if (!type)
        return;
    EventTypeDialog dialog(m_store, *type, this);
    dialog.setStoreWriter(m_writer);
    if (dialog.exec() != QDialog::Accepted)
        return;
    reload();
    selectType(key);
    const QString message = tr("Saved the event type %1.").arg(key);
    showStatus(message);
    emit statusMessage(message);
}

void EventTypesDialog::deleteSelected()
{
    const QString key = selectedKey();
    if (!selectedIsCustom() || m_pending > 0)
        return;
    const Result<int> hooks = m_store->eventTypeHookCount(key);
    if (!hooks) {
        showStatus(hooks.error().message, true);
        return;
    }
    QMessageBox box(QMessageBox::Warning, tr("Delete event type"), QString(), QMessageBox::NoButton,
                    this);
    box.setObjectName(QStringLiteral("deleteEventTypeQuestion"));
    QPushButton *confirm = nullptr;
    if (hooks.value() == 0) {
        box.setText(tr("Delete the event type %1?").arg(key));
        box.setInformativeText(tr("No webhook checks it. Webhooks that send every event no "
                                  "longer receive it; deliveries already stored still go out."));
        confirm = box.addButton(tr("&Delete Event Type"), QMessageBox::DestructiveRole);
    } else {
        box.setText(hooks.value() == 1
                        ? tr("One webhook subscribes to %1.").arg(key)
                        //: %2 is a number greater than one
                        : tr("%2 webhooks subscribe to %1.").arg(key).arg(hooks.value()));
        box.setInformativeText(
            tr("Deleting it removes it from their events; deliveries already stored still go "
               "out. A webhook left with no event checked receives nothing until you check "
               "another."));
        confirm = box.addButton(hooks.value() == 1
                                    ? tr("&Delete and Unsubscribe One Webhook")
                                    //: %1 is a number greater than one
                                    : tr("&Delete and Unsubscribe %1 Webhooks").arg(hooks.value()),
                                QMessageBox::DestructiveRole);
    }
    confirm->setObjectName(QStringLiteral("confirmDeleteEventTypeButton"));
    box.addButton(QMessageBox::Cancel);
    box.setDefaultButton(QMessageBox::Cancel);
    box.exec();
    if (box.clickedButton() != confirm)
        return;
    remove(key, hooks.value());
}

void EventTypesDialog::remove(const QString &key, int expectedHooks)
{
    ++m_pending;
    const QString what = tr("Deleting the event type %1…").arg(key);
    showStatus(what);
    updateButtons();
    WriterStores stores;
    stores.hooks = m_store;
    StoreWriter::submitTo(
        m_writer, stores, this, what,
        [key, expectedHooks](const WriterStores &s) -> Status {
            const Result<int> now = s.hooks->eventTypeHookCount(key);
            if (!now)
                return now.error();
            if (now.value() != expectedHooks)
                return StorageError{StorageError::Kind::Invalid,
                                    tr("The webhooks that check it changed meanwhile; "
                                       "nothing was deleted. Try again.")};
            return s.hooks->removeEventType(key, expectedHooks > 0
                                                     ? HookStore::Subscribers::Unsubscribe
                                                     : HookStore::Subscribers::Refuse);
        },
        [this, key, expectedHooks](const Status &removed) {
            --m_pending;
            reload();
            if (!removed) {
                showStatus(tr("The event type was not deleted: %1").arg(removed.error().message),
                           true);
                return;
            }
            const QString message =
                expectedHooks == 0 ? tr("Deleted the event type %1.").arg(key)
                                   : tr("Deleted the event type %1; webhooks unsubscribed: %2.")
                                         .arg(key)
                                         .arg(expectedHooks);
            showStatus(message);
            emit statusMessage(message);
        });
}
