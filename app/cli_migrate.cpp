#include "cli_migrate.h"

#include "cli_output.h"
#include "cli_parser.h"
#include "store/database.h"
#include "store/database_copy.h"
#include "store/database_location.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <cstdio>
#include <unistd.h>

QString CliMigrate::usage()
{
    return tr(
        "Team mode:\n"
        "  migrate --from LOCATION --to LOCATION\n"
        "                            copies everything (projects, event types, hooks,\n"
        "                            events, deliveries, attempts, settings, inbox) from\n"
        "                            one database to another, e.g. a file to\n"
        "                            postgresql://USER[:PASSWORD]@HOST[:PORT]/DBNAME; all or\n"
        "                            nothing, into a target without hooks\n");
}

int CliMigrate::run(CliSession &, const QStringList &args)
{
    CliParser parser(QStringLiteral("migrate"));
    parser.addValue(QStringLiteral("from"));
    parser.addValue(QStringLiteral("to"));
    if (const QString e = parser.parse(args, 0, 0); !e.isEmpty())
        return parser.usageError(e);
    const QString from = parser.value(QStringLiteral("from"));
    const QString to = parser.value(QStringLiteral("to"));
    if (from.isEmpty() || to.isEmpty())
        return parser.usageError(tr("migrate needs --from and --to."));
    if (!DatabaseLocation::isServerAddress(from) && !QFileInfo::exists(from))
        return CliOutput::fail(ExitCode::InvalidInput,
                               tr("The database file %1 does not exist.").arg(from));
    if (DatabaseLocation::parse(from).display() == DatabaseLocation::parse(to).display())
        return CliOutput::fail(ExitCode::InvalidInput,
                               tr("--from and --to name the same database."));

    Database source;
    if (auto e = source.open(from))
        return CliOutput::fail(*e);
    Database target;
    if (auto e = target.open(to))
        return CliOutput::fail(*e);

    // Progress on a terminal only; a script reads the counts at the end.
    const bool terminal = ::isatty(STDERR_FILENO) == 1;
    QElapsedTimer shown;
    shown.start();
    auto progress = [&](const QString &table, qint64 done, qint64 total) {
        if (!terminal || (shown.elapsed() < 200 && done != total))
            return;
        shown.restart();
        std::fprintf(stderr, "\r\033[K%s",
                     qPrintable(tr("copying %1: %2 of %3").arg(table).arg(done).arg(total)));
        std::fflush(stderr);
    };
    Result<QList<DatabaseCopy::TableCount>> copied = DatabaseCopy::copy(source, target, progress);
    if (terminal) {
        std::fprintf(stderr, "\r\033[K");
        std::fflush(stderr);
    }
    if (!copied)
        return CliOutput::fail(copied.error());
    QList<std::pair<QString, QString>> rows;
    for (const DatabaseCopy::TableCount &count : copied.value())
        rows.append({count.table, QString::number(count.rows)});
    CliOutput::print(tr("Copied %1 to %2:").arg(source.display(), target.display()));
    CliOutput::print(CliOutput::keyValues(rows));
    return int(ExitCode::Success);
}
