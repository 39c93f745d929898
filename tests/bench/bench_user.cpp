// U1-U4: the commands users run, timed as whole processes against nginx
// (a receiver that costs almost nothing), with the baselines of the same run:
//   U1  `emit TASKS_CREATED --data` of 3,000 tasks to one hook
//       (WEBHOOK_BATCH_SIZE=1: 3,000 deliveries), process start to exit
//   U2  `serve` draining 20,000 queued deliveries to one hook, from process
//       start to the last attempt recorded
//   U3  `emit` of one event to 1,000 hooks on 1,000 ports, process start to
//       exit; beside it the in-process engine doing the same (B2's way)
//   U4  the window (offscreen, log pane shown) draining 20,000 queued
//       deliveries with its own engine, from process start to the last
//       attempt recorded
// Baselines: (a) the bare QNAM loop with the engine's caps, in this process,
// and (b) Label Studio's way (labelstudio_sender.py), both against the same
// nginx. Prints METRIC lines (see BenchReport).
//
//   bench_user --admin PATH [--only U1,U2,U3,U4] [--u1-count 3000]
//              [--u2-count 20000] [--hooks 1000] [--ls-count 2000]

#include "bench_engine.h"
#include "bench_report.h"
#include "nginx_receiver.h"
#include "store/database.h"
#include "store/hook_store.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QThread>
#include <cstdio>

namespace {

using namespace BenchEngine;

QString g_admin;

QString value(const QString &name, const QString &fallback)
{
    const QStringList args = QCoreApplication::arguments();
    const qsizetype at = args.indexOf(name);
    return at > 0 ? args.value(at + 1) : fallback;
}

int option(const QString &name, int fallback)
{
    return value(name, QString::number(fallback)).toInt();
}

bool wanted(const QString &name)
{
    return value(QStringLiteral("--only"), QStringLiteral("U1,U2,U3,U4"))
        .split(QLatin1Char(','))
        .contains(name);
}

// A database with one organization-wide hook per URL, subscribed to `action`.
bool makeDatabase(const QString &path, const QList<QUrl> &urls, const QString &action)
{
    Database db;
    if (const auto error = db.open(path)) {
        BenchReport::note(error->message);
        return false;
    }
    HookStore hooks(&db);
    for (const QUrl &url : urls) {
        Webhook hook;
        hook.url = url.toString();
        hook.actions = {action};
        hook.maxAttempts = 1;
        if (Result<Webhook> saved = hooks.saveHook(hook); !saved) {
            BenchReport::note(saved.error().message);
            return false;
        }
    }
    return true;
}

// The app as a user starts it, with the benchmark's own settings folders.
QProcess *startAdmin(const QStringList &args, const QString &outFile, QObject *parent,
                     const QStringList &extraEnvironment = {})
{
    auto *process = new QProcess(parent);
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const QString &line : extraEnvironment)
        env.insert(line.section(QLatin1Char('='), 0, 0), line.section(QLatin1Char('='), 1));
    process->setProcessEnvironment(env);
    process->setStandardOutputFile(outFile);
    process->setStandardErrorFile(outFile + QStringLiteral(".err"));
    process->start(g_admin, args);
    return process;
}

// Runs the app to its exit; seconds from start to exit, -1 on failure.
double runToExit(const QStringList &args, const QString &outFile,
                 const QStringList &extraEnvironment = {})
{
    QObject parent;
    QElapsedTimer clock;
    clock.start();
    QProcess *process = startAdmin(args, outFile, &parent, extraEnvironment);
    if (!process->waitForFinished(10 * 60 * 1000)) {
        BenchReport::note(QStringLiteral("%1 did not finish").arg(args.join(QLatin1Char(' '))));
        return -1;
    }
    const double seconds = clock.nsecsElapsed() / 1e9;
    if (process->exitStatus() != QProcess::NormalExit || process->exitCode() != 0) {
        QFile err(outFile + QStringLiteral(".err"));
        (void)err.open(QIODevice::ReadOnly);
        BenchReport::note(QStringLiteral("%1 exited %2: %3")
                              .arg(args.join(QLatin1Char(' ')))
                              .arg(process->exitCode())
                              .arg(QString::fromUtf8(err.readAll().left(2000))));
        return -1;
    }
    return seconds;
}

qint64 countAttempts(const QString &path, const QString &outcome)
{
    Database db;
    if (db.open(path))
        return -1;
    QSqlQuery query(db.connection());
    if (!query.exec(
            QStringLiteral("SELECT count(*) FROM attempts WHERE outcome = '%1'").arg(outcome)) ||
        !query.next())
        return -1;
    return query.value(0).toLongLong();
}

// tasks.json in `dir`: one TASKS_CREATED payload of `count` tasks; with
// WEBHOOK_BATCH_SIZE=1 each task is a delivery of its own.
bool writeTasks(const QString &dir, int count)
{
    QJsonArray tasks;
    for (int i = 1; i <= count; ++i)
        tasks.append(
            QJsonObject{{QStringLiteral("id"), i},
                        {QStringLiteral("data"),
                         QJsonObject{{QStringLiteral("text"),
                                      QStringLiteral("task %1 of the benchmark").arg(i)}}}});
    const QString path = dir + QStringLiteral("/tasks.json");
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return false;
    file.write(QJsonDocument(QJsonObject{{QStringLiteral("tasks"), tasks}}).toJson());
    file.close();
    return true;
}

QStringList batchOfOne()
{
    return {QStringLiteral("WEBHOOK_BATCH_SIZE=1")};
}

void compare(const QString &prefix, double rate, double bareRate, double lsRate)
{
    BenchReport::metric(prefix + QStringLiteral("_per_s"), rate, QStringLiteral("deliveries/s"));
    BenchReport::metric(prefix + QStringLiteral("_vs_bare"), rate / bareRate, QStringLiteral("x"));
    if (lsRate > 0)
        BenchReport::metric(prefix + QStringLiteral("_vs_labelstudio"), rate / lsRate,
                            QStringLiteral("x"));
}

// U1: emit of `count` tasks, one delivery each, to one hook; whole process.
bool u1(const NginxReceiver &nginx, double bareRate, double lsRate)
{
    const int count = option(QStringLiteral("--u1-count"), 3000);
    QTemporaryDir dir;
    const QString db = dir.filePath(QStringLiteral("u1.sqlite"));
    if (!makeDatabase(db, {nginx.url()}, QStringLiteral("TASKS_CREATED")) ||
        !writeTasks(dir.path(), count))
        return false;
    const double seconds = runToExit(
        {QStringLiteral("emit"), QStringLiteral("TASKS_CREATED"), QStringLiteral("--data"),
         dir.filePath(QStringLiteral("tasks.json")), QStringLiteral("--db"), db},
        dir.filePath(QStringLiteral("emit.out")), batchOfOne());
    if (seconds < 0)
        return false;
    const qint64 ok = countAttempts(db, QStringLiteral("succeeded"));
    if (ok != count)
        BenchReport::note(QStringLiteral("U1: %1 of %2 succeeded").arg(ok).arg(count));
    BenchReport::metric(QStringLiteral("u1_emit_s"), seconds, QStringLiteral("s"));
    compare(QStringLiteral("u1"), count / seconds, bareRate, lsRate);
    return true;
}

// U2 and U4: `count` deliveries queued, then the process started on the
// file; seconds from its start until all are recorded as succeeded.
double drain(const NginxReceiver &nginx, int count, const QStringList &command,
             const QStringList &environment)
{
    QTemporaryDir dir;
    const QString db = dir.filePath(QStringLiteral("drain.sqlite"));
    if (!makeDatabase(db, {nginx.url()}, QStringLiteral("TASKS_CREATED")) ||
        !writeTasks(dir.path(), count))
        return -1;
    if (runToExit({QStringLiteral("emit"), QStringLiteral("TASKS_CREATED"),
                   QStringLiteral("--data"), dir.filePath(QStringLiteral("tasks.json")),
                   QStringLiteral("--queue"), QStringLiteral("--db"), db},
                  dir.filePath(QStringLiteral("queue.out")), batchOfOne()) < 0)
        return -1;
    if (countAttempts(db, QStringLiteral("pending")) != count) {
        BenchReport::note(QStringLiteral("not all %1 deliveries were queued").arg(count));
        return -1;
    }
    QObject parent;
    QElapsedTimer clock;
    clock.start();
    QProcess *process = startAdmin(command + QStringList{QStringLiteral("--db"), db},
                                   dir.filePath(QStringLiteral("drain.out")), &parent, environment);
    // Polled from another connection: a count every 20 ms costs about 1 ms.
    double seconds = -1;
    qint64 done = 0;
    while (clock.elapsed() < 10 * 60 * 1000 && process->state() != QProcess::NotRunning) {
        QThread::msleep(20);
        done = countAttempts(db, QStringLiteral("succeeded"));
        if (done >= count) {
            seconds = clock.nsecsElapsed() / 1e9;
            break;
        }
    }
    process->terminate();
    if (!process->waitForFinished(20000))
        process->kill();
    if (seconds < 0) {
        QFile err(dir.filePath(QStringLiteral("drain.out.err")));
        (void)err.open(QIODevice::ReadOnly);
        BenchReport::note(QStringLiteral("%1: %2 of %3 succeeded: %4")
                              .arg(command.join(QLatin1Char(' ')))
                              .arg(done)
                              .arg(count)
                              .arg(QString::fromUtf8(err.readAll().left(2000))));
    }
    return seconds;
}

bool u3(double *fanoutInProcess)
{
    const int hooks = option(QStringLiteral("--hooks"), 1000);
    NginxReceiver nginx;
    if (const QString error = nginx.start(hooks); !error.isEmpty()) {
        BenchReport::note(error);
        return false;
    }
    QList<QUrl> urls;
    for (int i = 0; i < hooks; ++i)
        urls.append(nginx.url(i));

    // B2's way in this process, the same run: emit, then send exactly those.
    {
        QTemporaryDir dir;
        Engine engine;
        if (!engine.open(dir.filePath(QStringLiteral("b2.sqlite"))))
            return false;
        for (const QUrl &url : std::as_const(urls)) {
            if (!engine.addHook(url))
                return false;
        }
        double seconds[2] = {0, 0};
        for (double &s : seconds) {
            QElapsedTimer clock;
            clock.start();
            const QList<qint64> ids = engine.emitEvent();
            engine.dispatcher().send(ids);
            engine.waitFor(int(ids.size()));
            s = clock.nsecsElapsed() / 1e9;
        }
        *fanoutInProcess = seconds[1];
        BenchReport::metric(QStringLiteral("u3_in_process_cold_s"), seconds[0],
                            QStringLiteral("s"));
        BenchReport::metric(QStringLiteral("u3_in_process_s"), seconds[1], QStringLiteral("s"));
    }

    QTemporaryDir dir;
    const QString db = dir.filePath(QStringLiteral("u3.sqlite"));
    if (!makeDatabase(db, urls, Action))
        return false;
    const double seconds = runToExit({QStringLiteral("emit"), Action, QStringLiteral("--db"), db},
                                     dir.filePath(QStringLiteral("emit.out")));
    if (seconds < 0)
        return false;
    const qint64 ok = countAttempts(db, QStringLiteral("succeeded"));
    if (ok != hooks)
        BenchReport::note(QStringLiteral("U3: %1 of %2 succeeded").arg(ok).arg(hooks));
    BenchReport::metric(QStringLiteral("u3_emit_s"), seconds, QStringLiteral("s"));
    BenchReport::metric(QStringLiteral("u3_vs_in_process"), seconds / *fanoutInProcess,
                        QStringLiteral("x"));
    const double bare = bareSeconds(urls);
    BenchReport::metric(QStringLiteral("u3_bare_qnam_s"), bare, QStringLiteral("s"));
    return true;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    BenchReport::raiseFileLimit();
    g_admin = value(QStringLiteral("--admin"), QString());
    if (g_admin.isEmpty() || !QFile::exists(g_admin)) {
        std::fprintf(stderr, "usage: bench_user --admin PATH [--only U1,U2,U3,U4] [options]\n");
        return 1;
    }
    bool ok = true;
    if (wanted(QStringLiteral("U1")) || wanted(QStringLiteral("U2")) ||
        wanted(QStringLiteral("U4"))) {
        NginxReceiver nginx;
        if (const QString error = nginx.start(1); !error.isEmpty()) {
            std::fprintf(stderr, "bench_user: %s\n", qPrintable(error));
            return 1;
        }
        const int drainCount = option(QStringLiteral("--u2-count"), 20000);
        // The baselines of this run, against the same nginx.
        const double bareRate = drainCount / bareSeconds(QList<QUrl>(drainCount, nginx.url()));
        const int lsCount = option(QStringLiteral("--ls-count"), 2000);
        const double ls = labelStudioSeconds(QList<QUrl>(lsCount, nginx.url()));
        const double lsRate = ls > 0 ? lsCount / ls : -1;
        BenchReport::metric(QStringLiteral("u_bare_qnam_per_s"), bareRate,
                            QStringLiteral("requests/s"));
        // The ceiling with one manager per core (issue 14's experiment).
        BenchReport::metric(QStringLiteral("u_bare_qnam_2threads_per_s"),
                            drainCount /
                                bareSecondsThreaded(QList<QUrl>(drainCount, nginx.url()), 2),
                            QStringLiteral("requests/s"));
        if (lsRate > 0)
            BenchReport::metric(QStringLiteral("u_labelstudio_per_s"), lsRate,
                                QStringLiteral("requests/s"));
        if (wanted(QStringLiteral("U1")))
            ok = u1(nginx, bareRate, lsRate) && ok;
        if (wanted(QStringLiteral("U2"))) {
            const double seconds = drain(nginx, drainCount, {QStringLiteral("serve")}, {});
            ok = seconds > 0 && ok;
            if (seconds > 0) {
                BenchReport::metric(QStringLiteral("u2_serve_s"), seconds, QStringLiteral("s"));
                compare(QStringLiteral("u2"), drainCount / seconds, bareRate, lsRate);
            }
            // The same with one manager, one HTTP thread: what the engine
            // did before it kept one per core (issue 14's experiment).
            const double one = drain(nginx, drainCount, {QStringLiteral("serve")},
                                     {QStringLiteral("WEBHOOK_NETWORK_MANAGERS=1")});
            ok = one > 0 && ok;
            if (one > 0)
                BenchReport::metric(QStringLiteral("u2_one_manager_per_s"), drainCount / one,
                                    QStringLiteral("deliveries/s"));
        }
        if (wanted(QStringLiteral("U4"))) {
            const double seconds =
                drain(nginx, drainCount, {}, {QStringLiteral("QT_QPA_PLATFORM=offscreen")});
            ok = seconds > 0 && ok;
            if (seconds > 0) {
                BenchReport::metric(QStringLiteral("u4_window_s"), seconds, QStringLiteral("s"));
                compare(QStringLiteral("u4"), drainCount / seconds, bareRate, lsRate);
            }
        }
    }
    if (wanted(QStringLiteral("U3"))) {
        double inProcess = 0;
        ok = u3(&inProcess) && ok;
    }
    return ok ? 0 : 1;
}
