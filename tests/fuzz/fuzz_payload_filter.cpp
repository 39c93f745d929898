// libFuzzer target: a hook's filter and the body it is matched against. The
// input is the filter's JSON text, a NUL byte, and the body's JSON text (a
// fixed annotation body when there is no NUL or the body is not an object).
#include "domain/payload_filter.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray input(reinterpret_cast<const char *>(data), qsizetype(size));
    const qsizetype split = input.indexOf('\0');
    const QByteArray filterText = split < 0 ? input : input.left(split);
    static const QJsonObject fallback =
        QJsonDocument::fromJson(R"({"action": "ANNOTATION_CREATED", "project": {"id": 1},
            "annotation": {"id": 2, "ground_truth": true, "result": [{"value": {"choices":
            ["Car"]}}]}, "task": {"id": 3, "data": {"label": "Car"}}})")
            .object();
    QJsonObject body = fallback;
    if (split >= 0) {
        const QJsonDocument document = QJsonDocument::fromJson(input.mid(split + 1));
        if (document.isObject())
            body = document.object();
    }

    QString error;
    const std::optional<PayloadFilter> filter = PayloadFilter::parse(filterText, &error);
    if (!filter) {
        if (error.isEmpty()) // every refusal says why
            __builtin_trap();
        return 0;
    }
    const std::optional<QString> why = filter->mismatch(body);
    if (why && why->isEmpty()) // every mismatch says which condition failed
        __builtin_trap();
    if (filter->matches(body) == why.has_value())
        __builtin_trap();
    // $not inverts a filter exactly.
    const QJsonDocument document = QJsonDocument::fromJson(filterText);
    if (!filter->isEmpty() && document.isObject()) {
        const std::optional<PayloadFilter> negated = PayloadFilter::fromObject(
            QJsonObject{{QStringLiteral("$not"), document.object()}}, &error);
        if (negated && negated->matches(body) == filter->matches(body))
            __builtin_trap();
    }
    return 0;
}
