#pragma once

// The tray icon: unread badge and tooltip, Show Natter / Quit menu, a click
// toggles the window, closing the window hides it here. Without a system tray
// (plain X servers, some desktops) it stays out of the way: no icon, and
// closing the window quits as usual.

#include <QIcon>
#include <QObject>
#include <QPointer>
#include <memory>

class QAction;
class QMenu;
class QSettings;
class QSystemTrayIcon;
class QWindow;

namespace natter::desktop {

class TrayController : public QObject
{
    Q_OBJECT

public:
    TrayController(QWindow *window, const QIcon &icon, QSettings &settings, QObject *parent = nullptr);
    ~TrayController() override;

    static bool trayAvailable();
    // The icon is in the tray (the window hides there instead of closing).
    bool inTray() const { return m_tray != nullptr; }

    int unreadCount() const { return m_unread; }
    void setUnreadCount(int unread);

    // A desktop notification; false when there is no tray to show it from.
    bool showNotification(const QString &title, const QString &body);
    // The menu and tooltip texts again, in the language now installed.
    void retranslate();

signals:
    // The user clicked the last notification.
    void notificationClicked();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void createTrayIcon();
    void toggleWindow();
    void hideToTray();
    void updateIcon();

    QPointer<QWindow> m_window;
    QIcon m_icon;
    QSettings &m_settings;
    std::unique_ptr<QMenu> m_menu;
    QAction *m_showAction = nullptr;
    QAction *m_quitAction = nullptr;
    std::unique_ptr<QSystemTrayIcon> m_tray;
    int m_unread = 0;
    // The close hint is a tray message too; its click opens no room.
    bool m_lastMessageWasNotification = false;
};

} // namespace natter::desktop
