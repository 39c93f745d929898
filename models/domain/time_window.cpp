#include "time_window.h"

#include <QRegularExpression>

std::optional<qint64> TimeWindow::parseDuration(const QString &text)
{
    static const QRegularExpression pattern(QStringLiteral("^\\s*(\\d{1,9})\\s*([smhd]?)\\s*$"),
                                            QRegularExpression::CaseInsensitiveOption);
    const QRegularExpressionMatch match = pattern.match(text);
    if (!match.hasMatch())
        return std::nullopt;
    const qint64 count = match.captured(1).toLongLong();
    const QString unit = match.captured(2).toLower();
    const qint64 factor = unit == QLatin1String("m")   ? 60
                          : unit == QLatin1String("h") ? 3600
                          : unit == QLatin1String("d") ? 86400
                                                       : 1;
    const qint64 seconds = count * factor;
    if (seconds > 366LL * 86400)
        return std::nullopt;
    return seconds;
}

std::optional<QDateTime> TimeWindow::parseTime(const QString &text, const QDateTime &now)
{
    const QString trimmed = text.trimmed();
    if (trimmed.isEmpty())
        return std::nullopt;
    // A bare number is a duration in seconds, not a year.
    if (const auto seconds = parseDuration(trimmed))
        return now.addSecs(-*seconds);
    QDateTime time = QDateTime::fromString(trimmed, Qt::ISODateWithMs);
    if (!time.isValid())
        time = QDateTime::fromString(trimmed, Qt::ISODate);
    if (!time.isValid()) {
        const QDate date = QDate::fromString(trimmed, Qt::ISODate);
        if (date.isValid())
            time = date.startOfDay();
    }
    if (!time.isValid())
        return std::nullopt;
    return time.toUTC();
}

QString TimeWindow::timeError(const QString &option, const QString &text)
{
    //: %1 is an option such as --since, %2 what was given
    return tr("%1 \"%2\" is neither an ISO 8601 time (2026-12-01T08:00, 2026-12-01) nor a time "
              "ago (30m, 2h, 3d).")
        .arg(option, text);
}
