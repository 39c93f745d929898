#pragma once

#include <QCoreApplication>
#include <QString>
#include <QStringList>

class CliSession;

// "serve": the headless dispatcher. Sends whatever is due, retries on
// schedule, prunes old attempts, and stops cleanly on SIGINT or SIGTERM.
class CliServe final
{
    Q_DECLARE_TR_FUNCTIONS(CliServe)

public:
    // How long in-flight attempts may take to finish after a stop signal.
    static constexpr int StopGraceMs = 5000;
    static constexpr int PruneIntervalMs = 60 * 60 * 1000;

    static QString usage();
    // args: what follows "serve".
    static int run(CliSession &session, const QStringList &args);
};
