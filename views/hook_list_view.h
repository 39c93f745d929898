#pragma once

#include <QTreeView>

// The table of hooks: one row per hook, sortable, several rows may be
// selected (Ctrl/Shift+click) for the actions on all of them, with the
// eliding HookItemDelegate. Works with HookListModel or a proxy over it.
class HookListView final : public QTreeView
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HookListView)

public:
    explicit HookListView(QWidget *parent = nullptr);

    void setModel(QAbstractItemModel *model) override;

    // Id of the selected hook (the current row's when several are), or 0.
    qint64 selectedHookId() const;
    // Ids of every selected hook, in the list's order.
    QList<qint64> selectedHookIds() const;
    // Selects and scrolls to the hook; clears the selection when it is not shown.
    bool selectHook(qint64 id);

    // The URL's share of the width, before Scope and Events get their
    // usual width; they give up what it lacks (their tooltips hold the text).
    static constexpr int UrlSharePercent = 40;
    // How many rows around the visible ones the columns fitted to their
    // contents (Id, Active, Recent) measure.
    static constexpr int ResizeContentsRows = 100;

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    // Scope and Events as wide as the URL's share leaves them, until the
    // user sizes one of them.
    void fitColumns();

    bool m_fitting = false;
    bool m_userSizedColumns = false;
};
