#include "delivery/signature.h"
#include "domain/webhook_validator.h"

#include <QTest>

class TestSignature : public QObject
{
    Q_OBJECT

private slots:
    void standard_data();
    void standard();
    void github_data();
    void github();
    void generatedSecretsAreValid_data();
    void generatedSecretsAreValid();
    void headersPerScheme();
};

void TestSignature::standard_data()
{
    QTest::addColumn<QString>("secret");
    QTest::addColumn<QString>("id");
    QTest::addColumn<qint64>("timestamp");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("expected");
    QTest::newRow("public test vector")
        << QStringLiteral("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
        << QStringLiteral("msg_p5jXN8AQM9LWM0D4loKWxJek") << qint64(1614265330)
        << QByteArray(R"({"test": 2432232314})")
        << QStringLiteral("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    QTest::newRow("other timestamp differs")
        << QStringLiteral("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
        << QStringLiteral("msg_p5jXN8AQM9LWM0D4loKWxJek") << qint64(1614265331)
        << QByteArray(R"({"test": 2432232314})") << QString();
    QTest::newRow("not whsec_") << QStringLiteral("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
                                << QStringLiteral("msg_1") << qint64(1) << QByteArray("{}")
                                << QString();
}

void TestSignature::standard()
{
    QFETCH(QString, secret);
    QFETCH(QString, id);
    QFETCH(qint64, timestamp);
    QFETCH(QByteArray, body);
    QFETCH(QString, expected);
    const QString signature = Signature::standard(secret, id, timestamp, body);
    if (expected.isEmpty()) {
        QVERIFY(signature != QStringLiteral("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="));
    } else {
        QCOMPARE(signature, expected);
    }
}

void TestSignature::github_data()
{
    QTest::addColumn<QString>("secret");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QString>("expected");
    QTest::newRow("public test vector")
        << QStringLiteral("It's a Secret to Everybody") << QByteArray("Hello, World!")
        << QStringLiteral(
               "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17");
}

void TestSignature::github()
{
    QFETCH(QString, secret);
    QFETCH(QByteArray, body);
    QFETCH(QString, expected);
    QCOMPARE(Signature::github(secret, body), expected);
}

void TestSignature::generatedSecretsAreValid_data()
{
    QTest::addColumn<int>("scheme");
    QTest::newRow("standard") << int(SignatureScheme::Standard);
    QTest::newRow("github") << int(SignatureScheme::GitHub);
}

void TestSignature::generatedSecretsAreValid()
{
    QFETCH(int, scheme);
    const auto s = SignatureScheme(scheme);
    const QString a = Signature::generateSecret(s);
    const QString b = Signature::generateSecret(s);
    QVERIFY(a != b);
    QCOMPARE(WebhookValidator::checkSecret(a, s), QString());
}

void TestSignature::headersPerScheme()
{
    const QByteArray body("{}");
    QVERIFY(Signature::headers(SignatureScheme::None, QStringLiteral("x"), {}, 1, body).isEmpty());
    const auto standard = Signature::headers(
        SignatureScheme::Standard, QStringLiteral("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"),
        QStringLiteral("msg_1"), 1, body);
    QCOMPARE(standard.size(), 1);
    QCOMPARE(standard.first().first, QByteArray("webhook-signature"));
    QVERIFY(standard.first().second.startsWith("v1,"));
    const auto github = Signature::headers(SignatureScheme::GitHub, QStringLiteral("s"),
                                           QStringLiteral("msg_1"), 1, body);
    QCOMPARE(github.first().first, QByteArray("X-Hub-Signature-256"));
    QVERIFY(github.first().second.startsWith("sha256="));
}

QTEST_GUILESS_MAIN(TestSignature)
#include "tst_signature.moc"
