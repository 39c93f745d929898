#include "server_watch.h"

#include "database.h"
#include "storage_error.h"

#include <QThread>
#include <algorithm>
#include <memory>

ServerWatch::ServerWatch(QObject *parent)
    : QObject(parent)
{
    m_checkTimer.setInterval(CheckIntervalMs);
    connect(&m_checkTimer, &QTimer::timeout, this, &ServerWatch::check);
    m_retryTimer.setSingleShot(true);
    connect(&m_retryTimer, &QTimer::timeout, this, &ServerWatch::startTry);
}

ServerWatch::~ServerWatch()
{
    // The worker holds nothing of ours, but must not outlive the application.
    if (m_worker)
        m_worker->wait();
}

void ServerWatch::waitFor(const QString &location)
{
    m_location = location;
    m_database = nullptr;
    m_checkTimer.stop();
    m_backoffMs = 0;
    startTry();
}

void ServerWatch::watch(Database *database)
{
    m_database = database;
    m_lost = false;
    m_backoffMs = 0;
    m_retryTimer.stop();
    if (!database || !database->isServer()) {
        m_checkTimer.stop();
        return;
    }
    m_location = database->path();
    m_checkTimer.start();
}

void ServerWatch::tryNow()
{
    if (isTrying())
        return;
    if (m_database && !m_lost) {
        check();
        return;
    }
    m_retryTimer.stop();
    startTry();
}

void ServerWatch::stop()
{
    ++m_try;
    m_database = nullptr;
    m_lost = false;
    m_checkTimer.stop();
    m_retryTimer.stop();
}

bool ServerWatch::isTrying() const
{
    return m_worker && m_worker->isRunning();
}

int ServerWatch::retryInMs() const
{
    return m_retryTimer.isActive() ? m_retryTimer.remainingTime() : 0;
}

void ServerWatch::check()
{
    if (m_lost || !m_database)
        return;
    const QString problem = m_database->connectionProblem();
    if (problem.isEmpty())
        return;
    m_lost = true;
    m_checkTimer.stop();
    emit lost(problem);
    startTry();
}

void ServerWatch::startTry()
{
    if (isTrying())
        return;
    const QString location = m_location;
    struct Outcome
    {
        bool ok = false;
        StorageError::Kind kind = StorageError::Kind::CannotOpen;
        QString message;
    };
    auto outcome = std::make_shared<Outcome>();
    // A connection of its own, on a thread of its own: an unreachable host
    // takes libpq's connect timeout, which the window must not wait out.
    m_worker = QThread::create([location, outcome] {
        Database database;
        if (const std::optional<StorageError> error = database.open(location)) {
            outcome->message = error->message;
            outcome->kind = error->kind;
            return;
        }
        outcome->ok = true;
    });
    const int attempt = ++m_try;
    connect(m_worker, &QThread::finished, m_worker, &QObject::deleteLater);
    connect(m_worker, &QThread::finished, this, [this, attempt, outcome] {
        if (attempt == m_try)
            finishTry(outcome->ok, outcome->kind, outcome->message);
    });
    m_worker->start();
}

void ServerWatch::finishTry(bool ok, StorageError::Kind kind, const QString &message)
{
    if (!ok && kind == StorageError::Kind::AccessDenied) {
        m_retryTimer.stop();
        m_backoffMs = 0;
        emit denied(message);
        return;
    }
    if (!ok && kind != StorageError::Kind::CannotOpen) {
        m_retryTimer.stop();
        emit refused(message);
        return;
    }
    if (!ok) {
        scheduleRetry(message);
        return;
    }
    if (!m_database) {
        m_backoffMs = 0;
        emit available();
        return;
    }
    // The server answers another connection: open ours again, here, where
    // it lives (a quick connect now), unless something else already has.
    if (!m_database->connectionProblem().isEmpty()) {
        if (const std::optional<StorageError> error = m_database->reconnect()) {
            if (error->kind == StorageError::Kind::AccessDenied) {
                emit denied(error->message);
                return;
            }
            scheduleRetry(error->message);
            return;
        }
    }
    m_backoffMs = 0;
    m_lost = false;
    m_checkTimer.start();
    emit restored();
}

void ServerWatch::scheduleRetry(const QString &reason)
{
    m_backoffMs = m_backoffMs == 0 ? FirstRetryMs : std::min(m_backoffMs * 2, MaxRetryMs);
    m_retryTimer.start(m_backoffMs);
    emit unavailable(reason, m_backoffMs);
}
