#include "domain/event_catalog.h"
#include "domain/webhook_validator.h"

#include <QTest>

class TestWebhookValidator : public QObject
{
    Q_OBJECT

private slots:
    void url_data();
    void url();
};

void TestWebhookValidator::url_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<bool>("valid");
    QTest::newRow("https") << QStringLiteral("https://example.com/hook") << true;
    QTest::newRow("docker service name") << QStringLiteral("http://trainer:9090/hook") << true;
    QTest::newRow("ftp") << QStringLiteral("ftp://example.com/") << false;
    QTest::newRow("empty") << QString() << false;
}

void TestWebhookValidator::url()
{
    QFETCH(QString, url);
    QFETCH(bool, valid);
    QCOMPARE(WebhookValidator::checkUrl(url).isEmpty(), valid);
}

QTEST_GUILESS_MAIN(TestWebhookValidator)
#include "tst_webhook_validator.moc"
