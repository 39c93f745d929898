#pragma once

#include <QLayout>
#include <QList>

// Lays its items out in rows, left to right, and starts a new row where the
// next item would not fit (Qt's Flow Layout example, with stretch): a row's
// spare width goes to the items that may grow horizontally (an Expanding
// size policy), so the row ends flush at the right. The height follows the
// width (heightForWidth), and the minimum height is the height at the width
// the layout has now, so a parent makes room for a second row.
class FlowLayout final : public QLayout
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FlowLayout)

public:
    explicit FlowLayout(QWidget *parent = nullptr);
    ~FlowLayout() override;

    void addItem(QLayoutItem *item) override;
    int count() const override;
    QLayoutItem *itemAt(int index) const override;
    QLayoutItem *takeAt(int index) override;
    Qt::Orientations expandingDirections() const override;
    bool hasHeightForWidth() const override;
    int heightForWidth(int width) const override;
    QSize minimumSize() const override;
    QSize sizeHint() const override;
    void setGeometry(const QRect &rect) override;

    // How many rows the items took at the last setGeometry().
    int rowCount() const { return m_rows; }

private:
    // Places the items in `rect` (or only measures, when `place` is false);
    // returns the height they need and the number of rows.
    int arrange(const QRect &rect, bool place, int *rows = nullptr) const;
    // Between items and between rows: spacing(), else the style's.
    int gapWidth() const;

    QList<QLayoutItem *> m_items;
    int m_rows = 1;
};
