#pragma once

#include "domain/event_catalog.h"
#include "domain/project.h"
#include "domain/webhook.h"
#include "storage_error.h"

#include <QObject>
#include <QTimer>

class Database;

// Reads and writes hooks, projects and custom event types. Every write is one
// transaction that is validated first: a hook is saved whole or not at all.
class HookStore final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HookStore)

public:
    explicit HookStore(Database *database, QObject *parent = nullptr);

    Result<QList<Webhook>> hooks() const;
    Result<Webhook> hook(qint64 id) const;
    // Id and URL of every hook in id order: what lists and filters show,
    // without reading headers and events (10,000 hooks in a few ms).
    Result<QList<QPair<qint64, QString>>> hookUrls() const;
    // The same with each hook's description: what a searchable choice of
    // hooks shows (the log's webhook filter).
    struct HookLabel
    {
        qint64 id = 0;
        QString url;
        QString description;
    };
    Result<QList<HookLabel>> hookLabels() const;
    // Inserts when webhook.id is 0, else updates; returns the stored hook.
    Result<Webhook> saveHook(const Webhook &webhook);
    // What happens to a removed hook's delivery history.
    enum class History { Keep, Delete };
    // Keep: the hook leaves every list and sends nothing more (its pending
    // attempts are cancelled), while its recorded attempts stay in the log
    // until retention prunes them. Delete: they go with it.
    Status removeHook(qint64 id, History history = History::Keep);
    Status setHookActive(qint64 id, bool active);
    // The same for several hooks, all or nothing (the list's multi-selection).
    Status removeHooks(const QList<qint64> &ids, History history = History::Keep);
    Status setHooksActive(const QList<qint64> &ids, bool active);
    // Ends a pause of the circuit breaker now (see DeliveryStore::resumeHook).
    Status resumeHook(qint64 id);
    QString databasePath() const;
    // All or nothing: every hook is validated before the first is written.
    Result<QList<Webhook>> importHooks(const QList<Webhook> &hooks);

    Result<QList<Project>> projects() const;
    Result<Project> addProject(const QString &title);

    Result<QList<EventType>> customEventTypes() const;
    Result<EventType> addEventType(const EventType &type);
    // Built-ins plus the custom types stored in the file.
    EventCatalog catalog() const;

    // Emits the changed signals when another connection (a CLI, a second
    // window) committed since the last call. The GUI calls it on a timer.
    void checkExternalChanges();
    // The same without waiting for the change counter: the window's writer
    // thread has just written on a connection of its own (on a server its
    // notification may not have arrived yet).
    void lookAgain();

    static QString checkEventType(const EventType &type, const EventCatalog &catalog);

signals:
    void hooksChanged();
    void projectsChanged();
    void eventTypesChanged();
    // Another connection changed the file, but not its hooks, projects or
    // event types: attempts were recorded (by the engine or another process).
    void otherDataChanged();

private:
    void compareWithStored(bool force);
    Result<Webhook> writeHook(const Webhook &webhook, const EventCatalog &catalog);
    std::optional<StorageError> validateForSave(const Webhook &webhook,
                                                const EventCatalog &catalog) const;
    bool projectExists(qint64 id) const;

    static constexpr int ChangeDelayMs = 100;
    Database *m_database;
    QTimer m_changeTimer;
    qint64 m_lastDataVersion = -1;
    // What checkExternalChanges saw of each table: data_version does not say
    // which changed, and the engine changes the file all the time.
    QString m_hooksPrint;
    QString m_projectsPrint;
    QString m_eventTypesPrint;
};
