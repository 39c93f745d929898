// webhook-test-receiver: the TestReceiver as a program of its own, for tests
// that need a receiver in another process (one that keeps answering while
// the test blocks, and that survives the sender being killed).
//
//   webhook-test-receiver [--port N] [--log FILE]
//
// Prints "listening on PORT" as its first line; with --log appends
// "<webhook-id> <path>" per request, flushed at once.

#include "test_receiver.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFile>
#include <QHostAddress>
#include <cstdio>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("webhook-test-receiver"));

    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption portOption(QStringLiteral("port"),
                                        QStringLiteral("Port to listen on (0: any free port)."),
                                        QStringLiteral("N"), QStringLiteral("0"));
    const QCommandLineOption logOption(QStringLiteral("log"),
                                       QStringLiteral("Append one line per request to FILE."),
                                       QStringLiteral("FILE"));
    parser.addOption(portOption);
    parser.addOption(logOption);
    parser.process(app);

    bool ok = false;
    const uint port = parser.value(portOption).toUInt(&ok);
    if (!ok || port > 65535) {
        std::fprintf(stderr, "webhook-test-receiver: --port takes 0 to 65535\n");
        return 1;
    }
    QFile log;
    if (parser.isSet(logOption)) {
        log.setFileName(parser.value(logOption));
        if (!log.open(QIODevice::WriteOnly | QIODevice::Append)) {
            std::fprintf(stderr, "webhook-test-receiver: cannot open %s\n",
                         qPrintable(log.fileName()));
            return 1;
        }
    }

    TestReceiver receiver;
    // Only the count is kept in memory; the log has the rest.
    receiver.setKeepRequests(log.isOpen());
    if (!receiver.listen(QHostAddress::LocalHost, quint16(port))) {
        std::fprintf(stderr, "webhook-test-receiver: cannot listen on port %u\n", port);
        return 1;
    }
    std::printf("listening on %u\n", unsigned(receiver.port()));
    std::fflush(stdout);

    QObject::connect(&receiver, &TestReceiver::requestReceived, &receiver, [&receiver, &log] {
        if (!log.isOpen())
            return;
        // Write what arrived since the last line, then forget it.
        for (const TestReceiver::Request &request : receiver.requests()) {
            const QByteArray id = request.headers.value("webhook-id", "-");
            log.write(id + ' ' + request.path + '\n');
        }
        log.flush();
        receiver.clear();
    });
    return app.exec();
}
