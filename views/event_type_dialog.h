#pragma once

#include "domain/event_type.h"

#include <QDialog>

class HookStore;
class StoreWriter;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QRadioButton;

// Adds or edits a custom event type: key, name, description, payload key and
// whether the payload is a list. Validates as the user types
// (HookStore::checkEventType) and keeps OK disabled until the type is valid.
class EventTypeDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EventTypeDialog)

public:
    explicit EventTypeDialog(HookStore *store, QWidget *parent = nullptr);
    // Edits the stored custom type `existing`: its key stays, the rest may
    // change; OK stores the change.
    EventTypeDialog(HookStore *store, const EventType &existing, QWidget *parent = nullptr);
    bool isEditing() const { return m_editing; }

    // What the user entered, as it would be stored.
    EventType eventType() const;
    // The stored type after a successful accept() (added or changed).
    EventType addedType() const { return m_added; }
    // Where OK stores the type: the window's writer thread (the dialog
    // waits for its answer, painting). Without one, at once.
    void setStoreWriter(StoreWriter *writer) { m_writer = writer; }

public slots:
    void accept() override;

private:
    void validate();
    void showError(const QString &message);

    HookStore *m_store;
    StoreWriter *m_writer = nullptr;
    QLineEdit *m_key;
    QLineEdit *m_name;
    QPlainTextEdit *m_description;
    QLineEdit *m_payloadKey;
    QRadioButton *m_object;
    QRadioButton *m_list;
    QLabel *m_error;
    QDialogButtonBox *m_buttons;
    bool m_edited = false;
    bool m_editing = false;
    EventType m_added;
};
