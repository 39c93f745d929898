#pragma once

#include <QCoreApplication>
#include <QString>
#include <QStringList>

class CliParser;
class CliSession;
struct Webhook;

// "hooks list|show|add|update|remove|import|export": configuring webhooks
// from scripts, with the same validation as the settings page.
class CliHooks final
{
    Q_DECLARE_TR_FUNCTIONS(CliHooks)

public:
    static constexpr qint64 DefaultOverlapSeconds = 24 * 3600;

    static QString usage();
    // args: what follows "hooks".
    static int run(CliSession &session, const QStringList &args);

private:
    static int list(CliSession &session, const QStringList &args);
    static int show(CliSession &session, const QStringList &args);
    static int add(CliSession &session, const QStringList &args);
    static int update(CliSession &session, const QStringList &args);
    static int remove(CliSession &session, const QStringList &args);
    static int resume(CliSession &session, const QStringList &args);
    static int rotateSecret(CliSession &session, const QStringList &args);
    static int stats(CliSession &session, const QStringList &args);
    static int testFilter(CliSession &session, const QStringList &args);
    static int importFile(CliSession &session, const QStringList &args);
    static int exportFile(CliSession &session, const QStringList &args);

    static void addEditOptions(CliParser &parser, bool forUpdate);
    // Applies the options given; returns the problem, or an empty string.
    static QString applyEditOptions(const CliParser &parser, Webhook *hook);
    static QString describeHook(const Webhook &hook, const QString &projectTitle);
};
