#pragma once

#include "domain/attempt.h"

#include <QObject>
#include <QThread>

class DeliveryWorker;

// Runs the dispatcher on a thread of its own, with its own connection to the
// database and its own QNetworkAccessManager, so the GUI thread never waits
// on the network or on a write that waits for another process's lock.
class DeliveryService final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DeliveryService)

public:
    explicit DeliveryService(const QString &databasePath, QObject *parent = nullptr);
    ~DeliveryService() override;

    void start();
    // Lets what is in flight finish (up to a few seconds) and ends the thread.
    void stop();
    bool isRunning() const { return m_thread.isRunning(); }

public slots:
    // Something was stored that may be due now (a test send, a redelivery).
    void wake();

signals:
    void attemptFinished(qint64 attemptId, qint64 deliveryId, AttemptOutcome outcome,
                         const QString &summary);
    void attemptsRecorded();
    void failed(const QString &message);

    void wakeRequested(); // to the worker

private:
    QString m_databasePath;
    QThread m_thread;
    DeliveryWorker *m_worker = nullptr;
};
