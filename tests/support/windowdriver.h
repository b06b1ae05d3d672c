#pragma once

// Drives a real QML window the way a user does, for the desktop tests under
// Xvfb: finds items by objectName, waits (on the event loop, never sleeping)
// until one is on screen and still, clicks it, types into it, and saves
// screenshots to NATTER_ARTIFACT_DIR.

#include <QString>

class QQuickItem;
class QQuickWindow;

namespace natter::testing {

class WindowDriver
{
public:
    explicit WindowDriver(QQuickWindow *window) : m_window(window) { }

    QQuickWindow *window() const { return m_window; }
    // A visible item with this objectName, or nullptr.
    QQuickItem *item(const QString &objectName) const;
    // Wholly inside the window and enabled (not mid-transition).
    bool settled(QQuickItem *target) const;
    // Waits until the item exists, is visible and enabled and stays in place
    // inside the window (pages slide in); nullptr after `timeoutMs`.
    QQuickItem *waitForItem(const QString &objectName, int timeoutMs = 10000) const;
    // Returns false (and warns) when target is null.
    bool click(QQuickItem *target, bool rightButton = false) const;
    bool type(QQuickItem *field, const QString &text) const;
    void key(int key) const;
    // Saves the window as <NATTER_ARTIFACT_DIR>/<name>; false on failure.
    bool saveScreenshot(const QString &name) const;

private:
    QQuickWindow *m_window;
};

} // namespace natter::testing
