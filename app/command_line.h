#pragma once

#include <QCoreApplication>
#include <QString>
#include <QStringList>

// Decides between the GUI and a command, and runs the commands. Deciding
// needs no QCoreApplication, so main() can pick QCoreApplication for commands
// and never touch the display.
class CommandLine final
{
    Q_DECLARE_TR_FUNCTIONS(CommandLine)

public:
    enum class Mode { Gui, Command, Help, Version, UsageError };

    struct Invocation
    {
        Mode mode = Mode::Gui;
        QString databasePath; // from --db; empty for the default
        QStringList command;  // the command word and what follows it, without --db
        QString error;        // for Mode::UsageError
    };

    // arguments as in main(), the program name first.
    static Invocation classify(const QStringList &arguments);

    // Runs every mode but the GUI and returns the exit code; needs a
    // QCoreApplication.
    static int run(const Invocation &invocation);

    // --db, or Database::defaultPath().
    static QString databasePath(const Invocation &invocation);
    static QString usage();
};
