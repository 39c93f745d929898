#pragma once

#include "domain/webhook.h"

#include <QGroupBox>
#include <QTimer>
#include <functional>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

// The editor's Pace and retries section: rate limit, max in flight, which
// failures are retried and on what schedule (with the effective schedule and
// the time it spans), and the circuit breaker's state with Resume now.
class DeliveryPolicySection final : public QGroupBox
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DeliveryPolicySection)

public:
    // `currentHook` is the form as it is now (for max attempts).
    explicit DeliveryPolicySection(std::function<Webhook()> currentHook, QWidget *parent = nullptr);

    void load(const Webhook &hook);
    // Writes the section's fields into `hook`; returns what is wrong, or empty.
    QString apply(Webhook *hook) const;
    // "0 s, 10 s, 1 min, … (spans 1 h 11 min)"
    static QString describeSchedule(const QList<qint64> &delays);
    static QString durationText(qint64 seconds);

signals:
    void changed();
    void resumeRequested();

public slots:
    // Refreshes the effective schedule (max attempts may have changed).
    void refresh();

private:
    void updatePausedState();

    std::function<Webhook()> m_currentHook;
    Webhook m_loaded;
    QSpinBox *m_rate = nullptr;
    QComboBox *m_ratePer = nullptr;
    QSpinBox *m_maxInFlight = nullptr;
    QLineEdit *m_retryOn = nullptr;
    QLineEdit *m_schedule = nullptr;
    QLabel *m_effective = nullptr;
    QLabel *m_error = nullptr;
    QLabel *m_paused = nullptr;
    QPushButton *m_resume = nullptr;
    QTimer m_tick;
};
