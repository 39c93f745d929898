#pragma once

#include <QCoreApplication>
#include <QString>
#include <QStringList>

class CliSession;

// "migrate --from LOCATION --to LOCATION": copies one database into another
// (a SQLite file into PostgreSQL, for team mode), all or nothing.
class CliMigrate final
{
    Q_DECLARE_TR_FUNCTIONS(CliMigrate)

public:
    static QString usage();
    // args: what follows "migrate". The session's --db is not used.
    static int run(CliSession &session, const QStringList &args);
};
