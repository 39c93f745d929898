#include "delivery_worker.h"

#include "delivery_store.h"
#include "dispatcher.h"
#include "store/database.h"
#include "store/sql_dialect.h"

#include <QEventLoop>
#include <QNetworkAccessManager>

namespace {
constexpr int PruneIntervalMs = 60 * 60 * 1000;
} // namespace

DeliveryWorker::DeliveryWorker(const QString &databasePath, int stopGraceMs)
    : m_databasePath(databasePath)
    , m_stopGraceMs(stopGraceMs)
    , m_pruneTimer(this) // a child moves to the worker thread with us
{
}

DeliveryWorker::~DeliveryWorker() = default;

void DeliveryWorker::begin()
{
    m_database = std::make_unique<Database>();
    if (const auto error = m_database->open(m_databasePath)) {
        emit failed(error->message);
        return;
    }
    m_store = std::make_unique<DeliveryStore>(m_database.get());
    m_network = std::make_unique<QNetworkAccessManager>();
    m_dispatcher = std::make_unique<Dispatcher>(m_store.get(), m_network.get());
    connect(m_dispatcher.get(), &Dispatcher::attemptsFinished, this,
            &DeliveryWorker::attemptsFinished);
    connect(m_dispatcher.get(), &Dispatcher::attemptsRecorded, this,
            &DeliveryWorker::attemptsRecorded);
    connect(m_dispatcher.get(), &Dispatcher::storageFailed, this, [this](const QString &message) {
        // A server connection lost moments ago explains it, and the
        // connection comes back on its own: the outage is told once
        // (SqlDialect::reconnect), not once more per statement it broke.
        if (m_database->isServer() && SqlDialect::inOutage())
            return;
        emit failed(message);
    });
    m_pruneTimer.setInterval(PruneIntervalMs);
    connect(&m_pruneTimer, &QTimer::timeout, this, &DeliveryWorker::prune);
    m_pruneTimer.start();
    prune();
    m_dispatcher->start();
}

void DeliveryWorker::wake()
{
    if (m_dispatcher)
        m_dispatcher->wake();
}

void DeliveryWorker::prune()
{
    const QDateTime cutoff = QDateTime::currentDateTimeUtc().addDays(-m_store->retentionDays());
    Result<int> removed = m_store->pruneAttempts(cutoff);
    if (!removed)
        emit failed(removed.error().message);
    else if (removed.value() > 0)
        emit pruned(removed.value(), m_store->retentionDays());
}

void DeliveryWorker::finish()
{
    m_pruneTimer.stop();
    if (m_dispatcher) {
        m_dispatcher->stop();
        // What is in flight may finish and be recorded; the rest resumes later.
        if (m_dispatcher->inFlight() > 0) {
            QEventLoop loop;
            m_stopLoop = &loop;
            connect(m_dispatcher.get(), &Dispatcher::idle, &loop, &QEventLoop::quit);
            QTimer::singleShot(m_stopGraceMs, &loop, &QEventLoop::quit);
            loop.exec();
            m_stopLoop = nullptr;
        }
    }
    const bool wasRunning = m_dispatcher != nullptr || m_database != nullptr;
    m_dispatcher.reset();
    m_network.reset();
    m_store.reset();
    m_database.reset();
    if (wasRunning)
        emit finished();
}

void DeliveryWorker::hurry()
{
    if (m_stopLoop)
        m_stopLoop->quit();
}
