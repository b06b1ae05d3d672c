#pragma once

// The user's preferences, kept with QSettings (organisation "Natter", app
// "natter"; tests point QSettings at a temp dir). Per-room drafts live here too
// so they survive switching rooms and restarts.

#include <QObject>
#include <QSettings>
#include <QtQml/qqmlregistration.h>

namespace natter::desktop {

class AppSettings : public QObject
{
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("AppSettings belongs to App")

    Q_PROPERTY(bool sendReadReceipts READ sendReadReceipts WRITE setSendReadReceipts NOTIFY changed)
    Q_PROPERTY(bool sendTyping READ sendTyping WRITE setSendTyping NOTIFY changed)
    Q_PROPERTY(bool notifications READ notifications WRITE setNotifications NOTIFY changed)
    // "system", "light" or "dark"
    Q_PROPERTY(QString theme READ theme WRITE setTheme NOTIFY changed)
    // "" follows the system locale; otherwise a language code ("en", "de", "ja")
    Q_PROPERTY(QString language READ language WRITE setLanguage NOTIFY languageChanged)
    // Hosts typed by hand in the join page, for networks that block the LAN beacon.
    Q_PROPERTY(QStringList manualHosts READ manualHosts WRITE setManualHosts NOTIFY changed)
    Q_PROPERTY(int sidebarWidth READ sidebarWidth WRITE setSidebarWidth NOTIFY changed)

public:
    explicit AppSettings(QObject *parent = nullptr);

    bool sendReadReceipts() const;
    void setSendReadReceipts(bool on);
    bool sendTyping() const;
    void setSendTyping(bool on);
    bool notifications() const;
    void setNotifications(bool on);
    QString theme() const;
    void setTheme(const QString &theme);
    QString language() const;
    void setLanguage(const QString &language);
    QStringList manualHosts() const;
    void setManualHosts(const QStringList &hosts);
    int sidebarWidth() const;
    void setSidebarWidth(int width);

    // Drafts by a key the UI chooses (account and room); an empty text removes the draft.
    Q_INVOKABLE QString draft(const QString &key) const;
    Q_INVOKABLE void setDraft(const QString &key, const QString &text);

    QSettings &store() { return m_settings; }

signals:
    void changed();
    void languageChanged();

private:
    void write(const QString &key, const QVariant &value);
    QSettings m_settings;
};

} // namespace natter::desktop
