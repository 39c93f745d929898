#include "gui_main.h"
#include "localization.h"
#include "store/database.h"

#include <QApplication>

int main(int argc, char *argv[])
{
    QCoreApplication::setApplicationName(QStringLiteral("webhook-admin"));
    QCoreApplication::setApplicationVersion(QStringLiteral(WEBHOOK_ADMIN_VERSION));
    QApplication app(argc, argv);
    installTranslators(app);
    return runGui(app, Database::defaultPath());
}
