#include "delivery_service.h"

#include "delivery_worker.h"

DeliveryService::DeliveryService(const QString &databasePath, QObject *parent)
    : QObject(parent)
    , m_databasePath(databasePath)
{
    qRegisterMetaType<AttemptOutcome>();
    qRegisterMetaType<AttemptTrigger>();
    m_thread.setObjectName(QStringLiteral("delivery"));
}

DeliveryService::~DeliveryService()
{
    stop();
}

void DeliveryService::start()
{
    if (m_thread.isRunning())
        return;
    m_worker = new DeliveryWorker(m_databasePath);
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::started, m_worker, &DeliveryWorker::begin);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    connect(this, &DeliveryService::wakeRequested, m_worker, &DeliveryWorker::wake);
    connect(m_worker, &DeliveryWorker::attemptFinished, this, &DeliveryService::attemptFinished);
    connect(m_worker, &DeliveryWorker::attemptsRecorded, this, &DeliveryService::attemptsRecorded);
    connect(m_worker, &DeliveryWorker::failed, this, &DeliveryService::failed);
    m_thread.start();
}

void DeliveryService::stop()
{
    if (!m_thread.isRunning())
        return;
    QMetaObject::invokeMethod(m_worker, &DeliveryWorker::finish, Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
    m_worker = nullptr;
}

void DeliveryService::wake()
{
    emit wakeRequested();
}
