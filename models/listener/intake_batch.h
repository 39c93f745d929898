#pragma once

#include "listener/intake_service.h"

#include <QCoreApplication>
#include <QObject>
#include <QTimer>
#include <functional>
#include <vector>

class Database;

// Group commit for the intake: the requests that arrive in one turn of the
// listener's event loop are stored in ONE transaction, each request a
// savepoint of it (all or nothing on its own), and each is answered only
// after that commit. One write lock and one commit for many requests is what
// lets the intake keep up while the dispatcher's recorder takes the same lock.
// If the transaction cannot be opened or committed, or the database fails
// while storing any of them, nothing of the batch is stored and every request
// that was to be stored is answered 503 (locked, full, read-only) or 500.
class IntakeBatch final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(IntakeBatch)

public:
    // More than this many waiting requests are stored at once, without
    // waiting for the end of the turn.
    static constexpr int MaxRequests = 64;
    using Answer = std::function<void(const ListenerReply &reply)>;

    IntakeBatch(Database *database, IntakeService *service, QObject *parent = nullptr);
    ~IntakeBatch() override;

    // Queues the submission; `answer` is called once, after the batch's commit
    // (or its failure).
    void add(IntakeSubmission submission, Answer answer);
    // Stores and answers everything queued, now.
    void flush();
    int queued() const { return int(m_items.size()); }

private:
    struct Item
    {
        IntakeSubmission submission;
        Answer answer;
    };

    Database *m_database;
    IntakeService *m_service;
    std::vector<Item> m_items;
    bool m_flushQueued = false;
};
