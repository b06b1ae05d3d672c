#include "messagerequestmodel.h"

#include "deliveryrules.h"

#include <algorithm>

namespace natter::client {

MessageRequestModel::MessageRequestModel(QObject *parent)
    : QAbstractListModel(parent)
{
}

int MessageRequestModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_items.size());
}

QVariant MessageRequestModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Item &item = m_items.at(index.row());
    const MessageRequest &r = item.request;
    switch (role) {
    case ThreadKeyRole:
        return r.threadKey;
    case FromIdRole:
        return r.from.id;
    case Qt::DisplayRole:
    case FromNameRole:
        return displayNameOf(r.from.displayName, r.from.username, r.from.id);
    case FromUsernameRole:
        return r.from.username;
    case TextRole:
        return r.text;
    case CreatedAtRole:
        return r.createdAt;
    case ReadRole:
        return item.read;
    default:
        return {};
    }
}

QHash<int, QByteArray> MessageRequestModel::roleNames() const
{
    static const QHash<int, QByteArray> names{
        {ThreadKeyRole, "threadKey"}, {FromIdRole, "fromId"}, {FromNameRole, "fromName"},
        {FromUsernameRole, "fromUsername"}, {TextRole, "text"}, {CreatedAtRole, "createdAt"},
        {ReadRole, "read"},
    };
    return names;
}

int MessageRequestModel::unreadCount() const
{
    return int(std::count_if(m_items.cbegin(), m_items.cend(), [](const Item &item) { return !item.read; }));
}

void MessageRequestModel::add(const MessageRequest &request)
{
    if (request.threadKey.isEmpty())
        return;
    const int unreadBefore = unreadCount();
    Item item{request, false};
    if (!item.request.createdAt.isValid())
        item.request.createdAt = QDateTime::currentDateTimeUtc();
    const int known = indexOf(request.threadKey);
    if (known >= 0) {
        m_items[known] = item;
        emit dataChanged(index(known), index(known));
        if (known > 0) { // the latest request goes to the top
            beginMoveRows({}, known, known, {}, 0);
            m_items.move(known, 0);
            endMoveRows();
        }
    } else {
        beginInsertRows({}, 0, 0);
        m_items.prepend(item);
        endInsertRows();
        emit countChanged();
    }
    if (unreadCount() != unreadBefore)
        emit unreadCountChanged();
}

void MessageRequestModel::markAllRead()
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

bool MessageRequestModel::remove(const QString &threadKey)
{
    const int row = indexOf(threadKey);
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

void MessageRequestModel::clear()
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

int MessageRequestModel::indexOf(const QString &threadKey) const
{
    if (threadKey.isEmpty())
        return -1;
    for (int row = 0; row < m_items.size(); ++row) {
        if (m_items.at(row).request.threadKey == threadKey)
            return row;
    }
    return -1;
}

} // namespace natter::client
