#include "http2_receiver.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QStandardPaths>
#include <QThread>

namespace {

// Inodes of the sockets process `pid` holds.
QSet<QString> socketInodes(qint64 pid)
{
    QSet<QString> inodes;
    const QDir fds(QStringLiteral("/proc/%1/fd").arg(pid));
    for (const QFileInfo &fd : fds.entryInfoList(QDir::NoDotAndDotDot | QDir::System)) {
        const QString target = fd.symLinkTarget();
        const QString name = QFileInfo(target).fileName();
        if (name.startsWith(QLatin1String("socket:[")))
            inodes.insert(name.mid(8, name.size() - 9));
    }
    return inodes;
}

// The port of a listening IPv4 socket among `inodes`, or 0.
quint16 listeningPort(const QSet<QString> &inodes)
{
    QFile tcp(QStringLiteral("/proc/net/tcp"));
    if (!tcp.open(QIODevice::ReadOnly))
        return 0;
    tcp.readLine(); // header
    while (!tcp.atEnd()) {
        const QList<QByteArray> fields = tcp.readLine().simplified().split(' ');
        // sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode
        if (fields.size() < 10 || fields.at(3) != "0A") // 0A: LISTEN
            continue;
        if (!inodes.contains(QString::fromLatin1(fields.at(9))))
            continue;
        const QByteArray local = fields.at(1);
        return quint16(local.mid(local.indexOf(':') + 1).toUInt(nullptr, 16));
    }
    return 0;
}

} // namespace

Http2Receiver::~Http2Receiver()
{
    if (m_process.state() != QProcess::NotRunning) {
        m_process.kill();
        m_process.waitForFinished(5000);
    }
}

QString Http2Receiver::program()
{
    return QStandardPaths::findExecutable(QStringLiteral("nghttpd"));
}

QString Http2Receiver::start()
{
    const QString nghttpd = program();
    if (nghttpd.isEmpty())
        return QStringLiteral("nghttpd is not installed (Debian package nghttp2-server; "
                              "packaging/install-deps.sh installs it)");
    if (!m_root.isValid())
        return QStringLiteral("no temporary folder for the receiver");
    QFile ok(m_root.filePath(QStringLiteral("ok")));
    if (!ok.open(QIODevice::WriteOnly) || ok.write(R"({"ok":true})") < 0)
        return QStringLiteral("cannot write the receiver's answer");
    ok.close();
    QStringList args{QStringLiteral("--no-tls"), QStringLiteral("--address=127.0.0.1"),
                     QStringLiteral("--htdocs=") + m_root.path(), QStringLiteral("0")};
    if (m_answer == Answer::Echo)
        args.prepend(QStringLiteral("--echo-upload"));
    m_process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    m_process.setStandardOutputFile(QProcess::nullDevice());
    m_process.start(nghttpd, args);
    if (!m_process.waitForStarted(5000))
        return QStringLiteral("nghttpd did not start: ") + m_process.errorString();
    const QDeadlineTimer deadline(5000);
    while (!deadline.hasExpired() && m_process.state() == QProcess::Running) {
        m_port = listeningPort(socketInodes(m_process.processId()));
        if (m_port != 0)
            return {};
        QThread::msleep(10);
    }
    return QStringLiteral("nghttpd did not start listening");
}

QUrl Http2Receiver::url(const QString &path) const
{
    return QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(m_port).arg(path));
}
