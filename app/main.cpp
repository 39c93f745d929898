#include "command_line.h"
#include "gui_main.h"
#include "localization.h"

#include <QApplication>

int main(int argc, char *argv[])
{
    QCoreApplication::setApplicationName(QStringLiteral("webhook-admin"));
    QCoreApplication::setApplicationVersion(QStringLiteral(WEBHOOK_ADMIN_VERSION));

    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments.append(QString::fromLocal8Bit(argv[i]));
    const CommandLine::Invocation invocation = CommandLine::classify(arguments);

    if (invocation.mode != CommandLine::Mode::Gui) {
        // Commands run without a display.
        QCoreApplication app(argc, argv);
        installTranslators(app);
        // Again, now that tr() translates: its usage errors are shown to the user.
        return CommandLine::run(CommandLine::classify(arguments));
    }
    QApplication app(argc, argv);
    installTranslators(app);
    return runGui(app, CommandLine::databasePath(invocation));
}
