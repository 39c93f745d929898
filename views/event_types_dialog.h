#pragma once

#include "domain/event_type.h"

#include <QDialog>

class HookStore;
class QLabel;
class QPushButton;
class QTreeWidget;
class QTreeWidgetItem;
class StoreWriter;

// Edit → Event Types…: the catalog by group with the number of webhooks that
// check each type. Custom types can be added, edited (not their key: hooks
// subscribe by key) and deleted; built-in ones are read-only. Deleting a type
// that webhooks check names how many and removes it from their events.
// Writes go through the window's writer thread.
class EventTypesDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EventTypesDialog)

public:
    enum Column { NameColumn, KeyColumn, PayloadKeyColumn, HooksColumn, ColumnCount };
    static constexpr int KeyRole = Qt::UserRole; // QString; empty on group rows
    static constexpr int BuiltInRole = Qt::UserRole + 1;

    explicit EventTypesDialog(HookStore *store, QWidget *parent = nullptr);

    void setStoreWriter(StoreWriter *writer) { m_writer = writer; }
    QTreeWidget *list() const { return m_list; }
    bool selectType(const QString &key);
    bool isWriting() const { return m_pending > 0; }

public slots:
    void reload();
    void addType();
    void editSelected();
    // Asks (naming the webhooks that check it), then deletes.
    void deleteSelected();
    // Without asking; expectedHooks is the count the user confirmed.
    void remove(const QString &key, int expectedHooks);

signals:
    void statusMessage(const QString &message);

private:
    QTreeWidgetItem *itemFor(const QString &key) const;
    QString selectedKey() const;
    bool selectedIsCustom() const;
    void updateButtons();
    void showStatus(const QString &message, bool problem = false);

    HookStore *m_store;
    StoreWriter *m_writer = nullptr;
    int m_pending = 0;
    QTreeWidget *m_list;
    QLabel *m_status;
    QPushButton *m_add;
    QPushButton *m_edit;
    QPushButton *m_delete;
};
