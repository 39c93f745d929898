#include "attempt_details.h"

#include "elided_label.h"
#include "json_highlighter.h"

#include <QFontDatabase>
#include <QHeaderView>
#include <QJsonDocument>
#include <QLabel>
#include <QPlainTextEdit>
#include <QResizeEvent>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>

namespace {

QString localTime(const QDateTime &time)
{
    return time.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
}

} // namespace

AttemptDetails::AttemptDetails(QWidget *parent)
    : QTabWidget(parent)
{
    setDocumentMode(true);
    // No mnemonics on the tabs: every letter of their names is taken by a
    // field of the window around them. Ctrl+Tab or the arrow keys switch them.
    addTab(createRequestTab(), tr("Request"));
    addTab(createResponseTab(), tr("Response"));

    m_trace = new QPlainTextEdit;
    m_trace->setObjectName(QStringLiteral("traceView"));
    m_trace->setReadOnly(true);
    m_trace->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_trace->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_trace->setAccessibleName(tr("Trace"));
    addTab(m_trace, tr("Trace"));
    clear();
}

QTableWidget *AttemptDetails::createHeaderTable(const QString &objectName)
{
    auto *table = new QTableWidget(0, 2);
    // Tab leaves the table; arrows move between cells.
    table->setTabKeyNavigation(false);
    table->setObjectName(objectName);
    table->setHorizontalHeaderLabels({tr("Header"), tr("Value")});
    table->verticalHeader()->hide();
    table->horizontalHeader()->setStretchLastSection(true);
    table->horizontalHeader()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setWordWrap(false);
    table->setAlternatingRowColors(true);
    table->verticalHeader()->setDefaultSectionSize(table->fontMetrics().height() + 6);
    return table;
}

QPlainTextEdit *AttemptDetails::createBodyView(const QString &objectName,
                                               JsonHighlighter **highlighter)
{
    auto *view = new QPlainTextEdit;
    view->setObjectName(objectName);
    view->setReadOnly(true);
    view->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    view->setLineWrapMode(QPlainTextEdit::NoWrap);
    *highlighter = new JsonHighlighter(view->document());
    (*highlighter)->setBaseColor(view->palette().color(QPalette::Base));
    return view;
}

QWidget *AttemptDetails::createRequestTab()
{
    // A URL has no break point: wrapped, a long one widened the whole window.
    m_requestLine = new ElidedLabel;
    m_requestLine->setObjectName(QStringLiteral("requestLine"));
    m_requestLine->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_requestLine->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_requestNote = new QLabel;
    m_requestNote->setObjectName(QStringLiteral("requestNote"));
    m_requestNote->setForegroundRole(QPalette::PlaceholderText);
    m_requestNote->setWordWrap(true);
    m_requestHeaders = createHeaderTable(QStringLiteral("requestHeaders"));
    m_requestHeaders->setAccessibleName(tr("Request headers"));
    m_requestBody = createBodyView(QStringLiteral("requestBody"), &m_requestHighlighter);
    m_requestBody->setAccessibleName(tr("Request body"));

    auto *splitter = new QSplitter(Qt::Horizontal);
    m_requestSplitter = splitter;
    splitter->addWidget(m_requestHeaders);
    splitter->addWidget(m_requestBody);
    splitter->setStretchFactor(0, 2);
    splitter->setStretchFactor(1, 3);
    splitter->setChildrenCollapsible(false);

    auto *page = new QWidget;
    auto *layout = new QVBoxLayout(page);
    layout->addWidget(m_requestLine);
    layout->addWidget(m_requestNote);
    layout->addWidget(splitter, 1);
    return page;
}

QWidget *AttemptDetails::createResponseTab()
{
    m_statusLine = new QLabel;
    m_statusLine->setObjectName(QStringLiteral("statusLine"));
    m_statusLine->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_statusLine->setWordWrap(true);
    QFont bold = m_statusLine->font();
    bold.setBold(true);
    m_statusLine->setFont(bold);
    m_responseHeaders = createHeaderTable(QStringLiteral("responseHeaders"));
    m_responseHeaders->setAccessibleName(tr("Response headers"));
    m_responseBody = createBodyView(QStringLiteral("responseBody"), &m_responseHighlighter);
    m_responseBody->setAccessibleName(tr("Response body"));
    m_truncatedNote = new QLabel(tr("(truncated to 64 KiB)"));
    m_truncatedNote->setObjectName(QStringLiteral("truncatedNote"));
    m_truncatedNote->setForegroundRole(QPalette::PlaceholderText);

    auto *bodyColumn = new QWidget;
    auto *bodyLayout = new QVBoxLayout(bodyColumn);
    bodyLayout->setContentsMargins(0, 0, 0, 0);
    bodyLayout->addWidget(m_responseBody, 1);
    bodyLayout->addWidget(m_truncatedNote);

    auto *splitter = new QSplitter(Qt::Horizontal);
    m_responseSplitter = splitter;
    splitter->addWidget(m_responseHeaders);
    splitter->addWidget(bodyColumn);
    splitter->setStretchFactor(0, 2);
    splitter->setStretchFactor(1, 3);
    splitter->setChildrenCollapsible(false);

    auto *page = new QWidget;
    auto *layout = new QVBoxLayout(page);
    layout->addWidget(m_statusLine);
    layout->addWidget(splitter, 1);
    return page;
}

void AttemptDetails::resizeEvent(QResizeEvent *event)
{
    QTabWidget::resizeEvent(event);
    const Qt::Orientation wanted = width() >= SideBySideMinWidth ? Qt::Horizontal : Qt::Vertical;
    for (QSplitter *splitter : {m_requestSplitter, m_responseSplitter})
        splitter->setOrientation(wanted);
}

QString AttemptDetails::prettyBody(const QByteArray &body, bool *isJson)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(body, &error);
    const bool json = error.error == QJsonParseError::NoError && !document.isNull();
    if (isJson)
        *isJson = json;
    if (!json)
        return QString::fromUtf8(body);
    QString text = QString::fromUtf8(document.toJson(QJsonDocument::Indented));
    while (text.endsWith(QLatin1Char('\n')))
        text.chop(1);
    return text;
}

void AttemptDetails::fillHeaders(QTableWidget *table, const HeaderList &headers)
{
    table->setRowCount(int(headers.size()));
    for (int row = 0; row < headers.size(); ++row) {
        auto *name = new QTableWidgetItem(headers.at(row).first);
        auto *value = new QTableWidgetItem(headers.at(row).second);
        value->setToolTip(headers.at(row).second);
        table->setItem(row, 0, name);
        table->setItem(row, 1, value);
    }
}

void AttemptDetails::setBody(QPlainTextEdit *view, const QByteArray &body, const QString &emptyText)
{
    if (body.isEmpty()) {
        view->clear();
        view->setPlaceholderText(emptyText);
        return;
    }
    view->setPlainText(prettyBody(body));
}

void AttemptDetails::clear()
{
    m_attemptId = 0;
    m_requestLine->setFullText(QString());
    m_requestNote->hide();
    m_requestHeaders->setRowCount(0);
    m_requestBody->clear();
    m_statusLine->clear();
    m_responseHeaders->setRowCount(0);
    m_responseBody->clear();
    m_truncatedNote->hide();
    m_trace->clear();
}

void AttemptDetails::setAttempt(const Attempt &attempt)
{
    m_attemptId = attempt.id;
    const bool pending = attempt.outcome == AttemptOutcome::Pending;

    //: The request line: method and URL
    m_requestLine->setFullText(tr("POST %1").arg(attempt.url));
    if (pending) {
        //: %1 is a date and time
        m_requestNote->setText(tr("Not sent yet; due %1. The headers are recorded when it is "
                                  "sent.")
                                   .arg(localTime(attempt.dueAt)));
        m_requestNote->show();
    } else {
        m_requestNote->hide();
    }
    fillHeaders(m_requestHeaders, attempt.requestHeaders);
    setBody(m_requestBody, attempt.requestBody, tr("No body"));

    QString status;
    if (pending) {
        status = tr("No response yet.");
    } else if (attempt.outcome == AttemptOutcome::Succeeded) {
        //: %1 status code, %2 milliseconds
        status = tr("HTTP %1 · %2 ms").arg(attempt.statusCode).arg(attempt.durationMs);
    } else if (attempt.statusCode > 0) {
        //: %1 e.g. "HTTP 500 Internal Server Error", %2 milliseconds
        const QString summary =
            attempt.error.isEmpty() ? tr("HTTP %1").arg(attempt.statusCode) : attempt.error;
        status = tr("%1 · %2 ms").arg(summary, QString::number(attempt.durationMs));
    } else {
        //: %1 what went wrong, e.g. "connection refused"
        status = tr("No response: %1").arg(attempt.error);
    }
    m_statusLine->setText(status);
    fillHeaders(m_responseHeaders, attempt.responseHeaders);
    // With no response at all the status line says so; "no body" would
    // suggest a response that came without one.
    const bool noResponse =
        !pending && attempt.statusCode == 0 && attempt.responseHeaders.isEmpty();
    setBody(m_responseBody, attempt.responseBody,
            pending ? tr("No response yet")
                    : (noResponse ? QString() : tr("The response had no body")));
    m_truncatedNote->setVisible(attempt.responseTruncated);

    if (attempt.trace.isEmpty()) {
        m_trace->clear();
        m_trace->setPlaceholderText(pending ? tr("The trace is written when the attempt has run.")
                                            : tr("No trace was recorded."));
    } else {
        m_trace->setPlainText(attempt.trace);
    }
}
