#include "cli_redeliver.h"

#include "cli_deliveries.h"
#include "cli_output.h"
#include "cli_parser.h"
#include "cli_send.h"
#include "cli_session.h"
#include "delivery/delivery_store.h"

QString CliRedeliver::usage()
{
    return tr("  redeliver DELIVERY_ID     sends one delivery again now, same webhook-id\n"
              "  redeliver --failed [--hook ID] [--event KEY] [--since TIME] [--until TIME]\n"
              "      Sends every failed delivery again now; with a time window, those whose\n"
              "      failed attempt was queued in it. TIME is ISO 8601 or a time ago\n"
              "      (30m, 2h, 3d). Each keeps its webhook-id; the attempt is marked manual.\n");
}

int CliRedeliver::run(CliSession &session, const QStringList &args)
{
    CliParser parser(QStringLiteral("redeliver"));
    parser.addFlag(QStringLiteral("failed"));
    parser.addValue(QStringLiteral("hook"));
    parser.addValue(QStringLiteral("event"));
    parser.addValue(QStringLiteral("since"));
    parser.addValue(QStringLiteral("until"));
    if (const QString e = parser.parse(args, 0, 1); !e.isEmpty())
        return parser.usageError(e);
    const bool failed = parser.isSet(QStringLiteral("failed"));
    if (failed == !parser.arguments().isEmpty())
        return parser.usageError(tr("Give a DELIVERY_ID or --failed."));
    if (!failed && (parser.isSet(QStringLiteral("hook")) || parser.isSet(QStringLiteral("event")) ||
                    parser.isSet(QStringLiteral("since")) || parser.isSet(QStringLiteral("until"))))
        return parser.usageError(tr("--hook, --event, --since and --until go with --failed."));

    LogFilter filter;
    qint64 deliveryId = 0;
    if (failed) {
        if (parser.isSet(QStringLiteral("hook"))) {
            bool ok = false;
            const qint64 id = parser.value(QStringLiteral("hook")).toLongLong(&ok);
            if (!ok || id <= 0)
                return CliOutput::fail(
                    ExitCode::InvalidInput,
                    tr("\"%1\" is not a webhook id.").arg(parser.value(QStringLiteral("hook"))));
            filter.webhookId = id;
        }
        filter.action = parser.value(QStringLiteral("event"));
        if (const QString e = CliDeliveries::applyTimeWindow(parser, &filter); !e.isEmpty())
            return CliOutput::fail(ExitCode::InvalidInput, e);
    } else {
        bool ok = false;
        deliveryId = parser.arguments().first().toLongLong(&ok);
        if (!ok || deliveryId <= 0)
            return CliOutput::fail(ExitCode::InvalidInput,
                                   tr("\"%1\" is not a delivery id; \"deliveries\" lists them.")
                                       .arg(parser.arguments().first()));
    }

    if (auto e = session.open())
        return CliOutput::fail(*e);
    DeliveryStore deliveries(&session.database());
    QList<qint64> attemptIds;
    if (failed) {
        Result<QList<qint64>> queued =
            deliveries.redeliverFailed(filter, QDateTime::currentDateTimeUtc());
        if (!queued)
            return CliOutput::fail(queued.error());
        attemptIds = queued.value();
        if (attemptIds.isEmpty()) {
            CliOutput::print(tr("No failed deliveries to send again."));
            return int(ExitCode::Success);
        }
    } else {
        Result<qint64> queued = deliveries.redeliver(deliveryId, QDateTime::currentDateTimeUtc());
        if (!queued)
            return CliOutput::fail(queued.error());
        attemptIds = {queued.value()};
    }

    Result<QList<Attempt>> sent = CliSend::sendNow(deliveries, attemptIds);
    if (!sent)
        return CliOutput::fail(sent.error());
    if (failed)
        CliOutput::print(tr("Failed deliveries sent again: %1.").arg(attemptIds.size()));
    CliOutput::print(CliSend::table(sent.value()));
    return CliSend::exitCode(sent.value());
}
