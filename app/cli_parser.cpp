#include "cli_parser.h"

#include "cli_output.h"

CliParser::CliParser(const QString &command)
    : m_command(command)
{
    m_parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    m_parser.setOptionsAfterPositionalArgumentsMode(QCommandLineParser::ParseAsOptions);
}

void CliParser::addFlag(const QString &name)
{
    m_parser.addOption(QCommandLineOption(name));
    m_names.append(name);
}

void CliParser::addValue(const QString &name, bool repeatable)
{
    m_parser.addOption(QCommandLineOption(name, QString(), name.toUpper()));
    m_names.append(name);
    if (!repeatable)
        m_singleValued.append(name);
}

bool CliParser::isSet(const QString &name) const
{
    return m_names.contains(name) && m_parser.isSet(name);
}

QString CliParser::value(const QString &name) const
{
    return m_names.contains(name) ? m_parser.value(name) : QString();
}

QStringList CliParser::values(const QString &name) const
{
    return m_names.contains(name) ? m_parser.values(name) : QStringList();
}

QString CliParser::parse(const QStringList &args, qsizetype minArguments, qsizetype maxArguments,
                         const QString &argumentNames)
{
    // QCommandLineParser skips the first entry, the program name.
    if (!m_parser.parse(QStringList{QCoreApplication::applicationName()} + args))
        return m_parser.errorText();
    for (const QString &name : std::as_const(m_singleValued)) {
        if (m_parser.values(name).size() > 1)
            return tr("--%1 is given more than once.").arg(name);
    }
    const QStringList positional = m_parser.positionalArguments();
    if (positional.size() < minArguments)
        return tr("%1 needs %2.").arg(m_command, argumentNames);
    if (positional.size() > maxArguments)
        return tr("Unexpected argument \"%1\"; put values with spaces in quotes.")
            .arg(positional.at(maxArguments));
    return {};
}

int CliParser::usageError(const QString &problem) const
{
    return CliOutput::fail(ExitCode::Usage,
                           tr("%1: %2 See \"%3 %1 --help\".")
                               .arg(m_command, problem, QCoreApplication::applicationName()));
}

std::optional<qint64> parseId(const QString &text)
{
    bool ok = false;
    const qint64 id = text.toLongLong(&ok);
    if (!ok || id <= 0)
        return std::nullopt;
    return id;
}
