#include "test_send_dialog.h"

#include "attempt_details.h"
#include "delivery/delivery_store.h"
#include "delivery/engine_host.h"
#include "delivery/payload_builder.h"
#include "domain/secret_mask.h"
#include "domain/webhook_validator.h"
#include "elided_label.h"
#include "json_highlighter.h"
#include "outcome_strip_delegate.h"
#include "screen_fit.h"
#include "store/hook_store.h"
#include "store/store_writer.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QShortcut>
#include <QTimer>
#include <QToolButton>
#include <QUrl>
#include <QVBoxLayout>
#include <algorithm>

TestSendDialog::TestSendDialog(const Webhook &hook, HookStore *hooks, DeliveryStore *deliveries,
                               EngineHost *service, QWidget *parent)
    : QDialog(parent)
    , m_hook(hook)
    , m_hooks(hooks)
    , m_deliveries(deliveries)
    , m_service(service)
    , m_catalog(hooks->catalog())
{
    setObjectName(QStringLiteral("testSendDialog"));
    setWindowTitle(tr("Send Test"));
    buildUi();
    fillEvents();
    fillProjects();
    setCurrentEvent(defaultEvent(m_hook, m_catalog));
    onEventChanged(); // fills the sample even when the index did not change

    m_pollTimer = new QTimer(this);
    m_pollTimer->setInterval(PollIntervalMs);
    connect(m_pollTimer, &QTimer::timeout, this, &TestSendDialog::poll);
    if (m_service) {
        connect(m_service, &EngineHost::attemptFinished, this, &TestSendDialog::onAttemptFinished);
        connect(m_service, &EngineHost::attemptsRecorded, this, [this] {
            if (m_needDetails)
                loadDetails();
        });
    }
    resize(ScreenFit::boundedSize(this, QSize(760, 680)));
    ScreenFit::clampWhenShown(this);
}

TestSendDialog::~TestSendDialog() = default;

QString TestSendDialog::defaultEvent(const Webhook &hook, const EventCatalog &catalog)
{
    if (hook.sendForAllActions)
        return EventCatalog::PingKey;
    for (const QString &key : catalog.sorted(hook.actions)) {
        if (catalog.contains(key))
            return key;
    }
    return EventCatalog::PingKey;
}

QString TestSendDialog::parseErrorMessage(const QByteArray &utf8, int offset, const QString &error)
{
    // Qt reports the offset just after the character it stumbled on.
    const QByteArray before = utf8.left(std::max(0, offset - 1));
    const int line = int(before.count('\n')) + 1;
    const int column = int(QString::fromUtf8(before.mid(before.lastIndexOf('\n') + 1)).size()) + 1;
    //: A JSON syntax error; %3 is Qt's description of it
    return tr("Line %1, column %2: %3").arg(line).arg(column).arg(error);
}

void TestSendDialog::buildUi()
{
    // Elided, not wrapped: a URL has no break point and would widen the dialog.
    m_target = new ElidedLabel;
    m_target->setObjectName(QStringLiteral("targetLabel"));
    QFont targetFont = m_target->font();
    targetFont.setBold(true);
    m_target->setFont(targetFont);
    //: %1 is the webhook's URL
    m_target->setFullText(tr("Test a delivery to %1").arg(SecretMask::url(m_hook.url)));

    m_event = new QComboBox;
    m_event->setObjectName(QStringLiteral("eventCombo"));
    m_event->setAccessibleName(tr("Event"));
    m_eventDescription = new QLabel;
    m_eventDescription->setObjectName(QStringLiteral("eventDescription"));
    m_eventDescription->setWordWrap(true);
    m_eventDescription->setForegroundRole(QPalette::PlaceholderText);

    m_project = new QComboBox;
    m_project->setObjectName(QStringLiteral("projectCombo"));
    m_project->setAccessibleName(tr("Project"));

    m_sendTo = new QLineEdit;
    m_sendTo->setObjectName(QStringLiteral("sendToEdit"));
    m_sendTo->setAccessibleName(tr("Send to"));
    m_sendTo->setPlaceholderText(tr("The webhook's URL"));
    m_sendTo->setToolTip(tr("Another URL for this one send; the webhook keeps its own"));

    auto *form = new QFormLayout;
    m_form = form;
    form->addRow(tr("&Event:"), m_event);
    form->addRow(QString(), m_eventDescription);
    form->addRow(tr("Pro&ject:"), m_project);
    form->addRow(tr("Send &to:"), m_sendTo);
    form->setRowVisible(m_sendTo, false); // Edit and Resend only

    m_payload = new QPlainTextEdit;
    m_payload->setObjectName(QStringLiteral("payloadEdit"));
    m_payload->setAccessibleName(tr("Payload"));
    m_payload->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_payload->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_payload->setTabChangesFocus(true);
    auto *highlighter = new JsonHighlighter(m_payload->document());
    highlighter->setBaseColor(m_payload->palette().color(QPalette::Base));
    m_payload->setToolTip(
        tr("The body of the request without \"action\" and \"project\", which are added"));
    auto *payloadLabel = new QLabel(tr("Pay&load (JSON):"));
    payloadLabel->setBuddy(m_payload);
    m_restore = new QPushButton(tr("Reset to Sa&mple"));
    m_restore->setObjectName(QStringLiteral("restoreSampleButton"));
    m_restore->setToolTip(tr("Replace the payload with the event's sample payload"));
    connect(m_restore, &QPushButton::clicked, this, &TestSendDialog::restoreSample);
    auto *payloadHeader = new QHBoxLayout;
    payloadHeader->addWidget(payloadLabel);
    payloadHeader->addStretch();
    payloadHeader->addWidget(m_restore);

    m_payloadError = new QLabel;
    m_payloadError->setObjectName(QStringLiteral("payloadError"));
    m_payloadError->setWordWrap(true);
    m_payloadError->setTextFormat(Qt::PlainText);
    QPalette errorPalette = m_payloadError->palette();
    errorPalette.setColor(QPalette::WindowText, OutcomeStripDelegate::failureColor(palette()));
    m_payloadError->setPalette(errorPalette);
    m_payloadError->hide();

    m_preview = new ElidedLabel;
    m_preview->setObjectName(QStringLiteral("previewLabel"));
    m_preview->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_preview->setForegroundRole(QPalette::PlaceholderText);

    // The outcome of the last send; hidden until the first one.
    m_busy = new QProgressBar;
    m_busy->setObjectName(QStringLiteral("busyIndicator"));
    m_busy->setRange(0, 0);
    m_busy->setTextVisible(false);
    m_busy->setMaximumWidth(120);
    m_busy->setMaximumHeight(12);
    m_busyText = new QLabel;
    m_busyText->setObjectName(QStringLiteral("busyText"));
    auto *busyRow = new QHBoxLayout;
    busyRow->addWidget(m_busy);
    busyRow->addWidget(m_busyText, 1);

    m_status = new QLabel;
    m_status->setObjectName(QStringLiteral("statusLabel"));
    m_status->setTextFormat(Qt::PlainText);
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont statusFont = m_status->font();
    statusFont.setBold(true);
    statusFont.setPointSizeF(statusFont.pointSizeF() * 1.5);
    m_status->setFont(statusFont);
    m_facts = new QLabel;
    m_facts->setObjectName(QStringLiteral("factsLabel"));
    m_facts->setTextFormat(Qt::PlainText);
    m_facts->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_facts->setForegroundRole(QPalette::PlaceholderText);

    m_detailsToggle = new QToolButton;
    m_detailsToggle->setObjectName(QStringLiteral("detailsToggle"));
    m_detailsToggle->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    m_detailsToggle->setAutoRaise(true);
    m_detailsToggle->setCheckable(true);
    connect(m_detailsToggle, &QToolButton::toggled, this, &TestSendDialog::setDetailsExpanded);

    m_details = new AttemptDetails;
    m_details->setObjectName(QStringLiteral("detailsTabs"));
    m_details->setMinimumHeight(180);

    m_result = new QWidget;
    m_result->setObjectName(QStringLiteral("resultArea"));
    auto *resultLayout = new QVBoxLayout(m_result);
    resultLayout->setContentsMargins(0, 0, 0, 0);
    resultLayout->addLayout(busyRow);
    resultLayout->addWidget(m_status);
    resultLayout->addWidget(m_facts);
    resultLayout->addWidget(m_detailsToggle, 0, Qt::AlignLeft);
    resultLayout->addWidget(m_details, 1);
    m_result->hide();
    setDetailsExpanded(false);

    m_buttons = new QDialogButtonBox;
    m_send = m_buttons->addButton(tr("&Send"), QDialogButtonBox::ActionRole);
    m_send->setObjectName(QStringLiteral("sendButton"));
    m_send->setIcon(QIcon::fromTheme(QStringLiteral("mail-send")));
    m_send->setDefault(true);
    m_send->setAutoDefault(true);
    QPushButton *close = m_buttons->addButton(QDialogButtonBox::Close);
    close->setObjectName(QStringLiteral("closeButton"));
    close->setAutoDefault(false);
    close->setToolTip(tr("Close this window; a test on its way is still sent and logged"));
    connect(m_send, &QPushButton::clicked, this, &TestSendDialog::send);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    // Return in the editor is a new line; Ctrl+Return sends from anywhere.
    auto *sendShortcut = new QShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return), this);
    connect(sendShortcut, &QShortcut::activated, this, &TestSendDialog::send);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_target);
    layout->addLayout(form);
    layout->addLayout(payloadHeader);
    layout->addWidget(m_payload, 2);
    layout->addWidget(m_payloadError);
    layout->addWidget(m_preview);
    layout->addWidget(m_result);
    layout->addWidget(m_buttons);

    connect(m_event, &QComboBox::currentIndexChanged, this, &TestSendDialog::onEventChanged);
    connect(m_project, &QComboBox::currentIndexChanged, this, &TestSendDialog::updatePreview);
    connect(m_payload, &QPlainTextEdit::textChanged, this, &TestSendDialog::validate);
    connect(m_sendTo, &QLineEdit::textChanged, this, [this] {
        validate();
        updatePreview();
    });

    setTabOrder(m_event, m_project);
    setTabOrder(m_project, m_sendTo);
    setTabOrder(m_sendTo, m_restore);
    setTabOrder(m_restore, m_payload);
    setTabOrder(m_payload, m_send);
}

void TestSendDialog::fillEvents()
{
    const QSignalBlocker blocker(m_event);
    m_event->clear();
    m_event->addItem(tr("Ping (a connection check)"), EventCatalog::PingKey);
    m_event->setItemData(0,
                         tr("Sends only a short message; for checking that the receiver answers"),
                         Qt::ToolTipRole);
    for (const QString &group : EventCatalog::groups()) {
        const QList<EventType> types = m_catalog.typesInGroup(group);
        if (types.isEmpty())
            continue;
        m_event->insertSeparator(m_event->count());
        for (const EventType &type : types) {
            //: An event in the test's event list: display name and key
            m_event->addItem(tr("%1 (%2)").arg(type.name, type.key), type.key);
            m_event->setItemData(m_event->count() - 1, type.description, Qt::ToolTipRole);
        }
    }
}

void TestSendDialog::fillProjects()
{
    const QSignalBlocker blocker(m_project);
    m_project->clear();
    //: No project in a test send
    m_project->addItem(tr("None"), QVariant());
    if (Result<QList<Project>> projects = m_hooks->projects()) {
        for (const Project &project : projects.value())
            m_project->addItem(tr("%1 (#%2)").arg(project.title).arg(project.id), project.id);
    }
    // A project-scoped hook is tested with its project.
    if (m_hook.projectId) {
        const int index = m_project->findData(*m_hook.projectId);
        if (index >= 0)
            m_project->setCurrentIndex(index);
    }
}

void TestSendDialog::editAndResend(const Attempt &attempt)
{
    m_editedFrom = attempt.deliveryId;
    setWindowTitle(tr("Edit and Resend"));
    //: %1 is a delivery id, %2 the webhook's URL
    m_target->setFullText(tr("Resend delivery %1, edited, to %2")
                              .arg(attempt.deliveryId)
                              .arg(SecretMask::url(m_hook.url)));
    m_form->setRowVisible(m_sendTo, true);
    setCurrentEvent(attempt.action);

    // The payload editor holds the body without "action"; "project" stays
    // (it adds to the stored project, so edits to it are kept).
    QJsonObject body = QJsonDocument::fromJson(attempt.requestBody).object();
    body.remove(QStringLiteral("action"));
    int projectIndex = 0;
    if (const QJsonValue project = body.value(QLatin1String("project")); project.isObject()) {
        const qint64 id = project.toObject().value(QLatin1String("id")).toInteger();
        projectIndex = std::max(0, m_project->findData(id));
    }
    m_project->setCurrentIndex(projectIndex);
    // A hook without payloads sent only the action: start from the sample.
    m_filledText = body.isEmpty()
                       ? samplePayloadText(currentEvent())
                       : QString::fromUtf8(QJsonDocument(body).toJson(QJsonDocument::Indented));
    m_payload->setPlainText(m_filledText);
    validate();
    updatePreview();
    m_payload->setFocus();
}

QString TestSendDialog::targetUrl() const
{
    const QString sendTo = m_sendTo->text().trimmed();
    return m_editedFrom != 0 && !sendTo.isEmpty() ? sendTo : m_hook.url;
}

QString TestSendDialog::currentEvent() const
{
    return m_event->currentData().toString();
}

bool TestSendDialog::setCurrentEvent(const QString &key)
{
    const int index = m_event->findData(key);
    if (index < 0)
        return false;
    m_event->setCurrentIndex(index);
    return true;
}

QString TestSendDialog::payloadText() const
{
    return m_payload->toPlainText();
}

QString TestSendDialog::samplePayloadText(const QString &key) const
{
    return QString::fromUtf8(
        QJsonDocument(m_catalog.samplePayload(key)).toJson(QJsonDocument::Indented));
}

void TestSendDialog::onEventChanged()
{
    const QString key = currentEvent();
    const std::optional<EventType> type = m_catalog.find(key);
    m_eventDescription->setText(type ? type->description
                                     : tr("Not a real event: only for checking the connection"));
    m_eventDescription->setVisible(!m_eventDescription->text().isEmpty());
    // An unedited sample follows the event; an edited payload is kept (the
    // check below says if it does not fit) until Reset to Sample.
    if (m_payload->toPlainText() == m_filledText)
        restoreSample();
    else
        validate();
    updatePreview();
}

void TestSendDialog::restoreSample()
{
    m_filledText = samplePayloadText(currentEvent());
    m_payload->setPlainText(m_filledText);
    validate();
}

void TestSendDialog::validate()
{
    const QString text = m_payload->toPlainText();
    const QByteArray utf8 = text.toUtf8();
    m_problem.clear();
    m_data = {};
    int errorPosition = -1;
    if (text.trimmed().isEmpty()) {
        m_problem = tr("Enter the payload as a JSON object, e.g. {\"tasks\": […]}.");
    } else if (utf8.size() > PayloadBuilder::MaxDataBytes) {
        m_problem = tr("The payload is larger than %n MiB.", nullptr,
                       int(PayloadBuilder::MaxDataBytes / (1024 * 1024)));
    } else {
        QJsonParseError error;
        const QJsonDocument document = QJsonDocument::fromJson(utf8, &error);
        if (error.error != QJsonParseError::NoError) {
            m_problem = parseErrorMessage(utf8, error.offset, error.errorString());
            errorPosition = int(QString::fromUtf8(utf8.left(std::max(0, error.offset - 1))).size());
        } else if (!document.isObject()) {
            m_problem = tr("The payload must be a JSON object, e.g. {\"tasks\": […]}.");
        } else {
            const QString key = currentEvent();
            const std::optional<EventType> type = m_catalog.find(key);
            const QJsonObject data = document.object();
            if (type)
                m_problem = PayloadBuilder::checkData(*type, data);
            else if (data.contains(QLatin1String("action")))
                m_problem = tr("The payload cannot set \"action\"; it is the event's key.");
            if (m_problem.isEmpty())
                m_data = data;
        }
    }
    if (const QString sendTo = m_sendTo->text().trimmed();
        m_problem.isEmpty() && m_editedFrom != 0 && !sendTo.isEmpty()) {
        if (const QString problem = WebhookValidator::checkUrl(sendTo); !problem.isEmpty()) {
            //: %1 says what is wrong with the URL
            m_problem = tr("Send to: %1").arg(problem);
            m_data = {};
        }
    }

    m_payloadError->setText(m_problem);
    m_payloadError->setVisible(!m_problem.isEmpty());
    m_payload->setAccessibleDescription(m_problem);

    // Mark the line of a syntax error.
    QList<QTextEdit::ExtraSelection> marks;
    if (errorPosition >= 0) {
        QTextEdit::ExtraSelection mark;
        QColor tint = OutcomeStripDelegate::failureColor(palette());
        tint.setAlpha(60);
        mark.format.setBackground(tint);
        mark.format.setProperty(QTextFormat::FullWidthSelection, true);
        mark.cursor = QTextCursor(m_payload->document());
        mark.cursor.setPosition(std::min(errorPosition, int(text.size())));
        mark.cursor.clearSelection();
        marks.append(mark);
    }
    m_payload->setExtraSelections(marks);

    m_restore->setEnabled(text != samplePayloadText(currentEvent()));
    updateSendButton();
}

void TestSendDialog::updatePreview()
{
    QStringList parts;
    //: %1 is the URL the test goes to
    parts << tr("POST %1").arg(SecretMask::url(targetUrl()));
    const bool signs = !m_hook.secret.isEmpty() && m_hook.signature != SignatureScheme::None;
    if (!signs)
        parts << tr("unsigned");
    else if (m_hook.signature == SignatureScheme::Standard)
        parts << tr("signed with Standard Webhooks (webhook-signature)");
    else
        parts << tr("signed like GitHub (X-Hub-Signature-256)");
    parts << tr("timeout %n s", nullptr, m_hook.timeoutSeconds);
    parts << tr("never retried");
    QStringList lines{parts.join(QStringLiteral(" · "))};
    if (!m_hook.sendPayload)
        lines << tr("This webhook does not send payloads: the body is only {\"action\": \"%1\"}.")
                     .arg(currentEvent());
    if (!m_hook.isActive)
        lines << tr("The webhook is inactive; a test is sent all the same.");
    if (!m_service)
        lines << tr("The delivery engine is not running, so nothing can be sent.");
    m_preview->setFullText(lines.join(QLatin1Char('\n')));
}

void TestSendDialog::updateSendButton()
{
    const bool ready = m_problem.isEmpty() && !m_waiting && m_service && m_deliveries;
    m_send->setEnabled(ready);
    if (!m_problem.isEmpty())
        m_send->setToolTip(tr("Fix the payload first"));
    else if (m_waiting)
        m_send->setToolTip(tr("Waiting for the outcome of the last test"));
    else if (!m_service || !m_deliveries)
        m_send->setToolTip(tr("The delivery engine is not running"));
    else
        m_send->setToolTip(tr("Send the test now (Ctrl+Return)"));
}

void TestSendDialog::send()
{
    if (!m_send->isEnabled())
        return;
    std::optional<qint64> project;
    if (const QVariant data = m_project->currentData(); data.isValid())
        project = data.toLongLong();
    // One small transaction on the window's writer thread; the engine sends it.
    const QDateTime now = QDateTime::currentDateTimeUtc();
    m_result->show();
    m_status->clear();
    //: Shown while the test is being stored, before it is sent
    m_busyText->setText(tr("Storing the test…"));
    setWaiting(true);
    WriterStores stores;
    stores.deliveries = m_deliveries;
    StoreWriter::submitTo(
        m_writer, stores, this, tr("Storing the test…"),
        [catalog = m_catalog, hookId = m_hook.id, event = currentEvent(), project, data = m_data,
         editedFrom = m_editedFrom, sendTo = m_sendTo->text().trimmed(),
         now](const WriterStores &s) {
            return editedFrom != 0
                       ? s.deliveries->enqueueResend(catalog, hookId, event, project, data,
                                                     editedFrom, sendTo, now)
                       : s.deliveries->enqueueTest(catalog, hookId, event, project, data, now);
        },
        [this](const Result<EmitResult> &stored) { onStored(stored); });
}

void TestSendDialog::onStored(const Result<EmitResult> &stored)
{
    setWaiting(false);
    if (!stored || stored->attemptIds.isEmpty()) {
        showProblem(stored ? tr("Nothing was stored for this test.")
                           : tr("The test could not be stored: %1").arg(stored.error().message));
        return;
    }
    m_attemptId = stored->attemptIds.first();
    m_needDetails = false;
    m_sentAt.start();
    m_status->clear();
    m_facts->clear();
    m_details->clear();
    m_detailsToggle->hide();
    setDetailsExpanded(false);
    //: %1 is the host the test goes to
    m_busyText->setText(tr("Sending to %1…").arg(QUrl(targetUrl()).host()));
    setWaiting(true);
    m_service->wake();
    // Also read the log: another process's dispatcher may send it first.
    m_pollTimer->start();
    emit testQueued(m_attemptId);
}

void TestSendDialog::setWaiting(bool waiting)
{
    m_waiting = waiting;
    m_busy->setVisible(waiting);
    m_busyText->setVisible(waiting);
    m_event->setEnabled(!waiting);
    m_project->setEnabled(!waiting);
    updateSendButton();
}

void TestSendDialog::onAttemptFinished(qint64 attemptId, qint64, AttemptOutcome outcome,
                                       const QString &summary)
{
    if (!m_waiting || attemptId != m_attemptId)
        return;
    showOutcome(outcome, summary);
    // The engine records results a moment after it reports them.
    m_needDetails = true;
    loadDetails();
}

void TestSendDialog::poll()
{
    if (m_needDetails) {
        loadDetails();
        return;
    }
    if (!m_waiting) {
        m_pollTimer->stop();
        return;
    }
    Result<Attempt> attempt = m_deliveries->attempt(m_attemptId);
    if (attempt && attempt->outcome != AttemptOutcome::Pending) {
        showOutcome(attempt->outcome, attempt->outcome == AttemptOutcome::Succeeded
                                          ? tr("HTTP %1").arg(attempt->statusCode)
                                          : attempt->error);
        showDetails(attempt.value());
        return;
    }
    if (m_sentAt.elapsed() > qint64(m_hook.timeoutSeconds) * 1000 + ReportGraceMs) {
        m_pollTimer->stop();
        setWaiting(false);
        showProblem(tr("No outcome yet: the delivery engine has not reported back. The test "
                       "stays queued and its outcome will appear in the log."));
    }
}

void TestSendDialog::loadDetails()
{
    Result<Attempt> attempt = m_deliveries->attempt(m_attemptId);
    if (!attempt) {
        m_needDetails = false;
        m_pollTimer->stop();
        m_facts->setText(tr("The details could not be read: %1").arg(attempt.error().message));
        return;
    }
    if (attempt->outcome == AttemptOutcome::Pending)
        return; // not recorded yet; attemptsRecorded or the poll brings us back
    showDetails(attempt.value());
}

void TestSendDialog::showOutcome(AttemptOutcome outcome, const QString &summary)
{
    setWaiting(false);
    const bool ok = outcome == AttemptOutcome::Succeeded;
    //: The outcome of a test send, e.g. "✔ HTTP 200 OK" or "✖ connection refused"
    m_status->setText(ok ? tr("✔ %1").arg(summary) : tr("✖ %1").arg(summary));
    QPalette p = m_status->palette();
    p.setColor(QPalette::WindowText, ok ? OutcomeStripDelegate::successColor(palette())
                                        : OutcomeStripDelegate::failureColor(palette()));
    m_status->setPalette(p);
    m_status->setAccessibleName(ok ? tr("Test succeeded") : tr("Test failed"));
    m_facts->setText(tr("Recording the details…"));
}

void TestSendDialog::showProblem(const QString &message)
{
    setWaiting(false);
    m_status->setText(tr("✖ %1").arg(message));
    QPalette p = m_status->palette();
    p.setColor(QPalette::WindowText, OutcomeStripDelegate::failureColor(palette()));
    m_status->setPalette(p);
    m_facts->clear();
}

void TestSendDialog::showDetails(const Attempt &attempt)
{
    m_needDetails = false;
    m_pollTimer->stop();
    //: %1 milliseconds the attempt took, %2 its webhook-id header, %3 the attempt's id in the log
    m_facts->setText(tr("%1 ms · webhook-id %2 · attempt #%3 in the log")
                         .arg(attempt.durationMs)
                         .arg(attempt.messageId)
                         .arg(attempt.id));

    m_details->setAttempt(attempt);
    // What went wrong is in the trace; what the receiver said in the response.
    m_details->setCurrentIndex(attempt.outcome == AttemptOutcome::Succeeded
                                   ? AttemptDetails::ResponseTab
                                   : AttemptDetails::TraceTab);
    m_detailsToggle->show();
}

void TestSendDialog::setDetailsExpanded(bool expanded)
{
    if (m_detailsToggle->isChecked() != expanded) {
        const QSignalBlocker blocker(m_detailsToggle);
        m_detailsToggle->setChecked(expanded);
    }
    m_detailsToggle->setArrowType(expanded ? Qt::DownArrow : Qt::RightArrow);
    m_detailsToggle->setText(expanded ? tr("Hide &Details") : tr("Show &Details"));
    m_details->setVisible(expanded);
    // Collapsed, the outcome takes only the room it needs; the editor the rest.
    if (auto *box = qobject_cast<QBoxLayout *>(layout()))
        box->setStretchFactor(m_result, expanded ? 3 : 0);
}
