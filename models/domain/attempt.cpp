#include "attempt.h"

QString attemptTriggerKey(AttemptTrigger trigger)
{
    switch (trigger) {
    case AttemptTrigger::Manual:
        return QStringLiteral("manual");
    case AttemptTrigger::Test:
        return QStringLiteral("test");
    case AttemptTrigger::Scheduled:
        break;
    }
    return QStringLiteral("scheduled");
}

AttemptTrigger attemptTriggerFromKey(const QString &key)
{
    if (key == QLatin1String("manual"))
        return AttemptTrigger::Manual;
    if (key == QLatin1String("test"))
        return AttemptTrigger::Test;
    return AttemptTrigger::Scheduled;
}

QString attemptOutcomeKey(AttemptOutcome outcome)
{
    switch (outcome) {
    case AttemptOutcome::Succeeded:
        return QStringLiteral("succeeded");
    case AttemptOutcome::Failed:
        return QStringLiteral("failed");
    case AttemptOutcome::Filtered:
        return QStringLiteral("filtered");
    case AttemptOutcome::Pending:
        break;
    }
    return QStringLiteral("pending");
}

AttemptOutcome attemptOutcomeFromKey(const QString &key)
{
    if (key == QLatin1String("succeeded"))
        return AttemptOutcome::Succeeded;
    if (key == QLatin1String("failed"))
        return AttemptOutcome::Failed;
    if (key == QLatin1String("filtered"))
        return AttemptOutcome::Filtered;
    return AttemptOutcome::Pending;
}
