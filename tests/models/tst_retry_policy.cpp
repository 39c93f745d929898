#include "delivery/retry_policy.h"

#include <QTest>

class TestRetryPolicy : public QObject
{
    Q_OBJECT

private slots:
    void defaultScheduleWithJitter();
    void environmentOverride();
    void retryAfterWins();
    void storedScheduleUnlessTheEnvironmentSaysOtherwise();
    void parseRetryAfter_data();
    void parseRetryAfter();
};

void TestRetryPolicy::defaultScheduleWithJitter()
{
    const RetryPolicy policy;
    const QList<qint64> expected{0, 5, 300, 1800, 7200, 18000, 36000, 36000};
    QCOMPARE(policy.scheduleSeconds(), expected);
    for (int attempt = 1; attempt <= 8; ++attempt) {
        const double base = double(expected.at(attempt - 1)) * 1000;
        for (int i = 0; i < 50; ++i) {
            const qint64 delay = policy.delayMs(attempt);
            QVERIFY2(delay >= base * 0.9 - 1 && delay <= base * 1.1 + 1,
                     qPrintable(QStringLiteral("attempt %1: %2").arg(attempt).arg(delay)));
        }
    }
    // Beyond the schedule the last step repeats.
    QVERIFY(policy.delayMs(20) >= 36000 * 900);
}

void TestRetryPolicy::environmentOverride()
{
    qputenv("WEBHOOK_RETRY_SCHEDULE", "0, 1,2");
    const RetryPolicy policy = RetryPolicy::fromEnvironment();
    QCOMPARE(policy.scheduleSeconds(), (QList<qint64>{0, 1, 2}));
    QCOMPARE(policy.delayMs(2), 1000);
    qputenv("WEBHOOK_RETRY_SCHEDULE", "1,banana");
    QCOMPARE(RetryPolicy::fromEnvironment().scheduleSeconds(),
             RetryPolicy::defaultScheduleSeconds());
    qunsetenv("WEBHOOK_RETRY_SCHEDULE");
}

void TestRetryPolicy::storedScheduleUnlessTheEnvironmentSaysOtherwise()
{
    qunsetenv("WEBHOOK_RETRY_SCHEDULE");
    QCOMPARE(RetryPolicy::fromSettings({}).scheduleSeconds(),
             RetryPolicy::defaultScheduleSeconds());
    QCOMPARE(RetryPolicy::fromSettings({0, 10}).scheduleSeconds(), (QList<qint64>{0, 10}));
    QCOMPARE(RetryPolicy::fromSettings({0, 10}).delayMs(2), 10000); // no jitter
    qputenv("WEBHOOK_RETRY_SCHEDULE", "0,2");
    QCOMPARE(RetryPolicy::fromSettings({0, 10}).scheduleSeconds(), (QList<qint64>{0, 2}));
    qunsetenv("WEBHOOK_RETRY_SCHEDULE");
    QCOMPARE(RetryPolicy::parseSchedule(QStringLiteral("0, 5,300")), (QList<qint64>{0, 5, 300}));
    QVERIFY(RetryPolicy::parseSchedule(QStringLiteral("0,-1")).isEmpty());
    QVERIFY(RetryPolicy::parseSchedule(QStringLiteral("0,9999999")).isEmpty());
    QCOMPARE(RetryPolicy::formatSchedule({0, 5, 300}), QStringLiteral("0,5,300"));
}

void TestRetryPolicy::retryAfterWins()
{
    const RetryPolicy policy({0, 1, 1}, 0.0);
    QCOMPARE(policy.delayMs(2, 7), 7000);
    QCOMPARE(policy.delayMs(2, 0), 1000); // the schedule's later time stays
}

void TestRetryPolicy::parseRetryAfter_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<qint64>("expected"); // -1: none
    QTest::newRow("seconds") << QByteArray("120") << qint64(120);
    QTest::newRow("spaces") << QByteArray(" 3 ") << qint64(3);
    QTest::newRow("zero") << QByteArray("0") << qint64(0);
    QTest::newRow("huge is capped") << QByteArray("99999999999999999999999") << qint64(86400);
    QTest::newRow("date") << QByteArray("Fri, 27 Nov 2026 10:00:30 GMT") << qint64(30);
    QTest::newRow("date in the past") << QByteArray("Fri, 27 Nov 2026 09:00:00 GMT") << qint64(0);
    QTest::newRow("negative") << QByteArray("-5") << qint64(-1);
    QTest::newRow("garbage") << QByteArray("soon") << qint64(-1);
    QTest::newRow("empty") << QByteArray() << qint64(-1);
}

void TestRetryPolicy::parseRetryAfter()
{
    QFETCH(QByteArray, value);
    QFETCH(qint64, expected);
    const QDateTime now(QDate(2026, 11, 27), QTime(10, 0, 0), Qt::UTC);
    const std::optional<qint64> parsed = RetryPolicy::parseRetryAfter(value, now);
    QCOMPARE(parsed.value_or(-1), expected);
}

QTEST_GUILESS_MAIN(TestRetryPolicy)
#include "tst_retry_policy.moc"
