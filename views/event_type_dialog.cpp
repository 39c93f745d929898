#include "event_type_dialog.h"

#include "store/hook_store.h"
#include "store/store_writer.h"

#include <QButtonGroup>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QVBoxLayout>

namespace {

// A red that reads on both light and dark window backgrounds.
QColor errorColor(const QPalette &palette)
{
    return palette.color(QPalette::Window).lightness() < 128 ? QColor(0xff, 0x80, 0x80)
                                                             : QColor(0xc0, 0x1c, 0x28);
}

} // namespace

EventTypeDialog::EventTypeDialog(HookStore *store, QWidget *parent)
    : QDialog(parent)
    , m_store(store)
    , m_key(new QLineEdit(this))
    , m_name(new QLineEdit(this))
    , m_description(new QPlainTextEdit(this))
    , m_payloadKey(new QLineEdit(this))
    , m_object(new QRadioButton(tr("An &object"), this))
    , m_list(new QRadioButton(tr("A &list of objects"), this))
    , m_error(new QLabel(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    setWindowTitle(tr("Add Custom Event Type"));

    auto *intro = new QLabel(tr("A custom event type can be subscribed to like the built-in "
                                "ones and sent with \"emit\" from the command line."),
                             this);
    intro->setWordWrap(true);

    m_key->setObjectName(QStringLiteral("eventKey"));
    m_key->setPlaceholderText(tr("MODEL_TRAINED"));
    m_key->setToolTip(tr("Upper-case letters, digits and underscores, starting with a letter"));
    m_key->setMaxLength(64);
    m_name->setObjectName(QStringLiteral("eventName"));
    m_name->setPlaceholderText(tr("Model trained"));
    m_name->setMaxLength(100);
    m_description->setObjectName(QStringLiteral("eventDescription"));
    m_description->setPlaceholderText(tr("When this event happens (optional)"));
    m_description->setTabChangesFocus(true);
    m_description->setFixedHeight(m_description->fontMetrics().lineSpacing() * 4);
    m_payloadKey->setObjectName(QStringLiteral("eventPayloadKey"));
    m_payloadKey->setPlaceholderText(tr("model_version"));
    m_payloadKey->setToolTip(tr("The key under which the payload appears in the request body"));
    m_payloadKey->setMaxLength(64);
    m_object->setObjectName(QStringLiteral("eventPayloadObject"));
    m_list->setObjectName(QStringLiteral("eventPayloadList"));
    m_object->setChecked(true);
    auto *shape = new QButtonGroup(this);
    shape->addButton(m_object);
    shape->addButton(m_list);
    auto *shapeRow = new QHBoxLayout;
    shapeRow->addWidget(m_object);
    shapeRow->addWidget(m_list);
    shapeRow->addStretch();

    m_error->setObjectName(QStringLiteral("eventTypeError"));
    m_error->setWordWrap(true);
    QPalette errorPalette = m_error->palette();
    errorPalette.setColor(QPalette::WindowText, errorColor(palette()));
    m_error->setPalette(errorPalette);
    m_error->setAccessibleName(tr("Problem"));

    auto *form = new QFormLayout;
    form->addRow(tr("&Key:"), m_key);
    form->addRow(tr("&Name:"), m_name);
    form->addRow(tr("&Description:"), m_description);
    form->addRow(tr("&Payload key:"), m_payloadKey);
    form->addRow(tr("Payload is:"), shapeRow);

    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("Add Event Type"));
    connect(m_buttons, &QDialogButtonBox::accepted, this, &EventTypeDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &EventTypeDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(form);
    layout->addWidget(m_error);
    layout->addWidget(m_buttons);

    // Show the key as it has to be stored: upper case, words joined by underscores.
    connect(m_key, &QLineEdit::textEdited, this, [this](const QString &text) {
        const int cursor = m_key->cursorPosition();
        QString key = text.toUpper();
        key.replace(QLatin1Char(' '), QLatin1Char('_')).replace(QLatin1Char('-'), QLatin1Char('_'));
        m_key->setText(key);
        m_key->setCursorPosition(cursor);
    });
    for (QLineEdit *edit : {m_key, m_name, m_payloadKey})
        connect(edit, &QLineEdit::textChanged, this, [this] {
            m_edited = true;
            validate();
        });
    connect(m_description, &QPlainTextEdit::textChanged, this, &EventTypeDialog::validate);
    validate();
    resize(480, sizeHint().height());
}

EventTypeDialog::EventTypeDialog(HookStore *store, const EventType &existing, QWidget *parent)
    : EventTypeDialog(store, parent)
{
    m_editing = true;
    setWindowTitle(tr("Edit Custom Event Type"));
    m_key->setText(existing.key);
    m_key->setReadOnly(true);
    m_key->setToolTip(tr("Webhooks subscribe by key: it cannot change"));
    m_name->setText(existing.name);
    m_description->setPlainText(existing.description);
    m_payloadKey->setText(existing.payloadKey);
    (existing.isList ? m_list : m_object)->setChecked(true);
    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("Save Changes"));
    m_edited = false;
    validate();
    m_name->setFocus();
}

EventType EventTypeDialog::eventType() const
{
    EventType type;
    type.key = m_key->text().trimmed();
    type.name = m_name->text().trimmed();
    type.description = m_description->toPlainText().trimmed();
    type.payloadKey = m_payloadKey->text().trimmed();
    type.isList = m_list->isChecked();
    type.group = EventCatalog::CustomGroup;
    type.builtIn = false;
    return type;
}

void EventTypeDialog::validate()
{
    const QString problem = m_editing
                                ? HookStore::checkEventTypeEdit(eventType(), m_store->catalog())
                                : HookStore::checkEventType(eventType(), m_store->catalog());
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(problem.isEmpty());
    // Say nothing before the user typed anything: an empty form is not an error.
    showError(m_edited ? problem : QString());
}

void EventTypeDialog::showError(const QString &message)
{
    m_error->setText(message);
    m_error->setVisible(!message.isEmpty());
}

void EventTypeDialog::accept()
{
    WriterStores stores;
    stores.hooks = m_store;
    const Result<EventType> added =
        m_editing ? StoreWriter::waitOn(m_writer, stores, tr("Saving the event type…"),
                                        [type = eventType()](const WriterStores &s) {
                                            return s.hooks->updateEventType(type);
                                        })
                  : StoreWriter::waitOn(m_writer, stores, tr("Adding the event type…"),
                                        [type = eventType()](const WriterStores &s) {
                                            return s.hooks->addEventType(type);
                                        });
    if (!added) {
        showError(added.error().message);
        return;
    }
    m_added = added.value();
    QDialog::accept();
}
