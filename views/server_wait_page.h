#pragma once

#include <QTimer>
#include <QWidget>

class QLabel;
class QPushButton;

// What the window shows while its database server does not answer: which
// server (password masked), why the last try failed, and when the next one
// is; the normal window replaces it once the server answers.
class ServerWaitPage final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ServerWaitPage)

public:
    // location: a postgresql:// address, password and all (it is masked).
    explicit ServerWaitPage(const QString &location, QWidget *parent = nullptr);

    // A try is under way.
    void showConnecting();
    // The last try failed for `reason`; the next starts in retryInMs.
    void showUnavailable(const QString &reason, int retryInMs);

    QString address() const;
    QString reason() const;
    QString retryText() const;

signals:
    void tryNowRequested();
    void openAnotherRequested();

private:
    void updateCountdown();

    QLabel *m_title;
    QLabel *m_address;
    QLabel *m_reason;
    QLabel *m_retry;
    QPushButton *m_tryNow;
    QPushButton *m_openAnother;
    QTimer m_countdown;
    qint64 m_nextTryAt = 0;
};
