#pragma once

#include "dispatcher.h"
#include "domain/attempt.h"
#include "listener/http_listener.h"
#include "store/listener_settings_store.h"

#include <QObject>
#include <QThread>

class DeliveryWorker;
class ListenerWorker;

// The one engine host, for `serve` and the window alike: the dispatcher and
// the pruning of old attempts on a thread of their own, and optionally the
// HTTP listener on another, each with its own database connection, so the
// GUI thread never waits on the network, on a request, or on a write that
// waits for another process's lock.
class EngineHost final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EngineHost)

public:
    // How long in-flight attempts may take to finish once asked to stop.
    static constexpr int StopGraceMs = 5000;

    explicit EngineHost(const QString &databasePath, QObject *parent = nullptr);
    ~EngineHost() override;

    void start();
    // Stops the listener, lets what is in flight finish (up to StopGraceMs)
    // and ends the threads. Blocks.
    void stop();
    // The same without blocking: stopped() follows. hurry() then stops
    // waiting for what is in flight.
    void requestStop();
    void hurry();
    bool isRunning() const { return m_thread.isRunning(); }

    // Runs the listener on its own thread; blocks until it is bound. Returns
    // its URL, or empty with *error set. With `paused` it accepts nothing
    // until acceptRequests(), so the caller can announce the address first.
    QString startListener(const ListenerConfig &config, QString *error, bool paused = false);
    void acceptRequests();
    // The window's way: runs the listener as the stored settings say (or
    // stops it). Returns why it cannot run, or empty.
    QString applyListenerSettings(const ListenerSettings &settings);
    void stopListener();
    QString listenerUrl() const { return m_listenerUrl; }
    // POST /inbox/NAME goes to this handler; it runs on the listener's
    // thread. Set it before or after startListener().
    void setInboxHandler(ListenerHandler handler);

public slots:
    // Something was stored that may be due now (a test send, a redelivery).
    void wake();

signals:
    void attemptFinished(qint64 attemptId, qint64 deliveryId, AttemptOutcome outcome,
                         const QString &summary);
    // The same, a batch at a time (what finished within about 20 ms).
    void attemptsFinished(const QList<FinishedAttemptNote> &notes);
    void attemptsRecorded();
    void failed(const QString &message);
    // Attempts older than the retention period were removed.
    void pruned(int removed, int retentionDays);
    // The listener stored events (at most one signal per batch).
    void eventsAccepted();
    void stopped();
    // The listener runs at this URL now; empty: it stopped.
    void listenerChanged(const QString &url);

    void wakeRequested(); // to the worker

private:
    QString m_databasePath;
    QThread m_thread;
    DeliveryWorker *m_worker = nullptr;
    QThread m_listenerThread;
    ListenerWorker *m_listener = nullptr;
    QString m_listenerUrl;
    ListenerHandler m_inbox;
};
