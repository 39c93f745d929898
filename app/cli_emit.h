#pragma once

#include <QCoreApplication>
#include <QString>
#include <QStringList>
#include <optional>

class CliSession;

// "emit KEY [--project ID] [--data FILE|- | --jsonl FILE|-] [--queue]": stores
// an event (or one per line) and its deliveries, then makes the first attempt
// of each unless --queue.
class CliEmit final
{
    Q_DECLARE_TR_FUNCTIONS(CliEmit)

public:
    static QString usage();
    // args: what follows "emit".
    static int run(CliSession &session, const QStringList &args);

private:
    // --jsonl: one event per line, each in its own transaction.
    static int runLines(CliSession &session, const QString &key, std::optional<qint64> projectId,
                        const QString &path, bool queue);
};
