#include "gui_main.h"

#include "delivery/delivery_service.h"
#include "delivery/delivery_store.h"
#include "main_window.h"
#include "message_banner.h"
#include "store/database.h"
#include "store/hook_store.h"

#include <QApplication>
#include <QMessageBox>
#include <QTimer>

int runGui(QApplication &app, const QString &databasePath)
{
    QApplication::setDesktopFileName(QStringLiteral("io.github.webhookadmin.WebhookAdmin"));

    Database database;
    if (const std::optional<StorageError> error = database.open(databasePath)) {
        // One clear message rather than a window that cannot work, with a next
        // step a user who started the app from a menu can take.
        QMessageBox box(QMessageBox::Critical,
                        QCoreApplication::translate("runGui", "Cannot Open the Database"),
                        error->message, QMessageBox::Ok);
        if (error->kind == StorageError::Kind::NotADatabase)
            box.setInformativeText(QCoreApplication::translate(
                "runGui", "Move this file away, or restore it from a backup, and start Webhook "
                          "Admin again: it then creates a new, empty database in its place."));
        box.exec();
        return 4;
    }
    HookStore store(&database);
    DeliveryStore deliveries(&database);
    // The engine sends on its own thread with its own connection; destroyed
    // after the window and before the database.
    DeliveryService service(database.path());
    MainWindow window(&store, database.path());
    window.setDeliveryService(&service, &deliveries);
    // The file opens, but others may read its secrets: say so without stopping.
    if (const QString warning = database.permissionWarning(); !warning.isEmpty())
        window.banner()->showMessage(warning);
    window.show();
    // Once the window is up, so a backlog of deliveries does not delay it.
    QTimer::singleShot(0, &service, &DeliveryService::start);
    QObject::connect(&app, &QCoreApplication::aboutToQuit, &service, &DeliveryService::stop);
    const int result = app.exec();
    service.stop();
    return result;
}
