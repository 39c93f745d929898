#include "io/label_studio_json.h"

#include <QBuffer>
#include <QJsonDocument>
#include <QTest>

class TestLabelStudioJson : public QObject
{
    Q_OBJECT

private slots:
    void parse_data();
    void parse();
    void readsLabelStudioFields();
    void readsExtensionFields();
    void serializesMasked();
    void roundTripWithSecrets();
    void refusesHugeInput_data();
    void refusesHugeInput();
};

namespace {

QByteArray entry(const char *extraFields)
{
    return QByteArray(R"({"url": "https://example.com/hook")") + extraFields + '}';
}

} // namespace

void TestLabelStudioJson::parse_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<int>("count"); // -1: refused
    QTest::addColumn<QString>("error");

    const auto ok = [](const char *name, const QByteArray &json, int count) {
        QTest::newRow(name) << json << count << QString();
    };
    const auto bad = [](const char *name, const QByteArray &json, const char *error) {
        QTest::newRow(name) << json << -1 << QString::fromUtf8(error);
    };

    ok("one object", entry(""), 1);
    ok("list", '[' + entry("") + ',' + entry(R"(, "is_active": false)") + ']', 2);
    ok("empty list", "[]", 0);
    ok("null optionals", entry(R"(, "project": null, "headers": null, "secret": null,
                                 "signature": null, "actions": null, "description": null)"),
       1);
    ok("unknown fields ignored", entry(R"(, "organization": 1, "extra": {"a": [1]})"), 1);
    ok("label studio microseconds",
       entry(
           R"(, "created_at": "2024-05-01T12:00:00.123456Z", "updated_at": "2024-05-01T12:00:00Z")"),
       1);
    bad("not json", "{\"url\": ", "not valid JSON");
    bad("number at top", "42", "not valid JSON");
    bad("entry not an object", '[' + entry("") + ", 5]", "entry 2: must be a webhook object");
    bad("missing url", R"({"project": 1})", "entry 1: url is missing");
    bad("url not a string", R"([{"url": 5}])", "entry 1: url must be a string");
    bad("headers as list", entry(R"(, "headers": ["X-A: b"])"),
        "entry 1: headers must be an object of strings");
    bad("header value a number in the third entry",
        '[' + entry("") + ',' + entry("") + ',' + entry(R"(, "headers": {"X-Retries": 3})") + ']',
        "entry 3: headers must be an object of strings");
    bad("project as text", entry(R"(, "project": "one")"), "entry 1: project must be");
    bad("project fraction", entry(R"(, "project": 1.5)"), "entry 1: project must be");
    bad("project zero", entry(R"(, "project": 0)"), "entry 1: project must be");
    bad("is_active as text", entry(R"(, "is_active": "yes")"),
        "entry 1: is_active must be true or false");
    bad("send_payload as number", entry(R"(, "send_payload": 1)"),
        "entry 1: send_payload must be true or false");
    bad("actions as text", entry(R"(, "actions": "TASKS_CREATED")"),
        "entry 1: actions must be a list of event keys");
    bad("actions holding a number", entry(R"(, "actions": ["TASKS_CREATED", 3])"),
        "entry 1: actions must be a list of event keys");
    bad("masked secret", entry(R"(, "signature": "github", "secret": "••••••")"),
        "--include-secrets");
    bad("masked header", entry(R"(, "headers": {"Authorization": "••••••"})"), "--include-secrets");
    bad("secret header not in headers", entry(R"(, "secret_headers": ["X-Token"])"),
        "entry 1: secret_headers names X-Token, which is not in headers");
    bad("unknown signature", entry(R"(, "signature": "hmac", "secret": "abc")"),
        "entry 1: signature must be");
    bad("timeout as text", entry(R"(, "timeout": "10")"),
        "entry 1: timeout must be a whole number");
    bad("max_attempts fraction", entry(R"(, "max_attempts": 2.5)"),
        "entry 1: max_attempts must be a whole number");
    bad("bad date", entry(R"(, "created_at": "yesterday")"), "entry 1: created_at must be a date");
}

void TestLabelStudioJson::parse()
{
    QFETCH(QByteArray, json);
    QFETCH(int, count);
    QFETCH(QString, error);

    const LabelStudioJson::Parsed parsed = LabelStudioJson::parse(json);
    if (count < 0) {
        QVERIFY2(!parsed.ok(), "the input was accepted");
        QVERIFY2(parsed.error.contains(error), qPrintable(parsed.error));
        QVERIFY(!parsed.error.contains(QLatin1Char('\n')));
        QVERIFY(parsed.hooks.isEmpty());
    } else {
        QVERIFY2(parsed.ok(), qPrintable(parsed.error));
        QCOMPARE(parsed.hooks.size(), count);
    }
}

void TestLabelStudioJson::readsLabelStudioFields()
{
    // As GET /api/webhooks/ of Label Studio returns it.
    const QByteArray json = R"({
        "id": 17, "organization": 1, "project": 4,
        "url": "http://trainer:9090/hook",
        "send_payload": false, "send_for_all_actions": false,
        "headers": {"Authorization": "Token abc"},
        "is_active": false,
        "actions": ["ANNOTATION_CREATED", "ANNOTATION_UPDATED"],
        "created_at": "2024-05-01T12:00:00.123456Z",
        "updated_at": "2024-05-02T08:30:00Z"
    })";
    const LabelStudioJson::Parsed parsed = LabelStudioJson::parse(json);
    QVERIFY2(parsed.ok(), qPrintable(parsed.error));
    QCOMPARE(parsed.hooks.size(), 1);
    const Webhook &hook = parsed.hooks.first();
    QCOMPARE(hook.id, 0); // an import always adds
    QCOMPARE(hook.projectId, std::optional<qint64>(4));
    QCOMPARE(hook.url, QStringLiteral("http://trainer:9090/hook"));
    QCOMPARE(hook.sendPayload, false);
    QCOMPARE(hook.sendForAllActions, false);
    QCOMPARE(hook.isActive, false);
    QCOMPARE(hook.headers, (QList<HeaderRow>{{QStringLiteral("Authorization"),
                                              QStringLiteral("Token abc"), false}}));
    QCOMPARE(hook.actions, (QStringList{QStringLiteral("ANNOTATION_CREATED"),
                                        QStringLiteral("ANNOTATION_UPDATED")}));
    QCOMPARE(hook.createdAt, QDateTime(QDate(2024, 5, 1), QTime(12, 0, 0, 123), Qt::UTC));
    QCOMPARE(hook.updatedAt, QDateTime(QDate(2024, 5, 2), QTime(8, 30), Qt::UTC));
    // What Label Studio does not have keeps our defaults.
    QCOMPARE(hook.signature, SignatureScheme::None);
    QCOMPARE(hook.maxAttempts, Webhook::DefaultMaxAttempts);
    QVERIFY(hook.description.isEmpty());
}

void TestLabelStudioJson::readsExtensionFields()
{
    const QByteArray json = R"([{
        "url": "https://example.com/hook", "description": "Retrain",
        "headers": {"X-Token": "t0k3n", "X-Env": "prod"}, "secret_headers": ["x-token"],
        "signature": "github", "secret": "It's a Secret to Everybody",
        "timeout": 30, "max_attempts": 1,
        "consecutive_failures": 5, "disabled_reason": "410 Gone"
    }])";
    const LabelStudioJson::Parsed parsed = LabelStudioJson::parse(json);
    QVERIFY2(parsed.ok(), qPrintable(parsed.error));
    const Webhook &hook = parsed.hooks.first();
    QCOMPARE(hook.description, QStringLiteral("Retrain"));
    QCOMPARE(hook.signature, SignatureScheme::GitHub);
    QCOMPARE(hook.secret, QStringLiteral("It's a Secret to Everybody"));
    QCOMPARE(hook.timeoutSeconds, 30);
    QCOMPARE(hook.maxAttempts, 1);
    QCOMPARE(hook.headers.size(), 2);
    for (const HeaderRow &row : hook.headers)
        QCOMPARE(row.secret, row.name == QLatin1String("X-Token"));
    // State of the exporting file, not of the new hook.
    QCOMPARE(hook.consecutiveFailures, 0);
    QVERIFY(hook.disabledReason.isEmpty());
}

namespace {

Webhook sampleHook()
{
    Webhook hook;
    hook.id = 3;
    hook.projectId = 2;
    hook.url = QStringLiteral("https://example.com/hook");
    hook.description = QStringLiteral("Annotations to the trainer");
    hook.sendForAllActions = false;
    hook.actions = {QStringLiteral("ANNOTATION_CREATED"), QStringLiteral("ANNOTATION_UPDATED")};
    hook.headers = {{QStringLiteral("Authorization"), QStringLiteral("Bearer s3cr3t"), true},
                    {QStringLiteral("X-Env"), QStringLiteral("prod"), false}};
    hook.signature = SignatureScheme::Standard;
    hook.secret = QStringLiteral("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
    hook.timeoutSeconds = 20;
    hook.maxAttempts = 3;
    hook.consecutiveFailures = 2;
    hook.createdAt = QDateTime(QDate(2024, 5, 1), QTime(12, 0), Qt::UTC);
    hook.updatedAt = QDateTime(QDate(2024, 5, 3), QTime(9, 15, 30, 250), Qt::UTC);
    return hook;
}

} // namespace

void TestLabelStudioJson::serializesMasked()
{
    const QJsonObject json = LabelStudioJson::toJson(sampleHook(), false);
    QCOMPARE(json.value(QLatin1String("id")).toInteger(), 3);
    QCOMPARE(json.value(QLatin1String("project")).toInteger(), 2);
    QCOMPARE(json.value(QLatin1String("url")).toString(),
             QStringLiteral("https://example.com/hook"));
    QCOMPARE(json.value(QLatin1String("send_payload")).toBool(), true);
    QCOMPARE(json.value(QLatin1String("send_for_all_actions")).toBool(), false);
    QCOMPARE(json.value(QLatin1String("is_active")).toBool(), true);
    QCOMPARE(json.value(QLatin1String("actions")).toArray().size(), 2);
    const QJsonObject headers = json.value(QLatin1String("headers")).toObject();
    QCOMPARE(headers.value(QLatin1String("Authorization")).toString(), maskedSecret());
    QCOMPARE(headers.value(QLatin1String("X-Env")).toString(), QStringLiteral("prod"));
    QCOMPARE(json.value(QLatin1String("secret")).toString(), maskedSecret());
    QCOMPARE(json.value(QLatin1String("secret_headers")).toArray(),
             QJsonArray{QStringLiteral("Authorization")});
    QCOMPARE(json.value(QLatin1String("signature")).toString(), QStringLiteral("standard"));
    QCOMPARE(json.value(QLatin1String("timeout")).toInt(), 20);
    QCOMPARE(json.value(QLatin1String("max_attempts")).toInt(), 3);
    QCOMPARE(json.value(QLatin1String("consecutive_failures")).toInt(), 2);
    QVERIFY(json.value(QLatin1String("disabled_reason")).isNull());
    QCOMPARE(json.value(QLatin1String("updated_at")).toString(),
             QStringLiteral("2024-05-03T09:15:30.250Z"));
    const QByteArray text = QJsonDocument(json).toJson();
    QVERIFY(!text.contains("s3cr3t"));
    QVERIFY(!text.contains("whsec_"));

    Webhook plain;
    plain.url = QStringLiteral("https://example.com/");
    const QJsonObject none = LabelStudioJson::toJson(plain, false);
    QVERIFY(none.value(QLatin1String("secret")).isNull());
    QVERIFY(none.value(QLatin1String("signature")).isNull());
    QVERIFY(none.value(QLatin1String("project")).isNull());
    QVERIFY(none.value(QLatin1String("headers")).isObject());

    // A masked export cannot come back in.
    const LabelStudioJson::Parsed again =
        LabelStudioJson::parse(LabelStudioJson::serialize({sampleHook()}, false));
    QVERIFY(!again.ok());
    QVERIFY2(again.error.contains(QLatin1String("--include-secrets")), qPrintable(again.error));
}

void TestLabelStudioJson::roundTripWithSecrets()
{
    Webhook orgWide;
    orgWide.url = QStringLiteral("http://collector:8080/all");
    orgWide.isActive = false;
    orgWide.createdAt = QDateTime(QDate(2023, 1, 2), QTime(3, 4, 5), Qt::UTC);
    orgWide.updatedAt = orgWide.createdAt;
    // This app's delivery policy survives a round trip too.
    orgWide.filter = QStringLiteral(R"({"annotation.ground_truth": true})");
    orgWide.rateLimit = RateLimit::fromKey(QStringLiteral("5/s")).value();
    orgWide.maxInFlight = 1;
    orgWide.retryOn = QStringLiteral("network,429");
    orgWide.retrySchedule = {0, 10, 60};
    const QList<Webhook> hooks{sampleHook(), orgWide};

    const LabelStudioJson::Parsed parsed =
        LabelStudioJson::parse(LabelStudioJson::serialize(hooks, true));
    QVERIFY2(parsed.ok(), qPrintable(parsed.error));
    QCOMPARE(parsed.hooks.size(), 2);
    for (int i = 0; i < hooks.size(); ++i) {
        Webhook expected = hooks.at(i);
        expected.id = 0;
        expected.consecutiveFailures = 0;
        // JSON objects keep their keys sorted, so headers come back by name.
        std::sort(expected.headers.begin(), expected.headers.end(),
                  [](const HeaderRow &a, const HeaderRow &b) { return a.name < b.name; });
        QCOMPARE(parsed.hooks.at(i), expected);
    }
}

void TestLabelStudioJson::refusesHugeInput_data()
{
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("error");

    QByteArray big(LabelStudioJson::MaxBytes + 1, ' ');
    big[0] = '[';
    big[big.size() - 1] = ']';
    QTest::newRow("over 50 MB") << big << QStringLiteral("larger than 50 MB");

    QByteArray many = "[";
    for (int i = 0; i <= LabelStudioJson::MaxEntries; ++i)
        many += i ? ",{}" : "{}";
    many += ']';
    QTest::newRow("over 100000 entries") << many << QStringLiteral("at most 100000");
}

void TestLabelStudioJson::refusesHugeInput()
{
    QFETCH(QByteArray, json);
    QFETCH(QString, error);

    const LabelStudioJson::Parsed parsed = LabelStudioJson::parse(json);
    QVERIFY(!parsed.ok());
    QVERIFY2(parsed.error.contains(error), qPrintable(parsed.error));

    // Reading from a device stops at the limit instead of loading everything.
    QBuffer buffer(&json);
    QVERIFY(buffer.open(QIODevice::ReadOnly));
    const LabelStudioJson::Parsed read = LabelStudioJson::read(&buffer);
    QVERIFY(!read.ok());
    QVERIFY2(read.error.contains(error), qPrintable(read.error));
}

QTEST_GUILESS_MAIN(TestLabelStudioJson)
#include "tst_label_studio_json.moc"
