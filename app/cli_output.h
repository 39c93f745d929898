#pragma once

#include <QCoreApplication>
#include <QJsonValue>
#include <QList>
#include <QString>
#include <QStringList>
#include <utility>

struct StorageError;

// The command line's exit codes, as DESIGN.md lists them.
enum class ExitCode : int {
    Success = 0,
    Usage = 1,          // unknown command or option, missing argument
    InvalidInput = 2,   // validation, bad file, unknown id
    DeliveryFailed = 3, // emit, test
    NotVerified = 3,    // verify: the signature does not check out
    StorageFailed = 4,  // the database cannot be opened, read or written
};

// Results go to stdout, errors to stderr as one line each, so scripts can
// read stdout without filtering.
class CliOutput final
{
    Q_DECLARE_TR_FUNCTIONS(CliOutput)

public:
    static void print(const QString &text); // adds a newline
    static void printJson(const QJsonValue &json);
    static void printRaw(const QByteArray &bytes);

    // Writes "webhook-admin: message" to stderr and returns the exit code.
    static int fail(ExitCode code, const QString &message);
    // Invalid and NotFound are the user's input (2); the rest are storage (4).
    static int fail(const StorageError &error);
    // Writes "webhook-admin: warning: message" to stderr; the command goes on.
    static void warn(const QString &message);

    // Columns padded to their widest cell; the last column is not padded.
    static QString table(const QStringList &header, const QList<QStringList> &rows);
    // "label: value" lines with the values aligned; multi-line values indented.
    static QString keyValues(const QList<std::pair<QString, QString>> &rows);

    static QString yesNo(bool value);
};
