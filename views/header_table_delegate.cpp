#include "header_table_delegate.h"

#include "items/header_table_model.h"
#include "validation_style.h"

#include <QLineEdit>

QWidget *HeaderTableDelegate::createEditor(QWidget *parent, const QStyleOptionViewItem &option,
                                           const QModelIndex &index) const
{
    QWidget *editor = QStyledItemDelegate::createEditor(parent, option, index);
    if (auto *lineEdit = qobject_cast<QLineEdit *>(editor)) {
        if (index.column() == HeaderTableModel::Name) {
            lineEdit->setPlaceholderText(tr("X-Custom-Header"));
        } else if (index.column() == HeaderTableModel::Value &&
                   index.data(HeaderTableModel::IsSecretRole).toBool()) {
            lineEdit->setEchoMode(QLineEdit::Password);
        }
    }
    return editor;
}

void HeaderTableDelegate::initStyleOption(QStyleOptionViewItem *option,
                                          const QModelIndex &index) const
{
    QStyledItemDelegate::initStyleOption(option, index);
    if (index.data(HeaderTableModel::ErrorRole).toString().isEmpty())
        return;
    const QColor error = ValidationStyle::errorColor(option->palette);
    ValidationStyle::setEnabledColor(option->palette, QPalette::Text, error);
    ValidationStyle::setEnabledColor(option->palette, QPalette::HighlightedText,
                                     option->palette.color(QPalette::Text));
    ValidationStyle::setEnabledColor(option->palette, QPalette::Highlight,
                                     ValidationStyle::errorBackground(option->palette));
    option->backgroundBrush = ValidationStyle::errorBackground(option->palette);
}
