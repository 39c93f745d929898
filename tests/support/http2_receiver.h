#pragma once

#include <QProcess>
#include <QTemporaryDir>
#include <QUrl>

// A real HTTP/2 receiver without TLS (h2c, prior knowledge): nghttp2's
// nghttpd, started on 127.0.0.1 port 0. It answers every POST with 200 and
// either the body it was sent (Echo: nghttpd spools each body to a file, a
// few thousand a second) or the file /ok, {"ok":true} (fast). The port is
// read back from /proc, as nghttpd does not print it.
class Http2Receiver final
{
    Q_DISABLE_COPY_MOVE(Http2Receiver)

public:
    enum class Answer { Echo, Ok };

    explicit Http2Receiver(Answer answer = Answer::Echo)
        : m_answer(answer)
    {
    }
    ~Http2Receiver();

    // Empty on success, otherwise why it could not start.
    QString start();
    QUrl url(const QString &path) const;
    quint16 port() const { return m_port; }

    static QString program(); // the nghttpd on PATH, or empty

private:
    Answer m_answer;
    QTemporaryDir m_root;
    QProcess m_process;
    quint16 m_port = 0;
};
