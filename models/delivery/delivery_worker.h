#pragma once

#include "dispatcher.h"
#include "domain/attempt.h"

#include <QObject>
#include <QTimer>
#include <memory>

class Database;
class DeliveryStore;
class Dispatcher;
class QEventLoop;
class QNetworkAccessManager;

// The objects EngineHost runs on its thread; created there, so the
// database connection and the network manager belong to that thread.
class DeliveryWorker final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DeliveryWorker)

public:
    DeliveryWorker(const QString &databasePath, int stopGraceMs);
    ~DeliveryWorker() override;

public slots:
    void begin();
    void wake();
    // Lets what is in flight finish (up to the grace period), then emits finished().
    void finish();
    // Stops waiting for what is in flight.
    void hurry();

signals:
    void attemptsFinished(const QList<FinishedAttemptNote> &notes);
    void attemptsRecorded();
    void failed(const QString &message);
    void finished();
    void pruned(int removed, int retentionDays);

private:
    void prune();

    QString m_databasePath;
    int m_stopGraceMs;
    QEventLoop *m_stopLoop = nullptr;
    std::unique_ptr<Database> m_database;
    std::unique_ptr<DeliveryStore> m_store;
    std::unique_ptr<QNetworkAccessManager> m_network;
    std::unique_ptr<Dispatcher> m_dispatcher;
    QTimer m_pruneTimer;
};
