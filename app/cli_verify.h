#pragma once

#include <QCoreApplication>
#include <QString>
#include <QStringList>

class CliSession;

// "verify": checks a webhook request's signature as its receiver would,
// from files a receiver dumped or from an attempt in the log. Exit 0 when it
// verifies, 3 with the reason when it does not. Secrets are never printed.
class CliVerify final
{
    Q_DECLARE_TR_FUNCTIONS(CliVerify)

public:
    static QString usage();
    // args: what follows "verify".
    static int run(CliSession &session, const QStringList &args);
};
