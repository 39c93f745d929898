#pragma once

#include <QCoreApplication>
#include <QString>
#include <QStringList>

class CliSession;

// "events [--json]", "events add|update|delete": the event catalog, custom
// types included (built-in types are read-only).
class CliEvents final
{
    Q_DECLARE_TR_FUNCTIONS(CliEvents)

public:
    static QString usage();
    // args: what follows "events".
    static int run(CliSession &session, const QStringList &args);

private:
    static int list(CliSession &session, const QStringList &args);
    static int add(CliSession &session, const QStringList &args);
    static int update(CliSession &session, const QStringList &args);
    static int remove(CliSession &session, const QStringList &args);
};
