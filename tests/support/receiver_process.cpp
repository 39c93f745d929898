#include "receiver_process.h"

#include <QFile>
#include <QProcess>

namespace CliTest {

int startReceiver(QProcess *process, const QString &logPath)
{
    process->start(QStringLiteral(WEBHOOK_TEST_RECEIVER_BINARY),
                   {QStringLiteral("--log"), logPath});
    if (!process->waitForStarted(10000) || !process->waitForReadyRead(10000)) {
        qWarning("webhook-test-receiver did not start");
        return 0;
    }
    const QByteArray first = process->readLine().trimmed();
    if (!first.startsWith("listening on ")) {
        qWarning("webhook-test-receiver said: %s", first.constData());
        return 0;
    }
    return first.mid(13).toInt();
}

QStringList receiverLog(const QString &logPath)
{
    QFile file(logPath);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QStringList lines;
    for (const QByteArray &line : file.readAll().split('\n')) {
        if (!line.isEmpty())
            lines.append(QString::fromLatin1(line));
    }
    return lines;
}

} // namespace CliTest
