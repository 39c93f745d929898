#include "header_table_model.h"

#include "domain/secret_mask.h"
#include "domain/webhook_validator.h"

HeaderTableModel::HeaderTableModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

namespace {

bool suggestsSecret(const HeaderRow &header)
{
    return !header.secret && !header.value.isEmpty() &&
           SecretMask::looksLikeCredentialHeader(header.name);
}

} // namespace

void HeaderTableModel::setHeaders(const QList<HeaderRow> &headers)
{
    beginResetModel();
    m_headers = headers;
    // Stored rows keep what was decided for them; the editor suggests instead.
    m_secretChosen = QList<bool>(headers.size(), true);
    endResetModel();
    emit headersChanged();
}

QString HeaderTableModel::rowError(int row) const
{
    if (row < 0 || row >= m_headers.size())
        return {};
    const HeaderRow &header = m_headers.at(row);
    if (QString e = WebhookValidator::checkHeaderName(header.name); !e.isEmpty())
        return e;
    if (QString e = WebhookValidator::checkHeaderValue(header.value); !e.isEmpty())
        return e;
    // Like the validator: the second occurrence of a name is the wrong one.
    const QString lower = header.name.toLower();
    for (int earlier = 0; earlier < row; ++earlier) {
        if (m_headers.at(earlier).name.toLower() == lower)
            return WebhookValidator::tr("The header %1 is listed twice.").arg(header.name);
    }
    return {};
}

void HeaderTableModel::setErrorsShown(bool shown)
{
    if (shown == m_errorsShown)
        return;
    m_errorsShown = shown;
    emitRowsChanged();
}

QList<int> HeaderTableModel::suggestedSecretRows() const
{
    QList<int> rows;
    for (int row = 0; row < m_headers.size(); ++row) {
        if (suggestsSecret(m_headers.at(row)))
            rows.append(row);
    }
    return rows;
}

bool HeaderTableModel::hasErrors() const
{
    for (int row = 0; row < m_headers.size(); ++row) {
        if (!rowError(row).isEmpty())
            return true;
    }
    return false;
}

int HeaderTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_headers.size());
}

int HeaderTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant HeaderTableModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const HeaderRow &header = m_headers.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        if (index.column() == Name)
            return header.name;
        if (index.column() == Value)
            return header.secret && !header.value.isEmpty() ? maskedSecret() : header.value;
        return {};
    case Qt::EditRole:
        if (index.column() == Name)
            return header.name;
        if (index.column() == Value)
            return header.value;
        return {};
    case Qt::CheckStateRole:
        if (index.column() == Secret)
            return header.secret ? Qt::Checked : Qt::Unchecked;
        return {};
    case Qt::ToolTipRole: {
        const QString error = m_errorsShown ? rowError(index.row()) : QString();
        if (!error.isEmpty())
            return error;
        if (index.column() == Secret && suggestsSecret(header))
            //: %1 is a header name such as Authorization
            return tr("%1 looks like a credential: tick Secret to mask its value wherever it "
                      "is shown or exported.")
                .arg(header.name);
        if (index.column() == Secret)
            return tr("A secret value is masked wherever it is shown or exported.");
        return {};
    }
    case ErrorRole:
        return m_errorsShown ? rowError(index.row()) : QString();
    case SuggestSecretRole:
        return suggestsSecret(header);
    case IsSecretRole:
        return header.secret;
    default:
        return {};
    }
}

bool HeaderTableModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return false;
    HeaderRow &header = m_headers[index.row()];
    if (role == Qt::EditRole && index.column() == Name) {
        const QString name = value.toString().trimmed();
        if (name == header.name)
            return true;
        header.name = name;
        // A credential's name makes a new row secret until the user says otherwise.
        if (!m_secretChosen.value(index.row(), true))
            header.secret = SecretMask::looksLikeCredentialHeader(name);
    } else if (role == Qt::EditRole && index.column() == Value) {
        const QString text = value.toString();
        if (text == header.value)
            return true;
        header.value = text;
    } else if (role == Qt::CheckStateRole && index.column() == Secret) {
        const bool secret = value.value<Qt::CheckState>() == Qt::Checked;
        m_secretChosen[index.row()] = true;
        if (secret == header.secret)
            return true;
        header.secret = secret;
    } else {
        return false;
    }
    // A name change can make another row a duplicate, or stop it being one.
    emitRowsChanged();
    emit headersChanged();
    return true;
}

void HeaderTableModel::emitRowsChanged()
{
    if (!m_headers.isEmpty())
        emit dataChanged(index(0, 0), index(int(m_headers.size()) - 1, ColumnCount - 1));
}

Qt::ItemFlags HeaderTableModel::flags(const QModelIndex &index) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return Qt::NoItemFlags;
    Qt::ItemFlags f = Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemNeverHasChildren;
    if (index.column() == Secret)
        f |= Qt::ItemIsUserCheckable;
    else
        f |= Qt::ItemIsEditable;
    return f;
}

QVariant HeaderTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    if (orientation == Qt::Vertical)
        return section + 1;
    switch (section) {
    case Name:
        return tr("Name");
    case Value:
        return tr("Value");
    case Secret:
        return tr("Secret");
    default:
        return {};
    }
}

bool HeaderTableModel::insertRows(int row, int count, const QModelIndex &parent)
{
    if (parent.isValid() || row < 0 || row > m_headers.size() || count < 1)
        return false;
    beginInsertRows(parent, row, row + count - 1);
    m_headers.insert(row, count, HeaderRow{});
    m_secretChosen.insert(row, count, false);
    endInsertRows();
    emitRowsChanged();
    emit headersChanged();
    return true;
}

bool HeaderTableModel::removeRows(int row, int count, const QModelIndex &parent)
{
    if (parent.isValid() || row < 0 || count < 1 || row + count > m_headers.size())
        return false;
    beginRemoveRows(parent, row, row + count - 1);
    m_headers.remove(row, count);
    m_secretChosen.remove(row, count);
    endRemoveRows();
    emitRowsChanged();
    emit headersChanged();
    return true;
}

QHash<int, QByteArray> HeaderTableModel::roleNames() const
{
    QHash<int, QByteArray> names = QAbstractTableModel::roleNames();
    names.insert(ErrorRole, "error");
    names.insert(IsSecretRole, "isSecret");
    names.insert(SuggestSecretRole, "suggestSecret");
    return names;
}
