#pragma once

#include <QCoreApplication>
#include <QString>
#include <QStringList>

class CliSession;

// "redeliver DELIVERY_ID" and "redeliver --failed [--hook ID] [--event KEY]":
// sends deliveries again now, with the same webhook-id, marked manual.
class CliRedeliver final
{
    Q_DECLARE_TR_FUNCTIONS(CliRedeliver)

public:
    static QString usage();
    // args: what follows "redeliver".
    static int run(CliSession &session, const QStringList &args);
};
