#pragma once

#include "domain/webhook.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QString>

class QIODevice;

// Webhooks in Label Studio's webhook API JSON (what GET /api/webhooks/ returns),
// one object or a list, plus Webhook Admin's own fields: description,
// signature, secret, secret_headers, timeout, max_attempts and the read-only
// consecutive_failures and disabled_reason.
class LabelStudioJson final
{
    Q_DECLARE_TR_FUNCTIONS(LabelStudioJson)

public:
    static constexpr qint64 MaxBytes = 50LL * 1024 * 1024;
    static constexpr int MaxEntries = 100000;

    struct Parsed
    {
        QList<Webhook> hooks;
        QString error; // one line, naming the entry: "entry 3: ..."; empty when fine

        bool ok() const { return error.isEmpty(); }
    };

    // Ids in the input are ignored: an import always adds new hooks. A secret
    // or header value that is masked is refused, since it cannot be restored.
    static Parsed parse(const QByteArray &json);
    // Reads at most MaxBytes from a file or stdin and parses it.
    static Parsed read(QIODevice *device);

    // Secrets and secret header values are masked unless includeSecrets.
    static QJsonObject toJson(const Webhook &hook, bool includeSecrets);
    static QJsonArray toJson(const QList<Webhook> &hooks, bool includeSecrets);
    static QByteArray serialize(const QList<Webhook> &hooks, bool includeSecrets);
    // Writes serialize() to a file created 0600 (it may hold secrets), whole
    // or not at all. Returns the error, empty on success.
    static QString writeFile(const QString &path, const QList<Webhook> &hooks, bool includeSecrets);

    static QString formatTime(const QDateTime &time);
};
