#include "preferences_dialog.h"

#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QMetaMethod>
#include <QPushButton>
#include <QStackedWidget>
#include <QVBoxLayout>

namespace {

bool hasMethod(const QObject *object, const char *signature)
{
    return object->metaObject()->indexOfMethod(signature) >= 0;
}

} // namespace

PreferencesDialog::PreferencesDialog(QWidget *parent)
    : QDialog(parent)
    , m_list(new QListWidget(this))
    , m_stack(new QStackedWidget(this))
    , m_pageTitle(new QLabel(this))
    , m_buttons(new QDialogButtonBox(
          QDialogButtonBox::Ok | QDialogButtonBox::Apply | QDialogButtonBox::Cancel, this))
{
    setObjectName(QStringLiteral("preferencesDialog"));
    setWindowTitle(tr("Preferences"));

    m_list->setObjectName(QStringLiteral("preferencesPages"));
    m_list->setAccessibleName(tr("Pages"));
    m_list->setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Expanding);
    m_list->setFixedWidth(m_list->fontMetrics().horizontalAdvance(QLatin1Char('M')) * 12);
    m_pageTitle->setObjectName(QStringLiteral("preferencesPageTitle"));
    QFont bold = m_pageTitle->font();
    bold.setBold(true);
    bold.setPointSizeF(bold.pointSizeF() * 1.15);
    m_pageTitle->setFont(bold);

    connect(m_list, &QListWidget::currentRowChanged, this, [this](int row) {
        if (row < 0)
            return;
        m_stack->setCurrentIndex(row);
        m_pageTitle->setText(m_list->item(row)->text());
    });
    connect(m_buttons, &QDialogButtonBox::accepted, this, &PreferencesDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_buttons->button(QDialogButtonBox::Apply), &QPushButton::clicked, this,
            &PreferencesDialog::apply);

    auto *pageColumn = new QVBoxLayout;
    pageColumn->addWidget(m_pageTitle);
    pageColumn->addWidget(m_stack, 1);
    auto *row = new QHBoxLayout;
    row->addWidget(m_list);
    row->addLayout(pageColumn, 1);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(row, 1);
    layout->addWidget(m_buttons);
}

int PreferencesDialog::addPage(QWidget *page, const QString &title)
{
    m_stack->addWidget(page);
    m_list->addItem(title);
    if (m_list->currentRow() < 0)
        m_list->setCurrentRow(0);
    return m_stack->count() - 1;
}

int PreferencesDialog::pageCount() const
{
    return m_stack->count();
}

QWidget *PreferencesDialog::page(int index) const
{
    return m_stack->widget(index);
}

void PreferencesDialog::setCurrentPage(int index)
{
    m_list->setCurrentRow(index);
}

int PreferencesDialog::currentPage() const
{
    return m_stack->currentIndex();
}

void PreferencesDialog::loadPages()
{
    for (int i = 0; i < m_stack->count(); ++i) {
        QWidget *page = m_stack->widget(i);
        if (hasMethod(page, "load()"))
            QMetaObject::invokeMethod(page, "load", Qt::DirectConnection);
    }
}

void PreferencesDialog::open()
{
    loadPages();
    if (!isVisible())
        resize(sizeHint().expandedTo(QSize(640, 400)));
    QDialog::open();
}

bool PreferencesDialog::apply()
{
    for (int i = 0; i < m_stack->count(); ++i) {
        QWidget *page = m_stack->widget(i);
        if (!hasMethod(page, "apply()"))
            continue;
        bool saved = true;
        QMetaObject::invokeMethod(page, "apply", Qt::DirectConnection, Q_RETURN_ARG(bool, saved));
        if (!saved) {
            setCurrentPage(i);
            return false;
        }
    }
    emit applied();
    return true;
}

void PreferencesDialog::accept()
{
    if (apply())
        QDialog::accept();
}
