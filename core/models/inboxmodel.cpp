#include "inboxmodel.h"

namespace natter::client {

int InboxModel::unreadCount() const
{
    int unread = 0;
    for (int row = 0; row < count(); ++row)
        unread += isReadAt(row) ? 0 : 1;
    return unread;
}

bool InboxModel::markRead(const QString &key)
{
    const int row = indexOf(key);
    if (row < 0 || isReadAt(row))
        return false;
    setReadAt(row);
    emit dataChanged(index(row), index(row), {readRole()});
    emit unreadCountChanged();
    return true;
}

void InboxModel::markAllRead()
{
    bool changed = false;
    for (int row = 0; row < count(); ++row) {
        if (!isReadAt(row)) {
            setReadAt(row);
            emit dataChanged(index(row), index(row), {readRole()});
            changed = true;
        }
    }
    if (changed)
        emit unreadCountChanged();
}

bool InboxModel::remove(const QString &key)
{
    const int row = indexOf(key);
    if (row < 0)
        return false;
    const bool wasUnread = !isReadAt(row);
    beginRemoveRows({}, row, row);
    removeItemAt(row);
    endRemoveRows();
    emit countChanged();
    if (wasUnread)
        emit unreadCountChanged();
    return true;
}

void InboxModel::clear()
{
    if (count() == 0)
        return;
    const bool hadUnread = unreadCount() > 0;
    beginResetModel();
    clearItems();
    endResetModel();
    emit countChanged();
    if (hadUnread)
        emit unreadCountChanged();
}

int InboxModel::indexOf(const QString &key) const
{
    if (key.isEmpty())
        return -1;
    for (int row = 0; row < count(); ++row) {
        if (keyAt(row) == key)
            return row;
    }
    return -1;
}

} // namespace natter::client
