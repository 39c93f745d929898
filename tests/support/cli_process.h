#pragma once

#include <QByteArray>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>
#include <functional>
#include <initializer_list>

// Runs the real webhook-admin binary as a child process, for the tests in
// tests/app. Only the plumbing: what a test asserts stays in the test.

namespace CliTest {

// What one run of the binary left: exit code (-1 when it did not start or
// timed out, -2 when it crashed), its output and how long it took.
struct Run
{
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
    qint64 elapsedMs = 0;
};

struct Options
{
    // Empty: the child inherits this process's working directory.
    QString workingDirectory = {};
    int timeoutMs = 60000;
    // Wait with the event loop running (QTest::qWaitFor), so that a server
    // in this process keeps answering while the child runs.
    bool keepEventLoopRunning = false;
    // Runs in the child before exec, e.g. to drop privileges.
    std::function<void()> childProcessModifier = {};
};

// The path of the webhook-admin binary under test.
QString adminBinary();

// The system environment without anything that would change what the binary
// does (WEBHOOK_* tuning, a display, proxies), with HOME set to home, English
// messages and the offscreen platform.
QProcessEnvironment cleanEnvironment(const QString &home);

// Points XDG_DATA_HOME, XDG_CONFIG_HOME, XDG_CACHE_HOME, XDG_STATE_HOME and
// XDG_RUNTIME_DIR at directories of their own under home, made 0700. False
// (with a warning) when one cannot be made.
bool usePrivateXdgDirs(QProcessEnvironment *environment, const QString &home);

// Runs webhook-admin with arguments, input on its standard input (closed
// after it), and waits for it to finish; kills it after options.timeoutMs.
Run runCli(const QProcessEnvironment &environment, const QStringList &arguments,
           const QByteArray &input = {}, const Options &options = {});

QStringList args(std::initializer_list<const char *> list);

// An error is one line on stderr, "webhook-admin: ...", and nothing on stdout.
bool isOneLineError(const Run &run);

// Exit code, time taken, stdout and stderr (the first 4000 bytes of each),
// for a failure message.
QString describe(const Run &run);

} // namespace CliTest
