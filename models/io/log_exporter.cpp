#include "log_exporter.h"

#include <QFileInfo>
#include <QIODevice>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>

namespace {

QString createdAt(const Attempt &attempt)
{
    return attempt.time().toUTC().toString(Qt::ISODateWithMs);
}

} // namespace

LogExporter::Format LogExporter::formatForPath(const QString &path)
{
    return QFileInfo(path).suffix().compare(QLatin1String("csv"), Qt::CaseInsensitive) == 0
               ? Format::Csv
               : Format::JsonLines;
}

QJsonObject LogExporter::headersObject(const HeaderList &headers)
{
    QJsonObject object;
    for (const auto &[name, value] : headers)
        object.insert(name, value);
    return object;
}

QJsonValue LogExporter::bodyValue(const QByteArray &body)
{
    if (body.isEmpty())
        return QJsonValue::Null;
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(body, &error);
    if (error.error == QJsonParseError::NoError) {
        if (document.isObject())
            return document.object();
        if (document.isArray())
            return document.array();
    }
    return QString::fromUtf8(body);
}

QJsonObject LogExporter::toJson(const Attempt &attempt, bool withTrace)
{
    QJsonObject object{
        {QStringLiteral("id"), attempt.id},
        {QStringLiteral("delivery"), attempt.deliveryId},
        {QStringLiteral("webhook"), attempt.webhookId},
        {QStringLiteral("url"), attempt.url},
        {QStringLiteral("action"), attempt.action},
        {QStringLiteral("message_id"), attempt.messageId},
        {QStringLiteral("attempt"), attempt.number},
        {QStringLiteral("max_attempts"), attempt.maxAttempts},
        {QStringLiteral("trigger"), attemptTriggerKey(attempt.trigger)},
        {QStringLiteral("outcome"), attemptOutcomeKey(attempt.outcome)},
        {QStringLiteral("status_code"),
         attempt.statusCode > 0 ? QJsonValue(attempt.statusCode) : QJsonValue()},
        {QStringLiteral("error_kind"),
         attempt.errorKind.isEmpty() ? QJsonValue() : QJsonValue(attempt.errorKind)},
        {QStringLiteral("error"),
         attempt.error.isEmpty() ? QJsonValue() : QJsonValue(attempt.error)},
        {QStringLiteral("duration_ms"),
         attempt.durationMs >= 0 ? QJsonValue(attempt.durationMs) : QJsonValue()},
        {QStringLiteral("created_at"), createdAt(attempt)},
    };
    if (withTrace) {
        // What `deliveries --json` carries: the trace, and the request and
        // response as recorded (secrets were masked when they were stored).
        object.insert(QStringLiteral("trace"),
                      attempt.trace.isEmpty() ? QJsonValue() : QJsonValue(attempt.trace));
        object.insert(QStringLiteral("request_headers"), headersObject(attempt.requestHeaders));
        object.insert(QStringLiteral("request_body"), bodyValue(attempt.requestBody));
        object.insert(QStringLiteral("response_headers"), headersObject(attempt.responseHeaders));
        object.insert(QStringLiteral("response_body"), bodyValue(attempt.responseBody));
        object.insert(QStringLiteral("response_truncated"), attempt.responseTruncated);
    }
    return object;
}

QStringList LogExporter::csvColumns()
{
    return {
        QStringLiteral("id"),      QStringLiteral("delivery"),     QStringLiteral("webhook"),
        QStringLiteral("url"),     QStringLiteral("action"),       QStringLiteral("message_id"),
        QStringLiteral("attempt"), QStringLiteral("max_attempts"), QStringLiteral("trigger"),
        QStringLiteral("outcome"), QStringLiteral("status_code"),  QStringLiteral("error_kind"),
        QStringLiteral("error"),   QStringLiteral("duration_ms"),  QStringLiteral("created_at")};
}

QStringList LogExporter::csvFields(const Attempt &attempt)
{
    return {QString::number(attempt.id),
            QString::number(attempt.deliveryId),
            QString::number(attempt.webhookId),
            attempt.url,
            attempt.action,
            attempt.messageId,
            QString::number(attempt.number),
            QString::number(attempt.maxAttempts),
            attemptTriggerKey(attempt.trigger),
            attemptOutcomeKey(attempt.outcome),
            attempt.statusCode > 0 ? QString::number(attempt.statusCode) : QString(),
            attempt.errorKind,
            attempt.error,
            attempt.durationMs >= 0 ? QString::number(attempt.durationMs) : QString(),
            createdAt(attempt)};
}

QByteArray LogExporter::csvLine(const QStringList &fields)
{
    QByteArray line;
    for (qsizetype i = 0; i < fields.size(); ++i) {
        if (i > 0)
            line += ',';
        const QByteArray field = fields.at(i).toUtf8();
        if (field.contains(',') || field.contains('"') || field.contains('\n') ||
            field.contains('\r')) {
            QByteArray escaped = field;
            escaped.replace('"', "\"\"");
            line += '"' + escaped + '"';
        } else {
            line += field;
        }
    }
    line += "\r\n";
    return line;
}

Result<qint64> LogExporter::write(const DeliveryStore &store, const LogFilter &filter,
                                  Format format, QIODevice *device, const Progress &progress)
{
    const auto writeFailed = [device] {
        return StorageError{StorageError::Kind::Other,
                            tr("Could not write the export: %1").arg(device->errorString())};
    };
    if (format == Format::Csv && device->write(csvLine(csvColumns())) < 0)
        return writeFailed();
    qint64 written = 0;
    qint64 before = 0;
    for (;;) {
        // JSON Lines carry each attempt whole, as `deliveries --json` does.
        Result<QList<Attempt>> page =
            store.attempts(filter, before, PageSize, format == Format::JsonLines);
        if (!page)
            return page.error();
        QByteArray chunk;
        for (const Attempt &attempt : page.value()) {
            if (format == Format::Csv) {
                chunk += csvLine(csvFields(attempt));
            } else {
                chunk += QJsonDocument(toJson(attempt, true)).toJson(QJsonDocument::Compact);
                chunk += '\n';
            }
        }
        if (!chunk.isEmpty() && device->write(chunk) != chunk.size())
            return writeFailed();
        written += page->size();
        if (progress && !progress(written))
            return StorageError{StorageError::Kind::Other,
                                tr("The export was cancelled; nothing was written.")};
        if (page->size() < PageSize)
            break;
        before = page->constLast().id;
    }
    return written;
}

Result<qint64> LogExporter::exportToFile(const DeliveryStore &store, const LogFilter &filter,
                                         Format format, const QString &path,
                                         const Progress &progress)
{
    QSaveFile file(path);
    // Private: request and response headers and bodies may hold personal data.
    if (!file.open(QIODevice::WriteOnly) ||
        !file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner))
        return StorageError{StorageError::Kind::CannotOpen,
                            tr("Cannot write %1: %2").arg(path, file.errorString())};
    Result<qint64> written = write(store, filter, format, &file, progress);
    if (!written) {
        file.cancelWriting();
        return written;
    }
    if (!file.commit())
        return StorageError{StorageError::Kind::Other,
                            tr("Cannot write %1: %2").arg(path, file.errorString())};
    return written;
}
