#pragma once

#include <QWidget>

class QPushButton;

// Shown instead of the list and settings page while there are no hooks: says
// what a webhook does here and offers to add the first one.
class EmptyState final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EmptyState)

public:
    explicit EmptyState(QWidget *parent = nullptr);

    QPushButton *addButton() const { return m_addButton; }

signals:
    void addRequested();

private:
    QPushButton *m_addButton;
};
