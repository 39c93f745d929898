#include "filter_trial.h"

#include "delivery_store.h"
#include "payload_builder.h"
#include "store/database.h"
#include "store/hook_store.h"

#include <QLocale>

QStringList FilterTrial::eventKeys(const EventCatalog &catalog, const Webhook &hook)
{
    QStringList keys;
    for (const EventType &type : catalog.types()) {
        if (type.key == EventCatalog::PingKey || (hook.projectId && type.organizationOnly))
            continue;
        if (hook.sendForAllActions || hook.actions.contains(type.key))
            keys.append(type.key);
    }
    return keys;
}

QJsonObject FilterTrial::sampleBody(const EventCatalog &catalog, const Webhook &hook,
                                    const QString &eventKey)
{
    const std::optional<EventType> type = catalog.find(eventKey);
    std::optional<QJsonObject> project;
    if (!type || type->payloadKey != QLatin1String("project"))
        project = EventCatalog::sampleProject(hook.projectId.value_or(1));
    return PayloadBuilder::object(eventKey, project, catalog.samplePayload(eventKey),
                                  hook.sendPayload);
}

QString FilterTrial::verdict(const PayloadFilter &filter, const QJsonObject &body)
{
    const std::optional<QString> why = filter.mismatch(body);
    if (!why)
        return tr("matches");
    return tr("does not match: %1").arg(*why);
}

Result<FilterTrial::Count> FilterTrial::overHistory(const QString &databasePath,
                                                    const Webhook &hook,
                                                    const PayloadFilter &filter, int last,
                                                    const std::atomic_bool *cancelled)
{
    Database database;
    if (std::optional<StorageError> error = database.open(databasePath))
        return *error;
    DeliveryStore store(&database);
    // The catalog with the file's custom types, as the hook sees them.
    const EventCatalog catalog = HookStore(&database).catalog();
    Result<QList<QJsonObject>> bodies = store.recentBodies(hook, catalog, last);
    if (!bodies)
        return bodies.error();
    Count count;
    for (const QJsonObject &body : bodies.value()) {
        if (cancelled && cancelled->load())
            break;
        ++count.total;
        if (filter.matches(body))
            ++count.matched;
    }
    return count;
}

QString FilterTrial::describe(const Count &count)
{
    const QLocale locale;
    if (count.total == 0)
        return tr("no stored events of this webhook's event types yet");
    return tr("would have matched %1 of %2 stored events")
        .arg(locale.toString(count.matched), locale.toString(count.total));
}
