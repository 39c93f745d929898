#pragma once

#include "domain/attempt.h"

#include <QObject>
#include <QTimer>
#include <memory>

class Database;
class DeliveryStore;
class Dispatcher;
class QNetworkAccessManager;

// The objects DeliveryService runs on its thread; created there, so the
// database connection and the network manager belong to that thread.
class DeliveryWorker final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DeliveryWorker)

public:
    explicit DeliveryWorker(const QString &databasePath);
    ~DeliveryWorker() override;

public slots:
    void begin();
    void wake();
    void finish();

signals:
    void attemptFinished(qint64 attemptId, qint64 deliveryId, AttemptOutcome outcome,
                         const QString &summary);
    void attemptsRecorded();
    void failed(const QString &message);

private:
    void prune();

    QString m_databasePath;
    std::unique_ptr<Database> m_database;
    std::unique_ptr<DeliveryStore> m_store;
    std::unique_ptr<QNetworkAccessManager> m_network;
    std::unique_ptr<Dispatcher> m_dispatcher;
    QTimer m_pruneTimer;
};
