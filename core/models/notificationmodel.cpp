#include "notificationmodel.h"

#include <algorithm>

namespace natter::client {

NotificationModel::NotificationModel(QObject *parent)
    : InboxModel(parent)
{
}

QVariant NotificationModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Notification &n = m_items.at(index.row());
    switch (role) {
    case IdRole:
        return n.id;
    case TypeRole:
        return n.type;
    case Qt::DisplayRole:
    case MessageRole:
        return n.message;
    case RoomKeyRole:
        return n.roomKey;
    case ReadRole:
        return n.read;
    case CreatedAtRole:
        return n.createdAt;
    default:
        return {};
    }
}

QHash<int, QByteArray> NotificationModel::roleNames() const
{
    static const QHash<int, QByteArray> names{
        {IdRole, "notificationId"}, {TypeRole, "type"}, {MessageRole, "message"},
        {RoomKeyRole, "roomKey"},   {ReadRole, "read"}, {CreatedAtRole, "createdAt"},
    };
    return names;
}

void NotificationModel::add(const Notification &notification)
{
    const int unreadBefore = unreadCount();
    const int known = indexOf(notification.id);
    if (known >= 0) {
        Notification updated = notification;
        const Notification &shown = m_items.at(known);
        updated.read = updated.read || shown.read; // read here stays read
        if (updated.roomKey.isEmpty())
            updated.roomKey = shown.roomKey; // a list may not name the group a live frame named
        if (!updated.createdAt.isValid())
            updated.createdAt = shown.createdAt;
        if (updated.type == shown.type && updated.message == shown.message && updated.roomKey == shown.roomKey
            && updated.read == shown.read && updated.createdAt == shown.createdAt)
            return; // fetched again, unchanged
        m_items[known] = updated;
        emit dataChanged(index(known), index(known));
    } else {
        Notification n = notification;
        if (!n.createdAt.isValid())
            n.createdAt = QDateTime::currentDateTimeUtc();
        // Newest first; equal times: the later arrival first.
        const auto it = std::partition_point(m_items.cbegin(), m_items.cend(),
                                             [&n](const Notification &other) { return other.createdAt > n.createdAt; });
        const int row = int(it - m_items.cbegin());
        beginInsertRows({}, row, row);
        m_items.insert(row, n);
        endInsertRows();
        emit countChanged();
    }
    if (unreadCount() != unreadBefore)
        emit unreadCountChanged();
}

} // namespace natter::client
