#include "cli_process.h"
#include "delivery/delivery_store.h"
#include "store/database.h"
#include "store/hook_store.h"
#include "test_receiver.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <cmath>

// The operator's commands of the real binary: secret rotation, recovery of
// failed deliveries in a time window. The child sends to a real receiver in
// this process; signatures are checked by an independent verifier in Python
// written after the Standard Webhooks reference library.

namespace {

using namespace CliTest;

const char *const SigningSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

// Exit 0 when one of the space-separated v1 signatures matches the secret.
const char *const StandardVerifier = R"py(
import base64, hashlib, hmac, sys
secret, msg_id, timestamp, header, body_path = sys.argv[1:6]
body = open(body_path, 'rb').read()
key = base64.b64decode(secret[len('whsec_'):] if secret.startswith('whsec_') else secret)
signed = msg_id.encode() + b'.' + timestamp.encode() + b'.' + body
expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
for entry in header.split(' '):
    version, _, signature = entry.partition(',')
    if version == 'v1' and hmac.compare_digest(signature, expected):
        sys.exit(0)
sys.exit(1)
)py";

} // namespace

class TestCliOperate : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void helpListsTheOperatorOptions();
    void rotateSecretSignsWithBothDuringTheOverlap();
    void expireOldLeavesOnlyTheNewSignature();
    void githubRotationSaysItSwitchesAtOnce();
    void rotateSecretRefusesBadInput();
    void deliveriesInATimeWindow();
    void redeliverFailedInATimeWindow();
    void badTimesAreRefused();
    void deliveriesJsonNamesWhereAnEditCameFrom();
    void hookStatsMatchHandComputedValues();
    void operationalEventsFromTheCommandLine();

private:
    Run run(const QStringList &arguments);
    qint64 addHook(const QStringList &options);
    QJsonArray deliveriesJson(const QStringList &options = {});
    // Verifies the request's webhook-signature with the Python verifier.
    bool verifies(const TestReceiver::Request &request, const QString &secret);
    QString rotatedSecret(const Run &run) const;
    // Moves the queued time of the attempts of these deliveries back.
    void backdate(const QList<qint64> &deliveryIds, qint64 secondsAgo);

    QTemporaryDir m_home;
    QProcessEnvironment m_environment;
    QString m_db;
    int m_counter = 0;
    std::unique_ptr<TestReceiver> m_receiver;
    QByteArray m_allOutput;
};

void TestCliOperate::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_home.isValid());
    QVERIFY(QFile::exists(QStringLiteral(WEBHOOK_ADMIN_BINARY)));
    QVERIFY2(!QStandardPaths::findExecutable(QStringLiteral("python3")).isEmpty(),
             "python3 is needed for the independent signature verifier");
    m_environment = cleanEnvironment(m_home.path());
    QVERIFY(usePrivateXdgDirs(&m_environment, m_home.path()));
}

void TestCliOperate::init()
{
    m_db = m_home.filePath(QStringLiteral("db-%1.sqlite").arg(++m_counter));
    m_receiver = std::make_unique<TestReceiver>();
    QVERIFY(m_receiver->listen());
    m_allOutput.clear();
}

void TestCliOperate::cleanup()
{
    m_receiver.reset();
    // The configured secret is never printed (a rotated one is, once, on purpose).
    QVERIFY(!m_allOutput.contains(SigningSecret));
    QVERIFY(!m_allOutput.contains(QByteArray(SigningSecret).mid(6)));
}

Run TestCliOperate::run(const QStringList &arguments)
{
    const Run result =
        runCli(m_environment, QStringList{QStringLiteral("--db"), m_db} + arguments, {},
               {.workingDirectory = m_home.path(), .keepEventLoopRunning = true});
    m_allOutput += result.out + result.err;
    return result;
}

qint64 TestCliOperate::addHook(const QStringList &options)
{
    const Run result = run(QStringList{QStringLiteral("hooks"), QStringLiteral("add")} + options);
    if (result.exitCode != 0) {
        qWarning("%s", qPrintable(describe(result)));
        return -1;
    }
    return result.out.trimmed().toLongLong();
}

QJsonArray TestCliOperate::deliveriesJson(const QStringList &options)
{
    const Run result =
        run(QStringList{QStringLiteral("deliveries"), QStringLiteral("--json")} + options);
    if (result.exitCode != 0) {
        qWarning("%s", qPrintable(describe(result)));
        return {};
    }
    return QJsonDocument::fromJson(result.out).array();
}

bool TestCliOperate::verifies(const TestReceiver::Request &request, const QString &secret)
{
    const QString bodyPath = m_home.filePath(QStringLiteral("body.json"));
    QFile body(bodyPath);
    if (!body.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return false;
    body.write(request.body);
    body.close();
    QProcess python;
    python.start(QStringLiteral("python3"),
                 {QStringLiteral("-c"), QString::fromLatin1(StandardVerifier), secret,
                  QString::fromLatin1(request.headers.value("webhook-id")),
                  QString::fromLatin1(request.headers.value("webhook-timestamp")),
                  QString::fromLatin1(request.headers.value("webhook-signature")), bodyPath});
    if (!python.waitForFinished(30000))
        return false;
    if (python.exitCode() > 1)
        qWarning("%s", python.readAllStandardError().constData());
    return python.exitStatus() == QProcess::NormalExit && python.exitCode() == 0;
}

QString TestCliOperate::rotatedSecret(const Run &run) const
{
    static const QRegularExpression secret(QStringLiteral("^(whsec_[A-Za-z0-9+/=]+|[0-9a-f]{48})$"),
                                           QRegularExpression::MultilineOption);
    return secret.match(QString::fromUtf8(run.out)).captured(1);
}

void TestCliOperate::backdate(const QList<qint64> &deliveryIds, qint64 secondsAgo)
{
    Database database;
    QVERIFY(!database.open(m_db));
    QSqlQuery query(database.connection());
    query.prepare(QStringLiteral("UPDATE attempts SET created_at = ? WHERE delivery_id = ?"));
    for (const qint64 id : deliveryIds) {
        query.addBindValue(QDateTime::currentMSecsSinceEpoch() - secondsAgo * 1000);
        query.addBindValue(id);
        QVERIFY(query.exec());
        QCOMPARE(query.numRowsAffected(), 1);
    }
}

void TestCliOperate::helpListsTheOperatorOptions()
{
    const Run result = run(args({"--help"}));
    QCOMPARE(result.exitCode, 0);
    for (const char *text : {"hooks rotate-secret ID [--overlap DURATION] [--expire-old]",
                             "redeliver --failed [--hook ID] [--event KEY] [--since TIME]",
                             "[--since TIME] [--until TIME] [--json]"})
        QVERIFY2(result.out.contains(text), text);
}

void TestCliOperate::rotateSecretSignsWithBothDuringTheOverlap()
{
    const qint64 hook = addHook({QStringLiteral("--url"), m_receiver->url(QStringLiteral("/ok")),
                                 QStringLiteral("--secret"), QLatin1String(SigningSecret),
                                 QStringLiteral("--signature"), QStringLiteral("standard")});
    QVERIFY(hook > 0);
    QCOMPARE(run(args({"test", "1"})).exitCode, 0);

    const QDateTime before = QDateTime::currentDateTimeUtc();
    const Run rotated = run(args({"hooks", "rotate-secret", "1", "--overlap", "2h"}));
    QVERIFY2(rotated.exitCode == 0, qPrintable(describe(rotated)));
    const QString newSecret = rotatedSecret(rotated);
    QVERIFY2(newSecret.startsWith(QLatin1String("whsec_")), rotated.out.constData());
    QVERIFY(rotated.out.contains("shown this once"));
    const QString until = before.addSecs(7200).toString(QStringLiteral("yyyy-MM-dd HH:mm 'UTC'"));
    const QString untilLater =
        before.addSecs(7260).toString(QStringLiteral("yyyy-MM-dd HH:mm 'UTC'"));
    QVERIFY2(rotated.out.contains(until.toUtf8()) || rotated.out.contains(untilLater.toUtf8()),
             rotated.out.constData());

    QCOMPARE(run(args({"test", "1"})).exitCode, 0);
    QCOMPARE(m_receiver->requests().size(), 2);
    const TestReceiver::Request beforeRotation = m_receiver->requests().at(0);
    const TestReceiver::Request during = m_receiver->requests().at(1);
    QCOMPARE(beforeRotation.headers.value("webhook-signature").split(' ').size(), 1);
    QCOMPARE(during.headers.value("webhook-signature").split(' ').size(), 2);
    // Receivers on either secret accept it; one on another secret does not.
    QVERIFY(verifies(during, QLatin1String(SigningSecret)));
    QVERIFY(verifies(during, newSecret));
    QVERIFY(!verifies(during, QStringLiteral("whsec_") +
                                  QString::fromLatin1(QByteArray(24, 'k').toBase64())));
    QVERIFY(verifies(beforeRotation, QLatin1String(SigningSecret)));
    QVERIFY(!verifies(beforeRotation, newSecret));

    // show says a previous secret is valid, never what it is.
    const Run shown = run(args({"hooks", "show", "1"}));
    QCOMPARE(shown.exitCode, 0);
    QVERIFY2(shown.out.contains("Previous secrets"), shown.out.constData());
    QVERIFY(shown.out.contains("valid until"));
    QVERIFY(!shown.out.contains(newSecret.toUtf8()));
    // Nor does the log.
    const QJsonArray log = deliveriesJson();
    QCOMPARE(log.size(), 2);
    const QByteArray logText = QJsonDocument(log).toJson();
    QVERIFY(!logText.contains(newSecret.mid(6).toUtf8()));
}

void TestCliOperate::expireOldLeavesOnlyTheNewSignature()
{
    QVERIFY(addHook({QStringLiteral("--url"), m_receiver->url(QStringLiteral("/ok")),
                     QStringLiteral("--secret"), QLatin1String(SigningSecret),
                     QStringLiteral("--signature"), QStringLiteral("standard")}) > 0);
    const Run first = run(args({"hooks", "rotate-secret", "1"})); // 24 h by default
    QCOMPARE(first.exitCode, 0);
    const Run second = run(args({"hooks", "rotate-secret", "1", "--expire-old"}));
    QVERIFY2(second.exitCode == 0, qPrintable(describe(second)));
    QVERIFY(second.out.contains("No earlier secret signs any more"));
    const QString newest = rotatedSecret(second);
    QVERIFY(!newest.isEmpty());
    QCOMPARE(run(args({"test", "1"})).exitCode, 0);
    const TestReceiver::Request request = m_receiver->requests().constLast();
    QCOMPARE(request.headers.value("webhook-signature").split(' ').size(), 1);
    QVERIFY(verifies(request, newest));
    QVERIFY(!verifies(request, rotatedSecret(first)));
    QVERIFY(!verifies(request, QLatin1String(SigningSecret)));
    const Run shown = run(args({"hooks", "show", "1"}));
    QVERIFY(shown.out.contains("Previous secrets"));
    QVERIFY2(!shown.out.contains("valid until"), shown.out.constData());
}

void TestCliOperate::githubRotationSaysItSwitchesAtOnce()
{
    QVERIFY(addHook({QStringLiteral("--url"), m_receiver->url(QStringLiteral("/ok")),
                     QStringLiteral("--secret"), QStringLiteral("It's a Secret to Everybody"),
                     QStringLiteral("--signature"), QStringLiteral("github")}) > 0);
    const Run rotated = run(args({"hooks", "rotate-secret", "1", "--overlap", "1d"}));
    QVERIFY2(rotated.exitCode == 0, qPrintable(describe(rotated)));
    QVERIFY(rotated.out.contains("room for one signature"));
    QVERIFY(rotated.out.contains("new secret only"));
    QCOMPARE(rotatedSecret(rotated).size(), 48);
}

void TestCliOperate::rotateSecretRefusesBadInput()
{
    QVERIFY(addHook({QStringLiteral("--url"), m_receiver->url(QStringLiteral("/ok"))}) > 0);
    const Run unsigned_ = run(args({"hooks", "rotate-secret", "1"}));
    QCOMPARE(unsigned_.exitCode, 2);
    QVERIFY(isOneLineError(unsigned_));
    QVERIFY(unsigned_.err.contains("does not sign"));
    QCOMPARE(run(args({"hooks", "rotate-secret", "7"})).exitCode, 2);
    QCOMPARE(run(args({"hooks", "rotate-secret"})).exitCode, 1);
    QCOMPARE(run(args({"hooks", "rotate-secret", "1", "--overlap", "soon"})).exitCode, 2);
    QCOMPARE(run(args({"hooks", "rotate-secret", "1", "--overlap", "1h", "--expire-old"})).exitCode,
             1);
    QVERIFY(addHook({QStringLiteral("--url"), m_receiver->url(QStringLiteral("/ok")),
                     QStringLiteral("--secret"), QLatin1String(SigningSecret),
                     QStringLiteral("--signature"), QStringLiteral("standard")}) > 0);
    const Run malformed = run(args({"hooks", "rotate-secret", "2", "--secret", "plain"}));
    QCOMPARE(malformed.exitCode, 2);
    QVERIFY(malformed.err.contains("whsec_"));
}

void TestCliOperate::deliveriesInATimeWindow()
{
    QVERIFY(addHook({QStringLiteral("--url"), m_receiver->url(QStringLiteral("/ok"))}) > 0);
    for (int i = 0; i < 3; ++i)
        QCOMPARE(run(args({"emit", "TASKS_CREATED"})).exitCode, 0);
    backdate({1}, 10 * 3600);
    backdate({2}, 3 * 3600);
    auto deliveryIds = [](const QJsonArray &list) {
        QList<qint64> ids;
        for (const QJsonValue &v : list)
            ids.append(v.toObject().value(QLatin1String("delivery")).toInteger());
        return ids;
    };
    QCOMPARE(deliveryIds(deliveriesJson(args({"--since", "1h"}))), QList<qint64>{3});
    QCOMPARE(deliveryIds(deliveriesJson(args({"--since", "4h"}))), (QList<qint64>{3, 2}));
    QCOMPARE(deliveryIds(deliveriesJson(args({"--since", "12h", "--until", "2h"}))),
             (QList<qint64>{2, 1}));
    const QString iso = QDateTime::currentDateTimeUtc().addSecs(-5 * 3600).toString(Qt::ISODate);
    QCOMPARE(deliveryIds(deliveriesJson({QStringLiteral("--until"), iso})), QList<qint64>{1});
    const Run table = run(args({"deliveries", "--since", "1h"}));
    QCOMPARE(table.exitCode, 0);
    QCOMPARE(table.out.count("TASKS_CREATED"), 1);
}

void TestCliOperate::redeliverFailedInATimeWindow()
{
    // Last night's failures, and this morning's; the receiver is fixed now.
    const qint64 failing =
        addHook({QStringLiteral("--url"), m_receiver->url(QStringLiteral("/status/500")),
                 QStringLiteral("--max-attempts"), QStringLiteral("1")});
    const qint64 other =
        addHook({QStringLiteral("--url"), m_receiver->url(QStringLiteral("/status/503")),
                 QStringLiteral("--max-attempts"), QStringLiteral("1"), QStringLiteral("--event"),
                 QStringLiteral("TASKS_DELETED")});
    QVERIFY(failing == 1 && other == 2);
    QCOMPARE(run(args({"emit", "TASKS_CREATED"})).exitCode, 3); // delivery 1
    QCOMPARE(run(args({"emit", "TASKS_DELETED"})).exitCode, 3); // deliveries 2 (hook 1), 3 (hook 2)
    QCOMPARE(run(args({"emit", "TASKS_CREATED"})).exitCode, 3); // delivery 4
    backdate({1}, 20 * 3600);
    backdate({2, 3}, 9 * 3600);
    QCOMPARE(m_receiver->requests().size(), 4);
    // Point both hooks at a working receiver.
    QCOMPARE(run({QStringLiteral("hooks"), QStringLiteral("update"), QStringLiteral("1"),
                  QStringLiteral("--url"), m_receiver->url(QStringLiteral("/ok"))})
                 .exitCode,
             0);
    QCOMPARE(run({QStringLiteral("hooks"), QStringLiteral("update"), QStringLiteral("2"),
                  QStringLiteral("--url"), m_receiver->url(QStringLiteral("/ok"))})
                 .exitCode,
             0);

    // Last night: between 12 and 6 hours ago, only hook 1's.
    const Run night =
        run(args({"redeliver", "--failed", "--hook", "1", "--since", "12h", "--until", "6h"}));
    QVERIFY2(night.exitCode == 0, qPrintable(describe(night)));
    QVERIFY2(night.out.contains("Failed deliveries sent again: 1."), night.out.constData());
    QCOMPARE(m_receiver->requests().size(), 5);
    QCOMPARE(m_receiver->count("/ok"), 1);
    // The same webhook-id as the failed attempt, and marked manual.
    QJsonObject latest = deliveriesJson(args({"--limit", "1"})).first().toObject();
    QCOMPARE(latest.value(QLatin1String("delivery")).toInteger(), 2);
    QCOMPARE(latest.value(QLatin1String("trigger")).toString(), QStringLiteral("manual"));
    // (Deliveries 2 and 3 went out side by side: either may have arrived first.)
    const QByteArray resent = m_receiver->requests().at(4).headers.value("webhook-id");
    QCOMPARE(resent, latest.value(QLatin1String("message_id")).toString().toLatin1());
    QVERIFY(m_receiver->requests().at(1).headers.value("webhook-id") == resent ||
            m_receiver->requests().at(2).headers.value("webhook-id") == resent);

    // Everything failed in the last day: deliveries 1, 3 and 4 (2 succeeded now).
    const Run day = run(args({"redeliver", "--failed", "--since", "1d"}));
    QVERIFY2(day.exitCode == 0, qPrintable(describe(day)));
    QVERIFY2(day.out.contains("Failed deliveries sent again: 3."), day.out.constData());
    QCOMPARE(m_receiver->count("/ok"), 4);
    const Run none = run(args({"redeliver", "--failed", "--since", "1d"}));
    QCOMPARE(none.exitCode, 0);
    QVERIFY(none.out.contains("No failed deliveries"));
}

void TestCliOperate::badTimesAreRefused()
{
    for (const QStringList &arguments : {args({"deliveries", "--since", "yesterday"}),
                                         args({"deliveries", "--until", "2026-13-01"}),
                                         args({"redeliver", "--failed", "--since", "soon"}),
                                         args({"deliveries", "--since", "1h", "--until", "2h"})}) {
        const Run result = run(arguments);
        QVERIFY2(result.exitCode == 2, qPrintable(describe(result)));
        QVERIFY(isOneLineError(result));
    }
    const Run noFailed = run(args({"redeliver", "4", "--since", "1h"}));
    QCOMPARE(noFailed.exitCode, 1);
}

void TestCliOperate::deliveriesJsonNamesWhereAnEditCameFrom()
{
    QVERIFY(addHook({QStringLiteral("--url"), m_receiver->url(QStringLiteral("/ok"))}) > 0);
    QCOMPARE(run(args({"test", "1"})).exitCode, 0);
    {
        // What the window's Edit and Resend stores (queued only; nothing sends it here).
        Database database;
        QVERIFY(!database.open(m_db));
        HookStore hooks(&database);
        DeliveryStore deliveries(&database);
        const EventCatalog catalog = hooks.catalog();
        Result<EmitResult> resent =
            deliveries.enqueueResend(catalog, 1, QStringLiteral("PING"), std::nullopt,
                                     catalog.samplePayload(QStringLiteral("PING")), 1, QString(),
                                     QDateTime::currentDateTimeUtc());
        QVERIFY2(resent, qPrintable(resent.error().message));
        QCOMPARE(resent->deliveryIds, QList<qint64>{2});
        QVERIFY(!deliveries.enqueueResend(catalog, 1, QStringLiteral("PING"), std::nullopt,
                                          catalog.samplePayload(QStringLiteral("PING")), 99,
                                          QString(), QDateTime::currentDateTimeUtc()));
    }
    const QJsonArray log = deliveriesJson();
    QCOMPARE(log.size(), 2);
    QCOMPARE(log.at(0).toObject().value(QLatin1String("delivery")).toInteger(), 2);
    QCOMPARE(log.at(0).toObject().value(QLatin1String("edited_from")).toInteger(), 1);
    QVERIFY(log.at(1).toObject().contains(QLatin1String("edited_from")));
    QVERIFY(log.at(1).toObject().value(QLatin1String("edited_from")).isNull());
}

void TestCliOperate::hookStatsMatchHandComputedValues()
{
    QVERIFY(addHook({QStringLiteral("--url"), m_receiver->url(QStringLiteral("/ok"))}) > 0);
    for (int i = 0; i < 3; ++i)
        QCOMPARE(run(args({"emit", "TASKS_CREATED"})).exitCode, 0);
    QCOMPARE(run({QStringLiteral("hooks"), QStringLiteral("update"), QStringLiteral("1"),
                  QStringLiteral("--url"), m_receiver->url(QStringLiteral("/status/500")),
                  QStringLiteral("--max-attempts"), QStringLiteral("1")})
                 .exitCode,
             0);
    QCOMPARE(run(args({"emit", "TASKS_CREATED"})).exitCode, 3);
    backdate({1}, 3 * 86400); // outside the last day, inside the week

    // By hand, from the rows: durations sorted, nearest-rank percentiles.
    auto durations = [this](qint64 sinceMs) {
        QList<qint64> list;
        Database database;
        if (database.open(m_db))
            return list;
        QSqlQuery query(database.connection());
        query.prepare(QStringLiteral("SELECT duration_ms FROM attempts WHERE created_at >= ? "
                                     "ORDER BY duration_ms"));
        query.addBindValue(sinceMs);
        if (query.exec()) {
            while (query.next())
                list.append(query.value(0).toLongLong());
        }
        return list;
    };
    auto rank = [](const QList<qint64> &sorted, double p) {
        return sorted.at(std::max<qsizetype>(0, qsizetype(std::ceil(p * sorted.size())) - 1));
    };
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const QList<qint64> day = durations(now - 86400 * 1000LL + 60000);
    const QList<qint64> week = durations(now - 7 * 86400 * 1000LL + 60000);
    QCOMPARE(day.size(), 3);
    QCOMPARE(week.size(), 4);

    const Run result = run(args({"hooks", "stats", "1", "--json"}));
    QVERIFY2(result.exitCode == 0, qPrintable(describe(result)));
    const QJsonObject stats = QJsonDocument::fromJson(result.out).object();
    QCOMPARE(stats.value(QLatin1String("webhook")).toInteger(), 1);
    const QJsonObject d = stats.value(QLatin1String("24h")).toObject();
    QCOMPARE(d.value(QLatin1String("deliveries")).toInteger(), 3);
    QCOMPARE(d.value(QLatin1String("attempts")).toInteger(), 3);
    QCOMPARE(d.value(QLatin1String("succeeded")).toInteger(), 2);
    QCOMPARE(d.value(QLatin1String("success_rate")).toDouble(), 2.0 / 3.0);
    QCOMPARE(d.value(QLatin1String("p50_ms")).toInteger(), rank(day, 0.5));
    QCOMPARE(d.value(QLatin1String("p95_ms")).toInteger(), rank(day, 0.95));
    const QJsonObject w = stats.value(QLatin1String("7d")).toObject();
    QCOMPARE(w.value(QLatin1String("deliveries")).toInteger(), 4);
    QCOMPARE(w.value(QLatin1String("succeeded")).toInteger(), 3);
    QCOMPARE(w.value(QLatin1String("success_rate")).toDouble(), 0.75);
    QCOMPARE(w.value(QLatin1String("p50_ms")).toInteger(), rank(week, 0.5));
    QCOMPARE(w.value(QLatin1String("p95_ms")).toInteger(), rank(week, 0.95));

    const Run table = run(args({"hooks", "stats"}));
    QCOMPARE(table.exitCode, 0);
    QVERIFY2(table.out.contains("66.7 %") && table.out.contains("75.0 %"), table.out.constData());
    QCOMPARE(run(args({"hooks", "stats", "9"})).exitCode, 2);
}

void TestCliOperate::operationalEventsFromTheCommandLine()
{
    // Subscribed like any event; listed in the catalog; never emitted by hand.
    const qint64 pager = addHook({QStringLiteral("--url"), m_receiver->url(QStringLiteral("/ok")),
                                  QStringLiteral("--event"), QStringLiteral("WEBHOOK_DISABLED"),
                                  QStringLiteral("--event"), QStringLiteral("WEBHOOK_PAUSED"),
                                  QStringLiteral("--event"), QStringLiteral("DELIVERY_EXHAUSTED")});
    QCOMPARE(pager, 1);
    const Run shown = run(args({"hooks", "show", "1", "--json"}));
    QCOMPARE(shown.exitCode, 0);
    const QJsonArray actions =
        QJsonDocument::fromJson(shown.out).object().value(QLatin1String("actions")).toArray();
    QCOMPARE(actions.size(), 3);
    QCOMPARE(actions.at(0).toString(), QStringLiteral("WEBHOOK_DISABLED"));
    const Run events = run(args({"events"}));
    QCOMPARE(events.exitCode, 0);
    for (const char *key : {"WEBHOOK_DISABLED", "WEBHOOK_PAUSED", "DELIVERY_EXHAUSTED"})
        QVERIFY2(events.out.contains(key), key);
    const Run emitted = run(args({"emit", "WEBHOOK_PAUSED"}));
    QCOMPARE(emitted.exitCode, 2);
    QVERIFY(isOneLineError(emitted));
    QVERIFY(emitted.err.contains("operational event"));
    // A test send shows the receiver what one looks like.
    QCOMPARE(run(args({"test", "1", "--event", "WEBHOOK_PAUSED"})).exitCode, 0);
    QCOMPARE(m_receiver->requests().size(), 1);
    const QJsonObject body = QJsonDocument::fromJson(m_receiver->requests().first().body).object();
    QCOMPARE(body.value(QLatin1String("action")).toString(), QStringLiteral("WEBHOOK_PAUSED"));
    QVERIFY(body.value(QLatin1String("webhook")).isObject());
    QVERIFY(body.contains(QLatin1String("last_error")));
    QVERIFY(body.contains(QLatin1String("delivery_id")));

    // A project-scoped hook cannot take them: they are organization-wide.
    QCOMPARE(run(args({"projects", "add", "Street scenes"})).exitCode, 0);
    const Run scoped =
        run({QStringLiteral("hooks"), QStringLiteral("add"), QStringLiteral("--url"),
             m_receiver->url(QStringLiteral("/ok")), QStringLiteral("--project"),
             QStringLiteral("1"), QStringLiteral("--event"), QStringLiteral("WEBHOOK_PAUSED")});
    QCOMPARE(scoped.exitCode, 2);
}

QTEST_GUILESS_MAIN(TestCliOperate)
#include "tst_cli_operate.moc"
