#include "gui_main.h"
#include "hook_editor.h"
#include "main_window.h"
#include "message_banner.h"
#include "store/database.h"
#include "store/hook_store.h"

#include <QAbstractItemView>
#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPointer>
#include <QSettings>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <memory>
#include <sys/stat.h>

// Storage faults as the window shows them: a save refused because another
// writer holds the lock past the busy timeout (one message on the settings
// page, the edits kept and still unsaved), a file that cannot be opened (one
// critical dialog, exit code 4, the file untouched), and a file others can
// read (a warning in the banner, the window works). runGui is the real
// start-up path of the binary, run in this process so its dialogs can be read.
class TestGuiStorageFaults : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void saveWhileLockedKeepsTheEdits();
    void unopenableFileShowsOneCriticalDialog_data();
    void unopenableFileShowsOneCriticalDialog();
    void widePermissionsShowInTheBanner_data();
    void widePermissionsShowInTheBanner();

private:
    QString path() const { return m_dir->filePath(QStringLiteral("gui.sqlite")); }
    static QByteArray fileBytes(const QString &path);

    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestGuiStorageFaults::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
}

void TestGuiStorageFaults::init()
{
    QSettings(QStringLiteral("webhook-admin"), QStringLiteral("webhook-admin")).clear();
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void TestGuiStorageFaults::cleanup()
{
    m_dir.reset();
    QSettings(QStringLiteral("webhook-admin"), QStringLiteral("webhook-admin")).clear();
}

QByteArray TestGuiStorageFaults::fileBytes(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

void TestGuiStorageFaults::saveWhileLockedKeepsTheEdits()
{
    Database database;
    QVERIFY(!database.open(path()));
    HookStore store(&database);
    Webhook hook;
    hook.url = QStringLiteral("https://stored.example.com/hook");
    const Result<Webhook> saved = store.saveHook(hook);
    QVERIFY(saved);

    MainWindow window(&store, database.path());
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    // Select it in the list, as a user would.
    auto *list = window.findChild<QAbstractItemView *>(QStringLiteral("hookList"));
    QVERIFY(list);
    QTRY_COMPARE(list->model()->rowCount(), 1);
    list->setCurrentIndex(list->model()->index(0, 0));
    HookEditor *editor = window.editor();
    QTRY_VERIFY(editor->isVisible());
    QCOMPARE(editor->hookId(), saved->id);
    auto *url = editor->findChild<QLineEdit *>(QStringLiteral("urlEdit"));
    QVERIFY(url);
    url->selectAll();
    QTest::keyClicks(url, QStringLiteral("https://edited.example.com/hook"));
    QVERIFY(editor->isDirty());

    // Another writer takes the lock and keeps it past the busy timeout.
    const QString name = QStringLiteral("other-writer");
    {
        QSqlDatabase other = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        other.setDatabaseName(path());
        QVERIFY(other.open());
        QSqlQuery query(other);
        QVERIFY(query.exec(QStringLiteral("BEGIN IMMEDIATE")));
        QVERIFY(query.exec(QStringLiteral("UPDATE webhooks SET description = 'uncommitted'")));

        QElapsedTimer clock;
        clock.start();
        QVERIFY(!editor->save());
        QVERIFY(clock.elapsed() >= Database::BusyTimeoutMs - 500);
        auto *message = editor->findChild<QLabel *>(QStringLiteral("storeError"));
        QVERIFY(message);
        QVERIFY(message->isVisible());
        QVERIFY2(message->text().contains(QStringLiteral("locked")), qPrintable(message->text()));
        QVERIFY2(message->text().contains(QStringLiteral("not saved")),
                 qPrintable(message->text()));
        // The edits are still there, still unsaved, and Save is still offered.
        QVERIFY(editor->isDirty());
        QCOMPARE(url->text(), QStringLiteral("https://edited.example.com/hook"));
        QCOMPARE(editor->formState().url, QStringLiteral("https://edited.example.com/hook"));
        QVERIFY(window.isWindowModified());

        QVERIFY(query.exec(QStringLiteral("ROLLBACK")));
        other.close();
    }
    QSqlDatabase::removeDatabase(name);
    // What was stored is as it was.
    QCOMPARE(store.hook(saved->id).value(), saved.value());

    // With the lock gone the same Save works.
    QVERIFY(editor->save());
    QVERIFY(!editor->isDirty());
    QCOMPARE(store.hook(saved->id)->url, QStringLiteral("https://edited.example.com/hook"));
    QVERIFY(!editor->findChild<QLabel *>(QStringLiteral("storeError"))->isVisible());
}

void TestGuiStorageFaults::unopenableFileShowsOneCriticalDialog_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("message");
    QTest::newRow("corrupt file") << QStringLiteral("corrupt") << QStringLiteral("damaged");
    QTest::newRow("newer schema") << QStringLiteral("newer")
                                  << QStringLiteral("newer Webhook Admin");
}

void TestGuiStorageFaults::unopenableFileShowsOneCriticalDialog()
{
    QFETCH(QString, kind);
    QFETCH(QString, message);
    if (kind == QLatin1String("corrupt")) {
        QFile file(path());
        QVERIFY(file.open(QIODevice::WriteOnly));
        QByteArray noise(64 * 1024, '\0');
        for (int i = 0; i < noise.size(); ++i)
            noise[i] = char((i * 7919 + 13) % 251);
        file.write(noise);
    } else {
        const QString name = QStringLiteral("setup");
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
            db.setDatabaseName(path());
            QVERIFY(db.open());
            QSqlQuery query(db);
            QVERIFY(query.exec(QStringLiteral("CREATE TABLE t (x INTEGER)")));
            QVERIFY(query.exec(
                QStringLiteral("PRAGMA application_id = %1").arg(Database::ApplicationId)));
            QVERIFY(query.exec(
                QStringLiteral("PRAGMA user_version = %1").arg(Database::SchemaVersion + 1)));
            db.close();
        }
        QSqlDatabase::removeDatabase(name);
    }
    const QByteArray before = fileBytes(path());

    // Answers every dialog the start-up shows, and remembers it.
    QStringList dialogs;
    QTimer answer;
    connect(&answer, &QTimer::timeout, this, [&dialogs] {
        auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget());
        if (!box)
            return;
        dialogs.append(QStringLiteral("%1|%2|%3 %4")
                           .arg(int(box->icon()))
                           .arg(box->windowTitle(), box->text(), box->informativeText()));
        box->done(QMessageBox::Ok);
    });
    answer.start(20);
    // And gives up rather than hang should a window open instead.
    QTimer giveUp;
    giveUp.setSingleShot(true);
    connect(&giveUp, &QTimer::timeout, this, [] {
        for (QWidget *w : QApplication::topLevelWidgets())
            w->close();
        QCoreApplication::exit(99);
    });
    giveUp.start(20000);
    const int code = runGui(*qobject_cast<QApplication *>(qApp), path());
    answer.stop();
    giveUp.stop();

    QCOMPARE(code, 4);
    QCOMPARE(dialogs.size(), 1);
    const QStringList parts = dialogs.first().split(QLatin1Char('|'));
    QCOMPARE(parts.at(0).toInt(), int(QMessageBox::Critical));
    QCOMPARE(parts.at(1), QStringLiteral("Cannot Open the Database"));
    QVERIFY2(parts.at(2).contains(message), qPrintable(parts.at(2)));
    QVERIFY2(parts.at(2).contains(path()), qPrintable(parts.at(2)));
    // Advice a window user can follow: no command-line options (issue 13).
    QVERIFY2(!parts.at(2).contains(QLatin1String("--db")), qPrintable(parts.at(2)));
    if (kind == QLatin1String("corrupt"))
        QVERIFY2(parts.at(2).contains(QLatin1String("Move this file away")),
                 qPrintable(parts.at(2)));
    QCOMPARE(fileBytes(path()), before);
    QVERIFY(!QFile::exists(path() + QStringLiteral("-wal")));
}

void TestGuiStorageFaults::widePermissionsShowInTheBanner_data()
{
    QTest::addColumn<int>("mode");
    QTest::addColumn<bool>("warns");
    QTest::newRow("0644") << 0644 << true;
    QTest::newRow("0640") << 0640 << true;
    QTest::newRow("0600") << 0600 << false;
}

void TestGuiStorageFaults::widePermissionsShowInTheBanner()
{
    QFETCH(int, mode);
    QFETCH(bool, warns);
    {
        Database database;
        QVERIFY(!database.open(path()));
        HookStore store(&database);
        Webhook hook;
        hook.url = QStringLiteral("https://stored.example.com/hook");
        QVERIFY(store.saveHook(hook));
    }
    QVERIFY(::chmod(QFile::encodeName(path()).constData(), mode_t(mode)) == 0);

    QString bannerText;
    bool bannerVisible = false;
    int hooksShown = -1;
    int dialogs = 0;
    QTimer look;
    connect(&look, &QTimer::timeout, this, [&] {
        if (QApplication::activeModalWidget()) {
            ++dialogs;
            QApplication::activeModalWidget()->close();
            return;
        }
        for (QWidget *w : QApplication::topLevelWidgets()) {
            auto *window = qobject_cast<MainWindow *>(w);
            if (!window || !window->isVisible())
                continue;
            bannerText = window->banner()->message();
            bannerVisible = window->banner()->isVisible();
            auto *list = window->findChild<QAbstractItemView *>(QStringLiteral("hookList"));
            hooksShown = list && list->model() ? list->model()->rowCount() : -1;
            window->close(); // the last window: the application quits
            return;
        }
    });
    look.start(50);
    QTimer giveUp;
    giveUp.setSingleShot(true);
    connect(&giveUp, &QTimer::timeout, this, [] { QCoreApplication::exit(99); });
    giveUp.start(20000);
    const int code = runGui(*qobject_cast<QApplication *>(qApp), path());
    look.stop();
    giveUp.stop();

    QCOMPARE(code, 0);
    QCOMPARE(dialogs, 0);
    QCOMPARE(hooksShown, 1); // the window works with the file
    if (!warns) {
        QVERIFY2(!bannerVisible, qPrintable(bannerText));
        return;
    }
    QVERIFY(bannerVisible);
    QCOMPARE(bannerText, QStringLiteral("%1 is readable by other users; it holds secrets "
                                        "(chmod 600 %1)")
                             .arg(path()));
    // A warning only: the mode is the user's to change.
    QCOMPARE(int(QFile::permissions(path()) & QFileDevice::ReadOther) != 0, (mode & 04) != 0);
}

QTEST_MAIN(TestGuiStorageFaults)
#include "tst_gui_storage_faults.moc"
