#pragma once

#include <QCoreApplication>
#include <QString>
#include <QStringList>

class CliSession;

// "test HOOK_ID [--event KEY] [--data FILE]": one test send to one hook,
// never retried, with the outcome at once.
class CliTestSend final
{
    Q_DECLARE_TR_FUNCTIONS(CliTestSend)

public:
    static QString usage();
    // args: what follows "test".
    static int run(CliSession &session, const QStringList &args);
};
