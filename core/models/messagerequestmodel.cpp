#include "messagerequestmodel.h"

#include "deliveryrules.h"


namespace natter::client {

MessageRequestModel::MessageRequestModel(QObject *parent)
    : InboxModel(parent)
{
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

} // namespace natter::client
