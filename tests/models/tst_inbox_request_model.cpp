#include "inbox/inbox_endpoint.h"
#include "items/inbox_request_model.h"
#include "store/database.h"
#include "store/inbox_store.h"
#include "test_database.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <memory>

// The inbox's item model over a real file; requests arrive through another
// connection, as the listener (or another process) stores them.
class TestInboxRequestModel : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void emptyAtFirst();
    void newRequestsArriveOnTopOnRefresh();
    void filterByInbox();
    void clearedElsewhereEmptiesOnRefresh();
    void pagesAreFetchedAsNeeded();

private:
    void receive(const QString &inbox, const QByteArray &body = "{}");

    QTemporaryDir m_dir;
    int m_run = 0;
    std::unique_ptr<Database> m_db;
    std::unique_ptr<Database> m_listenerDb; // the listener's connection
    std::unique_ptr<InboxEndpoint> m_endpoint;
    std::unique_ptr<InboxStore> m_store;
    std::unique_ptr<InboxRequestModel> m_model;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
};

void TestInboxRequestModel::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_dir.isValid());
}

void TestInboxRequestModel::init()
{
    const QString path =
        TestDatabase::create(m_dir.path(), QStringLiteral("db%1.sqlite").arg(++m_run));
    m_db = std::make_unique<Database>();
    QVERIFY(!m_db->open(path));
    m_listenerDb = std::make_unique<Database>();
    QVERIFY(!m_listenerDb->open(path));
    m_endpoint = std::make_unique<InboxEndpoint>(m_listenerDb.get());
    m_store = std::make_unique<InboxStore>(m_db.get());
    m_model = std::make_unique<InboxRequestModel>(m_store.get());
    m_tester = std::make_unique<QAbstractItemModelTester>(
        m_model.get(), QAbstractItemModelTester::FailureReportingMode::QtTest);
}

void TestInboxRequestModel::cleanup()
{
    m_tester.reset();
    m_model.reset();
    m_store.reset();
    m_endpoint.reset();
    m_listenerDb.reset();
    m_db.reset();
}

void TestInboxRequestModel::receive(const QString &inbox, const QByteArray &body)
{
    ListenerRequest request;
    request.method = QStringLiteral("POST");
    request.path = QStringLiteral("/inbox/") + inbox;
    request.body = body;
    request.fullSize = body.size();
    request.remoteAddress = QHostAddress::LocalHost;
    QCOMPARE(m_endpoint->receive(request).status, 200);
}

void TestInboxRequestModel::emptyAtFirst()
{
    QCOMPARE(m_model->rowCount(), 0);
    QVERIFY(m_model->isEmpty());
    QCOMPARE(m_model->columnCount(), int(InboxRequestModel::ColumnCount));
    QVERIFY(!m_model->canFetchMore({}));
}

void TestInboxRequestModel::newRequestsArriveOnTopOnRefresh()
{
    receive(QStringLiteral("ci"), R"({"n": 1})");
    QCOMPARE(m_model->rowCount(), 0); // not read until refreshed
    QSignalSpy inserted(m_model.get(), &QAbstractItemModel::rowsInserted);
    m_model->refresh();
    QCOMPARE(m_model->rowCount(), 1);
    receive(QStringLiteral("ci"), R"({"n": 2})");
    receive(QStringLiteral("other"), R"({"n": 3})");
    m_model->refresh();
    QCOMPARE(m_model->rowCount(), 3);
    QCOMPARE(inserted.size(), 2); // inserted, never reset
    QCOMPARE(m_model->index(0, InboxRequestModel::Inbox).data().toString(),
             QStringLiteral("other"));
    QCOMPARE(m_model->index(2, InboxRequestModel::Request).data().toString(),
             QStringLiteral("POST /inbox/ci"));
    QCOMPARE(m_model->index(0, InboxRequestModel::Verdict).data().toString(),
             QStringLiteral("unsigned"));
    QCOMPARE(m_model->index(0, InboxRequestModel::Verdict).data(InboxRequestModel::VerdictRole),
             QVariant(int(InboxVerdict::Unsigned)));
    QVERIFY(m_model->index(0, InboxRequestModel::Verdict)
                .data(Qt::ToolTipRole)
                .toString()
                .contains(QLatin1String("no webhook-signature")));
    const qint64 newest = m_model->index(0, 0).data(InboxRequestModel::RequestIdRole).toLongLong();
    const qint64 oldest = m_model->index(2, 0).data(InboxRequestModel::RequestIdRole).toLongLong();
    QVERIFY(newest > oldest);
    QCOMPARE(m_model->rowOfRequest(oldest), 2);
    // Nothing new: nothing changes.
    m_model->refresh();
    QCOMPARE(inserted.size(), 2);
}

void TestInboxRequestModel::filterByInbox()
{
    receive(QStringLiteral("ci"));
    receive(QStringLiteral("other"));
    receive(QStringLiteral("ci"));
    m_model->setInboxFilter(QStringLiteral("ci"));
    QCOMPARE(m_model->rowCount(), 2);
    receive(QStringLiteral("other"));
    receive(QStringLiteral("ci"));
    m_model->refresh();
    QCOMPARE(m_model->rowCount(), 3);
    for (int row = 0; row < 3; ++row)
        QCOMPARE(m_model->index(row, 0).data(InboxRequestModel::InboxRole).toString(),
                 QStringLiteral("ci"));
    m_model->setInboxFilter(QString());
    QCOMPARE(m_model->rowCount(), 5);
}

void TestInboxRequestModel::clearedElsewhereEmptiesOnRefresh()
{
    receive(QStringLiteral("ci"));
    receive(QStringLiteral("keep"));
    receive(QStringLiteral("ci"));
    m_model->refresh();
    QCOMPARE(m_model->rowCount(), 3);
    InboxStore listenerSide(m_listenerDb.get());
    QCOMPARE(listenerSide.clear(QStringLiteral("ci")).value(), 2);
    m_model->refresh();
    QCOMPARE(m_model->rowCount(), 1);
    QCOMPARE(m_model->index(0, 0).data(InboxRequestModel::InboxRole).toString(),
             QStringLiteral("keep"));
}

void TestInboxRequestModel::pagesAreFetchedAsNeeded()
{
    const int total = InboxRequestModel::PageSize + 20;
    for (int i = 0; i < total; ++i)
        receive(QStringLiteral("ci"), QByteArray::number(i));
    m_model->reload();
    QCOMPARE(m_model->rowCount(), InboxRequestModel::PageSize);
    QVERIFY(m_model->canFetchMore({}));
    m_model->fetchMore({});
    QCOMPARE(m_model->rowCount(), total);
    QVERIFY(!m_model->canFetchMore({}));
    // Still one contiguous run of ids: a refresh keeps them.
    receive(QStringLiteral("ci"));
    m_model->refresh();
    QCOMPARE(m_model->rowCount(), total + 1);
}

QTEST_GUILESS_MAIN(TestInboxRequestModel)
#include "tst_inbox_request_model.moc"
