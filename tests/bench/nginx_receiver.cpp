#include "nginx_receiver.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QThread>
#include <memory>
#include <vector>

NginxReceiver::~NginxReceiver()
{
    stop();
}

QString NginxReceiver::start(int ports)
{
    QString nginx = QStandardPaths::findExecutable(QStringLiteral("nginx"));
    if (nginx.isEmpty())
        nginx =
            QStandardPaths::findExecutable(QStringLiteral("nginx"), {QStringLiteral("/usr/sbin")});
    if (nginx.isEmpty())
        return QStringLiteral("nginx is not installed (Debian: nginx-light)");
    if (!m_dir.isValid())
        return QStringLiteral("no temporary directory");

    // Free ports: held open together so they differ, closed just before nginx binds them.
    std::vector<std::unique_ptr<QTcpServer>> holders;
    for (int i = 0; i < ports; ++i) {
        auto server = std::make_unique<QTcpServer>();
        if (!server->listen(QHostAddress::LocalHost, 0))
            return QStringLiteral("no free port: %1").arg(server->errorString());
        m_ports.append(server->serverPort());
        holders.push_back(std::move(server));
    }
    QString listens;
    for (const quint16 port : std::as_const(m_ports))
        listens += QStringLiteral("        listen 127.0.0.1:%1 backlog=4096;\n").arg(port);
    const QString root = m_dir.path();
    QDir(root).mkpath(QStringLiteral("tmp"));
    const QString config = QStringLiteral("worker_processes 1;\n"
                                          "master_process off;\n"
                                          "daemon off;\n"
                                          "worker_rlimit_nofile %1;\n"
                                          "pid %2/nginx.pid;\n"
                                          "error_log %2/error.log warn;\n"
                                          "events { worker_connections %1; }\n"
                                          "http {\n"
                                          "    access_log off;\n"
                                          "    keepalive_requests 1000000;\n"
                                          "    client_body_temp_path %2/tmp;\n"
                                          "    proxy_temp_path %2/tmp;\n"
                                          "    fastcgi_temp_path %2/tmp;\n"
                                          "    uwsgi_temp_path %2/tmp;\n"
                                          "    scgi_temp_path %2/tmp;\n"
                                          "    server {\n%3"
                                          "        location / { return 200 \"ok\\n\"; }\n"
                                          "    }\n"
                                          "}\n")
                               .arg(ports * 4 + 1024)
                               .arg(root, listens);
    QFile file(root + QStringLiteral("/nginx.conf"));
    if (!file.open(QIODevice::WriteOnly) || file.write(config.toUtf8()) < 0)
        return QStringLiteral("cannot write %1").arg(file.fileName());
    file.close();
    holders.clear();

    m_process.setProgram(nginx);
    m_process.setArguments({QStringLiteral("-p"), root, QStringLiteral("-e"),
                            root + QStringLiteral("/error.log"), QStringLiteral("-c"),
                            file.fileName()});
    m_process.setProcessChannelMode(QProcess::ForwardedChannels);
    m_process.start();
    if (!m_process.waitForStarted(5000))
        return QStringLiteral("nginx did not start: %1").arg(m_process.errorString());
    const QDeadlineTimer deadline(10000);
    for (const quint16 port : std::as_const(m_ports)) {
        while (true) {
            QTcpSocket probe;
            probe.connectToHost(QHostAddress::LocalHost, port);
            if (probe.waitForConnected(1000))
                break;
            if (m_process.state() == QProcess::NotRunning || deadline.hasExpired()) {
                QFile log(root + QStringLiteral("/error.log"));
                const QString why =
                    log.open(QIODevice::ReadOnly) ? QString::fromUtf8(log.readAll()) : QString();
                return QStringLiteral("nginx does not answer on port %1: %2").arg(port).arg(why);
            }
            QThread::msleep(10);
        }
    }
    return {};
}

void NginxReceiver::stop()
{
    if (m_process.state() == QProcess::NotRunning)
        return;
    m_process.terminate();
    if (!m_process.waitForFinished(3000)) {
        m_process.kill();
        m_process.waitForFinished(3000);
    }
}

QUrl NginxReceiver::url(int index) const
{
    return QUrl(QStringLiteral("http://127.0.0.1:%1/hook").arg(m_ports.value(index)));
}
