#pragma once

#include <QString>

// What every benchmark prints: one "METRIC name value unit" line per figure,
// which run_benchmarks.sh collects over several runs and turns into medians.
class BenchReport final
{
public:
    static void metric(const QString &name, double value, const QString &unit);
    static void note(const QString &text); // to stderr, for the reader
    // Peak resident set size of this process (VmHWM), in MiB.
    static double peakRssMiB();
    // Peak resident set size of another process, in MiB; -1 if unreadable.
    static double peakRssMiB(qint64 pid);
    // Raises the soft limit on open files to the hard limit.
    static void raiseFileLimit();
};
