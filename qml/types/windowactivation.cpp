#include "windowactivation.h"

#include <QWindow>

namespace natter::desktop {

void WindowActivation::bringToFront(QWindow *window)
{
    if (!window)
        return;
    // Un-minimise without losing "maximised".
    if (window->windowStates() & Qt::WindowMinimized)
        window->setWindowStates(window->windowStates() & ~Qt::WindowMinimized);
    window->show();
    window->raise();
    window->requestActivate();
}

bool WindowActivation::isShown(const QWindow *window)
{
    return window && window->isVisible() && !(window->windowStates() & Qt::WindowMinimized);
}

bool WindowActivation::userIsLooking(const QWindow *window)
{
    return isShown(window) && window->isActive();
}

} // namespace natter::desktop
