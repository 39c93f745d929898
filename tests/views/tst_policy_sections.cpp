#include "delivery/delivery_store.h"
#include "hook_editor.h"
#include "items/hook_list_model.h"
#include "store/database.h"
#include "store/hook_store.h"

#include <QComboBox>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <memory>

// The editor's Filter and Pace and retries sections, and the list's Paused
// badge, driven with real widgets over a real file.
class TestPolicySections : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void filterIsCheckedTestedAndTriedOnHistory();
    void paceAndRetriesAreSavedWithTheirSpan();
    void pausedHookShowsStateAndResumes();

private:
    template <typename T>
    T *field(const char *name) const
    {
        T *widget = m_editor->findChild<T *>(QLatin1String(name));
        if (!widget)
            qWarning("no widget %s", name);
        return widget;
    }
    qint64 addHook(const QString &filter = {});
    void emitAnnotation(bool groundTruth);
    void replaceText(QPlainTextEdit *edit, const QString &text);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Database> m_database;
    std::unique_ptr<HookStore> m_store;
    std::unique_ptr<DeliveryStore> m_deliveries;
    std::unique_ptr<HookEditor> m_editor;
};

void TestPolicySections::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
}

void TestPolicySections::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_database = std::make_unique<Database>();
    QVERIFY(!m_database->open(m_dir->filePath(QStringLiteral("hooks.sqlite"))));
    m_store = std::make_unique<HookStore>(m_database.get());
    m_deliveries = std::make_unique<DeliveryStore>(m_database.get());
    m_editor = std::make_unique<HookEditor>(m_store.get());
    m_editor->resize(900, 1400);
    m_editor->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_editor.get()));
}

void TestPolicySections::cleanup()
{
    m_editor.reset();
    m_deliveries.reset();
    m_store.reset();
    m_database.reset();
    m_dir.reset();
}

qint64 TestPolicySections::addHook(const QString &filter)
{
    Webhook hook;
    hook.url = QStringLiteral("http://127.0.0.1:9/hook");
    hook.sendForAllActions = false;
    hook.actions = {QStringLiteral("ANNOTATION_CREATED")};
    hook.filter = filter;
    Result<Webhook> saved = m_store->saveHook(hook);
    return saved ? saved->id : 0;
}

void TestPolicySections::emitAnnotation(bool groundTruth)
{
    const EventCatalog catalog = m_store->catalog();
    QJsonObject data = catalog.samplePayload(QStringLiteral("ANNOTATION_CREATED"));
    QJsonObject annotation = data.value(QLatin1String("annotation")).toObject();
    annotation.insert(QStringLiteral("ground_truth"), groundTruth);
    data.insert(QStringLiteral("annotation"), annotation);
    QVERIFY(m_deliveries->emitEvent(catalog, QStringLiteral("ANNOTATION_CREATED"), std::nullopt,
                                    data, QDateTime::currentDateTimeUtc()));
}

void TestPolicySections::replaceText(QPlainTextEdit *edit, const QString &text)
{
    edit->setFocus();
    edit->selectAll();
    QTest::keyClick(edit, Qt::Key_Delete);
    QTest::keyClicks(edit, text);
}

void TestPolicySections::filterIsCheckedTestedAndTriedOnHistory()
{
    const qint64 id = addHook();
    emitAnnotation(true);
    emitAnnotation(false);
    emitAnnotation(false);
    m_editor->showHook(id);
    auto *editor = field<QPlainTextEdit>("filterEditor");
    auto *status = field<QLabel>("filterStatus");
    auto *save = m_editor->findChild<QPushButton *>(QStringLiteral("saveButton"));
    QVERIFY(editor && status);

    // Checked as it is typed: a wrong operator names the path, and blocks saving.
    replaceText(editor, QStringLiteral(R"({"annotation.id": {"$like": 1}})"));
    QVERIFY2(status->text().contains(QLatin1String("annotation.id: unknown operator $like")),
             qPrintable(status->text()));
    if (save)
        QVERIFY(!save->isEnabled());
    QVERIFY(!field<QPushButton>("filterTest")->isEnabled());

    replaceText(editor, QStringLiteral(R"({"annotation.ground_truth": true})"));
    QVERIFY2(status->text().contains(QLatin1String("1 condition")), qPrintable(status->text()));
    if (save)
        QVERIFY(save->isEnabled());

    // Test on the event's sample payload (its ground_truth is false).
    QCOMPARE(field<QComboBox>("filterSample")->currentData().toString(),
             QStringLiteral("ANNOTATION_CREATED"));
    QTest::mouseClick(field<QPushButton>("filterTest"), Qt::LeftButton);
    QCOMPARE(field<QLabel>("filterTestResult")->text(),
             QStringLiteral("does not match: annotation.ground_truth is false"));
    // … and on a pasted body.
    auto *sample = field<QComboBox>("filterSample");
    sample->setCurrentIndex(sample->count() - 1);
    auto *pasted = field<QPlainTextEdit>("filterPastedBody");
    QVERIFY(pasted->isVisible());
    replaceText(pasted, QStringLiteral(R"({"action": "X", "annotation": {"ground_truth": true}})"));
    QTest::mouseClick(field<QPushButton>("filterTest"), Qt::LeftButton);
    QCOMPARE(field<QLabel>("filterTestResult")->text(), QStringLiteral("matches"));

    // What if, over the stored events, off the GUI thread.
    QTest::mouseClick(field<QPushButton>("filterWhatIf"), Qt::LeftButton);
    QTRY_COMPARE(field<QLabel>("filterWhatIfResult")->text(),
                 QStringLiteral("would have matched 1 of 3 stored events"));

    QVERIFY(m_editor->save());
    QCOMPARE(m_store->hook(id)->filter, QStringLiteral(R"({"annotation.ground_truth": true})"));
}

void TestPolicySections::paceAndRetriesAreSavedWithTheirSpan()
{
    const qint64 id = addHook();
    m_editor->showHook(id);
    auto *rate = field<QSpinBox>("rateLimit");
    QVERIFY(rate);
    QCOMPARE(rate->text(), QStringLiteral("No limit"));
    rate->setValue(5);
    field<QComboBox>("rateLimitPeriod")->setCurrentIndex(0);
    field<QSpinBox>("maxInFlight")->setValue(1);
    auto *retryOn = field<QLineEdit>("retryOn");
    retryOn->setFocus();
    QTest::keyClicks(retryOn, QStringLiteral("network,teapot"));
    QVERIFY(field<QLabel>("policyError")->isVisible());
    QVERIFY(field<QLabel>("policyError")->text().contains(QLatin1String("teapot")));
    retryOn->clear();
    QTest::keyClicks(retryOn, QStringLiteral("network,timeout,429,5xx"));
    QVERIFY(!field<QLabel>("policyError")->isVisible());
    auto *schedule = field<QLineEdit>("retrySchedule");
    schedule->setFocus();
    QTest::keyClicks(schedule, QStringLiteral("0,10,60"));
    // Eight attempts by default: seven retries, the last step repeating.
    const QString effective = field<QLabel>("effectiveSchedule")->text();
    QVERIFY2(effective.contains(QLatin1String("10 s, 1 min, 1 min")), qPrintable(effective));
    QVERIFY2(effective.contains(QLatin1String("the last comes 6 min 10 s after the first attempt")),
             qPrintable(effective));

    QVERIFY(m_editor->save());
    const Webhook saved = m_store->hook(id).value();
    QCOMPARE(saved.rateLimit.key(), QStringLiteral("5/s"));
    QCOMPARE(saved.maxInFlight, 1);
    QCOMPARE(saved.retryOn, QStringLiteral("network,timeout,429,5xx"));
    QCOMPARE(saved.retrySchedule, (QList<qint64>{0, 10, 60}));
    QVERIFY(!m_editor->isDirty());
}

void TestPolicySections::pausedHookShowsStateAndResumes()
{
    const qint64 id = addHook();
    // The engine paused it (as DeliveryStore::recordResults does at the threshold).
    QSqlQuery pause(m_database->connection());
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QVERIFY(pause.exec(QStringLiteral("UPDATE webhooks SET paused_at = %1, next_probe_at = %2, "
                                      "pause_reason = '5 deliveries in a row failed', "
                                      "last_error = 'connection refused' WHERE id = %3")
                           .arg(now)
                           .arg(now + 42500)
                           .arg(id)));
    HookListModel list(m_store.get());
    const QModelIndex url = list.index(0, HookListModel::Url);
    QVERIFY(list.data(url, HookListModel::PausedRole).toBool());
    QVERIFY2(list.data(url, HookListModel::PausedTextRole)
                 .toString()
                 .startsWith(QStringLiteral("Paused · next probe in 4")),
             qPrintable(list.data(url, HookListModel::PausedTextRole).toString()));

    m_editor->showHook(id);
    auto *state = field<QLabel>("pausedState");
    QVERIFY(state->text().contains(QLatin1String("5 deliveries in a row failed")));
    QVERIFY(state->text().contains(QLatin1String("connection refused")));
    QVERIFY(state->text().contains(QLatin1String("Next probe in 4")));
    auto *resume = field<QPushButton>("resumeNow");
    QVERIFY(resume->isVisible());
    QTest::mouseClick(resume, Qt::LeftButton);
    QVERIFY(!m_store->hook(id)->isPaused());
    QVERIFY(!field<QPushButton>("resumeNow")->isVisible());
    QTRY_VERIFY(!list.data(list.index(0, HookListModel::Url), HookListModel::PausedRole).toBool());
}

QTEST_MAIN(TestPolicySections)
#include "tst_policy_sections.moc"
