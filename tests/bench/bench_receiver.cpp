// bench_receiver: TestReceiver in a process of its own, on one or many ports
// of 127.0.0.1, keeping only counts. Prints "ports P1 P2 ..." first.
//
//   bench_receiver [--ports N]

#include "bench_report.h"
#include "test_receiver.h"

#include <QCoreApplication>
#include <QHostAddress>
#include <cstdio>
#include <memory>
#include <vector>

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    BenchReport::raiseFileLimit();
    const QStringList args = QCoreApplication::arguments();
    const qsizetype at = args.indexOf(QStringLiteral("--ports"));
    const int count = at > 0 ? args.value(at + 1).toInt() : 1;
    if (count < 1) {
        std::fprintf(stderr, "bench_receiver: --ports takes a positive number\n");
        return 1;
    }
    std::vector<std::unique_ptr<TestReceiver>> receivers;
    QByteArray line = "ports";
    for (int i = 0; i < count; ++i) {
        auto receiver = std::make_unique<TestReceiver>();
        receiver->setKeepRequests(false);
        if (!receiver->listen(QHostAddress::LocalHost)) {
            std::fprintf(stderr, "bench_receiver: cannot listen (port %d of %d)\n", i + 1, count);
            return 1;
        }
        line += ' ' + QByteArray::number(receiver->port());
        receivers.push_back(std::move(receiver));
    }
    std::printf("%s\n", line.constData());
    std::fflush(stdout);
    return app.exec();
}
