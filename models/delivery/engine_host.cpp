#include "engine_host.h"

#include "delivery_worker.h"
#include "listener/listener_worker.h"

EngineHost::EngineHost(const QString &databasePath, QObject *parent)
    : QObject(parent)
    , m_databasePath(databasePath)
{
    qRegisterMetaType<AttemptOutcome>();
    qRegisterMetaType<AttemptTrigger>();
    qRegisterMetaType<QList<FinishedAttemptNote>>();
    m_thread.setObjectName(QStringLiteral("delivery"));
    m_listenerThread.setObjectName(QStringLiteral("listener"));
}

EngineHost::~EngineHost()
{
    stop();
}

void EngineHost::start()
{
    if (m_thread.isRunning())
        return;
    m_worker = new DeliveryWorker(m_databasePath, StopGraceMs);
    m_worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::started, m_worker, &DeliveryWorker::begin);
    connect(&m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    connect(this, &EngineHost::wakeRequested, m_worker, &DeliveryWorker::wake);
    // One queued signal per batch of results, not per attempt.
    connect(m_worker, &DeliveryWorker::attemptsFinished, this,
            [this](const QList<FinishedAttemptNote> &notes) {
                emit attemptsFinished(notes);
                for (const FinishedAttemptNote &n : notes)
                    emit attemptFinished(n.attemptId, n.deliveryId, n.outcome, n.summary);
            });
    connect(m_worker, &DeliveryWorker::attemptsRecorded, this, &EngineHost::attemptsRecorded);
    connect(m_worker, &DeliveryWorker::failed, this, &EngineHost::failed);
    connect(m_worker, &DeliveryWorker::pruned, this, &EngineHost::pruned);
    connect(m_worker, &DeliveryWorker::finished, this, &EngineHost::stopped);
    m_thread.start();
}

void EngineHost::stop()
{
    stopListener();
    if (!m_thread.isRunning())
        return;
    QMetaObject::invokeMethod(m_worker, &DeliveryWorker::finish, Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
    m_worker = nullptr;
}

void EngineHost::requestStop()
{
    stopListener();
    if (!m_thread.isRunning()) {
        emit stopped();
        return;
    }
    QMetaObject::invokeMethod(m_worker, &DeliveryWorker::finish, Qt::QueuedConnection);
}

void EngineHost::hurry()
{
    if (m_worker)
        QMetaObject::invokeMethod(m_worker, &DeliveryWorker::hurry, Qt::QueuedConnection);
}

void EngineHost::wake()
{
    emit wakeRequested();
}

QString EngineHost::startListener(const ListenerConfig &config, QString *error, bool paused)
{
    stopListener();
    m_listener = new ListenerWorker(m_databasePath, config);
    m_listener->moveToThread(&m_listenerThread);
    connect(&m_listenerThread, &QThread::finished, m_listener, &QObject::deleteLater);
    connect(m_listener, &ListenerWorker::eventsAccepted, this, &EngineHost::eventsAccepted);
    connect(m_listener, &ListenerWorker::eventsAccepted, this, &EngineHost::wake);
    m_listenerThread.start();
    QString failure;
    QString url;
    ListenerWorker *worker = m_listener;
    const ListenerHandler inbox = m_inbox;
    QMetaObject::invokeMethod(
        worker,
        [worker, inbox, paused, &failure, &url] {
            if (inbox)
                worker->setInboxHandler(inbox);
            failure = worker->begin(paused);
            url = worker->url();
        },
        Qt::BlockingQueuedConnection);
    if (!failure.isEmpty()) {
        stopListener();
        if (error)
            *error = failure;
        return {};
    }
    m_listenerUrl = url;
    emit listenerChanged(url);
    return url;
}

QString EngineHost::applyListenerSettings(const ListenerSettings &settings)
{
    stopListener();
    if (!settings.enabled)
        return {};
    if (const QString e = ListenerSettingsStore::check(settings); !e.isEmpty())
        return e;
    ListenerConfig config;
    config.address = QHostAddress(settings.address);
    config.port = settings.port;
    config.bodyLimit = settings.bodyLimit;
    QString error;
    startListener(config, &error);
    return error;
}

void EngineHost::acceptRequests()
{
    if (m_listener)
        QMetaObject::invokeMethod(m_listener, &ListenerWorker::resume, Qt::QueuedConnection);
}

void EngineHost::stopListener()
{
    if (!m_listenerThread.isRunning())
        return;
    QMetaObject::invokeMethod(m_listener, &ListenerWorker::finish, Qt::BlockingQueuedConnection);
    m_listenerThread.quit();
    m_listenerThread.wait();
    m_listener = nullptr;
    m_listenerUrl.clear();
    emit listenerChanged({});
}

void EngineHost::setInboxHandler(ListenerHandler handler)
{
    m_inbox = handler;
    if (m_listener) {
        ListenerWorker *worker = m_listener;
        QMetaObject::invokeMethod(
            worker, [worker, handler] { worker->setInboxHandler(handler); }, Qt::QueuedConnection);
    }
}
