#pragma once

#include <QDateTime>
#include <QString>

// A labeling project. Hooks scoped to a project fire only for its events.
struct Project
{
    qint64 id = 0;
    QString title;
    QDateTime createdAt;

    friend bool operator==(const Project &, const Project &) = default;
};
