#pragma once

#include <QString>

// Where the data lives: a SQLite file (a path) or a PostgreSQL server
// (postgresql://USER[:PASSWORD]@HOST[:PORT]/DBNAME[?sslmode=...]). The same
// string works for --db, WEBHOOK_ADMIN_DB and the window's recent list.
struct DatabaseLocation
{
    enum class Kind { File, Server };

    Kind kind = Kind::File;
    QString path; // Kind::File: the absolute file path
    // Kind::Server
    QString host;
    int port = 5432;
    QString databaseName;
    QString user;
    QString password;
    QString sslMode; // empty: libpq's default (prefer)

    // Anything not postgresql:// or postgres:// is a file path. A server
    // address that cannot be read sets *error and returns std::nullopt-like
    // (kind Server, empty host).
    static DatabaseLocation parse(const QString &text, QString *error = nullptr);
    static bool isServerAddress(const QString &text);

    // The address again, with the password (for another connection).
    QString toString() const;
    // For people: postgresql://USER:•••@HOST:PORT/DBNAME, never the password.
    QString display() const;
    // libpq's connection options beyond host/port/user/password/db.
    QString connectOptions() const;

    static QString masked(const QString &text) { return parse(text).display(); }
};
