#pragma once

#include <QWidget>

class InboxRequestModel;
class InboxStore;
class JsonHighlighter;
class QComboBox;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QStackedWidget;
class QTableView;
class QTableWidget;
class StoreWriter;

// The local inbox beside the delivery log: what arrived at POST /inbox/NAME,
// newest first and live, with the signature verdict of each; the selected
// request's verdict in words, headers (credentials masked) and body,
// pretty-printed. Clear empties one inbox.
class InboxPane final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(InboxPane)

public:
    // How long clearing waits for another process's write lock.
    static constexpr int LockWaitMs = 200;

    explicit InboxPane(InboxStore *store, QWidget *parent = nullptr);

    InboxRequestModel *model() const { return m_model; }
    QTableView *table() const { return m_table; }
    // The request whose details are shown, 0 for none.
    qint64 currentRequestId() const { return m_shownId; }

public slots:
    // Reads what arrived since (the window calls it when the file changed).
    void refresh();
    // Asks, then deletes the requests of the chosen inbox (or of the
    // selected request's inbox when all are shown).
    void clearInbox();
    // Without asking; what clearInbox() does once confirmed. The delete
    // runs on the window's writer thread: Clear reads "Clearing…" until it
    // lands, then the table reloads and inboxCleared or statusMessage says
    // how it went.
    void clearInboxNamed(const QString &name);

public:
    // Where Clear writes: the window's writer thread. Without one, at once.
    void setStoreWriter(StoreWriter *writer) { m_writer = writer; }
    // A clear was asked for and has not landed yet.
    bool isClearing() const { return m_clearing > 0; }

signals:
    // A short message for a status bar.
    void statusMessage(const QString &message);
    // The requests of `name` are deleted (count of them) and the table reloaded.
    void inboxCleared(const QString &name, int count);

private:
    void reloadInboxNames();
    void onCurrentRowChanged();
    void showDetails(qint64 id);
    void updateEmptyState();
    QString inboxToClear() const;

    InboxStore *m_store;
    StoreWriter *m_writer = nullptr;
    int m_clearing = 0;
    InboxRequestModel *m_model;
    QComboBox *m_inboxCombo = nullptr;
    QPushButton *m_clearButton = nullptr;
    QStackedWidget *m_tableStack = nullptr;
    QTableView *m_table = nullptr;
    QLabel *m_emptyLabel = nullptr;
    QStackedWidget *m_detailsStack = nullptr;
    QLabel *m_detailsPlaceholder = nullptr;
    QLabel *m_verdictIcon = nullptr;
    QLabel *m_verdict = nullptr;
    QLabel *m_requestLine = nullptr;
    QTableWidget *m_headers = nullptr;
    QPlainTextEdit *m_body = nullptr;
    JsonHighlighter *m_highlighter = nullptr;
    QLabel *m_truncatedNote = nullptr;
    qint64 m_shownId = 0;
};
