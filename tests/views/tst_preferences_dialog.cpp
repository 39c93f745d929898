#include "delivery/delivery_store.h"
#include "delivery/retry_policy.h"
#include "general_preferences_page.h"
#include "main_window.h"
#include "preferences_dialog.h"
#include "store/database.h"
#include "store/hook_store.h"

#include <QAction>
#include <QDialogButtonBox>
#include <QElapsedTimer>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <memory>

namespace {

// A page another part of the app could add; it refuses to apply on demand.
class RefusingPage final : public QWidget
{
    Q_OBJECT

public:
    bool refuse = true;
    int loads = 0;

public slots:
    void load() { ++loads; }
    bool apply() { return !refuse; }
};

} // namespace

// Edit → Preferences in the real window, offscreen, over a real file.
class TestPreferencesDialog : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void opensFromTheEditMenuWithTheStoredValues();
    void invalidInputIsShownNextToTheFieldAndNotSaved_data();
    void invalidInputIsShownNextToTheFieldAndNotSaved();
    void applyAndOkSave();
    void cancelLeavesTheValues();
    void aLockedDatabaseIsSaidQuickly();
    void defaultTimeoutAppliesToNewHooks();
    void addedPagesAreLoadedAndApplied();

private:
    PreferencesDialog *openDialog();
    GeneralPreferencesPage *general() const;
    void click(QDialogButtonBox::StandardButton button);

    QTemporaryDir m_dir;
    int m_run = 0;
    std::unique_ptr<Database> m_db;
    std::unique_ptr<HookStore> m_hooks;
    std::unique_ptr<DeliveryStore> m_deliveries;
    std::unique_ptr<MainWindow> m_window;
};

void TestPreferencesDialog::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_dir.isValid());
}

void TestPreferencesDialog::init()
{
    const QString path = m_dir.filePath(QStringLiteral("db%1.sqlite").arg(++m_run));
    m_db = std::make_unique<Database>();
    QVERIFY(!m_db->open(path));
    m_hooks = std::make_unique<HookStore>(m_db.get());
    m_deliveries = std::make_unique<DeliveryStore>(m_db.get());
    m_window = std::make_unique<MainWindow>(m_hooks.get(), path);
    m_window->setDeliveryService(nullptr, m_deliveries.get());
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
}

void TestPreferencesDialog::cleanup()
{
    m_window.reset();
    m_deliveries.reset();
    m_hooks.reset();
    m_db.reset();
    Webhook::setDefaultTimeoutOverride(0);
}

PreferencesDialog *TestPreferencesDialog::openDialog()
{
    // The shortcut the menu advertises, once the window has the focus back.
    m_window->activateWindow();
    if (!QTest::qWaitForWindowActive(m_window.get()))
        return nullptr;
    QTest::keyClick(m_window.get(), Qt::Key_Comma, Qt::ControlModifier);
    PreferencesDialog *dialog = m_window->preferences();
    if (!QTest::qWaitForWindowExposed(dialog))
        return nullptr;
    return dialog;
}

GeneralPreferencesPage *TestPreferencesDialog::general() const
{
    return m_window->preferences()->findChild<GeneralPreferencesPage *>();
}

void TestPreferencesDialog::click(QDialogButtonBox::StandardButton button)
{
    QTest::mouseClick(m_window->preferences()->buttons()->button(button), Qt::LeftButton);
}

void TestPreferencesDialog::opensFromTheEditMenuWithTheStoredValues()
{
    QVERIFY(m_deliveries->setRetentionDays(14));
    QVERIFY(m_deliveries->setFailureThreshold(3));
    QCOMPARE(m_window->preferencesAction()->shortcut(), QKeySequence(Qt::CTRL | Qt::Key_Comma));
    PreferencesDialog *dialog = openDialog();
    QVERIFY(dialog);
    QVERIFY(dialog->isVisible());
    QCOMPARE(dialog->pageList()->item(0)->text(), QStringLiteral("General"));
    QCOMPARE(general()->retentionEdit()->text(), QStringLiteral("14"));
    QCOMPARE(general()->failureThresholdEdit()->text(), QStringLiteral("3"));
    QCOMPARE(general()->retryScheduleEdit()->text(),
             RetryPolicy::formatSchedule(RetryPolicy::defaultScheduleSeconds()));
    QCOMPARE(general()->defaultTimeoutEdit()->text(),
             QString::number(Webhook::defaultTimeoutSeconds()));
}

void TestPreferencesDialog::invalidInputIsShownNextToTheFieldAndNotSaved_data()
{
    QTest::addColumn<QString>("field");
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("message");
    QTest::newRow("retention a word") << "retentionDays"
                                      << "month"
                                      << "whole number";
    QTest::newRow("retention 0") << "retentionDays"
                                 << "0"
                                 << "Retention must be between 1 and 3650 days.";
    QTest::newRow("retention too long") << "retentionDays"
                                        << "4000"
                                        << "between 1 and 3650";
    QTest::newRow("threshold negative")
        << "failureThreshold"
        << "-1"
        << "The failure threshold must be between 0 (off) and 1000.";
    QTest::newRow("schedule malformed") << "retrySchedule"
                                        << "0,5,soon"
                                        << "comma-separated";
    QTest::newRow("schedule over a week") << "retrySchedule"
                                          << "0,700000"
                                          << "at most a week";
    QTest::newRow("schedule 21 steps") << "retrySchedule"
                                       << "1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1"
                                       << "Up to 20";
    QTest::newRow("timeout 0") << "defaultTimeout"
                               << "0"
                               << "between 1 and 300";
}

void TestPreferencesDialog::invalidInputIsShownNextToTheFieldAndNotSaved()
{
    QFETCH(QString, field);
    QFETCH(QString, text);
    QFETCH(QString, message);
    PreferencesDialog *dialog = openDialog();
    QVERIFY(dialog);
    // Another field changed too: nothing at all is saved.
    general()->failureThresholdEdit()->setText(QStringLiteral("7"));
    auto *edit = general()->findChild<QLineEdit *>(field);
    QVERIFY(edit);
    edit->clear();
    QTest::keyClicks(edit, text);
    click(QDialogButtonBox::Ok);
    QVERIFY(dialog->isVisible());
    auto *label = general()->findChild<QLabel *>(field + QStringLiteral("Message"));
    QVERIFY(label);
    QVERIFY(label->isVisible());
    QVERIFY2(label->text().contains(message), qPrintable(label->text()));
    QVERIFY(edit->hasFocus());
    QCOMPARE(m_deliveries->failureThreshold(), 0);
    QCOMPARE(m_deliveries->retentionDays(), DeliveryStore::DefaultRetentionDays);
    QVERIFY(m_deliveries->retrySchedule().isEmpty());
    click(QDialogButtonBox::Cancel);
}

void TestPreferencesDialog::applyAndOkSave()
{
    PreferencesDialog *dialog = openDialog();
    QVERIFY(dialog);
    general()->retryScheduleEdit()->setText(QStringLiteral("0, 1, 2"));
    general()->failureThresholdEdit()->setText(QStringLiteral("5"));
    general()->retentionEdit()->setText(QStringLiteral("90"));
    click(QDialogButtonBox::Apply);
    QVERIFY(dialog->isVisible());
    QCOMPARE(m_deliveries->retrySchedule(), QList<qint64>({0, 1, 2}));
    QCOMPARE(m_deliveries->failureThreshold(), 5);
    QCOMPARE(m_deliveries->retentionDays(), 90);

    // Default puts the built-in schedule back, stored as "the default".
    QTest::mouseClick(general()->findChild<QPushButton *>(QStringLiteral("defaultScheduleButton")),
                      Qt::LeftButton);
    general()->retentionEdit()->setText(QStringLiteral("7"));
    click(QDialogButtonBox::Ok);
    QVERIFY(!dialog->isVisible());
    QVERIFY(m_deliveries->retrySchedule().isEmpty());
    QCOMPARE(m_deliveries->retentionDays(), 7);
}

void TestPreferencesDialog::cancelLeavesTheValues()
{
    PreferencesDialog *dialog = openDialog();
    QVERIFY(dialog);
    general()->retentionEdit()->setText(QStringLiteral("99"));
    general()->failureThresholdEdit()->setText(QStringLiteral("9"));
    click(QDialogButtonBox::Cancel);
    QVERIFY(!dialog->isVisible());
    QCOMPARE(m_deliveries->retentionDays(), DeliveryStore::DefaultRetentionDays);
    QCOMPARE(m_deliveries->failureThreshold(), 0);
    // Opened again, it shows what is stored, not what was cancelled.
    QVERIFY(openDialog());
    QCOMPARE(general()->retentionEdit()->text(),
             QString::number(DeliveryStore::DefaultRetentionDays));
    QCOMPARE(general()->failureThresholdEdit()->text(), QStringLiteral("0"));
}

void TestPreferencesDialog::aLockedDatabaseIsSaidQuickly()
{
    // Another program holds the write lock.
    Database other;
    QVERIFY(!other.open(m_db->path()));
    QSqlQuery lock(other.connection());
    QVERIFY(lock.exec(QStringLiteral("BEGIN IMMEDIATE")));

    PreferencesDialog *dialog = openDialog();
    QVERIFY(dialog);
    general()->retentionEdit()->setText(QStringLiteral("60"));
    QElapsedTimer timer;
    timer.start();
    click(QDialogButtonBox::Ok);
    const qint64 stalled = timer.elapsed();
    QVERIFY2(stalled < 1500, qPrintable(QString::number(stalled)));
    QVERIFY(dialog->isVisible());
    auto *message = general()->findChild<QLabel *>(QStringLiteral("saveMessage"));
    QVERIFY(message->isVisible());
    QVERIFY2(message->text().contains(QLatin1String("Another program is writing")),
             qPrintable(message->text()));
    QVERIFY(lock.exec(QStringLiteral("ROLLBACK")));
    QCOMPARE(m_deliveries->retentionDays(), DeliveryStore::DefaultRetentionDays);

    // Once the lock is gone, the same OK saves.
    click(QDialogButtonBox::Ok);
    QVERIFY(!dialog->isVisible());
    QCOMPARE(m_deliveries->retentionDays(), 60);
}

void TestPreferencesDialog::defaultTimeoutAppliesToNewHooks()
{
    QVERIFY(openDialog());
    general()->defaultTimeoutEdit()->setText(QStringLiteral("42"));
    click(QDialogButtonBox::Ok);
    QCOMPARE(Webhook{}.timeoutSeconds, 42);
    // Kept for the next start.
    Webhook::setDefaultTimeoutOverride(0);
    GeneralPreferencesPage::applyStoredDefaults();
    QCOMPARE(Webhook::defaultTimeoutSeconds(), 42);
    // Back to the default: nothing kept.
    QVERIFY(openDialog());
    Webhook::setDefaultTimeoutOverride(0);
    general()->defaultTimeoutEdit()->setText(QString::number(Webhook::DefaultTimeoutSeconds));
    click(QDialogButtonBox::Ok);
    GeneralPreferencesPage::applyStoredDefaults();
    QCOMPARE(Webhook::defaultTimeoutSeconds(), Webhook::DefaultTimeoutSeconds);
}

void TestPreferencesDialog::addedPagesAreLoadedAndApplied()
{
    PreferencesDialog *dialog = m_window->preferences();
    auto *page = new RefusingPage;
    QCOMPARE(dialog->addPage(page, QStringLiteral("Listener")), 1);
    QVERIFY(openDialog());
    QCOMPARE(page->loads, 1);
    QCOMPARE(dialog->currentPage(), 0);
    general()->retentionEdit()->setText(QStringLiteral("12"));
    click(QDialogButtonBox::Ok);
    // The page refused: shown, the dialog stays; the General page had saved.
    QVERIFY(dialog->isVisible());
    QCOMPARE(dialog->currentPage(), 1);
    QCOMPARE(dialog->pageList()->currentItem()->text(), QStringLiteral("Listener"));
    page->refuse = false;
    click(QDialogButtonBox::Ok);
    QVERIFY(!dialog->isVisible());
    QCOMPARE(m_deliveries->retentionDays(), 12);
}

QTEST_MAIN(TestPreferencesDialog)
#include "tst_preferences_dialog.moc"
