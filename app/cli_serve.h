#pragma once

#include <QCoreApplication>
#include <QString>
#include <QStringList>

class CliSession;

// "serve": the headless engine host. Sends whatever is due, retries on
// schedule, prunes old attempts, with --listen runs the HTTP listener, and
// stops cleanly on SIGINT or SIGTERM (within EngineHost::StopGraceMs).
class CliServe final
{
    Q_DECLARE_TR_FUNCTIONS(CliServe)

public:
    static QString usage();
    // args: what follows "serve".
    static int run(CliSession &session, const QStringList &args);
};
