#include "gui_main.h"

#include "main_window.h"
#include "store/database.h"
#include "store/hook_store.h"

#include <QApplication>
#include <QMessageBox>

int runGui(QApplication &app, const QString &databasePath)
{
    QApplication::setDesktopFileName(QStringLiteral("io.github.webhookadmin.WebhookAdmin"));

    Database database;
    if (const std::optional<StorageError> error = database.open(databasePath)) {
        // One clear message rather than a window that cannot work.
        QMessageBox::critical(nullptr,
                              QCoreApplication::translate("runGui", "Cannot Open the Database"),
                              error->message);
        return 4;
    }
    HookStore store(&database);
    MainWindow window(&store, database.path());
    window.show();
    return app.exec();
}
