#include "domain/event_catalog.h"
#include "items/event_tree_model.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

class TestEventTreeModel : public QObject
{
    Q_OBJECT

private slots:
    void groupsInCatalogOrder();
    void childrenAndTooltips();
    void checkOneEvent();
    void checkedKeysInCatalogOrder();
    void groupCheckState_data();
    void groupCheckState();
    void checkingGroupSelectsAllOrNone();
    void projectScopeDisablesOrganizationOnlyEvents();
    void checkedOrganizationOnlyEventCanBeCleared();
    void customTypesAppearAndChecksSurviveCatalogChange();
    void emptyCustomGroupIsNotCheckable();

private:
    static EventType customType(const QString &key, const QString &name);
};

EventType TestEventTreeModel::customType(const QString &key, const QString &name)
{
    EventType type;
    type.key = key;
    type.name = name;
    type.description = QStringLiteral("A model finished training.");
    type.payloadKey = QStringLiteral("model");
    return type;
}

void TestEventTreeModel::groupsInCatalogOrder()
{
    EventTreeModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model.rowCount(), 6);
    QCOMPARE(model.columnCount(), int(EventTreeModel::ColumnCount));
    const QStringList titles{QStringLiteral("Project"),     QStringLiteral("Tasks"),
                             QStringLiteral("Annotations"), QStringLiteral("Label links"),
                             QStringLiteral("Operations"),  QStringLiteral("Custom")};
    for (int row = 0; row < titles.size(); ++row) {
        const QModelIndex group = model.index(row, EventTreeModel::Name);
        QCOMPARE(group.data().toString(), titles.at(row));
        QVERIFY(group.data(EventTreeModel::IsGroupRole).toBool());
        QCOMPARE(group.data(EventTreeModel::GroupRole).toString(), titles.at(row));
    }
    QCOMPARE(model.rowCount(model.index(0, 0)), 3);
    QCOMPARE(model.rowCount(model.index(1, 0)), 2);
    QCOMPARE(model.rowCount(model.index(2, 0)), 4);
    QCOMPARE(model.rowCount(model.index(3, 0)), 3);
    QCOMPARE(model.rowCount(model.index(4, 0)), 3); // the engine's operational events
    QCOMPARE(model.rowCount(model.index(5, 0)), 0);
}

void TestEventTreeModel::childrenAndTooltips()
{
    EventTreeModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const QModelIndex tasks = model.index(1, 0);
    const QModelIndex created = model.index(0, EventTreeModel::Name, tasks);
    QCOMPARE(created.data().toString(), QStringLiteral("Task created"));
    QCOMPARE(created.siblingAtColumn(EventTreeModel::Key).data().toString(),
             QStringLiteral("TASKS_CREATED"));
    QCOMPARE(created.data(EventTreeModel::EventKeyRole).toString(),
             QStringLiteral("TASKS_CREATED"));
    QCOMPARE(created.data(Qt::ToolTipRole).toString(),
             QStringLiteral("Tasks were imported into a project."));
    QCOMPARE(created.parent(), tasks);
    QCOMPARE(model.eventIndex(QStringLiteral("TASKS_CREATED")), created);
    QVERIFY(created.flags() & Qt::ItemIsUserCheckable);
    QVERIFY(!(created.siblingAtColumn(EventTreeModel::Key).flags() & Qt::ItemIsUserCheckable));
}

void TestEventTreeModel::checkOneEvent()
{
    EventTreeModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy changed(&model, &EventTreeModel::checkedKeysChanged);
    const QModelIndex index = model.eventIndex(QStringLiteral("ANNOTATION_UPDATED"));
    QCOMPARE(index.data(Qt::CheckStateRole).value<Qt::CheckState>(), Qt::Unchecked);
    QVERIFY(model.setData(index, Qt::Checked, Qt::CheckStateRole));
    QCOMPARE(index.data(Qt::CheckStateRole).value<Qt::CheckState>(), Qt::Checked);
    QCOMPARE(model.checkedKeys(), QStringList{QStringLiteral("ANNOTATION_UPDATED")});
    QCOMPARE(changed.size(), 1);
    QCOMPARE(model.groupIndex(QStringLiteral("Annotations"))
                 .data(Qt::CheckStateRole)
                 .value<Qt::CheckState>(),
             Qt::PartiallyChecked);

    QVERIFY(model.setData(index, Qt::Unchecked, Qt::CheckStateRole));
    QVERIFY(model.checkedKeys().isEmpty());
    QCOMPARE(changed.size(), 2);
}

void TestEventTreeModel::checkedKeysInCatalogOrder()
{
    EventTreeModel model;
    model.setCheckedKeys({QStringLiteral("LABEL_LINK_DELETED"), QStringLiteral("PROJECT_UPDATED"),
                          QStringLiteral("TASKS_CREATED")});
    QCOMPARE(model.checkedKeys(),
             (QStringList{QStringLiteral("PROJECT_UPDATED"), QStringLiteral("TASKS_CREATED"),
                          QStringLiteral("LABEL_LINK_DELETED")}));
}

void TestEventTreeModel::groupCheckState_data()
{
    QTest::addColumn<QStringList>("checked");
    QTest::addColumn<int>("state");
    QTest::newRow("none") << QStringList{} << int(Qt::Unchecked);
    QTest::newRow("one of two") << QStringList{QStringLiteral("TASKS_DELETED")}
                                << int(Qt::PartiallyChecked);
    QTest::newRow("all") << QStringList{QStringLiteral("TASKS_CREATED"),
                                        QStringLiteral("TASKS_DELETED")}
                         << int(Qt::Checked);
    QTest::newRow("other group only")
        << QStringList{QStringLiteral("PROJECT_UPDATED")} << int(Qt::Unchecked);
}

void TestEventTreeModel::groupCheckState()
{
    QFETCH(QStringList, checked);
    QFETCH(int, state);
    EventTreeModel model;
    model.setCheckedKeys(checked);
    QCOMPARE(model.groupIndex(QStringLiteral("Tasks")).data(Qt::CheckStateRole).toInt(), state);
}

void TestEventTreeModel::checkingGroupSelectsAllOrNone()
{
    EventTreeModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setCheckedKeys({QStringLiteral("PROJECT_UPDATED")});
    const QModelIndex annotations = model.groupIndex(QStringLiteral("Annotations"));
    QVERIFY(annotations.flags() & Qt::ItemIsUserCheckable);
    QVERIFY(model.setData(annotations, Qt::Checked, Qt::CheckStateRole));
    QCOMPARE(
        model.checkedKeys(),
        (QStringList{QStringLiteral("PROJECT_UPDATED"), QStringLiteral("ANNOTATION_CREATED"),
                     QStringLiteral("ANNOTATIONS_CREATED"), QStringLiteral("ANNOTATION_UPDATED"),
                     QStringLiteral("ANNOTATIONS_DELETED")}));
    QCOMPARE(annotations.data(Qt::CheckStateRole).value<Qt::CheckState>(), Qt::Checked);

    model.setGroupChecked(QStringLiteral("Annotations"), false);
    QCOMPARE(model.checkedKeys(), QStringList{QStringLiteral("PROJECT_UPDATED")});
    QCOMPARE(annotations.data(Qt::CheckStateRole).value<Qt::CheckState>(), Qt::Unchecked);
}

void TestEventTreeModel::projectScopeDisablesOrganizationOnlyEvents()
{
    EventTreeModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    const QModelIndex created = model.eventIndex(QStringLiteral("PROJECT_CREATED"));
    QVERIFY(created.data(EventTreeModel::OrganizationOnlyRole).toBool());
    QVERIFY(created.flags() & Qt::ItemIsEnabled);

    model.setProjectScoped(true);
    QVERIFY(!(created.flags() & Qt::ItemIsEnabled));
    QVERIFY(created.data(EventTreeModel::UnavailableRole).toBool());
    QVERIFY(created.data(Qt::ToolTipRole)
                .toString()
                .contains(QStringLiteral("a project-scoped hook never receives it")));
    QVERIFY(!model.setData(created, Qt::Checked, Qt::CheckStateRole));
    QVERIFY(model.checkedKeys().isEmpty());

    // Selecting the whole group skips what the hook can never receive.
    model.setGroupChecked(QStringLiteral("Project"), true);
    QCOMPARE(model.checkedKeys(), QStringList{QStringLiteral("PROJECT_UPDATED")});
    QCOMPARE(model.groupIndex(QStringLiteral("Project"))
                 .data(Qt::CheckStateRole)
                 .value<Qt::CheckState>(),
             Qt::Checked);

    const QModelIndex updated = model.eventIndex(QStringLiteral("PROJECT_UPDATED"));
    QVERIFY(updated.flags() & Qt::ItemIsEnabled);
    QVERIFY(!updated.data(EventTreeModel::UnavailableRole).toBool());

    model.setProjectScoped(false);
    QVERIFY(created.flags() & Qt::ItemIsEnabled);
    QVERIFY(model.setData(created, Qt::Checked, Qt::CheckStateRole));
}

void TestEventTreeModel::checkedOrganizationOnlyEventCanBeCleared()
{
    EventTreeModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setCheckedKeys({QStringLiteral("PROJECT_DELETED")});
    model.setProjectScoped(true);
    const QModelIndex deleted = model.eventIndex(QStringLiteral("PROJECT_DELETED"));
    // Still listed, so the validator can say what is wrong, and clearable.
    QCOMPARE(model.checkedKeys(), QStringList{QStringLiteral("PROJECT_DELETED")});
    QVERIFY(deleted.flags() & Qt::ItemIsUserCheckable);
    QCOMPARE(model.groupIndex(QStringLiteral("Project"))
                 .data(Qt::CheckStateRole)
                 .value<Qt::CheckState>(),
             Qt::PartiallyChecked);
    QVERIFY(model.setData(deleted, Qt::Unchecked, Qt::CheckStateRole));
    QVERIFY(model.checkedKeys().isEmpty());
    QVERIFY(!(deleted.flags() & Qt::ItemIsEnabled));
}

void TestEventTreeModel::customTypesAppearAndChecksSurviveCatalogChange()
{
    EventTreeModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setCheckedKeys({QStringLiteral("TASKS_CREATED")});
    model.setCatalog(EventCatalog(
        {customType(QStringLiteral("MODEL_TRAINED"), QStringLiteral("Model trained"))}));
    const QModelIndex custom = model.groupIndex(EventCatalog::CustomGroup);
    QCOMPARE(model.rowCount(custom), 1);
    const QModelIndex trained = model.index(0, EventTreeModel::Name, custom);
    QCOMPARE(trained.data().toString(), QStringLiteral("Model trained"));
    QCOMPARE(trained.data(Qt::ToolTipRole).toString(),
             QStringLiteral("A model finished training."));
    QCOMPARE(model.checkedKeys(), QStringList{QStringLiteral("TASKS_CREATED")});

    QVERIFY(model.setData(custom, Qt::Checked, Qt::CheckStateRole));
    QCOMPARE(model.checkedKeys(),
             (QStringList{QStringLiteral("TASKS_CREATED"), QStringLiteral("MODEL_TRAINED")}));
}

void TestEventTreeModel::emptyCustomGroupIsNotCheckable()
{
    EventTreeModel model;
    const QModelIndex custom = model.groupIndex(EventCatalog::CustomGroup);
    QVERIFY(custom.isValid());
    QVERIFY(!(custom.flags() & Qt::ItemIsUserCheckable));
    QVERIFY(!custom.data(Qt::CheckStateRole).isValid());
    QVERIFY(!model.setData(custom, Qt::Checked, Qt::CheckStateRole));
    QVERIFY(!custom.data(Qt::ToolTipRole).toString().isEmpty());
}

QTEST_GUILESS_MAIN(TestEventTreeModel)
#include "tst_event_tree_model.moc"
