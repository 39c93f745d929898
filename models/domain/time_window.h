#pragma once

#include <QCoreApplication>
#include <QDateTime>
#include <QString>
#include <optional>

// The times an operator types: durations ("90s", "30m", "2h", "3d") and
// points in time, ISO 8601 or relative to now ("2h" is two hours ago).
class TimeWindow final
{
    Q_DECLARE_TR_FUNCTIONS(TimeWindow)

public:
    TimeWindow() = delete;

    // Seconds of "N", "Ns", "Nm", "Nh" or "Nd" (N a whole number, 0 allowed);
    // nothing when malformed or longer than a year.
    static std::optional<qint64> parseDuration(const QString &text);
    // ISO 8601 (a date, or a date and time; without an offset it is local
    // time) or a duration before now. Nothing when neither.
    static std::optional<QDateTime> parseTime(const QString &text, const QDateTime &now);
    // What the command line says about a TIME it cannot read.
    static QString timeError(const QString &option, const QString &text);
};
