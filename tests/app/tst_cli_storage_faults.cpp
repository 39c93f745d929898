#include "cli_process.h"
#include "store/database.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <sys/stat.h>
#include <unistd.h>

// The command line when the file cannot take a write: locked by another
// writer past the busy timeout, read-only, or readable by others. Each write
// is refused as a whole with one line on stderr and exit 4, and what was
// stored stays as it was. (A corrupt file and a newer schema are in
// tst_cli's storageErrors; a full disk in tst_disk_full; that a new file is
// created 0600 in tst_database and tst_cli.)
namespace {

using namespace CliTest;

constexpr uid_t NobodyId = 65534;

} // namespace

class TestCliStorageFaults : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();

    void lockedPastBusyTimeoutRefusesTheWrite();
    void readOnlyFileRefusesTheWrite();
    void widePermissionsWarnOnce_data();
    void widePermissionsWarnOnce();

private:
    Run run(const QStringList &arguments, const QByteArray &input = {}, bool unprivileged = false);
    // Everything a user could compare: the tables' row counts and the hooks.
    QString snapshot();

    QTemporaryDir m_home;
    QProcessEnvironment m_environment;
    QString m_db;
    int m_counter = 0;
};

void TestCliStorageFaults::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_home.isValid());
    QVERIFY(QFile::exists(QStringLiteral(WEBHOOK_ADMIN_BINARY)));
    m_environment = CliTest::cleanEnvironment(m_home.path());
    m_environment.insert(QStringLiteral("XDG_DATA_HOME"), m_home.filePath(QStringLiteral("data")));
}

void TestCliStorageFaults::init()
{
    m_db = m_home.filePath(QStringLiteral("db-%1.sqlite").arg(++m_counter));
}

Run TestCliStorageFaults::run(const QStringList &arguments, const QByteArray &input,
                              bool unprivileged)
{
    CliTest::Options options{.workingDirectory = QDir::tempPath()};
    // As root, file modes stop no write: the command runs as "nobody".
    if (unprivileged && ::geteuid() == 0)
        options.childProcessModifier = [] {
            if (::setgid(NobodyId) != 0 || ::setuid(NobodyId) != 0)
                ::_exit(99);
        };
    return CliTest::runCli(m_environment, QStringList{QStringLiteral("--db"), m_db} + arguments,
                           input, options);
}

QString TestCliStorageFaults::snapshot()
{
    QStringList parts;
    const QString name = QStringLiteral("snapshot");
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        db.setDatabaseName(m_db);
        // Read-write, so that closing it removes the -wal and -shm files it
        // may have made: they would be root's in readOnlyFileRefusesTheWrite.
        if (db.open()) {
            for (const char *table : {"projects", "webhooks", "webhook_headers", "webhook_actions",
                                      "event_types", "events", "deliveries", "attempts"}) {
                QSqlQuery query(db);
                query.exec(QStringLiteral("SELECT count(*) FROM ") + QLatin1String(table));
                parts.append(QLatin1String(table) + QLatin1Char('=') +
                             (query.next() ? query.value(0).toString() : QStringLiteral("?")));
            }
            QSqlQuery hooks(db);
            hooks.exec(QStringLiteral("SELECT id, url, updated_at FROM webhooks ORDER BY id"));
            while (hooks.next())
                parts.append(hooks.value(0).toString() + QLatin1Char(' ') +
                             hooks.value(1).toString() + QLatin1Char(' ') +
                             hooks.value(2).toString());
            db.close();
        }
    }
    QSqlDatabase::removeDatabase(name);
    return parts.join(QLatin1Char('\n'));
}

void TestCliStorageFaults::lockedPastBusyTimeoutRefusesTheWrite()
{
    QCOMPARE(run(args({"hooks", "add", "--url", "https://a.example/hook"})).exitCode, 0);
    QCOMPARE(run(args({"emit", "TASKS_CREATED", "--queue"})).exitCode, 0);
    const QString before = snapshot();
    QVERIFY(before.contains(QLatin1String("events=1")));
    const QByteArray listed = run(args({"hooks", "list", "--json"})).out;

    // Another writer (a second connection) holds the write lock and does not let go.
    const QString name = QStringLiteral("other-writer");
    {
        QSqlDatabase other = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), name);
        other.setDatabaseName(m_db);
        QVERIFY(other.open());
        QSqlQuery query(other);
        QVERIFY(query.exec(QStringLiteral("BEGIN IMMEDIATE")));
        QVERIFY(query.exec(QStringLiteral(
            "INSERT INTO projects (title, created_at) VALUES ('uncommitted', 'now')")));

        const QList<QStringList> writes{
            args({"hooks", "add", "--url", "https://b.example/hook", "--header", "X-Team: ml"}),
            args({"emit", "TASKS_CREATED", "--queue"}),
            args({"emit", "TASKS_CREATED", "--jsonl", "-", "--queue"}),
        };
        for (const QStringList &write : writes) {
            const Run result = run(write, "{\"tasks\": [{\"id\": 1}]}\n");
            QVERIFY2(result.exitCode == 4, qPrintable(describe(result)));
            QVERIFY2(isOneLineError(result), qPrintable(describe(result)));
            QVERIFY2(result.err.contains("locked"), qPrintable(describe(result)));
            // It waited for the other writer first, for the whole busy timeout.
            QVERIFY2(result.elapsedMs >= Database::BusyTimeoutMs - 500,
                     qPrintable(describe(result)));
        }
        // Readers are not blocked by a writer.
        const Run list = run(args({"hooks", "list", "--json"}));
        QCOMPARE(list.exitCode, 0);
        QCOMPARE(list.out, listed);

        QVERIFY(query.exec(QStringLiteral("ROLLBACK")));
        other.close();
    }
    QSqlDatabase::removeDatabase(name);

    QCOMPARE(snapshot(), before);
    // Once the lock is gone the same commands work.
    QCOMPARE(run(args({"hooks", "add", "--url", "https://b.example/hook"})).exitCode, 0);
    QCOMPARE(run(args({"emit", "TASKS_CREATED", "--queue"})).exitCode, 0);
}

void TestCliStorageFaults::readOnlyFileRefusesTheWrite()
{
    QCOMPARE(run(args({"hooks", "add", "--url", "https://a.example/hook"})).exitCode, 0);
    QCOMPARE(run(args({"emit", "TASKS_CREATED", "--queue"})).exitCode, 0);
    const QByteArray listed = run(args({"hooks", "list", "--json"})).out;
    const QString before = snapshot();

    // Read-only for its owner, and private (no permission warning); the folder
    // stays writable for SQLite's shared-memory file.
    if (::geteuid() == 0) {
        QVERIFY(::chown(QFile::encodeName(m_db).constData(), NobodyId, NobodyId) == 0);
        QVERIFY(QFile::setPermissions(m_home.path(), QFileDevice::Permissions(0x7777)));
    }
    QVERIFY(QFile::setPermissions(m_db, QFileDevice::ReadOwner | QFileDevice::ReadUser));
    QFile file(m_db);
    QVERIFY(file.open(QIODevice::ReadOnly));
    const QByteArray bytes = file.readAll();
    file.close();

    for (const QStringList &write :
         {args({"hooks", "add", "--url", "https://b.example/hook"}),
          args({"hooks", "update", "1", "--url", "https://changed.example/"}),
          args({"hooks", "remove", "1"}), args({"emit", "TASKS_CREATED", "--queue"}),
          args({"projects", "add", "Street scenes"})}) {
        const Run result = run(write, {}, true);
        QVERIFY2(result.exitCode == 4, qPrintable(describe(result)));
        QVERIFY2(isOneLineError(result), qPrintable(describe(result)));
        QVERIFY2(result.err.contains("read-only"), qPrintable(describe(result)));
    }
    // Reading still works.
    const Run list = run(args({"hooks", "list", "--json"}), {}, true);
    QVERIFY2(list.exitCode == 0 && list.err.isEmpty(), qPrintable(describe(list)));
    QCOMPARE(list.out, listed);

    QVERIFY(file.open(QIODevice::ReadOnly));
    QCOMPARE(file.readAll(), bytes);
    file.close();
    QCOMPARE(snapshot(), before);
    if (::geteuid() == 0)
        QVERIFY(QFile::setPermissions(m_home.path(), QFileDevice::ReadOwner |
                                                         QFileDevice::WriteOwner |
                                                         QFileDevice::ExeOwner));
}

void TestCliStorageFaults::widePermissionsWarnOnce_data()
{
    QTest::addColumn<int>("mode");
    QTest::addColumn<bool>("warns");
    QTest::newRow("0644 readable by all") << 0644 << true;
    QTest::newRow("0640 readable by the group") << 0640 << true;
    QTest::newRow("0604 readable by others") << 0604 << true;
    QTest::newRow("0600 private") << 0600 << false;
    QTest::newRow("0620 group may write, not read") << 0620 << false;
}

void TestCliStorageFaults::widePermissionsWarnOnce()
{
    QFETCH(int, mode);
    QFETCH(bool, warns);
    QCOMPARE(run(args({"hooks", "add", "--url", "https://a.example/hook"})).exitCode, 0);
    QVERIFY(::chmod(QFile::encodeName(m_db).constData(), mode_t(mode)) == 0);

    const QByteArray warning = "webhook-admin: warning: " + QFile::encodeName(m_db) +
                               " is readable by other users; it holds secrets (chmod 600 " +
                               QFile::encodeName(m_db) + ")\n";
    for (const QStringList &command :
         {args({"hooks", "list"}), args({"hooks", "add", "--url", "https://b.example/"}),
          args({"emit", "TASKS_CREATED", "--queue"}), args({"deliveries", "--json"})}) {
        const Run result = run(command);
        // A warning, not a failure: the command did its work.
        QVERIFY2(result.exitCode == 0, qPrintable(describe(result)));
        QVERIFY2(!result.out.isEmpty(), qPrintable(describe(result)));
        QCOMPARE(result.err, warns ? warning : QByteArray());
    }
    // The mode is the user's to change; the warning does not change it.
    QCOMPARE(int(QFileInfo(m_db).permissions() &
                 (QFileDevice::ReadGroup | QFileDevice::ReadOther | QFileDevice::WriteGroup)) != 0,
             mode != 0600);
}

QTEST_GUILESS_MAIN(TestCliStorageFaults)
#include "tst_cli_storage_faults.moc"
