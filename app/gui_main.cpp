#include "gui_main.h"

#include "delivery/delivery_store.h"
#include "delivery/engine_host.h"
#include "general_preferences_page.h"
#include "main_window.h"
#include "message_banner.h"
#include "notify/desktop_notifications.h"
#include "notify/failure_notifier.h"
#include "open_database_dialog.h"
#include "server_wait_page.h"
#include "store/database.h"
#include "store/database_location.h"
#include "store/hook_stats_store.h"
#include "store/hook_store.h"
#include "store/inbox_store.h"
#include "store/listener_settings_store.h"
#include "store/secret_rotation_store.h"
#include "store/server_watch.h"
#include "store/store_writer.h"

#include <QApplication>
#include <QIcon>
#include <QMessageBox>
#include <QStatusBar>
#include <QTimer>
#include <functional>
#include <memory>

namespace {

// One clear message rather than a window that cannot work, with a next step a
// user who started the app from a menu can take.
void showOpenError(const StorageError &error)
{
    QMessageBox box(QMessageBox::Critical,
                    QCoreApplication::translate("runGui", "Cannot Open the Database"),
                    error.message, QMessageBox::Ok);
    if (error.kind == StorageError::Kind::NotADatabase)
        box.setInformativeText(QCoreApplication::translate(
            "runGui", "Move this file away, or restore it from a backup, and start Webhook "
                      "Admin again: it then creates a new, empty database in its place."));
    box.exec();
}

} // namespace

int runGui(QApplication &app, const QString &databasePath)
{
    QApplication::setDesktopFileName(QStringLiteral("io.github.webhookadmin.WebhookAdmin"));

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
        // A server that stops answering: said in the banner, connected again.
        ServerWatch connectionWatch;
        QString connectionMessage;
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
        // The window keeps what it shows while its server is away; the
        // engine and the writer connect again on their own.
        const auto sayLost = [s](const QString &reason) {
            //: %1 says why, e.g. "server closed the connection unexpectedly"
            s->connectionMessage =
                QCoreApplication::translate(
                    "runGui", "Lost the connection to the database server (%1). Connecting "
                              "again; until then the window shows what it last read.")
                    .arg(reason);
            s->window.banner()->showMessage(s->connectionMessage);
        };
        QObject::connect(&s->connectionWatch, &ServerWatch::lost, &s->window, sayLost);
        QObject::connect(&s->connectionWatch, &ServerWatch::unavailable, &s->window,
                         [sayLost](const QString &reason) { sayLost(reason); });
        // Back, but refusing this login (a password changed meanwhile): said,
        // and not tried again; File → Open Database… opens it anew.
        QObject::connect(&s->connectionWatch, &ServerWatch::denied, &s->window,
                         [s](const QString &message) {
                             s->connectionMessage = message;
                             s->window.banner()->showMessage(message);
                         });
        // While the server is away the engine's failures say the same, less
        // clearly: the banner keeps saying what happened.
        QObject::connect(&s->service, &EngineHost::failed, &s->window, [s] {
            if (!s->connectionMessage.isEmpty())
                s->window.banner()->showMessage(s->connectionMessage);
        });
        QObject::connect(&s->connectionWatch, &ServerWatch::restored, &s->window, [s] {
            if (s->window.banner()->message() == s->connectionMessage)
                s->window.banner()->dismiss();
            s->connectionMessage.clear();
            s->window.statusBar()->showMessage(
                QCoreApplication::translate("runGui", "Connected to the database server again"),
                10000);
            s->store.lookAgain();
        });
        s->connectionWatch.watch(s->database.get());
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

    // A server that does not answer yet: a page that says so and tries again
    // (on a worker thread, with backoff) until the window can open.
    ServerWatch waiting;
    QString waitingFor;
    std::unique_ptr<ServerWaitPage> waitPage;
    const auto showWaitPage = [&waitPage, &waitingFor, &waiting, &start]() -> ServerWaitPage * {
        if (waitPage)
            return waitPage.get();
        waitPage = std::make_unique<ServerWaitPage>(waitingFor);
        waitPage->setWindowTitle(QCoreApplication::translate("runGui", "Webhook Admin — %1")
                                     .arg(DatabaseLocation::masked(waitingFor)));
        waitPage->setWindowIcon(QIcon(QStringLiteral(":/icons/webhook-admin.svg")));
        waitPage->resize(MainWindow::DefaultWidth, MainWindow::DefaultHeight);
        ServerWaitPage *page = waitPage.get();
        QObject::connect(page, &ServerWaitPage::tryNowRequested, page, [page, &waiting] {
            page->showConnecting();
            waiting.tryNow();
        });
        // Another database, or the same address corrected (a refused login):
        // the dialog tries it on a worker thread before the page gives way.
        const auto openFromDialog = [page, &waitPage, &waitingFor, &waiting,
                                     &start](bool correcting) {
            OpenDatabaseDialog dialog(page);
            dialog.setLocation(waitingFor);
            if (correcting)
                dialog.focusPassword();
            if (dialog.exec() != QDialog::Accepted)
                return;
            const QString chosen = dialog.location();
            MainWindow::rememberDatabase(chosen);
            // The dialog opened it on a worker thread: it answers.
            auto next = std::make_unique<Database>();
            if (const std::optional<StorageError> error = next->open(chosen)) {
                QMessageBox::warning(page, dialog.windowTitle(), error->message);
                return;
            }
            waiting.stop();
            start(std::move(next));
            // Its button's click is still on the stack.
            waitPage.release()->deleteLater();
        };
        QObject::connect(page, &ServerWaitPage::openAnotherRequested, page,
                         [openFromDialog] { openFromDialog(false); });
        QObject::connect(page, &ServerWaitPage::editConnectionRequested, page,
                         [openFromDialog] { openFromDialog(true); });
        waitPage->show();
        return page;
    };
    QObject::connect(&waiting, &ServerWatch::unavailable, &app,
                     [showWaitPage](const QString &reason, int retryInMs) {
                         showWaitPage()->showUnavailable(reason, retryInMs);
                     });
    // A refused login is not an outage: said on the page, not tried again.
    QObject::connect(&waiting, &ServerWatch::denied, &app, [showWaitPage](const QString &message) {
        showWaitPage()->showRefused(message);
    });
    QObject::connect(&waiting, &ServerWatch::refused, &app, [&waitPage](const QString &message) {
        waitPage.reset();
        showOpenError({StorageError::Kind::Other, message});
        QCoreApplication::exit(4);
    });
    QObject::connect(
        &waiting, &ServerWatch::available, &app,
        [&waitPage, &waitingFor, &waiting, &start, showWaitPage] {
            // It answered a moment ago: opening it here is quick.
            auto next = std::make_unique<Database>();
            if (const std::optional<StorageError> error = next->open(waitingFor)) {
                if (error->kind == StorageError::Kind::AccessDenied) {
                    showWaitPage()->showRefused(error->message);
                    return;
                }
                if (error->kind != StorageError::Kind::CannotOpen) {
                    waitPage.reset();
                    showOpenError(*error);
                    QCoreApplication::exit(4);
                    return;
                }
                showWaitPage()->showUnavailable(error->message, ServerWatch::FirstRetryMs);
                QTimer::singleShot(ServerWatch::FirstRetryMs, &waiting,
                                   [&waiting, &waitingFor] { waiting.waitFor(waitingFor); });
                return;
            }
            start(std::move(next)); // shows the window first
            waitPage.reset();
        });

    if (DatabaseLocation::isServerAddress(databasePath)) {
        waitingFor = databasePath;
        waiting.waitFor(databasePath);
        // A server that is slow to answer (an unreachable host waits out
        // libpq's connect timeout) gets the page at once, saying so.
        QTimer::singleShot(400, &waiting, [&waiting, showWaitPage] {
            if (waiting.isTrying())
                showWaitPage()->showConnecting();
        });
    } else {
        auto database = std::make_unique<Database>();
        if (const std::optional<StorageError> error = database->open(databasePath)) {
            showOpenError(*error);
            return 4;
        }
        start(std::move(database));
    }
    const int result = app.exec();
    waiting.stop();
    waitPage.reset();
    if (session)
        session->service.stop();
    session.reset();
    return result;
}
