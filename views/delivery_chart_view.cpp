#include "delivery_chart_view.h"

#include "app_settings.h"
#include "items/delivery_chart_model.h"
#include "outcome_delegate.h"

#include <QBarSet>
#include <QCategoryAxis>
#include <QChart>
#include <QChartView>
#include <QComboBox>
#include <QCursor>
#include <QEvent>
#include <QGraphicsLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QSettings>
#include <QStackedBarSeries>
#include <QStackedWidget>
#include <QToolButton>
#include <QToolTip>
#include <QVBoxLayout>
#include <QValueAxis>
#include <algorithm>
#include <cmath>

namespace {

const QString ExpandedKey = QStringLiteral("deliveryLog/chartExpanded");
const QString RangeKey = QStringLiteral("deliveryLog/chartRange");

// A round axis maximum above the highest stack: 1, 2, 5 times a power of ten.
qint64 niceCeiling(qint64 value)
{
    if (value <= 4)
        return 4;
    qint64 step = 1;
    while (step * 10 <= value)
        step *= 10;
    for (const qint64 factor : {1, 2, 5, 10}) {
        if (step * factor >= value)
            return step * factor;
    }
    return step * 10;
}

} // namespace

DeliveryChartView::DeliveryChartView(DeliveryChartModel *model, QWidget *parent)
    : QWidget(parent)
    , m_model(model)
{
    setObjectName(QStringLiteral("deliveryChart"));
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Maximum);

    m_expand = new QToolButton;
    m_expand->setObjectName(QStringLiteral("chartExpandButton"));
    m_expand->setCheckable(true);
    m_expand->setAutoRaise(true);
    m_expand->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    //: Title of the collapsible chart above the delivery log
    m_expand->setText(tr("Attempts over time"));
    m_expand->setToolTip(tr("Show or hide the chart of attempts over time"));
    connect(m_expand, &QToolButton::toggled, this, [this](bool on) {
        m_expand->setArrowType(on ? Qt::DownArrow : Qt::RightArrow);
        m_stack->setVisible(on);
        m_rangeCombo->setVisible(on);
        m_summary->setVisible(on);
        appSettings().setValue(ExpandedKey, on);
        keepChartRoom();
        updateActive();
        emit expandedChanged(on);
    });

    m_rangeCombo = new QComboBox;
    m_rangeCombo->setObjectName(QStringLiteral("chartRange"));
    m_rangeCombo->setAccessibleName(tr("Chart range"));
    m_rangeCombo->addItem(tr("Last hour"), int(DeliveryChartModel::Range::LastHour));
    m_rangeCombo->addItem(tr("Last 24 hours"), int(DeliveryChartModel::Range::Last24Hours));
    m_rangeCombo->addItem(tr("Last 7 days"), int(DeliveryChartModel::Range::Last7Days));
    m_rangeCombo->setSizeAdjustPolicy(QComboBox::AdjustToContents);

    m_summary = new QLabel;
    m_summary->setObjectName(QStringLiteral("chartSummary"));
    m_summary->setForegroundRole(QPalette::PlaceholderText);
    m_summary->setMinimumWidth(0);
    m_summary->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);

    m_headerWidget = new QWidget;
    m_headerWidget->setObjectName(QStringLiteral("chartHeader"));
    // In a row of other controls (the log's filter bar) it takes the spare width.
    m_headerWidget->setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    auto *header = m_header = new QHBoxLayout(m_headerWidget);
    header->setContentsMargins(0, 0, 0, 0);
    header->addWidget(m_expand);
    header->addWidget(m_rangeCombo);
    header->addWidget(m_summary, 1);

    m_series = new QStackedBarSeries;
    m_series->setBarWidth(0.9);
    for (int column = 0; column < DeliveryChartModel::ColumnCount; ++column) {
        auto *set =
            new QBarSet(m_model->headerData(column, Qt::Horizontal, Qt::DisplayRole).toString());
        set->setBorderColor(Qt::transparent);
        m_sets[column] = set;
        m_series->append(set);
    }
    m_chart = new QChart;
    m_chart->addSeries(m_series);
    // Room on the right for the last time label, which is centred on its bar.
    m_chart->setMargins(QMargins(0, 0, fontMetrics().averageCharWidth() * 3, 0));
    m_chart->setBackgroundRoundness(0);
    m_chart->setBackgroundVisible(false);
    m_chart->layout()->setContentsMargins(0, 0, 0, 0);
    m_chart->legend()->setAlignment(Qt::AlignRight);
    m_chart->setAnimationOptions(QChart::NoAnimation);

    m_timeAxis = new QCategoryAxis;
    m_timeAxis->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
    m_timeAxis->setGridLineVisible(false);
    m_countAxis = new QValueAxis;
    m_countAxis->setLabelFormat(QStringLiteral("%d"));
    m_countAxis->setTickCount(3);
    m_chart->addAxis(m_timeAxis, Qt::AlignBottom);
    m_chart->addAxis(m_countAxis, Qt::AlignLeft);
    m_series->attachAxis(m_timeAxis);
    m_series->attachAxis(m_countAxis);

    m_chartView = new QChartView(m_chart);
    m_chartView->setObjectName(QStringLiteral("chartView"));
    m_chartView->setRenderHint(QPainter::Antialiasing, false);
    m_chartView->setFrameShape(QFrame::NoFrame);
    m_chartView->setAccessibleName(tr("Attempts over time"));
    m_chartView->setToolTip(QString());

    m_emptyLabel = new QLabel;
    m_emptyLabel->setObjectName(QStringLiteral("chartEmpty"));
    m_emptyLabel->setAlignment(Qt::AlignCenter);
    m_emptyLabel->setWordWrap(true);
    m_emptyLabel->setForegroundRole(QPalette::PlaceholderText);

    m_stack = new QStackedWidget;
    m_stack->addWidget(m_emptyLabel);
    m_stack->addWidget(m_chartView);
    // Room for the bars, the time labels and the count axis (sizeHint()),
    // never less than keepChartRoom() keeps while open.
    m_stack->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Maximum);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    layout->addWidget(m_headerWidget);
    layout->addWidget(m_stack);

    connect(m_series, &QAbstractBarSeries::clicked, this, [this](int row, QBarSet *) {
        const QModelIndex index = m_model->index(row, 0);
        if (!index.isValid())
            return;
        emit bucketClicked(index.data(DeliveryChartModel::BucketStartRole).toDateTime(),
                           index.data(DeliveryChartModel::BucketEndRole).toDateTime());
    });
    connect(m_series, &QAbstractBarSeries::hovered, this,
            [this](bool shown, int row, QBarSet *) { showToolTip(shown, row); });
    connect(m_model, &DeliveryChartModel::loaded, this, &DeliveryChartView::onLoaded);
    connect(m_model, &DeliveryChartModel::loadingChanged, this, &DeliveryChartView::onLoaded);

    const QSettings settings = appSettings();
    const int range = settings.value(RangeKey, int(DeliveryChartModel::Range::Last24Hours)).toInt();
    const int rangeIndex = m_rangeCombo->findData(range);
    m_rangeCombo->setCurrentIndex(rangeIndex < 0 ? 1 : rangeIndex);
    m_model->setRange(DeliveryChartModel::Range(m_rangeCombo->currentData().toInt()));
    connect(m_rangeCombo, &QComboBox::currentIndexChanged, this, [this] {
        const int value = m_rangeCombo->currentData().toInt();
        appSettings().setValue(RangeKey, value);
        m_model->setRange(DeliveryChartModel::Range(value));
        updateAxes();
        onLoaded();
    });

    // Collapsed until the user opens it: at the window's default size the
    // editor and the log's rows come first (the header stays in sight).
    const bool expanded = settings.value(ExpandedKey, false).toBool();
    m_expand->setChecked(expanded);
    m_expand->setArrowType(expanded ? Qt::DownArrow : Qt::RightArrow);
    m_stack->setVisible(expanded);
    m_rangeCombo->setVisible(expanded);
    m_summary->setVisible(expanded);
    keepChartRoom();

    updateColors();
    updateAxes();
    onLoaded();
}

DeliveryChartView::~DeliveryChartView() = default;

QSize DeliveryChartView::sizeHint() const
{
    const QSize header = m_headerTaken ? QSize(0, 0) : m_headerWidget->sizeHint();
    const int chart =
        isExpanded() ? (ChartLines + (m_headerTaken ? 1 : 0)) * fontMetrics().lineSpacing() : 0;
    return {header.width(), header.height() + chart};
}

bool DeliveryChartView::hasHeightForWidth() const
{
    // Its height is sizeHint()'s, whatever it shows: the wrapped "Counting
    // attempts…" text has a height for each width, the bars have not, and
    // the counts arriving would relay out the log below it (a repaint of
    // every row, on the GUI thread, as the chart first draws).
    return false;
}

QSize DeliveryChartView::minimumSizeHint() const
{
    const QSize header = m_headerTaken ? QSize(0, 0) : m_headerWidget->minimumSizeHint();
    return {header.width(), header.height() + m_stack->minimumHeight()};
}

void DeliveryChartView::keepChartRoom()
{
    // Open, the bars and their labels keep most of their height: a parent
    // makes room for them rather than squeezing them to a line.
    m_stack->setMinimumHeight(isExpanded() ? (ChartLines - 2) * fontMetrics().lineSpacing() : 0);
    updateGeometry();
}

QWidget *DeliveryChartView::takeHeader()
{
    if (!m_headerTaken) {
        layout()->removeWidget(m_headerWidget);
        // The summary is long: it goes above the bars, which it is about.
        m_header->removeWidget(m_summary);
        m_summary->setParent(this);
        static_cast<QVBoxLayout *>(layout())->insertWidget(0, m_summary);
        m_headerTaken = true;
        updateGeometry();
    }
    return m_headerWidget;
}

bool DeliveryChartView::isExpanded() const
{
    return m_expand->isChecked();
}

void DeliveryChartView::addHeaderWidget(QWidget *widget)
{
    m_header->addWidget(widget);
}

void DeliveryChartView::setExpanded(bool expanded)
{
    m_expand->setChecked(expanded);
}

void DeliveryChartView::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    updateActive();
}

void DeliveryChartView::hideEvent(QHideEvent *event)
{
    QWidget::hideEvent(event);
    updateActive();
}

void DeliveryChartView::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        updateColors();
}

void DeliveryChartView::updateActive()
{
    m_model->setActive(isVisible() && isExpanded());
}

void DeliveryChartView::updateColors()
{
    // The window's palette, light or dark; the outcomes' colours as in the log.
    for (int column = 0; column < DeliveryChartModel::ColumnCount; ++column)
        m_sets[column]->setColor(OutcomeDelegate::colorFor(
            DeliveryChartModel::outcomeOf(DeliveryChartModel::Column(column))));
    const QColor text = palette().color(QPalette::WindowText);
    const QColor grid = palette().color(QPalette::Mid);
    m_chart->legend()->setLabelColor(text);
    for (QAbstractAxis *axis :
         {static_cast<QAbstractAxis *>(m_timeAxis), static_cast<QAbstractAxis *>(m_countAxis)}) {
        axis->setLabelsColor(text);
        axis->setTitleBrush(text);
        axis->setLinePenColor(grid);
        axis->setGridLineColor(grid);
    }
    QFont small = font();
    small.setPointSizeF(small.pointSizeF() * 0.85);
    m_timeAxis->setLabelsFont(small);
    m_countAxis->setLabelsFont(small);
    m_countAxis->setTitleFont(small);
    m_chart->legend()->setFont(small);
}

QString DeliveryChartView::countAxisTitle() const
{
    switch (m_model->range()) {
    case DeliveryChartModel::Range::LastHour:
        //: The chart's vertical axis: each bar counts one minute
        return tr("per minute");
    case DeliveryChartModel::Range::Last24Hours:
        //: The chart's vertical axis: each bar counts 15 minutes
        return tr("per 15 min");
    case DeliveryChartModel::Range::Last7Days:
        //: The chart's vertical axis: each bar counts one hour
        return tr("per hour");
    }
    return {};
}

void DeliveryChartView::updateAxes()
{
    const int buckets = DeliveryChartModel::bucketCountFor(m_model->range());
    const qint64 ms = m_model->bucketMs();
    // A label every 10 minutes, 3 hours or day, at the bucket that starts it.
    qint64 labelEveryMs = 10 * 60 * 1000;
    QString format = QLocale().timeFormat(QLocale::ShortFormat);
    if (m_model->range() == DeliveryChartModel::Range::Last24Hours) {
        labelEveryMs = 3 * 60 * 60 * 1000;
    } else if (m_model->range() == DeliveryChartModel::Range::Last7Days) {
        labelEveryMs = 24 * 60 * 60 * 1000;
        format = QStringLiteral("ddd d");
    }
    for (const QString &label : m_timeAxis->categoriesLabels())
        m_timeAxis->remove(label);
    const QDateTime start = m_model->start();
    const QLocale locale;
    for (int row = 0; row < buckets; ++row) {
        const QDateTime local = start.addMSecs(ms * row).toLocalTime();
        const qint64 sinceMidnight = local.time().msecsSinceStartOfDay();
        if (sinceMidnight % labelEveryMs != 0)
            continue;
        m_timeAxis->append(locale.toString(local, format), row);
    }
    m_timeAxis->setStartValue(-0.5);
    m_timeAxis->setRange(-0.5, buckets - 0.5);
    m_countAxis->setRange(0, double(niceCeiling(m_model->maximum())));
    m_countAxis->setTitleText(countAxisTitle());
}

void DeliveryChartView::onLoaded()
{
    const int rows = m_model->rowCount();
    for (int column = 0; column < DeliveryChartModel::ColumnCount; ++column) {
        QList<qreal> values;
        values.reserve(rows);
        for (int row = 0; row < rows; ++row)
            values.append(qreal(m_model->count(row, DeliveryChartModel::Column(column))));
        QBarSet *set = m_sets[column];
        set->remove(0, set->count());
        set->append(values);
    }
    updateAxes();

    const QLocale locale;
    if (!m_model->error().isEmpty()) {
        //: %1 is why the database could not be read
        m_emptyLabel->setText(tr("Could not count the attempts: %1").arg(m_model->error()));
        m_stack->setCurrentWidget(m_emptyLabel);
        m_summary->clear();
    } else if (!m_model->hasLoaded()) {
        m_emptyLabel->setText(tr("Counting attempts…"));
        m_stack->setCurrentWidget(m_emptyLabel);
        m_summary->clear();
    } else if (m_model->total() == 0) {
        m_emptyLabel->setText(tr("No attempts in this range match the log's filters."));
        m_stack->setCurrentWidget(m_emptyLabel);
        m_summary->clear();
    } else {
        m_stack->setCurrentWidget(m_chartView);
        qint64 failed = 0;
        for (int row = 0; row < rows; ++row)
            failed += m_model->count(row, DeliveryChartModel::Failed);
        //: Next to the chart's title: %1 attempts in the range, %2 of them failed
        m_summary->setText(tr("%1 attempts, %2 failed · click a bar to filter the log")
                               .arg(locale.toString(m_model->total()), locale.toString(failed)));
    }
}

QPoint DeliveryChartView::barPosition(int row) const
{
    qreal stack = 0;
    for (int column = 0; column < DeliveryChartModel::ColumnCount; ++column)
        stack += qreal(m_model->count(row, DeliveryChartModel::Column(column)));
    const QPointF inChart = m_chart->mapToPosition(QPointF(row, stack / 2), m_series);
    const QPointF inScene = m_chart->mapToScene(inChart);
    return m_chartView->mapFromScene(inScene);
}

void DeliveryChartView::showToolTip(bool shown, int row)
{
    if (!shown) {
        QToolTip::hideText();
        return;
    }
    const QModelIndex index = m_model->index(row, 0);
    const QDateTime from = index.data(DeliveryChartModel::BucketStartRole).toDateTime();
    const QDateTime to = index.data(DeliveryChartModel::BucketEndRole).toDateTime();
    const QLocale locale;
    QStringList lines;
    //: A chart bar's tooltip: %1 and %2 are the start and end of its time bucket
    lines.append(tr("%1 – %2").arg(locale.toString(from.toLocalTime(), QLocale::ShortFormat),
                                   locale.toString(to.toLocalTime().time(), QLocale::ShortFormat)));
    for (int column = 0; column < DeliveryChartModel::ColumnCount; ++column) {
        const qint64 n = m_model->count(row, DeliveryChartModel::Column(column));
        if (n > 0)
            //: A chart bar's tooltip line: %1 an outcome, %2 how many attempts had it
            lines.append(tr("%1: %2").arg(
                m_model->headerData(column, Qt::Horizontal, Qt::DisplayRole).toString(),
                locale.toString(n)));
    }
    lines.append(tr("Click to show these attempts in the log"));
    QToolTip::showText(QCursor::pos(), lines.join(QLatin1Char('\n')), m_chartView);
}
