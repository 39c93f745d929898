#include "domain/event_catalog.h"
#include "domain/webhook_validator.h"

#include <QFile>
#include <QLocale>
#include <QRegularExpression>
#include <QTest>
#include <QTranslator>
#include <QXmlStreamReader>

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
    void placeholdersKept();

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

void TestTranslations::placeholdersKept()
{
    // A translation that drops or invents a %1 shows the wrong text at run time.
    QFile file(QStringLiteral(WEBHOOK_ADMIN_TS_FILE));
    QVERIFY2(file.open(QIODevice::ReadOnly), WEBHOOK_ADMIN_TS_FILE);
    static const QRegularExpression placeholder(QStringLiteral("%L?(\\d+)"));
    const auto placeholders = [](const QString &text) {
        QStringList found;
        for (auto it = placeholder.globalMatch(text); it.hasNext();)
            found.append(it.next().captured(1));
        found.sort();
        return found;
    };

    QXmlStreamReader xml(&file);
    QString source;
    int finished = 0;
    while (!xml.atEnd()) {
        if (xml.readNext() != QXmlStreamReader::StartElement)
            continue;
        if (xml.name() == QLatin1String("source")) {
            source = xml.readElementText();
        } else if (xml.name() == QLatin1String("translation")) {
            const bool unfinished =
                xml.attributes().value(QLatin1String("type")) == QLatin1String("unfinished");
            const QString translation = xml.readElementText(QXmlStreamReader::IncludeChildElements);
            if (unfinished || translation.isEmpty())
                continue;
            ++finished;
            QVERIFY2(placeholders(source) == placeholders(translation),
                     qPrintable(source + QStringLiteral(" -> ") + translation));
        }
    }
    QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
    QVERIFY(finished >= 90);
}

QTEST_GUILESS_MAIN(TestTranslations)
#include "tst_translations.moc"
