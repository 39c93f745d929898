#pragma once

#include <QCoreApplication>
#include <QString>
#include <QStringList>

class CliSession;

// "projects add|list|rename|delete": the scopes hooks can be bound to.
class CliProjects final
{
    Q_DECLARE_TR_FUNCTIONS(CliProjects)

public:
    static QString usage();
    // args: what follows "projects".
    static int run(CliSession &session, const QStringList &args);

private:
    static int list(CliSession &session, const QStringList &args);
    static int add(CliSession &session, const QStringList &args);
    static int rename(CliSession &session, const QStringList &args);
    static int remove(CliSession &session, const QStringList &args);
};
