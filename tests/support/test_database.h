#pragma once

#include <QString>

// Where a test keeps its data. On SQLite (the default) a file in the test's
// own folder; when CTest runs the suite against PostgreSQL (the *_pg tests,
// which set WEBHOOK_ADMIN_TEST_PG to the fixture's state file), a new, empty
// database on the throwaway server that the pg_cluster fixture started.
namespace TestDatabase {

bool onServer();

// A new location for one test: dir/fileName on SQLite, a fresh database on
// the server. Empty (with a warning) when the server cannot make one.
QString create(const QString &dir, const QString &fileName);

// The fixture's server itself (postgresql://…/postgres), empty on SQLite.
QString serverAddress();
// The folder of the fixture's cluster (data/, the port, the log), for tests
// that restart the server; empty on SQLite.
QString clusterFolder();

} // namespace TestDatabase
