#pragma once

#include "domain/event_catalog.h"
#include "domain/webhook.h"

#include <QGroupBox>
#include <atomic>
#include <functional>
#include <memory>

class JsonHighlighter;
class QComboBox;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QThread;

// The editor's Filter section: the hook's filter as highlighted JSON,
// checked as it is typed, with two proofs: Test (on an event's sample body
// or a pasted one) and What if (over the stored history, off this thread).
class HookFilterSection final : public QGroupBox
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HookFilterSection)

public:
    // `databasePath` is the file What if reads; `currentHook` the form as it is now.
    HookFilterSection(const QString &databasePath, std::function<Webhook()> currentHook,
                      QWidget *parent = nullptr);
    ~HookFilterSection() override;

    void load(const Webhook &hook, const EventCatalog &catalog);
    QString filterText() const;
    // Empty when the filter is valid.
    QString error() const { return m_error; }

signals:
    void changed();

private:
    void check();
    void runTest();
    void runWhatIf();

    QString m_databasePath;
    std::function<Webhook()> m_currentHook;
    EventCatalog m_catalog;
    QPlainTextEdit *m_editor = nullptr;
    JsonHighlighter *m_highlighter = nullptr;
    QLabel *m_status = nullptr;
    QComboBox *m_sample = nullptr;
    QPlainTextEdit *m_pasted = nullptr;
    QPushButton *m_test = nullptr;
    QLabel *m_testResult = nullptr;
    QPushButton *m_whatIf = nullptr;
    QLabel *m_whatIfResult = nullptr;
    QString m_error;
    QThread *m_trial = nullptr;
    std::shared_ptr<std::atomic_bool> m_cancel;
};
