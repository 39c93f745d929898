// libFuzzer target: a static header row, "name\nvalue".
#include "domain/event_catalog.h"
#include "domain/webhook_validator.h"

#include <QString>
#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QString text = QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(size));
    const qsizetype split = text.indexOf(QLatin1Char('\n'));
    const QString name = split < 0 ? text : text.left(split);
    const QString value = split < 0 ? QString() : text.mid(split + 1);
    const bool nameOk = WebhookValidator::checkHeaderName(name).isEmpty();
    const bool valueOk = WebhookValidator::checkHeaderValue(value).isEmpty();
    // What passes must be safe to put on the wire.
    if (nameOk && (name.contains(QLatin1Char(':')) || name.contains(QLatin1Char(' '))))
        __builtin_trap();
    if (valueOk && (value.contains(QLatin1Char('\r')) || value.contains(QLatin1Char('\n'))))
        __builtin_trap();

    Webhook hook;
    hook.url = QStringLiteral("https://example.com/hook");
    hook.headers = {{name, value, false}};
    static const EventCatalog catalog;
    const QList<FieldError> errors = WebhookValidator::validate(hook, catalog);
    if ((nameOk && valueOk) != errors.isEmpty())
        __builtin_trap();
    return 0;
}
