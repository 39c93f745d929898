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
#include "store/store_writer.h"

#include <QApplication>
#include <QMessageBox>
#include <QTimer>
#include <functional>
#include <memory>

int runGui(QApplication &app, const QString &databasePath)
{
    QApplication::setDesktopFileName(QStringLiteral("io.github.webhookadmin.WebhookAdmin"));

    auto database = std::make_unique<Database>();
    if (const std::optional<StorageError> error = database->open(databasePath)) {
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
    // Failures reach a person: a desktop notification (freedesktop, over the
    // session bus) when a hook breaks; clicking it shows the hook or the row.
    DesktopNotifications notifications(QDBusConnection::sessionBus());
    // Everything the window holds for one database, in the order it is torn
    // down: the failure checks, the window, the engine (its own thread and
    // connection), the stores, the database.
    struct Session
    {
        Session(std::unique_ptr<Database> opened, DesktopNotifications *notifications)
            : database(std::move(opened))
            , store(database.get())
            , deliveries(database.get())
            , rotations(database.get())
            , hookStats(database.get())
            , inbox(database.get())
            , listenerSettings(database.get())
            , service(database->path())
            , writer(database->path())
            , window(&store, database->path())
            , notifier(database.get(), notifications)
        {
        }
        std::unique_ptr<Database> database;
        HookStore store;
        DeliveryStore deliveries;
        SecretRotationStore rotations;
        HookStatsStore hookStats;
        InboxStore inbox;
        ListenerSettingsStore listenerSettings;
        EngineHost service;
        // The window's writes, on a thread and connection of their own.
        StoreWriter writer;
        MainWindow window;
        FailureNotifier notifier;
        QTimer failureCheck; // one look a second at most, however busy the engine is
    };
    std::unique_ptr<Session> session;
    std::function<void(std::unique_ptr<Database>)> start;
    start = [&session, &start, &notifications](std::unique_ptr<Database> opened) {
        session = std::make_unique<Session>(std::move(opened), &notifications);
        Session *s = session.get();
        s->window.setStoreWriter(&s->writer);
        s->window.setDeliveryService(&s->service, &s->deliveries);
        s->window.setSecretRotationStore(&s->rotations);
        s->window.setHookStatsStore(&s->hookStats);
        s->window.setInboxStore(&s->inbox);
        s->window.setListenerSettings(&s->listenerSettings);
        // The file opens, but others may read its secrets: say so without stopping.
        if (const QString warning = s->database->permissionWarning(); !warning.isEmpty())
            s->window.banner()->showMessage(warning);
        s->failureCheck.setSingleShot(true);
        s->failureCheck.setInterval(1000);
        QObject::connect(&s->failureCheck, &QTimer::timeout, &s->notifier, [s] {
            s->notifier.setEnabled(GeneralPreferencesPage::notificationsEnabled());
            s->notifier.check();
        });
        const auto scheduleFailureCheck = [s] {
            if (!s->failureCheck.isActive())
                s->failureCheck.start();
        };
        QObject::connect(&s->service, &EngineHost::attemptsRecorded, &s->failureCheck,
                         scheduleFailureCheck);
        QObject::connect(&s->store, &HookStore::hooksChanged, &s->failureCheck,
                         scheduleFailureCheck);
        QObject::connect(&s->store, &HookStore::otherDataChanged, &s->failureCheck,
                         scheduleFailureCheck);
        QObject::connect(&s->notifier, &FailureNotifier::activated, &s->window,
                         &MainWindow::showFailure);
        s->window.show();
        // Once the window is up, so a backlog of deliveries does not delay it.
        QTimer::singleShot(0, &s->service, [s] {
            s->service.start();
            // The listener, when the file's settings turn it on (Preferences, Listener).
            const ListenerSettings settings = s->listenerSettings.settings();
            if (const QString error = s->service.applyListenerSettings(settings); !error.isEmpty())
                s->window.banner()->showMessage(
                    QCoreApplication::translate("runGui", "The listener does not run: %1")
                        .arg(error));
        });
        QObject::connect(qApp, &QCoreApplication::aboutToQuit, &s->service, &EngineHost::stop);
        // File → Open Database…: the dialog has tried the location on a worker
        // thread; the old window, engine and stores go, new ones come.
        QObject::connect(&s->window, &MainWindow::databaseChosen, qApp,
                         [&session, &start](const QString &location) {
                             QTimer::singleShot(0, qApp, [&session, &start, location] {
                                 auto next = std::make_unique<Database>();
                                 if (const std::optional<StorageError> error =
                                         next->open(location)) {
                                     session->window.banner()->showMessage(error->message);
                                     return;
                                 }
                                 // Closing the old window must not quit the application.
                                 const bool quitOnClose = QGuiApplication::quitOnLastWindowClosed();
                                 QGuiApplication::setQuitOnLastWindowClosed(false);
                                 session->service.stop();
                                 session->window.close(); // saves its layout
                                 session.reset();
                                 start(std::move(next));
                                 QGuiApplication::setQuitOnLastWindowClosed(quitOnClose);
                             });
                         });
    };
    start(std::move(database));
    const int result = app.exec();
    if (session)
        session->service.stop();
    session.reset();
    return result;
}
