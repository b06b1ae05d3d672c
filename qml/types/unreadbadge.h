#pragma once

// The unread count as the tray shows it: a red badge drawn on the app icon
// and the tooltip text.

#include <QIcon>
#include <QPixmap>
#include <QString>

namespace natter::desktop {

class UnreadBadge
{
public:
    // "" for none, the count up to 99, then "99+" (it has to fit on a tray icon).
    static QString text(int unread);
    // "Natter", or "Natter — N unread".
    static QString tooltip(int unread);
    // `icon` at `size` × `size` px with the badge in its top-right corner.
    static QPixmap pixmap(const QIcon &icon, int unread, int size = 64);
    static QColor badgeColor();
};

} // namespace natter::desktop
