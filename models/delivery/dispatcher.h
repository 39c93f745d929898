#pragma once

#include "circuit_breaker.h"
#include "delivery_store.h"
#include "delivery_trace.h"
#include "retry_policy.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QPointer>
#include <QQueue>
#include <QSet>
#include <QTimer>
#include <memory>

class AttemptRecorder;
class QNetworkAccessManager;
class QNetworkReply;

// One finished attempt, as serve prints it and the window hears of it:
// enough to name it without reading it back.
struct FinishedAttemptNote
{
    qint64 attemptId = 0;
    qint64 deliveryId = 0;
    qint64 webhookId = 0;
    QString action;
    int number = 0;
    int maxAttempts = 0;
    AttemptOutcome outcome = AttemptOutcome::Pending;
    QString summary;
};

// Sends pending attempts through one QNetworkAccessManager, never blocking the
// event loop: claims due attempts from the store, caps concurrency globally
// and per host, records every result in batched transactions, and schedules
// retries by the policy. In scheduled mode the claims and the recording run
// on an AttemptRecorder thread, so this thread only does the network work.
class Dispatcher final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(Dispatcher)

public:
    struct Limits
    {
        int global = 64;
        int perHost = 6; // what QNetworkAccessManager opens per HTTP/1.1 host
        // HTTP/2 (prior knowledge) multiplexes one connection; receivers
        // usually allow 100 streams on it.
        int perHttp2Host = 64;
    };

    Dispatcher(DeliveryStore *store, QNetworkAccessManager *network, QObject *parent = nullptr);
    ~Dispatcher() override;

    void setLimits(Limits limits) { m_limits = limits; }
    // Overrides the schedule stored in the file (and WEBHOOK_RETRY_SCHEDULE).
    void setRetryPolicy(const RetryPolicy &policy)
    {
        m_policy = policy;
        m_policyGiven = true;
    }
    // When a paused hook is probed; WEBHOOK_PROBE_INTERVAL or the default otherwise.
    void setCircuitBreaker(const CircuitBreaker &breaker);
    QString owner() const { return m_owner; }

    // Scheduled mode: resumes what a dead process left, then sends whatever is
    // due, now and whenever it becomes due, until stop().
    void start();
    // Finishes what is in flight, records it, and releases the rest.
    void stop();
    bool isRunning() const { return m_running; }

    // One-shot mode (the CLI's emit and test): sends exactly these attempts.
    void send(const QList<qint64> &attemptIds);
    // Of those given to send(), the ones left pending: a paused hook's wait
    // for its probe, or a rate-limited hook's later turn.
    const QList<qint64> &heldBack() const { return m_heldBack; }

    int inFlight() const { return int(m_inFlight.size()); }
    bool isIdle() const;

public slots:
    // Something was stored that may be due now.
    void wake();

signals:
    void attemptFinished(qint64 attemptId, qint64 deliveryId, AttemptOutcome outcome,
                         const QString &summary);
    void attemptsRecorded();
    // The attempts finished since the last batch, in order: one signal per
    // batch of results (at most FlushIntervalMs apart), so a listener on
    // another thread is woken once per batch, not once per attempt.
    void attemptsFinished(const QList<FinishedAttemptNote> &notes);
    void idle();
    void storageFailed(const QString &message);

private:
    struct Flight
    {
        ClaimedAttempt claim;
        QNetworkReply *reply = nullptr;
        QTimer *timeout = nullptr;
        QElapsedTimer clock;
        DeliveryTrace trace;
        HeaderList requestHeaders;
        QByteArray body; // first 64 KiB
        qint64 bodyBytes = 0;
        QString hostKey;
    };

    // A claimed attempt waiting for a free slot, with its host worked out once.
    struct Queued
    {
        ClaimedAttempt claim;
        QString hostKey;
        int hostCap = 0;
        int hookCap = 0; // the hook's max in flight
    };

    void pump();
    void enqueue(const QList<ClaimedAttempt> &claimed);
    void startQueued();
    void startAttempt(ClaimedAttempt claimed, const QString &key);
    // Whether the hook's rate limit lets this attempt leave now; takes the token if so.
    // 0 when the attempt may go now by its hook's rate limit; else when the
    // hook may send next (ms since the epoch).
    qint64 rateWait(const ClaimedAttempt &claim, qint64 nowMs, QHash<qint64, qint64> *nextFree);
    // One of the host's attempts left m_queue.
    void unqueued(const QString &hostKey);
    int hostCap(const Webhook &hook) const;
    void finishAttempt(QNetworkReply *reply);
    void flushResults();
    void ensureRecorder();
    void requestClaims(int free);
    void claimsArrived(const Result<QList<ClaimedAttempt>> &claimed, int requested);
    void resultsRecorded(int count, const QList<qint64> &pausedHooks);
    // The circuit breaker, ahead of the store: a hook whose failed deliveries
    // may have reached the threshold sends nothing scheduled until the
    // recorder has said whether it paused the hook.
    void noteHealth(const ClaimedAttempt &claim, bool success);
    bool awaitsVerdict(const ClaimedAttempt &claim) const;
    // The hook was paused: what is queued for it waits for its probe.
    void holdBack(qint64 hookId);
    void scheduleWakeUp();
    QDateTime leaseUntil() const;
    void renewLeases();
    static QString hostKey(const QUrl &url);

    DeliveryStore *m_store;
    QNetworkAccessManager *m_network;
    // WEBHOOK_NETWORK_MANAGERS > 1: more managers, each with its own HTTP
    // thread, taking turns; made on first use, on this object's thread.
    QNetworkAccessManager *nextNetwork();
    QList<QNetworkAccessManager *> m_networks;
    int m_networkCount = 1;
    qsizetype m_nextNetwork = 0;
    RetryPolicy m_policy;
    Limits m_limits;
    QString m_owner;
    bool m_policyGiven = false;
    bool m_running = false;
    bool m_pumping = false;
    QList<Queued> m_queue;               // in claim order
    QHash<QString, int> m_queuedPerHost; // how many of m_queue each host has
    QList<qint64> m_heldBack;
    QList<FinishedAttemptNote> m_notes; // finished since the last batch
    QHash<QNetworkReply *, Flight> m_inFlight;
    QHash<QString, int> m_perHost;
    QHash<qint64, int> m_perHook; // in flight per hook
    CircuitBreaker m_breaker = CircuitBreaker::fromEnvironment();
    QList<AttemptResult> m_results;
    std::unique_ptr<AttemptRecorder> m_recorder;
    int m_unrecorded = 0;    // handed to the recorder, not yet committed
    qint64 m_handedOver = 0; // results given to be recorded, ever
    qint64 m_committed = 0;  // of those, recorded
    int m_failureThreshold = 0;
    QHash<qint64, QSet<qint64>> m_failing; // hook -> deliveries failed here since a success
    QHash<qint64, qint64> m_verdictAt;     // hook -> m_committed that settles it
    bool m_claiming = false;               // a claim is with the recorder
    int m_claimRequested = 0;
    QTimer m_flushTimer;
    QTimer m_wakeTimer;
    QTimer m_pollTimer;
    QTimer m_renewTimer;
    bool m_watchingChanges = false;
    qint64 m_lastDataVersion = -1;
};
