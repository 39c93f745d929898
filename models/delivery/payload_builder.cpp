#include "payload_builder.h"

#include <QJsonArray>
#include <QJsonDocument>

int PayloadBuilder::batchSizeFromEnvironment()
{
    bool ok = false;
    const int size = qEnvironmentVariableIntValue("WEBHOOK_BATCH_SIZE", &ok);
    return ok && size > 0 ? size : DefaultBatchSize;
}

QString PayloadBuilder::checkData(const EventType &type, const QJsonObject &data)
{
    if (!data.contains(type.payloadKey))
        return tr("The payload for %1 needs the key \"%2\".").arg(type.key, type.payloadKey);
    const QJsonValue value = data.value(type.payloadKey);
    if (type.isList && !value.isArray())
        return tr("\"%1\" must be a list for %2.").arg(type.payloadKey, type.key);
    if (!type.isList && !value.isObject())
        return tr("\"%1\" must be an object for %2.").arg(type.payloadKey, type.key);
    if (data.contains(QLatin1String("action")))
        return tr("The payload cannot set \"action\"; it is the event's key.");
    return {};
}

QList<QJsonObject> PayloadBuilder::chunks(const EventType &type, const QJsonObject &data,
                                          int batchSize)
{
    const QJsonValue value = data.value(type.payloadKey);
    if (!type.isList || !value.isArray() || batchSize <= 0 || value.toArray().size() <= batchSize)
        return {data};
    const QJsonArray items = value.toArray();
    // Extra lists that pair up item by item (ANNOTATIONS_CREATED's "task").
    QStringList parallel;
    for (auto it = data.begin(); it != data.end(); ++it) {
        if (it.key() != type.payloadKey && it.value().isArray() &&
            it.value().toArray().size() == items.size())
            parallel.append(it.key());
    }
    QList<QJsonObject> result;
    for (qsizetype start = 0; start < items.size(); start += batchSize) {
        QJsonObject chunk = data;
        const auto slice = [&](const QJsonArray &all) {
            QJsonArray part;
            for (qsizetype i = start; i < std::min(start + batchSize, all.size()); ++i)
                part.append(all.at(i));
            return part;
        };
        chunk.insert(type.payloadKey, slice(items));
        for (const QString &key : parallel)
            chunk.insert(key, slice(data.value(key).toArray()));
        result.append(chunk);
    }
    return result;
}

QJsonObject PayloadBuilder::object(const QString &action, const std::optional<QJsonObject> &project,
                                   const QJsonObject &chunk, bool sendPayload)
{
    QJsonObject body;
    if (sendPayload) {
        body = chunk;
        if (project)
            body.insert(QStringLiteral("project"), *project);
    }
    body.insert(QStringLiteral("action"), action);
    return body;
}

QByteArray PayloadBuilder::body(const QString &action, const std::optional<QJsonObject> &project,
                                const QJsonObject &chunk, bool sendPayload)
{
    return QJsonDocument(object(action, project, chunk, sendPayload))
        .toJson(QJsonDocument::Compact);
}
