#pragma once

#include "domain/event_type.h"

#include <QCoreApplication>
#include <QJsonObject>
#include <QList>
#include <optional>

// Builds Label Studio's request bodies: {"action": KEY} plus, when the hook
// sends payloads, "project" and the event's payload key (and its extra keys).
class PayloadBuilder final
{
    Q_DECLARE_TR_FUNCTIONS(PayloadBuilder)

public:
    static constexpr int DefaultBatchSize = 100;
    static constexpr qsizetype MaxDataBytes = 10 * 1024 * 1024;

    // WEBHOOK_BATCH_SIZE, Label Studio's name; 100 when unset or invalid.
    static int batchSizeFromEnvironment();

    // Why `data` is not a payload for `type`, or empty when it is. `data` is
    // the body minus "action" and "project": {"tasks": [...]}, {"annotation":
    // {...}, "task": {...}}.
    static QString checkData(const EventType &type, const QJsonObject &data);

    // Splits a list payload longer than batchSize into chunks; extra keys
    // holding lists of the same length are split alongside.
    static QList<QJsonObject> chunks(const EventType &type, const QJsonObject &data, int batchSize);

    // The body as an object, as it is sent (what a hook's filter sees).
    static QJsonObject object(const QString &action, const std::optional<QJsonObject> &project,
                              const QJsonObject &chunk, bool sendPayload);
    static QByteArray body(const QString &action, const std::optional<QJsonObject> &project,
                           const QJsonObject &chunk, bool sendPayload);
};
