#include "notificationmodel.h"

#include <algorithm>

namespace natter::client {

NotificationModel::NotificationModel(QObject *parent)
    : QAbstractListModel(parent)
{
}

int NotificationModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_items.size());
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

int NotificationModel::unreadCount() const
{
    return int(std::count_if(m_items.cbegin(), m_items.cend(), [](const Notification &n) { return !n.read; }));
}

void NotificationModel::add(const Notification &notification)
{
    const int unreadBefore = unreadCount();
    const int known = indexOf(notification.id);
    if (known >= 0) {
        m_items[known] = notification;
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

bool NotificationModel::markRead(const QString &id)
{
    const int row = indexOf(id);
    if (row < 0 || m_items.at(row).read)
        return false;
    m_items[row].read = true;
    emit dataChanged(index(row), index(row), {ReadRole});
    emit unreadCountChanged();
    return true;
}

void NotificationModel::markAllRead()
{
    bool changed = false;
    for (int row = 0; row < m_items.size(); ++row) {
        if (!m_items.at(row).read) {
            m_items[row].read = true;
            emit dataChanged(index(row), index(row), {ReadRole});
            changed = true;
        }
    }
    if (changed)
        emit unreadCountChanged();
}

bool NotificationModel::remove(const QString &id)
{
    const int row = indexOf(id);
    if (row < 0)
        return false;
    const bool wasUnread = !m_items.at(row).read;
    beginRemoveRows({}, row, row);
    m_items.removeAt(row);
    endRemoveRows();
    emit countChanged();
    if (wasUnread)
        emit unreadCountChanged();
    return true;
}

void NotificationModel::clear()
{
    if (m_items.isEmpty())
        return;
    const bool hadUnread = unreadCount() > 0;
    beginResetModel();
    m_items.clear();
    endResetModel();
    emit countChanged();
    if (hadUnread)
        emit unreadCountChanged();
}

int NotificationModel::indexOf(const QString &id) const
{
    if (id.isEmpty())
        return -1;
    for (int row = 0; row < m_items.size(); ++row) {
        if (m_items.at(row).id == id)
            return row;
    }
    return -1;
}

} // namespace natter::client
