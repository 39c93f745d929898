#include "hook_editor.h"
#include "secret_field.h"
#include "store/database.h"
#include "store/hook_stats_store.h"
#include "store/hook_store.h"
#include "store/secret_rotation_store.h"

#include <QApplication>
#include <QComboBox>
#include <QDialog>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSqlQuery>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <functional>
#include <memory>
#include <tuple>

// The settings page's operator parts, "Rotate secret…" driven by clicks
// offscreen and the delivery health, with a real SQLite file behind them.
class TestRotateSecret : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();

    void rotateWithOverlapShowsPreviousSecret();
    void cancelChangesNothing();
    void githubHasNoOverlapAndSaysSo();
    void unavailableForUnsavedUnsignedOrEditedHooks();
    void healthShowsTheLastDayAndWeek();

private:
    qint64 addHook(SignatureScheme scheme, const QString &secret);
    // Runs answer on the next modal dialog, once it is shown.
    void answerNextModal(std::function<void(QDialog *)> answer);
    QPushButton *rotateButton() const
    {
        return m_editor->findChild<QPushButton *>(QStringLiteral("rotateSecretButton"));
    }
    QLabel *previousLabel() const
    {
        return m_editor->findChild<QLabel *>(QStringLiteral("previousSecretsLabel"));
    }

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Database> m_database;
    std::unique_ptr<HookStore> m_store;
    std::unique_ptr<SecretRotationStore> m_rotations;
    std::unique_ptr<HookEditor> m_editor;
    bool m_answered = false;
};

namespace {

const QString OldSecret = QStringLiteral("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");

} // namespace

void TestRotateSecret::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
}

void TestRotateSecret::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_database = std::make_unique<Database>();
    QVERIFY(!m_database->open(m_dir->filePath(QStringLiteral("hooks.sqlite"))));
    m_store = std::make_unique<HookStore>(m_database.get());
    m_rotations = std::make_unique<SecretRotationStore>(m_database.get());
    m_editor = std::make_unique<HookEditor>(m_store.get());
    m_editor->setSecretRotationStore(m_rotations.get());
    m_editor->resize(820, 1100);
    m_editor->show();
    QVERIFY(QTest::qWaitForWindowActive(m_editor.get()));
    m_answered = false;
}

void TestRotateSecret::cleanup()
{
    m_editor.reset();
    m_rotations.reset();
    m_store.reset();
    m_database.reset();
    m_dir.reset();
}

qint64 TestRotateSecret::addHook(SignatureScheme scheme, const QString &secret)
{
    Webhook hook;
    hook.url = QStringLiteral("http://trainer:9090/hook");
    hook.signature = scheme;
    hook.secret = secret;
    Result<Webhook> saved = m_store->saveHook(hook);
    return saved ? saved->id : 0;
}

void TestRotateSecret::answerNextModal(std::function<void(QDialog *)> answer)
{
    auto *timer = new QTimer(this);
    timer->setInterval(20);
    connect(timer, &QTimer::timeout, this, [this, timer, answer] {
        auto *modal = qobject_cast<QDialog *>(QApplication::activeModalWidget());
        if (!modal)
            return;
        timer->stop();
        timer->deleteLater();
        m_answered = true;
        answer(modal);
    });
    timer->start();
    QTimer::singleShot(10000, timer, [timer] {
        timer->stop();
        if (QWidget *modal = QApplication::activeModalWidget())
            modal->close();
    });
}

void TestRotateSecret::rotateWithOverlapShowsPreviousSecret()
{
    const qint64 id = addHook(SignatureScheme::Standard, OldSecret);
    m_editor->showHook(id);
    QVERIFY(rotateButton()->isVisible());
    QVERIFY(rotateButton()->isEnabled());
    QVERIFY(!previousLabel()->isVisible());

    answerNextModal([](QDialog *dialog) {
        auto *overlap = dialog->findChild<QComboBox *>(QStringLiteral("overlapCombo"));
        QVERIFY(overlap && overlap->isEnabled());
        QCOMPARE(overlap->currentData().toLongLong(), qint64(24 * 3600)); // the default
        overlap->setFocus();
        QTest::keyClick(overlap, Qt::Key_Up); // 1 hour
        QCOMPARE(overlap->currentData().toLongLong(), qint64(3600));
        QTest::mouseClick(dialog->findChild<QPushButton *>(QStringLiteral("rotateButton")),
                          Qt::LeftButton);
    });
    const QDateTime before = QDateTime::currentDateTimeUtc();
    QTest::mouseClick(rotateButton(), Qt::LeftButton);
    QVERIFY(m_answered);

    const Webhook stored = m_store->hook(id).value();
    QVERIFY(stored.secret != OldSecret);
    QVERIFY(stored.secret.startsWith(QLatin1String("whsec_")));
    const QList<PreviousSecret> previous =
        m_rotations->previousSecrets(id, QDateTime::currentDateTimeUtc()).value();
    QCOMPARE(previous.size(), 1);
    QCOMPARE(previous.first().secret, OldSecret);
    QVERIFY(previous.first().validUntil >= before.addSecs(3600).addSecs(-1));
    QVERIFY(previous.first().validUntil <= QDateTime::currentDateTimeUtc().addSecs(3600));

    // The form shows the new secret, masked, and is clean.
    auto *field = m_editor->findChild<SecretField *>(QStringLiteral("secretField"));
    QCOMPARE(field->text(), stored.secret);
    QCOMPARE(field->lineEdit()->echoMode(), QLineEdit::Password);
    QVERIFY(!m_editor->isDirty());
    QVERIFY(previousLabel()->isVisible());
    const QString until =
        QLocale().toString(previous.first().validUntil.toLocalTime(), QLocale::ShortFormat);
    QVERIFY2(previousLabel()->text().contains(QStringLiteral("valid until ") + until),
             qPrintable(previousLabel()->text()));
    // Never a secret on the page in clear text.
    for (const QLabel *label : m_editor->findChildren<QLabel *>()) {
        QVERIFY(!label->text().contains(OldSecret.mid(6)));
        QVERIFY(!label->text().contains(stored.secret.mid(6)));
    }
}

void TestRotateSecret::cancelChangesNothing()
{
    const qint64 id = addHook(SignatureScheme::Standard, OldSecret);
    m_editor->showHook(id);
    answerNextModal([](QDialog *dialog) { dialog->reject(); });
    QTest::mouseClick(rotateButton(), Qt::LeftButton);
    QVERIFY(m_answered);
    QCOMPARE(m_store->hook(id)->secret, OldSecret);
    QVERIFY(m_rotations->previousSecrets(id, QDateTime::currentDateTimeUtc())->isEmpty());
}

void TestRotateSecret::githubHasNoOverlapAndSaysSo()
{
    const QString old = QStringLiteral("It's a Secret to Everybody");
    const qint64 id = addHook(SignatureScheme::GitHub, old);
    m_editor->showHook(id);
    QVERIFY(previousLabel()->isVisible());
    QVERIFY(previousLabel()->text().contains(QLatin1String("GitHub signs with one secret")));
    QString note;
    answerNextModal([&note](QDialog *dialog) {
        auto *overlap = dialog->findChild<QComboBox *>(QStringLiteral("overlapCombo"));
        QVERIFY(!overlap->isEnabled());
        QCOMPARE(overlap->currentData().toLongLong(), qint64(0));
        note = dialog->findChild<QLabel *>(QStringLiteral("rotationNote"))->text();
        QTest::mouseClick(dialog->findChild<QPushButton *>(QStringLiteral("rotateButton")),
                          Qt::LeftButton);
    });
    QTest::mouseClick(rotateButton(), Qt::LeftButton);
    QVERIFY(m_answered);
    QVERIFY2(note.contains(QLatin1String("new secret only")), qPrintable(note));
    QVERIFY(m_store->hook(id)->secret != old);
    QVERIFY(m_rotations->previousSecrets(id, QDateTime::currentDateTimeUtc())->isEmpty());
}

void TestRotateSecret::unavailableForUnsavedUnsignedOrEditedHooks()
{
    m_editor->showNewHook();
    QVERIFY(!rotateButton()->isEnabled());
    m_editor->showHook(addHook(SignatureScheme::None, {}));
    QVERIFY(!rotateButton()->isEnabled());
    m_editor->showHook(addHook(SignatureScheme::Standard, OldSecret));
    QVERIFY(rotateButton()->isEnabled());
    // Unsaved edits first: rotation writes the stored hook.
    QLineEdit *url = m_editor->findChild<QLineEdit *>(QStringLiteral("urlEdit"));
    QVERIFY(url);
    url->setFocus();
    QTest::keyClicks(url, QStringLiteral("x"));
    QVERIFY(m_editor->isDirty());
    QVERIFY(!rotateButton()->isEnabled());
}

void TestRotateSecret::healthShowsTheLastDayAndWeek()
{
    const qint64 id = addHook(SignatureScheme::None, {});
    // History as the engine records it: three finished attempts in the last
    // day (100, 300 ms and a failure of 200 ms), one of 900 ms three days ago.
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    const QList<std::tuple<QString, qint64, qint64>> rows{
        {QStringLiteral("succeeded"), 100, now - 3600 * 1000LL},
        {QStringLiteral("failed"), 200, now - 2 * 3600 * 1000LL},
        {QStringLiteral("succeeded"), 300, now - 5 * 3600 * 1000LL},
        {QStringLiteral("succeeded"), 900, now - 3 * 86400 * 1000LL},
    };
    QSqlQuery delivery(m_database->connection());
    delivery.prepare(QStringLiteral(
        "INSERT INTO deliveries (webhook_id, action, message_id, body, status, created_at, "
        "updated_at) VALUES (?, 'TASKS_CREATED', ?, '{}', ?, ?, ?) RETURNING id"));
    QSqlQuery attempt(m_database->connection());
    attempt.prepare(QStringLiteral(
        "INSERT INTO attempts (delivery_id, webhook_id, action, number, max_attempts, trigger, "
        "outcome, due_at, duration_ms, created_at) VALUES (?, ?, 'TASKS_CREATED', 1, 1, "
        "'scheduled', ?, ?, ?, ?)"));
    int n = 0;
    for (const auto &[outcome, duration, created] : rows) {
        delivery.addBindValue(id);
        delivery.addBindValue(QStringLiteral("msg_%1").arg(++n));
        delivery.addBindValue(outcome);
        delivery.addBindValue(created);
        delivery.addBindValue(created);
        QVERIFY(delivery.exec() && delivery.next());
        const qint64 deliveryId = delivery.value(0).toLongLong();
        delivery.finish();
        attempt.addBindValue(deliveryId);
        attempt.addBindValue(id);
        attempt.addBindValue(outcome);
        attempt.addBindValue(created);
        attempt.addBindValue(duration);
        attempt.addBindValue(created);
        QVERIFY(attempt.exec());
    }
    HookStatsStore stats(m_database.get());
    m_editor->setHookStatsStore(&stats);
    m_editor->showHook(id);
    auto *health = m_editor->findChild<QLabel *>(QStringLiteral("healthLabel"));
    QVERIFY(health && health->isVisible());
    // Nearest rank: p50 of 100, 200, 300 is 200; p95 is 300.
    QVERIFY2(health->text().contains(QStringLiteral(
                 "Last 24 hours: 3 deliveries, 66.7 % succeeded, p50 200 ms, p95 300 ms")),
             qPrintable(health->text()));
    QVERIFY2(health->text().contains(QStringLiteral(
                 "Last 7 days: 4 deliveries, 75.0 % succeeded, p50 200 ms, p95 900 ms")),
             qPrintable(health->text()));
    m_editor->showHook(addHook(SignatureScheme::None, {}));
    QVERIFY(health->text().contains(QStringLiteral("Last 24 hours: no finished attempts")));
    m_editor->setHookStatsStore(nullptr);
}

QTEST_MAIN(TestRotateSecret)
#include "tst_rotate_secret.moc"
