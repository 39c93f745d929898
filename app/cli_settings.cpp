#include "cli_settings.h"

#include "cli_output.h"
#include "cli_parser.h"
#include "cli_session.h"
#include "delivery/delivery_store.h"
#include "delivery/retry_policy.h"

#include <QJsonArray>
#include <QJsonObject>

namespace {

const QString RetentionDays = QStringLiteral("retention_days");
const QString FailureThreshold = QStringLiteral("failure_threshold");
const QString RetrySchedule = QStringLiteral("retry_schedule");
const QString PauseLimitDays = QStringLiteral("pause_limit_days");

} // namespace

QString CliSettings::usage()
{
    return tr("Settings (kept in the database file):\n"
              "  settings [--json]\n"
              "  settings set retention_days DAYS       attempts older than this are pruned\n"
              "  settings set failure_threshold N       pause a hook after N failed deliveries in "
              "a row (0: never)\n"
              "  settings set pause_limit_days DAYS     deactivate a hook paused this long "
              "without a success\n"
              "  settings set retry_schedule S,S,...    seconds before each attempt; \"default\"\n"
              "                                         for 0,5,300,1800,7200,18000,36000,36000\n");
}

int CliSettings::run(CliSession &session, const QStringList &args)
{
    if (args.value(0) == QLatin1String("set"))
        return set(session, args.mid(1));
    return show(session, args);
}

int CliSettings::show(CliSession &session, const QStringList &args)
{
    CliParser parser(QStringLiteral("settings"));
    parser.addFlag(QStringLiteral("json"));
    if (const QString e = parser.parse(args, 0, 0); !e.isEmpty())
        return parser.usageError(e);
    if (auto e = session.open())
        return CliOutput::fail(*e);
    const DeliveryStore store(&session.database());
    const QList<qint64> stored = store.retrySchedule();
    const QList<qint64> schedule =
        stored.isEmpty() ? RetryPolicy::defaultScheduleSeconds() : stored;
    if (parser.isSet(QStringLiteral("json"))) {
        QJsonArray steps;
        for (const qint64 s : schedule)
            steps.append(s);
        CliOutput::printJson(QJsonObject{{RetentionDays, store.retentionDays()},
                                         {FailureThreshold, store.failureThreshold()},
                                         {PauseLimitDays, store.pauseLimitSeconds() / 86400.0},
                                         {RetrySchedule, steps}});
        return int(ExitCode::Success);
    }
    const int threshold = store.failureThreshold();
    CliOutput::print(CliOutput::keyValues({
        {RetentionDays, QString::number(store.retentionDays())},
        {FailureThreshold, threshold == 0 ? tr("0 (never pause)") : QString::number(threshold)},
        {PauseLimitDays, QString::number(store.pauseLimitSeconds() / 86400.0)},
        {RetrySchedule, RetryPolicy::formatSchedule(schedule) +
                            (stored.isEmpty() ? tr(" (default, ±10 % jitter)") : QString())},
    }));
    return int(ExitCode::Success);
}

int CliSettings::set(CliSession &session, const QStringList &args)
{
    CliParser parser(QStringLiteral("settings set"));
    if (const QString e = parser.parse(args, 2, 2, tr("a name and a value")); !e.isEmpty())
        return parser.usageError(e);
    const QString name = parser.arguments().at(0);
    const QString value = parser.arguments().at(1).trimmed();
    if (name != RetentionDays && name != FailureThreshold && name != RetrySchedule &&
        name != PauseLimitDays)
        return parser.usageError(
            tr("There is no setting \"%1\": use retention_days, failure_threshold, "
               "pause_limit_days or retry_schedule.")
                .arg(name));
    QList<qint64> schedule;
    int number = 0;
    if (name == RetrySchedule) {
        if (value != QLatin1String("default")) {
            schedule = RetryPolicy::parseSchedule(value);
            if (schedule.isEmpty())
                return CliOutput::fail(ExitCode::InvalidInput,
                                       tr("retry_schedule takes up to 20 comma-separated "
                                          "seconds, each at most a week, not \"%1\".")
                                           .arg(value));
        }
    } else if (name == PauseLimitDays) {
        bool ok = false;
        const double days = value.toDouble(&ok);
        if (!ok || days <= 0 || days > 365)
            return CliOutput::fail(ExitCode::InvalidInput,
                                   tr("pause_limit_days takes a number of days from 1 second "
                                      "to 365, not \"%1\".")
                                       .arg(value));
        if (auto e = session.open())
            return CliOutput::fail(*e);
        DeliveryStore store(&session.database());
        if (Status status = store.setPauseLimitSeconds(std::max<qint64>(1, qint64(days * 86400)));
            !status)
            return CliOutput::fail(status.error());
        return int(ExitCode::Success);
    } else {
        bool ok = false;
        number = value.toInt(&ok);
        if (!ok)
            return CliOutput::fail(ExitCode::InvalidInput,
                                   tr("%1 takes a whole number, not \"%2\".").arg(name, value));
    }
    if (auto e = session.open())
        return CliOutput::fail(*e);
    DeliveryStore store(&session.database());
    const Status status = name == RetrySchedule   ? store.setRetrySchedule(schedule)
                          : name == RetentionDays ? store.setRetentionDays(number)
                                                  : store.setFailureThreshold(number);
    if (!status)
        return CliOutput::fail(status.error());
    return int(ExitCode::Success);
}
