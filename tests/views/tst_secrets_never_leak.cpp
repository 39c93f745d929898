#include "attempt_details.h"
#include "delivery/delivery_store.h"
#include "delivery/engine_host.h"
#include "delivery_log_pane.h"
#include "hook_editor.h"
#include "io/log_exporter.h"
#include "items/hook_list_model.h"
#include "main_window.h"
#include "store/database.h"
#include "store/hook_store.h"
#include "test_receiver.h"
#include "test_send_dialog.h"

#include <QAbstractButton>
#include <QAbstractItemView>
#include <QAction>
#include <QClipboard>
#include <QComboBox>
#include <QFile>
#include <QGuiApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QLoggingCategory>
#include <QMutex>
#include <QPlainTextEdit>
#include <QProcess>
#include <QPushButton>
#include <QSettings>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QTextEdit>
#include <memory>

// A hook's secrets never leave the database: the signing secret, a header
// marked secret and the password of a user:password@ URL (and the Basic
// credentials made from it) appear in no output — not in the window's
// widgets, the log's details, Copy as cURL, the exports, the command line's
// output and errors, nor in anything logged through Qt's message handler.
// Real SQLite, a real receiver and the real engine, so every path carries
// real data: a test send, one delivery that succeeds, one that fails with
// HTTP 500 and one whose connection is refused.
namespace {

const QString SigningSecret = QStringLiteral("whsec_bGVhay10ZXN0LXNpZ25pbmcta2V5LTAxMjM0NTY3");
const QString SigningKeyBase64 = QStringLiteral("bGVhay10ZXN0LXNpZ25pbmcta2V5LTAxMjM0NTY3");
const QString HeaderSecret = QStringLiteral("hdr-secret-9f8e7d6c5b4a");
const QString Password = QStringLiteral("pw-secret-4a3b2c1d");
const QString BasicCredentials = QString::fromLatin1(
    QByteArray("alice:pw-secret-4a3b2c1d").toBase64()); // "Authorization: Basic …"

QStringList secrets()
{
    return {SigningSecret, SigningKeyBase64, HeaderSecret, Password, BasicCredentials};
}

// Everything Qt logged while the test ran.
QMutex logMutex;
QStringList logged;
QtMessageHandler previousHandler = nullptr;

void captureMessage(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    {
        QMutexLocker lock(&logMutex);
        logged.append(message);
    }
    if (type != QtDebugMsg && previousHandler)
        previousHandler(type, context, message);
}

// The texts a user can see or copy in a model: display and tool tips, every
// row and column, children included.
void collectModel(const QAbstractItemModel *model, const QModelIndex &parent, QStringList *out)
{
    if (!model)
        return;
    if (model->canFetchMore(parent))
        const_cast<QAbstractItemModel *>(model)->fetchMore(parent);
    for (int row = 0; row < model->rowCount(parent); ++row) {
        for (int column = 0; column < model->columnCount(parent); ++column) {
            const QModelIndex index = model->index(row, column, parent);
            for (const int role :
                 {int(Qt::DisplayRole), int(Qt::ToolTipRole), int(Qt::StatusTipRole),
                  int(Qt::WhatsThisRole), int(Qt::AccessibleTextRole)})
                out->append(model->data(index, role).toString());
            if (column == 0 && model->hasChildren(index))
                collectModel(model, index, out);
        }
    }
    for (int column = 0; column < model->columnCount(parent); ++column) {
        out->append(model->headerData(column, Qt::Horizontal).toString());
        out->append(model->headerData(column, Qt::Horizontal, Qt::ToolTipRole).toString());
    }
}

// What the widgets under root show: labels, line edits (unless they hide
// their text as a password), text views, buttons, combo boxes, tabs, item
// views, tool tips and window titles.
QStringList collectWidgets(QWidget *root)
{
    QStringList out;
    QList<QWidget *> widgets = root->findChildren<QWidget *>();
    widgets.prepend(root);
    for (QWidget *w : std::as_const(widgets)) {
        out << w->toolTip() << w->statusTip() << w->whatsThis() << w->windowTitle()
            << w->accessibleName() << w->accessibleDescription();
        if (auto *label = qobject_cast<QLabel *>(w))
            out << label->text();
        if (auto *edit = qobject_cast<QLineEdit *>(w)) {
            if (edit->echoMode() == QLineEdit::Normal)
                out << edit->text();
            out << edit->placeholderText();
        }
        if (auto *text = qobject_cast<QPlainTextEdit *>(w))
            out << text->toPlainText();
        if (auto *text = qobject_cast<QTextEdit *>(w))
            out << text->toPlainText() << text->toHtml();
        if (auto *button = qobject_cast<QAbstractButton *>(w))
            out << button->text();
        if (auto *combo = qobject_cast<QComboBox *>(w)) {
            out << combo->currentText();
            for (int i = 0; i < combo->count(); ++i)
                out << combo->itemText(i) << combo->itemData(i, Qt::ToolTipRole).toString();
        }
        if (auto *tabs = qobject_cast<QTabWidget *>(w)) {
            for (int i = 0; i < tabs->count(); ++i)
                out << tabs->tabText(i) << tabs->tabToolTip(i);
        }
        if (auto *view = qobject_cast<QAbstractItemView *>(w))
            collectModel(view->model(), {}, &out);
    }
    for (QAction *action : root->findChildren<QAction *>())
        out << action->text() << action->toolTip() << action->statusTip();
    return out;
}

} // namespace

class TestSecretsNeverLeak : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void cleanupTestCase();
    void theSecretsAreReallyUsed();
    void windowShowsNoSecret();
    void editingKeepsTheMaskedPassword();
    void logDetailsAndCurlShowNoSecret();
    void exportsHoldNoSecret();
    void commandLineShowsNoSecret_data();
    void commandLineShowsNoSecret();
    void includeSecretsIsTheOnlyWayOut();
    void maskedExportIsNotImported();
    void nothingLoggedHoldsASecret();

private:
    // Fails the test when one of the secrets is in one of the texts.
    static bool containsNoSecret(const QStringList &texts, const QString &where);
    Webhook addHook(const QString &path, int maxAttempts);
    struct Run
    {
        int exitCode = -1;
        QByteArray out;
        QByteArray err;
    };
    Run runCli(const QStringList &arguments);

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Database> m_database;
    std::unique_ptr<HookStore> m_hooks;
    std::unique_ptr<DeliveryStore> m_deliveries;
    std::unique_ptr<EngineHost> m_service;
    std::unique_ptr<MainWindow> m_window;
    TestReceiver m_receiver;
    Webhook m_ok;      // answers 200
    Webhook m_failing; // answers 500
    Webhook m_refused; // nothing listens
    qint64 m_testAttempt = 0;
};

bool TestSecretsNeverLeak::containsNoSecret(const QStringList &texts, const QString &where)
{
    for (const QString &text : texts) {
        for (const QString &secret : secrets()) {
            const qsizetype at = text.indexOf(secret);
            if (at < 0)
                continue;
            // Said without repeating it: this message is logged too.
            QString context = text.mid(std::max<qsizetype>(0, at - 300), 600 + secret.size());
            for (const QString &s : secrets())
                context.replace(s, QStringLiteral("<SECRET %1>").arg(secrets().indexOf(s)));
            qWarning("%s shows secret %lld (0 signing secret, 1 its key, 2 header value, "
                     "3 URL password, 4 Basic credentials) in: %s",
                     qPrintable(where), qint64(secrets().indexOf(secret)), qPrintable(context));
            return false;
        }
    }
    return true;
}

Webhook TestSecretsNeverLeak::addHook(const QString &url, int maxAttempts)
{
    Webhook hook;
    hook.url = url;
    hook.description = QStringLiteral("leak test");
    hook.headers = {{QStringLiteral("X-Api-Key"), HeaderSecret, true},
                    {QStringLiteral("X-Team"), QStringLiteral("ml"), false}};
    hook.secret = SigningSecret;
    hook.signature = SignatureScheme::Standard;
    hook.maxAttempts = maxAttempts;
    hook.timeoutSeconds = 5;
    const Result<Webhook> saved = m_hooks->saveHook(hook);
    if (!saved)
        qWarning("%s", qPrintable(saved.error().message));
    return saved ? saved.value() : Webhook{};
}

TestSecretsNeverLeak::Run TestSecretsNeverLeak::runCli(const QStringList &arguments)
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("HOME"), m_dir->path());
    environment.insert(QStringLiteral("LANGUAGE"), QStringLiteral("en"));
    environment.insert(QStringLiteral("LC_ALL"), QStringLiteral("C.UTF-8"));
    // Qt's own warnings too, not only the command's messages.
    environment.insert(QStringLiteral("WEBHOOK_ADMIN_DEBUG"), QStringLiteral("1"));
    environment.insert(QStringLiteral("QT_LOGGING_RULES"), QStringLiteral("*.debug=true"));
    QProcess process;
    process.setProcessEnvironment(environment);
    process.start(QStringLiteral(WEBHOOK_ADMIN_BINARY),
                  QStringList{QStringLiteral("--db"), m_database->path()} + arguments);
    Run run;
    process.closeWriteChannel();
    // The receiver runs in this process: keep its event loop going meanwhile.
    if (!QTest::qWaitFor([&process] { return process.state() == QProcess::NotRunning; }, 60000)) {
        process.kill();
        process.waitForFinished();
        return run;
    }
    run.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -2;
    run.out = process.readAllStandardOutput();
    run.err = process.readAllStandardError();
    return run;
}

void TestSecretsNeverLeak::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QSettings(QStringLiteral("webhook-admin"), QStringLiteral("webhook-admin")).clear();
    previousHandler = qInstallMessageHandler(captureMessage);
    // Every debug message of Qt's too: the network stack, SQL, widgets.
    QLoggingCategory::setFilterRules(QStringLiteral("*.debug=true"));

    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_database = std::make_unique<Database>();
    QVERIFY(!m_database->open(m_dir->filePath(QStringLiteral("secrets.sqlite"))));
    m_hooks = std::make_unique<HookStore>(m_database.get());
    m_deliveries = std::make_unique<DeliveryStore>(m_database.get());
    QVERIFY(m_receiver.listen());

    QTcpServer closed; // a port that was just free: nothing listens there
    QVERIFY(closed.listen(QHostAddress::LocalHost));
    const quint16 closedPort = closed.serverPort();
    closed.close();

    const auto url = [](quint16 port, const char *path) {
        return QStringLiteral("http://alice:%1@127.0.0.1:%2%3")
            .arg(Password)
            .arg(port)
            .arg(QLatin1String(path));
    };
    m_ok = addHook(url(m_receiver.port(), "/ok"), 8);
    m_failing = addHook(url(m_receiver.port(), "/status/500"), 1);
    m_refused = addHook(url(closedPort, "/closed"), 1);
    QVERIFY(m_ok.id > 0 && m_failing.id > 0 && m_refused.id > 0);

    m_service = std::make_unique<EngineHost>(m_database->path());
    m_window = std::make_unique<MainWindow>(m_hooks.get(), m_database->path());
    m_window->setDeliveryService(m_service.get(), m_deliveries.get());
    m_window->resize(1600, 1000);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    m_service->start();

    // A test send from the window, to the hook that answers 200.
    auto *list = m_window->findChild<QAbstractItemView *>(QStringLiteral("hookList"));
    QVERIFY(list);
    QTRY_COMPARE(list->model()->rowCount(), 3);
    for (int row = 0; row < list->model()->rowCount(); ++row) {
        const QModelIndex url = list->model()->index(row, HookListModel::Url);
        if (url.data().toString().contains(QLatin1String("/ok")))
            list->setCurrentIndex(url);
    }
    QTRY_COMPARE(m_window->editor()->hookId(), m_ok.id);
    m_window->sendTest();
    TestSendDialog *dialog = nullptr;
    QTRY_VERIFY((dialog = m_window->findChild<TestSendDialog *>()) != nullptr);
    QTRY_VERIFY(dialog->isVisible());
    dialog->send();
    QVERIFY(dialog->attemptId() > 0);
    m_testAttempt = dialog->attemptId();
    QTRY_VERIFY_WITH_TIMEOUT(!dialog->isWaiting(), 15000);
    auto *toggle = dialog->findChild<QAbstractButton *>(QStringLiteral("detailsToggle"));
    QTRY_VERIFY(toggle && toggle->isVisible());
    toggle->click();

    // Events that go to all three hooks: one succeeds, one fails, one is refused.
    for (const char *key : {"TASKS_CREATED", "ANNOTATION_CREATED"}) {
        const Result<EmitResult> emitted = m_deliveries->emitEvent(
            m_hooks->catalog(), QLatin1String(key), std::nullopt,
            m_hooks->catalog().samplePayload(QLatin1String(key)), QDateTime::currentDateTimeUtc());
        QVERIFY(emitted);
        QCOMPARE(emitted->deliveryIds.size(), 3);
    }
    m_service->wake();
    QTRY_COMPARE_WITH_TIMEOUT(m_deliveries->countAttempts(LogFilter{}).value(), qint64(7), 15000);
    LogFilter pending;
    pending.outcome = AttemptOutcome::Pending;
    QTRY_COMPARE_WITH_TIMEOUT(m_deliveries->countAttempts(pending).value(), qint64(0), 20000);
    m_window->logPane()->refresh();
}

void TestSecretsNeverLeak::cleanupTestCase()
{
    m_window.reset();
    if (m_service)
        m_service->stop();
    m_service.reset();
    m_deliveries.reset();
    m_hooks.reset();
    m_database.reset();
    qInstallMessageHandler(previousHandler);
    QLoggingCategory::setFilterRules(QString());
    QSettings(QStringLiteral("webhook-admin"), QStringLiteral("webhook-admin")).clear();
}

void TestSecretsNeverLeak::theSecretsAreReallyUsed()
{
    // Without this the test could pass by sending nothing at all.
    QVERIFY(m_receiver.requests().size() >= 3);
    for (const TestReceiver::Request &request : m_receiver.requests()) {
        QCOMPARE(QString::fromUtf8(request.headers.value("x-api-key")), HeaderSecret);
        QCOMPARE(QString::fromLatin1(request.headers.value("authorization")),
                 QStringLiteral("Basic ") + BasicCredentials);
        QVERIFY(request.headers.value("webhook-signature").startsWith("v1,"));
    }
    LogFilter failed;
    failed.outcome = AttemptOutcome::Failed;
    QCOMPARE(m_deliveries->countAttempts(failed).value(), qint64(4));
    LogFilter succeeded;
    succeeded.outcome = AttemptOutcome::Succeeded;
    QCOMPARE(m_deliveries->countAttempts(succeeded).value(), qint64(3));
    QCOMPARE(m_hooks->hook(m_ok.id)->secret, SigningSecret);
}

void TestSecretsNeverLeak::windowShowsNoSecret()
{
    // The hook in the settings page, the list, the log, the open test dialog.
    QCOMPARE(m_window->editor()->hookId(), m_ok.id);
    QStringList texts = collectWidgets(m_window.get());
    QVERIFY(texts.join(QLatin1Char('\n')).contains(QLatin1String("127.0.0.1")));
    QVERIFY(containsNoSecret(texts, QStringLiteral("the main window")));

    // Every other hook in the settings page too.
    for (const Webhook &hook : {m_failing, m_refused}) {
        auto *list = m_window->findChild<QAbstractItemView *>(QStringLiteral("hookList"));
        for (int row = 0; row < list->model()->rowCount(); ++row) {
            if (list->model()
                    ->index(row, HookListModel::Url)
                    .data()
                    .toString()
                    .contains(QUrl(hook.url).path()))
                list->setCurrentIndex(list->model()->index(row, HookListModel::Url));
        }
        QTRY_COMPARE(m_window->editor()->hookId(), hook.id);
        QVERIFY(containsNoSecret(collectWidgets(m_window.get()),
                                 QStringLiteral("the settings of hook %1").arg(hook.id)));
    }
}

void TestSecretsNeverLeak::editingKeepsTheMaskedPassword()
{
    // The settings page shows the URL with its password masked; saving
    // other edits, or an edited path, keeps the stored password.
    auto *list = m_window->findChild<QAbstractItemView *>(QStringLiteral("hookList"));
    for (int row = 0; row < list->model()->rowCount(); ++row) {
        if (list->model()
                ->index(row, HookListModel::Url)
                .data()
                .toString()
                .contains(QLatin1String("/closed")))
            list->setCurrentIndex(list->model()->index(row, HookListModel::Url));
    }
    HookEditor *editor = m_window->editor();
    QTRY_COMPARE(editor->hookId(), m_refused.id);
    auto *url = editor->findChild<QLineEdit *>(QStringLiteral("urlEdit"));
    QVERIFY(url);
    QVERIFY2(url->text().contains(QStringLiteral("alice:%1@").arg(maskedSecret())),
             qPrintable(url->text()));
    QVERIFY(!editor->isDirty()); // the mask alone is no change

    auto *description = editor->findChild<QPlainTextEdit *>(QStringLiteral("descriptionEdit"));
    QVERIFY(description);
    description->setPlainText(QStringLiteral("edited"));
    QVERIFY(editor->save());
    QCOMPARE(m_hooks->hook(m_refused.id)->url, m_refused.url);

    url->setText(url->text().replace(QLatin1String("/closed"), QLatin1String("/closed-2")));
    QVERIFY(editor->isDirty());
    QVERIFY(editor->save());
    const QString saved = m_hooks->hook(m_refused.id)->url;
    QCOMPARE(QUrl(saved).password(), Password);
    QCOMPARE(QUrl(saved).path(), QStringLiteral("/closed-2"));
    QVERIFY(containsNoSecret(collectWidgets(m_window.get()), QStringLiteral("after saving")));

    // A new password typed over the mask is the new password.
    url->setText(QStringLiteral("http://alice:typed-anew@127.0.0.1:9/closed-2"));
    QVERIFY(editor->save());
    QCOMPARE(QUrl(m_hooks->hook(m_refused.id)->url).password(), QStringLiteral("typed-anew"));
    QCOMPARE(url->text(),
             QStringLiteral("http://alice:%1@127.0.0.1:9/closed-2").arg(maskedSecret()));
    // Back as it was, for the tests that follow.
    Webhook restored = m_hooks->hook(m_refused.id).value();
    restored.url = m_refused.url;
    QVERIFY(m_hooks->saveHook(restored));
}

void TestSecretsNeverLeak::logDetailsAndCurlShowNoSecret()
{
    DeliveryLogPane *pane = m_window->logPane();
    QVERIFY(pane);
    const Result<QList<Attempt>> attempts = m_deliveries->attempts(LogFilter{}, 0, 100);
    QVERIFY(attempts);
    QCOMPARE(attempts->size(), 7);
    for (const Attempt &attempt : attempts.value()) {
        QVERIFY2(pane->selectAttempt(attempt.id), qPrintable(QString::number(attempt.id)));
        QTRY_COMPARE(pane->currentAttemptId(), attempt.id);
        const QString where = QStringLiteral("attempt %1 (%2)").arg(attempt.id).arg(attempt.url);
        // Request, Response and Trace tabs.
        const QStringList details = collectWidgets(pane->details());
        QVERIFY(details.join(QLatin1Char('\n')).contains(QLatin1String("X-Api-Key")));
        QVERIFY(containsNoSecret(details, where + QStringLiteral(" details")));

        QGuiApplication::clipboard()->clear();
        pane->copySelectedAsCurl();
        const QString curl = QGuiApplication::clipboard()->text();
        QVERIFY2(curl.startsWith(QLatin1String("curl")), qPrintable(curl));
        QVERIFY(containsNoSecret({curl}, where + QStringLiteral(" as cURL")));
    }
    QVERIFY(containsNoSecret(collectWidgets(pane), QStringLiteral("the log pane")));
}

void TestSecretsNeverLeak::exportsHoldNoSecret()
{
    for (const auto format : {LogExporter::Format::JsonLines, LogExporter::Format::Csv}) {
        const QString path =
            m_dir->filePath(format == LogExporter::Format::Csv ? QStringLiteral("log.csv")
                                                               : QStringLiteral("log.jsonl"));
        const Result<qint64> written = m_window->logPane()->exportTo(path, format);
        QVERIFY(written);
        QCOMPARE(written.value(), qint64(7));
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QString contents = QString::fromUtf8(file.readAll());
        QVERIFY(contents.contains(QLatin1String("127.0.0.1")));
        QVERIFY(containsNoSecret({contents}, path));
    }
}

void TestSecretsNeverLeak::commandLineShowsNoSecret_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<int>("exitCode");
    const QString ok = QString::number(m_ok.id);
    const QString failing = QString::number(m_failing.id);
    const QString refused = QString::number(m_refused.id);
    const auto row = [](const char *name, QStringList arguments, int exitCode) {
        QTest::newRow(name) << arguments << exitCode;
    };
    row("deliveries --json", {QStringLiteral("deliveries"), QStringLiteral("--json")}, 0);
    row("deliveries", {QStringLiteral("deliveries")}, 0);
    row("deliveries --status failed --json",
        {QStringLiteral("deliveries"), QStringLiteral("--status"), QStringLiteral("failed"),
         QStringLiteral("--json")},
        0);
    row("hooks export", {QStringLiteral("hooks"), QStringLiteral("export")}, 0);
    row("hooks list", {QStringLiteral("hooks"), QStringLiteral("list")}, 0);
    row("hooks list --json",
        {QStringLiteral("hooks"), QStringLiteral("list"), QStringLiteral("--json")}, 0);
    row("hooks show", {QStringLiteral("hooks"), QStringLiteral("show"), ok}, 0);
    row("hooks show --json",
        {QStringLiteral("hooks"), QStringLiteral("show"), ok, QStringLiteral("--json")}, 0);
    row("test, succeeding", {QStringLiteral("test"), ok}, 0);
    row("test, HTTP 500", {QStringLiteral("test"), failing}, 3);
    row("test, refused", {QStringLiteral("test"), refused}, 3);
    row("emit, two of three fail", {QStringLiteral("emit"), QStringLiteral("PROJECT_UPDATED")}, 3);
    row("redeliver --failed", {QStringLiteral("redeliver"), QStringLiteral("--failed")}, 3);
    row("hooks update with a bad URL",
        {QStringLiteral("hooks"), QStringLiteral("update"), ok, QStringLiteral("--url"),
         QStringLiteral("ftp://alice:%1@127.0.0.1/").arg(Password)},
        2);
    row("hooks add with a bad header",
        {QStringLiteral("hooks"), QStringLiteral("add"), QStringLiteral("--url"),
         QStringLiteral("http://alice:%1@127.0.0.1/").arg(Password),
         QStringLiteral("--secret-header"), QStringLiteral("Bad Name: %1").arg(HeaderSecret)},
        2);
}

void TestSecretsNeverLeak::commandLineShowsNoSecret()
{
    QFETCH(QStringList, arguments);
    QFETCH(int, exitCode);
    const Run run = runCli(arguments);
    const QString out = QString::fromUtf8(run.out);
    const QString err = QString::fromUtf8(run.err);
    QVERIFY2(run.exitCode == exitCode, qPrintable(QStringLiteral("exit %1\n%2\n%3")
                                                      .arg(run.exitCode)
                                                      .arg(out.left(2000), err.left(2000))));
    QVERIFY(containsNoSecret({out}, arguments.join(QLatin1Char(' ')) + QStringLiteral(" stdout")));
    QVERIFY(containsNoSecret({err}, arguments.join(QLatin1Char(' ')) + QStringLiteral(" stderr")));
}

void TestSecretsNeverLeak::includeSecretsIsTheOnlyWayOut()
{
    // The one way to copy secrets out is asked for by name; it shows this
    // test would notice them.
    const Run run = runCli(
        {QStringLiteral("hooks"), QStringLiteral("export"), QStringLiteral("--include-secrets")});
    QCOMPARE(run.exitCode, 0);
    QVERIFY(run.out.contains(SigningSecret.toUtf8()));
    QVERIFY(run.out.contains(HeaderSecret.toUtf8()));
    QVERIFY(run.out.contains(Password.toUtf8()));
    QVERIFY(run.out.contains(BasicCredentials.toUtf8()) == false); // only the URL holds it
}

void TestSecretsNeverLeak::maskedExportIsNotImported()
{
    // A masked password would otherwise be stored as the password "••••••".
    const Run exported = runCli({QStringLiteral("hooks"), QStringLiteral("export")});
    QCOMPARE(exported.exitCode, 0);
    QJsonArray hooks = QJsonDocument::fromJson(exported.out).array();
    QCOMPARE(hooks.size(), 3);
    QJsonObject hook = hooks.first().toObject();
    for (const char *key : {"secret", "signature", "secret_headers"})
        hook.remove(QLatin1String(key));
    hook.insert(QStringLiteral("headers"), QJsonObject());
    QVERIFY(hook.value(QLatin1String("url")).toString().contains(maskedSecret()));
    QFile file(m_dir->filePath(QStringLiteral("masked.json")));
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(QJsonDocument(hook).toJson());
    file.close();

    const Run imported =
        runCli({QStringLiteral("hooks"), QStringLiteral("import"), file.fileName()});
    QCOMPARE(imported.exitCode, 2);
    QVERIFY2(imported.err.contains("--include-secrets"), imported.err.constData());
    QCOMPARE(m_hooks->hooks()->size(), 3);
}

void TestSecretsNeverLeak::nothingLoggedHoldsASecret()
{
    QStringList messages;
    {
        QMutexLocker lock(&logMutex);
        messages = logged;
    }
    qInfo("%lld messages were logged during the test", qint64(messages.size()));
    QVERIFY(!messages.isEmpty()); // debug output was on
    QVERIFY(containsNoSecret(messages, QStringLiteral("the debug log")));
}

QTEST_MAIN(TestSecretsNeverLeak)
#include "tst_secrets_never_leak.moc"
