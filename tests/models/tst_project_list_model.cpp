#include "items/project_list_model.h"
#include "store/database.h"
#include "store/hook_store.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <memory>

class TestProjectListModel : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();
    void organizationWideComesFirst();
    void listsProjectsOfTheStore();
    void addingAProjectInsertsARow();
    void projectAddedByAnotherConnectionAppears();

private:
    QString path() const { return m_dir->filePath(QStringLiteral("hooks.sqlite")); }

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Database> m_database;
    std::unique_ptr<HookStore> m_store;
};

void TestProjectListModel::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
}

void TestProjectListModel::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_database = std::make_unique<Database>();
    const std::optional<StorageError> error = m_database->open(path());
    QVERIFY2(!error, error ? qPrintable(error->message) : "");
    m_store = std::make_unique<HookStore>(m_database.get());
}

void TestProjectListModel::cleanup()
{
    m_store.reset();
    m_database.reset();
    m_dir.reset();
}

void TestProjectListModel::organizationWideComesFirst()
{
    ProjectListModel model(m_store.get());
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model.rowCount(), 1);
    const QModelIndex first = model.index(0);
    QCOMPARE(first.data().toString(), QStringLiteral("Organization-wide"));
    QCOMPARE(first.data(ProjectListModel::ProjectIdRole).toLongLong(), qint64(0));
    QVERIFY(first.data(ProjectListModel::IsOrganizationWideRole).toBool());
    QCOMPARE(model.rowForProject(std::nullopt), 0);
    QVERIFY(!model.projectAt(0).has_value());
    QCOMPARE(model.rowForProject(42), -1);
}

void TestProjectListModel::listsProjectsOfTheStore()
{
    const Result<Project> street = m_store->addProject(QStringLiteral("Street scenes"));
    const Result<Project> invoices = m_store->addProject(QStringLiteral("Invoices"));
    QVERIFY(street && invoices);
    ProjectListModel model(m_store.get());
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(model.index(1).data().toString(), QStringLiteral("Street scenes"));
    QCOMPARE(model.index(2).data().toString(), QStringLiteral("Invoices"));
    QCOMPARE(model.index(2).data(ProjectListModel::ProjectIdRole).toLongLong(), invoices->id);
    QCOMPARE(model.rowForProject(invoices->id), 2);
    QCOMPARE(model.projectAt(1), std::optional<qint64>(street->id));
    QVERIFY(model.errorString().isEmpty());
}

void TestProjectListModel::addingAProjectInsertsARow()
{
    QVERIFY(m_store->addProject(QStringLiteral("Street scenes")));
    ProjectListModel model(m_store.get());
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    const Result<Project> added = m_store->addProject(QStringLiteral("Medical scans"));
    QVERIFY(added);
    QCOMPARE(inserted.size(), 1);
    QCOMPARE(reset.size(), 0); // a combo box keeps its current row
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(model.index(2).data().toString(), QStringLiteral("Medical scans"));
}

void TestProjectListModel::projectAddedByAnotherConnectionAppears()
{
    ProjectListModel model(m_store.get());
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    {
        Database other;
        QVERIFY(!other.open(path()));
        HookStore otherStore(&other);
        QVERIFY(otherStore.addProject(QStringLiteral("From the CLI")));
    }
    QCOMPARE(model.rowCount(), 1);
    m_store->checkExternalChanges();
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.index(1).data().toString(), QStringLiteral("From the CLI"));
}

QTEST_GUILESS_MAIN(TestProjectListModel)
#include "tst_project_list_model.moc"
