#include "delivery/delivery_trace.h"

#include <QRegularExpression>
#include <QTest>

// The trace reads as an account of what happened, in HTTP's terms (issue 13).
class TestDeliveryTrace : public QObject
{
    Q_OBJECT

private slots:
    void noQtEnumNumbers_data();
    void noQtEnumNumbers();
    void protocolErrorHasADetail_data();
    void protocolErrorHasADetail();
};

void TestDeliveryTrace::noQtEnumNumbers_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<int>("error");
    QTest::addColumn<QString>("qtText");
    QTest::newRow("404") << 404 << int(QNetworkReply::ContentNotFoundError)
                         << QStringLiteral("Error transferring - server replied: Not Found");
    QTest::newRow("500") << 500 << int(QNetworkReply::InternalServerError)
                         << QStringLiteral("Error transferring - server replied: Internal");
    QTest::newRow("refused") << 0 << int(QNetworkReply::ConnectionRefusedError)
                             << QStringLiteral("Connection refused");
}

void TestDeliveryTrace::noQtEnumNumbers()
{
    QFETCH(int, status);
    QFETCH(int, error);
    QFETCH(QString, qtText);
    DeliveryTrace trace;
    trace.url = QStringLiteral("https://receiver.example/hook");
    trace.statusCode = status;
    trace.networkError = QNetworkReply::NetworkError(error);
    trace.qtErrorText = qtText;
    trace.phase = DeliveryTrace::Phase::Done;
    const QString text = trace.text();
    // Qt's enum value (203 for a 404, 401 for a 500, 1 for refused) nowhere.
    QVERIFY2(!text.contains(QStringLiteral("(%1)").arg(error)), qPrintable(text));
    // Qt's numbers for HTTP errors look like statuses: none anywhere.
    if (error >= 100)
        QVERIFY2(!text.contains(QRegularExpression(QStringLiteral("\\b%1\\b").arg(error))),
                 qPrintable(text));
    QVERIFY2(text.contains(DeliveryTrace::networkErrorName(QNetworkReply::NetworkError(error))),
             qPrintable(text));
    QVERIFY2(text.contains(qtText), qPrintable(text));
}

void TestDeliveryTrace::protocolErrorHasADetail_data()
{
    QTest::addColumn<int>("error");
    QTest::newRow("protocol failure") << int(QNetworkReply::ProtocolFailure);
    QTest::newRow("no status line") << int(QNetworkReply::NoError);
}

void TestDeliveryTrace::protocolErrorHasADetail()
{
    QFETCH(int, error);
    DeliveryTrace trace;
    trace.url = QStringLiteral("https://receiver.example/hook");
    trace.networkError = QNetworkReply::NetworkError(error);
    trace.phase = DeliveryTrace::Phase::Reading;
    QCOMPARE(trace.errorKind(), QStringLiteral("protocol"));
    const QString summary = trace.summary();
    QVERIFY2(!summary.trimmed().endsWith(QLatin1Char(':')), qPrintable(summary));
    QVERIFY2(summary.size() > QStringLiteral("protocol error: ").size() + 10, qPrintable(summary));
    for (const QString &line : trace.text().split(QLatin1Char('\n')))
        QVERIFY2(!line.trimmed().endsWith(QLatin1Char(':')), qPrintable(line));
}

QTEST_GUILESS_MAIN(TestDeliveryTrace)
#include "tst_delivery_trace.moc"
