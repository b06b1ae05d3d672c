#pragma once

// Whether a new message deserves a desktop notification: only when the user
// wants them and is not already looking at that room.

#include <QString>

namespace natter::desktop {

class NotificationPolicy
{
public:
    // What the main window shows right now.
    struct WindowState
    {
        bool visible = false; // shown and not minimised
        bool active = false;  // has the keyboard focus
        QString accountId;    // the account in the rail
        QString roomKey;      // the open room ("" when none)
    };

    struct Message
    {
        QString accountId;
        QString roomKey;
        bool ownMessage = false;
    };

    explicit NotificationPolicy(bool enabled = true) : m_enabled(enabled) {}

    bool enabled() const { return m_enabled; }
    void setEnabled(bool enabled) { m_enabled = enabled; }

    bool shouldNotify(const WindowState &window, const Message &message) const;

private:
    bool m_enabled;
};

} // namespace natter::desktop
