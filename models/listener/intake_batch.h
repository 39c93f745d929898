#pragma once

#include "listener/intake_service.h"

#include <QMutex>
#include <QObject>
#include <QThread>
#include <functional>
#include <memory>
#include <vector>

class Database;

// Group commit for the intake, on a thread and a connection of its own: the
// requests queued while the previous batch was being stored are stored in
// ONE transaction, each request a savepoint of it (all or nothing on its
// own), and each is answered (on the listener's thread) only after that
// commit. The listener meanwhile goes on reading and checking requests, so
// the busier it is, the more requests share one write lock and one commit.
// If the transaction cannot be opened or committed, or the database fails
// while storing any of them, nothing of the batch is stored and every request
// that was to be stored is answered 503 (locked, full, read-only) or 500.
// On SQLite the writer's connection also checkpoints the log, every
// CheckpointIntervalMs, between batches: never on a request's path.
class IntakeBatch final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(IntakeBatch)

public:
    // At most this many requests share one transaction.
    static constexpr int MaxRequests = 64;
    static constexpr int CheckpointIntervalMs = 2000;
    using Answer = std::function<void(const ListenerReply &reply)>;

    // Lives on the listener's thread; stores through its own connection to
    // `databasePath` once start() has opened it.
    explicit IntakeBatch(const QString &databasePath, QObject *parent = nullptr);
    ~IntakeBatch() override;

    // Opens the writer's connection on its thread; why it could not, or empty.
    QString start();
    // Queues the submission; `answer` is called once, on this object's
    // thread, after the batch's commit (or its failure).
    void add(IntakeSubmission submission, Answer answer);
    // Stores and answers everything queued, then stops the writer's thread.
    void finish();
    // Runs `work` on the writer's thread with its connection (none before
    // start()) and waits for it; for settings of that one connection.
    void withConnection(const std::function<void(Database *)> &work);

private:
    class Writer;
    struct Item
    {
        IntakeSubmission submission;
        Answer answer;
    };
    struct Answered
    {
        Answer answer;
        ListenerReply reply;
    };

    // On the writer's thread: the next batch of what is queued.
    void storeQueued();
    // On this object's thread: calls the answers of committed batches.
    void answerStored();

    QString m_databasePath;
    QThread m_thread;
    Writer *m_writer = nullptr; // lives on m_thread

    QMutex m_mutex; // guards what follows
    std::vector<Item> m_queued;
    bool m_storeQueued = false;
    std::vector<Answered> m_answered;
    bool m_answerQueued = false;
};
