#pragma once

#include "delivery/delivery_store.h"
#include "domain/attempt.h"
#include "domain/event_catalog.h"
#include "domain/webhook.h"

#include <QDialog>
#include <QElapsedTimer>
#include <QJsonObject>

class AttemptDetails;
class EngineHost;
class StoreWriter;
class DeliveryStore;
class HookStore;
class QComboBox;
class QDialogButtonBox;
class QFormLayout;
class QLineEdit;
class ElidedLabel;
class QLabel;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QTimer;
class QToolButton;

// "Send test…": fires one event with an editable payload at one hook and
// shows the outcome as soon as the delivery engine reports it. The test is
// stored like any delivery (trigger "test", never retried), so it also
// appears in the log. Never blocks: the engine sends on its own thread.
class TestSendDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TestSendDialog)

public:
    // How long to wait beyond the hook's timeout before saying that the
    // engine has not reported back.
    static constexpr int ReportGraceMs = 15000;
    static constexpr int PollIntervalMs = 500;

    TestSendDialog(const Webhook &hook, HookStore *hooks, DeliveryStore *deliveries,
                   EngineHost *service, QWidget *parent = nullptr);
    ~TestSendDialog() override;

    // PING for a hook that sends every event, else its first subscribed one.
    static QString defaultEvent(const Webhook &hook, const EventCatalog &catalog);
    // "Line 3, column 7: ..." for a parse error at this UTF-8 byte offset.
    static QString parseErrorMessage(const QByteArray &utf8, int offset, const QString &error);

    // Edit and Resend: the attempt's event and body (read with details), to
    // fix and send again as a test that records where it came from; a Send
    // to URL makes it a one-off to another receiver.
    void editAndResend(const Attempt &attempt);
    qint64 editedFrom() const { return m_editedFrom; }

    QString currentEvent() const;
    bool setCurrentEvent(const QString &key);
    QString payloadText() const;
    // Why the payload cannot be sent, or empty.
    QString validationMessage() const { return m_problem; }
    bool isWaiting() const { return m_waiting; }
    qint64 attemptId() const { return m_attemptId; }
    // Where Send stores the test: the window's writer thread. Without one it
    // is stored at once on this thread's connection.
    void setStoreWriter(StoreWriter *writer) { m_writer = writer; }

public slots:
    void send();

signals:
    // The test was stored and the engine woken; its outcome follows.
    void testQueued(qint64 attemptId);

private:
    void buildUi();
    void fillEvents();
    void fillProjects();
    void onEventChanged();
    void restoreSample();
    void validate();
    void updatePreview();
    void updateSendButton();
    void setWaiting(bool waiting);
    void onStored(const Result<EmitResult> &stored);
    void onAttemptFinished(qint64 attemptId, qint64 deliveryId, AttemptOutcome outcome,
                           const QString &summary);
    void poll();
    void loadDetails();
    void showOutcome(AttemptOutcome outcome, const QString &summary);
    void showProblem(const QString &message);
    void showDetails(const Attempt &attempt);
    void setDetailsExpanded(bool expanded);
    QString samplePayloadText(const QString &key) const;
    // Where the request goes: the Send to URL, else the hook's.
    QString targetUrl() const;

    Webhook m_hook;
    HookStore *m_hooks;
    DeliveryStore *m_deliveries;
    EngineHost *m_service;
    StoreWriter *m_writer = nullptr;
    EventCatalog m_catalog;

    QJsonObject m_data;   // the parsed payload when it is valid
    QString m_problem;    // why it is not
    QString m_filledText; // the sample as filled in, to notice edits
    qint64 m_attemptId = 0;
    qint64 m_editedFrom = 0; // Edit and Resend: the delivery edited
    bool m_waiting = false;
    bool m_needDetails = false;
    QElapsedTimer m_sentAt;

    ElidedLabel *m_target = nullptr;
    QComboBox *m_event = nullptr;
    QLabel *m_eventDescription = nullptr;
    QComboBox *m_project = nullptr;
    QFormLayout *m_form = nullptr;
    QLineEdit *m_sendTo = nullptr;
    QPlainTextEdit *m_payload = nullptr;
    QPushButton *m_restore = nullptr;
    QLabel *m_payloadError = nullptr;
    ElidedLabel *m_preview = nullptr;
    QWidget *m_result = nullptr;
    QProgressBar *m_busy = nullptr;
    QLabel *m_busyText = nullptr;
    QLabel *m_status = nullptr;
    QLabel *m_facts = nullptr;
    QToolButton *m_detailsToggle = nullptr;
    AttemptDetails *m_details = nullptr;
    QDialogButtonBox *m_buttons = nullptr;
    QPushButton *m_send = nullptr;
    QTimer *m_pollTimer = nullptr;
};
