#pragma once

#include <QSettings>

// Where the window remembers its size, splitters and choices: one place for
// every view that reads or writes them.
inline QSettings appSettings()
{
    return QSettings(QStringLiteral("webhook-admin"), QStringLiteral("webhook-admin"));
}
