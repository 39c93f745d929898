#include "gui_main.h"

#include "delivery/delivery_store.h"
#include "delivery/engine_host.h"
#include "main_window.h"
#include "message_banner.h"
#include "store/database.h"
#include "store/hook_store.h"
#include "store/inbox_store.h"
#include "store/listener_settings_store.h"

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
    // Everything the window holds for one database, in the order it is torn
    // down: the window, the engine (its own thread and connection), the
    // stores, the database.
    struct Session
    {
        explicit Session(std::unique_ptr<Database> opened)
            : database(std::move(opened))
            , store(database.get())
            , deliveries(database.get())
            , inbox(database.get())
            , listenerSettings(database.get())
            , service(database->path())
            , window(&store, database->path())
        {
        }
        std::unique_ptr<Database> database;
        HookStore store;
        DeliveryStore deliveries;
        InboxStore inbox;
        ListenerSettingsStore listenerSettings;
        EngineHost service;
        MainWindow window;
    };
    std::unique_ptr<Session> session;
    std::function<void(std::unique_ptr<Database>)> start;
    start = [&session, &start](std::unique_ptr<Database> opened) {
        session = std::make_unique<Session>(std::move(opened));
        Session *s = session.get();
        s->window.setDeliveryService(&s->service, &s->deliveries);
        s->window.setInboxStore(&s->inbox);
        s->window.setListenerSettings(&s->listenerSettings);
        // The file opens, but others may read its secrets: say so without stopping.
        if (const QString warning = s->database->permissionWarning(); !warning.isEmpty())
            s->window.banner()->showMessage(warning);
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
