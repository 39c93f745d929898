#pragma once

#include <QDialog>

class QDialogButtonBox;
class QLabel;
class QListWidget;
class QStackedWidget;

// Edit → Preferences: a list of pages on the left, the chosen page on the
// right, OK / Apply / Cancel below. Pages are plain widgets added with
// addPage(); the dialog talks to them through two optional invokable
// methods, so a page needs no base class:
//   void load()   called each time the dialog opens: show the stored values
//                 (what Cancel leaves behind is forgotten);
//   bool apply()  called on OK and Apply, page by page in list order: save,
//                 or show why not next to the field and return false. The
//                 dialog then shows that page and stays open.
class PreferencesDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PreferencesDialog)

public:
    explicit PreferencesDialog(QWidget *parent = nullptr);

    // Appends a page (the dialog takes ownership). Returns its index.
    int addPage(QWidget *page, const QString &title);
    int pageCount() const;
    QWidget *page(int index) const;
    void setCurrentPage(int index);
    int currentPage() const;

    QListWidget *pageList() const { return m_list; }
    QDialogButtonBox *buttons() const { return m_buttons; }

public slots:
    // Loads every page and shows the dialog (modal to its parent window).
    void open() override;
    // Applies every page; false (and that page shown) when one refused.
    bool apply();
    void accept() override;

signals:
    // Every page saved.
    void applied();

private:
    void loadPages();

    QListWidget *m_list;
    QStackedWidget *m_stack;
    QLabel *m_pageTitle;
    QDialogButtonBox *m_buttons;
};
