#pragma once

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QString>
#include <QStringList>
#include <optional>

// The options and arguments of one command ("hooks add"), on top of
// QCommandLineParser, with the checks every command needs: no unknown
// options, single-valued options given once, the right number of arguments.
class CliParser final
{
    Q_DECLARE_TR_FUNCTIONS(CliParser)
    Q_DISABLE_COPY_MOVE(CliParser)

public:
    // command: the words that name the command, for messages.
    explicit CliParser(const QString &command);

    void addFlag(const QString &name);
    void addValue(const QString &name, bool repeatable = false);

    // args are what follows the command words. Returns the problem, or an
    // empty string; argumentNames says what the arguments are ("ID").
    QString parse(const QStringList &args, qsizetype minArguments, qsizetype maxArguments,
                  const QString &argumentNames = {});

    // Options this command does not declare read as not given.
    bool isSet(const QString &name) const;
    QString value(const QString &name) const;
    QStringList values(const QString &name) const;
    QStringList arguments() const { return m_parser.positionalArguments(); }
    QString command() const { return m_command; }

    // A usage error for this command, printed; returns exit code 1.
    int usageError(const QString &problem) const;

private:
    QString m_command;
    QCommandLineParser m_parser;
    QStringList m_names;
    QStringList m_singleValued;
};

// A database id given on the command line: a whole number above zero.
std::optional<qint64> parseId(const QString &text);
