#include "hook_filter_section.h"

#include "delivery/filter_trial.h"
#include "domain/payload_filter.h"
#include "json_highlighter.h"

#include <QComboBox>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QJsonDocument>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPointer>
#include <QPushButton>
#include <QThread>
#include <QVBoxLayout>

HookFilterSection::HookFilterSection(const QString &databasePath,
                                     std::function<Webhook()> currentHook, QWidget *parent)
    : QGroupBox(tr("Filter"), parent)
    , m_databasePath(databasePath)
    , m_currentHook(std::move(currentHook))
{
    setObjectName(QStringLiteral("filterSection"));
    auto *layout = new QVBoxLayout(this);
    auto *note = new QLabel(tr("Only events whose body matches are sent; the others are logged "
                               "as filtered. Keys are dotted paths (annotation.ground_truth, "
                               "tasks.0.id); a value means equal; $eq $neq $in $nin $gt $gte $lt "
                               "$lte $exists $regex test it; $and $or $not combine. Empty: every "
                               "event is sent."),
                            this);
    note->setWordWrap(true);
    layout->addWidget(note);

    m_editor = new QPlainTextEdit(this);
    m_editor->setObjectName(QStringLiteral("filterEditor"));
    m_editor->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_editor->setPlaceholderText(QStringLiteral(
        R"({"annotation.ground_truth": true, "annotation.result.0.value.choices": {"$in": ["Car"]}})"));
    m_editor->setTabChangesFocus(true);
    m_editor->setMinimumHeight(m_editor->fontMetrics().lineSpacing() * 5);
    m_highlighter = new JsonHighlighter(m_editor->document());
    m_highlighter->setBaseColor(m_editor->palette().color(QPalette::Base));
    layout->addWidget(m_editor);
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("filterStatus"));
    m_status->setWordWrap(true);
    layout->addWidget(m_status);

    auto *testRow = new QHBoxLayout;
    m_sample = new QComboBox(this);
    m_sample->setObjectName(QStringLiteral("filterSample"));
    m_test = new QPushButton(tr("Test"), this);
    m_test->setObjectName(QStringLiteral("filterTest"));
    m_test->setToolTip(tr("Runs the filter on the chosen event's sample body, or on the pasted "
                          "body."));
    testRow->addWidget(new QLabel(tr("Test on:"), this));
    testRow->addWidget(m_sample, 1);
    testRow->addWidget(m_test);
    layout->addLayout(testRow);
    m_pasted = new QPlainTextEdit(this);
    m_pasted->setObjectName(QStringLiteral("filterPastedBody"));
    m_pasted->setFont(m_editor->font());
    m_pasted->setPlaceholderText(tr("Paste a body as it is sent, with \"action\"."));
    m_pasted->setTabChangesFocus(true);
    m_pasted->setMaximumHeight(m_editor->fontMetrics().lineSpacing() * 6);
    m_pasted->hide();
    new JsonHighlighter(m_pasted->document());
    layout->addWidget(m_pasted);
    m_testResult = new QLabel(this);
    m_testResult->setObjectName(QStringLiteral("filterTestResult"));
    m_testResult->setWordWrap(true);
    m_testResult->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_testResult);

    auto *whatIfRow = new QHBoxLayout;
    m_whatIf = new QPushButton(tr("What if…"), this);
    m_whatIf->setObjectName(QStringLiteral("filterWhatIf"));
    m_whatIf->setToolTip(tr("Runs the filter over the last %L1 stored events of this webhook's "
                            "event types.")
                             .arg(FilterTrial::DefaultHistory));
    m_whatIfResult = new QLabel(this);
    m_whatIfResult->setObjectName(QStringLiteral("filterWhatIfResult"));
    m_whatIfResult->setWordWrap(true);
    whatIfRow->addWidget(m_whatIf);
    whatIfRow->addWidget(m_whatIfResult, 1);
    layout->addLayout(whatIfRow);

    connect(m_editor, &QPlainTextEdit::textChanged, this, [this] {
        check();
        m_testResult->clear();
        m_whatIfResult->clear();
        emit changed();
    });
    connect(m_sample, &QComboBox::currentIndexChanged, this, [this] {
        m_pasted->setVisible(m_sample->currentData().toString().isEmpty());
        m_testResult->clear();
    });
    connect(m_test, &QPushButton::clicked, this, &HookFilterSection::runTest);
    connect(m_whatIf, &QPushButton::clicked, this, &HookFilterSection::runWhatIf);
    check();
}

HookFilterSection::~HookFilterSection()
{
    if (m_trial) {
        m_cancel->store(true);
        m_trial->wait();
    }
}

void HookFilterSection::load(const Webhook &hook, const EventCatalog &catalog)
{
    m_catalog = catalog;
    const QSignalBlocker blocker(m_editor);
    m_editor->setPlainText(hook.filter);
    {
        const QSignalBlocker sampleBlocker(m_sample);
        m_sample->clear();
        for (const QString &key : FilterTrial::eventKeys(catalog, Webhook()))
            m_sample->addItem(tr("%1 sample").arg(key), key);
        m_sample->addItem(tr("Pasted body"), QString());
        const int first =
            hook.actions.isEmpty() ? 0 : std::max(0, m_sample->findData(hook.actions.first()));
        m_sample->setCurrentIndex(first);
    }
    m_pasted->setVisible(m_sample->currentData().toString().isEmpty());
    m_testResult->clear();
    m_whatIfResult->clear();
    check();
}

QString HookFilterSection::filterText() const
{
    return m_editor->toPlainText().trimmed();
}

void HookFilterSection::check()
{
    QString error;
    const std::optional<PayloadFilter> filter = PayloadFilter::parse(filterText().toUtf8(), &error);
    m_error = filter ? QString() : error;
    QPalette palette = m_status->palette();
    palette.setColor(QPalette::WindowText, filter ? this->palette().color(QPalette::WindowText)
                                                  : QColor(0xc6, 0x28, 0x28));
    m_status->setPalette(palette);
    if (!filter)
        m_status->setText(error);
    else if (filter->isEmpty())
        m_status->setText(tr("No filter: every event is sent."));
    else
        m_status->setText(
            tr("A valid filter of %n condition(s).", nullptr, filter->conditionCount()));
    m_test->setEnabled(filter.has_value());
    m_whatIf->setEnabled(filter.has_value() && !m_trial);
}

void HookFilterSection::runTest()
{
    QString error;
    const std::optional<PayloadFilter> filter = PayloadFilter::parse(filterText().toUtf8(), &error);
    if (!filter)
        return;
    const QString key = m_sample->currentData().toString();
    QJsonObject body;
    if (key.isEmpty()) {
        QJsonParseError parseError;
        const QJsonDocument document =
            QJsonDocument::fromJson(m_pasted->toPlainText().toUtf8(), &parseError);
        if (parseError.error != QJsonParseError::NoError || !document.isObject()) {
            m_testResult->setText(tr("The pasted body is not a JSON object."));
            return;
        }
        body = document.object();
    } else {
        body = FilterTrial::sampleBody(m_catalog, m_currentHook(), key);
    }
    m_testResult->setText(FilterTrial::verdict(*filter, body));
}

void HookFilterSection::runWhatIf()
{
    QString error;
    const std::optional<PayloadFilter> filter = PayloadFilter::parse(filterText().toUtf8(), &error);
    if (!filter || m_trial)
        return;
    m_whatIf->setEnabled(false);
    m_whatIfResult->setText(tr("Counting…"));
    m_cancel = std::make_shared<std::atomic_bool>(false);
    const Webhook hook = m_currentHook();
    const QString path = m_databasePath;
    const PayloadFilter trial = *filter;
    auto cancel = m_cancel;
    auto result = std::make_shared<Result<FilterTrial::Count>>(FilterTrial::Count());
    // Reading 10,000 bodies takes a moment: never on the GUI thread.
    m_trial = QThread::create([result, path, hook, trial, cancel] {
        *result =
            FilterTrial::overHistory(path, hook, trial, FilterTrial::DefaultHistory, cancel.get());
    });
    connect(m_trial, &QThread::finished, this, [this, result] {
        m_trial->deleteLater();
        m_trial = nullptr;
        m_whatIfResult->setText(result->ok() ? FilterTrial::describe(result->value())
                                             : result->error().message);
        check();
    });
    m_trial->start();
}
