#include "cli_process.h"
#include "delivery/signature.h"
#include "inbox/inbox_endpoint.h"
#include "store/database.h"
#include "store/inbox_store.h"
#include "test_database.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

namespace {

using namespace CliTest;

const char *const StandardSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

const QStringList RequestFields{
    QStringLiteral("id"),        QStringLiteral("inbox"), QStringLiteral("received_at"),
    QStringLiteral("method"),    QStringLiteral("path"),  QStringLiteral("verdict"),
    QStringLiteral("reason"),    QStringLiteral("size"),  QStringLiteral("headers"),
    QStringLiteral("body"),      QStringLiteral("query"), QStringLiteral("remote_address"),
    QStringLiteral("truncated"),
};

} // namespace

// The inbox commands through the real binary. Requests reach the file the
// way the listener stores them: through InboxEndpoint on a connection of
// this process.
class TestCliInbox : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();

    void setChangesTheAnswer();
    void secretIsMaskedAndCanBeRemoved();
    void invalidInput_data();
    void invalidInput();
    void listAndShow();
    void clear();

private:
    Run run(const QStringList &arguments);
    ListenerReply receive(const QString &inbox, const QByteArray &body,
                          const QList<QPair<QByteArray, QByteArray>> &headers = {});

    QTemporaryDir m_home;
    QProcessEnvironment m_environment;
    QString m_db;
    int m_counter = 0;
};

void TestCliInbox::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_home.isValid());
    m_environment = cleanEnvironment(m_home.path());
    QVERIFY(usePrivateXdgDirs(&m_environment, m_home.path()));
}

void TestCliInbox::init()
{
    m_db = TestDatabase::create(m_home.path(), QStringLiteral("db-%1.sqlite").arg(++m_counter));
}

Run TestCliInbox::run(const QStringList &arguments)
{
    return runCli(m_environment, QStringList{QStringLiteral("--db"), m_db} + arguments, {},
                  {.workingDirectory = m_home.path()});
}

ListenerReply TestCliInbox::receive(const QString &inbox, const QByteArray &body,
                                    const QList<QPair<QByteArray, QByteArray>> &headers)
{
    Database db;
    if (const auto e = db.open(m_db)) {
        qWarning("%s", qPrintable(e->message));
        return {};
    }
    InboxEndpoint endpoint(&db);
    ListenerRequest request;
    request.method = QStringLiteral("POST");
    request.path = QStringLiteral("/inbox/") + inbox;
    request.headers = headers;
    request.body = body;
    request.fullSize = body.size();
    request.remoteAddress = QHostAddress::LocalHost;
    return endpoint.receive(request);
}

void TestCliInbox::setChangesTheAnswer()
{
    Run result = run(args({"inbox", "set", "ci", "--status", "503", "--delay-ms", "300", "--body",
                           R"({"busy": true})"}));
    QVERIFY2(result.exitCode == 0, qPrintable(describe(result)));
    QVERIFY(result.err.isEmpty());
    QVERIFY(result.out.contains("503"));
    QVERIFY(result.out.contains("300"));
    ListenerReply reply = receive(QStringLiteral("ci"), "{}");
    QCOMPARE(reply.status, 503);
    QCOMPARE(reply.delayMs, 300);
    QCOMPARE(reply.body, QByteArray(R"({"busy": true})"));

    // Only what is given changes.
    result = run(args({"inbox", "set", "ci", "--status", "200"}));
    QCOMPARE(result.exitCode, 0);
    reply = receive(QStringLiteral("ci"), "{}");
    QCOMPARE(reply.status, 200);
    QCOMPARE(reply.delayMs, 300);
    QCOMPARE(reply.body, QByteArray(R"({"busy": true})"));
}

void TestCliInbox::secretIsMaskedAndCanBeRemoved()
{
    Run result =
        run(args({"inbox", "set", "ci", "--secret", StandardSecret, "--signature", "standard"}));
    QVERIFY2(result.exitCode == 0, qPrintable(describe(result)));
    QVERIFY(!result.out.contains(StandardSecret));
    QVERIFY(!result.out.contains("MfKQ9r8"));
    QVERIFY(result.out.contains("standard"));

    // A request signed with it verifies.
    const QByteArray body = R"({"action": "PING"})";
    const qint64 now = QDateTime::currentSecsSinceEpoch();
    QList<QPair<QByteArray, QByteArray>> headers{{"webhook-id", "msg_1"},
                                                 {"webhook-timestamp", QByteArray::number(now)}};
    headers += Signature::headers(SignatureScheme::Standard, QString::fromLatin1(StandardSecret),
                                  QStringLiteral("msg_1"), now, body);
    QCOMPARE(receive(QStringLiteral("ci"), body, headers).status, 200);
    result = run(args({"inbox", "list", "--json"}));
    QCOMPARE(result.exitCode, 0);
    QCOMPARE(QJsonDocument::fromJson(result.out)
                 .array()
                 .first()
                 .toObject()
                 .value(QLatin1String("verdict")),
             QJsonValue(QStringLiteral("valid")));

    result = run(args({"inbox", "set", "ci", "--no-secret"}));
    QCOMPARE(result.exitCode, 0);
    QCOMPARE(receive(QStringLiteral("ci"), body, headers).status, 200);
    result = run(args({"inbox", "list", "--json", "--limit", "1"}));
    const QJsonObject last = QJsonDocument::fromJson(result.out).array().first().toObject();
    QCOMPARE(last.value(QLatin1String("verdict")), QJsonValue(QStringLiteral("invalid")));
}

void TestCliInbox::invalidInput_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("message");
    QTest::newRow("status not a number")
        << args({"inbox", "set", "ci", "--status", "ok"}) << 2 << "HTTP status";
    QTest::newRow("status out of range")
        << args({"inbox", "set", "ci", "--status", "700"}) << 2 << "between 200 and 599";
    QTest::newRow("negative delay")
        << args({"inbox", "set", "ci", "--delay-ms", "-5"}) << 2 << "delay";
    QTest::newRow("delay not a number")
        << args({"inbox", "set", "ci", "--delay-ms", "soon"}) << 2 << "milliseconds";
    QTest::newRow("body not JSON")
        << args({"inbox", "set", "ci", "--body", "{oops"}) << 2 << "not JSON";
    QTest::newRow("secret without scheme")
        << args({"inbox", "set", "ci", "--secret", StandardSecret}) << 2 << "go together";
    QTest::newRow("unknown scheme")
        << args({"inbox", "set", "ci", "--secret", "s", "--signature", "sha1"}) << 2
        << "standard or github";
    QTest::newRow("standard secret not whsec_")
        << args({"inbox", "set", "ci", "--secret", "plain", "--signature", "standard"}) << 2
        << "whsec_";
    QTest::newRow("no-secret with secret")
        << args({"inbox", "set", "ci", "--no-secret", "--secret", "s", "--signature", "github"})
        << 2 << "--no-secret";
    QTest::newRow("bad name") << args({"inbox", "set", "a/b"}) << 2 << "inbox name";
    QTest::newRow("show a word") << args({"inbox", "show", "latest"}) << 2 << "not the ID";
    QTest::newRow("show unknown id") << args({"inbox", "show", "42"}) << 2 << "no inbox request";
    QTest::newRow("clear unknown inbox")
        << args({"inbox", "clear", "nope"}) << 2 << "no inbox \"nope\"";
    QTest::newRow("list bad limit") << args({"inbox", "list", "--limit", "0"}) << 2 << "--limit";
    QTest::newRow("unknown option") << args({"inbox", "list", "--colour"}) << 1 << "colour";
    QTest::newRow("unknown subcommand") << args({"inbox", "empty"}) << 1 << "inbox empty";
    QTest::newRow("set without name") << args({"inbox", "set"}) << 1 << "NAME";
}

void TestCliInbox::invalidInput()
{
    QFETCH(QStringList, arguments);
    QFETCH(int, exitCode);
    QFETCH(QString, message);
    const Run result = run(arguments);
    QVERIFY2(result.exitCode == exitCode, qPrintable(describe(result)));
    QVERIFY2(isOneLineError(result), qPrintable(describe(result)));
    QVERIFY2(QString::fromUtf8(result.err).contains(message), qPrintable(describe(result)));
    // Nothing was set.
    if (QFile::exists(m_db)) {
        Database db;
        QVERIFY(!db.open(m_db));
        QCOMPARE(InboxStore(&db).inboxNames()->size(), 0);
    }
}

void TestCliInbox::listAndShow()
{
    const QByteArray body = R"({"action": "TASKS_CREATED", "tasks": [{"id": 7}]})";
    QCOMPARE(receive(QStringLiteral("ci"), body,
                     {{"Content-Type", "application/json"},
                      {"Authorization", "Bearer top-secret-token"},
                      {"X-Team", "vision"}})
                 .status,
             200);
    QCOMPARE(receive(QStringLiteral("other"), "plain text").status, 200);

    Run result = run(args({"inbox", "list", "--json"}));
    QVERIFY2(result.exitCode == 0, qPrintable(describe(result)));
    QVERIFY(!result.out.contains("top-secret"));
    const QJsonArray all = QJsonDocument::fromJson(result.out).array();
    QCOMPARE(all.size(), 2);
    const QJsonObject newest = all.at(0).toObject();
    const QJsonObject oldest = all.at(1).toObject();
    QStringList keys = newest.keys();
    keys.sort();
    QStringList expected = RequestFields;
    expected.sort();
    QCOMPARE(keys, expected);
    QCOMPARE(newest.value(QLatin1String("inbox")).toString(), QStringLiteral("other"));
    QCOMPARE(newest.value(QLatin1String("body")).toString(), QStringLiteral("plain text"));
    QCOMPARE(oldest.value(QLatin1String("inbox")).toString(), QStringLiteral("ci"));
    QCOMPARE(oldest.value(QLatin1String("method")).toString(), QStringLiteral("POST"));
    QCOMPARE(oldest.value(QLatin1String("path")).toString(), QStringLiteral("/inbox/ci"));
    QCOMPARE(oldest.value(QLatin1String("verdict")).toString(), QStringLiteral("unsigned"));
    QVERIFY(oldest.value(QLatin1String("reason")).toString().contains(QLatin1String("no ")));
    QCOMPARE(oldest.value(QLatin1String("size")).toInteger(), body.size());
    QCOMPARE(oldest.value(QLatin1String("body")).toObject(),
             QJsonDocument::fromJson(body).object());
    const QJsonObject headers = oldest.value(QLatin1String("headers")).toObject();
    QCOMPARE(headers.value(QLatin1String("Authorization")).toString(), maskedSecret());
    QCOMPARE(headers.value(QLatin1String("X-Team")).toString(), QStringLiteral("vision"));
    QVERIFY(QDateTime::fromString(oldest.value(QLatin1String("received_at")).toString(),
                                  Qt::ISODateWithMs)
                .isValid());

    result = run(args({"inbox", "list", "--name", "ci", "--json"}));
    QCOMPARE(QJsonDocument::fromJson(result.out).array().size(), 1);

    const QString id = QString::number(oldest.value(QLatin1String("id")).toInteger());
    result = run({QStringLiteral("inbox"), QStringLiteral("show"), id, QStringLiteral("--json")});
    QCOMPARE(result.exitCode, 0);
    QCOMPARE(QJsonDocument::fromJson(result.out).object(), oldest);

    // For people: a table, and the details with the body pretty-printed.
    result = run(args({"inbox", "list"}));
    QCOMPARE(result.exitCode, 0);
    QVERIFY(result.out.startsWith("ID"));
    QVERIFY(result.out.contains("VERDICT"));
    QVERIFY(result.out.contains("unsigned"));
    QVERIFY(!result.out.contains("top-secret"));
    result = run({QStringLiteral("inbox"), QStringLiteral("show"), id});
    QCOMPARE(result.exitCode, 0);
    QVERIFY2(result.out.contains("\"tasks\": ["), result.out.constData());
    QVERIFY(result.out.contains(QByteArray("Authorization: " + maskedSecret().toUtf8())));
    QVERIFY(result.out.contains("no webhook-signature"));
    QVERIFY(!result.out.contains("top-secret"));
}

void TestCliInbox::clear()
{
    for (const char *inbox : {"ci", "ci", "keep"})
        QCOMPARE(receive(QString::fromLatin1(inbox), "{}").status, 200);
    Run result = run(args({"inbox", "clear", "ci"}));
    QVERIFY2(result.exitCode == 0, qPrintable(describe(result)));
    QVERIFY(result.out.contains("Deleted 2"));
    result = run(args({"inbox", "list", "--json"}));
    const QJsonArray left = QJsonDocument::fromJson(result.out).array();
    QCOMPARE(left.size(), 1);
    QCOMPARE(left.first().toObject().value(QLatin1String("inbox")).toString(),
             QStringLiteral("keep"));
    result = run(args({"inbox", "list", "--name", "ci"}));
    QCOMPARE(result.exitCode, 0);
    QVERIFY(result.out.contains("received nothing"));
}

QTEST_GUILESS_MAIN(TestCliInbox)
#include "tst_cli_inbox.moc"
