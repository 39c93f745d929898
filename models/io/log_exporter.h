#pragma once

#include "delivery/delivery_store.h"
#include "domain/attempt.h"
#include "store/storage_error.h"

#include <QCoreApplication>
#include <QJsonObject>
#include <QJsonValue>
#include <QStringList>
#include <functional>

class QIODevice;

// Writes the delivery log, as a filter shows it, as JSON Lines or CSV. It
// reads the store page by page (newest first), never the whole table at once,
// and writes a file whole or not at all. The fields are those of
// `deliveries --json`. Stored data is masked already; nothing is unmasked.
class LogExporter final
{
    Q_DECLARE_TR_FUNCTIONS(LogExporter)

public:
    enum class Format { JsonLines, Csv };

    static constexpr int PageSize = 1000;

    // Called after each page with the rows written so far; false cancels.
    using Progress = std::function<bool(qint64 written)>;

    LogExporter() = delete;

    // Returns how many attempts were written.
    static Result<qint64> exportToFile(const DeliveryStore &store, const LogFilter &filter,
                                       Format format, const QString &path,
                                       const Progress &progress = {});
    static Result<qint64> write(const DeliveryStore &store, const LogFilter &filter, Format format,
                                QIODevice *device, const Progress &progress = {});

    // .csv is CSV; anything else JSON Lines.
    static Format formatForPath(const QString &path);

    // One attempt as `deliveries --json` shows it; "trace" only when asked
    // (it needs the attempt read with details).
    static QJsonObject toJson(const Attempt &attempt, bool withTrace = false);
    // Headers as one JSON object; a body as JSON when it is JSON, else text,
    // null when empty. What every JSON output of requests shares.
    static QJsonObject headersObject(const HeaderList &headers);
    static QJsonValue bodyValue(const QByteArray &body);
    static QStringList csvColumns();
    static QStringList csvFields(const Attempt &attempt);
    // RFC 4180: fields with a comma, quote or line break are quoted, quotes
    // doubled; the line ends with CRLF.
    static QByteArray csvLine(const QStringList &fields);
};
