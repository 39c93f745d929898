#include "bench_report.h"

#include <QFile>
#include <cstdio>
#include <sys/resource.h>

void BenchReport::metric(const QString &name, double value, const QString &unit)
{
    std::printf("METRIC %s %.3f %s\n", qPrintable(name), value, qPrintable(unit));
    std::fflush(stdout);
}

void BenchReport::note(const QString &text)
{
    std::fprintf(stderr, "%s\n", qPrintable(text));
}

double BenchReport::peakRssMiB()
{
    return peakRssMiB(0);
}

double BenchReport::peakRssMiB(qint64 pid)
{
    QFile status(pid > 0 ? QStringLiteral("/proc/%1/status").arg(pid)
                         : QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    const QList<QByteArray> lines = status.readAll().split('\n');
    for (const QByteArray &line : lines) {
        if (line.startsWith("VmHWM:"))
            return line.mid(6).trimmed().split(' ').value(0).toDouble() / 1024.0;
    }
    return -1;
}

void BenchReport::raiseFileLimit()
{
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        setrlimit(RLIMIT_NOFILE, &limit);
    }
}
