#pragma once

#include <QFrame>

class QLabel;
class QToolButton;

// A strip at the top of a window for a problem that does not need an answer
// (the delivery engine could not write to the database): the message and a
// button to dismiss it. The same message again only counts up, so a failure
// that repeats does not flood the user.
class MessageBanner final : public QFrame
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MessageBanner)

public:
    explicit MessageBanner(QWidget *parent = nullptr);

    QString message() const { return m_message; }
    int repeats() const { return m_repeats; }

public slots:
    void showMessage(const QString &message);
    void dismiss();

signals:
    void dismissed();

protected:
    void changeEvent(QEvent *event) override;

private:
    void updateText();
    void updateColors();

    QLabel *m_icon;
    QLabel *m_text;
    QToolButton *m_close;
    QString m_message;
    int m_repeats = 0;
};
