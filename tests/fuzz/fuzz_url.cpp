// libFuzzer target: a webhook URL as a user or an import file gives it.
#include "domain/secret_mask.h"
#include "domain/webhook_validator.h"

#include <QString>
#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QString url = QString::fromUtf8(reinterpret_cast<const char *>(data), qsizetype(size));
    const QString error = WebhookValidator::checkUrl(url);
    // A password never survives masking, valid URL or not.
    const QString masked = SecretMask::url(url);
    if (error.isEmpty() && masked.size() > 4 * (url.size() + 16))
        __builtin_trap();
    return 0;
}
