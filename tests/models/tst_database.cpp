#include "store/database.h"
#include "store/hook_store.h"

#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QSqlError>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QUuid>
#include <atomic>
#include <cstdio>
#include <functional>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

using Kind = StorageError::Kind;

namespace {

constexpr uid_t NobodyId = 65534;
constexpr QFileDevice::Permissions GroupOrOther = QFileDevice::ReadGroup | QFileDevice::WriteGroup |
                                                  QFileDevice::ExeGroup | QFileDevice::ReadOther |
                                                  QFileDevice::WriteOther | QFileDevice::ExeOther;
constexpr QFileDevice::Permissions Everyone =
    QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner |
    QFileDevice::ReadUser | QFileDevice::WriteUser | QFileDevice::ExeUser | GroupOrOther;

// A plain SQLite connection, the way another program (or a careless user) would
// open the file: none of Database's checks.
class RawConnection final
{
    Q_DISABLE_COPY_MOVE(RawConnection)

public:
    explicit RawConnection(const QString &path)
        : m_name(QUuid::createUuid().toString())
    {
        QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_name);
        db.setDatabaseName(path);
        m_ok = db.open();
    }
    ~RawConnection()
    {
        {
            QSqlDatabase db = QSqlDatabase::database(m_name, false);
            db.close();
        }
        QSqlDatabase::removeDatabase(m_name);
    }
    bool isOpen() const { return m_ok; }
    QSqlDatabase db() const { return QSqlDatabase::database(m_name, false); }
    bool exec(const QString &sql) const
    {
        QSqlQuery query(db());
        if (query.exec(sql))
            return true;
        qWarning("%s: %s", qPrintable(sql), qPrintable(query.lastError().text()));
        return false;
    }
    QVariant value(const QString &sql) const { return valueOf(db(), sql); }

    static QVariant valueOf(const QSqlDatabase &db, const QString &sql)
    {
        QSqlQuery query(db);
        if (!query.exec(sql) || !query.next())
            return {};
        return query.value(0);
    }

private:
    QString m_name;
    bool m_ok = false;
};

QByteArray fileBytes(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return file.readAll();
}

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size();
}

qint64 count(const QSqlDatabase &db, const QString &table)
{
    return RawConnection::valueOf(db, QStringLiteral("SELECT count(*) FROM ") + table).toLongLong();
}

Webhook sampleHook(const QString &url = QStringLiteral("https://example.com/hook"))
{
    Webhook w;
    w.url = url;
    w.headers = {{QStringLiteral("Authorization"), QStringLiteral("Bearer s3cr3t"), true}};
    w.sendForAllActions = false;
    w.actions = {QStringLiteral("TASKS_CREATED"), QStringLiteral("ANNOTATION_CREATED")};
    return w;
}

bool isRoot()
{
    return ::geteuid() == 0;
}

// Runs a check as an ordinary user. As root (CI containers) file modes do not
// stop writes, so the check runs in a child that became "nobody". The check
// returns 0 on success, or a code it explains on stderr.
int runUnprivileged(const std::function<int()> &check)
{
    if (!isRoot())
        return check();
    std::fflush(nullptr);
    const pid_t pid = ::fork();
    if (pid < 0)
        return 200;
    if (pid == 0) {
        if (::setgid(NobodyId) != 0 || ::setuid(NobodyId) != 0)
            ::_exit(201);
        if (::geteuid() == 0)
            ::_exit(202);
        ::_exit(check());
    }
    int status = 0;
    if (::waitpid(pid, &status, 0) != pid)
        return 203;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 204;
}

int fail(int code, const QString &what)
{
    std::fprintf(stderr, "unprivileged check %d: %s\n", code, qPrintable(what));
    return code;
}

} // namespace

class TestDatabase : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void createsPrivateFile();
    void walFilesArePrivateToo();
    void pragmas();
    void walIsPersistent();
    void reopenKeepsData();
    void emptyExistingFileIsInitialised();
    void defaultPath();
    void migratesOlderSchema();
    void failedMigrationRollsBack();
    void refusesNewerSchema();
    void refusesCorruptFile_data();
    void refusesCorruptFile();
    void refusesOtherProgramsDatabase_data();
    void refusesOtherProgramsDatabase();
    void readOnlyFile();
    void pathIsADirectory();
    void directoryUnderARegularFile();
    void unwritableDirectory();
    void twoConnectionsSeeEachOther();
    void lockedPastBusyTimeout();
    void waitsForShortLock();
    void foreignKeysEnforced();

private:
    QString dbPath(const QString &name = QStringLiteral("webhook-admin.sqlite")) const
    {
        return m_dir->filePath(name);
    }

    std::unique_ptr<QTemporaryDir> m_dir;
};

void TestDatabase::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QCoreApplication::setApplicationName(QStringLiteral("webhook-admin"));
}

void TestDatabase::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
}

void TestDatabase::cleanup()
{
    // Undo the modes a test set, so the directory can be removed.
    QDirIterator it(m_dir->path(), QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden,
                    QDirIterator::Subdirectories);
    while (it.hasNext())
        QFile::setPermissions(it.next(), QFileDevice::ReadOwner | QFileDevice::WriteOwner |
                                             QFileDevice::ExeOwner);
    m_dir.reset();
}

void TestDatabase::createsPrivateFile()
{
    const QString path = m_dir->filePath(QStringLiteral("nested/deeper/webhook-admin.sqlite"));
    Database db;
    const std::optional<StorageError> error = db.open(path);
    QVERIFY2(!error, error ? qPrintable(error->message) : "");
    QVERIFY(db.isOpen());
    QCOMPARE(db.path(), QFileInfo(path).absoluteFilePath());

    const QFileInfo info(path);
    QVERIFY(info.isFile());
    // Holds signing secrets: only the owner may read or write it.
    QCOMPARE(info.permissions() & GroupOrOther, QFileDevice::Permissions());
    QVERIFY(info.permissions().testFlag(QFileDevice::ReadOwner));
    QVERIFY(info.permissions().testFlag(QFileDevice::WriteOwner));
    QVERIFY(!info.permissions().testFlag(QFileDevice::ExeOwner));

    QCOMPARE(db.schemaVersion(), Database::SchemaVersion);
    QCOMPARE(
        RawConnection::valueOf(db.connection(), QStringLiteral("PRAGMA application_id")).toInt(),
        Database::ApplicationId);
    for (const char *table :
         {"projects", "webhooks", "webhook_headers", "webhook_actions", "event_types"})
        QVERIFY2(RawConnection::valueOf(
                     db.connection(),
                     QStringLiteral("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND "
                                    "name = '%1'")
                         .arg(QLatin1String(table)))
                         .toInt() == 1,
                 table);
}

void TestDatabase::walFilesArePrivateToo()
{
    Database db;
    QVERIFY(!db.open(dbPath()));
    HookStore store(&db);
    QVERIFY(store.saveHook(sampleHook()));
    // The write-ahead log holds the secret until a checkpoint.
    for (const char *suffix : {"-wal", "-shm"}) {
        const QFileInfo info(dbPath() + QLatin1String(suffix));
        QVERIFY2(info.exists(), suffix);
        QCOMPARE(info.permissions() & GroupOrOther, QFileDevice::Permissions());
    }
}

void TestDatabase::pragmas()
{
    Database db;
    QVERIFY(!db.open(dbPath()));
    const QSqlDatabase c = db.connection();
    QCOMPARE(RawConnection::valueOf(c, QStringLiteral("PRAGMA journal_mode")).toString(),
             QStringLiteral("wal"));
    QCOMPARE(RawConnection::valueOf(c, QStringLiteral("PRAGMA foreign_keys")).toInt(), 1);
    QCOMPARE(RawConnection::valueOf(c, QStringLiteral("PRAGMA busy_timeout")).toInt(),
             Database::BusyTimeoutMs);
    QCOMPARE(RawConnection::valueOf(c, QStringLiteral("PRAGMA user_version")).toInt(),
             Database::SchemaVersion);
    QVERIFY(db.isOpen());
}

void TestDatabase::walIsPersistent()
{
    {
        Database db;
        QVERIFY(!db.open(dbPath()));
    }
    // WAL is a property of the file: a plain connection sees it too.
    RawConnection raw(dbPath());
    QCOMPARE(raw.value(QStringLiteral("PRAGMA journal_mode")).toString(), QStringLiteral("wal"));
}

void TestDatabase::reopenKeepsData()
{
    qint64 id = 0;
    {
        Database db;
        QVERIFY(!db.open(dbPath()));
        HookStore store(&db);
        const Result<Webhook> saved = store.saveHook(sampleHook());
        QVERIFY(saved);
        id = saved->id;
    }
    Database db;
    QVERIFY(!db.open(dbPath()));
    // Opening again on the same object closes the first connection cleanly.
    QVERIFY(!db.open(dbPath()));
    QCOMPARE(db.schemaVersion(), Database::SchemaVersion);
    HookStore store(&db);
    const Result<Webhook> loaded = store.hook(id);
    QVERIFY(loaded);
    QCOMPARE(loaded->url, QStringLiteral("https://example.com/hook"));
    QCOMPARE(loaded->headers, sampleHook().headers);
    QCOMPARE(loaded->actions, sampleHook().actions);
}

void TestDatabase::emptyExistingFileIsInitialised()
{
    QVERIFY(writeFile(dbPath(), {}));
    Database db;
    const std::optional<StorageError> error = db.open(dbPath());
    QVERIFY2(!error, error ? qPrintable(error->message) : "");
    QCOMPARE(db.schemaVersion(), Database::SchemaVersion);
}

void TestDatabase::defaultPath()
{
    const QString expected = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) +
                             QStringLiteral("/webhook-admin.sqlite");
    QCOMPARE(Database::defaultPath(), expected);
    // Test mode keeps the test away from the user's real data.
    QVERIFY(Database::defaultPath().contains(QStringLiteral("qttest")));
}

void TestDatabase::migratesOlderSchema()
{
    {
        Database db;
        const std::optional<StorageError> error = db.open(dbPath(), 1);
        QVERIFY2(!error, error ? qPrintable(error->message) : "");
        QCOMPARE(db.schemaVersion(), 1);
        const QSqlDatabase c = db.connection();
        QCOMPARE(count(c, QStringLiteral("sqlite_master WHERE name = 'event_types'")), 0);
        // A hook as version 1 wrote it.
        QSqlQuery q(c);
        QVERIFY(q.exec(QStringLiteral(
            "INSERT INTO projects (id, title, created_at) VALUES (3, 'Street scenes', "
            "'2026-01-02T03:04:05.000Z')")));
        QVERIFY(q.exec(QStringLiteral(
            "INSERT INTO webhooks (id, project_id, url, description, is_active, send_payload, "
            "send_for_all_actions, secret, signature, timeout_seconds, max_attempts, "
            "created_at, updated_at) VALUES (5, 3, 'http://trainer:9090/hook', 'train', 0, 0, 0, "
            "'It''s a Secret', 'github', 30, 3, '2026-01-02T03:04:05.000Z', "
            "'2026-01-02T03:04:06.000Z')")));
        QVERIFY(q.exec(QStringLiteral("INSERT INTO webhook_headers VALUES (5, 0, 'X-Token', "
                                      "'abc', 1), (5, 1, 'X-Team', 'ml', 0)")));
        QVERIFY(q.exec(QStringLiteral(
            "INSERT INTO webhook_actions VALUES (5, 'ANNOTATION_CREATED'), (5, 'TASKS_CREATED')")));
    }

    Database db;
    const std::optional<StorageError> error = db.open(dbPath());
    QVERIFY2(!error, error ? qPrintable(error->message) : "");
    QCOMPARE(db.schemaVersion(), Database::SchemaVersion);
    QCOMPARE(count(db.connection(), QStringLiteral("sqlite_master WHERE name = 'event_types'")), 1);

    HookStore store(&db);
    const Result<Webhook> hook = store.hook(5);
    QVERIFY2(hook, qPrintable(hook.error().message));
    QCOMPARE(hook->projectId, std::optional<qint64>(3));
    QCOMPARE(hook->url, QStringLiteral("http://trainer:9090/hook"));
    QCOMPARE(hook->description, QStringLiteral("train"));
    QVERIFY(!hook->isActive);
    QVERIFY(!hook->sendPayload);
    QVERIFY(!hook->sendForAllActions);
    QCOMPARE(hook->secret, QStringLiteral("It's a Secret"));
    QCOMPARE(hook->signature, SignatureScheme::GitHub);
    QCOMPARE(hook->timeoutSeconds, 30);
    QCOMPARE(hook->maxAttempts, 3);
    QCOMPARE(hook->headers,
             (QList<HeaderRow>{{QStringLiteral("X-Token"), QStringLiteral("abc"), true},
                               {QStringLiteral("X-Team"), QStringLiteral("ml"), false}}));
    QCOMPARE(hook->actions,
             (QStringList{QStringLiteral("TASKS_CREATED"), QStringLiteral("ANNOTATION_CREATED")}));
    QCOMPARE(hook->createdAt, QDateTime(QDate(2026, 1, 2), QTime(3, 4, 5), Qt::UTC));
    // And the migrated file takes new data.
    const Result<EventType> added = store.addEventType({QStringLiteral("MODEL_TRAINED"),
                                                        QStringLiteral("Model trained"),
                                                        {},
                                                        QStringLiteral("model"),
                                                        false,
                                                        false,
                                                        {},
                                                        false});
    QVERIFY2(added, qPrintable(added.error().message));
}

void TestDatabase::failedMigrationRollsBack()
{
    {
        Database db;
        QVERIFY(!db.open(dbPath(), 1));
        QSqlQuery q(db.connection());
        QVERIFY(q.exec(QStringLiteral("INSERT INTO projects (title, created_at) VALUES ('kept', "
                                      "'2026-01-01T00:00:00.000Z')")));
        // A table in the way of the 1 -> 2 step makes it fail part way.
        QVERIFY(q.exec(QStringLiteral("CREATE TABLE event_types (x)")));
    }
    Database db;
    const std::optional<StorageError> error = db.open(dbPath());
    QVERIFY(error);
    QVERIFY(!error->message.isEmpty());
    QVERIFY(!db.isOpen());

    RawConnection raw(dbPath());
    QCOMPARE(raw.value(QStringLiteral("PRAGMA user_version")).toInt(), 1);
    QCOMPARE(raw.value(QStringLiteral("SELECT title FROM projects")).toString(),
             QStringLiteral("kept"));
    // Nothing of the later steps was left behind.
    QCOMPARE(raw.value(QStringLiteral("SELECT count(*) FROM sqlite_master WHERE name NOT IN "
                                      "('projects', 'webhooks', 'webhooks_project', "
                                      "'webhook_headers', 'webhook_actions', 'event_types') AND "
                                      "name NOT LIKE 'sqlite_%'"))
                 .toInt(),
             0);
}

void TestDatabase::refusesNewerSchema()
{
    {
        Database db;
        QVERIFY(!db.open(dbPath()));
        HookStore store(&db);
        QVERIFY(store.saveHook(sampleHook()));
        QSqlQuery q(db.connection());
        QVERIFY(q.exec(QStringLiteral("PRAGMA user_version = 99")));
    }
    const QByteArray before = fileBytes(dbPath());
    QVERIFY(!before.isEmpty());

    Database db;
    const std::optional<StorageError> error = db.open(dbPath());
    QVERIFY(error);
    QCOMPARE(error->kind, Kind::NewerSchema);
    QVERIFY2(error->message.contains(QStringLiteral("newer")), qPrintable(error->message));
    QVERIFY2(error->message.contains(QStringLiteral("99")), qPrintable(error->message));
    QVERIFY(!db.isOpen());
    QCOMPARE(fileBytes(dbPath()), before);
}

void TestDatabase::refusesCorruptFile_data()
{
    QTest::addColumn<QByteArray>("content");

    QRandomGenerator random(20261127);
    QByteArray noise(16384, Qt::Uninitialized);
    random.fillRange(reinterpret_cast<quint32 *>(noise.data()), noise.size() / 4);
    QTest::newRow("random bytes") << noise;

    QByteArray header = QByteArrayLiteral("SQLite format 3") + '\0';
    QTest::newRow("SQLite header, then garbage") << header + noise.left(8192 - header.size());

    // A real header (4096-byte pages, two of them) whose pages are garbage.
    QByteArray fakeHeader(100, '\0');
    fakeHeader.replace(0, 16, header);
    fakeHeader[16] = 0x10; // page size 4096, big endian
    fakeHeader[17] = 0x00;
    fakeHeader[18] = 1;
    fakeHeader[19] = 1;
    fakeHeader[21] = 64;
    fakeHeader[22] = 32;
    fakeHeader[23] = 32;
    fakeHeader[31] = 2; // page count
    QTest::newRow("valid header, garbage pages") << fakeHeader + noise.left(8192 - 100);

    QTest::newRow("text file") << QByteArrayLiteral("url,events\nhttps://example.com,ALL\n");
}

void TestDatabase::refusesCorruptFile()
{
    QFETCH(QByteArray, content);
    QVERIFY(writeFile(dbPath(), content));

    Database db;
    const std::optional<StorageError> error = db.open(dbPath());
    QVERIFY(error);
    QCOMPARE(error->kind, Kind::NotADatabase);
    // Clear: says which file. What to do about it is each front end's to say
    // (the CLI adds --db, the window does not: issue 13).
    QVERIFY2(error->message.contains(QFileInfo(dbPath()).absoluteFilePath()),
             qPrintable(error->message));
    QVERIFY2(!error->message.contains(QStringLiteral("--db")), qPrintable(error->message));
    QVERIFY(!db.isOpen());
    QCOMPARE(fileBytes(dbPath()), content);
}

void TestDatabase::refusesOtherProgramsDatabase_data()
{
    QTest::addColumn<int>("applicationId");
    QTest::newRow("no application id") << 0;
    QTest::newRow("another application id") << 0x46534c31;
}

void TestDatabase::refusesOtherProgramsDatabase()
{
    QFETCH(int, applicationId);
    {
        RawConnection other(dbPath());
        QVERIFY(other.isOpen());
        QVERIFY(other.exec(QStringLiteral("CREATE TABLE notes (id INTEGER PRIMARY KEY, text)")));
        QVERIFY(other.exec(QStringLiteral("INSERT INTO notes (text) VALUES ('keep me')")));
        QVERIFY(other.exec(QStringLiteral("PRAGMA application_id = %1").arg(applicationId)));
    }
    const QByteArray before = fileBytes(dbPath());

    Database db;
    const std::optional<StorageError> error = db.open(dbPath());
    QVERIFY(error);
    QCOMPARE(error->kind, Kind::NotADatabase);
    QVERIFY2(error->message.contains(QStringLiteral("another program")),
             qPrintable(error->message));
    QVERIFY(!db.isOpen());
    QCOMPARE(fileBytes(dbPath()), before);
    QVERIFY(!QFile::exists(dbPath() + QStringLiteral("-wal")));
}

void TestDatabase::readOnlyFile()
{
    qint64 id = 0;
    {
        Database db;
        QVERIFY(!db.open(dbPath()));
        HookStore store(&db);
        const Result<Webhook> saved = store.saveHook(sampleHook());
        QVERIFY(saved);
        id = saved->id;
    }
    const QByteArray before = fileBytes(dbPath());
    QVERIFY(QFile::setPermissions(dbPath(), QFileDevice::ReadOwner | QFileDevice::ReadUser |
                                                QFileDevice::ReadGroup | QFileDevice::ReadOther));
    // The folder stays writable (for SQLite's -shm file), as for a user who
    // made only the file read-only.
    if (isRoot())
        QVERIFY(QFile::setPermissions(m_dir->path(), Everyone));

    const QString path = dbPath();
    const int result = runUnprivileged([path, id] {
        Database db;
        if (const auto error = db.open(path))
            return fail(1, QStringLiteral("open: ") + error->message);
        HookStore store(&db);
        const Result<QList<Webhook>> hooks = store.hooks();
        if (!hooks || hooks->size() != 1)
            return fail(2, QStringLiteral("the hook cannot be read"));
        Webhook edited = hooks->first();
        edited.url = QStringLiteral("https://changed.example.com/");
        const Result<Webhook> saved = store.saveHook(edited);
        if (saved)
            return fail(3, QStringLiteral("saving an edit succeeded"));
        if (saved.error().kind != Kind::ReadOnly)
            return fail(4, QStringLiteral("edit: ") + saved.error().message);
        if (!saved.error().message.contains(QStringLiteral("read-only")))
            return fail(5, saved.error().message);
        const Result<Webhook> added = store.saveHook(sampleHook());
        if (added || added.error().kind != Kind::ReadOnly)
            return fail(6, QStringLiteral("adding a hook was not refused as read-only"));
        const Status active = store.setHookActive(id, false);
        if (active || active.error().kind != Kind::ReadOnly)
            return fail(7, QStringLiteral("deactivating was not refused as read-only"));
        const Status removed = store.removeHook(id);
        if (removed || removed.error().kind != Kind::ReadOnly)
            return fail(8, QStringLiteral("removing was not refused as read-only"));
        const Result<Webhook> after = store.hook(id);
        if (!after || after->url != QStringLiteral("https://example.com/hook") || !after->isActive)
            return fail(9, QStringLiteral("the stored hook changed"));
        return 0;
    });
    QCOMPARE(result, 0);
    QCOMPARE(fileBytes(dbPath()), before);
}

void TestDatabase::pathIsADirectory()
{
    QVERIFY(QDir(m_dir->path()).mkdir(QStringLiteral("folder.sqlite")));
    Database db;
    const std::optional<StorageError> error = db.open(dbPath(QStringLiteral("folder.sqlite")));
    QVERIFY(error);
    QCOMPARE(error->kind, Kind::CannotOpen);
    QVERIFY(!db.isOpen());
}

void TestDatabase::directoryUnderARegularFile()
{
    QVERIFY(writeFile(dbPath(QStringLiteral("notes.txt")), "just a file\n"));
    const QString path = dbPath(QStringLiteral("notes.txt/data/webhook-admin.sqlite"));
    Database db;
    const std::optional<StorageError> error = db.open(path);
    QVERIFY(error);
    QCOMPARE(error->kind, Kind::CannotOpen);
    QVERIFY2(error->message.contains(QStringLiteral("notes.txt")), qPrintable(error->message));
    QVERIFY(!db.isOpen());
    QCOMPARE(fileBytes(dbPath(QStringLiteral("notes.txt"))), QByteArray("just a file\n"));
}

void TestDatabase::unwritableDirectory()
{
    const QString locked = dbPath(QStringLiteral("locked"));
    QVERIFY(QDir(m_dir->path()).mkdir(QStringLiteral("locked")));
    QVERIFY(QFile::setPermissions(locked, QFileDevice::ReadOwner | QFileDevice::ExeOwner |
                                              QFileDevice::ReadGroup | QFileDevice::ExeGroup |
                                              QFileDevice::ReadOther | QFileDevice::ExeOther));
    if (isRoot())
        QVERIFY(QFile::setPermissions(m_dir->path(), Everyone));

    const int result = runUnprivileged([locked] {
        const QStringList paths{locked + QStringLiteral("/webhook-admin.sqlite"),
                                locked + QStringLiteral("/sub/webhook-admin.sqlite")};
        for (const QString &path : paths) {
            Database db;
            const auto error = db.open(path);
            if (!error)
                return fail(1, QStringLiteral("opened ") + path);
            if (error->kind != Kind::CannotOpen)
                return fail(2, error->message);
            if (!error->message.contains(locked))
                return fail(3, error->message);
        }
        return 0;
    });
    QCOMPARE(result, 0);
    QVERIFY(QDir(locked).isEmpty());
}

void TestDatabase::twoConnectionsSeeEachOther()
{
    Database first;
    Database second;
    QVERIFY(!first.open(dbPath()));
    QVERIFY(!second.open(dbPath()));
    HookStore firstStore(&first);
    HookStore secondStore(&second);
    QSignalSpy hooksChanged(&secondStore, &HookStore::hooksChanged);
    QSignalSpy ownHooksChanged(&firstStore, &HookStore::hooksChanged);

    secondStore.checkExternalChanges();
    QCOMPARE(hooksChanged.count(), 0); // nothing happened yet

    const Result<Webhook> saved = firstStore.saveHook(sampleHook());
    QVERIFY(saved);
    QCOMPARE(ownHooksChanged.count(), 1);

    const Result<QList<Webhook>> seen = secondStore.hooks();
    QVERIFY(seen);
    QCOMPARE(seen->size(), 1);
    QCOMPARE(seen->first().id, saved->id);

    secondStore.checkExternalChanges();
    QCOMPARE(hooksChanged.count(), 1);
    secondStore.checkExternalChanges();
    QCOMPARE(hooksChanged.count(), 1); // once per change, not per poll

    // A store is not told about its own writes twice.
    firstStore.checkExternalChanges();
    QCOMPARE(ownHooksChanged.count(), 1);

    // And the other way round.
    QVERIFY(secondStore.setHookActive(saved->id, false));
    QSignalSpy firstChanged(&firstStore, &HookStore::hooksChanged);
    firstStore.checkExternalChanges();
    QCOMPARE(firstChanged.count(), 1);
    QVERIFY(!firstStore.hook(saved->id)->isActive);
}

void TestDatabase::lockedPastBusyTimeout()
{
    Database db;
    QVERIFY(!db.open(dbPath()));
    HookStore store(&db);
    QVERIFY(store.addProject(QStringLiteral("Street scenes")));
    // Keep the test short: wait 300 ms instead of the default 5 s.
    QVERIFY(QSqlQuery(db.connection()).exec(QStringLiteral("PRAGMA busy_timeout = 300")));

    RawConnection other(dbPath());
    QVERIFY(other.exec(QStringLiteral("BEGIN IMMEDIATE")));
    QVERIFY(other.exec(QStringLiteral("INSERT INTO projects (title, created_at) VALUES "
                                      "('uncommitted', '2026-01-01T00:00:00.000Z')")));

    QElapsedTimer timer;
    timer.start();
    Webhook hook = sampleHook();
    hook.headers.append({QStringLiteral("X-Team"), QStringLiteral("ml"), false});
    const Result<Webhook> saved = store.saveHook(hook);
    QVERIFY(!saved);
    QCOMPARE(saved.error().kind, Kind::Locked);
    QVERIFY2(saved.error().message.contains(QStringLiteral("locked")),
             qPrintable(saved.error().message));
    QVERIFY(timer.elapsed() >= 250); // it waited for the other writer first

    const Result<Project> project = store.addProject(QStringLiteral("Medical scans"));
    QVERIFY(!project);
    QCOMPARE(project.error().kind, Kind::Locked);

    QVERIFY(other.exec(QStringLiteral("ROLLBACK")));
    // Nothing half-written, and the store works once the lock is gone.
    for (const char *table : {"webhooks", "webhook_headers", "webhook_actions"})
        QVERIFY2(count(db.connection(), QLatin1String(table)) == 0, table);
    QCOMPARE(count(db.connection(), QStringLiteral("projects")), 1);
    QVERIFY(store.saveHook(hook));
    QCOMPARE(count(db.connection(), QStringLiteral("webhook_headers")), 2);
}

void TestDatabase::waitsForShortLock()
{
    Database db;
    QVERIFY(!db.open(dbPath()));
    HookStore store(&db);

    // Another writer (a CLI emit, say) holds the lock briefly in its own thread.
    std::atomic<int> state = 0; // 1: holding the lock, 2: released, -1: failed
    std::thread writer([path = dbPath(), &state] {
        {
            RawConnection other(path);
            if (!other.exec(QStringLiteral("BEGIN IMMEDIATE"))) {
                state = -1;
                return;
            }
            state = 1;
            std::this_thread::sleep_for(std::chrono::milliseconds(400));
            state = other.exec(QStringLiteral("COMMIT")) ? 2 : -1;
        }
    });
    QTRY_VERIFY_WITH_TIMEOUT(state != 0, 5000);
    QCOMPARE(state.load(), 1);

    QElapsedTimer timer;
    timer.start();
    const Result<Webhook> saved = store.saveHook(sampleHook());
    const qint64 waited = timer.elapsed();
    writer.join();
    QVERIFY2(saved, qPrintable(saved.error().message));
    QCOMPARE(state.load(), 2);
    QVERIFY2(waited >= 200, qPrintable(QString::number(waited)));
    QCOMPARE(count(db.connection(), QStringLiteral("webhooks")), 1);
}

void TestDatabase::foreignKeysEnforced()
{
    Database db;
    QVERIFY(!db.open(dbPath()));
    QSqlQuery q(db.connection());
    QVERIFY(!q.exec(QStringLiteral("INSERT INTO webhook_headers VALUES (999, 0, 'X-A', 'b', 0)")));
    QVERIFY(!q.exec(QStringLiteral("INSERT INTO webhooks (project_id, url, created_at, "
                                   "updated_at) VALUES (12345, 'https://e.com', 'x', 'x')")));
    QCOMPARE(count(db.connection(), QStringLiteral("webhooks")), 0);
}

QTEST_GUILESS_MAIN(TestDatabase)
#include "tst_database.moc"
