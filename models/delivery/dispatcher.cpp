#include "dispatcher.h"

#include "attempt_recorder.h"
#include "domain/secret_mask.h"
#include "signature.h"

#include <QHostInfo>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QSet>
#include <QSslError>
#include <QThread>
#include <QUuid>
#include <algorithm>
#include <climits>
#include <cmath>

namespace {

constexpr int FlushIntervalMs = 20;
constexpr int FlushBatch = 200;
constexpr int PollIntervalMs = 250;
// Slots are refilled in batches of at least this share of the global cap
// (or when the queue runs dry): a claim transaction per finished attempt
// cost as much as recording it.
constexpr int ClaimBatchDivisor = 2;
// A claim runs out this long after it was last renewed, and it is renewed
// while the attempt is held (RenewIntervalMs): another dispatcher takes over
// what a dead one held within LeaseMs. On this machine a dead process's
// claims are released at once (see releaseStaleLeases).
constexpr qint64 LeaseMs = 30 * 1000;
constexpr int RenewIntervalMs = 10 * 1000;
// WEBHOOK_NETWORK_MANAGERS is capped here.
constexpr int MaxNetworkManagers = 8;
// Without it: one per core, at most this many.
constexpr int DefaultNetworkManagers = 2;
// After a storage error, the next look at what is due.
constexpr int RetryAfterStorageErrorMs = 1000;

QString userAgent()
{
    return QStringLiteral("WebhookAdmin/") + QStringLiteral(WEBHOOK_ADMIN_VERSION);
}

} // namespace

Dispatcher::Dispatcher(DeliveryStore *store, QNetworkAccessManager *network, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_network(network)
    , m_policy(RetryPolicy::fromEnvironment())
    , m_owner(QHostInfo::localHostName() + QLatin1Char(':') +
              QString::number(QCoreApplication::applicationPid()) + QLatin1Char(':') +
              QUuid::createUuid().toString(QUuid::Id128).left(8))
{
    // One manager's HTTP thread is the busiest thread of a drain (Qt 6.4
    // reads headers a byte per system call); two, taking turns, did 1.1-1.4 x
    // one in `serve` and the window (bench_user, U2 and U4). So one per core,
    // up to the two that were measured. Requests sent side by side then
    // arrive in either order; one hook's ordered deliveries still go one
    // after the other.
    bool given = false;
    const int managers = qEnvironmentVariableIntValue("WEBHOOK_NETWORK_MANAGERS", &given);
    m_networkCount = given ? std::clamp(managers, 1, MaxNetworkManagers)
                           : std::clamp(QThread::idealThreadCount(), 1, DefaultNetworkManagers);
    m_flushTimer.setSingleShot(true);
    m_flushTimer.setInterval(FlushIntervalMs);
    connect(&m_flushTimer, &QTimer::timeout, this, &Dispatcher::flushResults);
    m_wakeTimer.setSingleShot(true);
    connect(&m_wakeTimer, &QTimer::timeout, this, &Dispatcher::pump);
    m_renewTimer.setInterval(RenewIntervalMs);
    connect(&m_renewTimer, &QTimer::timeout, this, &Dispatcher::renewLeases);
    m_pollTimer.setInterval(PollIntervalMs);
    connect(&m_pollTimer, &QTimer::timeout, this, [this] {
        // Another process (a CLI emit --queue) may have stored work.
        const qint64 version = m_store->dataVersion();
        if (version != m_lastDataVersion) {
            m_lastDataVersion = version;
            pump();
        }
    });
}

Dispatcher::~Dispatcher()
{
    for (auto it = m_inFlight.begin(); it != m_inFlight.end(); ++it) {
        it->reply->disconnect(this);
        it->reply->abort();
        it->reply->deleteLater();
    }
    m_inFlight.clear();
    flushResults();
    m_recorder.reset(); // records what it was given, including the flush above
    if (!m_owner.isEmpty())
        (void)m_store->releaseLeases(m_owner);
}

void Dispatcher::setCircuitBreaker(const CircuitBreaker &breaker)
{
    m_breaker = breaker;
    m_store->setCircuitBreaker(breaker);
    if (m_recorder)
        m_recorder->setCircuitBreaker(breaker);
}

void Dispatcher::start()
{
    if (!m_policyGiven)
        m_policy = RetryPolicy::fromSettings(m_store->retrySchedule());
    m_failureThreshold = m_store->failureThreshold();
    m_running = true;
    ensureRecorder();
    (void)m_store->releaseStaleLeases(QHostInfo::localHostName());
    m_lastDataVersion = m_store->dataVersion();
    m_pollTimer.start();
    m_renewTimer.start();
    // On a server a new event wakes this dispatcher at once, not at the next poll.
    if (!m_watchingChanges) {
        m_watchingChanges = true;
        m_store->onExternalChange(this, [this] {
            m_lastDataVersion = m_store->dataVersion();
            pump();
        });
    }
    QTimer::singleShot(0, this, &Dispatcher::pump);
}

void Dispatcher::stop()
{
    m_running = false;
    m_pollTimer.stop();
    // m_renewTimer keeps running: attempts in flight keep their claim.
    m_wakeTimer.stop();
    // Only what has not left: attempts in flight keep their claim until they
    // are recorded, or another dispatcher could send them a second time.
    QList<qint64> waiting;
    for (const Queued &q : std::as_const(m_queue))
        waiting.append(q.claim.attempt.id);
    m_queue.clear();
    m_queuedPerHost.clear();
    (void)m_store->releaseLeases(m_owner, waiting);
    flushResults();
}

bool Dispatcher::isIdle() const
{
    return m_inFlight.isEmpty() && m_queue.isEmpty() && m_results.isEmpty() && m_unrecorded == 0 &&
           !m_claiming;
}

void Dispatcher::ensureRecorder()
{
    if (m_recorder)
        return;
    // The callbacks run on the recorder's thread; what they report is handled
    // here, in order, on this object's thread.
    AttemptRecorder::Callbacks callbacks;
    callbacks.recorded = [this](int count, const QList<qint64> &paused) {
        QMetaObject::invokeMethod(
            this, [this, count, paused] { resultsRecorded(count, paused); }, Qt::QueuedConnection);
    };
    callbacks.recordFailed = [this](const QString &message) {
        QMetaObject::invokeMethod(
            this, [this, message] { emit storageFailed(message); }, Qt::QueuedConnection);
    };
    callbacks.claimed = [this](const Result<QList<ClaimedAttempt>> &claimed) {
        QMetaObject::invokeMethod(
            this, [this, claimed] { claimsArrived(claimed, m_claimRequested); },
            Qt::QueuedConnection);
    };
    auto recorder = std::make_unique<AttemptRecorder>(m_store->databasePath(), callbacks);
    recorder->setCircuitBreaker(m_breaker);
    m_store->setCircuitBreaker(m_breaker);
    // Without a second connection this thread records as well, as it always could.
    if (!recorder->begin())
        m_recorder = std::move(recorder);
}

void Dispatcher::wake()
{
    if (m_running)
        QTimer::singleShot(0, this, &Dispatcher::pump);
}

QDateTime Dispatcher::leaseUntil() const
{
    return QDateTime::currentDateTimeUtc().addMSecs(LeaseMs);
}

void Dispatcher::renewLeases()
{
    // Also a safety net for wake-ups missed while the database was away (a
    // server restart drops the LISTEN that would have announced new work).
    if (m_running && !m_wakeTimer.isActive())
        QTimer::singleShot(0, this, &Dispatcher::pump);
    // What is out, waiting, or sent but not yet recorded keeps its claim.
    if (m_inFlight.isEmpty() && m_queue.isEmpty() && m_results.isEmpty() && m_unrecorded == 0)
        return;
    Status renewed = m_store->renewLeases(m_owner, leaseUntil());
    if (!renewed && m_store->reconnectIfLost())
        renewed = m_store->renewLeases(m_owner, leaseUntil());
    if (!renewed)
        emit storageFailed(renewed.error().message);
}

void Dispatcher::send(const QList<qint64> &attemptIds)
{
    if (!m_policyGiven)
        m_policy = RetryPolicy::fromSettings(m_store->retrySchedule());
    m_failureThreshold = m_store->failureThreshold();
    ensureRecorder();
    Result<QList<ClaimedAttempt>> claimed = m_store->claim(attemptIds, m_owner, leaseUntil());
    if (!claimed) {
        emit storageFailed(claimed.error().message);
        return;
    }
    // A paused hook's deliveries wait for its probe, even when emit asks now.
    QList<ClaimedAttempt> now;
    QList<qint64> waiting;
    for (const ClaimedAttempt &c : claimed.value()) {
        if (c.hook.isPaused() && c.attempt.trigger == AttemptTrigger::Scheduled)
            waiting.append(c.attempt.id);
        else
            now.append(c);
    }
    if (!waiting.isEmpty())
        (void)m_store->releaseLeases(m_owner, waiting);
    m_heldBack += waiting;
    enqueue(now);
    startQueued();
    if (isIdle())
        emit idle();
}

void Dispatcher::enqueue(const QList<ClaimedAttempt> &claimed)
{
    for (const ClaimedAttempt &c : claimed) {
        m_queue.append({c, hostKey(QUrl(c.hook.url)), hostCap(c.hook),
                        c.hook.maxInFlight > 0 ? c.hook.maxInFlight : INT_MAX});
        m_queuedPerHost[m_queue.last().hostKey] += 1;
    }
}

void Dispatcher::pump()
{
    if (!m_running || m_pumping)
        return;
    m_pumping = true;
    const int free = m_limits.global - int(m_inFlight.size()) - int(m_queue.size());
    // More may be due than there was room for; finishing attempts pump again.
    bool backlog = free <= 0;
    if (m_claiming) {
        backlog = true; // what arrives pumps again
    } else if (m_recorder && free > 0 &&
               (free >= m_limits.global / ClaimBatchDivisor || m_queue.isEmpty())) {
        requestClaims(free);
        backlog = true;
    } else if (free > 0 && (free >= m_limits.global / ClaimBatchDivisor || m_queue.isEmpty())) {
        const QDateTime now = QDateTime::currentDateTimeUtc();
        Result<QList<ClaimedAttempt>> claimed = m_store->claimDue(m_owner, free, now, leaseUntil());
        if (!claimed) {
            emit storageFailed(claimed.error().message);
        } else {
            backlog = claimed.value().size() >= free;
            enqueue(claimed.value());
        }
    } else if (free > 0) {
        backlog = true; // a batch is refilled once enough slots are free
    }
    startQueued();
    m_pumping = false;
    if (!backlog)
        scheduleWakeUp();
}

void Dispatcher::requestClaims(int free)
{
    m_claiming = true;
    m_claimRequested = free;
    m_recorder->claimDue(m_owner, free, leaseUntil());
}

void Dispatcher::claimsArrived(const Result<QList<ClaimedAttempt>> &claimed, int requested)
{
    m_claiming = false;
    if (!claimed) {
        emit storageFailed(claimed.error().message);
        scheduleWakeUp(); // try again when something is due
        if (isIdle())
            emit idle();
        return;
    }
    if (!m_running) {
        // Stopped while the claim was out: give them back at once.
        QList<qint64> ids;
        for (const ClaimedAttempt &c : claimed.value())
            ids.append(c.attempt.id);
        (void)m_store->releaseLeases(m_owner, ids);
        if (isIdle())
            emit idle();
        return;
    }
    enqueue(claimed.value());
    startQueued();
    if (claimed.value().size() >= requested)
        QTimer::singleShot(0, this, &Dispatcher::pump); // more may be due
    else
        scheduleWakeUp();
    if (isIdle())
        emit idle(); // nothing was due: the last claim may be what was outstanding
}

void Dispatcher::resultsRecorded(int count, const QList<qint64> &pausedHooks)
{
    m_unrecorded -= count;
    m_committed += count;
    for (const qint64 hookId : pausedHooks)
        holdBack(hookId);
    bool settled = false;
    for (auto it = m_verdictAt.begin(); it != m_verdictAt.end();) {
        if (it.value() <= m_committed) {
            it = m_verdictAt.erase(it);
            settled = true;
        } else {
            ++it;
        }
    }
    if (settled)
        startQueued();
    emit attemptsRecorded();
    // Retries were just stored: wake when the first is due, not at the next poll.
    if (m_running && !m_claiming)
        scheduleWakeUp();
    if (isIdle())
        emit idle();
}

void Dispatcher::scheduleWakeUp()
{
    if (!m_running)
        return;
    if (int(m_inFlight.size()) + int(m_queue.size()) >= m_limits.global)
        return; // a finishing attempt pumps again
    Result<std::optional<QDateTime>> next = m_store->nextDue();
    if (!next) {
        // The database did not answer (a server restarting): connect again
        // (with backoff) and look again soon.
        m_store->reconnectIfLost();
        m_wakeTimer.start(RetryAfterStorageErrorMs);
        return;
    }
    if (!next.value()) {
        m_wakeTimer.stop();
        return;
    }
    const qint64 delay = QDateTime::currentDateTimeUtc().msecsTo(*next.value());
    // Long waits are capped so a changed clock or a missed poll self-corrects.
    m_wakeTimer.start(int(std::clamp<qint64>(delay, 0, 60 * 1000)));
}

int Dispatcher::hostCap(const Webhook &hook) const
{
    return hook.httpVersion == HttpVersion::Http2 ? m_limits.perHttp2Host : m_limits.perHost;
}

QString Dispatcher::hostKey(const QUrl &url)
{
    return url.scheme() + QStringLiteral("://") + url.host() + QLatin1Char(':') +
           QString::number(url.port(url.scheme() == QLatin1String("https") ? 443 : 80));
}

void Dispatcher::startQueued()
{
    // Keep event order per host: once one attempt for a host must wait, so do
    // the later ones behind it (a host never gets a free slot within a pass).
    // Blocked attempts stay where they are: with one busy host the queue is
    // mostly blocked, and moving it on every finished attempt showed up.
    // A hook's cap on requests in flight holds its later attempts back the
    // same way. One over its rate limit goes back to the store, due when
    // the hook may send again: it waits there without using an attempt,
    // and without holding a slot other hooks could use.
    // Once every host with queued attempts is at its cap, nothing further
    // down can start: the pass ends there (emit queues thousands for one host).
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QList<QPair<qint64, QDateTime>> waiting;
    QHash<qint64, int> waitingPerHook;
    QHash<qint64, qint64> nextFree; // per rate-limited hook found busy in this pass
    QSet<QString> fullHosts;
    qsizetype i = 0;
    while (i < m_queue.size() && int(m_inFlight.size()) < m_limits.global &&
           fullHosts.size() < m_queuedPerHost.size()) {
        const Queued &q = m_queue.at(i);
        const qint64 hookId = q.claim.hook.id;
        if (m_perHost.value(q.hostKey) >= q.hostCap) {
            fullHosts.insert(q.hostKey);
            ++i;
            continue;
        }
        if (m_perHook.value(hookId) >= q.hookCap || awaitsVerdict(q.claim)) {
            ++i;
            continue;
        }
        if (const qint64 free = rateWait(q.claim, now, &nextFree); free > 0) {
            const int ahead = waitingPerHook[hookId]++;
            const qint64 due =
                free + qint64(std::ceil(ahead * q.claim.hook.rateLimit.intervalMs()));
            waiting.append({q.claim.attempt.id, QDateTime::fromMSecsSinceEpoch(due, Qt::UTC)});
            unqueued(q.hostKey);
            m_queue.removeAt(i);
            continue;
        }
        Queued next = m_queue.takeAt(i);
        unqueued(next.hostKey);
        startAttempt(std::move(next.claim), next.hostKey);
    }
    if (!waiting.isEmpty()) {
        if (!m_running) // one-shot: the caller asks which were left
            for (const auto &w : std::as_const(waiting))
                m_heldBack.append(w.first);
        if (const Status deferred = m_store->deferAttempts(m_owner, waiting); !deferred)
            emit storageFailed(deferred.error().message);
        if (m_running)
            scheduleWakeUp();
    }
}

void Dispatcher::unqueued(const QString &hostKey)
{
    auto it = m_queuedPerHost.find(hostKey);
    if (it != m_queuedPerHost.end() && --*it <= 0)
        m_queuedPerHost.erase(it);
}

qint64 Dispatcher::rateWait(const ClaimedAttempt &claim, qint64 nowMs,
                            QHash<qint64, qint64> *nextFree)
{
    // Manual and test sends are the user's "now"; the limit paces the engine.
    if (!claim.hook.rateLimit.isSet() || claim.attempt.trigger != AttemptTrigger::Scheduled)
        return 0;
    const qint64 hookId = claim.hook.id;
    if (const auto it = nextFree->constFind(hookId); it != nextFree->constEnd())
        return *it; // busy already in this pass: no need to ask again
    // The token is in the database, so every dispatcher on it shares the
    // hook's limit (serve beside the window, a team's dispatchers).
    const qint64 interval = qint64(std::ceil(claim.hook.rateLimit.intervalMs()));
    Result<qint64> taken = m_store->takeRateToken(hookId, interval, nowMs);
    if (!taken) {
        emit storageFailed(taken.error().message);
        nextFree->insert(hookId, nowMs + interval); // never faster than the limit
        return nowMs + interval;
    }
    if (taken.value() > 0)
        nextFree->insert(hookId, taken.value());
    return taken.value();
}

QNetworkAccessManager *Dispatcher::nextNetwork()
{
    if (m_networkCount <= 1)
        return m_network;
    if (m_networks.isEmpty()) {
        m_networks.append(m_network);
        while (m_networks.size() < m_networkCount)
            m_networks.append(new QNetworkAccessManager(this));
    }
    return m_networks.at(m_nextNetwork++ % m_networks.size());
}

void Dispatcher::startAttempt(ClaimedAttempt claimed, const QString &key)
{
    Flight flight;
    flight.claim = std::move(claimed);
    const ClaimedAttempt &claim = flight.claim; // until flight moves into m_inFlight
    QUrl url(claim.hook.url);
    flight.hostKey = key;
    flight.trace.url = SecretMask::url(claim.hook.url);
    flight.trace.attempt = claim.attempt.number;
    flight.trace.maxAttempts = claim.attempt.maxAttempts;
    flight.trace.timeoutSeconds = claim.hook.timeoutSeconds;
    flight.trace.startedAt = QDateTime::currentDateTimeUtc();
    flight.trace.phase = DeliveryTrace::Phase::Connecting;

    const qint64 timestamp = flight.trace.startedAt.toSecsSinceEpoch();
    const QByteArray &body = claim.attempt.requestBody;
    HeaderList headers{
        {QStringLiteral("Content-Type"), QStringLiteral("application/json")},
        {QStringLiteral("User-Agent"), userAgent()},
        {QStringLiteral("webhook-id"), claim.attempt.messageId},
        {QStringLiteral("webhook-timestamp"), QString::number(timestamp)},
    };
    // Secrets rotated out sign as long as they are valid at send time, so a
    // retry after the overlap carries the new secret's signature alone.
    QStringList previousSecrets;
    for (const PreviousSecret &previous : claim.hook.previousSecrets) {
        if (previous.validUntil > flight.trace.startedAt)
            previousSecrets.append(previous.secret);
    }
    for (const auto &[name, value] :
         Signature::headers(claim.hook.signature, claim.hook.secret, previousSecrets,
                            claim.attempt.messageId, timestamp, body))
        headers.append({QString::fromLatin1(name), QString::fromLatin1(value)});
    if (!url.userName().isEmpty() || !url.password().isEmpty()) {
        const QByteArray credentials =
            (url.userName(QUrl::FullyDecoded) + QLatin1Char(':') + url.password(QUrl::FullyDecoded))
                .toUtf8()
                .toBase64();
        headers.append({QStringLiteral("Authorization"),
                        QStringLiteral("Basic ") + QString::fromLatin1(credentials)});
        url.setUserInfo(QString());
    }
    for (const HeaderRow &row : claim.hook.headers)
        headers.append({row.name, row.value});

    QNetworkRequest request(url);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute,
                         QNetworkRequest::ManualRedirectPolicy);
    request.setAttribute(QNetworkRequest::CacheLoadControlAttribute,
                         QNetworkRequest::AlwaysNetwork);
    request.setAttribute(QNetworkRequest::CacheSaveControlAttribute, false);
    switch (claim.hook.httpVersion) {
    case HttpVersion::Auto: // HTTP/2 only where TLS negotiates it (ALPN)
        request.setAttribute(QNetworkRequest::Http2AllowedAttribute,
                             url.scheme() == QLatin1String("https"));
        break;
    case HttpVersion::Http1:
        request.setAttribute(QNetworkRequest::Http2AllowedAttribute, false);
        break;
    case HttpVersion::Http2:
        request.setAttribute(QNetworkRequest::Http2AllowedAttribute, true);
        request.setAttribute(QNetworkRequest::Http2DirectAttribute, true);
        flight.trace.protocol = tr("HTTP/2 (prior knowledge)");
        break;
    }
    for (const auto &[name, value] : std::as_const(headers))
        request.setRawHeader(name.toLatin1(), value.toUtf8());
    flight.requestHeaders = SecretMask::headers(headers, claim.hook);

    flight.clock.start();
    QNetworkReply *reply = nextNetwork()->post(request, body);
    flight.reply = reply;
    flight.timeout = new QTimer(reply);
    flight.timeout->setSingleShot(true);
    connect(flight.timeout, &QTimer::timeout, reply, [this, reply] {
        auto it = m_inFlight.find(reply);
        if (it == m_inFlight.end())
            return;
        it->trace.timedOut = true;
        reply->abort();
    });
    flight.timeout->start(claim.hook.timeoutSeconds * 1000);

    connect(reply, &QNetworkReply::socketStartedConnecting, this, [this, reply] {
        auto it = m_inFlight.find(reply);
        if (it != m_inFlight.end() && it->trace.connectingAtMs < 0)
            it->trace.connectingAtMs = it->clock.elapsed();
    });
    connect(reply, &QNetworkReply::encrypted, this, [this, reply] {
        auto it = m_inFlight.find(reply);
        if (it != m_inFlight.end()) {
            it->trace.encryptedAtMs = it->clock.elapsed();
            it->trace.phase = DeliveryTrace::Phase::Sending;
        }
    });
    connect(reply, &QNetworkReply::uploadProgress, this, [this, reply](qint64 sent, qint64 total) {
        auto it = m_inFlight.find(reply);
        if (it != m_inFlight.end() && sent > 0 && it->trace.phase < DeliveryTrace::Phase::Sending)
            it->trace.phase = DeliveryTrace::Phase::Sending;
        if (it != m_inFlight.end() && total > 0 && sent == total &&
            it->trace.phase < DeliveryTrace::Phase::AwaitingResponse) {
            it->trace.requestSentAtMs = it->clock.elapsed();
            it->trace.phase = DeliveryTrace::Phase::AwaitingResponse;
        }
    });
    connect(reply, &QNetworkReply::requestSent, this, [this, reply] {
        auto it = m_inFlight.find(reply);
        if (it != m_inFlight.end() && it->trace.phase < DeliveryTrace::Phase::AwaitingResponse) {
            it->trace.requestSentAtMs = it->clock.elapsed();
            it->trace.phase = DeliveryTrace::Phase::AwaitingResponse;
        }
    });
    connect(reply, &QNetworkReply::metaDataChanged, this, [this, reply] {
        auto it = m_inFlight.find(reply);
        if (it != m_inFlight.end() && it->trace.firstByteAtMs < 0) {
            it->trace.firstByteAtMs = it->clock.elapsed();
            it->trace.phase = DeliveryTrace::Phase::Reading;
        }
    });
    connect(reply, &QNetworkReply::readyRead, this, [this, reply] {
        auto it = m_inFlight.find(reply);
        if (it == m_inFlight.end())
            return;
        const QByteArray chunk = reply->readAll();
        it->bodyBytes += chunk.size();
        const qsizetype room = DeliveryStore::ResponseCaptureBytes - it->body.size();
        if (room > 0)
            it->body.append(chunk.left(room));
        if (it->bodyBytes > DeliveryStore::ResponseCaptureBytes) {
            // Enough to show; the outcome is the status we already have.
            it->trace.responseTruncated = true;
            reply->abort();
        }
    });
    connect(reply, &QNetworkReply::sslErrors, this, [this, reply](const QList<QSslError> &errors) {
        auto it = m_inFlight.find(reply);
        if (it == m_inFlight.end())
            return;
        for (const QSslError &error : errors)
            it->trace.tlsErrors.append(error.errorString());
        // The user switched verification off for this hook; say so in the trace.
        if (!it->claim.hook.verifyTls) {
            it->trace.tlsVerificationOff = true;
            reply->ignoreSslErrors(errors);
        }
    });
    connect(reply, &QNetworkReply::finished, this, [this, reply] { finishAttempt(reply); });

    m_perHost[flight.hostKey] += 1;
    m_perHook[claim.hook.id] += 1;
    m_inFlight.insert(reply, std::move(flight));
}

void Dispatcher::finishAttempt(QNetworkReply *reply)
{
    auto it = m_inFlight.find(reply);
    if (it == m_inFlight.end())
        return;
    Flight flight = std::move(*it);
    m_inFlight.erase(it);
    if (--m_perHost[flight.hostKey] <= 0)
        m_perHost.remove(flight.hostKey);
    if (--m_perHook[flight.claim.hook.id] <= 0)
        m_perHook.remove(flight.claim.hook.id);
    flight.timeout->stop();
    reply->deleteLater();

    const QByteArray rest = reply->isOpen() ? reply->readAll() : QByteArray();
    flight.bodyBytes += rest.size();
    const qsizetype room = DeliveryStore::ResponseCaptureBytes - flight.body.size();
    if (room > 0)
        flight.body.append(rest.left(room));
    if (flight.bodyBytes > DeliveryStore::ResponseCaptureBytes)
        flight.trace.responseTruncated = true;

    DeliveryTrace &trace = flight.trace;
    trace.finishedAtMs = flight.clock.elapsed();
    trace.statusCode = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    trace.reasonPhrase = reply->attribute(QNetworkRequest::HttpReasonPhraseAttribute).toString();
    trace.responseBytes = flight.bodyBytes;
    const bool transportFailed =
        reply->error() != QNetworkReply::NoError && int(reply->error()) < 100;
    if (trace.statusCode > 0) {
        // Content errors (Qt's 201-499) come with a whole response.
        trace.phase = DeliveryTrace::Phase::Done;
        if (trace.responseTruncated || trace.timedOut || transportFailed)
            trace.phase = DeliveryTrace::Phase::Reading;
    }
    // Our own abort after the capture limit is not an error of the receiver.
    if (!(trace.responseTruncated && trace.statusCode > 0 && !trace.timedOut)) {
        trace.networkError = reply->error();
        trace.qtErrorText =
            reply->error() != QNetworkReply::NoError ? reply->errorString() : QString();
    }
    if (trace.timedOut && trace.statusCode > 0 && trace.phase == DeliveryTrace::Phase::Done)
        trace.timedOut = false;
    if (trace.timedOut)
        trace.statusCode = 0; // a half-read response is not an answer
    trace.location = QString::fromUtf8(reply->rawHeader("Location"));
    if (trace.statusCode > 0)
        trace.protocol = reply->attribute(QNetworkRequest::Http2WasUsedAttribute).toBool()
                             ? QStringLiteral("HTTP/2")
                             : QStringLiteral("HTTP/1.1");

    AttemptResult result;
    result.attemptId = flight.claim.attempt.id;
    result.startedAt = trace.startedAt;
    result.finishedAt = QDateTime::currentDateTimeUtc();
    result.durationMs = trace.finishedAtMs;
    result.statusCode = trace.statusCode;
    result.requestHeaders = flight.requestHeaders;
    for (const auto &[name, value] : reply->rawHeaderPairs())
        result.responseHeaders.append({QString::fromLatin1(name), QString::fromUtf8(value)});
    result.responseBody = flight.body;
    result.responseTruncated = trace.responseTruncated;

    const QString kind = trace.errorKind();
    const bool success = kind.isEmpty();
    result.outcome = success ? AttemptOutcome::Succeeded : AttemptOutcome::Failed;
    result.errorKind = kind;
    result.error = success ? QString() : trace.summary();
    if (!success) {
        if (trace.statusCode == 429 || trace.statusCode == 503)
            trace.retryAfterSeconds =
                RetryPolicy::parseRetryAfter(reply->rawHeader("Retry-After"), result.finishedAt);
        const Webhook &hook = flight.claim.hook;
        FinishedAttempt finished;
        finished.errorKind = kind;
        finished.statusCode = trace.statusCode;
        finished.retryAfterSeconds = trace.retryAfterSeconds;
        finished.number = flight.claim.attempt.number;
        finished.maxAttempts = flight.claim.attempt.maxAttempts;
        finished.trigger = flight.claim.attempt.trigger;
        finished.probe = hook.isPaused() && finished.trigger == AttemptTrigger::Scheduled;
        finished.finishedAt = result.finishedAt;
        // Validated when saved; a value the validator refuses falls back to the default.
        QString ignored;
        const RetryOn retryOn = RetryOn::parse(hook.retryOn, &ignored).value_or(RetryOn());
        const RetryPolicy schedule =
            hook.retrySchedule.isEmpty() ? m_policy : RetryPolicy(hook.retrySchedule, 0.0);
        const RetryDecision decision = schedule.decide(finished, retryOn);
        result.nextAttemptAt = decision.nextAttemptAt;
        result.extendAttempts = decision.extendAttempts;
        result.probe = finished.probe;
        result.deactivateReason = decision.deactivateReason;
        trace.deactivated = decision.deactivateReason;
        trace.notRetried = decision.notRetried;
        trace.probe = finished.probe;
        trace.nextAttemptAt = result.nextAttemptAt;
    }
    result.trace = trace.text();
    m_results.append(result);
    noteHealth(flight.claim, success);
    const QString summary = success ? trace.summary() : result.error;
    m_notes.append({result.attemptId, flight.claim.attempt.deliveryId, flight.claim.hook.id,
                    flight.claim.attempt.action, flight.claim.attempt.number,
                    flight.claim.attempt.maxAttempts, result.outcome, summary});
    emit attemptFinished(result.attemptId, flight.claim.attempt.deliveryId, result.outcome,
                         summary);

    // A hook waiting for the breaker's verdict: record at once, not in 20 ms.
    if (m_results.size() >= FlushBatch || m_verdictAt.contains(flight.claim.hook.id))
        flushResults();
    else if (!m_flushTimer.isActive())
        m_flushTimer.start();
    startQueued();
    if (m_running)
        QTimer::singleShot(0, this, &Dispatcher::pump);
}

void Dispatcher::flushResults()
{
    m_flushTimer.stop();
    if (!m_notes.isEmpty()) {
        const QList<FinishedAttemptNote> notes = std::exchange(m_notes, {});
        emit attemptsFinished(notes);
    }
    if (m_results.isEmpty()) {
        if (isIdle())
            emit idle();
        return;
    }
    const QList<AttemptResult> batch = m_results;
    m_results.clear();
    m_handedOver += batch.size();
    if (m_recorder) {
        m_unrecorded += int(batch.size());
        m_recorder->record(batch);
        return;
    }
    QList<qint64> paused;
    const Status status = m_store->recordResults(batch, QDateTime::currentDateTimeUtc(), &paused);
    if (!status) {
        m_handedOver -= batch.size();
        // Keep them: the next flush tries again, nothing is dropped.
        m_results = batch + m_results;
        emit storageFailed(status.error().message);
        m_flushTimer.start(1000);
        return;
    }
    m_committed += batch.size();
    m_verdictAt.clear(); // all handed over is recorded
    for (const qint64 hookId : std::as_const(paused))
        holdBack(hookId);
    startQueued();
    emit attemptsRecorded();
    // Retries were just stored; our own commits do not show in the poll.
    if (m_running)
        scheduleWakeUp();
    if (isIdle())
        emit idle();
}

void Dispatcher::noteHealth(const ClaimedAttempt &claim, bool success)
{
    // Only what the store counts: scheduled deliveries of a hook that is not
    // paused (a probe's result is the store's to judge).
    if (m_failureThreshold <= 0 || claim.attempt.trigger != AttemptTrigger::Scheduled ||
        claim.hook.isPaused())
        return;
    const qint64 hookId = claim.hook.id;
    if (success) {
        m_failing.remove(hookId);
        return;
    }
    QSet<qint64> &failed = m_failing[hookId];
    failed.insert(claim.attempt.deliveryId); // a delivery counts once, however many attempts
    // The count at claim time may include some of these already: erring
    // high only waits for the verdict, erring low would send past the pause.
    if (claim.hook.consecutiveFailures + int(failed.size()) >= m_failureThreshold)
        m_verdictAt.insert(hookId, m_handedOver + m_results.size());
}

bool Dispatcher::awaitsVerdict(const ClaimedAttempt &claim) const
{
    return claim.attempt.trigger == AttemptTrigger::Scheduled && !claim.hook.isPaused() &&
           m_verdictAt.contains(claim.hook.id);
}

void Dispatcher::holdBack(qint64 hookId)
{
    m_failing.remove(hookId);
    m_verdictAt.remove(hookId);
    QList<qint64> waiting;
    for (qsizetype i = 0; i < m_queue.size();) {
        const ClaimedAttempt &claim = m_queue.at(i).claim;
        if (claim.hook.id == hookId && claim.attempt.trigger == AttemptTrigger::Scheduled &&
            !claim.hook.isPaused()) {
            waiting.append(claim.attempt.id);
            unqueued(m_queue.at(i).hostKey);
            m_queue.removeAt(i);
        } else {
            ++i;
        }
    }
    if (waiting.isEmpty())
        return;
    // Unclaimed and due as before: the hook's probe takes the oldest of them.
    if (!m_running) // one-shot: the caller asks which were left
        m_heldBack += waiting;
    if (const Status released = m_store->releaseLeases(m_owner, waiting); !released)
        emit storageFailed(released.error().message);
}
