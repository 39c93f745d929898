#include "receiver_process.h"

#include <QCoreApplication>
#include <QDir>

ReceiverProcess::~ReceiverProcess()
{
    stop();
}

bool ReceiverProcess::start(int ports)
{
    m_process.setProgram(QCoreApplication::applicationDirPath() +
                         QStringLiteral("/bench_receiver"));
    m_process.setArguments({QStringLiteral("--ports"), QString::number(ports)});
    m_process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    m_process.start();
    if (!m_process.waitForStarted(5000))
        return false;
    // First line: "ports P1 P2 ...".
    QByteArray line;
    while (!line.endsWith('\n')) {
        if (!m_process.waitForReadyRead(10000))
            return false;
        line += m_process.readAll();
    }
    const QList<QByteArray> words = line.trimmed().split(' ');
    if (words.value(0) != "ports")
        return false;
    for (qsizetype i = 1; i < words.size(); ++i)
        m_ports.append(quint16(words.at(i).toUInt()));
    return m_ports.size() == ports;
}

void ReceiverProcess::stop()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    m_process.terminate();
    if (!m_process.waitForFinished(3000)) {
        m_process.kill();
        m_process.waitForFinished(3000);
    }
}

QUrl ReceiverProcess::url(const QString &path, int index) const
{
    return QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(m_ports.value(index)).arg(path));
}
