#include "cli_process.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QTest>

namespace CliTest {

QString adminBinary()
{
    return QStringLiteral(WEBHOOK_ADMIN_BINARY);
}

QProcessEnvironment cleanEnvironment(const QString &home)
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    for (const char *name :
         {"WEBHOOK_TIMEOUT", "WEBHOOK_ADMIN_DEBUG", "WEBHOOK_BATCH_SIZE", "WEBHOOK_RETRY_SCHEDULE",
          "DISPLAY", "WAYLAND_DISPLAY", "http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"})
        environment.remove(QLatin1String(name));
    environment.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    environment.insert(QStringLiteral("HOME"), home);
    environment.insert(QStringLiteral("LANGUAGE"), QStringLiteral("en"));
    environment.insert(QStringLiteral("LC_ALL"), QStringLiteral("C.UTF-8"));
    return environment;
}

bool usePrivateXdgDirs(QProcessEnvironment *environment, const QString &home)
{
    for (const char *name : {"XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME",
                             "XDG_RUNTIME_DIR"}) {
        const QString dir = QDir(home).filePath(QLatin1String(name));
        if (!QDir().mkpath(dir) ||
            !QFile::setPermissions(dir, QFileDevice::ReadOwner | QFileDevice::WriteOwner |
                                            QFileDevice::ExeOwner)) {
            qWarning("cannot make %s", qPrintable(dir));
            return false;
        }
        environment->insert(QLatin1String(name), dir);
    }
    return true;
}

Run runCli(const QProcessEnvironment &environment, const QStringList &arguments,
           const QByteArray &input, const Options &options)
{
    QProcess process;
    process.setProcessEnvironment(environment);
    if (!options.workingDirectory.isEmpty())
        process.setWorkingDirectory(options.workingDirectory);
    if (options.childProcessModifier)
        process.setChildProcessModifier(options.childProcessModifier);
    QElapsedTimer clock;
    clock.start();
    process.start(adminBinary(), arguments);
    Run result;
    if (!process.waitForStarted(30000))
        return result;
    if (!input.isEmpty())
        process.write(input);
    process.closeWriteChannel();
    const bool finished =
        options.keepEventLoopRunning
            ? QTest::qWaitFor([&process] { return process.state() == QProcess::NotRunning; },
                              options.timeoutMs)
            : process.waitForFinished(options.timeoutMs);
    if (!finished) {
        process.kill();
        process.waitForFinished();
        return result;
    }
    result.elapsedMs = clock.elapsed();
    result.out = process.readAllStandardOutput();
    result.err = process.readAllStandardError();
    result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -2;
    return result;
}

QStringList args(std::initializer_list<const char *> list)
{
    QStringList result;
    for (const char *item : list)
        result.append(QString::fromUtf8(item));
    return result;
}

bool isOneLineError(const Run &run)
{
    return run.err.startsWith("webhook-admin: ") && run.err.endsWith('\n') &&
           run.err.count('\n') == 1 && run.out.isEmpty();
}

QString describe(const Run &run)
{
    return QStringLiteral("exit %1 after %2 ms\nstdout: %3\nstderr: %4")
        .arg(run.exitCode)
        .arg(run.elapsedMs)
        .arg(QString::fromUtf8(run.out.left(4000)), QString::fromUtf8(run.err.left(4000)));
}

} // namespace CliTest
