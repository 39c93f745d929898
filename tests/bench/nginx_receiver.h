#pragma once

#include <QList>
#include <QProcess>
#include <QString>
#include <QTemporaryDir>
#include <QUrl>

// nginx (Debian's nginx-light) as the receiver of the user-path benchmarks:
// a separate process answering every request with a fixed 200, so the
// figures measure the sender and almost nothing else. One worker, no
// logging, its files in a temporary directory.
class NginxReceiver final
{
public:
    NginxReceiver() = default;
    ~NginxReceiver();
    Q_DISABLE_COPY_MOVE(NginxReceiver)

    // Starts nginx on `ports` free ports of 127.0.0.1 and waits until each
    // accepts connections. Returns why it could not, or empty.
    QString start(int ports = 1);
    void stop();

    QList<quint16> ports() const { return m_ports; }
    QUrl url(int index = 0) const;
    qint64 pid() const { return m_process.processId(); }

private:
    QTemporaryDir m_dir;
    QProcess m_process;
    QList<quint16> m_ports;
};
