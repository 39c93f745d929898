#include "cli_process.h"
#include "delivery/signature.h"
#include "domain/receiver_snippets.h"
#include "test_receiver.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

// The receiver code the editor shows (ReceiverSnippets), run by python3 and
// node against requests the real binary sent to a real receiver in this
// process; and secret rotation checked by the real standardwebhooks npm
// package (tests/support/npm, installed by packaging/install-deps.sh).

namespace {

using namespace CliTest;

const char *const StandardSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const char *const GitHubSecret = "It's a Secret to Everybody";

// Loads a snippet as a module and exits 0 when its verify() accepts the
// request in the files given, 1 when not.
const char *const PythonHarness = R"py(
import importlib.util, json, sys
spec = importlib.util.spec_from_file_location("receiver", sys.argv[1])
receiver = importlib.util.module_from_spec(spec)
spec.loader.exec_module(receiver)
headers = json.load(open(sys.argv[2]))
body = open(sys.argv[3], "rb").read()
sys.exit(0 if receiver.verify(headers, body) else 1)
)py";

const char *const NodeHarness = R"js(
const fs = require("node:fs");
const { verify } = require(process.argv[1]);
const headers = JSON.parse(fs.readFileSync(process.argv[2]));
process.exit(verify(headers, fs.readFileSync(process.argv[3])) ? 0 : 1);
)js";

// The reference library: exit 0 when Webhook(secret).verify accepts it.
const char *const StandardWebhooksHarness = R"js(
const fs = require("node:fs");
const { Webhook } = require(process.argv[1]);
const headers = JSON.parse(fs.readFileSync(process.argv[2]));
try {
  new Webhook(process.env.WEBHOOK_SECRET).verify(fs.readFileSync(process.argv[3]), headers);
  process.exit(0);
} catch (error) {
  console.error(error.message);
  process.exit(1);
}
)js";

} // namespace

class TestReceiverCode : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void snippetsSayHowTheyVerify_data();
    void snippetsSayHowTheyVerify();
    void snippetsVerifyTheAppsRequests_data();
    void snippetsVerifyTheAppsRequests();
    void standardWebhooksPackageDuringAndAfterRotation();

private:
    Run run(const QStringList &arguments);
    qint64 addHook(const QString &secret, const QString &scheme);
    // Writes the request's headers (JSON, lower-case names) and body to files.
    void dump(const TestReceiver::Request &request, const QByteArray &body = {});
    // Exit code of the program on the dumped request, WEBHOOK_SECRET set to secret.
    int runVerifier(const QString &program, const QStringList &arguments, const QString &secret);

    QTemporaryDir m_home;
    QProcessEnvironment m_environment;
    QString m_db;
    QString m_headersPath;
    QString m_bodyPath;
    int m_counter = 0;
    std::unique_ptr<TestReceiver> m_receiver;
};

void TestReceiverCode::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_home.isValid());
    QVERIFY(QFile::exists(QStringLiteral(WEBHOOK_ADMIN_BINARY)));
    QVERIFY2(!QStandardPaths::findExecutable(QStringLiteral("python3")).isEmpty(),
             "python3 runs the Python snippet");
    QVERIFY2(!QStandardPaths::findExecutable(QStringLiteral("node")).isEmpty(),
             "node runs the Node.js snippet (packaging/install-deps.sh installs nodejs)");
    m_environment = cleanEnvironment(m_home.path());
    QVERIFY(usePrivateXdgDirs(&m_environment, m_home.path()));
    m_headersPath = m_home.filePath(QStringLiteral("headers.json"));
    m_bodyPath = m_home.filePath(QStringLiteral("body.bin"));
}

void TestReceiverCode::init()
{
    m_db = m_home.filePath(QStringLiteral("db-%1.sqlite").arg(++m_counter));
    m_receiver = std::make_unique<TestReceiver>();
    QVERIFY(m_receiver->listen());
}

void TestReceiverCode::cleanup()
{
    m_receiver.reset();
}

Run TestReceiverCode::run(const QStringList &arguments)
{
    return runCli(m_environment, QStringList{QStringLiteral("--db"), m_db} + arguments, {},
                  {.workingDirectory = m_home.path(), .keepEventLoopRunning = true});
}

qint64 TestReceiverCode::addHook(const QString &secret, const QString &scheme)
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

void TestReceiverCode::dump(const TestReceiver::Request &request, const QByteArray &body)
{
    QJsonObject headers;
    for (auto it = request.headers.cbegin(); it != request.headers.cend(); ++it)
        headers.insert(QString::fromLatin1(it.key()), QString::fromLatin1(it.value()));
    QFile headerFile(m_headersPath);
    QVERIFY(headerFile.open(QIODevice::WriteOnly | QIODevice::Truncate));
    headerFile.write(QJsonDocument(headers).toJson());
    headerFile.close();
    QFile bodyFile(m_bodyPath);
    QVERIFY(bodyFile.open(QIODevice::WriteOnly | QIODevice::Truncate));
    bodyFile.write(body.isNull() ? request.body : body);
}

int TestReceiverCode::runVerifier(const QString &program, const QStringList &arguments,
                                  const QString &secret)
{
    QProcess process;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QLatin1String(ReceiverSnippets::SecretVariable), secret);
    process.setProcessEnvironment(environment);
    process.start(program, arguments);
    if (!process.waitForFinished(30000)) {
        qWarning("%s did not finish", qPrintable(program));
        return -1;
    }
    if (process.exitStatus() != QProcess::NormalExit)
        return -2;
    if (process.exitCode() > 1) // a crash of the code, not a "no"
        qWarning("%s", process.readAllStandardError().constData());
    return process.exitCode();
}

void TestReceiverCode::snippetsSayHowTheyVerify_data()
{
    QTest::addColumn<int>("scheme");
    QTest::addColumn<int>("language");
    for (const SignatureScheme scheme : {SignatureScheme::Standard, SignatureScheme::GitHub}) {
        for (const ReceiverSnippets::Language language : ReceiverSnippets::languages())
            QTest::addRow("%s %s", qPrintable(signatureSchemeKey(scheme)),
                          qPrintable(ReceiverSnippets::languageName(language)))
                << int(scheme) << int(language);
    }
}

void TestReceiverCode::snippetsSayHowTheyVerify()
{
    QFETCH(int, scheme);
    QFETCH(int, language);
    const QString code =
        ReceiverSnippets::snippet(SignatureScheme(scheme), ReceiverSnippets::Language(language));
    QVERIFY(!code.isEmpty());
    // The secret from the environment; the raw body, said in a comment.
    QVERIFY(code.contains(QLatin1String(ReceiverSnippets::SecretVariable)));
    QVERIFY(code.contains(QLatin1String("RAW body")));
    // Constant-time comparison, in each language's own words.
    static const QRegularExpression constantTime(
        QStringLiteral("compare_digest|timingSafeEqual|hmac\\.Equal"));
    QVERIFY(code.contains(constantTime));
    if (SignatureScheme(scheme) == SignatureScheme::Standard) {
        QVERIFY(code.contains(QLatin1String("webhook-timestamp")));
        QVERIFY(code.contains(QStringLiteral("5 * 60")));
        QVERIFY(code.contains(QLatin1String("whsec_")));
    } else {
        QVERIFY(code.contains(QLatin1String("sha256=")));
    }
    QVERIFY(!code.contains(QLatin1String(StandardSecret).mid(6)));
    QVERIFY(ReceiverSnippets::snippet(SignatureScheme::None, ReceiverSnippets::Language(language))
                .isEmpty());
}

void TestReceiverCode::snippetsVerifyTheAppsRequests_data()
{
    QTest::addColumn<int>("scheme");
    QTest::addColumn<int>("language");
    for (const SignatureScheme scheme : {SignatureScheme::Standard, SignatureScheme::GitHub}) {
        for (const ReceiverSnippets::Language language :
             {ReceiverSnippets::Language::Python, ReceiverSnippets::Language::NodeJs})
            QTest::addRow("%s %s", qPrintable(signatureSchemeKey(scheme)),
                          qPrintable(ReceiverSnippets::languageName(language)))
                << int(scheme) << int(language);
    }
}

void TestReceiverCode::snippetsVerifyTheAppsRequests()
{
    QFETCH(int, scheme);
    QFETCH(int, language);
    const bool standard = SignatureScheme(scheme) == SignatureScheme::Standard;
    const bool python = ReceiverSnippets::Language(language) == ReceiverSnippets::Language::Python;
    const QString secret = QLatin1String(standard ? StandardSecret : GitHubSecret);
    QVERIFY(addHook(secret, signatureSchemeKey(SignatureScheme(scheme))) > 0);
    QCOMPARE(run(args({"emit", "TASKS_CREATED"})).exitCode, 0);
    QCOMPARE(m_receiver->requests().size(), 1);
    const TestReceiver::Request request = m_receiver->requests().first();

    const QString codePath = m_home.filePath(
        QStringLiteral("receiver-%1.%2").arg(m_counter).arg(QLatin1String(python ? "py" : "js")));
    QFile code(codePath);
    QVERIFY(code.open(QIODevice::WriteOnly));
    code.write(
        ReceiverSnippets::snippet(SignatureScheme(scheme), ReceiverSnippets::Language(language))
            .toUtf8());
    code.close();
    const QString program = python ? QStringLiteral("python3") : QStringLiteral("node");
    const QStringList arguments{python ? QStringLiteral("-c") : QStringLiteral("-e"),
                                QString::fromLatin1(python ? PythonHarness : NodeHarness), codePath,
                                m_headersPath, m_bodyPath};

    dump(request);
    QCOMPARE(runVerifier(program, arguments, secret), 0);
    // Another secret: refused.
    QCOMPARE(runVerifier(program, arguments,
                         standard ? QStringLiteral("whsec_") +
                                        QString::fromLatin1(QByteArray(24, 'k').toBase64())
                                  : QStringLiteral("another secret")),
             1);
    // A tampered body, and the same JSON re-serialised: refused.
    QByteArray tampered = request.body;
    tampered.replace("TASKS_CREATED", "TASKS_DELETED");
    QVERIFY(tampered != request.body);
    dump(request, tampered);
    QCOMPARE(runVerifier(program, arguments, secret), 1);
    dump(request, QJsonDocument::fromJson(request.body).toJson(QJsonDocument::Indented));
    QCOMPARE(runVerifier(program, arguments, secret), 1);

    if (standard) {
        // Signed right, ten minutes ago: a replay the timestamp check refuses.
        TestReceiver::Request replay = request;
        const qint64 then = QDateTime::currentSecsSinceEpoch() - 600;
        replay.headers.insert("webhook-timestamp", QByteArray::number(then));
        replay.headers.insert(
            "webhook-signature",
            Signature::standard(secret, QString::fromLatin1(request.headers.value("webhook-id")),
                                then, request.body)
                .toLatin1());
        dump(replay);
        QCOMPARE(runVerifier(program, arguments, secret), 1);
        // The same, signed now by this test: accepted (the refusal was the time).
        replay.headers.insert("webhook-timestamp",
                              QByteArray::number(QDateTime::currentSecsSinceEpoch()));
        replay.headers.insert(
            "webhook-signature",
            Signature::standard(secret, QString::fromLatin1(request.headers.value("webhook-id")),
                                replay.headers.value("webhook-timestamp").toLongLong(),
                                request.body)
                .toLatin1());
        dump(replay);
        QCOMPARE(runVerifier(program, arguments, secret), 0);
    }
}

void TestReceiverCode::standardWebhooksPackageDuringAndAfterRotation()
{
    const QString package =
        QStringLiteral(WEBHOOK_NPM_DIR) + QStringLiteral("/node_modules/standardwebhooks");
    QVERIFY2(QFile::exists(package + QStringLiteral("/package.json")),
             "the standardwebhooks npm package is missing: run packaging/install-deps.sh "
             "(npm ci in tests/support/npm)");
    const QStringList arguments{QStringLiteral("-e"), QString::fromLatin1(StandardWebhooksHarness),
                                package, m_headersPath, m_bodyPath};
    auto accepts = [&](const QString &secret) {
        return runVerifier(QStringLiteral("node"), arguments, secret) == 0;
    };
    static const QRegularExpression newSecret(QStringLiteral("^(whsec_[A-Za-z0-9+/=]+)$"),
                                              QRegularExpression::MultilineOption);
    const QString original = QLatin1String(StandardSecret);

    QVERIFY(addHook(original, QStringLiteral("standard")) > 0);
    QCOMPARE(run(args({"test", "1"})).exitCode, 0);
    dump(m_receiver->requests().constLast());
    QVERIFY(accepts(original));

    const Run rotated = run(args({"hooks", "rotate-secret", "1", "--overlap", "1h"}));
    QVERIFY2(rotated.exitCode == 0, qPrintable(describe(rotated)));
    const QString second = newSecret.match(QString::fromUtf8(rotated.out)).captured(1);
    QVERIFY(!second.isEmpty());
    // During the overlap: the request verifies with either secret, and a
    // retry (a redelivery, signed again at its own send time) too.
    QCOMPARE(run(args({"test", "1"})).exitCode, 0);
    dump(m_receiver->requests().constLast());
    QVERIFY(accepts(original));
    QVERIFY(accepts(second));
    QVERIFY(
        !accepts(QStringLiteral("whsec_") + QString::fromLatin1(QByteArray(24, 'k').toBase64())));
    QCOMPARE(run(args({"redeliver", "1"})).exitCode, 0);
    dump(m_receiver->requests().constLast());
    QVERIFY(accepts(original));
    QVERIFY(accepts(second));

    // After --expire-old: only the newest secret.
    const Run expired = run(args({"hooks", "rotate-secret", "1", "--expire-old"}));
    QVERIFY2(expired.exitCode == 0, qPrintable(describe(expired)));
    const QString third = newSecret.match(QString::fromUtf8(expired.out)).captured(1);
    QVERIFY(!third.isEmpty());
    QCOMPARE(run(args({"redeliver", "2"})).exitCode, 0);
    const TestReceiver::Request after = m_receiver->requests().constLast();
    QCOMPARE(after.headers.value("webhook-signature").split(' ').size(), 1);
    dump(after);
    QVERIFY(accepts(third));
    QVERIFY(!accepts(second));
    QVERIFY(!accepts(original));
}

QTEST_GUILESS_MAIN(TestReceiverCode)
#include "tst_receiver_code.moc"
