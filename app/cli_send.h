#pragma once

#include "delivery/delivery_store.h"
#include "store/hook_store.h"

#include <QCoreApplication>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <optional>

// What emit, test and redeliver share: reading --data, sending stored
// attempts at once with a one-shot dispatcher, and reporting how they went.
class CliSend final
{
    Q_DECLARE_TR_FUNCTIONS(CliSend)

public:
    // Bigger --data files are refused before they are read.
    static constexpr qint64 MaxDataBytes = 50 * 1024 * 1024;

    // Reads a JSON object from a file, or from standard input for "-".
    // Returns the object, or sets *error to one line saying what is wrong.
    static std::optional<QJsonObject> readData(const QString &path, QString *error);

    // Sends exactly these attempts and waits until each has finished and
    // is recorded; those another dispatcher took first (serve, the window)
    // are waited for, up to two minutes. Those of a paused hook, or over a
    // hook's rate limit, stay pending for serve or the window.
    // Returns the attempts as recorded, in the order given; with their
    // request, response and trace when `withDetails`.
    static Result<QList<Attempt>> sendNow(DeliveryStore &store, const QList<qint64> &attemptIds,
                                          bool withDetails = false);

    // "succeeded", "failed", "pending", translated.
    static QString outcomeText(AttemptOutcome outcome);
    // "HTTP 200", "connection refused", ...: what came of an attempt.
    static QString resultText(const Attempt &attempt);
    static QString durationText(const Attempt &attempt);
    // A table of finished attempts, one row per delivery.
    static QString table(const QList<Attempt> &attempts);
    // Exit code 0 when every attempt succeeded, else 3.
    static int exitCode(const QList<Attempt> &attempts);
    // A hint that failed deliveries are retried later, or empty.
    static QString retryNote(const QList<Attempt> &attempts);
    // Why deliveries were left pending, one line per hook that holds them
    // back (paused: until its next probe; rate limit), or empty.
    static QString waitingNote(HookStore &hooks, const QList<Attempt> &attempts);
};
