#pragma once

// Bringing the main window to the user, and whether the user is looking at it.

class QWindow;

namespace natter::desktop {

class WindowActivation
{
public:
    // Shows a hidden or minimised window, raises it and asks for the focus.
    static void bringToFront(QWindow *window);
    // Shown, not minimised, and focused.
    static bool userIsLooking(const QWindow *window);
    static bool isShown(const QWindow *window);
};

} // namespace natter::desktop
