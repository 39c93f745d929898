#pragma once

#include <QString>
#include <QVariant>

// Qt binds a null QString as SQL NULL; text columns here are NOT NULL ''.
inline QVariant sqlText(const QString &text)
{
    return text.isNull() ? QVariant(QString(QLatin1String(""))) : QVariant(text);
}
