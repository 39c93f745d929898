// libFuzzer target: the --data of `emit` and the test dialog's JSON, checked
// and cut into deliveries for every event type.
#include "delivery/payload_builder.h"
#include "domain/event_catalog.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray json(reinterpret_cast<const char *>(data), qsizetype(size));
    QJsonParseError error{};
    const QJsonDocument document = QJsonDocument::fromJson(json, &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return 0;
    const QJsonObject payload = document.object();
    static const EventCatalog catalog;
    for (const EventType &type : catalog.types()) {
        if (!PayloadBuilder::checkData(type, payload).isEmpty())
            continue;
        const QList<QJsonObject> chunks = PayloadBuilder::chunks(type, payload, 3);
        if (chunks.isEmpty())
            __builtin_trap();
        for (const QJsonObject &chunk : chunks) {
            const QByteArray body = PayloadBuilder::body(type.key, std::nullopt, chunk, true);
            if (!QJsonDocument::fromJson(body).isObject())
                __builtin_trap();
        }
    }
    return 0;
}
