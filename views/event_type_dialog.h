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

// Adds a custom event type: key, name, description, payload key and whether
// the payload is a list. Validates as the user types (HookStore::checkEventType)
// and keeps OK disabled until the type is valid.
class EventTypeDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EventTypeDialog)

public:
    explicit EventTypeDialog(HookStore *store, QWidget *parent = nullptr);

    // What the user entered, as it would be stored.
    EventType eventType() const;
    // The stored type after a successful accept().
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
    EventType m_added;
};
