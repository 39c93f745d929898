#pragma once

#include <QString>

class QProcess;

namespace CliTest {

// Starts webhook-test-receiver in process, logging each request to logPath,
// and returns the port it listens on; 0 (with a warning) when it did not
// start.
int startReceiver(QProcess *process, const QString &logPath);

} // namespace CliTest
