#pragma once

#include "domain/attempt.h"

#include <QCoreApplication>
#include <QJsonObject>
#include <QString>
#include <QStringList>

class CliParser;
class CliSession;
struct LogFilter;

// "deliveries [--status ok|failed|pending] [--hook ID] [--event KEY]
// [--limit N] [--json]": the log of attempts, newest first.
class CliDeliveries final
{
    Q_DECLARE_TR_FUNCTIONS(CliDeliveries)

public:
    static constexpr int DefaultLimit = 50;

    static QString usage();
    // args: what follows "deliveries".
    static int run(CliSession &session, const QStringList &args);

    // --since and --until (parsed options) into the filter; the problem, or
    // an empty string.
    static QString applyTimeWindow(const CliParser &parser, LogFilter *filter);

    // One attempt as --json shows it; secrets are masked in the store already.
    static QJsonObject toJson(const Attempt &attempt);
};
