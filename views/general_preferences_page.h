#pragma once

#include <QWidget>

class DeliveryStore;
class StoreWriter;
class QCheckBox;
class QLabel;
class QLineEdit;
class QPushButton;

// Preferences → General: the file's delivery settings (retry schedule,
// failure threshold, retention; shared by every process, as "settings"
// shows them) and this computer's default timeout for new hooks. Validated
// as "webhook-admin settings set" validates, each message next to its field;
// nothing is saved unless every field is right.
class GeneralPreferencesPage final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(GeneralPreferencesPage)

public:
    // How long a save waits for another process's write lock before it says
    // so, instead of freezing the window for the 5 s busy timeout.
    static constexpr int LockWaitMs = 200;

    explicit GeneralPreferencesPage(DeliveryStore *deliveries, QWidget *parent = nullptr);

    // The default timeout kept in the user's settings, applied to new hooks
    // (Webhook::setDefaultTimeoutOverride); call once at start-up.
    static void applyStoredDefaults();
    // Desktop notifications when a webhook breaks (this computer's choice; on
    // unless switched off).
    static bool notificationsEnabled();
    QCheckBox *notificationsCheckBox() const { return m_notify; }
    // Null disables the page (no database to keep the settings in).
    void setDeliveryStore(DeliveryStore *deliveries);
    // Where OK stores the settings: the window's writer thread, which may
    // wait the whole busy timeout (the dialog waits painting). Without one
    // they are stored at once, waiting at most LockWaitMs.
    void setStoreWriter(StoreWriter *writer) { m_writer = writer; }

    QLineEdit *retryScheduleEdit() const { return m_schedule; }
    QLineEdit *failureThresholdEdit() const { return m_threshold; }
    QLineEdit *retentionEdit() const { return m_retention; }
    QLineEdit *defaultTimeoutEdit() const { return m_timeout; }

public slots:
    void load();
    bool apply();

private:
    QLabel *addMessage();
    void showMessage(QLabel *label, QLineEdit *field, const QString &message);

    DeliveryStore *m_deliveries;
    StoreWriter *m_writer = nullptr;
    QLineEdit *m_schedule;
    QPushButton *m_defaultSchedule;
    QLineEdit *m_threshold;
    QLineEdit *m_retention;
    QLineEdit *m_timeout;
    QCheckBox *m_notify;
    QLabel *m_scheduleMessage;
    QLabel *m_thresholdMessage;
    QLabel *m_retentionMessage;
    QLabel *m_timeoutMessage;
    QLabel *m_saveMessage;
};
