#include "domain/secret_mask.h"

#include <QTest>

// Credentials in a URL never show: the password of its user info and the
// values of query parameters named like credentials (issue 13).
class TestSecretMask : public QObject
{
    Q_OBJECT

private slots:
    void maskUrl_data();
    void maskUrl();
    void unmaskRestoresWhatWasMasked_data();
    void unmaskRestoresWhatWasMasked();
};

void TestSecretMask::maskUrl_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("shown");
    const QString m = maskedSecret();
    QTest::newRow("plain") << QStringLiteral("https://example.com/hook?page=2")
                           << QStringLiteral("https://example.com/hook?page=2");
    QTest::newRow("user info") << QStringLiteral("https://bot:hunter2@example.com/hook")
                               << QStringLiteral("https://bot:%1@example.com/hook").arg(m);
    QTest::newRow("token") << QStringLiteral("https://example.com/hook?token=abc&page=2")
                           << QStringLiteral("https://example.com/hook?token=%1&page=2").arg(m);
    QTest::newRow("every name")
        << QStringLiteral("http://h/?access_token=1&key=2&api_key=3&secret=4&signature=5&sig=6&"
                          "password=7&apikey=8")
        << QStringLiteral("http://h/?access_token=%1&key=%1&api_key=%1&secret=%1&signature=%1&"
                          "sig=%1&password=%1&apikey=%1")
               .arg(m);
    QTest::newRow("case and encoding") << QStringLiteral("http://h/?Token=abc&API%5FKEY=def")
                                       << QStringLiteral("http://h/?Token=%1&API%5FKEY=%1").arg(m);
    QTest::newRow("fragment kept") << QStringLiteral("http://h/?sig=abc#part")
                                   << QStringLiteral("http://h/?sig=%1#part").arg(m);
    QTest::newRow("names that only contain one")
        << QStringLiteral("http://h/?monkey=1&tokens=2&keyword=3")
        << QStringLiteral("http://h/?monkey=1&tokens=2&keyword=3");
    QTest::newRow("empty value") << QStringLiteral("http://h/?token=&a=1")
                                 << QStringLiteral("http://h/?token=&a=1");
    QTest::newRow("both") << QStringLiteral("https://u:p@h/x?key=k")
                          << QStringLiteral("https://u:%1@h/x?key=%1").arg(m);
}

void TestSecretMask::maskUrl()
{
    QFETCH(QString, url);
    QFETCH(QString, shown);
    QCOMPARE(SecretMask::url(url), shown);
}

void TestSecretMask::unmaskRestoresWhatWasMasked_data()
{
    QTest::addColumn<QString>("stored");
    QTest::addColumn<QString>("from");
    QTest::addColumn<QString>("to");
    QTest::addColumn<QString>("expected");
    const QString stored = QStringLiteral("https://u:p4ss@example.com/hook?token=abc&page=2");
    QTest::newRow("unchanged") << stored << QString() << QString() << stored;
    QTest::newRow("path edited") << stored << QStringLiteral("/hook") << QStringLiteral("/v2/hook")
                                 << QStringLiteral(
                                        "https://u:p4ss@example.com/v2/hook?token=abc&page=2");
    QTest::newRow("other parameter edited")
        << stored << QStringLiteral("page=2") << QStringLiteral("page=3")
        << QStringLiteral("https://u:p4ss@example.com/hook?token=abc&page=3");
    QTest::newRow("token replaced")
        << stored << maskedSecret() + QStringLiteral("&") << QStringLiteral("new&")
        << QStringLiteral("https://u:p4ss@example.com/hook?token=new&page=2");
}

void TestSecretMask::unmaskRestoresWhatWasMasked()
{
    QFETCH(QString, stored);
    QFETCH(QString, from);
    QFETCH(QString, to);
    QFETCH(QString, expected);
    QString edited = SecretMask::url(stored);
    QVERIFY(!edited.contains(QStringLiteral("abc")));
    QVERIFY(!edited.contains(QStringLiteral("p4ss")));
    if (!from.isEmpty()) {
        QVERIFY2(edited.contains(from), qPrintable(edited));
        edited.replace(edited.lastIndexOf(from), from.size(), to);
    }
    QCOMPARE(SecretMask::unmaskUrl(edited, stored), expected);
}

QTEST_GUILESS_MAIN(TestSecretMask)
#include "tst_secret_mask.moc"
