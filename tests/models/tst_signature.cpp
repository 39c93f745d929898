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
    void verify_data();
    void verify();
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

void TestSignature::verify_data()
{
    // The public test vectors of DESIGN.md, checked as a receiver would.
    const QString secret = QStringLiteral("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
    const QString other =
        QStringLiteral("whsec_") + QString::fromLatin1(QByteArray(24, 'k').toBase64());
    const QString id = QStringLiteral("msg_p5jXN8AQM9LWM0D4loKWxJek");
    const QString signature = QStringLiteral("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    const qint64 signedAt = 1614265330;
    const QByteArray body("{\"test\": 2432232314}");
    const auto standard = [&](const QString &signatures, const QString &timestamp = QString()) {
        return HeaderList{{QStringLiteral("Webhook-Id"), id},
                          {QStringLiteral("webhook-timestamp"),
                           timestamp.isEmpty() ? QString::number(signedAt) : timestamp},
                          {QStringLiteral("webhook-signature"), signatures}};
    };
    using Outcome = SignatureCheck::Outcome;

    QTest::addColumn<int>("scheme");
    QTest::addColumn<QStringList>("secrets");
    QTest::addColumn<HeaderList>("headers");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<qint64>("now");
    QTest::addColumn<int>("outcome");
    QTest::addColumn<QString>("header");
    QTest::addColumn<int>("matched");

    const int std_ = int(SignatureScheme::Standard);
    QTest::newRow("standard vector") << std_ << QStringList{secret} << standard(signature) << body
                                     << signedAt << int(Outcome::Valid) << QString() << 0;
    QTest::newRow("second of two entries, second secret")
        << std_ << QStringList{other, secret}
        << standard(QStringLiteral("v1,bm90IGl0 ") + signature) << body << signedAt + 299
        << int(Outcome::Valid) << QString() << 1;
    QTest::newRow("tampered body")
        << std_ << QStringList{secret} << standard(signature)
        << QByteArray("{\"test\": 2432232315}") << signedAt << int(Outcome::Mismatch)
        << QStringLiteral("webhook-signature") << -1;
    QTest::newRow("trailing newline is another body")
        << std_ << QStringList{secret} << standard(signature) << QByteArray(body + '\n') << signedAt
        << int(Outcome::Mismatch) << QStringLiteral("webhook-signature") << -1;
    QTest::newRow("wrong secret") << std_ << QStringList{other} << standard(signature) << body
                                  << signedAt << int(Outcome::Mismatch)
                                  << QStringLiteral("webhook-signature") << -1;
    QTest::newRow("stale") << std_ << QStringList{secret} << standard(signature) << body
                           << signedAt + 301 << int(Outcome::StaleTimestamp)
                           << QStringLiteral("webhook-timestamp") << 0;
    QTest::newRow("from the future")
        << std_ << QStringList{secret} << standard(signature) << body << signedAt - 301
        << int(Outcome::StaleTimestamp) << QStringLiteral("webhook-timestamp") << 0;
    QTest::newRow("timestamp not a number")
        << std_ << QStringList{secret} << standard(signature, QStringLiteral("soon")) << body
        << signedAt << int(Outcome::MalformedTimestamp) << QStringLiteral("webhook-timestamp")
        << -1;
    QTest::newRow("missing signature")
        << std_ << QStringList{secret} << standard(signature).mid(0, 2) << body << signedAt
        << int(Outcome::MissingHeader) << QStringLiteral("webhook-signature") << -1;
    QTest::newRow("missing id") << std_ << QStringList{secret} << standard(signature).mid(1) << body
                                << signedAt << int(Outcome::MissingHeader)
                                << QStringLiteral("webhook-id") << -1;

    const int gh = int(SignatureScheme::GitHub);
    const QString ghSecret = QStringLiteral("It's a Secret to Everybody");
    const HeaderList ghHeaders{
        {QStringLiteral("x-hub-signature-256"),
         QStringLiteral(
             "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17")}};
    QTest::newRow("github vector")
        << gh << QStringList{ghSecret} << ghHeaders << QByteArray("Hello, World!") << qint64(0)
        << int(Outcome::Valid) << QString() << 0;
    QTest::newRow("github tampered")
        << gh << QStringList{ghSecret} << ghHeaders << QByteArray("Hello, World?") << qint64(0)
        << int(Outcome::Mismatch) << QStringLiteral("X-Hub-Signature-256") << -1;
    QTest::newRow("github missing")
        << gh << QStringList{ghSecret} << standard(signature) << QByteArray("Hello, World!")
        << qint64(0) << int(Outcome::MissingHeader) << QStringLiteral("X-Hub-Signature-256") << -1;
}

void TestSignature::verify()
{
    QFETCH(int, scheme);
    QFETCH(QStringList, secrets);
    QFETCH(HeaderList, headers);
    QFETCH(QByteArray, body);
    QFETCH(qint64, now);
    QFETCH(int, outcome);
    QFETCH(QString, header);
    QFETCH(int, matched);
    const SignatureCheck check = Signature::verify(SignatureScheme(scheme), secrets, headers, body,
                                                   QDateTime::fromSecsSinceEpoch(now));
    QCOMPARE(int(check.outcome), outcome);
    QCOMPARE(check.header, header);
    QCOMPARE(check.matchedSecret, matched);
    QCOMPARE(check.isValid(), outcome == int(SignatureCheck::Outcome::Valid));
}

QTEST_GUILESS_MAIN(TestSignature)
#include "tst_signature.moc"
