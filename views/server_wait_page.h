#pragma once

#include <QTimer>
#include <QWidget>

class QLabel;
class QPushButton;

// What the window shows while its database server does not answer: which
// server (password masked), why the last try failed, and when the next one
// is; the normal window replaces it once the server answers. A server that
// answers and refuses the login is not waited for: the page says so and
// offers to edit the connection.
class ServerWaitPage final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ServerWaitPage)

public:
    enum class Mode { Connecting, Waiting, Refused };

    // location: a postgresql:// address, password and all (it is masked).
    explicit ServerWaitPage(const QString &location, QWidget *parent = nullptr);

    // A try is under way.
    void showConnecting();
    // The last try failed for `reason`; the next starts in retryInMs.
    void showUnavailable(const QString &reason, int retryInMs);
    // The server refused the login (`reason` says why, password masked):
    // nothing is tried again until the user asks.
    void showRefused(const QString &reason);

    Mode mode() const { return m_mode; }

    QString address() const;
    QString reason() const;
    QString retryText() const;

signals:
    void tryNowRequested();
    void openAnotherRequested();
    // The same address to correct: user, password, database name.
    void editConnectionRequested();

private:
    void updateCountdown();

    QLabel *m_title;
    QLabel *m_address;
    QLabel *m_reason;
    QLabel *m_retry;
    QPushButton *m_tryNow;
    QPushButton *m_editConnection;
    QPushButton *m_openAnother;
    QTimer m_countdown;
    qint64 m_nextTryAt = 0;
    Mode m_mode = Mode::Connecting;
};
