#pragma once

// Puts the UI in the user's language: installs the app's translation (built
// from translations/*.ts into :/i18n/) and Qt's own for the language the
// settings name, or for the system's UI languages when they name none. On a
// language change it swaps them and retranslates the QML engine, so the
// running window changes language without a restart.

#include <QObject>
#include <QPointer>
#include <QString>
#include <QStringList>
#include <memory>

class QQmlEngine;
class QTranslator;

namespace natter::desktop {

class AppSettings;

class Translator : public QObject
{
    Q_OBJECT

public:
    explicit Translator(QObject *parent = nullptr);
    ~Translator() override;

    // "" follows the system; "en", or a language without a translation, shows the English source texts.
    void setLanguage(const QString &language);
    // The language the UI speaks now: "en", "de" or "ja".
    QString language() const { return m_language; }

    // Follows the language setting from now on, and retranslates `engine` (may be null) on each change.
    void follow(AppSettings *settings, QQmlEngine *engine);

    // The languages with a built translation (English, the source language, is not among them).
    static QStringList availableLanguages();
    // The first of `uiLanguages` (as QLocale::uiLanguages() lists them, e.g. "de-DE") the app
    // speaks, as a language code; "en" when it speaks none of them.
    static QString pickLanguage(const QStringList &uiLanguages);

signals:
    void languageChanged();

private:
    void removeTranslators();

    QString m_language = QStringLiteral("en");
    std::unique_ptr<QTranslator> m_appTranslator;
    std::unique_ptr<QTranslator> m_qtTranslator;
    QPointer<QQmlEngine> m_engine;
};

} // namespace natter::desktop
