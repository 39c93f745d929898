#include "cli_send.h"

#include "cli_output.h"
#include "delivery/dispatcher.h"

#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QJsonDocument>
#include <QMap>
#include <QNetworkAccessManager>
#include <QSet>
#include <QTimer>

std::optional<QJsonObject> CliSend::readData(const QString &path, QString *error)
{
    const QString megabytes = QString::number(MaxDataBytes / (1024 * 1024));
    QFile file;
    const QString name = path == QLatin1String("-") ? tr("standard input") : path;
    if (path == QLatin1String("-")) {
        if (!file.open(stdin, QIODevice::ReadOnly)) {
            *error = tr("Cannot read standard input: %1").arg(file.errorString());
            return std::nullopt;
        }
    } else {
        const QFileInfo info(path);
        if (!info.exists()) {
            *error = tr("The data file %1 does not exist.").arg(path);
            return std::nullopt;
        }
        if (info.isFile() && info.size() > MaxDataBytes) {
            *error = tr("The data file %1 is larger than %2 MB; split the event into smaller ones.")
                         .arg(path, megabytes);
            return std::nullopt;
        }
        file.setFileName(path);
        if (!file.open(QIODevice::ReadOnly)) {
            *error = tr("Cannot read %1: %2").arg(path, file.errorString());
            return std::nullopt;
        }
    }
    // A pipe has no size: read one byte past the limit to know it is over.
    const QByteArray bytes = file.read(MaxDataBytes + 1);
    if (bytes.size() > MaxDataBytes) {
        *error = tr("The data in %1 is larger than %2 MB; split the event into smaller ones.")
                     .arg(name, megabytes);
        return std::nullopt;
    }
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(bytes, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        *error = tr("%1 is not valid JSON: %2 at byte %3.")
                     .arg(name, parseError.errorString())
                     .arg(parseError.offset);
        return std::nullopt;
    }
    if (!document.isObject()) {
        *error = tr("%1 must hold a JSON object with the event's payload key, such as "
                    "{\"tasks\": [...]}.")
                     .arg(name);
        return std::nullopt;
    }
    return document.object();
}

Result<QList<Attempt>> CliSend::sendNow(DeliveryStore &store, const QList<qint64> &attemptIds,
                                        bool withDetails)
{
    // A dispatcher already running on this database (serve, the window) may
    // take some of them first; the command waits for its result instead.
    constexpr int OtherDispatcherWaitMs = 120'000;
    constexpr int PollMs = 100;
    QElapsedTimer waited;
    waited.start();
    QList<qint64> unsent = attemptIds;
    QSet<qint64> heldBack; // left pending on purpose: not waited for
    QList<Attempt> attempts;
    while (true) {
        QString storageError;
        {
            QNetworkAccessManager network;
            Dispatcher dispatcher(&store, &network);
            QEventLoop loop;
            QObject::connect(&dispatcher, &Dispatcher::idle, &loop, &QEventLoop::quit);
            QObject::connect(&dispatcher, &Dispatcher::storageFailed, &loop,
                             [&storageError, &loop](const QString &message) {
                                 storageError = message;
                                 loop.quit();
                             });
            dispatcher.send(unsent);
            // idle may have come already, before the loop ran.
            if (!dispatcher.isIdle() && storageError.isEmpty())
                loop.exec();
            for (const qint64 id : dispatcher.heldBack())
                heldBack.insert(id);
        } // the dispatcher releases whatever it still holds
        if (!storageError.isEmpty())
            return StorageError{StorageError::Kind::Other, storageError};

        // Read back in one query per 500, not one per attempt.
        Result<QList<Attempt>> recorded = store.attemptsWithIds(attemptIds);
        if (!recorded)
            return recorded.error();
        QHash<qint64, Attempt> byId;
        byId.reserve(recorded.value().size());
        for (const Attempt &a : recorded.value())
            byId.insert(a.id, a);
        attempts.clear();
        unsent.clear();
        for (const qint64 id : attemptIds) {
            const auto it = byId.constFind(id);
            if (it == byId.constEnd())
                return StorageError{StorageError::Kind::NotFound,
                                    tr("There is no attempt with id %1.").arg(id)};
            if (it->outcome == AttemptOutcome::Pending && !heldBack.contains(id))
                unsent.append(id);
            attempts.append(*it);
        }
        if (unsent.isEmpty() || waited.elapsed() > OtherDispatcherWaitMs) {
            if (withDetails) {
                for (Attempt &a : attempts) {
                    Result<Attempt> detailed = store.attempt(a.id);
                    if (!detailed)
                        return detailed.error();
                    a = detailed.value();
                }
            }
            return attempts;
        }
        QEventLoop pause;
        QTimer::singleShot(PollMs, &pause, &QEventLoop::quit);
        pause.exec();
    }
}

QString CliSend::outcomeText(AttemptOutcome outcome)
{
    switch (outcome) {
    case AttemptOutcome::Succeeded:
        return tr("succeeded");
    case AttemptOutcome::Failed:
        return tr("failed");
    case AttemptOutcome::Filtered:
        return tr("filtered");
    case AttemptOutcome::Pending:
        break;
    }
    return tr("pending");
}

QString CliSend::resultText(const Attempt &attempt)
{
    if (attempt.outcome == AttemptOutcome::Pending)
        return attempt.errorKind == QLatin1String("rate_limit") ? tr("waiting (rate limit)")
                                                                : tr("not sent yet");
    if (!attempt.error.isEmpty())
        return attempt.error;
    return tr("HTTP %1").arg(attempt.statusCode);
}

QString CliSend::durationText(const Attempt &attempt)
{
    return attempt.durationMs < 0 ? QStringLiteral("-") : tr("%1 ms").arg(attempt.durationMs);
}

QString CliSend::table(const QList<Attempt> &attempts)
{
    QList<QStringList> rows;
    for (const Attempt &a : attempts)
        rows.append({QString::number(a.deliveryId), QString::number(a.webhookId), a.url,
                     outcomeText(a.outcome), resultText(a), durationText(a)});
    return CliOutput::table(
        {tr("DELIVERY"), tr("HOOK"), tr("URL"), tr("OUTCOME"), tr("RESULT"), tr("DURATION")}, rows);
}

int CliSend::exitCode(const QList<Attempt> &attempts)
{
    for (const Attempt &a : attempts) {
        if (a.outcome == AttemptOutcome::Failed)
            return int(ExitCode::DeliveryFailed);
    }
    return int(ExitCode::Success);
}

QString CliSend::retryNote(const QList<Attempt> &attempts)
{
    int retried = 0;
    for (const Attempt &a : attempts) {
        if (a.outcome == AttemptOutcome::Failed && a.trigger != AttemptTrigger::Test &&
            a.number < a.maxAttempts && a.statusCode != 410)
            ++retried;
    }
    if (retried == 0)
        return {};
    return tr("Failed deliveries that \"serve\" or the window will retry on schedule: %1.")
        .arg(retried);
}

QString CliSend::waitingNote(HookStore &hooks, const QList<Attempt> &attempts)
{
    QMap<qint64, int> pendingPerHook; // in hook order
    for (const Attempt &a : attempts) {
        if (a.outcome == AttemptOutcome::Pending)
            pendingPerHook[a.webhookId] += 1;
    }
    QStringList lines;
    for (auto it = pendingPerHook.cbegin(); it != pendingPerHook.cend(); ++it) {
        const Result<Webhook> hook = hooks.hook(it.key());
        if (!hook)
            continue;
        if (hook->isPaused()) {
            lines.append(
                tr("Webhook %1 is paused (%2). Deliveries waiting for its next probe at "
                   "%3, then in order: %4. \"hooks resume %1\" sends them now.")
                    .arg(hook->id)
                    .arg(hook->pauseReason, hook->nextProbeAt.toLocalTime().toString(Qt::ISODate))
                    .arg(it.value()));
        } else if (hook->rateLimit.isSet()) {
            lines.append(tr("Webhook %1 is over its rate limit (%2). Deliveries waiting their turn "
                            "for \"serve\" or the window: %3.")
                             .arg(hook->id)
                             .arg(hook->rateLimit.key())
                             .arg(it.value()));
        }
    }
    return lines.join(QLatin1Char('\n'));
}
