// The built translations load through Translator, follow the language
// setting, and a running QML engine changes language with it.

#include "appsettings.h"
#include "translator.h"

#include <QLocale>
#include <QQmlComponent>
#include <QQmlEngine>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

using namespace Qt::StringLiterals;
using natter::desktop::AppSettings;
using natter::desktop::Translator;

namespace {
QString welcome()
{
    return QCoreApplication::translate("WelcomePage", "Welcome to Natter");
}
} // namespace

class TestTranslator : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QVERIFY(m_settingsDir.isValid());
        QStandardPaths::setTestModeEnabled(true);
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_settingsDir.path());
    }

    void builtLanguages()
    {
        QCOMPARE(Translator::availableLanguages(), (QStringList{QStringLiteral("de"), QStringLiteral("ja")}));
    }

    void picksTheFirstLanguageItSpeaks_data()
    {
        QTest::addColumn<QStringList>("uiLanguages");
        QTest::addColumn<QString>("language");
        QTest::newRow("German") << QStringList{u"de-DE"_s, u"en-US"_s} << u"de"_s;
        QTest::newRow("Japanese after French") << QStringList{u"fr-FR"_s, u"ja-JP"_s} << u"ja"_s;
        QTest::newRow("English first") << QStringList{u"en-GB"_s, u"de"_s} << u"en"_s;
        QTest::newRow("none it speaks") << QStringList{u"fr"_s, u"it-IT"_s} << u"en"_s;
        QTest::newRow("nothing") << QStringList{} << u"en"_s;
    }

    void picksTheFirstLanguageItSpeaks()
    {
        QFETCH(QStringList, uiLanguages);
        QFETCH(QString, language);
        QCOMPARE(Translator::pickLanguage(uiLanguages), language);
    }

    void translatesKnownStrings_data()
    {
        QTest::addColumn<QString>("language");
        QTest::addColumn<QString>("welcomeText");
        QTest::addColumn<QString>("quitText");
        QTest::addColumn<QString>("unreadText");
        QTest::newRow("de") << u"de"_s << u"Willkommen bei Natter"_s << u"Beenden"_s << u"Natter — 3 ungelesen"_s;
        QTest::newRow("ja") << u"ja"_s << u"Natter へようこそ"_s << u"終了"_s << u"Natter — 未読 3 件"_s;
    }

    void translatesKnownStrings()
    {
        QFETCH(QString, language);
        QFETCH(QString, welcomeText);
        QFETCH(QString, quitText);
        QFETCH(QString, unreadText);
        {
            Translator translator;
            translator.setLanguage(language);
            QCOMPARE(translator.language(), language);
            QCOMPARE(welcome(), welcomeText);
            // A C++ class's tr() context, and a plural.
            QCOMPARE(QCoreApplication::translate("natter::desktop::TrayController", "Quit"), quitText);
            QCOMPARE(QCoreApplication::translate("UnreadBadge", "Natter — %n unread", nullptr, 3), unreadText);
        }
        // Gone with the Translator.
        QCOMPARE(welcome(), u"Welcome to Natter"_s);
    }

    void unknownLanguageShowsEnglish()
    {
        Translator translator;
        translator.setLanguage(u"de"_s);
        translator.setLanguage(u"fr"_s);
        QCOMPARE(translator.language(), u"en"_s);
        QCOMPARE(welcome(), u"Welcome to Natter"_s);
    }

    void followsTheLanguageSettingInQml()
    {
        AppSettings settings;
        settings.setLanguage(u"de"_s);
        QQmlEngine engine;
        Translator translator;
        translator.follow(&settings, &engine);
        QCOMPARE(translator.language(), u"de"_s);

        // qsTr takes its context from the file name, as in WelcomePage.qml.
        QQmlComponent component(&engine);
        component.setData("import QtQuick\nQtObject { property string welcome: qsTr(\"Welcome to Natter\") }",
                          QUrl(u"qrc:/i18ntest/WelcomePage.qml"_s));
        std::unique_ptr<QObject> page(component.create());
        QVERIFY2(page, qPrintable(component.errorString()));
        QCOMPARE(page->property("welcome").toString(), u"Willkommen bei Natter"_s);

        QSignalSpy changed(&translator, &Translator::languageChanged);
        settings.setLanguage(u"ja"_s);
        QCOMPARE(changed.size(), 1);
        QCOMPARE(translator.language(), u"ja"_s);
        QTRY_COMPARE(page->property("welcome").toString(), u"Natter へようこそ"_s);

        settings.setLanguage(u"en"_s);
        QTRY_COMPARE(page->property("welcome").toString(), u"Welcome to Natter"_s);

        // "" follows the system's UI languages.
        settings.setLanguage(u"de"_s);
        settings.setLanguage(QString());
        QCOMPARE(translator.language(), Translator::pickLanguage(QLocale::system().uiLanguages()));
    }

private:
    QTemporaryDir m_settingsDir;
};

QTEST_MAIN(TestTranslator)
#include "tst_translator.moc"
