#include "delivery/signature.h"
#include "domain/webhook.h"
#include "io/curl_command.h"

#include <QDateTime>
#include <QProcess>
#include <QStandardPaths>
#include <QTest>

// The curl command reproduces the request and never carries a secret.
class TestCurlCommand : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void buildsTheRequest();
    void secretsBecomeVariables();
    void urlPasswordBecomesAVariable();
    void pendingAttemptSendsJson();
    void shellQuote_data();
    void shellQuote();
    void quotingSurvivesARealShell();
    void secretVariable_data();
    void secretVariable();
    void variablesAreTheOnesUsed();
    void signingNowVerifies_data();
    void signingNowVerifies();

private:
    static Attempt sentAttempt();
};

void TestCurlCommand::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
}

Attempt TestCurlCommand::sentAttempt()
{
    Attempt a;
    a.id = 7;
    a.url = QStringLiteral("https://hooks.example.com/in?team=ml");
    a.outcome = AttemptOutcome::Succeeded;
    a.requestHeaders = {
        {QStringLiteral("Content-Type"), QStringLiteral("application/json")},
        {QStringLiteral("User-Agent"), QStringLiteral("WebhookAdmin/0.1.0")},
        {QStringLiteral("webhook-id"), QStringLiteral("msg_abc")},
        {QStringLiteral("Content-Length"), QStringLiteral("32")},
    };
    a.requestBody = R"({"action":"TASKS_CREATED","tasks":[{"id":1,"text":"it's"}]})";
    return a;
}

void TestCurlCommand::buildsTheRequest()
{
    const QString command = CurlCommand::build(sentAttempt());
    QVERIFY(command.startsWith(QLatin1String("curl -X POST")));
    QVERIFY(command.contains(QLatin1String("-H 'Content-Type: application/json'")));
    QVERIFY(command.contains(QLatin1String("-H 'webhook-id: msg_abc'")));
    QVERIFY(command.contains(QLatin1String("-H 'User-Agent: WebhookAdmin/0.1.0'")));
    // curl computes the length of what it sends.
    QVERIFY(!command.contains(QLatin1String("Content-Length")));
    QVERIFY(command.contains(QLatin1String(
        R"(--data-raw '{"action":"TASKS_CREATED","tasks":[{"id":1,"text":"it'\''s"}]}')")));
    QVERIFY(command.endsWith(QLatin1String("'https://hooks.example.com/in?team=ml'")));
    // One option per line, continued with a backslash.
    QCOMPARE(command.count(QLatin1String(" \\\n  ")), 5);
}

void TestCurlCommand::secretsBecomeVariables()
{
    Attempt a = sentAttempt();
    // As stored: the dispatcher masked them.
    a.requestHeaders.append({QStringLiteral("Authorization"), maskedSecret()});
    a.requestHeaders.append({QStringLiteral("X-Api-Key"), maskedSecret()});
    a.requestHeaders.append(
        {QStringLiteral("webhook-signature"), QStringLiteral("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3=")});
    const QString command = CurlCommand::build(a);
    QVERIFY(!command.contains(maskedSecret()));
    QVERIFY(
        command.contains(QLatin1String(R"(-H 'Authorization: '"$WEBHOOK_SECRET_AUTHORIZATION")")));
    QVERIFY(command.contains(QLatin1String(R"(-H 'X-Api-Key: '"$WEBHOOK_SECRET_X_API_KEY")")));
    // A signature reveals no key; the receiver's developer needs it.
    QVERIFY(command.contains(
        QLatin1String("-H 'webhook-signature: v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3='")));
}

void TestCurlCommand::urlPasswordBecomesAVariable()
{
    Attempt a = sentAttempt();
    a.url =
        QStringLiteral("https://robot:") + maskedSecret() + QStringLiteral("@hooks.example.com/in");
    const QString command = CurlCommand::build(a);
    QVERIFY(!command.contains(maskedSecret()));
    QVERIFY(!command.contains(QLatin1String("%E2%80%A2"))); // the mask, percent-encoded
    QVERIFY(command.endsWith(
        QLatin1String(R"('https://robot:'"$WEBHOOK_URL_PASSWORD"'@hooks.example.com/in')")));
}

void TestCurlCommand::pendingAttemptSendsJson()
{
    Attempt a;
    a.url = QStringLiteral("http://trainer:9090/hook");
    a.requestBody = R"({"action":"PING"})";
    const QString command = CurlCommand::build(a);
    QCOMPARE(command, QStringLiteral("curl -X POST \\\n  -H 'Content-Type: application/json' "
                                     "\\\n  --data-raw '{\"action\":\"PING\"}' \\\n  "
                                     "'http://trainer:9090/hook'"));
}

void TestCurlCommand::shellQuote_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("quoted");
    QTest::newRow("plain") << QStringLiteral("abc") << QStringLiteral("'abc'");
    QTest::newRow("empty") << QString() << QStringLiteral("''");
    QTest::newRow("quote") << QStringLiteral("it's") << QStringLiteral("'it'\\''s'");
    QTest::newRow("dollar") << QStringLiteral("$HOME `id`") << QStringLiteral("'$HOME `id`'");
    QTest::newRow("newline") << QStringLiteral("a\nb") << QStringLiteral("'a\nb'");
}

void TestCurlCommand::shellQuote()
{
    QFETCH(QString, text);
    QFETCH(QString, quoted);
    QCOMPARE(CurlCommand::shellQuote(text), quoted);
}

void TestCurlCommand::quotingSurvivesARealShell()
{
    // The words the shell sees are exactly the strings we meant.
    const QString sh = QStandardPaths::findExecutable(QStringLiteral("sh"));
    if (sh.isEmpty())
        QSKIP("no sh");
    const QString tricky = QStringLiteral("it's \"$HOME\" `id` \\ \n end");
    QProcess process;
    process.setProcessEnvironment([] {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("WEBHOOK_SECRET_AUTHORIZATION"), QStringLiteral("Bearer t0k"));
        return env;
    }());
    process.start(sh, {QStringLiteral("-c"),
                       QStringLiteral("printf '%s|' ") + CurlCommand::shellQuote(tricky) +
                           QStringLiteral(" 'Authorization: '\"$WEBHOOK_SECRET_AUTHORIZATION\"")});
    QVERIFY(process.waitForFinished(5000));
    QCOMPARE(QString::fromUtf8(process.readAllStandardOutput()),
             tricky + QStringLiteral("|Authorization: Bearer t0k|"));
}

void TestCurlCommand::secretVariable_data()
{
    QTest::addColumn<QString>("header");
    QTest::addColumn<QString>("variable");
    QTest::newRow("authorization")
        << QStringLiteral("Authorization") << QStringLiteral("WEBHOOK_SECRET_AUTHORIZATION");
    QTest::newRow("dashes") << QStringLiteral("X-Api-Key")
                            << QStringLiteral("WEBHOOK_SECRET_X_API_KEY");
    QTest::newRow("digits and dots")
        << QStringLiteral("x.token2") << QStringLiteral("WEBHOOK_SECRET_X_TOKEN2");
}

void TestCurlCommand::secretVariable()
{
    QFETCH(QString, header);
    QFETCH(QString, variable);
    QCOMPARE(CurlCommand::secretVariable(header), variable);
}

// Issue 13: the status message named $WEBHOOK_SECRET_AUTHORIZATION whatever
// variable the command used.
void TestCurlCommand::variablesAreTheOnesUsed()
{
    Attempt a = sentAttempt();
    a.requestHeaders.append({QStringLiteral("X-Api-Key"), maskedSecret()});
    QStringList variables;
    const QString command = CurlCommand::build(a, &variables);
    QCOMPARE(variables, QStringList{QStringLiteral("WEBHOOK_SECRET_X_API_KEY")});
    QVERIFY(command.contains(QLatin1String("$WEBHOOK_SECRET_X_API_KEY")));
    variables.clear();
    CurlCommand::build(sentAttempt(), &variables);
    QVERIFY(variables.isEmpty());
    // Unsigned: nothing to sign again.
    QVERIFY(CurlCommand::buildSigningNow(sentAttempt()).isEmpty());
}

void TestCurlCommand::signingNowVerifies_data()
{
    QTest::addColumn<QString>("signatureHeader");
    QTest::addColumn<QString>("secret");
    QTest::newRow("standard") << QStringLiteral("webhook-signature")
                              << QStringLiteral("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
    QTest::newRow("github") << QStringLiteral("X-Hub-Signature-256")
                            << QStringLiteral("It's a Secret to Everybody");
}

// The re-signing script run by a real shell and openssl, with curl replaced
// by a function that prints its arguments: the signature it sends verifies
// with the current time.
void TestCurlCommand::signingNowVerifies()
{
    QFETCH(QString, signatureHeader);
    QFETCH(QString, secret);
    const QString sh = QStandardPaths::findExecutable(QStringLiteral("sh"));
    if (sh.isEmpty() || QStandardPaths::findExecutable(QStringLiteral("openssl")).isEmpty())
        QSKIP("no sh or openssl");
    Attempt a = sentAttempt();
    a.requestHeaders.append({QStringLiteral("webhook-timestamp"), QStringLiteral("1614265330")});
    a.requestHeaders.append({signatureHeader, QStringLiteral("v1,stale")});
    a.requestHeaders.append({QStringLiteral("Authorization"), maskedSecret()});
    QStringList variables;
    const QString script = CurlCommand::buildSigningNow(a, &variables);
    QVERIFY(!script.isEmpty());
    QVERIFY(!script.contains(secret));
    QVERIFY(!script.contains(QLatin1String("1614265330")));
    QVERIFY(variables.contains(CurlCommand::signingSecretVariable()));
    QVERIFY(variables.contains(QStringLiteral("WEBHOOK_SECRET_AUTHORIZATION")));

    QProcess process;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(CurlCommand::signingSecretVariable(), secret);
    env.insert(QStringLiteral("WEBHOOK_SECRET_AUTHORIZATION"), QStringLiteral("Bearer t0k"));
    process.setProcessEnvironment(env);
    const qint64 before = QDateTime::currentSecsSinceEpoch();
    process.start(
        sh, {QStringLiteral("-c"), QStringLiteral("curl() { printf '%s\\n' \"$@\"; }\n") + script});
    QVERIFY(process.waitForFinished(10000));
    QCOMPARE(process.exitCode(), 0);
    const QStringList words =
        QString::fromUtf8(process.readAllStandardOutput()).split(QLatin1Char('\n'));
    qint64 timestamp = 0;
    QString signature;
    QByteArray body;
    for (qsizetype i = 0; i < words.size(); ++i) {
        const QString &w = words.at(i);
        if (w.startsWith(QLatin1String("webhook-timestamp: ")))
            timestamp = w.mid(19).toLongLong();
        if (w.startsWith(signatureHeader + QLatin1String(": ")))
            signature = w.mid(signatureHeader.size() + 2);
        if (w == QLatin1String("--data-raw"))
            body = words.value(i + 1).toUtf8();
    }
    QCOMPARE(body, a.requestBody);
    QVERIFY(words.contains(QStringLiteral("Authorization: Bearer t0k")));
    QVERIFY(timestamp >= before && timestamp <= QDateTime::currentSecsSinceEpoch());
    const QString expected =
        signatureHeader == QLatin1String("webhook-signature")
            ? Signature::standard(secret, QStringLiteral("msg_abc"), timestamp, a.requestBody)
            : Signature::github(secret, a.requestBody);
    QVERIFY(!expected.isEmpty());
    QCOMPARE(signature, expected);
}

QTEST_GUILESS_MAIN(TestCurlCommand)
#include "tst_curl_command.moc"
