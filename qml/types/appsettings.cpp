#include "appsettings.h"

namespace natter::desktop {

namespace {
QString draftKey(const QString &key)
{
    // QSettings treats '/' as a group separator: keep keys flat.
    return QStringLiteral("drafts/") + QString::fromLatin1(key.toUtf8().toBase64(QByteArray::Base64UrlEncoding));
}
} // namespace

AppSettings::AppSettings(QObject *parent) : QObject(parent) { }

bool AppSettings::sendReadReceipts() const
{
    return m_settings.value(QStringLiteral("privacy/sendReadReceipts"), true).toBool();
}

void AppSettings::setSendReadReceipts(bool on)
{
    write(QStringLiteral("privacy/sendReadReceipts"), on);
}

bool AppSettings::sendTyping() const
{
    return m_settings.value(QStringLiteral("privacy/sendTyping"), true).toBool();
}

void AppSettings::setSendTyping(bool on)
{
    write(QStringLiteral("privacy/sendTyping"), on);
}

bool AppSettings::notifications() const
{
    return m_settings.value(QStringLiteral("desktop/notifications"), true).toBool();
}

void AppSettings::setNotifications(bool on)
{
    write(QStringLiteral("desktop/notifications"), on);
}

QString AppSettings::theme() const
{
    const QString theme = m_settings.value(QStringLiteral("look/theme")).toString();
    return theme == u"light" || theme == u"dark" ? theme : QStringLiteral("system");
}

void AppSettings::setTheme(const QString &theme)
{
    write(QStringLiteral("look/theme"), theme);
}

QString AppSettings::language() const
{
    return m_settings.value(QStringLiteral("look/language")).toString();
}

void AppSettings::setLanguage(const QString &language)
{
    if (language == this->language())
        return;
    m_settings.setValue(QStringLiteral("look/language"), language);
    emit languageChanged();
}

QStringList AppSettings::manualHosts() const
{
    return m_settings.value(QStringLiteral("join/manualHosts")).toStringList();
}

void AppSettings::setManualHosts(const QStringList &hosts)
{
    write(QStringLiteral("join/manualHosts"), hosts);
}

int AppSettings::sidebarWidth() const
{
    return m_settings.value(QStringLiteral("look/sidebarWidth"), 300).toInt();
}

void AppSettings::setSidebarWidth(int width)
{
    write(QStringLiteral("look/sidebarWidth"), width);
}

QString AppSettings::draft(const QString &key) const
{
    return m_settings.value(draftKey(key)).toString();
}

void AppSettings::setDraft(const QString &draft, const QString &text)
{
    const QString key = draftKey(draft);
    if (text.isEmpty())
        m_settings.remove(key);
    else
        m_settings.setValue(key, text);
}

void AppSettings::write(const QString &key, const QVariant &value)
{
    if (m_settings.value(key) == value)
        return;
    m_settings.setValue(key, value);
    emit changed();
}

} // namespace natter::desktop
