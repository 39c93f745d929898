#pragma once

#include <QList>
#include <QProcess>
#include <QUrl>

// bench_receiver running as a separate process: the receiver of B1-B3 must
// not share the sender's event loop or core.
class ReceiverProcess final
{
public:
    ReceiverProcess() = default;
    ~ReceiverProcess();
    Q_DISABLE_COPY_MOVE(ReceiverProcess)

    // Starts the receiver listening on `ports` ports of 127.0.0.1.
    bool start(int ports = 1);
    void stop();

    QList<quint16> ports() const { return m_ports; }
    QUrl url(const QString &path, int index = 0) const;
    qint64 pid() const { return m_process.processId(); }

private:
    QProcess m_process;
    QList<quint16> m_ports;
};
