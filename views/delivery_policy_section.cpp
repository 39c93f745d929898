#include "delivery_policy_section.h"

#include "delivery/retry_policy.h"
#include "domain/retry_on.h"
#include "domain/webhook_validator.h"

#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

DeliveryPolicySection::DeliveryPolicySection(std::function<Webhook()> currentHook, QWidget *parent)
    : QGroupBox(tr("Pace and retries"), parent)
    , m_currentHook(std::move(currentHook))
{
    setObjectName(QStringLiteral("policySection"));
    auto *form = new QFormLayout(this);
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);

    auto *rateRow = new QHBoxLayout;
    m_rate = new QSpinBox(this);
    m_rate->setObjectName(QStringLiteral("rateLimit"));
    m_rate->setRange(0, RateLimit::MaxCount);
    m_rate->setSpecialValueText(tr("No limit"));
    m_ratePer = new QComboBox(this);
    m_ratePer->setObjectName(QStringLiteral("rateLimitPeriod"));
    m_ratePer->addItem(tr("per second"), 1);
    m_ratePer->addItem(tr("per minute"), 60);
    rateRow->addWidget(m_rate);
    rateRow->addWidget(m_ratePer);
    rateRow->addStretch(1);
    form->addRow(tr("Rate limit:"), rateRow);

    m_maxInFlight = new QSpinBox(this);
    m_maxInFlight->setObjectName(QStringLiteral("maxInFlight"));
    m_maxInFlight->setRange(0, Webhook::MaxInFlightLimit);
    m_maxInFlight->setSpecialValueText(tr("Engine's limit"));
    m_maxInFlight->setToolTip(tr("Requests of this webhook at once; 1 sends them strictly one "
                                 "after the other."));
    form->addRow(tr("Max in flight:"), m_maxInFlight);

    m_retryOn = new QLineEdit(this);
    m_retryOn->setObjectName(QStringLiteral("retryOn"));
    m_retryOn->setPlaceholderText(RetryOn::defaultKey());
    m_retryOn->setToolTip(tr("network, timeout, status codes (429) and classes (5xx); any other "
                             "failure ends the delivery at once."));
    form->addRow(tr("Retry on:"), m_retryOn);

    m_schedule = new QLineEdit(this);
    m_schedule->setObjectName(QStringLiteral("retrySchedule"));
    m_schedule->setPlaceholderText(tr("The file's schedule"));
    m_schedule->setToolTip(tr("Seconds before each attempt, e.g. 0,10,60,600."));
    form->addRow(tr("Retry schedule:"), m_schedule);
    m_effective = new QLabel(this);
    m_effective->setObjectName(QStringLiteral("effectiveSchedule"));
    m_effective->setWordWrap(true);
    form->addRow(QString(), m_effective);
    m_error = new QLabel(this);
    m_error->setObjectName(QStringLiteral("policyError"));
    m_error->setWordWrap(true);
    QPalette red = m_error->palette();
    red.setColor(QPalette::WindowText, QColor(0xc6, 0x28, 0x28));
    m_error->setPalette(red);
    m_error->hide();
    form->addRow(QString(), m_error);

    auto *pausedRow = new QVBoxLayout;
    m_paused = new QLabel(this);
    m_paused->setObjectName(QStringLiteral("pausedState"));
    m_paused->setWordWrap(true);
    m_paused->setTextFormat(Qt::PlainText);
    m_paused->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_resume = new QPushButton(tr("Resume now"), this);
    m_resume->setObjectName(QStringLiteral("resumeNow"));
    m_resume->setToolTip(tr("Ends the pause: the waiting deliveries go out now, in order."));
    pausedRow->addWidget(m_paused);
    pausedRow->addWidget(m_resume, 0, Qt::AlignLeft);
    form->addRow(tr("Circuit breaker:"), pausedRow);

    for (QSpinBox *spin : {m_rate, m_maxInFlight})
        connect(spin, &QSpinBox::valueChanged, this, [this] {
            refresh();
            emit changed();
        });
    connect(m_ratePer, &QComboBox::currentIndexChanged, this, [this] { emit changed(); });
    for (QLineEdit *edit : {m_retryOn, m_schedule})
        connect(edit, &QLineEdit::textChanged, this, [this] {
            refresh();
            emit changed();
        });
    connect(m_resume, &QPushButton::clicked, this, &DeliveryPolicySection::resumeRequested);
    m_tick.setInterval(1000);
    connect(&m_tick, &QTimer::timeout, this, &DeliveryPolicySection::updatePausedState);
}

void DeliveryPolicySection::load(const Webhook &hook)
{
    m_loaded = hook;
    const QSignalBlocker a(m_rate), b(m_ratePer), c(m_maxInFlight), d(m_retryOn), e(m_schedule);
    m_rate->setValue(hook.rateLimit.count);
    m_ratePer->setCurrentIndex(hook.rateLimit.periodSeconds == 60 ? 1 : 0);
    m_maxInFlight->setValue(hook.maxInFlight);
    m_retryOn->setText(hook.retryOn);
    m_schedule->setText(RetryPolicy::formatSchedule(hook.retrySchedule));
    refresh();
    updatePausedState();
}

QString DeliveryPolicySection::apply(Webhook *hook) const
{
    hook->rateLimit.count = m_rate->value();
    hook->rateLimit.periodSeconds = m_ratePer->currentData().toInt();
    if (hook->rateLimit.count == 0)
        hook->rateLimit = RateLimit();
    hook->maxInFlight = m_maxInFlight->value();
    hook->retryOn = m_retryOn->text().trimmed();
    QString error;
    if (const std::optional<RetryOn> on = RetryOn::parse(hook->retryOn, &error))
        hook->retryOn = on->key() == RetryOn::defaultKey() ? QString() : on->key();
    const QString text = m_schedule->text().trimmed();
    const QList<qint64> schedule = RetryPolicy::parseSchedule(text);
    if (!text.isEmpty() && schedule.isEmpty()) {
        hook->retrySchedule = {-1}; // the validator refuses it
        return tr("Write the seconds before each attempt, like 0,10,60 (each at most a week).");
    }
    hook->retrySchedule = schedule;
    return error;
}

QString DeliveryPolicySection::durationText(qint64 seconds)
{
    if (seconds < 60)
        return tr("%1 s").arg(seconds);
    if (seconds < 3600)
        return seconds % 60 ? tr("%1 min %2 s").arg(seconds / 60).arg(seconds % 60)
                            : tr("%1 min").arg(seconds / 60);
    if (seconds < 86400)
        return (seconds % 3600) / 60
                   ? tr("%1 h %2 min").arg(seconds / 3600).arg((seconds % 3600) / 60)
                   : tr("%1 h").arg(seconds / 3600);
    return tr("%1 d %2 h").arg(seconds / 86400).arg((seconds % 86400) / 3600);
}

QString DeliveryPolicySection::describeSchedule(const QList<qint64> &delays)
{
    if (delays.isEmpty())
        return tr("One attempt, no retries.");
    QStringList steps;
    qint64 total = 0;
    for (const qint64 delay : delays) {
        steps.append(durationText(delay));
        total += delay;
    }
    //: %1 lists the waits, e.g. "5 s, 5 min, 30 min"; %2 is their sum, e.g. "35 min"
    return tr("Retries after %1; the last comes %2 after the first attempt.")
        .arg(steps.join(QStringLiteral(", ")), durationText(total));
}

void DeliveryPolicySection::refresh()
{
    Webhook hook = m_currentHook ? m_currentHook() : m_loaded;
    const QString problem = apply(&hook);
    const QString invalid =
        problem.isEmpty() ? WebhookValidator::checkRetrySchedule(hook.retrySchedule) : problem;
    m_error->setText(invalid);
    m_error->setVisible(!invalid.isEmpty());
    if (!invalid.isEmpty()) {
        m_effective->clear();
        return;
    }
    // Without a schedule of its own the hook follows the file's (or the default).
    const RetryPolicy policy = hook.retrySchedule.isEmpty() ? RetryPolicy::fromEnvironment()
                                                            : RetryPolicy(hook.retrySchedule, 0.0);
    m_effective->setText(describeSchedule(policy.effectiveSchedule(hook.maxAttempts)) +
                         (hook.retrySchedule.isEmpty() ? tr(" (the default schedule, ±10 % jitter, "
                                                            "unless the file sets one)")
                                                       : QString()));
}

void DeliveryPolicySection::updatePausedState()
{
    const Webhook &hook = m_loaded;
    m_resume->setVisible(hook.isPaused());
    if (!hook.isPaused()) {
        m_tick.stop();
        m_paused->setText(
            hook.lastError.isEmpty()
                ? tr("Not paused: deliveries go out as usual.")
                : tr("Not paused: deliveries go out as usual. Last error: %1").arg(hook.lastError));
        return;
    }
    m_tick.start();
    const qint64 seconds = QDateTime::currentDateTimeUtc().secsTo(hook.nextProbeAt);
    const QString probe = seconds > 0 ? tr("Next probe in %1.").arg(durationText(seconds))
                                      : tr("A probe is due now.");
    m_paused->setText(
        tr("Paused since %1: %2\n%3\nLast error: %4")
            .arg(QLocale().toString(hook.pausedAt.toLocalTime(), QLocale::ShortFormat),
                 hook.pauseReason, probe, hook.lastError));
}
