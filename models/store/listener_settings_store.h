#pragma once

#include "store/storage_error.h"

#include <QCoreApplication>
#include <QString>

class Database;

// How the listener runs, kept in the database file's settings table so the
// window and `serve` of one file agree.
struct ListenerSettings
{
    static constexpr quint16 DefaultPort = 8484;
    static constexpr qint64 DefaultBodyLimit = 10 * 1024 * 1024;

    bool enabled = false; // the window runs it; `serve` runs it with --listen
    QString address = QStringLiteral("127.0.0.1");
    quint16 port = DefaultPort;
    qint64 bodyLimit = DefaultBodyLimit;

    friend bool operator==(const ListenerSettings &, const ListenerSettings &) = default;
};

// The listener's settings and its bearer token. The token is a secret: it
// leaves this class only for the listener's check, `intake token`, and the
// Listener page's Show/Copy.
class ListenerSettingsStore final
{
    Q_DECLARE_TR_FUNCTIONS(ListenerSettingsStore)
    Q_DISABLE_COPY_MOVE(ListenerSettingsStore)

public:
    static constexpr qint64 MinBodyLimit = 1024;
    static constexpr qint64 MaxBodyLimit = 1024LL * 1024 * 1024;

    explicit ListenerSettingsStore(Database *database);

    ListenerSettings settings() const;
    Status save(const ListenerSettings &settings);
    static QString check(const ListenerSettings &settings); // why it is invalid, or empty

    // The token, created on first use.
    Result<QString> token();
    // The token if one exists, without creating it; empty when there is none.
    Result<QString> existingToken() const;
    // What existingToken() runs, with tokenKey() bound: for the listener,
    // which keeps it prepared (it reads the token on every request).
    static QString tokenQuery();
    static QString tokenKey();
    Result<QString> rotateToken();

    // `Authorization` header value against the stored token, in constant time.
    static bool authorizationMatches(const QByteArray &authorization, const QString &token);

private:
    QString value(const QString &key, const QString &fallback) const;
    Status setValue(const QString &key, const QString &value);

    Database *m_database;
};
