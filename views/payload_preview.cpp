#include "payload_preview.h"

#include "delivery/filter_trial.h"
#include "delivery/payload_builder.h"
#include "domain/secret_mask.h"
#include "elided_label.h"
#include "json_highlighter.h"

#include <QComboBox>
#include <QEvent>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QJsonDocument>
#include <QLabel>
#include <QLocale>
#include <QPlainTextEdit>
#include <QVBoxLayout>

PayloadPreview::PayloadPreview(QWidget *parent)
    : QWidget(parent)
    , m_event(new QComboBox(this))
    , m_request(new ElidedLabel(this))
    , m_body(new QPlainTextEdit(this))
    , m_highlighter(new JsonHighlighter(m_body->document()))
    , m_note(new QLabel(this))
{
    setObjectName(QStringLiteral("payloadPreview"));

    m_event->setObjectName(QStringLiteral("previewEventCombo"));
    m_event->setAccessibleName(tr("Event to preview"));
    m_event->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_event->setMinimumContentsLength(20);
    auto *eventLabel = new QLabel(tr("Event:"), this);
    eventLabel->setBuddy(m_event);
    auto *top = new QHBoxLayout;
    top->addWidget(eventLabel);
    top->addWidget(m_event, 1);

    const QFont fixed = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    m_request->setObjectName(QStringLiteral("previewRequest"));
    m_request->setFont(fixed);
    m_request->setElideMode(Qt::ElideRight);
    m_request->setTextInteractionFlags(Qt::NoTextInteraction);
    // The editor's width decides, not the URL or the headers.
    m_request->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_body->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Fixed);

    m_body->setObjectName(QStringLiteral("previewBody"));
    m_body->setAccessibleName(tr("Sample body"));
    m_body->setReadOnly(true);
    m_body->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_body->setTabChangesFocus(true);
    m_body->setFont(fixed);
    // Long values scroll sideways inside the view instead of widening it.
    m_body->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_body->setFixedHeight(QFontMetrics(fixed).lineSpacing() * BodyLines +
                           2 * m_body->frameWidth() + 8);

    m_note->setObjectName(QStringLiteral("previewNote"));
    m_note->setWordWrap(true);
    QPalette muted = m_note->palette();
    muted.setColor(QPalette::WindowText, palette().color(QPalette::Disabled, QPalette::WindowText));
    m_note->setPalette(muted);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);
    layout->addLayout(top);
    layout->addWidget(m_request);
    layout->addWidget(m_body);
    layout->addWidget(m_note);

    connect(m_event, &QComboBox::currentIndexChanged, this, [this] {
        if (m_event->currentIndex() >= 0)
            m_wanted = m_event->currentData().toString();
        refresh();
    });
}

void PayloadPreview::setHook(const EventCatalog &catalog, const Webhook &hook,
                             const QString &projectTitle)
{
    m_catalog = catalog;
    m_hook = hook;
    m_projectTitle = projectTitle;
    m_stale = true;
    if (isVisible())
        fillEvents();
}

void PayloadPreview::selectEvent(const QString &key)
{
    if (key.isEmpty())
        return;
    m_wanted = key;
    const int row = m_event->findData(key);
    if (row >= 0)
        m_event->setCurrentIndex(row);
}

QString PayloadPreview::currentEvent() const
{
    return m_event->currentData().toString();
}

QString PayloadPreview::requestText() const
{
    return m_request->fullText();
}

void PayloadPreview::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    if (m_stale)
        fillEvents();
}

void PayloadPreview::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        m_highlighter->setBaseColor(m_body->palette().color(QPalette::Base));
}

void PayloadPreview::fillEvents()
{
    m_stale = false;
    // The events this hook sends, in catalog order.
    const QStringList keys = FilterTrial::eventKeys(m_catalog, m_hook);
    QStringList shown;
    for (int i = 0; i < m_event->count(); ++i)
        shown.append(m_event->itemData(i).toString());
    if (shown != keys) {
        const QSignalBlocker quiet(m_event);
        m_event->clear();
        for (const QString &key : keys) {
            const std::optional<EventType> type = m_catalog.find(key);
            //: an event in the preview's list: %1 its name, %2 its key
            m_event->addItem(tr("%1 (%2)").arg(type ? type->name : key, key), key);
        }
    }
    const int wanted = m_event->findData(m_wanted);
    {
        const QSignalBlocker quiet(m_event);
        m_event->setCurrentIndex(wanted >= 0 ? wanted : (keys.isEmpty() ? -1 : 0));
    }
    refresh();
}

void PayloadPreview::refresh()
{
    const QString key = currentEvent();
    m_event->setEnabled(m_event->count() > 0);
    if (key.isEmpty()) {
        m_request->setFullText(QString());
        m_body->setPlainText(QString());
        m_note->setText(tr("This webhook sends no event yet: check one above, or Send for all "
                           "actions."));
        return;
    }
    // The body as the engine builds it for a stored event of this project.
    const std::optional<EventType> type = m_catalog.find(key);
    std::optional<QJsonObject> project;
    if (!type || type->payloadKey != QLatin1String("project"))
        project = EventCatalog::sampleProject(m_hook.projectId.value_or(1), m_projectTitle);
    const QByteArray body =
        QJsonDocument(
            PayloadBuilder::object(key, project, m_catalog.samplePayload(key), m_hook.sendPayload))
            .toJson(QJsonDocument::Indented);
    m_body->setPlainText(QString::fromUtf8(body).trimmed());

    HeaderList headers{{QStringLiteral("Content-Type"), QStringLiteral("application/json")}};
    if (!m_hook.secret.isEmpty() && m_hook.signature == SignatureScheme::Standard)
        headers.append({QStringLiteral("webhook-signature"), QStringLiteral("v1,…")});
    else if (!m_hook.secret.isEmpty() && m_hook.signature == SignatureScheme::GitHub)
        headers.append({QStringLiteral("X-Hub-Signature-256"), QStringLiteral("sha256=…")});
    for (const HeaderRow &row : std::as_const(m_hook.headers)) {
        if (!row.name.trimmed().isEmpty())
            headers.append({row.name.trimmed(), row.value});
    }
    QStringList headerText;
    for (const auto &[name, value] : SecretMask::headers(headers, m_hook))
        headerText.append(name + QStringLiteral(": ") + value);
    const QString url =
        m_hook.url.trimmed().isEmpty() ? tr("(no URL yet)") : SecretMask::url(m_hook.url.trimmed());
    m_request->setFullText(QStringLiteral("POST ") + url + QLatin1Char('\n') +
                           headerText.join(QStringLiteral(" · ")));

    const QString size = QLocale().formattedDataSize(body.trimmed().size());
    m_note->setText(m_hook.sendPayload
                        //: %1 is a size, e.g. 1.4 KB
                        ? tr("The sample body, %1. A real event carries its own data; "
                             "webhook-id, webhook-timestamp and the signature are made per "
                             "delivery.")
                              .arg(size)
                        : tr("Send payload is off: the body holds only the action."));
}
