#pragma once

#include <QCoreApplication>
#include <QString>
#include <QStringList>

class CliSession;

// "intake token [--rotate]": the bearer token the listener's intake asks for.
class CliIntake final
{
    Q_DECLARE_TR_FUNCTIONS(CliIntake)

public:
    static QString usage();
    // args: what follows "intake".
    static int run(CliSession &session, const QStringList &args);
};
