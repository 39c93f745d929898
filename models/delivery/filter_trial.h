#pragma once

#include "domain/event_catalog.h"
#include "domain/payload_filter.h"
#include "domain/webhook.h"
#include "store/storage_error.h"

#include <QCoreApplication>
#include <QJsonObject>
#include <QStringList>
#include <atomic>

// Trying a hook's filter before relying on it: on the sample body of an
// event, on a pasted body, and on the stored history ("what if").
class FilterTrial final
{
    Q_DECLARE_TR_FUNCTIONS(FilterTrial)

public:
    static constexpr int DefaultHistory = 10000;

    struct Count
    {
        int matched = 0;
        int total = 0;
    };

    // The event types `hook` receives, in catalog order (no PING).
    static QStringList eventKeys(const EventCatalog &catalog, const Webhook &hook);
    // The body `hook` would send for the sample payload of `eventKey`.
    static QJsonObject sampleBody(const EventCatalog &catalog, const Webhook &hook,
                                  const QString &eventKey);
    // "matches", or "does not match: annotation.ground_truth is false".
    static QString verdict(const PayloadFilter &filter, const QJsonObject &body);
    // How many of the newest `last` stored events of the hook's types and
    // scope the filter matches. Opens its own connection to the file, so it
    // can run on a thread of its own; `cancelled` stops it early.
    static Result<Count> overHistory(const QString &databasePath, const Webhook &hook,
                                     const PayloadFilter &filter, int last,
                                     const std::atomic_bool *cancelled = nullptr);
    // "would have matched 312 of 10,000 stored events"
    static QString describe(const Count &count);
};
