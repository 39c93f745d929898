#pragma once

#include "domain/event_catalog.h"
#include "domain/project.h"
#include "domain/webhook.h"
#include "storage_error.h"

#include <QHash>
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
    // The same for these ids only, in id order; ids of no hook (or of a
    // deleted one) are left out.
    Result<QList<QPair<qint64, QString>>> hookUrls(const QList<qint64> &ids) const;
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
    Result<Project> renameProject(qint64 id, const QString &title);
    // Live webhooks scoped to the project (deleted ones do not count).
    Result<int> projectHookCount(qint64 id) const;
    // The same for every project that has any, in one query.
    Result<QHash<qint64, int>> hookCountsByProject() const;
    // What becomes of a removed project's webhooks. Refuse: nothing is
    // removed while the project has any (the error names how many). Delete:
    // they go with it as removeHook(History::Keep) removes one, their
    // delivery history kept. Never orphaned: a hook does not silently turn
    // organization-wide (it would fire for every project's events).
    enum class ProjectHooks { Refuse, Delete };
    Status removeProject(qint64 id, ProjectHooks hooks = ProjectHooks::Refuse);

    Result<QList<EventType>> customEventTypes() const;
    Result<EventType> addEventType(const EventType &type);
    // A custom type's name, description, payload key and shape; its key
    // stays (hooks subscribe by key). Built-in types are read-only.
    Result<EventType> updateEventType(const EventType &type);
    // Live webhooks that check this type (not those sending every event).
    Result<int> eventTypeHookCount(const QString &key) const;
    // The same for every checked type, in one query.
    Result<QHash<QString, int>> hookCountsByEventType() const;
    // What becomes of the hooks that check a removed type. Refuse: nothing
    // is removed while any does (the error names how many). Unsubscribe:
    // the type leaves their event lists; deliveries already stored still go.
    enum class Subscribers { Refuse, Unsubscribe };
    Status removeEventType(const QString &key, Subscribers subscribers = Subscribers::Refuse);
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
    // The same for an edit of the stored custom type type.key.
    static QString checkEventTypeEdit(const EventType &type, const EventCatalog &catalog);
    static QString checkProjectTitle(const QString &title);

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
