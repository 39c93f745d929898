// libFuzzer target: a Label Studio webhook JSON file given to `hooks import`.
#include "domain/event_catalog.h"
#include "domain/webhook_validator.h"
#include "io/label_studio_json.h"

#include <QByteArray>
#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray json(reinterpret_cast<const char *>(data), qsizetype(size));
    const LabelStudioJson::Parsed parsed = LabelStudioJson::parse(json);
    if (!parsed.ok() && !parsed.hooks.isEmpty() && parsed.error.isEmpty())
        __builtin_trap();
    static const EventCatalog catalog;
    for (const Webhook &hook : parsed.hooks) {
        (void)WebhookValidator::validate(hook, catalog);
        // What was read can be written back.
        (void)LabelStudioJson::serialize({hook}, false);
    }
    return 0;
}
