#pragma once

#include <QString>
#include <optional>
#include <utility>

class QSqlError;

// A storage problem, worded for the person who has to fix it.
struct StorageError
{
    enum class Kind {
        CannotOpen, // missing directory, no permission, not a file; a server away
        // A server that answers but refuses the user, password or database
        // name: waiting does not help, the address must change.
        AccessDenied,
        NotADatabase, // corrupt, or not SQLite at all, or someone else's SQLite file
        NewerSchema,  // written by a newer Webhook Admin
        ReadOnly,
        Locked,  // another writer held the lock past the busy timeout
        Full,    // disk or page-count limit
        Invalid, // the data was refused by validation; nothing was written
        NotFound,
        Other,
    };

    Kind kind = Kind::Other;
    QString message;

    static StorageError fromSql(const QSqlError &error, const QString &context);

private:
    static StorageError fromSqlState(const QString &state, const QString &detail,
                                     const QString &context);
};

// A value or the StorageError that prevented it.
template <typename T>
class [[nodiscard]] Result
{
public:
    Result(T value)
        : m_value(std::move(value))
    {
    }
    Result(StorageError error)
        : m_error(std::move(error))
    {
    }

    bool ok() const { return m_value.has_value(); }
    explicit operator bool() const { return ok(); }
    const T &value() const & { return *m_value; }
    T &value() & { return *m_value; }
    T &&value() && { return std::move(*m_value); }
    const T *operator->() const { return &*m_value; }
    const T &operator*() const { return *m_value; }
    const StorageError &error() const { return m_error; }

private:
    std::optional<T> m_value;
    StorageError m_error;
};

struct Done
{
};
using Status = Result<Done>;
