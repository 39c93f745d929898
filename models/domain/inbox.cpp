#include "inbox.h"

#include <QRegularExpression>

QString inboxVerdictKey(InboxVerdict verdict)
{
    switch (verdict) {
    case InboxVerdict::Valid:
        return QStringLiteral("valid");
    case InboxVerdict::Invalid:
        return QStringLiteral("invalid");
    case InboxVerdict::Stale:
        return QStringLiteral("stale");
    case InboxVerdict::Unsigned:
        break;
    }
    return QStringLiteral("unsigned");
}

InboxVerdict inboxVerdictFromKey(const QString &key)
{
    if (key == QLatin1String("valid"))
        return InboxVerdict::Valid;
    if (key == QLatin1String("invalid"))
        return InboxVerdict::Invalid;
    if (key == QLatin1String("stale"))
        return InboxVerdict::Stale;
    return InboxVerdict::Unsigned;
}

bool InboxSettings::isValidName(const QString &name)
{
    static const QRegularExpression pattern(QStringLiteral("^[A-Za-z0-9._~-]{1,64}$"));
    return pattern.match(name).hasMatch() && name != QLatin1String(".") &&
           name != QLatin1String("..");
}
