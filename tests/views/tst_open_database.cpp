#include "gui_main.h"
#include "hook_editor.h"
#include "main_window.h"
#include "open_database_dialog.h"
#include "store/database.h"
#include "store/hook_store.h"

#include <QAbstractItemView>
#include <QApplication>
#include <QComboBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <memory>

// File → Open Database…: a file or a PostgreSQL server, tried on a worker
// thread before the window switches; recent databases without passwords.
class TestOpenDatabase : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void serverFieldsMakeAUrlWhosePasswordNeverShows();
    void aGoodFileIsTriedOffTheGuiThreadThenAccepted();
    void aBadFileSaysWhyAndStaysOpen();
    void recentDatabasesKeepNoPassword();
    void theWindowSwitchesToTheChosenDatabase();

private:
    QString path(const QString &name) const { return m_dir->filePath(name); }
    qint64 addHook(const QString &file, const QString &url);

    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestOpenDatabase::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
}

void TestOpenDatabase::init()
{
    QSettings(QStringLiteral("webhook-admin"), QStringLiteral("webhook-admin")).clear();
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void TestOpenDatabase::cleanup()
{
    m_dir.reset();
    QSettings(QStringLiteral("webhook-admin"), QStringLiteral("webhook-admin")).clear();
}

qint64 TestOpenDatabase::addHook(const QString &file, const QString &url)
{
    Database database;
    if (database.open(file))
        return 0;
    HookStore store(&database);
    Webhook hook;
    hook.url = url;
    const Result<Webhook> saved = store.saveHook(hook);
    return saved ? saved->id : 0;
}

void TestOpenDatabase::serverFieldsMakeAUrlWhosePasswordNeverShows()
{
    OpenDatabaseDialog dialog;
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    dialog.findChild<QTabWidget *>(QStringLiteral("databasePages"))->setCurrentIndex(1);
    QTest::keyClicks(dialog.findChild<QLineEdit *>(QStringLiteral("serverHostEdit")),
                     QStringLiteral("db.example.com"));
    QTest::keyClicks(dialog.findChild<QLineEdit *>(QStringLiteral("serverDatabaseEdit")),
                     QStringLiteral("webhooks"));
    QTest::keyClicks(dialog.findChild<QLineEdit *>(QStringLiteral("serverUserEdit")),
                     QStringLiteral("admin"));
    QTest::keyClicks(dialog.findChild<QLineEdit *>(QStringLiteral("serverPasswordEdit")),
                     QStringLiteral("p@ss:w/rd"));
    auto *mode = dialog.findChild<QComboBox *>(QStringLiteral("serverSslModeCombo"));
    mode->setCurrentIndex(mode->findText(QStringLiteral("require")));
    const QString url = dialog.location();
    QCOMPARE(url, QStringLiteral("postgresql://admin:p%40ss:w%2Frd@db.example.com:5432/"
                                 "webhooks?sslmode=require"));
    QCOMPARE(OpenDatabaseDialog::displayLocation(url),
             QStringLiteral("postgresql://admin:•••@db.example.com:5432/webhooks"));
    QCOMPARE(OpenDatabaseDialog::withoutPassword(url),
             QStringLiteral("postgresql://admin@db.example.com:5432/webhooks?sslmode=require"));

    // Filled again from a remembered URL, the password is asked for.
    OpenDatabaseDialog again;
    again.setLocation(OpenDatabaseDialog::withoutPassword(url));
    QCOMPARE(again.findChild<QLineEdit *>(QStringLiteral("serverHostEdit"))->text(),
             QStringLiteral("db.example.com"));
    QCOMPARE(again.findChild<QLineEdit *>(QStringLiteral("serverUserEdit"))->text(),
             QStringLiteral("admin"));
    QVERIFY(again.findChild<QLineEdit *>(QStringLiteral("serverPasswordEdit"))->text().isEmpty());
    QCOMPARE(again.findChild<QComboBox *>(QStringLiteral("serverSslModeCombo"))->currentText(),
             QStringLiteral("require"));
}

void TestOpenDatabase::aGoodFileIsTriedOffTheGuiThreadThenAccepted()
{
    QVERIFY(addHook(path(QStringLiteral("good.sqlite")), QStringLiteral("https://a.example.com")));
    OpenDatabaseDialog dialog;
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    dialog.findChild<QLineEdit *>(QStringLiteral("databaseFileEdit"))
        ->setText(path(QStringLiteral("good.sqlite")));
    QSignalSpy accepted(&dialog, &QDialog::accepted);
    QTest::mouseClick(dialog.findChild<QPushButton *>(QStringLiteral("openDatabaseButton")),
                      Qt::LeftButton);
    // The click returned at once; the worker answers later.
    QVERIFY(dialog.isConnecting());
    QCOMPARE(accepted.size(), 0);
    QVERIFY(!dialog.findChild<QPushButton *>(QStringLiteral("openDatabaseButton"))->isEnabled());
    QTRY_COMPARE(accepted.size(), 1);
    QCOMPARE(dialog.result(), int(QDialog::Accepted));
    QCOMPARE(dialog.location(), path(QStringLiteral("good.sqlite")));
}

void TestOpenDatabase::aBadFileSaysWhyAndStaysOpen()
{
    QFile garbage(path(QStringLiteral("bad.sqlite")));
    QVERIFY(garbage.open(QIODevice::WriteOnly));
    garbage.write(QByteArray(8192, 'x'));
    garbage.close();
    OpenDatabaseDialog dialog;
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    dialog.setLocation(path(QStringLiteral("bad.sqlite")));
    QSignalSpy accepted(&dialog, &QDialog::accepted);
    dialog.tryOpen();
    QTRY_VERIFY(!dialog.isConnecting());
    QCOMPARE(accepted.size(), 0);
    QVERIFY(dialog.isVisible());
    const QString status = dialog.findChild<QLabel *>(QStringLiteral("openDatabaseStatus"))->text();
    QVERIFY2(status.startsWith(QStringLiteral("Could not open it:")), qPrintable(status));
    QVERIFY(dialog.findChild<QPushButton *>(QStringLiteral("openDatabaseButton"))->isEnabled());
}

void TestOpenDatabase::recentDatabasesKeepNoPassword()
{
    MainWindow::rememberDatabase(path(QStringLiteral("one.sqlite")));
    MainWindow::rememberDatabase(
        QStringLiteral("postgresql://admin:secret@db.example.com:5432/webhooks?sslmode=require"));
    MainWindow::rememberDatabase(path(QStringLiteral("one.sqlite"))); // to the top again
    const QStringList recent = MainWindow::recentDatabases();
    QCOMPARE(recent, (QStringList{path(QStringLiteral("one.sqlite")),
                                  QStringLiteral("postgresql://admin@db.example.com:5432/webhooks?"
                                                 "sslmode=require")}));
    // Not in the settings file either.
    QFile settings(
        QSettings(QStringLiteral("webhook-admin"), QStringLiteral("webhook-admin")).fileName());
    QVERIFY(settings.open(QIODevice::ReadOnly));
    QVERIFY(!settings.readAll().contains("secret"));
    for (int i = 0; i < 12; ++i)
        MainWindow::rememberDatabase(path(QStringLiteral("%1.sqlite").arg(i)));
    QCOMPARE(MainWindow::recentDatabases().size(), MainWindow::MaxRecentDatabases);
}

void TestOpenDatabase::theWindowSwitchesToTheChosenDatabase()
{
    QVERIFY(addHook(path(QStringLiteral("first.sqlite")), QStringLiteral("https://first.example")));
    QVERIFY(
        addHook(path(QStringLiteral("second.sqlite")), QStringLiteral("https://second.example")));
    QVERIFY(addHook(path(QStringLiteral("second.sqlite")),
                    QStringLiteral("https://second-too.example")));
    int step = 0;
    QStringList titles;
    QList<int> rows;
    QTimer look;
    connect(&look, &QTimer::timeout, this, [&] {
        if (auto *dialog = qobject_cast<OpenDatabaseDialog *>(QApplication::activeModalWidget())) {
            dialog->findChild<QLineEdit *>(QStringLiteral("databaseFileEdit"))
                ->setText(path(QStringLiteral("second.sqlite")));
            dialog->tryOpen();
            return;
        }
        for (QWidget *w : QApplication::topLevelWidgets()) {
            auto *window = qobject_cast<MainWindow *>(w);
            if (!window || !window->isVisible())
                continue;
            auto *list = window->findChild<QAbstractItemView *>(QStringLiteral("hookList"));
            const int count = list && list->model() ? list->model()->rowCount() : -1;
            if (step == 0 && count == 1) {
                titles.append(window->windowTitle());
                rows.append(count);
                step = 1;
                QTimer::singleShot(0, window, [window] { window->openDatabase(); });
            } else if (step == 1 && window->windowTitle().contains(QStringLiteral("second"))) {
                titles.append(window->windowTitle());
                rows.append(count);
                step = 2;
                window->close(); // the last window: the application quits
            }
            return;
        }
    });
    look.start(50);
    QTimer giveUp;
    giveUp.setSingleShot(true);
    connect(&giveUp, &QTimer::timeout, this, [] { QCoreApplication::exit(99); });
    giveUp.start(30000);
    const int code =
        runGui(*qobject_cast<QApplication *>(qApp), path(QStringLiteral("first.sqlite")));
    look.stop();
    giveUp.stop();
    QCOMPARE(code, 0);
    QCOMPARE(step, 2);
    QVERIFY(titles.value(0).contains(QStringLiteral("first.sqlite")));
    QVERIFY(titles.value(1).contains(QStringLiteral("second.sqlite")));
    QCOMPARE(rows.value(1), 2);
    QCOMPARE(MainWindow::recentDatabases().value(0), path(QStringLiteral("second.sqlite")));
}

QTEST_MAIN(TestOpenDatabase)
#include "tst_open_database.moc"
