#pragma once

#include "domain/webhook.h"

#include <QAbstractTableModel>
#include <QList>

// A hook's static headers as an editable table. Secret values show masked;
// EditRole still gives the real value so an editor can change it.
class HeaderTableModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HeaderTableModel)

public:
    enum Column { Name, Value, Secret, ColumnCount };
    enum Role {
        ErrorRole = Qt::UserRole, // QString: what is wrong with the row; empty when fine
        IsSecretRole,             // bool
        // bool: the name looks like a credential (Authorization, X-Api-Key,
        // a name with token/secret/password/key) but the value is not secret
        SuggestSecretRole,
    };

    explicit HeaderTableModel(QObject *parent = nullptr);

    QList<HeaderRow> headers() const { return m_headers; }
    void setHeaders(const QList<HeaderRow> &headers);

    // The problem with one row, as WebhookValidator words it; empty when fine.
    QString rowError(int row) const;
    bool hasErrors() const;
    // While false, ErrorRole and the tooltips say nothing: the user is still
    // typing a new row. rowError() and hasErrors() still tell.
    void setErrorsShown(bool shown);
    bool errorsShown() const { return m_errorsShown; }
    // Rows whose name looks like a credential and whose value is not secret.
    QList<int> suggestedSecretRows() const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    bool insertRows(int row, int count, const QModelIndex &parent = {}) override;
    bool removeRows(int row, int count, const QModelIndex &parent = {}) override;
    QHash<int, QByteArray> roleNames() const override;

signals:
    // Any change of names, values or secret flags, or of the rows.
    void headersChanged();

private:
    void emitRowsChanged();

    QList<HeaderRow> m_headers;
    // Per row: the user (or the stored hook) decided whether it is secret, so
    // a name that looks like a credential no longer decides it.
    QList<bool> m_secretChosen;
    bool m_errorsShown = true;
};
