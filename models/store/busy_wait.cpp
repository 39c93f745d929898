#include "busy_wait.h"

#include "sqlite_handle.h"

#include <chrono>
#include <thread>

namespace {

struct BusyState
{
    int timeoutMs = 0;
    std::chrono::steady_clock::time_point since;
};

int onBusy(void *data, int count)
{
    auto *state = static_cast<BusyState *>(data);
    const auto now = std::chrono::steady_clock::now();
    if (count == 0)
        state->since = now;
    const auto waited = std::chrono::duration_cast<std::chrono::milliseconds>(now - state->since);
    if (waited.count() >= state->timeoutMs)
        return 0; // SQLITE_BUSY: the caller reports "locked"
    std::this_thread::sleep_for(waited.count() < 5 ? std::chrono::microseconds(50)
                                                   : std::chrono::microseconds(500));
    return 1;
}

} // namespace

bool waitBrieflyWhenBusy(const QSqlDatabase &db, int timeoutMs)
{
    sqlite3 *const connection = sqliteHandle(db);
    if (!connection)
        return false;
    // One state per connection, alive as long as the process (a handful).
    auto *state = new BusyState{timeoutMs, {}};
    return sqlite3_busy_handler(connection, &onBusy, state) == SQLITE_OK;
}
