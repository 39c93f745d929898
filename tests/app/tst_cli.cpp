#include "cli_process.h"
#include "store/database.h"
#include "test_database.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

namespace {

using namespace CliTest;

QString str(const char *text)
{
    return QString::fromUtf8(text);
}

const QStringList HookFields{
    QStringLiteral("id"),
    QStringLiteral("filter"),
    QStringLiteral("rate_limit"),
    QStringLiteral("max_in_flight"),
    QStringLiteral("retry_on"),
    QStringLiteral("retry_schedule"),
    QStringLiteral("state"),
    QStringLiteral("paused_at"),
    QStringLiteral("next_probe_at"),
    QStringLiteral("pause_reason"),
    QStringLiteral("last_error"),
    QStringLiteral("project"),
    QStringLiteral("url"),
    QStringLiteral("send_payload"),
    QStringLiteral("send_for_all_actions"),
    QStringLiteral("headers"),
    QStringLiteral("is_active"),
    QStringLiteral("actions"),
    QStringLiteral("created_at"),
    QStringLiteral("updated_at"),
    QStringLiteral("description"),
    QStringLiteral("signature"),
    QStringLiteral("secret"),
    QStringLiteral("secret_headers"),
    QStringLiteral("timeout"),
    QStringLiteral("max_attempts"),
    QStringLiteral("verify_tls"),
    QStringLiteral("http_version"),
    QStringLiteral("consecutive_failures"),
    QStringLiteral("disabled_reason"),
};

const char *const StandardSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

} // namespace

class TestCli : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();

    void versionAndHelp();
    void commandsNeedNoDisplay();
    void usageErrors_data();
    void usageErrors();
    void invalidInput_data();
    void invalidInput();
    void addAndShow();
    void listHumanAndJson();
    void updateChangesOnlyWhatIsGiven();
    void httpVersionOption();
    void remove();
    void deliveryPolicyOptions();
    void events();
    void projects();
    void projectsRenameAndDelete();
    void eventsUpdateAndDelete();
    void settings();
    void importExportRoundTrip();
    void importFailingHalfWayWritesNothing_data();
    void importFailingHalfWayWritesNothing();
    void importFromStdin();
    void credentialHeadersAreSecretByDefault();
    void importOfMaskedExportIsRefused();
    void storageErrors_data();
    void storageErrors();
    void defaultDatabaseAndDbAfterCommand();

private:
    Run run(const QStringList &arguments, const QByteArray &input = {});
    Run runWith(const QProcessEnvironment &environment, const QStringList &arguments,
                const QByteArray &input = {});
    QJsonDocument json(const QStringList &arguments);
    qint64 addHook(const QStringList &options);
    QString writeFile(const QString &name, const QByteArray &contents);

    QTemporaryDir m_home;
    QProcessEnvironment m_environment;
    QString m_db;
    int m_counter = 0;
};

void TestCli::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_home.isValid());
    QVERIFY(QFile::exists(QStringLiteral(WEBHOOK_ADMIN_BINARY)));

    m_environment = cleanEnvironment(m_home.path());
    QVERIFY(usePrivateXdgDirs(&m_environment, m_home.path()));
}

void TestCli::init()
{
    // A fresh database for every test function and data row.
    m_db = TestDatabase::create(m_home.path(), QStringLiteral("db-%1.sqlite").arg(++m_counter));
}

Run TestCli::runWith(const QProcessEnvironment &environment, const QStringList &arguments,
                     const QByteArray &input)
{
    return runCli(environment, arguments, input, {.workingDirectory = m_home.path()});
}

Run TestCli::run(const QStringList &arguments, const QByteArray &input)
{
    return runWith(m_environment, QStringList{QStringLiteral("--db"), m_db} + arguments, input);
}

QJsonDocument TestCli::json(const QStringList &arguments)
{
    const Run result = run(arguments);
    if (result.exitCode != 0 || !result.err.isEmpty()) {
        qWarning("%s", qPrintable(describe(result)));
        return {};
    }
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(result.out, &error);
    if (error.error != QJsonParseError::NoError)
        qWarning("not JSON: %s", qPrintable(describe(result)));
    return document;
}

qint64 TestCli::addHook(const QStringList &options)
{
    const Run result = run(QStringList{QStringLiteral("hooks"), QStringLiteral("add")} + options);
    if (result.exitCode != 0) {
        qWarning("%s", qPrintable(describe(result)));
        return -1;
    }
    bool ok = false;
    const qint64 id = result.out.trimmed().toLongLong(&ok);
    return ok ? id : -1;
}

QString TestCli::writeFile(const QString &name, const QByteArray &contents)
{
    const QString path = m_home.filePath(name);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(contents) < 0)
        qWarning("cannot write %s", qPrintable(path));
    return path;
}

void TestCli::versionAndHelp()
{
    Run result = runWith(m_environment, args({"--version"}));
    QCOMPARE(result.exitCode, 0);
    QCOMPARE(result.out, QByteArray("webhook-admin " WEBHOOK_ADMIN_VERSION "\n"));
    QVERIFY(result.err.isEmpty());

    result = runWith(m_environment, args({"--help"}));
    QCOMPARE(result.exitCode, 0);
    QVERIFY(result.err.isEmpty());
    for (const char *text : {"Usage:", "--db PATH", "hooks add --url URL", "hooks import",
                             "events add KEY", "projects add TITLE", "--http auto|http1|http2"})
        QVERIFY2(result.out.contains(text), text);

    result = run(args({"hooks", "update", "--help"}));
    QCOMPARE(result.exitCode, 0);
    QVERIFY(result.out.contains("--clear-headers"));
    QVERIFY(!QFile::exists(m_db)); // help opens no database
}

void TestCli::commandsNeedNoDisplay()
{
    // With a platform that needs a display and no display, a QApplication
    // would abort; a command must not create one.
    QProcessEnvironment environment = m_environment;
    environment.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("xcb"));
    const Run result = runWith(environment, args({"--db"}) << m_db << str("hooks") << str("list"));
    QVERIFY2(result.exitCode == 0, qPrintable(describe(result)));
    QVERIFY(result.err.isEmpty());
}

void TestCli::usageErrors_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("message");

    QTest::newRow("unknown command") << args({"hookz", "list"}) << str("no command \"hookz\"");
    QTest::newRow("unknown top-level option")
        << args({"--frobnicate"}) << str("Unknown option \"--frobnicate\"");
    QTest::newRow("hooks alone") << args({"hooks"}) << str("list, show, add");
    QTest::newRow("unknown hooks command")
        << args({"hooks", "delete", "1"}) << str("no command \"hooks delete\"");
    QTest::newRow("unknown option") << args({"hooks", "list", "--yaml"}) << str("yaml");
    QTest::newRow("add without url")
        << args({"hooks", "add", "--description", "x"}) << str("--url is required");
    QTest::newRow("option without value") << args({"hooks", "add", "--url"}) << str("url");
    QTest::newRow("url twice") << args({"hooks", "add", "--url", "http://a/", "--url", "http://b/"})
                               << str("--url is given more than once");
    QTest::newRow("show without id") << args({"hooks", "show"}) << str("webhook ID");
    QTest::newRow("extra argument")
        << args({"hooks", "show", "1", "2"}) << str("Unexpected argument \"2\"");
    QTest::newRow("active and inactive")
        << args({"hooks", "update", "1", "--active", "--inactive"}) << str("contradict");
    QTest::newRow("event and all-events")
        << args({"hooks", "update", "1", "--event", "TASKS_CREATED", "--all-events"})
        << str("contradict");
    QTest::newRow("update-only option on add")
        << args({"hooks", "add", "--url", "http://a/", "--no-secret"}) << str("no-secret");
    QTest::newRow("import without file") << args({"hooks", "import"}) << str("FILE");
    QTest::newRow("events add without name")
        << args({"events", "add", "MODEL_TRAINED", "--payload-key", "model"})
        << str("--name is required");
    QTest::newRow("events add without payload key")
        << args({"events", "add", "MODEL_TRAINED", "--name", "Model trained"})
        << str("--payload-key is required");
    QTest::newRow("projects add without title") << args({"projects", "add"}) << str("TITLE");
    QTest::newRow("projects add unquoted title")
        << args({"projects", "add", "Street", "scenes"}) << str("Unexpected argument");
    QTest::newRow("db without path") << args({"hooks", "list", "--db"}) << str("--db needs");
    QTest::newRow("projects alone") << args({"projects"}) << str("add, list, rename or delete");
    QTest::newRow("projects rename without title")
        << args({"projects", "rename", "1"}) << str("a project ID and a TITLE");
    QTest::newRow("events update list and object")
        << args({"events", "update", "MODEL_TRAINED", "--list", "--object"}) << str("not both");
}

void TestCli::usageErrors()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, message);

    const Run result = run(arguments);
    QCOMPARE(result.exitCode, 1);
    QVERIFY2(isOneLineError(result), qPrintable(describe(result)));
    QVERIFY2(QString::fromUtf8(result.err).contains(message), qPrintable(describe(result)));
    // A usage error touches no database.
    QVERIFY(!QFile::exists(m_db));
}

void TestCli::invalidInput_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("message");

    const auto add = [](std::initializer_list<const char *> options) {
        return args({"hooks", "add", "--url", "https://example.com/hook"}) + args(options);
    };
    QTest::newRow("ftp url") << args({"hooks", "add", "--url", "ftp://example.com/"})
                             << str("url: Only http and https");
    QTest::newRow("header without colon")
        << add({"--header", "X-Token abc"}) << str("\"Name: value\"");
    QTest::newRow("header name with space")
        << add({"--header", "X Token: abc"}) << str("not a valid header name");
    QTest::newRow("reserved header")
        << add({"--header", "Content-Type: text/plain"}) << str("cannot be overridden");
    QTest::newRow("header twice") << add({"--header", "X-A: 1", "--secret-header", "x-a: 2"})
                                  << str("listed twice");
    QTest::newRow("unknown event")
        << add({"--event", "TASK_EXPLODED"}) << str("Unknown event type TASK_EXPLODED");
    QTest::newRow("unknown project")
        << add({"--project", "42"}) << str("Project 42 does not exist");
    QTest::newRow("project not a number") << add({"--project", "street"}) << str("--project");
    QTest::newRow("secret without scheme") << add({"--secret", "abc"}) << str("signature scheme");
    QTest::newRow("unknown scheme") << add({"--secret", "abc", "--signature", "md5"})
                                    << str("--signature takes standard or github");
    QTest::newRow("standard secret not whsec")
        << add({"--secret", "plain", "--signature", "standard"}) << str("whsec_");
    QTest::newRow("timeout not a number") << add({"--timeout", "ten"}) << str("whole number");
    QTest::newRow("timeout too long") << add({"--timeout", "301"}) << str("between 1 and 300");
    QTest::newRow("no attempts") << add({"--max-attempts", "0"}) << str("number of attempts");
    QTest::newRow("unknown http version")
        << add({"--http", "3"}) << str("--http takes auto, http1 or http2, not \"3\"");
    QTest::newRow("empty http version") << add({"--http", ""}) << str("--http takes auto");
    QTest::newRow("filter not JSON")
        << add({"--filter", "{ground_truth"}) << str("--filter: The filter is not valid JSON");
    QTest::newRow("filter unknown operator")
        << add({"--filter", R"({"annotation.id": {"$like": 1}})"})
        << str("--filter: annotation.id: unknown operator $like");
    QTest::newRow("filter file missing") << add({"--filter", "@/nonexistent/filter.json"})
                                         << str("cannot read /nonexistent/filter.json");
    QTest::newRow("rate limit unit")
        << add({"--rate-limit", "5/h"}) << str("--rate-limit takes N/s or N/min");
    QTest::newRow("retry on unknown") << add({"--retry-on", "network,teapot"})
                                      << str("--retry-on: \"teapot\" is not a failure to retry on");
    QTest::newRow("retry schedule negative")
        << add({"--retry-schedule", "0,-5"}) << str("--retry-schedule takes seconds");
    QTest::newRow("max in flight too many")
        << add({"--max-in-flight", "65"}) << str("max_in_flight: At most between 1 and 64");
    QTest::newRow("show unknown id") << args({"hooks", "show", "7"}) << str("no webhook with id 7");
    QTest::newRow("show non-number")
        << args({"hooks", "show", "seven"}) << str("\"seven\" is not a webhook id");
    QTest::newRow("update unknown id")
        << args({"hooks", "update", "7", "--inactive"}) << str("no webhook with id 7");
    QTest::newRow("remove unknown id")
        << args({"hooks", "remove", "7"}) << str("no webhook with id 7");
    QTest::newRow("import missing file") << args({"hooks", "import", "/nonexistent/hooks.json"})
                                         << str("Cannot read /nonexistent/hooks.json");
    QTest::newRow("event key not upper snake")
        << args({"events", "add", "modelTrained", "--name", "x", "--payload-key", "model"})
        << str("UPPER_SNAKE_CASE");
    QTest::newRow("event key exists")
        << args({"events", "add", "TASKS_CREATED", "--name", "x", "--payload-key", "task"})
        << str("exists already");
    QTest::newRow("payload key reserved")
        << args({"events", "add", "MODEL_TRAINED", "--name", "x", "--payload-key", "project"})
        << str("payload key");
    QTest::newRow("empty project title") << args({"projects", "add", "  "}) << str("title");
}

void TestCli::invalidInput()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, message);

    const Run result = run(arguments);
    QCOMPARE(result.exitCode, 2);
    QVERIFY2(isOneLineError(result), qPrintable(describe(result)));
    QVERIFY2(QString::fromUtf8(result.err).contains(message), qPrintable(describe(result)));
    // Never half-saved.
    if (QFile::exists(m_db)) {
        QCOMPARE(json(args({"hooks", "list", "--json"})).array().size(), 0);
        QCOMPARE(json(args({"projects", "list", "--json"})).array().size(), 0);
        QCOMPARE(json(args({"events", "--json"})).array().size(), 15);
    }
}

void TestCli::addAndShow()
{
    QCOMPARE(run(args({"projects", "add", "Street scenes"})).out, QByteArray("1\n"));
    const qint64 id = addHook(args({"--url",           "http://trainer:9090/hook",
                                    "--project",       "1",
                                    "--event",         "ANNOTATION_CREATED",
                                    "--event",         "ANNOTATION_UPDATED",
                                    "--header",        "X-Env: prod",
                                    "--secret-header", "Authorization: Bearer s3cr3t",
                                    "--description",   "Retrain on new labels",
                                    "--inactive",      "--no-payload",
                                    "--secret",        StandardSecret,
                                    "--signature",     "standard",
                                    "--timeout",       "30",
                                    "--max-attempts",  "3"}));
    QCOMPARE(id, 1);

    const QJsonObject hook = json(args({"hooks", "show", "1", "--json"})).object();
    QStringList keys = hook.keys();
    QStringList expected = HookFields;
    keys.sort();
    expected.sort();
    QCOMPARE(keys, expected);
    QCOMPARE(hook.value(QLatin1String("id")).toInteger(), 1);
    QCOMPARE(hook.value(QLatin1String("project")).toInteger(), 1);
    QCOMPARE(hook.value(QLatin1String("url")).toString(), str("http://trainer:9090/hook"));
    QCOMPARE(hook.value(QLatin1String("description")).toString(), str("Retrain on new labels"));
    QCOMPARE(hook.value(QLatin1String("is_active")), QJsonValue(false));
    QCOMPARE(hook.value(QLatin1String("send_payload")), QJsonValue(false));
    QCOMPARE(hook.value(QLatin1String("send_for_all_actions")), QJsonValue(false));
    QCOMPARE(hook.value(QLatin1String("actions")).toArray(),
             (QJsonArray{str("ANNOTATION_CREATED"), str("ANNOTATION_UPDATED")}));
    QCOMPARE(hook.value(QLatin1String("headers")).toObject(),
             (QJsonObject{{str("X-Env"), str("prod")}, {str("Authorization"), str("••••••")}}));
    QCOMPARE(hook.value(QLatin1String("secret_headers")).toArray(),
             QJsonArray{str("Authorization")});
    QCOMPARE(hook.value(QLatin1String("secret")).toString(), str("••••••"));
    QCOMPARE(hook.value(QLatin1String("signature")).toString(), str("standard"));
    QCOMPARE(hook.value(QLatin1String("timeout")).toInt(), 30);
    QCOMPARE(hook.value(QLatin1String("max_attempts")).toInt(), 3);
    QCOMPARE(hook.value(QLatin1String("consecutive_failures")).toInt(), 0);
    QVERIFY(hook.value(QLatin1String("disabled_reason")).isNull());
    const QDateTime created =
        QDateTime::fromString(hook.value(QLatin1String("created_at")).toString(), Qt::ISODate);
    QVERIFY(created.isValid());
    QVERIFY(qAbs(created.secsTo(QDateTime::currentDateTimeUtc())) < 120);

    const Run human = run(args({"hooks", "show", "1"}));
    QCOMPARE(human.exitCode, 0);
    const QString text = QString::fromUtf8(human.out);
    for (const char *expectedText :
         {"http://trainer:9090/hook", "1 (Street scenes)", "Retrain on new labels",
          "ANNOTATION_CREATED", "ANNOTATION_UPDATED", "X-Env: prod", "Authorization: ••••••",
          "standard", "30 s"})
        QVERIFY2(text.contains(str(expectedText)), expectedText);
    QVERIFY(!text.contains(str("s3cr3t")));
    QVERIFY(!text.contains(str(StandardSecret)));

    // A hook with nothing but a URL gets Label Studio's defaults.
    QCOMPARE(addHook(args({"--url", "https://example.com/all"})), 2);
    const QJsonObject plain = json(args({"hooks", "show", "2", "--json"})).object();
    QVERIFY(plain.value(QLatin1String("project")).isNull());
    QCOMPARE(plain.value(QLatin1String("is_active")), QJsonValue(true));
    QCOMPARE(plain.value(QLatin1String("send_payload")), QJsonValue(true));
    QCOMPARE(plain.value(QLatin1String("send_for_all_actions")), QJsonValue(true));
    QVERIFY(plain.value(QLatin1String("secret")).isNull());
    QVERIFY(plain.value(QLatin1String("signature")).isNull());
    QCOMPARE(plain.value(QLatin1String("timeout")).toInt(), 10);
    QCOMPARE(plain.value(QLatin1String("max_attempts")).toInt(), 8);
}

void TestCli::listHumanAndJson()
{
    const Run empty = run(args({"hooks", "list"}));
    QCOMPARE(empty.exitCode, 0);
    QVERIFY(empty.out.contains("No webhooks yet"));
    QCOMPARE(json(args({"hooks", "list", "--json"})).array(), QJsonArray());

    QCOMPARE(run(args({"projects", "add", "Street scenes"})).exitCode, 0);
    QCOMPARE(addHook(args({"--url", "https://example.com/all"})), 1);
    QCOMPARE(addHook(args({"--url", "http://trainer:9090/hook", "--project", "1", "--event",
                           "ANNOTATION_CREATED", "--inactive"})),
             2);

    const Run human = run(args({"hooks", "list"}));
    QCOMPARE(human.exitCode, 0);
    QVERIFY(human.err.isEmpty());
    const QList<QByteArray> lines = human.out.trimmed().split('\n');
    QCOMPARE(lines.size(), 3);
    QVERIFY(lines.at(0).startsWith("ID "));
    // Columns are aligned: URL starts at the same position on every line.
    const qsizetype urlColumn = lines.at(0).indexOf("URL");
    QCOMPARE(lines.at(1).indexOf("https://example.com/all"), urlColumn);
    QCOMPARE(lines.at(2).indexOf("http://trainer:9090/hook"), urlColumn);
    QVERIFY(lines.at(1).contains("organization"));
    QVERIFY(lines.at(1).contains(" all "));
    QVERIFY(lines.at(2).contains("project 1 (Street scenes)"));
    QVERIFY(lines.at(2).contains("ANNOTATION_CREATED"));
    QVERIFY(lines.at(2).contains(" inactive "));

    const QJsonArray list = json(args({"hooks", "list", "--json"})).array();
    QCOMPARE(list.size(), 2);
    QCOMPARE(list.at(0).toObject().value(QLatin1String("id")).toInteger(), 1);
    QCOMPARE(list.at(1).toObject().value(QLatin1String("id")).toInteger(), 2);
    QCOMPARE(list.at(1).toObject().value(QLatin1String("is_active")), QJsonValue(false));
    QCOMPARE(list.at(1).toObject().value(QLatin1String("project")).toInteger(), 1);
    for (const QJsonValue &hook : list) {
        QStringList keys = hook.toObject().keys();
        QStringList expected = HookFields;
        keys.sort();
        expected.sort();
        QCOMPARE(keys, expected);
    }
}

void TestCli::updateChangesOnlyWhatIsGiven()
{
    QCOMPARE(run(args({"projects", "add", "Street scenes"})).exitCode, 0);
    QCOMPARE(addHook(args({"--url", "https://example.com/hook", "--description", "Keep me",
                           "--header", "X-Env: prod", "--secret-header", "X-Token: abc", "--secret",
                           "It's a Secret to Everybody", "--signature", "github"})),
             1);
    const QJsonObject before = json(args({"hooks", "show", "1", "--json"})).object();

    Run result = run(args({"hooks", "update", "1", "--timeout", "30"}));
    QVERIFY2(result.exitCode == 0, qPrintable(describe(result)));
    QJsonObject after = json(args({"hooks", "show", "1", "--json"})).object();
    QCOMPARE(after.value(QLatin1String("timeout")).toInt(), 30);
    for (const char *field :
         {"url", "description", "headers", "secret_headers", "signature", "secret", "is_active",
          "send_payload", "send_for_all_actions", "project", "max_attempts", "created_at"})
        QVERIFY2(after.value(QLatin1String(field)) == before.value(QLatin1String(field)), field);

    result = run(args({"hooks", "update", "1", "--project", "1", "--event", "TASKS_CREATED",
                       "--header", "x-env: staging", "--inactive", "--no-payload"}));
    QVERIFY2(result.exitCode == 0, qPrintable(describe(result)));
    after = json(args({"hooks", "show", "1", "--json"})).object();
    QCOMPARE(after.value(QLatin1String("project")).toInteger(), 1);
    QCOMPARE(after.value(QLatin1String("send_for_all_actions")), QJsonValue(false));
    QCOMPARE(after.value(QLatin1String("actions")).toArray(), QJsonArray{str("TASKS_CREATED")});
    // --header replaced the header of the same name and kept the other.
    QCOMPARE(after.value(QLatin1String("headers")).toObject(),
             (QJsonObject{{str("x-env"), str("staging")}, {str("X-Token"), str("••••••")}}));
    QCOMPARE(after.value(QLatin1String("is_active")), QJsonValue(false));
    QCOMPARE(after.value(QLatin1String("send_payload")), QJsonValue(false));
    QCOMPARE(after.value(QLatin1String("description")).toString(), str("Keep me"));

    // TLS verification is on unless switched off, and can be switched back.
    QCOMPARE(after.value(QLatin1String("verify_tls")), QJsonValue(true));
    result = run(args({"hooks", "update", "1", "--no-verify-tls"}));
    QVERIFY2(result.exitCode == 0, qPrintable(describe(result)));
    QCOMPARE(
        json(args({"hooks", "show", "1", "--json"})).object().value(QLatin1String("verify_tls")),
        QJsonValue(false));
    QVERIFY(run(args({"hooks", "show", "1"})).out.contains("any certificate is accepted"));
    QCOMPARE(run(args({"hooks", "update", "1", "--verify-tls", "--no-verify-tls"})).exitCode, 1);
    result = run(args({"hooks", "update", "1", "--verify-tls"}));
    QVERIFY2(result.exitCode == 0, qPrintable(describe(result)));

    result = run(args({"hooks", "update", "1", "--project", "none", "--all-events", "--active",
                       "--payload", "--clear-headers", "--no-secret"}));
    QVERIFY2(result.exitCode == 0, qPrintable(describe(result)));
    after = json(args({"hooks", "show", "1", "--json"})).object();
    QVERIFY(after.value(QLatin1String("project")).isNull());
    QCOMPARE(after.value(QLatin1String("send_for_all_actions")), QJsonValue(true));
    QCOMPARE(after.value(QLatin1String("is_active")), QJsonValue(true));
    QCOMPARE(after.value(QLatin1String("send_payload")), QJsonValue(true));
    QCOMPARE(after.value(QLatin1String("headers")).toObject(), QJsonObject());
    QVERIFY(after.value(QLatin1String("secret")).isNull());
    QVERIFY(after.value(QLatin1String("signature")).isNull());

    // An invalid update leaves the stored hook as it was.
    const QJsonObject good = after;
    result = run(args({"hooks", "update", "1", "--url", "ftp://example.com/", "--timeout", "5"}));
    QCOMPARE(result.exitCode, 2);
    QVERIFY2(isOneLineError(result), qPrintable(describe(result)));
    QCOMPARE(json(args({"hooks", "show", "1", "--json"})).object(), good);
}

void TestCli::httpVersionOption()
{
    const auto httpVersion = [this](const char *id) {
        return json(args({"hooks", "show", id, "--json"}))
            .object()
            .value(QLatin1String("http_version"))
            .toString();
    };
    QCOMPARE(addHook(args({"--url", "https://example.com/default"})), 1);
    QCOMPARE(addHook(args({"--url", "http://receiver:8080/h2c", "--http", "http2"})), 2);
    QCOMPARE(addHook(args({"--url", "https://example.com/old", "--http", "1.1"})), 3);
    QCOMPARE(httpVersion("1"), str("auto"));
    QCOMPARE(httpVersion("2"), str("http2"));
    QCOMPARE(httpVersion("3"), str("http1"));
    const QJsonArray list = json(args({"hooks", "list", "--json"})).array();
    QCOMPARE(list.size(), 3);
    QCOMPARE(list.at(1).toObject().value(QLatin1String("http_version")).toString(), str("http2"));

    Run shown = run(args({"hooks", "show", "2"}));
    QCOMPARE(shown.exitCode, 0);
    QVERIFY2(shown.out.contains("HTTP version") &&
                 shown.out.contains("http2 (HTTP/2 with prior knowledge)"),
             shown.out.constData());
    QVERIFY(run(args({"hooks", "show", "1"})).out.contains("auto (HTTP/2 where TLS offers it"));

    Run result = run(args({"hooks", "update", "2", "--http", "2"}));
    QVERIFY2(result.exitCode == 0, qPrintable(describe(result)));
    QVERIFY(result.out.contains("unchanged"));
    result = run(args({"hooks", "update", "2", "--http", "http1"}));
    QVERIFY2(result.exitCode == 0, qPrintable(describe(result)));
    QCOMPARE(httpVersion("2"), str("http1"));
    QVERIFY(run(args({"hooks", "show", "2"})).out.contains("http1 (HTTP/1.1 only)"));
    result = run(args({"hooks", "update", "2", "--http", "AUTO"}));
    QVERIFY2(result.exitCode == 0, qPrintable(describe(result)));
    QCOMPARE(httpVersion("2"), str("auto"));
    result = run(args({"hooks", "update", "3", "--timeout", "20", "--http", "http2"}));
    QVERIFY2(result.exitCode == 0, qPrintable(describe(result)));
    QCOMPARE(httpVersion("3"), str("http2"));

    // A bad value changes nothing, not even the options given with it.
    const QJsonArray before = json(args({"hooks", "list", "--json"})).array();
    for (const QStringList &command :
         {args({"hooks", "update", "3", "--timeout", "40", "--http", "h3"}),
          args({"hooks", "update", "3", "--http", "http/2"}),
          args({"hooks", "add", "--url", "https://example.com/new", "--http", "quic"})}) {
        const Run refused = run(command);
        QCOMPARE(refused.exitCode, 2);
        QVERIFY2(isOneLineError(refused), qPrintable(describe(refused)));
        QVERIFY2(refused.err.contains("--http takes auto, http1 or http2"),
                 qPrintable(describe(refused)));
        QVERIFY(refused.out.isEmpty());
    }
    QCOMPARE(json(args({"hooks", "list", "--json"})).array(), before);
    QCOMPARE(run(args({"hooks", "update", "3", "--http"})).exitCode, 1); // no value
    QCOMPARE(json(args({"hooks", "list", "--json"})).array(), before);
}

void TestCli::deliveryPolicyOptions()
{
    const QString filterFile =
        writeFile(QStringLiteral("filter.json"), R"({"annotation.ground_truth": true})");
    const qint64 id = addHook(
        args({"--url", "http://127.0.0.1:9/hook", "--event", "ANNOTATION_CREATED", "--filter"}) +
        QStringList{QLatin1Char('@') + filterFile} +
        args({"--rate-limit", "5/s", "--max-in-flight", "1", "--retry-on", "network, 4XX",
              "--retry-schedule", "0,10,60"}));
    QCOMPARE(id, 1);
    const Run shown = run(args({"hooks", "show", "1"}));
    QCOMPARE(shown.exitCode, 0);
    for (const char *expected :
         {R"({"annotation.ground_truth": true})", "5/s", "network,4xx", "0,10,60", "active"})
        QVERIFY2(shown.out.contains(expected), shown.out.constData());
    const QJsonObject hook = json(args({"hooks", "show", "1", "--json"})).object();
    QCOMPARE(hook.value(QLatin1String("rate_limit")).toString(), QStringLiteral("5/s"));
    QCOMPARE(hook.value(QLatin1String("max_in_flight")).toInt(), 1);
    QCOMPARE(hook.value(QLatin1String("retry_on")).toString(), QStringLiteral("network,4xx"));
    QCOMPARE(hook.value(QLatin1String("retry_schedule")).toArray(), (QJsonArray{0, 10, 60}));
    QCOMPARE(hook.value(QLatin1String("state")).toString(), QStringLiteral("active"));

    // The filter on the event's sample (ground_truth false there), on a body, on history.
    Run tried = run(args({"hooks", "test-filter", "1"}));
    QCOMPARE(tried.exitCode, 0);
    QVERIFY2(tried.out.contains("ANNOTATION_CREATED sample: does not match: "
                                "annotation.ground_truth is false"),
             tried.out.constData());
    const QString body =
        writeFile(QStringLiteral("body.json"),
                  R"({"action": "ANNOTATION_CREATED", "annotation": {"ground_truth": true}})");
    tried = run(args({"hooks", "test-filter", "1", "--data"}) + QStringList{body});
    QVERIFY2(tried.out.contains(": matches"), tried.out.constData());
    // Two events queued: the sample (filtered at once) and a ground-truth one.
    QCOMPARE(run(args({"emit", "ANNOTATION_CREATED", "--queue"})).exitCode, 0);
    const QString data =
        writeFile(QStringLiteral("data.json"), R"({"annotation": {"ground_truth": true}})");
    QCOMPARE(
        run(args({"emit", "ANNOTATION_CREATED", "--queue", "--data"}) + QStringList{data}).exitCode,
        0);
    tried = run(args({"hooks", "test-filter", "1", "--last", "100"}));
    QVERIFY2(tried.out.contains("would have matched 1 of 2 stored events"), tried.out.constData());
    const QJsonArray filtered =
        json(args({"deliveries", "--status", "filtered", "--json"})).array();
    QCOMPARE(filtered.size(), 1);
    QCOMPARE(filtered.at(0).toObject().value(QLatin1String("outcome")).toString(),
             QStringLiteral("filtered"));
    QVERIFY(filtered.at(0)
                .toObject()
                .value(QLatin1String("trace"))
                .toString()
                .contains(QLatin1String("annotation.ground_truth is false")));

    QVERIFY(run(args({"hooks", "resume", "1"})).out.contains("is not paused"));
    QCOMPARE(run(args({"hooks", "update", "1", "--no-filter", "--rate-limit", "none", "--retry-on",
                       "", "--retry-schedule", "default"}))
                 .exitCode,
             0);
    const QJsonObject cleared = json(args({"hooks", "show", "1", "--json"})).object();
    QVERIFY(cleared.value(QLatin1String("filter")).isNull());
    QVERIFY(cleared.value(QLatin1String("rate_limit")).isNull());
    QCOMPARE(cleared.value(QLatin1String("retry_on")).toString(),
             QStringLiteral("network,timeout,408,425,429,5xx"));
    QCOMPARE(cleared.value(QLatin1String("retry_schedule")).toArray(), QJsonArray());
}

void TestCli::remove()
{
    QCOMPARE(addHook(args({"--url", "https://example.com/a"})), 1);
    QCOMPARE(addHook(args({"--url", "https://example.com/b"})), 2);
    const Run result = run(args({"hooks", "remove", "1"}));
    QCOMPARE(result.exitCode, 0);
    QVERIFY(result.err.isEmpty());
    QCOMPARE(run(args({"hooks", "show", "1"})).exitCode, 2);
    const QJsonArray list = json(args({"hooks", "list", "--json"})).array();
    QCOMPARE(list.size(), 1);
    QCOMPARE(list.at(0).toObject().value(QLatin1String("url")).toString(),
             str("https://example.com/b"));
}

void TestCli::events()
{
    QJsonArray catalog = json(args({"events", "--json"})).array();
    QCOMPARE(catalog.size(), 15);
    const QJsonObject first = catalog.at(0).toObject();
    QCOMPARE(first.value(QLatin1String("key")).toString(), str("PROJECT_CREATED"));
    QCOMPARE(first.value(QLatin1String("payload_key")).toString(), str("project"));
    QCOMPARE(first.value(QLatin1String("organization_only")), QJsonValue(true));
    QCOMPARE(first.value(QLatin1String("is_list")), QJsonValue(false));
    QCOMPARE(first.value(QLatin1String("group")).toString(), str("Project"));
    QCOMPARE(first.value(QLatin1String("built_in")), QJsonValue(true));
    QVERIFY(!first.value(QLatin1String("name")).toString().isEmpty());
    QVERIFY(!first.value(QLatin1String("description")).toString().isEmpty());
    QCOMPARE(catalog.at(3).toObject().value(QLatin1String("key")).toString(), str("TASKS_CREATED"));
    QCOMPARE(catalog.at(3).toObject().value(QLatin1String("is_list")), QJsonValue(true));

    Run result =
        run(args({"events", "add", "MODEL_TRAINED", "--name", "Model trained", "--description",
                  "A model finished training", "--payload-key", "model_version", "--list"}));
    QVERIFY2(result.exitCode == 0, qPrintable(describe(result)));
    catalog = json(args({"events", "--json"})).array();
    QCOMPARE(catalog.size(), 16);
    const QJsonObject custom = catalog.last().toObject();
    QCOMPARE(custom.value(QLatin1String("key")).toString(), str("MODEL_TRAINED"));
    QCOMPARE(custom.value(QLatin1String("name")).toString(), str("Model trained"));
    QCOMPARE(custom.value(QLatin1String("description")).toString(),
             str("A model finished training"));
    QCOMPARE(custom.value(QLatin1String("payload_key")).toString(), str("model_version"));
    QCOMPARE(custom.value(QLatin1String("is_list")), QJsonValue(true));
    QCOMPARE(custom.value(QLatin1String("organization_only")), QJsonValue(false));
    QCOMPARE(custom.value(QLatin1String("group")).toString(), str("Custom"));
    QCOMPARE(custom.value(QLatin1String("built_in")), QJsonValue(false));

    const Run human = run(args({"events"}));
    QCOMPARE(human.exitCode, 0);
    QCOMPARE(human.out.trimmed().split('\n').size(), 17);
    QVERIFY(human.out.contains("MODEL_TRAINED"));

    // Hooks can subscribe to the custom type.
    QCOMPARE(addHook(args({"--url", "https://example.com/hook", "--event", "MODEL_TRAINED"})), 1);
    QCOMPARE(
        run(args({"events", "add", "MODEL_TRAINED", "--name", "Again", "--payload-key", "model"}))
            .exitCode,
        2);
}

void TestCli::projects()
{
    QVERIFY(run(args({"projects", "list"})).out.contains("No projects yet"));
    QCOMPARE(run(args({"projects", "add", "Street scenes"})).out, QByteArray("1\n"));
    QCOMPARE(run(args({"projects", "add", "Medical imaging"})).out, QByteArray("2\n"));
    const QJsonArray list = json(args({"projects", "list", "--json"})).array();
    QCOMPARE(list.size(), 2);
    QCOMPARE(list.at(1).toObject().value(QLatin1String("id")).toInteger(), 2);
    QCOMPARE(list.at(1).toObject().value(QLatin1String("title")).toString(),
             str("Medical imaging"));
    QVERIFY(QDateTime::fromString(
                list.at(1).toObject().value(QLatin1String("created_at")).toString(), Qt::ISODate)
                .isValid());
    const Run human = run(args({"projects", "list"}));
    QCOMPARE(human.out.trimmed().split('\n').size(), 3);
    QVERIFY(human.out.contains("Medical imaging"));
}

// Issue 13: a project that still has webhooks is deleted only when asked to
// delete them with it; they are never left orphaned or made organization-wide.
void TestCli::projectsRenameAndDelete()
{
    QCOMPARE(run(args({"projects", "add", "Street scenes"})).out, QByteArray("1\n"));
    QCOMPARE(run(args({"projects", "add", "Empty"})).out, QByteArray("2\n"));
    QCOMPARE(addHook(args({"--url", "https://example.com/a", "--project", "1"})), 1);
    QCOMPARE(addHook(args({"--url", "https://example.com/b", "--project", "1"})), 2);
    QCOMPARE(addHook(args({"--url", "https://example.com/org"})), 3);

    Run result = run(args({"projects", "rename", "1", "Night scenes"}));
    QVERIFY2(result.exitCode == 0, qPrintable(describe(result)));
    QCOMPARE(result.out, QByteArray("Project 1 renamed to Night scenes.\n"));
    QCOMPARE(json(args({"projects", "list", "--json"}))
                 .array()
                 .at(0)
                 .toObject()
                 .value(QLatin1String("title"))
                 .toString(),
             str("Night scenes"));
    result = run(args({"projects", "rename", "9", "Nowhere"}));
    QCOMPARE(result.exitCode, 2);
    QVERIFY2(isOneLineError(result), qPrintable(describe(result)));
    QVERIFY(result.err.contains("no project with id 9"));
    QCOMPARE(run(args({"projects", "rename", "1", "  "})).exitCode, 2);
    QCOMPARE(run(args({"projects", "rename", "x", "Title"})).exitCode, 2);

    // Refused while it has webhooks; the count is named and nothing changes.
    result = run(args({"projects", "delete", "1"}));
    QCOMPARE(result.exitCode, 2);
    QVERIFY2(isOneLineError(result), qPrintable(describe(result)));
    QVERIFY2(result.err.contains("Project 1 still has webhooks (2); nothing was deleted."),
             qPrintable(describe(result)));
    QVERIFY(result.err.contains("--delete-hooks"));
    QCOMPARE(json(args({"projects", "list", "--json"})).array().size(), 2);
    QCOMPARE(json(args({"hooks", "list", "--json"})).array().size(), 3);

    result = run(args({"projects", "delete", "1", "--delete-hooks"}));
    QVERIFY2(result.exitCode == 0, qPrintable(describe(result)));
    QCOMPARE(result.out, QByteArray("Project 1 deleted with its webhooks (2).\n"));
    QCOMPARE(json(args({"projects", "list", "--json"})).array().size(), 1);
    const QJsonArray hooks = json(args({"hooks", "list", "--json"})).array();
    QCOMPARE(hooks.size(), 1);
    QCOMPARE(hooks.at(0).toObject().value(QLatin1String("id")).toInteger(), 3);

    result = run(args({"projects", "delete", "2"}));
    QVERIFY2(result.exitCode == 0, qPrintable(describe(result)));
    QCOMPARE(result.out, QByteArray("Project 2 deleted.\n"));
    QCOMPARE(json(args({"projects", "list", "--json"})).array().size(), 0);
    QCOMPARE(run(args({"projects", "delete", "2"})).exitCode, 2);
}

// Issue 13: custom event types are edited and deleted; built-in ones are read-only.
void TestCli::eventsUpdateAndDelete()
{
    QCOMPARE(run(args({"events", "add", "MODEL_TRAINED", "--name", "Model trained", "--payload-key",
                       "model"}))
                 .exitCode,
             0);
    QCOMPARE(addHook(args({"--url", "https://example.com/a", "--event", "MODEL_TRAINED", "--event",
                           "TASKS_CREATED"})),
             1);

    Run result = run(args({"events", "update", "MODEL_TRAINED", "--name", "Model retrained",
                           "--payload-key", "model_version", "--list"}));
    QVERIFY2(result.exitCode == 0, qPrintable(describe(result)));
    QJsonObject custom = json(args({"events", "--json"})).array().last().toObject();
    QCOMPARE(custom.value(QLatin1String("key")).toString(), str("MODEL_TRAINED"));
    QCOMPARE(custom.value(QLatin1String("name")).toString(), str("Model retrained"));
    QCOMPARE(custom.value(QLatin1String("payload_key")).toString(), str("model_version"));
    QCOMPARE(custom.value(QLatin1String("is_list")), QJsonValue(true));
    QCOMPARE(run(args({"events", "update", "MODEL_TRAINED", "--object"})).exitCode, 0);
    custom = json(args({"events", "--json"})).array().last().toObject();
    QCOMPARE(custom.value(QLatin1String("is_list")), QJsonValue(false));
    QCOMPARE(custom.value(QLatin1String("name")).toString(), str("Model retrained"));

    result = run(args({"events", "update", "TASKS_CREATED", "--name", "Mine"}));
    QCOMPARE(result.exitCode, 2);
    QVERIFY2(isOneLineError(result), qPrintable(describe(result)));
    QVERIFY(result.err.contains("built-in"));
    QCOMPARE(run(args({"events", "update", "MODEL_TRAINED", "--payload-key", "project"})).exitCode,
             2);
    QCOMPARE(run(args({"events", "update", "NO_SUCH_TYPE", "--name", "x"})).exitCode, 2);
    QCOMPARE(run(args({"events", "delete", "TASKS_CREATED"})).exitCode, 2);

    // Refused while a hook checks it, with the count; then unsubscribed with it.
    result = run(args({"events", "delete", "MODEL_TRAINED"}));
    QCOMPARE(result.exitCode, 2);
    QVERIFY2(isOneLineError(result), qPrintable(describe(result)));
    QVERIFY2(result.err.contains("Webhooks subscribe to MODEL_TRAINED (1); nothing was deleted."),
             qPrintable(describe(result)));
    QCOMPARE(json(args({"events", "--json"})).array().size(), 16);

    result = run(args({"events", "delete", "MODEL_TRAINED", "--unsubscribe"}));
    QVERIFY2(result.exitCode == 0, qPrintable(describe(result)));
    QCOMPARE(result.out,
             QByteArray("Event type MODEL_TRAINED deleted; webhooks unsubscribed: 1.\n"));
    QCOMPARE(json(args({"events", "--json"})).array().size(), 15);
    const QJsonObject hook = json(args({"hooks", "show", "1", "--json"})).object();
    QCOMPARE(hook.value(QLatin1String("actions")).toArray(), QJsonArray{str("TASKS_CREATED")});
    QCOMPARE(run(args({"events", "delete", "MODEL_TRAINED"})).exitCode, 2);
}

void TestCli::settings()
{
    QJsonObject shown = json(args({"settings", "--json"})).object();
    QCOMPARE(shown.value(QLatin1String("retention_days")).toInt(), 30);
    QCOMPARE(shown.value(QLatin1String("failure_threshold")).toInt(), 0);
    QCOMPARE(shown.value(QLatin1String("retry_schedule")).toArray(),
             (QJsonArray{0, 5, 300, 1800, 7200, 18000, 36000, 36000}));
    QVERIFY(run(args({"settings"})).out.contains("(default"));

    for (const auto &[name, value] : {std::pair{"retry_schedule", "0,10,60"},
                                      {"failure_threshold", "5"},
                                      {"retention_days", "7"}}) {
        const Run set = run(args({"settings", "set", name, value}));
        QVERIFY2(set.exitCode == 0, qPrintable(describe(set)));
    }
    shown = json(args({"settings", "--json"})).object();
    QCOMPARE(shown.value(QLatin1String("retry_schedule")).toArray(), (QJsonArray{0, 10, 60}));
    QCOMPARE(shown.value(QLatin1String("failure_threshold")).toInt(), 5);
    QCOMPARE(shown.value(QLatin1String("retention_days")).toInt(), 7);

    // Bad values are refused and change nothing.
    for (const auto &[name, value] : {std::pair{"retry_schedule", "1,soon"},
                                      {"retention_days", "0"},
                                      {"failure_threshold", "1001"},
                                      {"retention_days", "many"}}) {
        const Run refused = run(args({"settings", "set", name, value}));
        QCOMPARE(refused.exitCode, 2);
        QVERIFY2(isOneLineError(refused), qPrintable(describe(refused)));
    }
    QCOMPARE(run(args({"settings", "set", "colour", "blue"})).exitCode, 1);
    QCOMPARE(json(args({"settings", "--json"})).object(), shown);

    QVERIFY(run(args({"settings", "set", "retry_schedule", "default"})).exitCode == 0);
    QCOMPARE(json(args({"settings", "--json"}))
                 .object()
                 .value(QLatin1String("retry_schedule"))
                 .toArray()
                 .size(),
             8);
}

namespace {

// Label Studio's webhook API JSON plus our extension fields.
QByteArray labelStudioHooks()
{
    return R"([
  {
    "id": 11, "organization": 1, "project": null,
    "url": "https://ci.example.com/all-events",
    "send_payload": true, "send_for_all_actions": true,
    "headers": {}, "is_active": true, "actions": [],
    "created_at": "2024-03-01T10:00:00.000Z", "updated_at": "2024-03-02T11:30:00.000Z"
  },
  {
    "id": 12, "organization": 1, "project": 1,
    "url": "http://trainer:9090/hook",
    "send_payload": true, "send_for_all_actions": false,
    "headers": {"Authorization": "Bearer s3cr3t", "X-Env": "prod"},
    "secret_headers": ["Authorization"],
    "is_active": true, "actions": ["ANNOTATION_CREATED", "ANNOTATION_UPDATED"],
    "description": "Retrain", "signature": "standard",
    "secret": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "timeout": 20, "max_attempts": 3,
    "http_version": "http2",
    "created_at": "2024-03-03T09:00:00.000Z", "updated_at": "2024-03-03T09:00:00.000Z"
  },
  {
    "id": 13, "organization": 1, "project": 1,
    "url": "https://notify.example.com/hook",
    "send_payload": false, "send_for_all_actions": true,
    "headers": {}, "is_active": false, "actions": [],
    "created_at": "2024-03-04T09:00:00.000Z", "updated_at": "2024-03-04T09:00:00.000Z"
  }
])";
}

// The fields an import carries over, for comparing files.
QJsonArray comparable(QJsonArray hooks)
{
    for (QJsonValueRef hook : hooks) {
        QJsonObject object = hook.toObject();
        for (const char *field :
             {"id", "organization", "consecutive_failures", "disabled_reason", "state", "paused_at",
              "next_probe_at", "pause_reason", "last_error"})
            object.remove(QLatin1String(field));
        hook = object;
    }
    return hooks;
}

} // namespace

void TestCli::importExportRoundTrip()
{
    QCOMPARE(run(args({"projects", "add", "Street scenes"})).exitCode, 0);
    const QString source = writeFile(QStringLiteral("ls-hooks.json"), labelStudioHooks());
    Run result = run(args({"hooks", "import"}) << source);
    QVERIFY2(result.exitCode == 0, qPrintable(describe(result)));
    QVERIFY(result.out.contains("3"));

    QJsonArray stored = json(args({"hooks", "list", "--json"})).array();
    QCOMPARE(stored.size(), 3);
    const QJsonObject scoped = stored.at(1).toObject();
    QCOMPARE(scoped.value(QLatin1String("project")).toInteger(), 1);
    QCOMPARE(scoped.value(QLatin1String("actions")).toArray().size(), 2);
    QCOMPARE(scoped.value(QLatin1String("secret_headers")).toArray(),
             QJsonArray{str("Authorization")});
    QCOMPARE(stored.at(2).toObject().value(QLatin1String("is_active")), QJsonValue(false));
    QCOMPARE(stored.at(0).toObject().value(QLatin1String("created_at")).toString(),
             str("2024-03-01T10:00:00.000Z"));
    QCOMPARE(scoped.value(QLatin1String("http_version")).toString(), str("http2"));
    QCOMPARE(stored.at(0).toObject().value(QLatin1String("http_version")).toString(), str("auto"));

    // With secrets, the export is the imported file again.
    const QString exported = m_home.filePath(QStringLiteral("export-%1.json").arg(m_counter));
    result = run(args({"hooks", "export", "--include-secrets"}) << exported);
    QVERIFY2(result.exitCode == 0, qPrintable(describe(result)));
    QCOMPARE(QFile::permissions(exported) & (QFileDevice::ReadOther | QFileDevice::ReadGroup),
             QFileDevice::Permissions());
    QFile file(exported);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QJsonArray exportedJson = QJsonDocument::fromJson(file.readAll()).array();
    QJsonArray expected = QJsonDocument::fromJson(labelStudioHooks()).array();
    // Hooks without our fields got our defaults.
    for (int i : {0, 2}) {
        QJsonObject hook = expected.at(i).toObject();
        hook.insert(str("description"), str(""));
        hook.insert(str("signature"), QJsonValue());
        hook.insert(str("secret"), QJsonValue());
        hook.insert(str("secret_headers"), QJsonArray());
        hook.insert(str("timeout"), 10);
        hook.insert(str("max_attempts"), 8);
        hook.insert(str("http_version"), str("auto"));
        expected[i] = hook;
    }
    for (int i = 0; i < expected.size(); ++i) {
        QJsonObject hook = expected.at(i).toObject();
        hook.insert(str("verify_tls"), true);
        // Nor a delivery policy: none, and the default retry-on list.
        hook.insert(str("filter"), QJsonValue());
        hook.insert(str("rate_limit"), QJsonValue());
        hook.insert(str("max_in_flight"), 0);
        hook.insert(str("retry_on"), str("network,timeout,408,425,429,5xx"));
        hook.insert(str("retry_schedule"), QJsonArray());
        expected[i] = hook;
    }
    QCOMPARE(comparable(exportedJson), comparable(expected));

    // Without, secrets are masked, on stdout.
    result = run(args({"hooks", "export"}));
    QCOMPARE(result.exitCode, 0);
    QVERIFY(!result.out.contains("s3cr3t"));
    QVERIFY(!result.out.contains("whsec_"));
    const QJsonArray masked = QJsonDocument::fromJson(result.out).array();
    QCOMPARE(masked.size(), 3);
    QCOMPARE(masked.at(1)
                 .toObject()
                 .value(QLatin1String("headers"))
                 .toObject()
                 .value(QLatin1String("Authorization"))
                 .toString(),
             str("••••••"));

    // The export imports into another database as the same hooks.
    const QString firstDb = m_db;
    init();
    QCOMPARE(run(args({"projects", "add", "Street scenes"})).exitCode, 0);
    result = run(args({"hooks", "import"}) << exported);
    QVERIFY2(result.exitCode == 0, qPrintable(describe(result)));
    const QJsonArray copied = json(args({"hooks", "list", "--json"})).array();
    QCOMPARE(comparable(copied), comparable(stored));
    Q_UNUSED(firstDb);
}

void TestCli::importFailingHalfWayWritesNothing_data()
{
    QTest::addColumn<QByteArray>("third");
    QTest::addColumn<QString>("message");

    QTest::newRow("invalid url") << QByteArray(R"({"url": "ftp://example.com/"})")
                                 << str("Entry 3");
    QTest::newRow("unknown project") << QByteArray(R"({"url": "https://a.example/", "project": 9})")
                                     << str("Project 9 does not exist");
    QTest::newRow("headers as list")
        << QByteArray(R"({"url": "https://a.example/", "headers": ["X: y"]})")
        << str("entry 3: headers must be an object of strings");
    QTest::newRow("reserved header")
        << QByteArray(R"({"url": "https://a.example/", "headers": {"Host": "x"}})")
        << str("Entry 3");
    QTest::newRow("unknown event")
        << QByteArray(
               R"({"url": "https://a.example/", "send_for_all_actions": false, "actions": ["NOPE"]})")
        << str("Unknown event type NOPE");
}

void TestCli::importFailingHalfWayWritesNothing()
{
    QFETCH(QByteArray, third);
    QFETCH(QString, message);

    QCOMPARE(addHook(args({"--url", "https://example.com/existing"})), 1);
    const QByteArray file =
        R"([{"url": "https://a.example/1"}, {"url": "https://a.example/2"}, )" + third + ']';
    const Run result =
        run(args({"hooks", "import"}) << writeFile(QStringLiteral("half.json"), file));
    QCOMPARE(result.exitCode, 2);
    QVERIFY2(isOneLineError(result), qPrintable(describe(result)));
    QVERIFY2(QString::fromUtf8(result.err).contains(message), qPrintable(describe(result)));
    const QJsonArray list = json(args({"hooks", "list", "--json"})).array();
    QCOMPARE(list.size(), 1);
    QCOMPARE(list.at(0).toObject().value(QLatin1String("url")).toString(),
             str("https://example.com/existing"));
}

void TestCli::importFromStdin()
{
    const Run result = run(args({"hooks", "import", "-"}),
                           R"({"url": "https://example.com/stdin", "is_active": false})");
    QVERIFY2(result.exitCode == 0, qPrintable(describe(result)));
    const QJsonArray list = json(args({"hooks", "list", "--json"})).array();
    QCOMPARE(list.size(), 1);
    QCOMPARE(list.at(0).toObject().value(QLatin1String("url")).toString(),
             str("https://example.com/stdin"));

    const Run garbage = run(args({"hooks", "import", "-"}), "not json");
    QCOMPARE(garbage.exitCode, 2);
    QVERIFY2(isOneLineError(garbage), qPrintable(describe(garbage)));
    QVERIFY(garbage.err.contains("not valid JSON"));
}

void TestCli::credentialHeadersAreSecretByDefault()
{
    QCOMPARE(addHook(args({"--url", "https://example.com/hook", "--header",
                           "Authorization: Bearer s3cr3t", "--header", "X-Upload-Token: t0k",
                           "--header", "X-Env: prod", "--plain-header", "X-Key-Id: 42"})),
             1);
    const QJsonObject headers = json(args({"hooks", "show", "1", "--json"}))
                                    .object()
                                    .value(QLatin1String("headers"))
                                    .toObject();
    QCOMPARE(headers.value(QLatin1String("Authorization")).toString(), str("••••••"));
    QCOMPARE(headers.value(QLatin1String("X-Upload-Token")).toString(), str("••••••"));
    QCOMPARE(headers.value(QLatin1String("X-Env")).toString(), str("prod"));
    QCOMPARE(headers.value(QLatin1String("X-Key-Id")).toString(), str("42")); // opted out
    const Run listed = run(args({"hooks", "show", "1"}));
    QVERIFY(!listed.out.contains("s3cr3t"));
    QVERIFY(!listed.out.contains("t0k"));
    // update --header keeps the rule.
    QCOMPARE(run(args({"hooks", "update", "1", "--header", "Cookie: session=abc"})).exitCode, 0);
    QCOMPARE(json(args({"hooks", "show", "1", "--json"}))
                 .object()
                 .value(QLatin1String("headers"))
                 .toObject()
                 .value(QLatin1String("Cookie"))
                 .toString(),
             str("••••••"));
}

void TestCli::importOfMaskedExportIsRefused()
{
    QCOMPARE(addHook(args({"--url", "https://example.com/hook", "--secret-header", "X-Token: t",
                           "--secret", StandardSecret, "--signature", "standard"})),
             1);
    const Run exported = run(args({"hooks", "export"}));
    QCOMPARE(exported.exitCode, 0);
    const Run result = run(args({"hooks", "import", "-"}), exported.out);
    QCOMPARE(result.exitCode, 2);
    QVERIFY2(isOneLineError(result), qPrintable(describe(result)));
    QVERIFY(result.err.contains("--include-secrets"));
    QCOMPARE(json(args({"hooks", "list", "--json"})).array().size(), 1);
}

void TestCli::storageErrors_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("message");
    QTest::newRow("corrupt file") << str("corrupt") << str("damaged");
    QTest::newRow("newer schema") << str("newer") << str("newer Webhook Admin");
    QTest::newRow("folder under a file") << str("under-file") << str("Cannot create the folder");
    QTest::newRow("other program's SQLite") << str("foreign") << str("another program");
}

void TestCli::storageErrors()
{
    QFETCH(QString, kind);
    QFETCH(QString, message);

    // Damaged and foreign files are a file's faults: a file on either backend.
    QString path = TestDatabase::onServer()
                       ? m_home.filePath(QStringLiteral("file-%1.sqlite").arg(m_counter))
                       : m_db;
    if (kind == QLatin1String("corrupt")) {
        QByteArray noise(64 * 1024, '\0');
        QRandomGenerator generator(42);
        for (char &c : noise)
            c = char(generator.bounded(256));
        writeFile(QFileInfo(path).fileName(), noise);
    } else if (kind == QLatin1String("under-file")) {
        writeFile(QStringLiteral("plain-file-%1").arg(m_counter), "x");
        path = m_home.filePath(QStringLiteral("plain-file-%1/sub/db.sqlite").arg(m_counter));
    } else {
        const QString name = QStringLiteral("setup-%1").arg(m_counter);
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
            db.setDatabaseName(path);
            QVERIFY(db.open());
            QSqlQuery query(db);
            QVERIFY(query.exec(QStringLiteral("CREATE TABLE t (x INTEGER)")));
            if (kind == QLatin1String("newer")) {
                QVERIFY(query.exec(
                    QStringLiteral("PRAGMA application_id = %1").arg(Database::ApplicationId)));
                QVERIFY(query.exec(QStringLiteral("PRAGMA user_version = 99")));
            }
            db.close();
        }
        QSqlDatabase::removeDatabase(name);
    }
    const QByteArray before = QFile::exists(path) ? [&] {
        QFile f(path);
        return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
    }()
                                                  : QByteArray();

    for (const QStringList &command :
         {args({"hooks", "list"}), args({"hooks", "add", "--url", "https://example.com/"}),
          args({"projects", "list", "--json"}), args({"events"})}) {
        const Run result = runWith(m_environment, args({"--db"}) << path << command);
        QCOMPARE(result.exitCode, 4);
        QVERIFY2(isOneLineError(result), qPrintable(describe(result)));
        QVERIFY2(QString::fromUtf8(result.err).contains(message), qPrintable(describe(result)));
    }
    // The file was left untouched.
    if (!before.isEmpty()) {
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), before);
    }
}

void TestCli::defaultDatabaseAndDbAfterCommand()
{
    // Without --db the file lives in the app data folder of $XDG_DATA_HOME.
    const Run added = runWith(m_environment, args({"projects", "add", "Default"}));
    QVERIFY2(added.exitCode == 0, qPrintable(describe(added)));
    const QString defaultFile = m_environment.value(QStringLiteral("XDG_DATA_HOME")) +
                                QStringLiteral("/webhook-admin/webhook-admin.sqlite");
    QVERIFY2(QFile::exists(defaultFile), qPrintable(defaultFile));
    QCOMPARE(QFile::permissions(defaultFile) & (QFileDevice::ReadOther | QFileDevice::ReadGroup),
             QFileDevice::Permissions());

    // --db works after the command too, and with =.
    Run result = runWith(m_environment, args({"projects", "add", "Elsewhere", "--db"}) << m_db);
    QVERIFY2(result.exitCode == 0, qPrintable(describe(result)));
    result = runWith(m_environment, args({"projects", "list", "--json"})
                                        << (QStringLiteral("--db=") + m_db));
    QCOMPARE(result.exitCode, 0);
    const QJsonArray list = QJsonDocument::fromJson(result.out).array();
    QCOMPARE(list.size(), 1);
    QCOMPARE(list.at(0).toObject().value(QLatin1String("title")).toString(), str("Elsewhere"));
}

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
