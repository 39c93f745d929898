#include "cli_process.h"
#include "delivery/signature.h"
#include "test_receiver.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

// "verify" of the real binary, on requests the app itself sent to a real
// receiver in this process, dumped to files the way a receiver would.

namespace {

using namespace CliTest;

const char *const StandardSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const char *const GitHubSecret = "It's a Secret to Everybody";

} // namespace

class TestCliVerify : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void helpListsVerify();
    void aRequestTheAppSentIsValid();
    void aTamperedBodyIsAMismatch();
    void aStaleTimestampIsRefused();
    void aMissingHeaderIsNamed();
    void githubScheme();
    void attemptFromTheLogWithRotation();
    void usageAndInputErrors();

private:
    Run run(const QStringList &arguments);
    qint64 addHook(const QString &secret, const QString &scheme);
    // The last request the receiver got, dumped as headers and body files.
    void dump(const TestReceiver::Request &request, const QByteArray &body = {},
              const QStringList &leaveOut = {});
    QStringList filesArgs(const QString &secret,
                          const QString &scheme = QStringLiteral("standard"));

    QTemporaryDir m_home;
    QProcessEnvironment m_environment;
    QString m_db;
    QString m_headersPath;
    QString m_bodyPath;
    int m_counter = 0;
    std::unique_ptr<TestReceiver> m_receiver;
    QByteArray m_allOutput;
    QStringList m_printedOnPurpose; // rotated secrets, shown once by rotate-secret
};

void TestCliVerify::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_home.isValid());
    QVERIFY(QFile::exists(QStringLiteral(WEBHOOK_ADMIN_BINARY)));
    m_environment = cleanEnvironment(m_home.path());
    QVERIFY(usePrivateXdgDirs(&m_environment, m_home.path()));
    m_headersPath = m_home.filePath(QStringLiteral("headers.txt"));
    m_bodyPath = m_home.filePath(QStringLiteral("body.bin"));
}

void TestCliVerify::init()
{
    m_db = m_home.filePath(QStringLiteral("db-%1.sqlite").arg(++m_counter));
    m_receiver = std::make_unique<TestReceiver>();
    QVERIFY(m_receiver->listen());
    m_allOutput.clear();
}

void TestCliVerify::cleanup()
{
    m_receiver.reset();
    // verify never prints a secret it was given or found.
    for (const QByteArray &secret :
         {QByteArray(StandardSecret), QByteArray(StandardSecret).mid(6), QByteArray(GitHubSecret)})
        QVERIFY2(!m_allOutput.contains(secret), m_allOutput.constData());
}

Run TestCliVerify::run(const QStringList &arguments)
{
    const Run result =
        runCli(m_environment, QStringList{QStringLiteral("--db"), m_db} + arguments, {},
               {.workingDirectory = m_home.path(), .keepEventLoopRunning = true});
    if (!arguments.contains(QStringLiteral("rotate-secret")))
        m_allOutput += result.out + result.err;
    return result;
}

qint64 TestCliVerify::addHook(const QString &secret, const QString &scheme)
{
    const Run result = run({QStringLiteral("hooks"), QStringLiteral("add"), QStringLiteral("--url"),
                            m_receiver->url(QStringLiteral("/ok")), QStringLiteral("--secret"),
                            secret, QStringLiteral("--signature"), scheme});
    if (result.exitCode != 0) {
        qWarning("%s", qPrintable(describe(result)));
        return -1;
    }
    return result.out.trimmed().toLongLong();
}

void TestCliVerify::dump(const TestReceiver::Request &request, const QByteArray &body,
                         const QStringList &leaveOut)
{
    QFile headers(m_headersPath);
    QVERIFY(headers.open(QIODevice::WriteOnly | QIODevice::Truncate));
    // What a receiver prints: the request line, then the headers with CRLF.
    headers.write("POST " + request.path + " HTTP/1.1\r\n");
    for (auto it = request.headers.cbegin(); it != request.headers.cend(); ++it) {
        if (!leaveOut.contains(QString::fromLatin1(it.key()), Qt::CaseInsensitive))
            headers.write(it.key() + ": " + it.value() + "\r\n");
    }
    headers.close();
    QFile file(m_bodyPath);
    QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
    file.write(body.isNull() ? request.body : body);
}

QStringList TestCliVerify::filesArgs(const QString &secret, const QString &scheme)
{
    return {QStringLiteral("verify"),
            QStringLiteral("--secret"),
            secret,
            QStringLiteral("--signature"),
            scheme,
            QStringLiteral("--headers"),
            m_headersPath,
            QStringLiteral("--body"),
            m_bodyPath};
}

void TestCliVerify::helpListsVerify()
{
    const Run result = run(args({"--help"}));
    QCOMPARE(result.exitCode, 0);
    QVERIFY(result.out.contains(
        "verify --secret S [--signature standard|github] --headers FILE --body FILE"));
    QVERIFY(result.out.contains("verify --attempt ID"));
}

void TestCliVerify::aRequestTheAppSentIsValid()
{
    QVERIFY(addHook(QLatin1String(StandardSecret), QStringLiteral("standard")) > 0);
    QCOMPARE(run(args({"test", "1"})).exitCode, 0);
    QCOMPARE(m_receiver->requests().size(), 1);
    dump(m_receiver->requests().first());
    const Run result = run(filesArgs(QLatin1String(StandardSecret)));
    QVERIFY2(result.exitCode == 0, qPrintable(describe(result)));
    QVERIFY(result.out.startsWith("Valid: webhook-signature matches the secret given"));
    // --signature defaults to standard.
    QCOMPARE(
        run({QStringLiteral("verify"), QStringLiteral("--secret"), QLatin1String(StandardSecret),
             QStringLiteral("--headers"), m_headersPath, QStringLiteral("--body"), m_bodyPath})
            .exitCode,
        0);
    // Another secret does not verify it; of two, the right one does.
    const QString other =
        QStringLiteral("whsec_") + QString::fromLatin1(QByteArray(24, 'k').toBase64());
    const Run wrong = run(filesArgs(other));
    QCOMPARE(wrong.exitCode, 3);
    QVERIFY(isOneLineError(wrong));
    QVERIFY(wrong.err.contains("signature mismatch"));
    const Run two =
        run({QStringLiteral("verify"), QStringLiteral("--secret"), other,
             QStringLiteral("--secret"), QLatin1String(StandardSecret), QStringLiteral("--headers"),
             m_headersPath, QStringLiteral("--body"), m_bodyPath});
    QVERIFY2(two.exitCode == 0, qPrintable(describe(two)));
    QVERIFY(two.out.contains("secret number 2 given"));
}

void TestCliVerify::aTamperedBodyIsAMismatch()
{
    QVERIFY(addHook(QLatin1String(StandardSecret), QStringLiteral("standard")) > 0);
    QCOMPARE(run(args({"emit", "TASKS_CREATED"})).exitCode, 0);
    const TestReceiver::Request request = m_receiver->requests().constLast();
    QByteArray tampered = request.body;
    tampered.replace("\"action\"", "\"Action\"");
    QVERIFY(tampered != request.body);
    for (const QByteArray &body :
         QList<QByteArray>{tampered, QByteArray(request.body + '\n'),
                           QJsonDocument::fromJson(request.body).toJson()}) {
        dump(request, body);
        const Run result = run(filesArgs(QLatin1String(StandardSecret)));
        QVERIFY2(result.exitCode == 3, qPrintable(describe(result)));
        QVERIFY(isOneLineError(result));
        QVERIFY2(result.err.contains("signature mismatch: webhook-signature"),
                 result.err.constData());
    }
    dump(request);
    QCOMPARE(run(filesArgs(QLatin1String(StandardSecret))).exitCode, 0);
}

void TestCliVerify::aStaleTimestampIsRefused()
{
    QVERIFY(addHook(QLatin1String(StandardSecret), QStringLiteral("standard")) > 0);
    QCOMPARE(run(args({"test", "1"})).exitCode, 0);
    // The same request as if it had been signed ten minutes ago (a replay):
    // the signature is right for that timestamp, the time is not.
    TestReceiver::Request request = m_receiver->requests().first();
    const qint64 then = QDateTime::currentSecsSinceEpoch() - 600;
    request.headers.insert("webhook-timestamp", QByteArray::number(then));
    request.headers.insert(
        "webhook-signature",
        Signature::standard(QLatin1String(StandardSecret),
                            QString::fromLatin1(request.headers.value("webhook-id")), then,
                            request.body)
            .toLatin1());
    dump(request);
    const Run result = run(filesArgs(QLatin1String(StandardSecret)));
    QVERIFY2(result.exitCode == 3, qPrintable(describe(result)));
    QVERIFY(isOneLineError(result));
    QVERIFY2(result.err.contains("stale timestamp"), result.err.constData());
    QVERIFY(result.err.contains("in the past"));
    // A wider tolerance accepts it.
    QCOMPARE(run(filesArgs(QLatin1String(StandardSecret)) + args({"--tolerance", "15m"})).exitCode,
             0);
}

void TestCliVerify::aMissingHeaderIsNamed()
{
    QVERIFY(addHook(QLatin1String(StandardSecret), QStringLiteral("standard")) > 0);
    QCOMPARE(run(args({"test", "1"})).exitCode, 0);
    for (const char *header : {"webhook-signature", "webhook-timestamp", "webhook-id"}) {
        dump(m_receiver->requests().first(), {}, {QLatin1String(header)});
        const Run result = run(filesArgs(QLatin1String(StandardSecret)));
        QVERIFY2(result.exitCode == 3, qPrintable(describe(result)));
        QVERIFY(isOneLineError(result));
        QVERIFY2(result.err.contains(QByteArray(QByteArray("missing header ") + header)),
                 result.err.constData());
    }
}

void TestCliVerify::githubScheme()
{
    QVERIFY(addHook(QLatin1String(GitHubSecret), QStringLiteral("github")) > 0);
    QCOMPARE(run(args({"test", "1"})).exitCode, 0);
    const TestReceiver::Request request = m_receiver->requests().first();
    QVERIFY(request.headers.contains("x-hub-signature-256"));
    dump(request);
    const Run valid = run(filesArgs(QLatin1String(GitHubSecret), QStringLiteral("github")));
    QVERIFY2(valid.exitCode == 0, qPrintable(describe(valid)));
    QVERIFY(valid.out.contains("X-Hub-Signature-256 matches"));
    // The standard scheme looks for its own headers.
    const Run standard = run(
        filesArgs(QStringLiteral("whsec_") + QString::fromLatin1(QByteArray(24, 'k').toBase64())));
    QCOMPARE(standard.exitCode, 3);
    QVERIFY(standard.err.contains("missing header webhook-signature"));

    dump(request, request.body + ' ');
    const Run tampered = run(filesArgs(QLatin1String(GitHubSecret), QStringLiteral("github")));
    QCOMPARE(tampered.exitCode, 3);
    QVERIFY(tampered.err.contains("signature mismatch: X-Hub-Signature-256"));
    dump(request, {}, {QStringLiteral("X-Hub-Signature-256")});
    const Run missing = run(filesArgs(QLatin1String(GitHubSecret), QStringLiteral("github")));
    QCOMPARE(missing.exitCode, 3);
    QVERIFY(missing.err.contains("missing header X-Hub-Signature-256"));
}

void TestCliVerify::attemptFromTheLogWithRotation()
{
    QVERIFY(addHook(QLatin1String(StandardSecret), QStringLiteral("standard")) > 0);
    QCOMPARE(run(args({"test", "1"})).exitCode, 0); // attempt 1, the original secret
    const Run first = run(args({"verify", "--attempt", "1"}));
    QVERIFY2(first.exitCode == 0, qPrintable(describe(first)));
    QVERIFY(first.out.contains("matches the current secret of webhook 1"));

    // During an overlap the old request still verifies, with the previous secret.
    QCOMPARE(run(args({"hooks", "rotate-secret", "1", "--overlap", "1h"})).exitCode, 0);
    QCOMPARE(run(args({"test", "1"})).exitCode, 0); // attempt 2, signed with both
    const Run overlap = run(args({"verify", "--attempt", "1"}));
    QVERIFY2(overlap.exitCode == 0, qPrintable(describe(overlap)));
    QVERIFY(overlap.out.contains("a previous secret of webhook 1 (valid until"));
    const Run during = run(args({"verify", "--attempt", "2"}));
    QVERIFY2(during.exitCode == 0, qPrintable(describe(during)));
    QVERIFY(during.out.contains("matches the current secret"));

    // --expire-old sets a third secret and ends every overlap: neither
    // request verifies any more (attempt 2 was signed with the first two).
    QCOMPARE(run(args({"hooks", "rotate-secret", "1", "--expire-old"})).exitCode, 0);
    const Run expired = run(args({"verify", "--attempt", "1"}));
    QCOMPARE(expired.exitCode, 3);
    QVERIFY(isOneLineError(expired));
    QVERIFY2(expired.err.contains("signature mismatch"), expired.err.constData());
    QVERIFY(expired.err.contains("none of the 1 secret(s)"));
    QCOMPARE(run(args({"verify", "--attempt", "2"})).exitCode, 3);
    QCOMPARE(run(args({"test", "1"})).exitCode, 0); // attempt 3, the newest secret
    QCOMPARE(run(args({"verify", "--attempt", "3"})).exitCode, 0);

    // verify only read the log: it holds the three attempts, nothing more.
    const QJsonArray log = QJsonDocument::fromJson(run(args({"deliveries", "--json"})).out).array();
    QCOMPARE(log.size(), 3);
}

void TestCliVerify::usageAndInputErrors()
{
    QVERIFY(addHook(QLatin1String(StandardSecret), QStringLiteral("standard")) > 0);
    QCOMPARE(run(args({"test", "1"})).exitCode, 0);
    dump(m_receiver->requests().first());
    // Usage: nothing to check, or both ways at once.
    for (const QStringList &arguments :
         {args({"verify"}), args({"verify", "--attempt", "1", "--secret", "x"}),
          args({"verify", "--secret", "x", "--body", "b"}), args({"verify", "--nope"}),
          args({"verify", "extra"})}) {
        const Run result = run(arguments);
        QVERIFY2(result.exitCode == 1, qPrintable(describe(result)));
        QVERIFY(isOneLineError(result));
    }
    // Input: files that are not there, a secret of the wrong form, unknown ids.
    const QString missing = m_home.filePath(QStringLiteral("nowhere.txt"));
    QList<QStringList> invalid{
        {QStringLiteral("verify"), QStringLiteral("--secret"), QLatin1String(StandardSecret),
         QStringLiteral("--headers"), missing, QStringLiteral("--body"), m_bodyPath},
        {QStringLiteral("verify"), QStringLiteral("--secret"), QLatin1String(StandardSecret),
         QStringLiteral("--headers"), m_headersPath, QStringLiteral("--body"), missing},
        filesArgs(QStringLiteral("plain-secret")),
        filesArgs(QLatin1String(StandardSecret), QStringLiteral("none")),
        filesArgs(QLatin1String(StandardSecret)) + args({"--tolerance", "soon"}),
        args({"verify", "--attempt", "9"}),
        args({"verify", "--attempt", "x"})};
    QFile garbled(m_home.filePath(QStringLiteral("garbled.txt")));
    QVERIFY(garbled.open(QIODevice::WriteOnly));
    garbled.write("webhook-id: msg_1\nthis line has no colon\n");
    garbled.close();
    invalid.append({QStringLiteral("verify"), QStringLiteral("--secret"),
                    QLatin1String(StandardSecret), QStringLiteral("--headers"), garbled.fileName(),
                    QStringLiteral("--body"), m_bodyPath});
    for (const QStringList &arguments : std::as_const(invalid)) {
        const Run result = run(arguments);
        QVERIFY2(result.exitCode == 2, qPrintable(describe(result)));
        QVERIFY(isOneLineError(result));
    }
    // An unsigned hook's attempt has nothing to verify.
    QCOMPARE(run({QStringLiteral("hooks"), QStringLiteral("add"), QStringLiteral("--url"),
                  m_receiver->url(QStringLiteral("/ok"))})
                 .exitCode,
             0);
    QCOMPARE(run(args({"test", "2"})).exitCode, 0);
    const Run unsignedHook = run(args({"verify", "--attempt", "2"}));
    QCOMPARE(unsignedHook.exitCode, 2);
    QVERIFY(unsignedHook.err.contains("does not sign"));
}

QTEST_GUILESS_MAIN(TestCliVerify)
#include "tst_cli_verify.moc"
