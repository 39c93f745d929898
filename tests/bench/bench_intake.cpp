// B8: the intake. 8 concurrent keep-alive clients post Label Studio bodies
// to `webhook-admin serve --listen` (the whole process), each event fanned
// out to 2 hooks on bench_receiver; the same clients then post to a bare Qt
// HTTP Server (on a thread of this process) that answers 200 and stores
// nothing, and to the same server storing each body as one row before it
// answers (the floor of any intake that commits before its 202).
//   bench_intake --admin PATH/webhook-admin [--events 20000] [--clients 8] [--hooks 2]
// Reports accepted events/s, the ratio to the bare server, the p50/p99 time
// to the 202, and whether every accepted event was delivered to both hooks.

#include "bench_report.h"
#include "domain/event_catalog.h"
#include "receiver_process.h"
#include "store/database.h"
#include "store/hook_store.h"
#include "store/listener_settings_store.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QHttpServer>
#include <QHttpServerResponse>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QThread>
#include <QTimer>
#include <algorithm>
#include <cstdio>

namespace {

QString option(const QString &name, const QString &fallback = {})
{
    const QStringList args = QCoreApplication::arguments();
    const qsizetype at = args.indexOf(name);
    return at > 0 ? args.value(at + 1) : fallback;
}

struct Round
{
    qint64 accepted = 0;
    qint64 refused = 0;
    double seconds = 0;
    QList<double> latenciesMs;
};

// Posts `total` requests over `clients` keep-alive connections, each waiting
// for its answer before the next (what a webhook sender does).
Round postAll(quint16 port, const QByteArray &request, int total, int clients, int okStatus)
{
    Round round;
    int started = 0;
    int finished = 0;
    QEventLoop loop;
    QList<QTcpSocket *> sockets;
    QElapsedTimer clock;
    struct State
    {
        QByteArray buffer;
        QElapsedTimer sent;
    };
    QList<State> states(clients);
    const auto sendNext = [&](int i) {
        if (started >= total)
            return;
        ++started;
        states[i].sent.start();
        sockets[i]->write(request);
    };
    for (int i = 0; i < clients; ++i) {
        auto *socket = new QTcpSocket(&loop);
        sockets.append(socket);
        QObject::connect(socket, &QTcpSocket::readyRead, &loop, [&, i, socket] {
            State &s = states[i];
            s.buffer += socket->readAll();
            for (;;) {
                const qsizetype end = s.buffer.indexOf("\r\n\r\n");
                if (end < 0)
                    return;
                static const QRegularExpression length(QStringLiteral("content-length:\\s*(\\d+)"),
                                                       QRegularExpression::CaseInsensitiveOption);
                const QString head = QString::fromLatin1(s.buffer.left(end));
                const qint64 bodySize = length.match(head).captured(1).toLongLong();
                if (s.buffer.size() < end + 4 + bodySize)
                    return;
                const int status = s.buffer.mid(9, 3).toInt();
                s.buffer.remove(0, end + 4 + bodySize);
                round.latenciesMs.append(double(s.sent.nsecsElapsed()) / 1e6);
                (status == okStatus ? round.accepted : round.refused) += 1;
                if (++finished == total) {
                    loop.quit();
                    return;
                }
                sendNext(i);
            }
        });
        socket->connectToHost(QHostAddress::LocalHost, port);
        socket->waitForConnected(5000);
    }
    clock.start();
    for (int i = 0; i < clients; ++i)
        sendNext(i);
    QTimer::singleShot(300000, &loop, &QEventLoop::quit);
    loop.exec();
    round.seconds = double(clock.nsecsElapsed()) / 1e9;
    qDeleteAll(sockets);
    return round;
}

double percentile(QList<double> values, double p)
{
    if (values.isEmpty())
        return -1;
    std::sort(values.begin(), values.end());
    return values.at(std::min<qsizetype>(values.size() - 1, qsizetype(p * values.size())));
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QString admin = option(QStringLiteral("--admin"));
    const int total = option(QStringLiteral("--events"), QStringLiteral("20000")).toInt();
    const int clients = option(QStringLiteral("--clients"), QStringLiteral("8")).toInt();
    const int hookCount = option(QStringLiteral("--hooks"), QStringLiteral("2")).toInt();
    if (admin.isEmpty()) {
        std::fprintf(stderr, "usage: bench_intake --admin PATH [--events N] [--clients N]\n");
        return 1;
    }
    BenchReport::raiseFileLimit();
    ReceiverProcess receiver;
    if (!receiver.start())
        return 1;

    QTemporaryDir dir;
    QByteArray body;
    // A database with the hooks; returns the intake token (empty: failed).
    const auto makeDatabase = [&](const QString &path) -> QString {
        Database database;
        if (database.open(path))
            return {};
        HookStore hooks(&database);
        for (int i = 0; i < hookCount; ++i) {
            Webhook hook;
            hook.url = receiver.url(QStringLiteral("/ok")).toString();
            hook.secret = QStringLiteral("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
            hook.signature = SignatureScheme::Standard;
            if (!hooks.saveHook(hook))
                return {};
        }
        QJsonObject ls = hooks.catalog().samplePayload(QStringLiteral("ANNOTATION_CREATED"));
        ls.insert(QStringLiteral("action"), QStringLiteral("ANNOTATION_CREATED"));
        ls.insert(QStringLiteral("project"),
                  QJsonObject{{QStringLiteral("id"), 7},
                              {QStringLiteral("title"), QStringLiteral("Bench")}});
        body = QJsonDocument(ls).toJson(QJsonDocument::Compact);
        return ListenerSettingsStore(&database).token().value();
    };
    const auto requestWith = [&body](const QString &token) -> QByteArray {
        return "POST /intake/label-studio HTTP/1.1\r\nHost: 127.0.0.1\r\n"
               "Authorization: Bearer " +
               token.toUtf8() + "\r\nContent-Type: application/json\r\nContent-Length: " +
               QByteArray::number(body.size()) + "\r\n\r\n" + body;
    };
    // Starts `serve` (with `extra`) and returns its listener's port, 0 when it did not start.
    const auto startServe = [&admin](QProcess *serve, const QString &path,
                                     const QStringList &extra) -> quint16 {
        serve->setProcessChannelMode(QProcess::ForwardedErrorChannel);
        serve->start(admin,
                     QStringList{QStringLiteral("--db"), path, QStringLiteral("serve")} + extra);
        QString url;
        QByteArray seen;
        QElapsedTimer wait;
        wait.start();
        while (url.isEmpty() && wait.elapsed() < 20000 && serve->state() != QProcess::NotRunning) {
            serve->waitForReadyRead(200);
            seen += serve->readAllStandardOutput();
            const QRegularExpressionMatch m =
                QRegularExpression(QStringLiteral("listening on (http://\\S+)"))
                    .match(QString::fromUtf8(seen));
            if (m.hasMatch())
                url = m.captured(1);
        }
        // serve's per-attempt lines are not read from here on: drop them.
        QObject::connect(serve, &QProcess::readyReadStandardOutput, serve,
                         [serve] { serve->readAllStandardOutput(); });
        if (url.isEmpty() && !extra.isEmpty())
            BenchReport::note(QStringLiteral("serve %1 did not start: %2")
                                  .arg(extra.join(QLatin1Char(' ')), QString::fromUtf8(seen)));
        return url.isEmpty() ? 0 : quint16(QUrl(url).port());
    };
    // Waits until every accepted event reached every hook; returns how many did.
    const auto waitDelivered = [hookCount](const QString &path, qint64 accepted) -> qint64 {
        Database database;
        if (database.open(path))
            return -1;
        QElapsedTimer drain;
        drain.start();
        qint64 delivered = 0;
        while (drain.elapsed() < 300000) {
            QSqlQuery query(database.connection());
            if (query.exec(
                    QStringLiteral("SELECT count(*) FROM attempts WHERE outcome = 'succeeded'")) &&
                query.next())
                delivered = query.value(0).toLongLong();
            if (delivered >= hookCount * accepted)
                break;
            QThread::msleep(100);
        }
        return delivered;
    };
    const auto stop = [](QProcess *serve) {
        serve->terminate();
        serve->waitForFinished(15000);
    };

    const QString path = dir.filePath(QStringLiteral("intake.sqlite"));
    const QString token = makeDatabase(path);
    if (token.isEmpty())
        return 1;
    const QByteArray request = requestWith(token);

    // The bare server: Qt HTTP Server answering 200, storing nothing.
    QThread bareThread;
    auto *bare = new QHttpServer;
    bare->route(QStringLiteral("/intake/label-studio"), [](const QHttpServerRequest &) {
        return QHttpServerResponse(QByteArrayLiteral("application/json"),
                                   QByteArrayLiteral("{\"event\":0,\"deliveries\":0}"));
    });
    const quint16 barePort = bare->listen(QHostAddress::LocalHost, 0);
    bare->moveToThread(&bareThread);
    QObject::connect(&bareThread, &QThread::finished, bare, &QObject::deleteLater);
    bareThread.start();

    // The floor of any intake that commits before it answers: the same Qt
    // HTTP Server storing each body as ONE row of a SQLite file (WAL,
    // synchronous=NORMAL, as the app's) before its 202. No fan-out, no
    // checks, no JSON: what a durable answer costs on this machine at least.
    QThread floorThread;
    auto *floor = new QHttpServer;
    const QString floorPath = dir.filePath(QStringLiteral("floor.sqlite"));
    floor->route(QStringLiteral("/intake/label-studio"), [floorPath](const QHttpServerRequest &r) {
        static const QString name = QStringLiteral("floor");
        if (!QSqlDatabase::contains(name)) {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
            db.setDatabaseName(floorPath);
            db.open();
            QSqlQuery setup(db);
            for (const char *sql : {"PRAGMA journal_mode = WAL", "PRAGMA synchronous = NORMAL",
                                    "CREATE TABLE IF NOT EXISTS received (id INTEGER PRIMARY "
                                    "KEY, body BLOB NOT NULL)"})
                setup.exec(QLatin1String(sql));
        }
        static QSqlQuery insert = [] {
            QSqlQuery q(QSqlDatabase::database(name, false));
            q.prepare(QStringLiteral("INSERT INTO received (body) VALUES (?)"));
            return q;
        }();
        insert.addBindValue(r.body());
        const bool stored = insert.exec();
        return QHttpServerResponse(QByteArrayLiteral("application/json"),
                                   QByteArrayLiteral("{\"event\":0,\"deliveries\":0}"),
                                   stored ? QHttpServerResponse::StatusCode::Accepted
                                          : QHttpServerResponse::StatusCode::ServiceUnavailable);
    });
    const quint16 floorPort = floor->listen(QHostAddress::LocalHost, 0);
    floor->moveToThread(&floorThread);
    QObject::connect(&floorThread, &QThread::finished, floor, &QObject::deleteLater);
    floorThread.start();
    postAll(floorPort, request, 500, clients, 202);
    const Round floorRound = postAll(floorPort, request, total, clients, 202);
    floorThread.quit();
    floorThread.wait();

    QProcess serve;
    const quint16 port =
        startServe(&serve, path, {QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0")});
    if (port == 0)
        return 1;

    // A short warm-up of each, then the measured rounds.
    postAll(barePort, request, 500, clients, 200);
    const Round bareRound = postAll(barePort, request, total, clients, 200);
    const Round intake = postAll(port, request, total, clients, 202);

    // Every accepted event delivered to both hooks.
    QElapsedTimer drain;
    drain.start();
    const qint64 delivered = waitDelivered(path, intake.accepted);
    const double drainSeconds = double(drain.elapsed()) / 1000.0;
    stop(&serve);
    bareThread.quit();
    bareThread.wait();

    // The intake on its own (serve --listen --no-deliver) on a second file:
    // what the listener stores while nothing is sent beside it on these
    // cores. A plain serve then sends it all.
    const QString alonePath = dir.filePath(QStringLiteral("alone.sqlite"));
    const QString aloneToken = makeDatabase(alonePath);
    QProcess listenerOnly;
    const quint16 alonePort =
        aloneToken.isEmpty()
            ? 0
            : startServe(&listenerOnly, alonePath,
                         {QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0"),
                          QStringLiteral("--no-deliver")});
    Round alone;
    qint64 aloneDelivered = -1;
    if (alonePort != 0) {
        alone = postAll(alonePort, requestWith(aloneToken), total, clients, 202);
        stop(&listenerOnly);
        QProcess sender;
        if (startServe(&sender, alonePath,
                       {QStringLiteral("--listen"), QStringLiteral("127.0.0.1:0")}) != 0)
            aloneDelivered = waitDelivered(alonePath, alone.accepted);
        stop(&sender);
    }

    const double intakePerS = double(intake.accepted) / intake.seconds;
    const double barePerS = double(bareRound.accepted) / bareRound.seconds;
    BenchReport::note(QStringLiteral("B8: %1 events over %2 clients; accepted %3, refused %4; bare "
                                     "answered %5; delivered %6 of %7 after a further %8 s")
                          .arg(total)
                          .arg(clients)
                          .arg(intake.accepted)
                          .arg(intake.refused)
                          .arg(bareRound.accepted)
                          .arg(delivered)
                          .arg(hookCount * intake.accepted)
                          .arg(drainSeconds, 0, 'f', 1));
    BenchReport::metric(QStringLiteral("b8_intake_per_s"), intakePerS, QStringLiteral("events/s"));
    BenchReport::metric(QStringLiteral("b8_bare_per_s"), barePerS, QStringLiteral("requests/s"));
    BenchReport::metric(QStringLiteral("b8_vs_bare"), intakePerS / barePerS, QStringLiteral("x"));
    if (floorRound.accepted > 0) {
        const double floorPerS = double(floorRound.accepted) / floorRound.seconds;
        BenchReport::metric(QStringLiteral("b8_floor_per_s"), floorPerS,
                            QStringLiteral("requests/s"));
        BenchReport::metric(QStringLiteral("b8_floor_vs_bare"), floorPerS / barePerS,
                            QStringLiteral("x"));
    }
    BenchReport::metric(QStringLiteral("b8_p50_ms"), percentile(intake.latenciesMs, 0.50),
                        QStringLiteral("ms"));
    BenchReport::metric(QStringLiteral("b8_p99_ms"), percentile(intake.latenciesMs, 0.99),
                        QStringLiteral("ms"));
    BenchReport::metric(QStringLiteral("b8_bare_p99_ms"), percentile(bareRound.latenciesMs, 0.99),
                        QStringLiteral("ms"));
    BenchReport::metric(QStringLiteral("b8_delivered_all"),
                        intake.accepted > 0 && delivered >= hookCount * intake.accepted ? 1 : 0,
                        QStringLiteral("bool"));
    BenchReport::metric(QStringLiteral("b8_drain_s"), drainSeconds, QStringLiteral("s"));
    if (alone.seconds > 0) {
        BenchReport::note(QStringLiteral("B8 listener only: accepted %1, refused %2; then "
                                         "delivered %3 of %4")
                              .arg(alone.accepted)
                              .arg(alone.refused)
                              .arg(aloneDelivered)
                              .arg(hookCount * alone.accepted));
        BenchReport::metric(QStringLiteral("b8_alone_per_s"),
                            double(alone.accepted) / alone.seconds, QStringLiteral("events/s"));
        BenchReport::metric(QStringLiteral("b8_alone_p99_ms"), percentile(alone.latenciesMs, 0.99),
                            QStringLiteral("ms"));
        BenchReport::metric(QStringLiteral("b8_alone_delivered_all"),
                            alone.accepted > 0 && aloneDelivered >= hookCount * alone.accepted ? 1
                                                                                               : 0,
                            QStringLiteral("bool"));
    }
    return 0;
}
