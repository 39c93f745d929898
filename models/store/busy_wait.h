#pragma once

#include <QSqlDatabase>

// SQLite's own busy handler sleeps 1, 2, 5, 10... ms between tries: fine for
// a command, ruinous for the listener, whose every request takes the write
// lock the dispatcher's connections take many times a second. This one
// retries every 50 µs (500 µs after the first 5 ms) until `timeoutMs`, so a
// lock held for a moment costs about that moment. False when the handle is
// not SQLite's.
bool waitBrieflyWhenBusy(const QSqlDatabase &db, int timeoutMs);
