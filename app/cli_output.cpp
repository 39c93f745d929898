#include "cli_output.h"

#include "store/storage_error.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <cstdio>

void CliOutput::printRaw(const QByteArray &bytes)
{
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stdout);
    std::fflush(stdout);
}

void CliOutput::print(const QString &text)
{
    printRaw(text.toUtf8() + '\n');
}

void CliOutput::printJson(const QJsonValue &json)
{
    const QJsonDocument document =
        json.isArray() ? QJsonDocument(json.toArray()) : QJsonDocument(json.toObject());
    printRaw(document.toJson(QJsonDocument::Indented));
}

int CliOutput::fail(ExitCode code, const QString &message)
{
    // One line, whatever the message holds, so a script can log it as is.
    QString line = message.simplified();
    const QByteArray text = QByteArrayLiteral("webhook-admin: ") + line.toUtf8() + '\n';
    std::fwrite(text.constData(), 1, size_t(text.size()), stderr);
    std::fflush(stderr);
    return int(code);
}

void CliOutput::warn(const QString &message)
{
    const QByteArray text =
        QByteArrayLiteral("webhook-admin: warning: ") + message.simplified().toUtf8() + '\n';
    std::fwrite(text.constData(), 1, size_t(text.size()), stderr);
    std::fflush(stderr);
}

int CliOutput::fail(const StorageError &error)
{
    switch (error.kind) {
    case StorageError::Kind::Invalid:
    case StorageError::Kind::NotFound:
        return fail(ExitCode::InvalidInput, error.message);
    default:
        break;
    }
    return fail(ExitCode::StorageFailed, error.message);
}

QString CliOutput::table(const QStringList &header, const QList<QStringList> &rows)
{
    QList<qsizetype> widths(header.size(), 0);
    const auto measure = [&widths](const QStringList &row) {
        for (qsizetype i = 0; i < row.size() && i < widths.size(); ++i)
            widths[i] = std::max(widths[i], row.at(i).size());
    };
    measure(header);
    for (const QStringList &row : rows)
        measure(row);

    QStringList lines;
    const auto format = [&widths](const QStringList &row) {
        QString line;
        for (qsizetype i = 0; i < row.size(); ++i) {
            if (i + 1 < row.size())
                line += row.at(i).leftJustified(widths.at(i)) + QStringLiteral("  ");
            else
                line += row.at(i);
        }
        return line;
    };
    lines.append(format(header));
    for (const QStringList &row : rows)
        lines.append(format(row));
    return lines.join(QLatin1Char('\n'));
}

QString CliOutput::keyValues(const QList<std::pair<QString, QString>> &rows)
{
    qsizetype width = 0;
    for (const auto &[label, value] : rows)
        width = std::max(width, label.size() + 1);
    QStringList lines;
    for (const auto &[label, value] : rows) {
        const QStringList parts = value.split(QLatin1Char('\n'));
        lines.append(QString(label + QLatin1Char(':')).leftJustified(width) + QStringLiteral("  ") +
                     parts.first());
        for (qsizetype i = 1; i < parts.size(); ++i)
            lines.append(QString(width + 2, QLatin1Char(' ')) + parts.at(i));
    }
    return lines.join(QLatin1Char('\n'));
}

QString CliOutput::yesNo(bool value)
{
    return value ? tr("yes") : tr("no");
}
