#pragma once

// Turns DesktopApp::messageArrived into desktop notifications when the
// NotificationPolicy allows, and a clicked notification into its open room.

#include "notificationpolicy.h"

#include <QObject>
#include <QPointer>

class QWindow;

namespace natter::desktop {

class Account;
class DesktopApp;
class TrayController;

class MessageNotifier : public QObject
{
    Q_OBJECT

public:
    MessageNotifier(DesktopApp &app, TrayController &tray, QWindow *window, QObject *parent = nullptr);

private:
    void notify(natter::desktop::Account *account, const QString &roomKey, const QString &title,
                const QString &body);
    void openNotifiedRoom();
    NotificationPolicy::WindowState windowState() const;

    DesktopApp &m_app;
    TrayController &m_tray;
    QPointer<QWindow> m_window;
    // Where the last notification came from (a click opens it).
    QString m_notifiedAccountId;
    QString m_notifiedRoomKey;
};

} // namespace natter::desktop
