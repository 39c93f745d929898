#include "domain/event_catalog.h"
#include "domain/webhook_validator.h"

#include <QFile>
#include <QFileInfo>
#include <QLocale>
#include <QProcess>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <QTranslator>
#include <QXmlStreamReader>
#include <algorithm>

namespace {

// One <message> of a .ts file: its source and every form of its translation
// (one, or one per plural form for numerus messages).
struct TsMessage
{
    QString context;
    QString source;
    QString type; // "unfinished", "vanished", "obsolete" or empty when finished
    QStringList forms;
};

QList<TsMessage> readTs(const QString &path, QString *error)
{
    QList<TsMessage> messages;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = file.errorString();
        return messages;
    }
    QXmlStreamReader xml(&file);
    QString context;
    while (!xml.atEnd()) {
        if (xml.readNext() != QXmlStreamReader::StartElement)
            continue;
        if (xml.name() == QLatin1String("name")) {
            context = xml.readElementText();
        } else if (xml.name() == QLatin1String("message")) {
            messages.append({context, {}, {}, {}});
        } else if (xml.name() == QLatin1String("source") && !messages.isEmpty()) {
            messages.last().source = xml.readElementText();
        } else if (xml.name() == QLatin1String("translation") && !messages.isEmpty()) {
            TsMessage &message = messages.last();
            message.type = xml.attributes().value(QLatin1String("type")).toString();
            // Either plain text or <numerusform> children.
            QString text;
            while (!xml.atEnd()) {
                const QXmlStreamReader::TokenType token = xml.readNext();
                if (token == QXmlStreamReader::Characters) {
                    text += xml.text();
                } else if (token == QXmlStreamReader::StartElement &&
                           xml.name() == QLatin1String("numerusform")) {
                    message.forms.append(xml.readElementText());
                } else if (token == QXmlStreamReader::EndElement &&
                           xml.name() == QLatin1String("translation")) {
                    break;
                }
            }
            if (message.forms.isEmpty())
                message.forms.append(text);
        }
    }
    if (xml.hasError())
        *error = QStringLiteral("%1 at line %2").arg(xml.errorString()).arg(xml.lineNumber());
    return messages;
}

// The placeholders %1 to %99 (also %L1) and %n of a text, each once, sorted.
QStringList placeholders(const QString &text)
{
    static const QRegularExpression placeholder(QStringLiteral("%L?(\\d{1,2}|n)"));
    QStringList found;
    for (auto it = placeholder.globalMatch(text); it.hasNext();)
        found.append(it.next().captured(1));
    found.removeDuplicates();
    found.sort();
    return found;
}

QString describe(const TsMessage &message)
{
    QString source = message.source;
    source.replace(QLatin1Char('\n'), QStringLiteral("\\n"));
    return message.context + QStringLiteral(": \"") + source + QLatin1Char('"');
}

// Messages that are not translated yet, one line each, for a failure message.
QStringList unfinished(const QList<TsMessage> &messages)
{
    QStringList lines;
    for (const TsMessage &message : messages) {
        const bool empty = std::all_of(message.forms.cbegin(), message.forms.cend(),
                                       [](const QString &form) { return form.isEmpty(); });
        if (message.type == QLatin1String("unfinished") || empty)
            lines.append(describe(message));
    }
    return lines;
}

} // namespace

// The German catalog as built by lrelease (translations/CMakeLists.txt) and its
// source .ts; paths come from tests/models/CMakeLists.txt.
class TestTranslations : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void loadsLikeTheApp();
    void eventNames_data();
    void eventNames();
    void everyBuiltInIsTranslated();
    void groupTitles();
    void validatorMessages();
    void everyMessageTranslated();
    void placeholdersKept();
    void sourcesHaveNoNewStrings();

private:
    QTranslator m_translator;
};

void TestTranslations::initTestCase()
{
    QVERIFY2(m_translator.load(QStringLiteral(WEBHOOK_ADMIN_QM_FILE)), WEBHOOK_ADMIN_QM_FILE);
    QVERIFY(!m_translator.isEmpty());
    QCOMPARE(m_translator.language(), QStringLiteral("de_DE"));
    // Before anything calls tr(): the built-in catalog is translated once.
    QVERIFY(QCoreApplication::installTranslator(&m_translator));
}

void TestTranslations::loadsLikeTheApp()
{
    // app/localization.cpp looks the file up by locale, name and prefix.
    const QString dir = QFileInfo(QStringLiteral(WEBHOOK_ADMIN_QM_FILE)).absolutePath();
    QTranslator byLocale;
    QVERIFY(byLocale.load(QLocale(QLocale::German, QLocale::Germany),
                          QStringLiteral("webhook-admin"), QStringLiteral("_"), dir));
    QTranslator austrian; // falls back from de_AT to de
    QVERIFY(austrian.load(QLocale(QLocale::German, QLocale::Austria),
                          QStringLiteral("webhook-admin"), QStringLiteral("_"), dir));
    QTranslator french;
    QVERIFY(!french.load(QLocale(QLocale::French), QStringLiteral("webhook-admin"),
                         QStringLiteral("_"), dir));
}

void TestTranslations::eventNames_data()
{
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("german");
    QTest::newRow("ANNOTATION_CREATED")
        << QStringLiteral("ANNOTATION_CREATED") << QStringLiteral("Annotation erstellt");
    QTest::newRow("PROJECT_CREATED")
        << QStringLiteral("PROJECT_CREATED") << QStringLiteral("Projekt erstellt");
    QTest::newRow("TASKS_DELETED")
        << QStringLiteral("TASKS_DELETED") << QStringLiteral("Aufgabe gelöscht");
    QTest::newRow("LABEL_LINK_UPDATED")
        << QStringLiteral("LABEL_LINK_UPDATED") << QStringLiteral("Label-Verknüpfung geändert");
}

void TestTranslations::eventNames()
{
    QFETCH(QString, key);
    QFETCH(QString, german);
    QCOMPARE(EventCatalog().find(key)->name, german);
    QCOMPARE(EventCatalog::tr("Annotation created"), QStringLiteral("Annotation erstellt"));
}

void TestTranslations::everyBuiltInIsTranslated()
{
    // The English texts, as in models/domain/event_catalog.cpp.
    const QStringList english{
        QStringLiteral("Project created"),     QStringLiteral("Project updated"),
        QStringLiteral("Project deleted"),     QStringLiteral("Task created"),
        QStringLiteral("Task deleted"),        QStringLiteral("Annotation created"),
        QStringLiteral("Annotations created"), QStringLiteral("Annotation updated"),
        QStringLiteral("Annotation deleted"),  QStringLiteral("Label link created"),
        QStringLiteral("Label link updated"),  QStringLiteral("Label link deleted"),
        QStringLiteral("Webhook disabled"),    QStringLiteral("Webhook paused"),
        QStringLiteral("Delivery exhausted"),
    };
    const QList<EventType> &types = EventCatalog::builtInTypes();
    QCOMPARE(types.size(), english.size());
    for (int i = 0; i < types.size(); ++i) {
        QVERIFY2(types.at(i).name != english.at(i), qPrintable(types.at(i).key));
        QVERIFY(!types.at(i).name.isEmpty());
        const QString source = m_translator.translate("EventCatalog", qPrintable(english.at(i)));
        QCOMPARE(types.at(i).name, source);
        QVERIFY2(!types.at(i).description.isEmpty(), qPrintable(types.at(i).key));
    }
    QCOMPARE(types.first().description, QStringLiteral("Ein neues Projekt wurde erstellt."));
}

void TestTranslations::groupTitles()
{
    QCOMPARE(EventCatalog::groupTitle(QStringLiteral("Tasks")), QStringLiteral("Aufgaben"));
    QCOMPARE(EventCatalog::groupTitle(QStringLiteral("Project")), QStringLiteral("Projekt"));
    QCOMPARE(EventCatalog::groupTitle(EventCatalog::CustomGroup), QStringLiteral("Eigene"));
}

void TestTranslations::validatorMessages()
{
    QCOMPARE(WebhookValidator::checkUrl(QString()),
             QStringLiteral("Geben Sie die URL ein, die den Webhook empfängt."));
    QCOMPARE(WebhookValidator::checkUrl(QStringLiteral("ftp://example.com/")),
             QStringLiteral("Nur http- und https-URLs können Webhooks empfangen, nicht ftp."));
    const QString reserved = WebhookValidator::checkHeaderName(QStringLiteral("Host"));
    QVERIFY2(reserved.startsWith(QStringLiteral("Host setzt Webhook Admin selbst")),
             qPrintable(reserved));
}

void TestTranslations::everyMessageTranslated()
{
    // Every user-visible string ships in German: lupdate marks a new or changed
    // source text "unfinished" until someone translates it.
    QString error;
    const QList<TsMessage> messages = readTs(QStringLiteral(WEBHOOK_ADMIN_TS_FILE), &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QVERIFY(messages.size() >= 700);
    const QStringList missing = unfinished(messages);
    QVERIFY2(missing.isEmpty(), qPrintable(QStringLiteral("%1 untranslated message(s) in %2:\n")
                                               .arg(missing.size())
                                               .arg(QStringLiteral(WEBHOOK_ADMIN_TS_FILE)) +
                                           missing.join(QLatin1Char('\n'))));
    // -no-obsolete keeps removed strings out of the file.
    for (const TsMessage &message : messages)
        QVERIFY2(message.type != QLatin1String("vanished") &&
                     message.type != QLatin1String("obsolete"),
                 qPrintable(describe(message)));
}

void TestTranslations::placeholdersKept()
{
    // A translation that drops or invents a %1 shows the wrong text at run time;
    // each plural form needs the %n and the %1... of its source.
    QString error;
    const QList<TsMessage> messages = readTs(QStringLiteral(WEBHOOK_ADMIN_TS_FILE), &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    int checked = 0;
    QStringList wrong;
    for (const TsMessage &message : messages) {
        const QStringList expected = placeholders(message.source);
        for (const QString &form : message.forms) {
            if (form.isEmpty())
                continue; // reported by everyMessageTranslated
            ++checked;
            if (placeholders(form) != expected)
                wrong.append(describe(message) + QStringLiteral(" -> \"") + form +
                             QLatin1Char('"'));
        }
    }
    QVERIFY2(wrong.isEmpty(), qPrintable(wrong.join(QLatin1Char('\n'))));
    QVERIFY(checked >= 700);

    // The check itself catches a dropped placeholder.
    QCOMPARE(placeholders(QStringLiteral("%1 of the last %n deliveries failed")),
             (QStringList{QStringLiteral("1"), QStringLiteral("n")}));
    QCOMPARE(placeholders(QStringLiteral("Fehlgeschlagen: %L1 von %2, %1")),
             (QStringList{QStringLiteral("1"), QStringLiteral("2")}));
    QVERIFY(placeholders(QStringLiteral("%n Webhooks importiert.")) !=
            placeholders(QStringLiteral("%n webhook(s) to %1.")));
}

void TestTranslations::sourcesHaveNoNewStrings()
{
    // Runs lupdate like the update_translations target, on a copy of the .ts:
    // a tr() string added to app/, models/ or views/ without a translation fails here.
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const QString copy = dir.filePath(QStringLiteral("webhook-admin_de.ts"));
    QVERIFY(QFile::copy(QStringLiteral(WEBHOOK_ADMIN_TS_FILE), copy));
    QFile::setPermissions(copy, QFile::ReadOwner | QFile::WriteOwner);

    const QString root = QStringLiteral(WEBHOOK_ADMIN_SOURCE_DIR);
    QProcess lupdate;
    lupdate.setProcessChannelMode(QProcess::MergedChannels);
    lupdate.start(
        QStringLiteral(WEBHOOK_ADMIN_LUPDATE),
        {QStringLiteral("-no-obsolete"), QStringLiteral("-locations"), QStringLiteral("none"),
         QStringLiteral("-extensions"), QStringLiteral("cpp,h,ui"), QStringLiteral("-I"),
         root + QStringLiteral("/models"), QStringLiteral("-I"), root + QStringLiteral("/views"),
         root + QStringLiteral("/app"), root + QStringLiteral("/models"),
         root + QStringLiteral("/views"), QStringLiteral("-ts"), copy});
    QVERIFY2(lupdate.waitForFinished(120000), qPrintable(lupdate.errorString()));
    const QString output = QString::fromUtf8(lupdate.readAll());
    QVERIFY2(lupdate.exitStatus() == QProcess::NormalExit && lupdate.exitCode() == 0,
             qPrintable(output));

    QString error;
    const QList<TsMessage> messages = readTs(copy, &error);
    QVERIFY2(error.isEmpty(), qPrintable(error));
    QVERIFY2(messages.size() >= 700, qPrintable(output));
    const QStringList missing = unfinished(messages);
    QVERIFY2(missing.isEmpty(),
             qPrintable(QStringLiteral("%1 string(s) in the sources have no German translation; "
                                       "run `cmake --build <dir> --target update_translations` "
                                       "and translate them in translations/webhook-admin_de.ts:\n")
                            .arg(missing.size()) +
                        missing.join(QLatin1Char('\n'))));
}

QTEST_GUILESS_MAIN(TestTranslations)
#include "tst_translations.moc"
