// B6: process start to the first painted window, running the app's own GUI
// start-up (app/gui_main.cpp) on a database made by generate_log_db.
//   bench_startup --db FILE [--runs 1]
// Starts itself again as a child per run, so the time includes exec, loading
// the libraries and the platform plugin; the child reports when the delivery
// log's table first paints rows (the last part of the window to fill).

#include "bench_report.h"
#include "gui_main.h"
#include "localization.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QProcess>
#include <QTableView>
#include <QTimer>
#include <cstdio>
#include <ctime>

namespace {

qint64 monotonicNs()
{
    timespec now{};
    clock_gettime(CLOCK_MONOTONIC, &now);
    return qint64(now.tv_sec) * 1000000000 + now.tv_nsec;
}

// Quits at the first paint of a table that shows rows.
class FirstPaint final : public QObject
{
public:
    qint64 paintedNs = -1;

protected:
    bool eventFilter(QObject *watched, QEvent *event) override
    {
        if (paintedNs < 0 && event->type() == QEvent::Paint) {
            auto *table = qobject_cast<QTableView *>(watched->parent());
            if (table && table->viewport() == watched && table->model() &&
                table->model()->rowCount() > 0 &&
                table->objectName() != QLatin1String("headersTable")) {
                paintedNs = monotonicNs();
                QTimer::singleShot(0, qApp, &QCoreApplication::quit);
            }
        }
        return QObject::eventFilter(watched, event);
    }
};

int child(int argc, char *argv[], const QString &db, qint64 launchedNs)
{
    QCoreApplication::setApplicationName(QStringLiteral("webhook-admin"));
    QApplication app(argc, argv);
    installTranslators(app);
    FirstPaint probe;
    app.installEventFilter(&probe);
    QTimer::singleShot(30000, &app, &QCoreApplication::quit);
    runGui(app, db);
    if (probe.paintedNs < 0)
        return 1;
    BenchReport::metric(QStringLiteral("b6_startup_ms"), (probe.paintedNs - launchedNs) / 1e6,
                        QStringLiteral("ms"));
    return 0;
}

} // namespace

int main(int argc, char *argv[])
{
    QStringList args;
    for (int i = 0; i < argc; ++i)
        args.append(QString::fromLocal8Bit(argv[i]));
    const qsizetype at = args.indexOf(QStringLiteral("--db"));
    const QString db = at > 0 ? args.value(at + 1) : QString();
    if (db.isEmpty()) {
        std::fprintf(stderr, "usage: bench_startup --db FILE\n");
        return 1;
    }
    if (args.contains(QStringLiteral("--child")))
        return child(argc, argv, db, qgetenv("BENCH_LAUNCHED_NS").toLongLong());

    QProcess process;
    process.setProcessChannelMode(QProcess::ForwardedChannels);
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    const qint64 launched = monotonicNs();
    env.insert(QStringLiteral("BENCH_LAUNCHED_NS"), QString::number(launched));
    process.setProcessEnvironment(env);
    process.start(args.first(), {QStringLiteral("--child"), QStringLiteral("--db"), db});
    if (!process.waitForFinished(60000))
        return 1;
    return process.exitCode();
}
