#pragma once

#include <QCoreApplication>
#include <QString>
#include <QStringList>

class CliSession;

// "emit KEY [--project ID] [--data FILE|-] [--queue]": stores an event and its
// deliveries, then makes the first attempt of each unless --queue.
class CliEmit final
{
    Q_DECLARE_TR_FUNCTIONS(CliEmit)

public:
    static QString usage();
    // args: what follows "emit".
    static int run(CliSession &session, const QStringList &args);
};
