#include "domain/receiver_snippets.h"
#include "hook_editor.h"
#include "store/database.h"
#include "store/hook_store.h"

#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QDialog>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <functional>
#include <memory>

// "Receiver code…" in the editor's Signing section, clicked offscreen: the
// dialog shows the code for the hook's scheme and Copy puts it on the clipboard.
class TestReceiverCodeDialog : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void showsTheHooksSchemeAndCopies();
    void followsTheSchemeChosenOnThePage();
    void unavailableWithoutSigning();

private:
    qint64 addHook(SignatureScheme scheme, const QString &secret);
    // Clicks Receiver code… and runs inspect on the dialog, then closes it.
    void inspectDialog(std::function<void(QDialog *)> inspect);
    QPushButton *button() const
    {
        return m_editor->findChild<QPushButton *>(QStringLiteral("receiverCodeButton"));
    }

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Database> m_database;
    std::unique_ptr<HookStore> m_store;
    std::unique_ptr<HookEditor> m_editor;
};

namespace {

} // namespace

void TestReceiverCodeDialog::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
}

void TestReceiverCodeDialog::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_database = std::make_unique<Database>();
    QVERIFY(!m_database->open(m_dir->filePath(QStringLiteral("hooks.sqlite"))));
    m_store = std::make_unique<HookStore>(m_database.get());
    m_editor = std::make_unique<HookEditor>(m_store.get());
    m_editor->resize(820, 1100);
    m_editor->show();
    QVERIFY(QTest::qWaitForWindowActive(m_editor.get()));
}

void TestReceiverCodeDialog::cleanup()
{
    m_editor.reset();
    m_store.reset();
    m_database.reset();
    m_dir.reset();
}

qint64 TestReceiverCodeDialog::addHook(SignatureScheme scheme, const QString &secret)
{
    Webhook hook;
    hook.url = QStringLiteral("http://trainer:9090/hook");
    hook.signature = scheme;
    hook.secret = secret;
    Result<Webhook> saved = m_store->saveHook(hook);
    return saved ? saved->id : 0;
}

void TestReceiverCodeDialog::inspectDialog(std::function<void(QDialog *)> inspect)
{
    bool inspected = false;
    auto *timer = new QTimer(this);
    timer->setInterval(20);
    connect(timer, &QTimer::timeout, this, [timer, inspect, &inspected] {
        auto *modal = qobject_cast<QDialog *>(QApplication::activeModalWidget());
        if (!modal)
            return;
        timer->stop();
        timer->deleteLater();
        inspected = true;
        inspect(modal);
        modal->reject();
    });
    timer->start();
    QTimer::singleShot(10000, timer, [timer] {
        timer->stop();
        if (QWidget *modal = QApplication::activeModalWidget())
            modal->close();
    });
    QVERIFY(button()->isVisible());
    QVERIFY(button()->isEnabled());
    QTest::mouseClick(button(), Qt::LeftButton);
    QVERIFY(inspected);
}

void TestReceiverCodeDialog::showsTheHooksSchemeAndCopies()
{
    const qint64 id =
        addHook(SignatureScheme::GitHub, QStringLiteral("It's a Secret to Everybody"));
    m_editor->showHook(id);
    QApplication::clipboard()->clear();
    inspectDialog([](QDialog *dialog) {
        QCOMPARE(dialog->objectName(), QStringLiteral("receiverCodeDialog"));
        auto *tabs = dialog->findChild<QTabWidget *>(QStringLiteral("languageTabs"));
        QVERIFY(tabs);
        QCOMPARE(tabs->count(), 3);
        QCOMPARE(tabs->tabText(0), QStringLiteral("Python"));
        QCOMPARE(tabs->tabText(1), QStringLiteral("Node.js"));
        QCOMPARE(tabs->tabText(2), QStringLiteral("Go"));
        const auto *python = qobject_cast<QPlainTextEdit *>(tabs->currentWidget());
        QVERIFY(python && python->isVisible());
        QCOMPARE(
            python->toPlainText(),
            ReceiverSnippets::snippet(SignatureScheme::GitHub, ReceiverSnippets::Language::Python));
        QVERIFY(python->toPlainText().contains(QLatin1String("x-hub-signature-256")));
        auto *intro = dialog->findChild<QLabel *>(QStringLiteral("receiverCodeIntro"));
        QVERIFY(intro->text().contains(QLatin1String("GitHub")));
        QVERIFY(intro->text().contains(QLatin1String("WEBHOOK_SECRET")));

        // Node.js tab, then Copy: the clipboard holds that code, never the secret.
        QTest::keyClick(tabs->tabBar(), Qt::Key_Right);
        QCOMPARE(tabs->currentIndex(), 1);
        auto *copy = dialog->findChild<QPushButton *>(QStringLiteral("copySnippetButton"));
        QVERIFY(copy);
        QTest::mouseClick(copy, Qt::LeftButton);
        const QString copied = QApplication::clipboard()->text();
        QCOMPARE(copied, ReceiverSnippets::snippet(SignatureScheme::GitHub,
                                                   ReceiverSnippets::Language::NodeJs));
        QVERIFY(!copied.contains(QLatin1String("It's a Secret")));
        QCOMPARE(copy->text(), QStringLiteral("Copied"));
    });
}

void TestReceiverCodeDialog::followsTheSchemeChosenOnThePage()
{
    const qint64 id = addHook(SignatureScheme::GitHub, QStringLiteral("s3cret-value"));
    m_editor->showHook(id);
    auto *scheme = m_editor->findChild<QComboBox *>(QStringLiteral("schemeCombo"));
    scheme->setCurrentIndex(scheme->findData(int(SignatureScheme::Standard)));
    inspectDialog([](QDialog *dialog) {
        auto *tabs = dialog->findChild<QTabWidget *>(QStringLiteral("languageTabs"));
        tabs->setCurrentIndex(2);
        auto *go = qobject_cast<QPlainTextEdit *>(tabs->currentWidget());
        QCOMPARE(go->objectName(), QStringLiteral("snippetGo"));
        QCOMPARE(go->toPlainText(), ReceiverSnippets::snippet(SignatureScheme::Standard,
                                                              ReceiverSnippets::Language::Go));
        QVERIFY(go->toPlainText().contains(QLatin1String("webhook-timestamp")));
        QTest::mouseClick(dialog->findChild<QPushButton *>(QStringLiteral("copySnippetButton")),
                          Qt::LeftButton);
        QCOMPARE(QApplication::clipboard()->text(), go->toPlainText());
    });
}

void TestReceiverCodeDialog::unavailableWithoutSigning()
{
    const qint64 id = addHook(SignatureScheme::None, QString());
    m_editor->showHook(id);
    QVERIFY(button()->isVisible());
    QVERIFY(!button()->isEnabled());
    auto *scheme = m_editor->findChild<QComboBox *>(QStringLiteral("schemeCombo"));
    scheme->setCurrentIndex(scheme->findData(int(SignatureScheme::Standard)));
    QVERIFY(button()->isEnabled());
}

QTEST_MAIN(TestReceiverCodeDialog)
#include "tst_receiver_code_dialog.moc"
