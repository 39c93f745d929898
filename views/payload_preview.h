#pragma once

#include "domain/event_catalog.h"
#include "domain/webhook.h"

#include <QWidget>

class ElidedLabel;
class JsonHighlighter;
class QComboBox;
class QLabel;
class QPlainTextEdit;

// The editor's sample payload preview: the body one event's sample payload
// makes as the hook in the form would send it (Send payload, scope and
// project), pretty-printed and read-only, under the request line and headers
// with secret values masked. Long lines scroll inside it and the request line
// is elided, so no payload widens the window. It follows the form while it
// is shown and does no work while it is hidden.
class PayloadPreview final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PayloadPreview)

public:
    static constexpr int BodyLines = 12;

    explicit PayloadPreview(QWidget *parent = nullptr);

    // The hook as the form describes it; projectTitle names its project in
    // the body ("project": {"id", "title", …}).
    void setHook(const EventCatalog &catalog, const Webhook &hook, const QString &projectTitle);
    // Shows this event when the hook receives it (the editor's event tree
    // calls it with the selected event).
    void selectEvent(const QString &key);
    QString currentEvent() const;

    QComboBox *eventCombo() const { return m_event; }
    QPlainTextEdit *bodyView() const { return m_body; }
    // "POST url" and the headers, one line each (the full text in its tooltip).
    QString requestText() const;

protected:
    void showEvent(QShowEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void refresh();
    void fillEvents();

    EventCatalog m_catalog;
    Webhook m_hook;
    QString m_projectTitle;
    QString m_wanted;
    bool m_stale = true;
    QComboBox *m_event;
    ElidedLabel *m_request;
    QPlainTextEdit *m_body;
    JsonHighlighter *m_highlighter;
    QLabel *m_note;
};
