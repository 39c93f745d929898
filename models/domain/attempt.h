#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QMetaType>
#include <QPair>
#include <QString>

enum class AttemptTrigger { Scheduled, Manual, Test };
// Filtered: the hook's filter did not match the body; nothing was sent.
enum class AttemptOutcome { Pending, Succeeded, Failed, Filtered };

QString attemptTriggerKey(AttemptTrigger trigger);
AttemptTrigger attemptTriggerFromKey(const QString &key);
QString attemptOutcomeKey(AttemptOutcome outcome);
AttemptOutcome attemptOutcomeFromKey(const QString &key);

using HeaderList = QList<QPair<QString, QString>>;

// One attempt to deliver one delivery: a row of the log. A pending attempt is
// the one that comes next (due at dueAt); it is filled in when it has run.
struct Attempt
{
    qint64 id = 0;
    qint64 deliveryId = 0;
    qint64 webhookId = 0;
    QString action;
    QString messageId; // the webhook-id header: the same on every retry
    int number = 1;
    int maxAttempts = 1;
    AttemptTrigger trigger = AttemptTrigger::Scheduled;
    AttemptOutcome outcome = AttemptOutcome::Pending;
    QDateTime createdAt; // when it was queued: the log's order
    QDateTime dueAt;
    QDateTime startedAt;
    QDateTime finishedAt;
    QString url; // password masked
    int statusCode = 0;
    QString errorKind; // dns, refused, timeout, tls, reset, protocol, http, interrupted
    QString error;
    qint64 durationMs = -1;
    HeaderList requestHeaders; // secrets masked
    QByteArray requestBody;
    HeaderList responseHeaders;
    QByteArray responseBody; // at most 64 KiB
    bool responseTruncated = false;
    QString trace;

    // What the log shows as the attempt's time.
    QDateTime time() const { return startedAt.isValid() ? startedAt : dueAt; }
};

Q_DECLARE_METATYPE(AttemptOutcome)
Q_DECLARE_METATYPE(AttemptTrigger)
