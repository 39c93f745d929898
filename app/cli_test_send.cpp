#include "cli_test_send.h"

#include "cli_output.h"
#include "cli_parser.h"
#include "cli_send.h"
#include "cli_session.h"
#include "delivery/delivery_store.h"

QString CliTestSend::usage()
{
    return tr("  test HOOK_ID [--event KEY] [--data FILE|-]\n"
              "      Sends one test event (default: the hook's first event, else PING) with\n"
              "      the sample payload or --data, and shows the outcome. Never retried.\n");
}

int CliTestSend::run(CliSession &session, const QStringList &args)
{
    CliParser parser(QStringLiteral("test"));
    parser.addValue(QStringLiteral("event"));
    parser.addValue(QStringLiteral("data"));
    if (const QString e = parser.parse(args, 1, 1, tr("a webhook ID")); !e.isEmpty())
        return parser.usageError(e);
    bool ok = false;
    const qint64 hookId = parser.arguments().first().toLongLong(&ok);
    if (!ok || hookId <= 0)
        return CliOutput::fail(ExitCode::InvalidInput,
                               tr("\"%1\" is not a webhook id.").arg(parser.arguments().first()));
    std::optional<QJsonObject> data;
    if (parser.isSet(QStringLiteral("data"))) {
        QString error;
        data = CliSend::readData(parser.value(QStringLiteral("data")), &error);
        if (!data)
            return CliOutput::fail(ExitCode::InvalidInput, error);
    }

    if (auto e = session.open())
        return CliOutput::fail(*e);
    Result<Webhook> hook = session.store().hook(hookId);
    if (!hook)
        return CliOutput::fail(hook.error());
    Result<QList<EventType>> custom = session.store().customEventTypes();
    if (!custom)
        return CliOutput::fail(custom.error());
    const EventCatalog catalog(custom.value());
    QString key = parser.value(QStringLiteral("event"));
    if (key.isEmpty())
        key = hook->actions.isEmpty() ? EventCatalog::PingKey : hook->actions.first();

    DeliveryStore deliveries(&session.database());
    Result<EmitResult> queued = deliveries.enqueueTest(catalog, hookId, key, hook->projectId,
                                                       data.value_or(catalog.samplePayload(key)),
                                                       QDateTime::currentDateTimeUtc());
    if (!queued)
        return CliOutput::fail(queued.error());
    Result<QList<Attempt>> sent = CliSend::sendNow(deliveries, queued->attemptIds, true);
    if (!sent)
        return CliOutput::fail(sent.error());

    for (const Attempt &a : sent.value()) {
        QList<std::pair<QString, QString>> rows{
            {tr("Event"), a.action},
            {tr("URL"), a.url},
            {tr("Outcome"), CliSend::outcomeText(a.outcome)},
            {tr("Result"), CliSend::resultText(a)},
            {tr("Duration"), CliSend::durationText(a)},
            {tr("Message id"), a.messageId},
            {tr("Delivery"), QString::number(a.deliveryId)},
        };
        if (a.outcome != AttemptOutcome::Succeeded)
            rows.append({tr("Trace"), a.trace});
        CliOutput::print(CliOutput::keyValues(rows));
    }
    return CliSend::exitCode(sent.value());
}
