#pragma once

#include <QString>
#include <QStringList>

class QProcess;

namespace CliTest {

// Starts webhook-test-receiver in process, logging each request to logPath,
// and returns the port it listens on; 0 (with a warning) when it did not
// start.
int startReceiver(QProcess *process, const QString &logPath);

// The requests the receiver has logged so far, a line each.
QStringList receiverLog(const QString &logPath);

} // namespace CliTest
