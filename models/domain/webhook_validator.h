#pragma once

#include "event_catalog.h"
#include "webhook.h"

#include <QCoreApplication>
#include <QList>
#include <QString>

// One problem with one field of a webhook, worded for the person who typed it.
struct FieldError
{
    enum class Field {
        Url,
        Project,
        Description,
        Headers,
        Actions,
        Secret,
        Timeout,
        MaxAttempts,
        Filter,
        RateLimit,
        MaxInFlight,
        RetryOn,
        RetrySchedule,
    };

    Field field;
    QString message;
    int row = -1; // header row, for Field::Headers

    friend bool operator==(const FieldError &, const FieldError &) = default;
};

// The one validation routine the settings page, the command line and the
// importer all use, so a hook is judged the same way wherever it comes from.
class WebhookValidator
{
    Q_DECLARE_TR_FUNCTIONS(WebhookValidator)

public:
    // hasProject: whether webhook.projectId names an existing project; callers
    // that cannot know pass true.
    static QList<FieldError> validate(const Webhook &webhook, const EventCatalog &catalog,
                                      bool projectExists = true);

    // Each returns an empty string when the input is fine.
    static QString checkUrl(const QString &url);
    static QString checkHeaderName(const QString &name);
    static QString checkHeaderValue(const QString &value);
    static QString checkSecret(const QString &secret, SignatureScheme scheme);
    static QString checkEventKey(const QString &key);
    static QString checkRetrySchedule(const QList<qint64> &seconds);

    // Names the engine sets itself; a hook may not override them.
    static bool isReservedHeader(const QString &name);

    // "field: message" lines, for the command line and the importer.
    static QString describe(const QList<FieldError> &errors);
    static QString fieldName(FieldError::Field field);
};
