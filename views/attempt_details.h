#pragma once

#include "domain/attempt.h"

#include <QTabWidget>

class JsonHighlighter;
class ElidedLabel;
class QLabel;
class QPlainTextEdit;
class QSplitter;
class QTableWidget;

// One attempt in full, in tabs: Request (method, URL, headers, body),
// Response (status, headers, body, truncation) and Trace. JSON bodies are
// pretty-printed and highlighted. Shows what the store recorded, which has
// its secrets masked; nothing here unmasks.
class AttemptDetails final : public QTabWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AttemptDetails)

public:
    enum Tab { RequestTab, ResponseTab, TraceTab };
    // Narrower than this, headers go above the body instead of beside it.
    static constexpr int SideBySideMinWidth = 760;

    explicit AttemptDetails(QWidget *parent = nullptr);

    // `attempt` read with details.
    void setAttempt(const Attempt &attempt);
    void clear();
    qint64 attemptId() const { return m_attemptId; }

    // Indented JSON when the body parses as JSON, else the text as it is.
    static QString prettyBody(const QByteArray &body, bool *isJson = nullptr);

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    QWidget *createRequestTab();
    QWidget *createResponseTab();
    QPlainTextEdit *createBodyView(const QString &objectName, JsonHighlighter **highlighter);
    QTableWidget *createHeaderTable(const QString &objectName);
    static void fillHeaders(QTableWidget *table, const HeaderList &headers);
    static void setBody(QPlainTextEdit *view, const QByteArray &body, const QString &emptyText);

    qint64 m_attemptId = 0;
    QSplitter *m_requestSplitter = nullptr;
    QSplitter *m_responseSplitter = nullptr;
    ElidedLabel *m_requestLine = nullptr;
    QLabel *m_requestNote = nullptr;
    QTableWidget *m_requestHeaders = nullptr;
    QPlainTextEdit *m_requestBody = nullptr;
    JsonHighlighter *m_requestHighlighter = nullptr;
    QLabel *m_statusLine = nullptr;
    QTableWidget *m_responseHeaders = nullptr;
    QPlainTextEdit *m_responseBody = nullptr;
    JsonHighlighter *m_responseHighlighter = nullptr;
    QLabel *m_truncatedNote = nullptr;
    QPlainTextEdit *m_trace = nullptr;
};
