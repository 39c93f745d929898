#pragma once

#include <QCoreApplication>
#include <QString>
#include <QStringList>

class CliSession;

// "settings" and "settings set NAME VALUE": the delivery settings kept in the
// database file and shared by every process that opens it.
class CliSettings final
{
    Q_DECLARE_TR_FUNCTIONS(CliSettings)

public:
    static QString usage();
    static int run(CliSession &session, const QStringList &args);

private:
    static int show(CliSession &session, const QStringList &args);
    static int set(CliSession &session, const QStringList &args);
};
