#include "notificationpolicy.h"

namespace natter::desktop {

bool NotificationPolicy::shouldNotify(const WindowState &window, const Message &message) const
{
    if (!m_enabled || message.ownMessage)
        return false;
    const bool userIsLooking = window.visible && window.active;
    if (!userIsLooking)
        return true;
    const bool roomIsOpen = message.accountId == window.accountId && message.roomKey == window.roomKey;
    return !roomIsOpen;
}

} // namespace natter::desktop
