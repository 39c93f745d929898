#include "delivery/delivery_store.h"
#include "delivery/engine_host.h"
#include "delivery/signature.h"
#include "listener/http_listener.h"
#include "store/database.h"
#include "store/hook_store.h"
#include "store/inbox_store.h"
#include "store/intake_store.h"
#include "store/listener_settings_store.h"
#include "test_database.h"
#include "test_receiver.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSemaphore>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QTimer>
#include <memory>
#include <thread>

// The listener for real: EngineHost runs it on its thread next to the
// dispatcher, a TestReceiver stands behind the hooks, and requests travel
// over 127.0.0.1. Limits are checked on an HttpListener of their own with
// small limits, over raw sockets.
class TestHttpListener : public QObject
{
    Q_OBJECT

public:
    struct Answer
    {
        int status = 0;
        QJsonObject json;
        QByteArray body;
        QList<QNetworkReply::RawHeaderPair> headers;
        QByteArray header(const QByteArray &name) const
        {
            for (const auto &[key, value] : headers) {
                if (key.compare(name, Qt::CaseInsensitive) == 0)
                    return value;
            }
            return {};
        }
    };

private slots:
    void initTestCase();
    void init();
    void cleanup();
    void labelStudioBodiesArriveAsSent_data();
    void labelStudioBodiesArriveAsSent();
    void unknownProjectIsCreatedWithLabelStudiosIdAndTitle();
    void eventsEndpointTakesThePayloadAndProject();
    void errorsStoreNothing_data();
    void errorsStoreNothing();
    void lockedDatabaseAnswers503WithRetryAfter();
    void idempotencyKeyAnswersTheFirstEvent();
    void healthzNeedsNoToken();
    void rotatedTokenReplacesTheOldOne();
    void inboxIsTheLocalInbox();
    void inboxHandlerAnswersAndItsDelayBlocksNoOne();
    void bodyOverTheLimitIs413();
    void headersOverTheLimitAre431();
    void slowHeadersAreClosed();
    void connectionsOverTheLimitAre503();
    void malformedRequestsDoNotUseUpConnections();
    void keepAliveCarriesManyRequests();
    void requestsOfOneTurnShareOneCommit();
    void fullDatabaseAnswers503ToTheWholeBatch();
    void healthzAnswers503WhenTheDatabaseDoesNotAnswer();

private:
    Answer send(const QByteArray &method, const QString &path, const QByteArray &body,
                const QList<QPair<QByteArray, QByteArray>> &headers = {}, bool withToken = true);
    QByteArray rawExchange(quint16 port, const QByteArray &request, int waitMs);
    // Each request on a connection of its own, all of them in the listener's
    // socket buffers before this thread's event loop (the in-process
    // listener's) runs again: they reach it in one turn. The answers, in order.
    QList<QByteArray> inOneTurn(quint16 port, const QList<QByteArray> &requests);
    // inOneTurn, with the listener's writer held until all of them are
    // queued: they are stored in one transaction.
    QList<QByteArray> inOneBatch(HttpListener *listener, const QList<QByteArray> &requests);
    QByteArray intakeRequest(const QByteArray &body, const QByteArray &extraHeaders = {}) const;
    qint64 count(const QString &table);
    QString stateOfEverything();
    QJsonObject labelStudioBody(const QString &action, qint64 projectId,
                                const QString &title) const;

    QTemporaryDir m_dir;
    QString m_path;
    std::unique_ptr<Database> m_db;
    std::unique_ptr<HookStore> m_hooks;
    std::unique_ptr<TestReceiver> m_receiver;
    std::unique_ptr<EngineHost> m_host;
    QNetworkAccessManager m_network;
    QString m_url;
    QString m_token;
    qint64 m_orgHook = 0;
    qint64 m_projectHook = 0;
    int m_run = 0;
};

namespace {
const QString OrgSecret = QStringLiteral("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
constexpr qint64 LabelStudioProject = 42;
} // namespace

void TestHttpListener::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_dir.isValid());
}

void TestHttpListener::init()
{
    m_path = TestDatabase::create(m_dir.path(), QStringLiteral("listener%1.sqlite").arg(++m_run));
    m_db = std::make_unique<Database>();
    QVERIFY(!m_db->open(m_path));
    m_hooks = std::make_unique<HookStore>(m_db.get());
    m_receiver = std::make_unique<TestReceiver>();
    QVERIFY(m_receiver->listen());

    // One organization-wide hook signed the standard way, one scoped to
    // Label Studio's project 42 and signed GitHub's way.
    QVERIFY(IntakeStore(m_db.get()).upsertProject(LabelStudioProject, QStringLiteral("Old title")));
    Webhook org;
    org.url = m_receiver->url(QStringLiteral("/ok"));
    org.secret = OrgSecret;
    org.signature = SignatureScheme::Standard;
    Result<Webhook> saved = m_hooks->saveHook(org);
    QVERIFY(saved);
    m_orgHook = saved->id;
    Webhook scoped;
    scoped.url = m_receiver->url(QStringLiteral("/ok"));
    scoped.projectId = LabelStudioProject;
    scoped.secret = QStringLiteral("It's a Secret to Everybody");
    scoped.signature = SignatureScheme::GitHub;
    saved = m_hooks->saveHook(scoped);
    QVERIFY(saved);
    m_projectHook = saved->id;

    Result<QString> token = ListenerSettingsStore(m_db.get()).token();
    QVERIFY(token);
    m_token = token.value();

    m_host = std::make_unique<EngineHost>(m_path);
    m_host->start();
    QString error;
    m_url = m_host->startListener(ListenerConfig{}, &error);
    QVERIFY2(!m_url.isEmpty(), qPrintable(error));
    QVERIFY(m_url.startsWith(QLatin1String("http://127.0.0.1:")));
}

void TestHttpListener::cleanup()
{
    m_host.reset();
    m_receiver.reset();
    m_hooks.reset();
    m_db.reset();
}

TestHttpListener::Answer TestHttpListener::send(const QByteArray &method, const QString &path,
                                                const QByteArray &body,
                                                const QList<QPair<QByteArray, QByteArray>> &headers,
                                                bool withToken)
{
    QNetworkRequest request(QUrl(m_url + path));
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    if (withToken)
        request.setRawHeader("Authorization", "Bearer " + m_token.toUtf8());
    for (const auto &[name, value] : headers)
        request.setRawHeader(name, value);
    QNetworkReply *reply = m_network.sendCustomRequest(request, method, body);
    QSignalSpy finished(reply, &QNetworkReply::finished);
    Answer answer;
    if (!finished.wait(15000))
        return answer;
    answer.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    answer.body = reply->readAll();
    answer.json = QJsonDocument::fromJson(answer.body).object();
    answer.headers = reply->rawHeaderPairs();
    reply->deleteLater();
    return answer;
}

QByteArray TestHttpListener::rawExchange(quint16 port, const QByteArray &request, int waitMs)
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    if (!socket.waitForConnected(5000))
        return {};
    socket.write(request);
    QByteArray answer;
    QElapsedTimer clock;
    clock.start();
    while (clock.elapsed() < waitMs && socket.state() == QAbstractSocket::ConnectedState) {
        QTest::qWait(10);
        answer += socket.readAll();
    }
    answer += socket.readAll();
    return answer;
}

QList<QByteArray> TestHttpListener::inOneTurn(quint16 port, const QList<QByteArray> &requests)
{
    std::vector<std::unique_ptr<QTcpSocket>> sockets;
    for (qsizetype i = 0; i < requests.size(); ++i) {
        auto socket = std::make_unique<QTcpSocket>();
        socket->connectToHost(QHostAddress::LocalHost, port);
        if (!socket->waitForConnected(5000))
            return {};
        sockets.push_back(std::move(socket));
        // The listener accepts it (its event loop is this one); nothing is sent yet.
        QTest::qWait(20);
    }
    for (std::size_t i = 0; i < sockets.size(); ++i) {
        sockets[i]->write(requests.at(qsizetype(i)));
        if (!sockets[i]->waitForBytesWritten(5000))
            return {};
    }
    QThread::msleep(100); // the bytes reach the listener's side; its loop does not run meanwhile
    QList<QByteArray> answers(qsizetype(sockets.size()));
    QElapsedTimer clock;
    clock.start();
    for (std::size_t i = 0; i < sockets.size(); ++i) {
        QByteArray &answer = answers[qsizetype(i)];
        while (clock.elapsed() < 15000 && sockets[i]->state() == QAbstractSocket::ConnectedState) {
            QTest::qWait(10);
            answer += sockets[i]->readAll();
        }
        answer += sockets[i]->readAll();
    }
    return answers;
}

QList<QByteArray> TestHttpListener::inOneBatch(HttpListener *listener,
                                               const QList<QByteArray> &requests)
{
    QSemaphore inside;
    QSemaphore hold;
    std::thread holder([&] {
        listener->withIntakeConnection([&](Database *) {
            inside.release();
            hold.acquire();
        });
    });
    inside.acquire();
    // inOneTurn's requests are queued in the first turn of this loop after
    // they are sent, long before this.
    QTimer::singleShot(300, [&hold] { hold.release(); });
    const QList<QByteArray> answers = inOneTurn(listener->port(), requests);
    holder.join();
    return answers;
}

QByteArray TestHttpListener::intakeRequest(const QByteArray &body,
                                           const QByteArray &extraHeaders) const
{
    return "POST /intake/label-studio HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
           "Authorization: Bearer " +
           m_token.toUtf8() + "\r\n" + extraHeaders +
           "Content-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body;
}

qint64 TestHttpListener::count(const QString &table)
{
    QSqlQuery query(m_db->connection());
    if (!query.exec(QStringLiteral("SELECT count(*) FROM ") + table) || !query.next())
        return -1;
    return query.value(0).toLongLong();
}

QString TestHttpListener::stateOfEverything()
{
    QSqlQuery query(m_db->connection());
    (void)query.exec(QStringLiteral("SELECT id || ':' || title FROM projects ORDER BY id"));
    QStringList projects;
    while (query.next())
        projects.append(query.value(0).toString());
    return QStringLiteral("events %1 deliveries %2 attempts %3 keys %4 projects %5")
        .arg(count(QStringLiteral("events")))
        .arg(count(QStringLiteral("deliveries")))
        .arg(count(QStringLiteral("attempts")))
        .arg(count(QStringLiteral("intake_keys")))
        .arg(projects.join(QLatin1Char(',')));
}

// A body the way Label Studio's webhooks send it: the action, the project,
// and the event's payload key (plus its extra keys).
QJsonObject TestHttpListener::labelStudioBody(const QString &action, qint64 projectId,
                                              const QString &title) const
{
    const EventCatalog catalog{QList<EventType>()}; // the built-ins, also before init()
    QJsonObject body = catalog.samplePayload(action);
    QJsonObject project{{QStringLiteral("id"), projectId},
                        {QStringLiteral("title"), title},
                        {QStringLiteral("label_config"), QStringLiteral("<View></View>")},
                        {QStringLiteral("organization"), 1},
                        {QStringLiteral("task_number"), 12},
                        {QStringLiteral("finished_task_number"), 3}};
    if (action == QLatin1String("PROJECT_DELETED"))
        project = QJsonObject{{QStringLiteral("id"), projectId}};
    body.insert(QStringLiteral("project"), project);
    body.insert(QStringLiteral("action"), action);
    return body;
}

void TestHttpListener::labelStudioBodiesArriveAsSent_data()
{
    QTest::addColumn<QString>("action");
    QTest::addColumn<int>("deliveries");
    // Organization-only events reach only the organization-wide hook.
    for (const char *action :
         {"PROJECT_CREATED", "PROJECT_UPDATED", "PROJECT_DELETED", "TASKS_CREATED", "TASKS_DELETED",
          "ANNOTATION_CREATED", "ANNOTATIONS_CREATED", "ANNOTATION_UPDATED", "ANNOTATIONS_DELETED",
          "LABEL_LINK_CREATED", "LABEL_LINK_UPDATED", "LABEL_LINK_DELETED"}) {
        const bool orgOnly =
            QByteArray(action) == "PROJECT_CREATED" || QByteArray(action) == "PROJECT_DELETED";
        QTest::newRow(action) << QString::fromLatin1(action) << (orgOnly ? 1 : 2);
    }
}

void TestHttpListener::labelStudioBodiesArriveAsSent()
{
    QFETCH(QString, action);
    QFETCH(int, deliveries);
    const QJsonObject sent = labelStudioBody(action, LabelStudioProject, QStringLiteral("Cats"));
    const Answer answer = send("POST", QStringLiteral("/intake/label-studio"),
                               QJsonDocument(sent).toJson(QJsonDocument::Compact));
    QVERIFY2(answer.status == 202, answer.body.constData());
    QVERIFY(answer.json.value(QLatin1String("event")).toInteger() > 0);
    QCOMPARE(answer.json.value(QLatin1String("deliveries")).toInt(), deliveries);
    // 202 means committed: the rows are there before anything is sent.
    QCOMPARE(count(QStringLiteral("events")), 1);
    QCOMPARE(count(QStringLiteral("deliveries")), deliveries);

    QTRY_COMPARE_WITH_TIMEOUT(m_receiver->requests().size(), deliveries, 10000);
    for (const TestReceiver::Request &request : m_receiver->requests()) {
        const QJsonObject arrived = QJsonDocument::fromJson(request.body).object();
        QCOMPARE(arrived, sent); // keys and values equal, order free
        const QByteArray id = request.headers.value("webhook-id");
        const QByteArray timestamp = request.headers.value("webhook-timestamp");
        if (request.headers.contains("x-hub-signature-256")) {
            QCOMPARE(request.headers.value("x-hub-signature-256"),
                     Signature::github(QStringLiteral("It's a Secret to Everybody"), request.body)
                         .toUtf8());
        } else {
            QCOMPARE(request.headers.value("webhook-signature"),
                     Signature::standard(OrgSecret, QString::fromUtf8(id), timestamp.toLongLong(),
                                         request.body)
                         .toUtf8());
        }
    }
    if (deliveries == 2) {
        // Label Studio's title wins over the one stored before.
        QSqlQuery query(m_db->connection());
        QVERIFY(query.exec(QStringLiteral("SELECT title FROM projects WHERE id = 42")));
        QVERIFY(query.next());
        QCOMPARE(query.value(0).toString(), QStringLiteral("Cats"));
    }
}

void TestHttpListener::unknownProjectIsCreatedWithLabelStudiosIdAndTitle()
{
    const QJsonObject sent =
        labelStudioBody(QStringLiteral("ANNOTATION_CREATED"), 77, QStringLiteral("Street scenes"));
    const Answer answer = send("POST", QStringLiteral("/intake/label-studio"),
                               QJsonDocument(sent).toJson(QJsonDocument::Compact));
    QVERIFY2(answer.status == 202, answer.body.constData());
    QCOMPARE(answer.json.value(QLatin1String("deliveries")).toInt(),
             1); // project 42's hook stays out
    Result<QList<Project>> projects = m_hooks->projects();
    QVERIFY(projects);
    bool found = false;
    for (const Project &p : projects.value())
        found = found || (p.id == 77 && p.title == QLatin1String("Street scenes"));
    QVERIFY(found);
    QTRY_COMPARE_WITH_TIMEOUT(m_receiver->requests().size(), 1, 10000);
    QCOMPARE(QJsonDocument::fromJson(m_receiver->requests().first().body).object(), sent);
}

void TestHttpListener::eventsEndpointTakesThePayloadAndProject()
{
    const QJsonObject payload = m_hooks->catalog().samplePayload(QStringLiteral("TASKS_CREATED"));
    const Answer answer = send("POST", QStringLiteral("/intake/events/TASKS_CREATED?project=42"),
                               QJsonDocument(payload).toJson());
    QVERIFY2(answer.status == 202, answer.body.constData());
    QCOMPARE(answer.json.value(QLatin1String("deliveries")).toInt(), 2);
    QTRY_COMPARE_WITH_TIMEOUT(m_receiver->requests().size(), 2, 10000);
    const QJsonObject arrived =
        QJsonDocument::fromJson(m_receiver->requests().first().body).object();
    QCOMPARE(arrived.value(QLatin1String("action")).toString(), QStringLiteral("TASKS_CREATED"));
    QCOMPARE(arrived.value(QLatin1String("tasks")), payload.value(QLatin1String("tasks")));
    QCOMPARE(arrived.value(QLatin1String("project")).toObject().value(QLatin1String("id")).toInt(),
             42);
}

void TestHttpListener::errorsStoreNothing_data()
{
    QTest::addColumn<QByteArray>("method");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QByteArray>("body");
    QTest::addColumn<QByteArray>("authorization"); // "-": none
    QTest::addColumn<int>("status");
    QTest::addColumn<QString>("says");

    const QByteArray good =
        QJsonDocument(labelStudioBody(QStringLiteral("TASKS_CREATED"), 900, QStringLiteral("New")))
            .toJson(QJsonDocument::Compact);
    const QString ls = QStringLiteral("/intake/label-studio");
    QTest::newRow("400 not JSON") << QByteArray("POST") << ls << QByteArray("{\"action\": ")
                                  << QByteArray() << 400 << QStringLiteral("not JSON");
    QTest::newRow("400 not an object") << QByteArray("POST") << ls << QByteArray("[1, 2]")
                                       << QByteArray() << 400 << QStringLiteral("JSON object");
    QTest::newRow("400 no action")
        << QByteArray("POST") << ls << QByteArray("{\"project\": {\"id\": 900}, \"tasks\": []}")
        << QByteArray() << 400 << QStringLiteral("\"action\"");
    QTest::newRow("400 project id not a number")
        << QByteArray("POST") << ls
        << QByteArray(
               "{\"action\": \"TASKS_CREATED\", \"project\": {\"id\": \"x\"}, \"tasks\": []}")
        << QByteArray() << 400 << QStringLiteral("project.id");
    QTest::newRow("401 no token") << QByteArray("POST") << ls << good << QByteArray("-") << 401
                                  << QStringLiteral("Authorization: Bearer");
    QTest::newRow("401 wrong token")
        << QByteArray("POST") << ls << good << QByteArray("Bearer whi_wrong") << 401
        << QStringLiteral("intake token");
    QTest::newRow("401 basic scheme")
        << QByteArray("POST") << ls << good << QByteArray("Basic dXNlcjpwYXNz") << 401
        << QStringLiteral("Bearer");
    QTest::newRow("404 unknown path")
        << QByteArray("POST") << QStringLiteral("/intake/nope") << good << QByteArray() << 404
        << QStringLiteral("/intake/nope");
    QTest::newRow("405 GET on the intake") << QByteArray("GET") << ls << QByteArray()
                                           << QByteArray() << 405 << QStringLiteral("use POST");
    QTest::newRow("405 POST on healthz") << QByteArray("POST") << QStringLiteral("/healthz") << good
                                         << QByteArray() << 405 << QStringLiteral("use GET");
    QTest::newRow("422 unknown event type")
        << QByteArray("POST") << ls
        << QByteArray("{\"action\": \"MODEL_TRAINED\", \"project\": {\"id\": 900, \"title\": "
                      "\"New\"}}")
        << QByteArray() << 422 << QStringLiteral("MODEL_TRAINED; `webhook-admin events add`");
    QTest::newRow("422 payload without its key")
        << QByteArray("POST") << ls
        << QByteArray("{\"action\": \"TASKS_CREATED\", \"project\": {\"id\": 900}}") << QByteArray()
        << 422 << QStringLiteral("\"tasks\"");
    QTest::newRow("422 organization-only event with a project")
        << QByteArray("POST") << QStringLiteral("/intake/events/PROJECT_CREATED?project=42")
        << QByteArray("{\"project\": {\"id\": 5, \"title\": \"P\"}}") << QByteArray() << 422
        << QStringLiteral("organization-only");
    QTest::newRow("422 unknown project on the events endpoint")
        << QByteArray("POST") << QStringLiteral("/intake/events/TASKS_CREATED?project=999")
        << QByteArray("{\"tasks\": []}") << QByteArray() << 422 << QStringLiteral("999");
    QTest::newRow("400 project in the query not a number")
        << QByteArray("POST") << QStringLiteral("/intake/events/TASKS_CREATED?project=abc")
        << QByteArray("{\"tasks\": []}") << QByteArray() << 400 << QStringLiteral("project id");
}

void TestHttpListener::errorsStoreNothing()
{
    QFETCH(QByteArray, method);
    QFETCH(QString, path);
    QFETCH(QByteArray, body);
    QFETCH(QByteArray, authorization);
    QFETCH(int, status);
    QFETCH(QString, says);
    const QString before = stateOfEverything();
    QList<QPair<QByteArray, QByteArray>> headers{{"Idempotency-Key", "error-row"}};
    if (!authorization.isEmpty() && authorization != "-")
        headers.append(qMakePair(QByteArray("Authorization"), authorization));
    const Answer answer = send(method, path, body, headers, authorization.isEmpty());
    QCOMPARE(answer.status, status);
    QCOMPARE(answer.json.keys(), QStringList{QStringLiteral("error")});
    const QString message = answer.json.value(QLatin1String("error")).toString();
    QVERIFY2(message.contains(says), qPrintable(message));
    QVERIFY2(!message.contains(QLatin1Char('\n')), qPrintable(message));
    if (status == 401)
        QCOMPARE(answer.header("WWW-Authenticate"), QByteArray("Bearer"));
    if (status == 405)
        QVERIFY(!answer.header("Allow").isEmpty());
    QCOMPARE(stateOfEverything(), before);
    QTest::qWait(50);
    QCOMPARE(m_receiver->requests().size(), 0);
}

void TestHttpListener::lockedDatabaseAnswers503WithRetryAfter()
{
    const QString before = stateOfEverything();
    // Another connection holds the write lock past the listener's busy timeout.
    Database holder;
    QVERIFY(!holder.open(m_path));
    QSqlQuery lock(holder.connection());
    if (TestDatabase::onServer()) {
        QVERIFY(lock.exec(QStringLiteral("BEGIN")));
        QVERIFY(lock.exec(QStringLiteral("LOCK TABLE events, projects IN EXCLUSIVE MODE")));
    } else {
        QVERIFY(lock.exec(QStringLiteral("BEGIN IMMEDIATE")));
    }
    const QByteArray body =
        QJsonDocument(labelStudioBody(QStringLiteral("TASKS_CREATED"), 42, QStringLiteral("Cats")))
            .toJson(QJsonDocument::Compact);
    const Answer answer = send("POST", QStringLiteral("/intake/label-studio"), body);
    QVERIFY(lock.exec(QStringLiteral("ROLLBACK")));
    QVERIFY2(answer.status == 503, answer.body.constData());
    QCOMPARE(answer.header("Retry-After"), QByteArray("5"));
    QCOMPARE(answer.json.keys(), QStringList{QStringLiteral("error")});
    QCOMPARE(stateOfEverything(), before);
}

void TestHttpListener::idempotencyKeyAnswersTheFirstEvent()
{
    const QByteArray body =
        QJsonDocument(labelStudioBody(QStringLiteral("TASKS_CREATED"), 42, QStringLiteral("Cats")))
            .toJson(QJsonDocument::Compact);
    const Answer first =
        send("POST", QStringLiteral("/intake/label-studio"), body, {{"Idempotency-Key", "k-1"}});
    QCOMPARE(first.status, 202);
    const Answer again =
        send("POST", QStringLiteral("/intake/label-studio"), body, {{"Idempotency-Key", "k-1"}});
    QCOMPARE(again.status, 200);
    QCOMPARE(again.json.value(QLatin1String("event")), first.json.value(QLatin1String("event")));
    QCOMPARE(count(QStringLiteral("events")), 1);
    QCOMPARE(count(QStringLiteral("deliveries")), 2);

    // webhook-id serves as the key when Idempotency-Key is absent.
    const Answer byId =
        send("POST", QStringLiteral("/intake/label-studio"), body, {{"webhook-id", "msg_abc"}});
    QCOMPARE(byId.status, 202);
    const Answer byIdAgain =
        send("POST", QStringLiteral("/intake/label-studio"), body, {{"webhook-id", "msg_abc"}});
    QCOMPARE(byIdAgain.status, 200);
    QCOMPARE(byIdAgain.json.value(QLatin1String("event")), byId.json.value(QLatin1String("event")));
    // Without a key every request is an event of its own.
    QCOMPARE(send("POST", QStringLiteral("/intake/label-studio"), body).status, 202);
    QCOMPARE(send("POST", QStringLiteral("/intake/label-studio"), body).status, 202);
    QCOMPARE(count(QStringLiteral("events")), 4);

    // A key older than 24 hours is forgotten.
    QSqlQuery age(m_db->connection());
    QVERIFY(age.exec(QStringLiteral("UPDATE intake_keys SET created_at = created_at - %1")
                         .arg(IntakeStore::KeyLifetimeSecs * 1000 + 1000)));
    QCOMPARE(
        send("POST", QStringLiteral("/intake/label-studio"), body, {{"Idempotency-Key", "k-1"}})
            .status,
        202);
    QCOMPARE(count(QStringLiteral("events")), 5);
}

void TestHttpListener::healthzNeedsNoToken()
{
    const Answer answer = send("GET", QStringLiteral("/healthz"), {}, {}, false);
    QCOMPARE(answer.status, 200);
    QCOMPARE(answer.json, QJsonObject({{QStringLiteral("status"), QStringLiteral("ok")}}));
}

void TestHttpListener::rotatedTokenReplacesTheOldOne()
{
    const QByteArray body =
        QJsonDocument(labelStudioBody(QStringLiteral("TASKS_CREATED"), 42, QStringLiteral("Cats")))
            .toJson(QJsonDocument::Compact);
    QCOMPARE(send("POST", QStringLiteral("/intake/label-studio"), body).status, 202);
    const QString old = m_token;
    Result<QString> rotated = ListenerSettingsStore(m_db.get()).rotateToken();
    QVERIFY(rotated);
    QVERIFY(rotated.value() != old);
    QCOMPARE(send("POST", QStringLiteral("/intake/label-studio"), body).status, 401);
    m_token = rotated.value();
    QCOMPARE(send("POST", QStringLiteral("/intake/label-studio"), body).status, 202);
    QVERIFY(ListenerSettingsStore::authorizationMatches("bearer " + m_token.toUtf8(), m_token));
    QVERIFY(!ListenerSettingsStore::authorizationMatches("Bearer " + old.toUtf8(), m_token));
    QVERIFY(!ListenerSettingsStore::authorizationMatches("Bearer ", QString()));
}

void TestHttpListener::inboxIsTheLocalInbox()
{
    // The host routes POST /inbox/NAME to the local inbox, without the token.
    const Answer answer = send("POST", QStringLiteral("/inbox/ci"), R"({"n": 1})", {}, false);
    QCOMPARE(answer.status, 200);
    QCOMPARE(answer.json.value(QLatin1String("ok")).toBool(), true);
    Result<QList<InboxRequest>> stored =
        InboxStore(m_db.get()).requests(QStringLiteral("ci"), 0, 10, true);
    QVERIFY(stored);
    QCOMPARE(stored->size(), 1);
    QCOMPARE(stored->first().body, QByteArray(R"({"n": 1})"));
    QCOMPARE(stored->first().verdict, InboxVerdict::Unsigned);
}

void TestHttpListener::inboxHandlerAnswersAndItsDelayBlocksNoOne()
{
    m_host->setInboxHandler([](const ListenerRequest &request) {
        ListenerReply reply;
        reply.status = request.path == QLatin1String("/inbox/slow") ? 503 : 200;
        reply.delayMs = request.path == QLatin1String("/inbox/slow") ? 1500 : 0;
        reply.body =
            QJsonDocument(QJsonObject{{QStringLiteral("path"), request.path},
                                      {QStringLiteral("method"), request.method},
                                      {QStringLiteral("size"), request.fullSize},
                                      {QStringLiteral("body"), QString::fromUtf8(request.body)}})
                .toJson(QJsonDocument::Compact);
        reply.headers.append(qMakePair(QByteArray("X-Inbox"), QByteArray("yes")));
        return reply;
    });
    QTest::qWait(50); // the handler travels to the listener's thread

    QNetworkRequest slowRequest(QUrl(m_url + QStringLiteral("/inbox/slow")));
    slowRequest.setHeader(QNetworkRequest::ContentTypeHeader,
                          QByteArrayLiteral("application/json"));
    QElapsedTimer clock;
    clock.start();
    QNetworkReply *slow = m_network.post(slowRequest, QByteArray("{\"a\":1}"));
    QTest::qWait(100);
    const Answer quick = send("POST", QStringLiteral("/inbox/ci"), "hello", {}, false);
    QVERIFY2(clock.elapsed() < 1200, "the delayed answer held up another request");
    QCOMPARE(quick.status, 200);
    QCOMPARE(quick.header("X-Inbox"), QByteArray("yes"));
    QCOMPARE(quick.json.value(QLatin1String("body")).toString(), QStringLiteral("hello"));
    QCOMPARE(quick.json.value(QLatin1String("method")).toString(), QStringLiteral("POST"));
    QCOMPARE(quick.json.value(QLatin1String("size")).toInt(), 5);
    QSignalSpy finished(slow, &QNetworkReply::finished);
    QVERIFY(finished.wait(5000));
    QVERIFY(clock.elapsed() >= 1400);
    QCOMPARE(slow->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), 503);
    slow->deleteLater();
    QCOMPARE(count(QStringLiteral("events")), 0);
}

void TestHttpListener::bodyOverTheLimitIs413()
{
    ListenerConfig config;
    config.bodyLimit = 4096;
    HttpListener listener(m_db.get(), config);
    QVERIFY(listener.open().isEmpty());
    const QString before = stateOfEverything();
    const QByteArray request =
        "POST /intake/label-studio HTTP/1.1\r\nHost: x\r\nAuthorization: "
        "Bearer " +
        m_token.toUtf8() + "\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n" +
        QByteArray(5000, ' ');
    const QByteArray answer = rawExchange(listener.port(), request, 3000);
    QVERIFY2(answer.startsWith("HTTP/1.1 413 "), answer.constData());
    QVERIFY(answer.contains("\"error\""));
    QVERIFY(answer.contains("4096"));
    QCOMPARE(stateOfEverything(), before);

    // At the limit it is read (and judged on its content).
    const QByteArray atLimit = "POST /intake/label-studio HTTP/1.1\r\nHost: x\r\nAuthorization: "
                               "Bearer " +
                               m_token.toUtf8() +
                               "\r\nConnection: close\r\nContent-Length: 4096\r\n\r\n" +
                               QByteArray(4096, ' ');
    QVERIFY(rawExchange(listener.port(), atLimit, 3000).startsWith("HTTP/1.1 400 "));
}

void TestHttpListener::headersOverTheLimitAre431()
{
    HttpListener listener(m_db.get(), ListenerConfig{});
    QVERIFY(listener.open().isEmpty());
    const QByteArray request =
        "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + QByteArray(70 * 1024, 'a') + "\r\n\r\n";
    const QByteArray answer = rawExchange(listener.port(), request, 3000);
    QVERIFY2(answer.startsWith("HTTP/1.1 431 "), answer.left(200).constData());
    // Just under the limit is fine.
    const QByteArray fits = "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Big: " +
                            QByteArray(60 * 1024, 'a') + "\r\n\r\n";
    QVERIFY(rawExchange(listener.port(), fits, 3000).startsWith("HTTP/1.1 200 "));
}

void TestHttpListener::slowHeadersAreClosed()
{
    ListenerConfig config;
    config.headerTimeoutMs = 500;
    HttpListener listener(m_db.get(), config);
    QVERIFY(listener.open().isEmpty());
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, listener.port());
    QVERIFY(socket.waitForConnected(5000));
    QElapsedTimer clock;
    clock.start();
    socket.write("POST /intake/label-studio HTTP/1.1\r\nHost: x\r\n");
    QTRY_VERIFY_WITH_TIMEOUT(socket.state() == QAbstractSocket::UnconnectedState, 5000);
    QVERIFY(clock.elapsed() >= 450);
    QVERIFY(socket.readAll().startsWith("HTTP/1.1 408 "));
    QCOMPARE(listener.openConnections(), 0);

    // An idle keep-alive connection is closed after the same time.
    QTcpSocket idle;
    idle.connectToHost(QHostAddress::LocalHost, listener.port());
    QVERIFY(idle.waitForConnected(5000));
    idle.write("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
    QTRY_VERIFY_WITH_TIMEOUT(idle.bytesAvailable() > 0, 5000);
    QVERIFY(idle.readAll().startsWith("HTTP/1.1 200 "));
    QTRY_VERIFY_WITH_TIMEOUT(idle.state() == QAbstractSocket::UnconnectedState, 5000);
}

void TestHttpListener::connectionsOverTheLimitAre503()
{
    ListenerConfig config;
    config.maxConnections = 2;
    HttpListener listener(m_db.get(), config);
    QVERIFY(listener.open().isEmpty());
    QTcpSocket a;
    QTcpSocket b;
    for (QTcpSocket *s : {&a, &b}) {
        s->connectToHost(QHostAddress::LocalHost, listener.port());
        QVERIFY(s->waitForConnected(5000));
    }
    QTRY_COMPARE_WITH_TIMEOUT(listener.openConnections(), 2, 5000);
    const QByteArray third = rawExchange(listener.port(), "GET /healthz HTTP/1.1\r\n\r\n", 2000);
    QVERIFY2(third.startsWith("HTTP/1.1 503 "), third.constData());
    QVERIFY(third.contains("Retry-After: 1"));
    a.disconnectFromHost();
    QTRY_COMPARE_WITH_TIMEOUT(listener.openConnections(), 1, 5000);
    QVERIFY(rawExchange(listener.port(), "GET /healthz HTTP/1.1\r\nConnection: close\r\n\r\n", 2000)
                .startsWith("HTTP/1.1 200 "));
}

void TestHttpListener::malformedRequestsDoNotUseUpConnections()
{
    // A request Qt's parser refuses closes the connection and gives its
    // slot back, again and again.
    ListenerConfig config;
    config.maxConnections = 1;
    config.headerTimeoutMs = 300;
    HttpListener listener(m_db.get(), config);
    QVERIFY(listener.open().isEmpty());
    for (int i = 0; i < 3; ++i) {
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, listener.port());
        QVERIFY(socket.waitForConnected(5000));
        socket.write("NOT HTTP AT ALL\r\n\r\n");
        QTRY_VERIFY_WITH_TIMEOUT(socket.state() == QAbstractSocket::UnconnectedState, 5000);
        QTRY_COMPARE_WITH_TIMEOUT(listener.openConnections(), 0, 5000);
    }
    QVERIFY(rawExchange(listener.port(), "GET /healthz HTTP/1.1\r\nConnection: close\r\n\r\n", 2000)
                .startsWith("HTTP/1.1 200 "));
}

void TestHttpListener::keepAliveCarriesManyRequests()
{
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, QUrl(m_url).port());
    QVERIFY(socket.waitForConnected(5000));
    const QByteArray body =
        QJsonDocument(labelStudioBody(QStringLiteral("TASKS_CREATED"), 42, QStringLiteral("Cats")))
            .toJson(QJsonDocument::Compact);
    for (int i = 0; i < 5; ++i) {
        socket.write("POST /intake/label-studio HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                     m_token.toUtf8() + "\r\nContent-Length: " + QByteArray::number(body.size()) +
                     "\r\n\r\n" + body);
        QByteArray answer;
        QTRY_VERIFY_WITH_TIMEOUT((answer += socket.readAll()).contains("\"deliveries\":2,"), 5000);
        QVERIFY2(answer.startsWith("HTTP/1.1 202 Accepted\r\n"), answer.constData());
    }
    QCOMPARE(socket.state(), QAbstractSocket::ConnectedState);
    QCOMPARE(count(QStringLiteral("events")), 5);
}

void TestHttpListener::requestsOfOneTurnShareOneCommit()
{
    m_host.reset(); // the in-process listener below is the only writer
    HttpListener listener(m_db.get(), ListenerConfig{});
    QVERIFY(listener.open().isEmpty());
    QSignalSpy accepted(&listener, &HttpListener::eventAccepted);
    const QByteArray body =
        QJsonDocument(labelStudioBody(QStringLiteral("TASKS_CREATED"), 42, QStringLiteral("Cats")))
            .toJson(QJsonDocument::Compact);
    const QByteArray key = "Idempotency-Key: same-turn\r\n";
    // The second repeats the first's key inside the same transaction, before
    // either is committed: it answers the first's event and stores nothing.
    const QList<QByteArray> answers =
        inOneTurn(listener.port(), {intakeRequest(body, key), intakeRequest(body, key),
                                    intakeRequest(body), intakeRequest(body)});
    QCOMPARE(answers.size(), 4);
    QList<qint64> events;
    for (const QByteArray &answer : answers) {
        const qsizetype at = answer.indexOf("\r\n\r\n");
        QVERIFY2(at > 0, answer.constData());
        events.append(QJsonDocument::fromJson(answer.mid(at + 4))
                          .object()
                          .value(QLatin1String("event"))
                          .toInteger());
    }
    QVERIFY2(answers.at(0).startsWith("HTTP/1.1 202 "), answers.at(0).constData());
    QVERIFY2(answers.at(1).startsWith("HTTP/1.1 200 "), answers.at(1).constData());
    QVERIFY(answers.at(1).contains("\"duplicate\":true"));
    QCOMPARE(events.at(1), events.at(0));
    QVERIFY2(answers.at(2).startsWith("HTTP/1.1 202 "), answers.at(2).constData());
    QVERIFY2(answers.at(3).startsWith("HTTP/1.1 202 "), answers.at(3).constData());
    QCOMPARE(QSet<qint64>(events.begin(), events.end()).size(), 3);
    QCOMPARE(count(QStringLiteral("events")), 3);
    QCOMPARE(count(QStringLiteral("deliveries")), 6);
    QCOMPARE(count(QStringLiteral("intake_keys")), 1);
    QCOMPARE(accepted.size(), 3); // a 202 each, after the commit
}

void TestHttpListener::fullDatabaseAnswers503ToTheWholeBatch()
{
    if (TestDatabase::onServer())
        QSKIP("a full disk is played with SQLite's max_page_count; a server's disk is not "
              "filled here");
    m_host.reset(); // the in-process listener below is the only writer
    HttpListener listener(m_db.get(), ListenerConfig{});
    QVERIFY(listener.open().isEmpty());
    const QByteArray small =
        QJsonDocument(labelStudioBody(QStringLiteral("TASKS_CREATED"), 42, QStringLiteral("Cats")))
            .toJson(QJsonDocument::Compact);
    QJsonArray tasks;
    for (int i = 0; i < 110; ++i)
        tasks.append(
            QJsonObject{{QStringLiteral("id"), i},
                        {QStringLiteral("data"),
                         QJsonObject{{QStringLiteral("text"), QString(500, QLatin1Char('t'))}}}});
    QJsonObject bigBody =
        labelStudioBody(QStringLiteral("TASKS_CREATED"), 42, QStringLiteral("Cats"));
    bigBody.insert(QStringLiteral("tasks"), tasks);
    const QByteArray big = QJsonDocument(bigBody).toJson(QJsonDocument::Compact);
    QVERIFY(big.size() > 50000); // stored once per hook: far more than the room left

    // A disk with room for a few pages more, as SQLite's max_page_count on
    // the listener's connection (the file cannot grow past it).
    constexpr int RoomPages = 16;
    QSqlQuery query(m_db->connection());
    QVERIFY(query.exec(QStringLiteral("PRAGMA wal_checkpoint(TRUNCATE)")));
    QVERIFY(query.exec(QStringLiteral("PRAGMA freelist_count")) && query.next());
    QCOMPARE(query.value(0).toInt(), 0);
    QVERIFY(query.exec(QStringLiteral("PRAGMA page_count")) && query.next());
    const int pages = query.value(0).toInt();
    // The limit is the connection's own: set on the one the intake stores through.
    bool limited = false;
    listener.withIntakeConnection([&](Database *intake) {
        QSqlQuery pragma(intake->connection());
        limited = pragma.exec(QStringLiteral("PRAGMA max_page_count = %1").arg(pages + RoomPages));
    });
    QVERIFY(limited);
    const QString before = stateOfEverything();

    // The big request fills the disk; the small ones beside it in the same
    // transaction are refused with it, though each would fit alone.
    const QList<QByteArray> answers =
        inOneBatch(&listener, {intakeRequest(small), intakeRequest(big), intakeRequest(small)});
    QCOMPARE(answers.size(), 3);
    for (const QByteArray &answer : answers) {
        QVERIFY2(answer.startsWith("HTTP/1.1 503 "), answer.left(300).constData());
        QVERIFY2(answer.contains("\r\nRetry-After: 5\r\n"), answer.constData());
        const QJsonObject json =
            QJsonDocument::fromJson(answer.mid(answer.indexOf("\r\n\r\n") + 4)).object();
        QCOMPARE(json.keys(), QStringList{QStringLiteral("error")});
        const QString message = json.value(QLatin1String("error")).toString();
        QVERIFY2(message.contains(QLatin1String("full")), qPrintable(message));
        QVERIFY2(message.contains(QLatin1String("nothing was changed")), qPrintable(message));
    }
    QCOMPARE(stateOfEverything(), before);
    QVERIFY(query.exec(QStringLiteral("PRAGMA page_count")) && query.next());
    QVERIFY(query.value(0).toInt() <= pages + RoomPages);
    query.finish(); // its read would keep this connection on the snapshot before what follows

    // Alone, a small one fits: nothing of the refused batch was left behind.
    const QList<QByteArray> alone = inOneTurn(listener.port(), {intakeRequest(small)});
    QCOMPARE(alone.size(), 1);
    QVERIFY2(alone.first().startsWith("HTTP/1.1 202 "), alone.first().constData());
    QCOMPARE(count(QStringLiteral("events")), 1);
    QCOMPARE(count(QStringLiteral("deliveries")), 2);
}

void TestHttpListener::healthzAnswers503WhenTheDatabaseDoesNotAnswer()
{
    // Another connection holds the write lock past the busy timeout: the
    // listener could store nothing, and says so.
    Database holder;
    QVERIFY(!holder.open(m_path));
    QSqlQuery lock(holder.connection());
    if (TestDatabase::onServer()) {
        QVERIFY(lock.exec(QStringLiteral("BEGIN")));
        QVERIFY(lock.exec(QStringLiteral("LOCK TABLE intake_keys IN EXCLUSIVE MODE")));
    } else {
        QVERIFY(lock.exec(QStringLiteral("BEGIN IMMEDIATE")));
    }
    QElapsedTimer clock;
    clock.start();
    const Answer answer = send("GET", QStringLiteral("/healthz"), {}, {}, false);
    const qint64 waited = clock.elapsed();
    QVERIFY(lock.exec(QStringLiteral("ROLLBACK")));
    QVERIFY2(answer.status == 503, answer.body.constData());
    QCOMPARE(answer.header("Retry-After"), QByteArray("5"));
    QCOMPARE(answer.json.keys(), QStringList{QStringLiteral("error")});
    QVERIFY2(answer.json.value(QLatin1String("error")).toString().contains(QLatin1String("locked")),
             answer.body.constData());
    QVERIFY2(waited >= Database::BusyTimeoutMs - 500, QByteArray::number(waited).constData());
    // Once the lock is gone it is healthy again.
    QCOMPARE(send("GET", QStringLiteral("/healthz"), {}, {}, false).status, 200);
}

QTEST_GUILESS_MAIN(TestHttpListener)
#include "tst_http_listener.moc"
