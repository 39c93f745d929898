#pragma once

#include <QDateTime>
#include <QWidget>

class DeliveryChartModel;
class QBarSet;
class QCategoryAxis;
class QChart;
class QChartView;
class QComboBox;
class QHBoxLayout;
class QLabel;
class QStackedBarSeries;
class QStackedWidget;
class QToolButton;
class QValueAxis;

// The chart above the log: attempts per bucket of time stacked by outcome,
// over the last hour, 24 hours or 7 days. Clicking a bar asks for the log's
// time filter to become that bucket. It can be collapsed to its header line
// (it starts so); that choice and the range are remembered. Collapsed or hidden, it reads
// nothing.
class DeliveryChartView final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DeliveryChartView)

public:
    explicit DeliveryChartView(DeliveryChartModel *model, QWidget *parent = nullptr);
    ~DeliveryChartView() override;

    DeliveryChartModel *model() const { return m_model; }
    QChartView *chartView() const { return m_chartView; }
    QChart *chart() const { return m_chart; }
    QStackedBarSeries *series() const { return m_series; }
    QComboBox *rangeCombo() const { return m_rangeCombo; }
    QToolButton *expandButton() const { return m_expand; }
    bool isExpanded() const;
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;
    bool hasHeightForWidth() const override;
    // Puts a widget at the end of the header line (it stays when collapsed).
    void addHeaderWidget(QWidget *widget);
    // The header line (expand button, range, summary) for a place of its own,
    // e.g. a row of the log's filter bar; the view keeps only the bars then.
    QWidget *takeHeader();
    // The bars' height, in lines of text, when open.
    static constexpr int ChartLines = 7;
    void setExpanded(bool expanded);
    // Where bar `row` is drawn, in the chart view's viewport (its middle, at
    // the top of its stack's lower half).
    QPoint barPosition(int row) const;
    // The axis titles say the bucket size: "Attempts per 15 minutes".
    QString countAxisTitle() const;

signals:
    void expandedChanged(bool expanded);
    // A bar was clicked: [from, to) is its bucket.
    void bucketClicked(const QDateTime &from, const QDateTime &to);

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    void onLoaded();
    void keepChartRoom();
    void updateActive();
    void updateColors();
    void updateAxes();
    void showToolTip(bool shown, int row);

    DeliveryChartModel *m_model;
    QToolButton *m_expand = nullptr;
    QComboBox *m_rangeCombo = nullptr;
    QLabel *m_summary = nullptr;
    QWidget *m_headerWidget = nullptr;
    QHBoxLayout *m_header = nullptr;
    bool m_headerTaken = false;
    QStackedWidget *m_stack = nullptr;
    QLabel *m_emptyLabel = nullptr;
    QChartView *m_chartView = nullptr;
    QChart *m_chart = nullptr;
    QStackedBarSeries *m_series = nullptr;
    QBarSet *m_sets[4] = {};
    QCategoryAxis *m_timeAxis = nullptr;
    QValueAxis *m_countAxis = nullptr;
};
