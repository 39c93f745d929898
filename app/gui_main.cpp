#include "gui_main.h"

#include "delivery/delivery_store.h"
#include "delivery/engine_host.h"
#include "general_preferences_page.h"
#include "main_window.h"
#include "message_banner.h"
#include "notify/desktop_notifications.h"
#include "notify/failure_notifier.h"
#include "store/database.h"
#include "store/hook_stats_store.h"
#include "store/hook_store.h"
#include "store/inbox_store.h"
#include "store/listener_settings_store.h"
#include "store/secret_rotation_store.h"

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
    SecretRotationStore rotations(&database);
    HookStatsStore hookStats(&database);
    InboxStore inbox(&database);
    ListenerSettingsStore listenerSettings(&database);
    // The engine sends on its own thread with its own connection; destroyed
    // after the window and before the database.
    EngineHost service(database.path());
    MainWindow window(&store, database.path());
    window.setDeliveryService(&service, &deliveries);
    window.setSecretRotationStore(&rotations);
    window.setHookStatsStore(&hookStats);
    window.setInboxStore(&inbox);
    window.setListenerSettings(&listenerSettings);
    // The file opens, but others may read its secrets: say so without stopping.
    if (const QString warning = database.permissionWarning(); !warning.isEmpty())
        window.banner()->showMessage(warning);
    // Failures reach a person: a desktop notification (freedesktop, over the
    // session bus) when a hook breaks; clicking it shows the hook or the row.
    DesktopNotifications notifications(QDBusConnection::sessionBus());
    FailureNotifier notifier(&database, &notifications);
    QTimer failureCheck; // one look a second at most, however busy the engine is
    failureCheck.setSingleShot(true);
    failureCheck.setInterval(1000);
    QObject::connect(&failureCheck, &QTimer::timeout, &notifier, [&notifier] {
        notifier.setEnabled(GeneralPreferencesPage::notificationsEnabled());
        notifier.check();
    });
    const auto scheduleFailureCheck = [&failureCheck] {
        if (!failureCheck.isActive())
            failureCheck.start();
    };
    QObject::connect(&service, &EngineHost::attemptsRecorded, &failureCheck, scheduleFailureCheck);
    QObject::connect(&store, &HookStore::hooksChanged, &failureCheck, scheduleFailureCheck);
    QObject::connect(&store, &HookStore::otherDataChanged, &failureCheck, scheduleFailureCheck);
    QObject::connect(&notifier, &FailureNotifier::activated, &window, &MainWindow::showFailure);
    window.show();
    // Once the window is up, so a backlog of deliveries does not delay it.
    QTimer::singleShot(0, &service, [&service, &database, &window] {
        service.start();
        // The listener, when the file's settings turn it on (Preferences, Listener).
        const ListenerSettings settings = ListenerSettingsStore(&database).settings();
        if (const QString error = service.applyListenerSettings(settings); !error.isEmpty())
            window.banner()->showMessage(
                QCoreApplication::translate("runGui", "The listener does not run: %1").arg(error));
    });
    QObject::connect(&app, &QCoreApplication::aboutToQuit, &service, &EngineHost::stop);
    const int result = app.exec();
    service.stop();
    return result;
}
