#include "domain/webhook.h"
#include "items/header_table_model.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

class TestHeaderTableModel : public QObject
{
    Q_OBJECT

private slots:
    void showsRows();
    void secretValueIsMaskedButEditable();
    void editCells();
    void insertAndRemoveRows();
    void rowErrors_data();
    void rowErrors();
    void duplicateNameMarksTheSecondRow();

private:
    static QList<HeaderRow> sample();
};

QList<HeaderRow> TestHeaderTableModel::sample()
{
    return {{QStringLiteral("Authorization"), QStringLiteral("Bearer t0ken"), true},
            {QStringLiteral("X-Team"), QStringLiteral("vision"), false}};
}

void TestHeaderTableModel::showsRows()
{
    HeaderTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setHeaders(sample());
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.columnCount(), int(HeaderTableModel::ColumnCount));
    QCOMPARE(model.index(1, HeaderTableModel::Name).data().toString(), QStringLiteral("X-Team"));
    QCOMPARE(model.index(1, HeaderTableModel::Value).data().toString(), QStringLiteral("vision"));
    QCOMPARE(
        model.index(1, HeaderTableModel::Secret).data(Qt::CheckStateRole).value<Qt::CheckState>(),
        Qt::Unchecked);
    QCOMPARE(model.headerData(HeaderTableModel::Value, Qt::Horizontal).toString(),
             QStringLiteral("Value"));
    QCOMPARE(model.headers(), sample());
}

void TestHeaderTableModel::secretValueIsMaskedButEditable()
{
    HeaderTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setHeaders(sample());
    const QModelIndex value = model.index(0, HeaderTableModel::Value);
    QCOMPARE(value.data(Qt::DisplayRole).toString(), maskedSecret());
    QVERIFY(!value.data(Qt::DisplayRole).toString().contains(QStringLiteral("t0ken")));
    QCOMPARE(value.data(Qt::EditRole).toString(), QStringLiteral("Bearer t0ken"));
    QCOMPARE(
        model.index(0, HeaderTableModel::Secret).data(Qt::CheckStateRole).value<Qt::CheckState>(),
        Qt::Checked);

    // Marking the other row secret masks it as well.
    QSignalSpy changed(&model, &HeaderTableModel::headersChanged);
    QVERIFY(
        model.setData(model.index(1, HeaderTableModel::Secret), Qt::Checked, Qt::CheckStateRole));
    QCOMPARE(changed.size(), 1);
    QCOMPARE(model.index(1, HeaderTableModel::Value).data().toString(), maskedSecret());
    QVERIFY(model.headers().at(1).secret);
}

void TestHeaderTableModel::editCells()
{
    HeaderTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setHeaders(sample());
    QVERIFY(model.index(0, HeaderTableModel::Name).flags() & Qt::ItemIsEditable);
    QVERIFY(!(model.index(0, HeaderTableModel::Secret).flags() & Qt::ItemIsEditable));
    QVERIFY(model.index(0, HeaderTableModel::Secret).flags() & Qt::ItemIsUserCheckable);
    QVERIFY(model.setData(model.index(1, HeaderTableModel::Name), QStringLiteral(" X-Env ")));
    QVERIFY(model.setData(model.index(1, HeaderTableModel::Value), QStringLiteral("staging")));
    QCOMPARE(model.headers().at(1),
             (HeaderRow{QStringLiteral("X-Env"), QStringLiteral("staging"), false}));
    QVERIFY(!model.setData(model.index(1, HeaderTableModel::Secret), QStringLiteral("x")));
}

void TestHeaderTableModel::insertAndRemoveRows()
{
    HeaderTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setHeaders(sample());
    QVERIFY(model.insertRows(2, 1));
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(model.headers().at(2), HeaderRow{});
    QVERIFY(!model.insertRows(5, 1));
    QVERIFY(model.removeRows(0, 1));
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.headers().at(0).name, QStringLiteral("X-Team"));
    QVERIFY(!model.removeRows(1, 2));
}

void TestHeaderTableModel::rowErrors_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("value");
    QTest::addColumn<QString>("error"); // a part of the message; empty when valid
    QTest::newRow("fine") << QStringLiteral("X-Trace") << QStringLiteral("1") << QString();
    QTest::newRow("space in name") << QStringLiteral("Bad Name") << QStringLiteral("1")
                                   << QStringLiteral("is not a valid header name");
    QTest::newRow("engine owned") << QStringLiteral("Content-Type") << QStringLiteral("text/plain")
                                  << QStringLiteral("cannot be overridden");
    QTest::newRow("signature header") << QStringLiteral("webhook-signature") << QStringLiteral("x")
                                      << QStringLiteral("cannot be overridden");
    QTest::newRow("line break") << QStringLiteral("X-Trace") << QStringLiteral("a\r\nEvil: 1")
                                << QStringLiteral("line breaks");
    QTest::newRow("empty name") << QString() << QStringLiteral("1")
                                << QStringLiteral("needs a name");
}

void TestHeaderTableModel::rowErrors()
{
    QFETCH(QString, name);
    QFETCH(QString, value);
    QFETCH(QString, error);
    HeaderTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setHeaders({{name, value, false}});
    const QString message =
        model.index(0, HeaderTableModel::Value).data(HeaderTableModel::ErrorRole).toString();
    if (error.isEmpty()) {
        QVERIFY2(message.isEmpty(), qPrintable(message));
        QVERIFY(!model.hasErrors());
    } else {
        QVERIFY2(message.contains(error), qPrintable(message));
        QVERIFY(model.hasErrors());
        QCOMPARE(model.index(0, HeaderTableModel::Name).data(Qt::ToolTipRole).toString(), message);
    }
}

void TestHeaderTableModel::duplicateNameMarksTheSecondRow()
{
    HeaderTableModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setHeaders(sample());
    QSignalSpy dataChanged(&model, &QAbstractItemModel::dataChanged);
    QVERIFY(model.setData(model.index(1, HeaderTableModel::Name), QStringLiteral("authorization")));
    QVERIFY(model.rowError(0).isEmpty());
    QVERIFY(model.rowError(1).contains(QStringLiteral("listed twice")));
    QVERIFY(!dataChanged.isEmpty());

    // Removing the first row makes the second one fine.
    QVERIFY(model.removeRows(0, 1));
    QVERIFY(model.rowError(0).isEmpty());
}

QTEST_GUILESS_MAIN(TestHeaderTableModel)
#include "tst_header_table_model.moc"
