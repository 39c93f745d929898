#pragma once

#include <QDialog>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QTabWidget;

// File → Open Database…: a SQLite file, or a PostgreSQL server whose fields
// make postgresql://USER:PASSWORD@HOST:PORT/DB?sslmode=MODE. Open tries the
// location on a worker thread (the window never waits on a server) and
// accepts only when it opened.
class OpenDatabaseDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(OpenDatabaseDialog)

public:
    explicit OpenDatabaseDialog(QWidget *parent = nullptr);
    ~OpenDatabaseDialog() override;

    // Fills the pages from a file path or a postgresql:// URL (whose password,
    // never remembered, the user types again).
    void setLocation(const QString &location);
    // For a login the server refused: the password field, its text selected.
    void focusPassword();
    // What the pages describe now, the password included.
    QString location() const;
    bool isConnecting() const { return m_connecting; }

    static bool isServerUrl(const QString &location);
    static QString serverUrl(const QString &host, int port, const QString &database,
                             const QString &user, const QString &password, const QString &sslMode);
    // For showing and remembering: the URL's password masked, or left out.
    static QString displayLocation(const QString &location);
    static QString withoutPassword(const QString &location);

public slots:
    // Tries location() on a worker thread; accepts when it opens.
    void tryOpen();

private:
    QWidget *buildFilePage();
    QWidget *buildServerPage();
    void browse();
    void updateButtons();
    void finishTry(const QString &error);

    QTabWidget *m_pages = nullptr;
    QLineEdit *m_file = nullptr;
    QLineEdit *m_host = nullptr;
    QSpinBox *m_port = nullptr;
    QLineEdit *m_database = nullptr;
    QLineEdit *m_user = nullptr;
    QLineEdit *m_password = nullptr;
    QComboBox *m_sslMode = nullptr;
    QLabel *m_status = nullptr;
    QPushButton *m_open = nullptr;
    bool m_connecting = false;
    // Bumped by each try and on close, so a late answer is ignored.
    int m_try = 0;
};
