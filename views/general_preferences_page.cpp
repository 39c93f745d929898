#include "general_preferences_page.h"

#include "app_settings.h"
#include "delivery/delivery_store.h"
#include "delivery/retry_policy.h"
#include "domain/webhook.h"
#include "store/database.h"
#include "store/store_writer.h"
#include "validation_style.h"

#include <QCheckBox>
#include <QCoreApplication>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QVBoxLayout>

namespace {

const QString TimeoutKey = QStringLiteral("preferences/defaultTimeoutSeconds");
const QString NotifyKey = QStringLiteral("preferences/failureNotifications");

// The same rules as "settings set"; the messages of DeliveryStore where it has one.
QString checkSchedule(const QString &text, QList<qint64> *schedule)
{
    const QString trimmed = text.trimmed();
    schedule->clear();
    if (trimmed.isEmpty() || trimmed == QLatin1String("default"))
        return {};
    *schedule = RetryPolicy::parseSchedule(trimmed);
    if (schedule->isEmpty())
        return GeneralPreferencesPage::tr(
            "Up to 20 comma-separated seconds, each at most a week (604800), e.g. 0,5,300.");
    // The default written out is the default: stored as such, it follows
    // future versions' default.
    if (*schedule == RetryPolicy::defaultScheduleSeconds())
        schedule->clear();
    return {};
}

QString checkWholeNumber(const QString &text, int min, int max, const QString &rangeMessage,
                         int *value)
{
    bool ok = false;
    *value = text.trimmed().toInt(&ok);
    if (!ok)
        return GeneralPreferencesPage::tr("Enter a whole number, not \"%1\".").arg(text.trimmed());
    if (*value < min || *value > max)
        return rangeMessage;
    return {};
}

} // namespace

GeneralPreferencesPage::GeneralPreferencesPage(DeliveryStore *deliveries, QWidget *parent)
    : QWidget(parent)
    , m_deliveries(deliveries)
    , m_schedule(new QLineEdit(this))
    , m_defaultSchedule(new QPushButton(tr("&Default"), this))
    , m_threshold(new QLineEdit(this))
    , m_retention(new QLineEdit(this))
    , m_timeout(new QLineEdit(this))
    , m_scheduleMessage(addMessage())
    , m_thresholdMessage(addMessage())
    , m_retentionMessage(addMessage())
    , m_timeoutMessage(addMessage())
    , m_saveMessage(new QLabel(this))
{
    setObjectName(QStringLiteral("generalPreferencesPage"));
    m_schedule->setObjectName(QStringLiteral("retrySchedule"));
    m_schedule->setToolTip(tr("Seconds before each attempt, comma-separated; ±10 % jitter is "
                              "added. \"default\" restores the built-in schedule."));
    m_defaultSchedule->setObjectName(QStringLiteral("defaultScheduleButton"));
    m_defaultSchedule->setToolTip(tr("Put back the built-in schedule"));
    connect(m_defaultSchedule, &QPushButton::clicked, this, [this] {
        m_schedule->setText(RetryPolicy::formatSchedule(RetryPolicy::defaultScheduleSeconds()));
        showMessage(m_scheduleMessage, m_schedule, {});
    });
    m_threshold->setObjectName(QStringLiteral("failureThreshold"));
    m_threshold->setToolTip(tr("Deactivate a hook after this many failed deliveries in a row; "
                               "0 never deactivates"));
    m_retention->setObjectName(QStringLiteral("retentionDays"));
    m_retention->setToolTip(tr("Attempts older than this are deleted from the log"));
    m_timeout->setObjectName(QStringLiteral("defaultTimeout"));
    m_timeout->setToolTip(tr("The timeout a new webhook starts with, in seconds (this computer "
                             "only; WEBHOOK_TIMEOUT sets it when it is not set here)"));
    m_scheduleMessage->setObjectName(QStringLiteral("retryScheduleMessage"));
    m_thresholdMessage->setObjectName(QStringLiteral("failureThresholdMessage"));
    m_retentionMessage->setObjectName(QStringLiteral("retentionDaysMessage"));
    m_timeoutMessage->setObjectName(QStringLiteral("defaultTimeoutMessage"));
    m_saveMessage->setObjectName(QStringLiteral("saveMessage"));
    m_saveMessage->setWordWrap(true);
    m_saveMessage->hide();

    auto *scheduleRow = new QHBoxLayout;
    scheduleRow->addWidget(m_schedule, 1);
    scheduleRow->addWidget(m_defaultSchedule);
    const auto column = [](QLayout *fieldRow, QLabel *message) {
        auto *box = new QVBoxLayout;
        box->setSpacing(2);
        box->addLayout(fieldRow);
        box->addWidget(message);
        return box;
    };
    const auto single = [](QWidget *field) {
        auto *row = new QHBoxLayout;
        row->addWidget(field, 1);
        return row;
    };

    auto *shared = new QLabel(tr("Kept in the database file, for every program that opens it:"));
    shared->setWordWrap(true);
    auto *form = new QFormLayout;
    // Labels with buddies, so their mnemonics move the focus.
    const auto label = [](const QString &text, QWidget *buddy) {
        auto *l = new QLabel(text);
        l->setBuddy(buddy);
        return l;
    };
    form->addRow(shared);
    form->addRow(label(tr("&Retry schedule (s):"), m_schedule),
                 column(scheduleRow, m_scheduleMessage));
    form->addRow(label(tr("&Failure threshold:"), m_threshold),
                 column(single(m_threshold), m_thresholdMessage));
    form->addRow(label(tr("&Keep the log for (days):"), m_retention),
                 column(single(m_retention), m_retentionMessage));
    auto *local = new QLabel(tr("On this computer:"));
    form->addRow(local);
    form->addRow(label(tr("Default &timeout (s):"), m_timeout),
                 column(single(m_timeout), m_timeoutMessage));
    m_notify = new QCheckBox(tr("Show a desktop notification when a webhook breaks"));
    m_notify->setObjectName(QStringLiteral("failureNotifications"));
    m_notify->setToolTip(tr("When a webhook is paused or deactivated, or a delivery has used all "
                            "its attempts; a burst makes one notification a minute"));
    form->addRow(m_notify);
    m_schedule->setMinimumWidth(m_schedule->fontMetrics().horizontalAdvance(
                                    QStringLiteral("0,5,300,1800,7200,18000,36000,36000")) +
                                24);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(form);
    layout->addWidget(m_saveMessage);
    layout->addStretch();
    setEnabled(m_deliveries != nullptr);
}

void GeneralPreferencesPage::setDeliveryStore(DeliveryStore *deliveries)
{
    m_deliveries = deliveries;
    setEnabled(m_deliveries != nullptr);
}

QLabel *GeneralPreferencesPage::addMessage()
{
    auto *label = new QLabel(this);
    label->setWordWrap(true);
    QPalette palette = label->palette();
    ValidationStyle::setEnabledColor(palette, QPalette::WindowText,
                                     ValidationStyle::errorColor(palette));
    label->setPalette(palette);
    label->hide();
    return label;
}

void GeneralPreferencesPage::showMessage(QLabel *label, QLineEdit *field, const QString &message)
{
    label->setText(message);
    label->setVisible(!message.isEmpty());
    field->setAccessibleDescription(message);
}

void GeneralPreferencesPage::applyStoredDefaults()
{
    Webhook::setDefaultTimeoutOverride(appSettings().value(TimeoutKey, 0).toInt());
}

bool GeneralPreferencesPage::notificationsEnabled()
{
    return appSettings().value(NotifyKey, true).toBool();
}

void GeneralPreferencesPage::load()
{
    for (QLabel *label : {m_scheduleMessage, m_thresholdMessage, m_retentionMessage,
                          m_timeoutMessage, m_saveMessage})
        label->hide();
    m_timeout->setText(QString::number(Webhook::defaultTimeoutSeconds()));
    m_notify->setChecked(notificationsEnabled());
    if (!m_deliveries)
        return;
    const QList<qint64> stored = m_deliveries->retrySchedule();
    m_schedule->setText(RetryPolicy::formatSchedule(
        stored.isEmpty() ? RetryPolicy::defaultScheduleSeconds() : stored));
    m_threshold->setText(QString::number(m_deliveries->failureThreshold()));
    m_retention->setText(QString::number(m_deliveries->retentionDays()));
}

bool GeneralPreferencesPage::apply()
{
    if (!m_deliveries)
        return true;
    QList<qint64> schedule;
    int threshold = 0;
    int retention = 0;
    int timeout = 0;
    const QString scheduleError = checkSchedule(m_schedule->text(), &schedule);
    const QString thresholdError = checkWholeNumber(
        m_threshold->text(), 0, 1000,
        QCoreApplication::translate("DeliveryStore",
                                    "The failure threshold must be between 0 (off) and 1000."),
        &threshold);
    const QString retentionError = checkWholeNumber(
        m_retention->text(), 1, 3650,
        QCoreApplication::translate("DeliveryStore", "Retention must be between 1 and 3650 days."),
        &retention);
    const QString timeoutError =
        checkWholeNumber(m_timeout->text(), 1, Webhook::MaxTimeoutSeconds,
                         QCoreApplication::translate(
                             "WebhookValidator", "The timeout must be between 1 and %1 seconds.")
                             .arg(Webhook::MaxTimeoutSeconds),
                         &timeout);
    showMessage(m_scheduleMessage, m_schedule, scheduleError);
    showMessage(m_thresholdMessage, m_threshold, thresholdError);
    showMessage(m_retentionMessage, m_retention, retentionError);
    showMessage(m_timeoutMessage, m_timeout, timeoutError);
    m_saveMessage->hide();
    for (const auto &[error, field] :
         {std::pair{scheduleError, m_schedule}, std::pair{thresholdError, m_threshold},
          std::pair{retentionError, m_retention}, std::pair{timeoutError, m_timeout}}) {
        if (!error.isEmpty()) {
            field->setFocus(Qt::OtherFocusReason);
            field->selectAll();
            return false;
        }
    }

    const int lockWait = m_writer ? Database::BusyTimeoutMs : LockWaitMs;
    WriterStores stores;
    stores.deliveries = m_deliveries;
    const Status saved = StoreWriter::waitOn(
        m_writer, stores, tr("Saving the preferences…"), [=](const WriterStores &s) {
            return s.deliveries->setGeneralSettings(schedule, threshold, retention, lockWait);
        });
    if (!saved) {
        m_saveMessage->setText(
            saved.error().kind == StorageError::Kind::Locked
                ? tr("Another program is writing to the database; nothing was saved. Try again "
                     "in a moment.")
                : tr("Nothing was saved: %1").arg(saved.error().message));
        QPalette palette = m_saveMessage->palette();
        ValidationStyle::setEnabledColor(palette, QPalette::WindowText,
                                         ValidationStyle::errorColor(palette));
        m_saveMessage->setPalette(palette);
        m_saveMessage->show();
        return false;
    }
    appSettings().setValue(NotifyKey, m_notify->isChecked());
    // The timeout is this computer's: kept only when it differs from what
    // would apply anyway, so WEBHOOK_TIMEOUT keeps working when unset here.
    Webhook::setDefaultTimeoutOverride(0);
    if (timeout == Webhook::defaultTimeoutSeconds()) {
        appSettings().remove(TimeoutKey);
    } else {
        appSettings().setValue(TimeoutKey, timeout);
        Webhook::setDefaultTimeoutOverride(timeout);
    }
    return true;
}
