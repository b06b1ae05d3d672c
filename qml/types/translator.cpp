#include "translator.h"

#include "appsettings.h"

#include <QCoreApplication>
#include <QDir>
#include <QLibraryInfo>
#include <QLocale>
#include <QQmlEngine>
#include <QTranslator>

namespace natter::desktop {

namespace {
const auto translationsDir = QStringLiteral(":/i18n");
const auto sourceLanguage = QStringLiteral("en");

QString languageCode(const QString &localeName)
{
    return QLocale::languageToCode(QLocale(localeName).language());
}
} // namespace

Translator::Translator(QObject *parent) : QObject(parent) { }

Translator::~Translator()
{
    removeTranslators();
}

QStringList Translator::availableLanguages()
{
    QStringList languages;
    const QStringList files = QDir(translationsDir).entryList({QStringLiteral("natter_*.qm")}, QDir::Files, QDir::Name);
    for (const QString &file : files)
        languages.append(file.mid(7).chopped(3)); // "natter_de.qm" → "de"
    return languages;
}

QString Translator::pickLanguage(const QStringList &uiLanguages)
{
    const QStringList available = availableLanguages();
    for (const QString &uiLanguage : uiLanguages) {
        const QString code = languageCode(uiLanguage);
        // English comes first for this user: the source texts, not a later choice.
        if (code == sourceLanguage || available.contains(code))
            return code;
    }
    return sourceLanguage;
}

void Translator::setLanguage(const QString &language)
{
    const QString wanted = language.isEmpty() ? pickLanguage(QLocale::system().uiLanguages()) : language;
    const QString resolved = availableLanguages().contains(wanted) ? wanted : sourceLanguage;
    if (resolved == m_language)
        return;
    removeTranslators();
    m_language = resolved;
    if (resolved != sourceLanguage) {
        auto appTranslator = std::make_unique<QTranslator>();
        if (appTranslator->load(QStringLiteral("natter_") + resolved, translationsDir)
            && QCoreApplication::installTranslator(appTranslator.get()))
            m_appTranslator = std::move(appTranslator);
        else
            qWarning("natter: cannot load the '%s' translation", qPrintable(resolved));
        // Qt's own texts (standard buttons, --help): only when the system has them installed.
        auto qtTranslator = std::make_unique<QTranslator>();
        if (qtTranslator->load(QStringLiteral("qtbase_") + resolved, QLibraryInfo::path(QLibraryInfo::TranslationsPath))
            && QCoreApplication::installTranslator(qtTranslator.get()))
            m_qtTranslator = std::move(qtTranslator);
    }
    if (m_engine)
        m_engine->retranslate();
    emit languageChanged();
}

void Translator::follow(AppSettings *settings, QQmlEngine *engine)
{
    m_engine = engine;
    connect(settings, &AppSettings::languageChanged, this, [this, settings] { setLanguage(settings->language()); });
    setLanguage(settings->language());
}

void Translator::removeTranslators()
{
    if (m_appTranslator)
        QCoreApplication::removeTranslator(m_appTranslator.get());
    if (m_qtTranslator)
        QCoreApplication::removeTranslator(m_qtTranslator.get());
    m_appTranslator.reset();
    m_qtTranslator.reset();
}

} // namespace natter::desktop
