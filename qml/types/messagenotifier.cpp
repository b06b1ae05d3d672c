#include "messagenotifier.h"

#include "account.h"
#include "appsettings.h"
#include "desktopapp.h"
#include "traycontroller.h"
#include "windowactivation.h"

#include <QWindow>

namespace natter::desktop {

MessageNotifier::MessageNotifier(DesktopApp &app, TrayController &tray, QWindow *window, QObject *parent)
    : QObject(parent)
    , m_app(app)
    , m_tray(tray)
    , m_window(window)
{
    connect(&m_app, &DesktopApp::messageArrived, this, &MessageNotifier::notify);
    connect(&m_tray, &TrayController::notificationClicked, this, &MessageNotifier::openNotifiedRoom);
}

NotificationPolicy::WindowState MessageNotifier::windowState() const
{
    NotificationPolicy::WindowState state;
    state.visible = WindowActivation::isShown(m_window);
    state.active = WindowActivation::userIsLooking(m_window);
    if (const Account *current = m_app.currentAccount())
        state.accountId = current->accountId();
    state.roomKey = m_app.openRoomKey();
    return state;
}

void MessageNotifier::notify(Account *account, const QString &roomKey, const QString &title, const QString &body)
{
    if (!account)
        return;
    // DesktopApp only reports other people's messages.
    const NotificationPolicy::Message message{account->accountId(), roomKey, false};
    const NotificationPolicy policy(m_app.settings()->notifications());
    if (!policy.shouldNotify(windowState(), message))
        return;
    if (m_tray.showNotification(title, body)) {
        m_notifiedAccountId = message.accountId;
        m_notifiedRoomKey = roomKey;
    }
}

void MessageNotifier::openNotifiedRoom()
{
    WindowActivation::bringToFront(m_window);
    if (!m_notifiedAccountId.isEmpty())
        m_app.openRoom(m_notifiedAccountId, m_notifiedRoomKey);
}

} // namespace natter::desktop
