#include "domain/event_catalog.h"
#include "domain/webhook_validator.h"
#include "store/hook_store.h"

#include <QTest>

using Field = FieldError::Field;

Q_DECLARE_METATYPE(SignatureScheme)
Q_DECLARE_METATYPE(EventType)

namespace {

// A hook that passes validation; each test breaks one thing.
Webhook validHook()
{
    Webhook w;
    w.url = QStringLiteral("https://example.com/hooks/label-studio");
    w.description = QStringLiteral("Start training");
    w.headers = {{QStringLiteral("X-Source"), QStringLiteral("webhook-admin"), true}};
    w.sendForAllActions = false;
    w.actions = {QStringLiteral("ANNOTATION_CREATED")};
    return w;
}

QList<Field> fieldsOf(const QList<FieldError> &errors)
{
    QList<Field> fields;
    for (const FieldError &e : errors)
        fields.append(e.field);
    return fields;
}

EventType customType(const QString &key, const QString &payloadKey = QStringLiteral("model"))
{
    EventType type;
    type.key = key;
    type.name = QStringLiteral("Model trained");
    type.payloadKey = payloadKey;
    return type;
}

} // namespace

class TestWebhookValidator : public QObject
{
    Q_OBJECT

private slots:
    void url_data();
    void url();
    void headerName_data();
    void headerName();
    void reservedHeaderMessageSaysWhy();
    void headerValue_data();
    void headerValue();
    void headerRows_data();
    void headerRows();
    void eventsAndScope_data();
    void eventsAndScope();
    void customEventType_data();
    void customEventType();
    void eventKey_data();
    void eventKey();
    void secret_data();
    void secret();
    void bounds_data();
    void bounds();
    void validHookHasNoErrors();
    void missingProject();
    void description();
    void describeNamesFields();
    void defaultTimeoutFromEnvironment_data();
    void defaultTimeoutFromEnvironment();
    void signatureKeys();
};

void TestWebhookValidator::url_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<bool>("valid");

    const QString base = QStringLiteral("https://example.com/");
    QTest::newRow("https") << QStringLiteral("https://example.com/hook") << true;
    QTest::newRow("http with port and query")
        << QStringLiteral("http://example.com:8080/hook?token=a&b=c") << true;
    QTest::newRow("docker service name") << QStringLiteral("http://trainer:9090/hook") << true;
    QTest::newRow("localhost") << QStringLiteral("http://localhost/hook") << true;
    QTest::newRow("IPv4 literal") << QStringLiteral("http://10.0.0.7:5000/") << true;
    QTest::newRow("IPv6 literal") << QStringLiteral("http://[::1]:8080/hook") << true;
    QTest::newRow("IPv6 full literal") << QStringLiteral("https://[2001:db8::42]/in") << true;
    QTest::newRow("user:pass@") << QStringLiteral("https://user:pass@example.com/hook") << true;
    QTest::newRow("upper-case scheme") << QStringLiteral("HTTPS://EXAMPLE.COM/HOOK") << true;
    QTest::newRow("surrounding blanks are trimmed")
        << QStringLiteral("  https://example.com/hook  ") << true;
    QTest::newRow("exactly 2048 chars")
        << base + QString(2048 - base.size(), QLatin1Char('a')) << true;

    QTest::newRow("2049 chars") << base + QString(2049 - base.size(), QLatin1Char('a')) << false;
    QTest::newRow("empty") << QString() << false;
    QTest::newRow("blank") << QStringLiteral("   ") << false;
    QTest::newRow("ftp") << QStringLiteral("ftp://example.com/") << false;
    QTest::newRow("file") << QStringLiteral("file:///etc/passwd") << false;
    QTest::newRow("javascript:") << QStringLiteral("javascript:alert(1)") << false;
    QTest::newRow("mailto:") << QStringLiteral("mailto:ops@example.com") << false;
    QTest::newRow("no scheme") << QStringLiteral("example.com/hook") << false;
    QTest::newRow("scheme only") << QStringLiteral("https://") << false;
    QTest::newRow("no host") << QStringLiteral("http:///hook") << false;
    QTest::newRow("no host, port only") << QStringLiteral("http://:8080/hook") << false;
    QTest::newRow("space in host") << QStringLiteral("http://exa mple.com/") << false;
    QTest::newRow("space in path") << QStringLiteral("http://example.com/my hook") << false;
    QTest::newRow("tab") << QStringLiteral("http://example.com/\thook") << false;
    QTest::newRow("newline") << QStringLiteral("http://example.com/\nhook") << false;
    QTest::newRow("port out of range") << QStringLiteral("http://example.com:99999/") << false;
    QTest::newRow("host starting with a dot") << QStringLiteral("http://.example.com/") << false;
}

void TestWebhookValidator::url()
{
    QFETCH(QString, url);
    QFETCH(bool, valid);
    const QString message = WebhookValidator::checkUrl(url);
    QVERIFY2(message.isEmpty() == valid, qPrintable(message));
    if (!valid) {
        // The same verdict from the full validation, on the url field only.
        Webhook w = validHook();
        w.url = url;
        const QList<FieldError> errors = WebhookValidator::validate(w, EventCatalog());
        QCOMPARE(fieldsOf(errors), QList<Field>{Field::Url});
        QCOMPARE(errors.first().message, message);
    }
}

void TestWebhookValidator::headerName_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("valid");

    QTest::newRow("Authorization") << QStringLiteral("Authorization") << true;
    QTest::newRow("X-Api-Key") << QStringLiteral("X-Api-Key") << true;
    QTest::newRow("token specials") << QStringLiteral("X!#$%&'*+-.^_`|~1") << true;
    QTest::newRow("webhook without dash") << QStringLiteral("Webhooks") << true;
    QTest::newRow("256 chars") << QString(256, QLatin1Char('x')) << true;

    QTest::newRow("empty") << QString() << false;
    QTest::newRow("space") << QStringLiteral("X Token") << false;
    QTest::newRow("leading space") << QStringLiteral(" X-Token") << false;
    QTest::newRow("colon") << QStringLiteral("X-Token:") << false;
    QTest::newRow("name: value pasted") << QStringLiteral("X-Token: abc") << false;
    QTest::newRow("CR LF") << QStringLiteral("X-Token\r\n") << false;
    QTest::newRow("parenthesis") << QStringLiteral("X(Token)") << false;
    QTest::newRow("non-ASCII") << QStringLiteral("X-Gr\u00fc\u00dfe") << false;
    QTest::newRow("257 chars") << QString(257, QLatin1Char('x')) << false;

    // Names the engine sets itself, in any letter case.
    for (const char *reserved :
         {"Host", "host", "HOST", "Content-Type", "content-type", "CONTENT-TYPE", "Content-Length",
          "Transfer-Encoding", "Connection", "webhook-id", "Webhook-Id", "WEBHOOK-ID",
          "webhook-timestamp", "webhook-signature", "Webhook-Signature", "X-Hub-Signature-256",
          "x-hub-signature-256", "X-HUB-SIGNATURE-256"}) {
        QTest::addRow("reserved %s", reserved) << QString::fromLatin1(reserved) << false;
    }
}

void TestWebhookValidator::headerName()
{
    QFETCH(QString, name);
    QFETCH(bool, valid);
    const QString message = WebhookValidator::checkHeaderName(name);
    QVERIFY2(message.isEmpty() == valid, qPrintable(message));

    Webhook w = validHook();
    w.headers.append({name, QStringLiteral("v"), false});
    const QList<FieldError> errors = WebhookValidator::validate(w, EventCatalog());
    if (valid) {
        QVERIFY(errors.isEmpty());
    } else {
        QCOMPARE(errors.size(), 1);
        QCOMPARE(errors.first().field, Field::Headers);
        QCOMPARE(errors.first().row, 1);
    }
}

void TestWebhookValidator::reservedHeaderMessageSaysWhy()
{
    QVERIFY(WebhookValidator::isReservedHeader(QStringLiteral("x-HUB-signature-256")));
    QVERIFY(!WebhookValidator::isReservedHeader(QStringLiteral("X-Hub-Signature")));
    const QString message = WebhookValidator::checkHeaderName(QStringLiteral("Content-Type"));
    QVERIFY2(message.contains(QStringLiteral("Content-Type")), qPrintable(message));
    QVERIFY2(message.contains(QStringLiteral("Webhook Admin")), qPrintable(message));
    // A bad character is explained differently from a reserved name.
    QVERIFY(WebhookValidator::checkHeaderName(QStringLiteral("X Token")) != message);
}

void TestWebhookValidator::headerValue_data()
{
    QTest::addColumn<QString>("value");
    QTest::addColumn<bool>("valid");

    QTest::newRow("token") << QStringLiteral("Bearer eyJhbGciOi.abc") << true;
    QTest::newRow("empty") << QString() << true;
    QTest::newRow("inner spaces and tab") << QStringLiteral("a b\tc") << true;
    QTest::newRow("8192 chars") << QString(Webhook::MaxHeaderValueLength, QLatin1Char('v')) << true;

    QTest::newRow("CR") << QStringLiteral("abc\rdef") << false;
    QTest::newRow("LF") << QStringLiteral("abc\ndef") << false;
    QTest::newRow("header injection") << QStringLiteral("abc\r\nX-Injected: yes") << false;
    QTest::newRow("NUL") << QString::fromUtf16(u"abc\u0000def", 7) << false;
    QTest::newRow("10,000 chars") << QString(10000, QLatin1Char('v')) << false;
}

void TestWebhookValidator::headerValue()
{
    QFETCH(QString, value);
    QFETCH(bool, valid);
    const QString message = WebhookValidator::checkHeaderValue(value);
    QVERIFY2(message.isEmpty() == valid, qPrintable(message));

    Webhook w = validHook();
    w.headers.prepend({QStringLiteral("X-Value"), value, false});
    const QList<FieldError> errors = WebhookValidator::validate(w, EventCatalog());
    QCOMPARE(errors.isEmpty(), valid);
    if (!valid) {
        QCOMPARE(errors.first().field, Field::Headers);
        QCOMPARE(errors.first().row, 0);
    }
}

void TestWebhookValidator::headerRows_data()
{
    QTest::addColumn<QList<HeaderRow>>("headers");
    QTest::addColumn<QList<int>>("badRows"); // -1: the list as a whole

    const auto row = [](const char *name) {
        return HeaderRow{QString::fromLatin1(name), QStringLiteral("v"), false};
    };
    QTest::newRow("none") << QList<HeaderRow>{} << QList<int>{};
    QTest::newRow("distinct") << QList<HeaderRow>{row("X-A"), row("X-B")} << QList<int>{};
    QTest::newRow("duplicate") << QList<HeaderRow>{row("X-A"), row("X-B"), row("X-A")}
                               << QList<int>{2};
    QTest::newRow("duplicate, other case")
        << QList<HeaderRow>{row("X-Token"), row("x-token")} << QList<int>{1};

    QList<HeaderRow> fifty;
    for (int i = 0; i < Webhook::MaxHeaders; ++i)
        fifty.append({QStringLiteral("X-H%1").arg(i), QStringLiteral("v"), false});
    QTest::newRow("50 headers") << fifty << QList<int>{};
    QList<HeaderRow> fiftyOne = fifty;
    fiftyOne.append(row("X-One-Too-Many"));
    QTest::newRow("51 headers") << fiftyOne << QList<int>{-1};
}

void TestWebhookValidator::headerRows()
{
    QFETCH(QList<HeaderRow>, headers);
    QFETCH(QList<int>, badRows);
    Webhook w = validHook();
    w.headers = headers;
    QList<int> rows;
    for (const FieldError &e : WebhookValidator::validate(w, EventCatalog())) {
        QCOMPARE(e.field, Field::Headers);
        rows.append(e.row);
    }
    QCOMPARE(rows, badRows);
}

void TestWebhookValidator::eventsAndScope_data()
{
    QTest::addColumn<bool>("projectScoped");
    QTest::addColumn<bool>("sendForAllActions");
    QTest::addColumn<QStringList>("actions");
    QTest::addColumn<bool>("valid");

    const QStringList orgOnly{QStringLiteral("PROJECT_CREATED")};
    QTest::newRow("org-only event, org-wide hook") << false << false << orgOnly << true;
    QTest::newRow("org-only event, project hook") << true << false << orgOnly << false;
    QTest::newRow("project deleted, project hook")
        << true << false << QStringList{QStringLiteral("PROJECT_DELETED")} << false;
    QTest::newRow("project updated, project hook")
        << true << false << QStringList{QStringLiteral("PROJECT_UPDATED")} << true;
    QTest::newRow("mixed with org-only, project hook")
        << true << false
        << QStringList{QStringLiteral("TASKS_CREATED"), QStringLiteral("PROJECT_CREATED")} << false;
    QTest::newRow("every non-org event, project hook")
        << true << false
        << QStringList{QStringLiteral("PROJECT_UPDATED"),     QStringLiteral("TASKS_CREATED"),
                       QStringLiteral("TASKS_DELETED"),       QStringLiteral("ANNOTATION_CREATED"),
                       QStringLiteral("ANNOTATIONS_CREATED"), QStringLiteral("ANNOTATION_UPDATED"),
                       QStringLiteral("ANNOTATIONS_DELETED"), QStringLiteral("LABEL_LINK_CREATED"),
                       QStringLiteral("LABEL_LINK_UPDATED"),  QStringLiteral("LABEL_LINK_DELETED")}
        << true;
    QTest::newRow("unknown event")
        << false << false << QStringList{QStringLiteral("MODEL_TRAINED")} << false;
    QTest::newRow("lower-case key")
        << false << false << QStringList{QStringLiteral("annotation_created")} << false;
    QTest::newRow("PING is not subscribable")
        << false << false << QStringList{QStringLiteral("PING")} << false;
    QTest::newRow("no actions, not all") << false << false << QStringList{} << false;
    QTest::newRow("no actions, all") << false << true << QStringList{} << true;
    QTest::newRow("all actions, project hook") << true << true << QStringList{} << true;
}

void TestWebhookValidator::eventsAndScope()
{
    QFETCH(bool, projectScoped);
    QFETCH(bool, sendForAllActions);
    QFETCH(QStringList, actions);
    QFETCH(bool, valid);
    Webhook w = validHook();
    if (projectScoped)
        w.projectId = 7;
    w.sendForAllActions = sendForAllActions;
    w.actions = actions;
    const QList<FieldError> errors = WebhookValidator::validate(w, EventCatalog(), true);
    if (valid) {
        QVERIFY2(errors.isEmpty(), qPrintable(WebhookValidator::describe(errors)));
    } else {
        QVERIFY(!errors.isEmpty());
        for (const FieldError &e : errors)
            QCOMPARE(e.field, Field::Actions);
    }
}

void TestWebhookValidator::customEventType_data()
{
    QTest::addColumn<EventType>("type");
    QTest::addColumn<bool>("valid");

    QTest::newRow("UPPER_SNAKE_CASE") << customType(QStringLiteral("MODEL_TRAINED")) << true;
    QTest::newRow("with digits") << customType(QStringLiteral("DATASET_V2_EXPORTED")) << true;
    QTest::newRow("single word") << customType(QStringLiteral("DEPLOYED")) << true;
    QTest::newRow("lower case") << customType(QStringLiteral("model_trained")) << false;
    QTest::newRow("mixed case") << customType(QStringLiteral("Model_Trained")) << false;
    QTest::newRow("leading digit") << customType(QStringLiteral("2FA_ENABLED")) << false;
    QTest::newRow("double underscore") << customType(QStringLiteral("MODEL__TRAINED")) << false;
    QTest::newRow("leading underscore") << customType(QStringLiteral("_MODEL")) << false;
    QTest::newRow("trailing underscore") << customType(QStringLiteral("MODEL_")) << false;
    QTest::newRow("dash") << customType(QStringLiteral("MODEL-TRAINED")) << false;
    QTest::newRow("empty key") << customType(QString()) << false;
    QTest::newRow("65 chars") << customType(QString(65, QLatin1Char('A'))) << false;
    QTest::newRow("PING") << customType(QStringLiteral("PING")) << false;
    QTest::newRow("built-in ANNOTATION_CREATED")
        << customType(QStringLiteral("ANNOTATION_CREATED")) << false;
    QTest::newRow("built-in PROJECT_DELETED")
        << customType(QStringLiteral("PROJECT_DELETED")) << false;
    QTest::newRow("existing custom") << customType(QStringLiteral("EXISTING_EVENT")) << false;

    EventType noName = customType(QStringLiteral("MODEL_TRAINED"));
    noName.name = QStringLiteral("   ");
    QTest::newRow("blank name") << noName << false;
    QTest::newRow("payload key camelCase")
        << customType(QStringLiteral("MODEL_TRAINED"), QStringLiteral("modelVersion")) << false;
    QTest::newRow("payload key snake_case")
        << customType(QStringLiteral("MODEL_TRAINED"), QStringLiteral("model_version")) << true;
    QTest::newRow("payload key action")
        << customType(QStringLiteral("MODEL_TRAINED"), QStringLiteral("action")) << false;
    QTest::newRow("payload key project")
        << customType(QStringLiteral("MODEL_TRAINED"), QStringLiteral("project")) << false;
    QTest::newRow("payload key empty")
        << customType(QStringLiteral("MODEL_TRAINED"), QString()) << false;
}

void TestWebhookValidator::customEventType()
{
    QFETCH(EventType, type);
    QFETCH(bool, valid);
    const EventCatalog catalog({customType(QStringLiteral("EXISTING_EVENT"))});
    const QString message = HookStore::checkEventType(type, catalog);
    QVERIFY2(message.isEmpty() == valid, qPrintable(message));
}

void TestWebhookValidator::eventKey_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<bool>("valid");
    QTest::newRow("ok") << QStringLiteral("MODEL_TRAINED") << true;
    QTest::newRow("64 chars") << QString(64, QLatin1Char('A')) << true;
    QTest::newRow("65 chars") << QString(65, QLatin1Char('A')) << false;
    QTest::newRow("lower") << QStringLiteral("model") << false;
    QTest::newRow("space") << QStringLiteral("MODEL TRAINED") << false;
}

void TestWebhookValidator::eventKey()
{
    QFETCH(QString, key);
    QFETCH(bool, valid);
    const QString message = WebhookValidator::checkEventKey(key);
    QVERIFY2(message.isEmpty() == valid, qPrintable(message));
    if (!valid && !key.isEmpty() && key.size() <= 64)
        QVERIFY2(message.contains(key), qPrintable(message)); // names what was typed
}

void TestWebhookValidator::secret_data()
{
    QTest::addColumn<QString>("secret");
    QTest::addColumn<SignatureScheme>("scheme");
    QTest::addColumn<bool>("valid");

    const auto standard = SignatureScheme::Standard;
    const auto github = SignatureScheme::GitHub;
    const auto none = SignatureScheme::None;
    QTest::newRow("none, no secret") << QString() << none << true;
    QTest::newRow("none, with secret") << QStringLiteral("abc") << none << false;

    QTest::newRow("standard, public vector")
        << QStringLiteral("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw") << standard << true;
    QTest::newRow("standard, 32-byte key")
        << QString(QStringLiteral("whsec_") + QString::fromLatin1(QByteArray(32, 'k').toBase64()))
        << standard << true;
    QTest::newRow("standard, 64-byte key")
        << QString(QStringLiteral("whsec_") + QString::fromLatin1(QByteArray(64, 'k').toBase64()))
        << standard << true;
    QTest::newRow("standard, 65-byte key")
        << QString(QStringLiteral("whsec_") + QString::fromLatin1(QByteArray(65, 'k').toBase64()))
        << standard << false;
    QTest::newRow("standard, 8-byte key")
        << QString(QStringLiteral("whsec_") + QString::fromLatin1(QByteArray(8, 'k').toBase64()))
        << standard << false;
    QTest::newRow("standard, no prefix")
        << QStringLiteral("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw") << standard << false;
    QTest::newRow("standard, not base64")
        << QStringLiteral("whsec_not base64 at all!!") << standard << false;
    QTest::newRow("standard, prefix only") << QStringLiteral("whsec_") << standard << false;
    QTest::newRow("standard, empty") << QString() << standard << false;

    QTest::newRow("github, phrase")
        << QStringLiteral("It's a Secret to Everybody") << github << true;
    QTest::newRow("github, one char") << QStringLiteral("x") << github << true;
    QTest::newRow("github, whsec_ is fine too")
        << QStringLiteral("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw") << github << true;
    QTest::newRow("github, empty") << QString() << github << false;
    QTest::newRow("github, 1025 chars") << QString(1025, QLatin1Char('s')) << github << false;
}

void TestWebhookValidator::secret()
{
    QFETCH(QString, secret);
    QFETCH(SignatureScheme, scheme);
    QFETCH(bool, valid);
    const QString message = WebhookValidator::checkSecret(secret, scheme);
    QVERIFY2(message.isEmpty() == valid, qPrintable(message));

    Webhook w = validHook();
    w.secret = secret;
    w.signature = scheme;
    const QList<FieldError> errors = WebhookValidator::validate(w, EventCatalog());
    QCOMPARE(fieldsOf(errors), valid ? QList<Field>{} : QList<Field>{Field::Secret});
    // A refused secret is never echoed back in the message.
    if (!valid && secret.size() > 8)
        QVERIFY2(!message.contains(secret), qPrintable(message));
}

void TestWebhookValidator::bounds_data()
{
    QTest::addColumn<int>("timeout");
    QTest::addColumn<int>("attempts");
    QTest::addColumn<QList<Field>>("fields");

    QTest::newRow("defaults") << 10 << 8 << QList<Field>{};
    QTest::newRow("minimum") << 1 << 1 << QList<Field>{};
    QTest::newRow("maximum") << Webhook::MaxTimeoutSeconds << Webhook::MaxAttemptsLimit
                             << QList<Field>{};
    QTest::newRow("timeout 0") << 0 << 8 << QList<Field>{Field::Timeout};
    QTest::newRow("timeout negative") << -5 << 8 << QList<Field>{Field::Timeout};
    QTest::newRow("timeout too long")
        << Webhook::MaxTimeoutSeconds + 1 << 8 << QList<Field>{Field::Timeout};
    QTest::newRow("attempts 0") << 10 << 0 << QList<Field>{Field::MaxAttempts};
    QTest::newRow("attempts too many")
        << 10 << Webhook::MaxAttemptsLimit + 1 << QList<Field>{Field::MaxAttempts};
    QTest::newRow("both") << 0 << 0 << QList<Field>{Field::Timeout, Field::MaxAttempts};
}

void TestWebhookValidator::bounds()
{
    QFETCH(int, timeout);
    QFETCH(int, attempts);
    QFETCH(QList<Field>, fields);
    Webhook w = validHook();
    w.timeoutSeconds = timeout;
    w.maxAttempts = attempts;
    QCOMPARE(fieldsOf(WebhookValidator::validate(w, EventCatalog())), fields);
}

void TestWebhookValidator::validHookHasNoErrors()
{
    QVERIFY(WebhookValidator::validate(validHook(), EventCatalog()).isEmpty());
    // Label Studio's defaults are valid on their own.
    Webhook defaults;
    defaults.url = QStringLiteral("http://trainer:9090/hook");
    QVERIFY(WebhookValidator::validate(defaults, EventCatalog()).isEmpty());
    QVERIFY(defaults.isActive && defaults.sendPayload && defaults.sendForAllActions);
    QCOMPARE(defaults.maxAttempts, 8);
}

void TestWebhookValidator::missingProject()
{
    Webhook w = validHook();
    w.projectId = 42;
    QVERIFY(WebhookValidator::validate(w, EventCatalog(), true).isEmpty());
    const QList<FieldError> errors = WebhookValidator::validate(w, EventCatalog(), false);
    QCOMPARE(fieldsOf(errors), QList<Field>{Field::Project});
    QVERIFY(errors.first().message.contains(QStringLiteral("42")));
}

void TestWebhookValidator::description()
{
    Webhook w = validHook();
    w.description = QString(Webhook::MaxDescriptionLength, QLatin1Char('d'));
    QVERIFY(WebhookValidator::validate(w, EventCatalog()).isEmpty());
    w.description.append(QLatin1Char('d'));
    QCOMPARE(fieldsOf(WebhookValidator::validate(w, EventCatalog())),
             QList<Field>{Field::Description});
}

void TestWebhookValidator::describeNamesFields()
{
    Webhook w = validHook();
    w.url = QStringLiteral("ftp://example.com/");
    w.timeoutSeconds = 0;
    const QString text = WebhookValidator::describe(WebhookValidator::validate(w, EventCatalog()));
    QVERIFY2(text.startsWith(QStringLiteral("url: ")), qPrintable(text));
    QVERIFY2(text.contains(QStringLiteral("; timeout: ")), qPrintable(text));
    QVERIFY2(!text.contains(QLatin1Char('\n')), qPrintable(text)); // one line on stderr
}

void TestWebhookValidator::defaultTimeoutFromEnvironment_data()
{
    QTest::addColumn<QByteArray>("value");
    QTest::addColumn<int>("expected");
    QTest::newRow("unset") << QByteArray() << 10;
    QTest::newRow("30") << QByteArrayLiteral("30") << 30;
    QTest::newRow("1") << QByteArrayLiteral("1") << 1;
    QTest::newRow("zero") << QByteArrayLiteral("0") << 10;
    QTest::newRow("negative") << QByteArrayLiteral("-3") << 10;
    QTest::newRow("too long") << QByteArrayLiteral("301") << 10;
    QTest::newRow("not a number") << QByteArrayLiteral("ten") << 10;
}

void TestWebhookValidator::defaultTimeoutFromEnvironment()
{
    QFETCH(QByteArray, value);
    QFETCH(int, expected);
    if (value.isNull())
        qunsetenv("WEBHOOK_TIMEOUT");
    else
        qputenv("WEBHOOK_TIMEOUT", value);
    QCOMPARE(Webhook::defaultTimeoutSeconds(), expected);
    QCOMPARE(Webhook().timeoutSeconds, expected);
    qunsetenv("WEBHOOK_TIMEOUT");
}

void TestWebhookValidator::signatureKeys()
{
    for (SignatureScheme s :
         {SignatureScheme::None, SignatureScheme::Standard, SignatureScheme::GitHub})
        QCOMPARE(signatureSchemeFromKey(signatureSchemeKey(s)), s);
    QCOMPARE(signatureSchemeFromKey(QStringLiteral(" GitHub ")), SignatureScheme::GitHub);
    QCOMPARE(signatureSchemeFromKey(QStringLiteral("none")), SignatureScheme::None);
    QVERIFY(!signatureSchemeFromKey(QStringLiteral("sha1")).has_value());
}

QTEST_GUILESS_MAIN(TestWebhookValidator)
#include "tst_webhook_validator.moc"
