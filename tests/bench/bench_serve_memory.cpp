// B7: peak memory of `webhook-admin serve` holding 100,000 pending
// deliveries whose hook points at a receiver that is down.
//   bench_serve_memory --admin PATH/webhook-admin [--pending 100000] [--seconds 60]
// Builds the backlog with generate_log_db, runs serve until every first
// attempt has been made (or --seconds pass), and reads serve's VmHWM.

#include "bench_report.h"
#include "store/database.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QProcess>
#include <QSqlQuery>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QThread>
#include <cstdio>

namespace {

QString option(const QString &name, const QString &fallback = {})
{
    const QStringList args = QCoreApplication::arguments();
    const qsizetype at = args.indexOf(name);
    return at > 0 ? args.value(at + 1) : fallback;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    const QString admin = option(QStringLiteral("--admin"));
    const int pending = option(QStringLiteral("--pending"), QStringLiteral("100000")).toInt();
    const int seconds = option(QStringLiteral("--seconds"), QStringLiteral("60")).toInt();
    if (admin.isEmpty()) {
        std::fprintf(stderr, "usage: bench_serve_memory --admin PATH [--pending N]\n");
        return 1;
    }
    // A port nobody listens on: the receiver is down, every attempt is refused.
    quint16 downPort = 0;
    {
        QTcpServer probe;
        probe.listen(QHostAddress::LocalHost);
        downPort = probe.serverPort();
    }
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("backlog.sqlite"));
    QProcess generator;
    generator.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    generator.start(QCoreApplication::applicationDirPath() + QStringLiteral("/generate_log_db"),
                    {QStringLiteral("--db"), path, QStringLiteral("--hooks"), QStringLiteral("1"),
                     QStringLiteral("--attempts"), QStringLiteral("0"), QStringLiteral("--pending"),
                     QString::number(pending), QStringLiteral("--pending-url"),
                     QStringLiteral("http://127.0.0.1:%1/hook").arg(downPort)});
    if (!generator.waitForFinished(300000) || generator.exitCode() != 0)
        return 1;

    Database database;
    if (database.open(path))
        return 1;
    // The one finished hook made by the generator is inactive noise; keep
    // only the backlog's hook.
    QProcess serve;
    serve.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    serve.setStandardOutputFile(QProcess::nullDevice());
    serve.start(admin, {QStringLiteral("--db"), path, QStringLiteral("serve")});
    if (!serve.waitForStarted(5000))
        return 1;
    QElapsedTimer clock;
    clock.start();
    double peak = 0;
    qint64 left = pending;
    while (clock.elapsed() < seconds * 1000 && serve.state() == QProcess::Running) {
        QThread::msleep(200);
        peak = std::max(peak, BenchReport::peakRssMiB(serve.processId()));
        QSqlQuery query(database.connection());
        if (query.exec(QStringLiteral("SELECT count(*) FROM attempts WHERE outcome = 'pending' "
                                      "AND number = 1")) &&
            query.next())
            left = query.value(0).toLongLong();
        if (left == 0)
            break;
    }
    const double drainSeconds = clock.elapsed() / 1000.0;
    peak = std::max(peak, BenchReport::peakRssMiB(serve.processId()));
    serve.terminate();
    serve.waitForFinished(10000);
    BenchReport::metric(QStringLiteral("b7_peak_rss_mib"), peak, QStringLiteral("MiB"));
    BenchReport::metric(QStringLiteral("b7_first_attempts_made"), double(pending - left),
                        QStringLiteral("attempts"));
    BenchReport::metric(QStringLiteral("b7_seconds"), drainSeconds, QStringLiteral("s"));
    return 0;
}
