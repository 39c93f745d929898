#pragma once

#include "domain/attempt.h"
#include "store/storage_error.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <atomic>
#include <functional>

class QThread;

// Reads the outcomes of each hook's last attempts (DeliveryStore::
// recentOutcomes) on a thread with a connection of its own. With 10,000
// hooks that statement is a subquery per hook: tens of milliseconds on
// SQLite, up to 1.5 s on a busy PostgreSQL server, and the hook list's
// Recent column must not hold the window's first paint for it.
//
// Reads asked for while one waits to start are one read; a read asked for
// while one runs runs again after it, so what it returns is never older
// than the ask. Answers come back, in order, on the thread that made the
// reader, and none comes after the reader is gone.
class HookOutcomeReader final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HookOutcomeReader)

public:
    using Outcomes = QHash<qint64, QList<AttemptOutcome>>;
    using Answer = std::function<void(const Result<Outcomes> &outcomes)>;

    // location: as Database::open takes it. perHook: how many attempts per hook.
    HookOutcomeReader(const QString &location, int perHook, Answer answer,
                      QObject *parent = nullptr);
    // Waits for the read under way, if any; later answers are dropped.
    ~HookOutcomeReader() override;

    // Asks for a read; false when it is folded into one already asked for
    // (exactly one answer comes for each true).
    bool read();

private:
    class Worker;
    QThread *m_thread;
    Worker *m_worker;
    const Answer m_answer;
    const int m_perHook;
    std::atomic<bool> m_asked{false};
    std::atomic<bool> m_stopping{false};
};
