#include "roomlistmodel.h"

#include "deliveryrules.h"
#include "presencetracker.h"

#include <QSet>
#include <algorithm>
#include <limits>

namespace natter::client {
namespace {

qint64 timeKey(const QDateTime &time)
{
    return time.isValid() ? time.toMSecsSinceEpoch() : std::numeric_limits<qint64>::min();
}

QString nameOf(const Person &person)
{
    return displayNameOf(person.displayName, person.username, person.id);
}

// The roles that differ between two "last message" values.
void lastMessageRoles(const std::optional<ChatMessage> &a, const std::optional<ChatMessage> &b, QList<int> &roles)
{
    const auto text = [](const std::optional<ChatMessage> &m) { return m ? m->text : QString(); };
    const auto sender = [](const std::optional<ChatMessage> &m) { return m ? nameOf(m->sender) : QString(); };
    const auto kind = [](const std::optional<ChatMessage> &m) { return m ? toString(m->kind) : QString(); };
    const auto outgoing = [](const std::optional<ChatMessage> &m) { return m && m->outgoing; };
    if (text(a) != text(b))
        roles.append(RoomListModel::LastMessageTextRole);
    if (sender(a) != sender(b))
        roles.append(RoomListModel::LastMessageSenderRole);
    if (kind(a) != kind(b))
        roles.append(RoomListModel::LastMessageKindRole);
    if (outgoing(a) != outgoing(b))
        roles.append(RoomListModel::LastMessageOutgoingRole);
}

} // namespace

RoomListModel::RoomListModel(QObject *parent)
    : QAbstractListModel(parent)
{
}

RoomListModel::~RoomListModel() = default;

int RoomListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rooms.size());
}

QVariant RoomListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const RoomSummary &room = m_rooms.at(index.row());
    switch (role) {
    case RoomKeyRole:
        return room.key;
    case RoomIdRole:
        return room.id;
    case RoomUuidRole:
        return room.uuid;
    case Qt::DisplayRole:
    case NameRole:
        return room.name.isEmpty() && room.kind == RoomKind::Direct ? nameOf(room.other) : room.name;
    case KindRole:
        return toString(room.kind);
    case IsDirectRole:
        return room.kind == RoomKind::Direct;
    case OtherPersonIdRole:
        return room.other.id;
    case OtherOnlineRole:
        if (room.other.id.isEmpty())
            return false;
        if (m_presence && m_presence->knows(room.other.id))
            return m_presence->isOnline(room.other.id);
        return room.other.online;
    case OtherLastSeenRole:
        if (m_presence && !room.other.id.isEmpty() && m_presence->knows(room.other.id))
            return m_presence->lastSeen(room.other.id);
        return room.other.lastSeen;
    case LastMessageTextRole:
        return room.lastMessage ? room.lastMessage->text : QString();
    case LastMessageSenderRole:
        return room.lastMessage ? nameOf(room.lastMessage->sender) : QString();
    case LastMessageKindRole:
        return room.lastMessage ? toString(room.lastMessage->kind) : QString();
    case LastMessageOutgoingRole:
        return room.lastMessage && room.lastMessage->outgoing;
    case LastActivityRole: {
        const qint64 activity = activityOf(room);
        return activity == std::numeric_limits<qint64>::min()
            ? QDateTime()
            : QDateTime::fromMSecsSinceEpoch(activity, Qt::UTC);
    }
    case UnreadCountRole:
        return room.unreadCount;
    default:
        return {};
    }
}

QHash<int, QByteArray> RoomListModel::roleNames() const
{
    static const QHash<int, QByteArray> names{
        {RoomKeyRole, "roomKey"},
        {RoomIdRole, "roomId"},
        {RoomUuidRole, "roomUuid"},
        {NameRole, "name"},
        {KindRole, "kind"},
        {IsDirectRole, "isDirect"},
        {OtherPersonIdRole, "otherPersonId"},
        {OtherOnlineRole, "otherOnline"},
        {OtherLastSeenRole, "otherLastSeen"},
        {LastMessageTextRole, "lastMessageText"},
        {LastMessageSenderRole, "lastMessageSender"},
        {LastMessageKindRole, "lastMessageKind"},
        {LastMessageOutgoingRole, "lastMessageOutgoing"},
        {LastActivityRole, "lastActivity"},
        {UnreadCountRole, "unreadCount"},
    };
    return names;
}

void RoomListModel::setActiveRoomKey(const QString &roomKey)
{
    if (roomKey == m_activeRoomKey)
        return;
    m_activeRoomKey = roomKey;
    emit activeRoomKeyChanged();
    if (!roomKey.isEmpty())
        markRead(roomKey);
}

void RoomListModel::setPresenceTracker(PresenceTracker *tracker)
{
    if (tracker == m_presence)
        return;
    disconnect(m_presenceConnection);
    m_presence = tracker;
    if (tracker)
        m_presenceConnection = connect(tracker, &PresenceTracker::presenceChanged, this,
                                       &RoomListModel::presenceChanged);
    if (!m_rooms.isEmpty())
        emit dataChanged(index(0), index(int(m_rooms.size()) - 1), {OtherOnlineRole, OtherLastSeenRole});
}

PresenceTracker *RoomListModel::presenceTracker() const
{
    return m_presence;
}

void RoomListModel::setRooms(const QList<RoomSummary> &rooms)
{
    if (m_rooms.isEmpty()) {
        beginResetModel();
        for (const RoomSummary &room : rooms) {
            if (room.key.isEmpty())
                continue;
            const auto it = m_rowByKey.constFind(room.key);
            if (it != m_rowByKey.cend()) {
                m_rooms[*it] = room;
            } else {
                m_rowByKey.insert(room.key, int(m_rooms.size()));
                m_rooms.append(room);
            }
        }
        std::stable_sort(m_rooms.begin(), m_rooms.end(), [](const RoomSummary &a, const RoomSummary &b) {
            return activityOf(a) > activityOf(b);
        });
        m_rowByKey.clear();
        reindex(0, int(m_rooms.size()) - 1);
        endResetModel();
        if (!m_rooms.isEmpty())
            emit countChanged();
        updateTotalUnread();
        return;
    }
    QSet<QString> keys;
    for (const RoomSummary &room : rooms)
        keys.insert(room.key);
    for (int row = int(m_rooms.size()) - 1; row >= 0; --row) {
        if (!keys.contains(m_rooms.at(row).key))
            removeRowAt(row);
    }
    for (const RoomSummary &room : rooms)
        upsertRoom(room);
    updateTotalUnread();
}

void RoomListModel::upsertRoom(const RoomSummary &room)
{
    if (room.key.isEmpty())
        return;
    const int row = roomIndex(room.key);
    if (row < 0) {
        insertRoom(room);
        updateTotalUnread();
        return;
    }
    RoomSummary &current = m_rooms[row];
    const qint64 before = activityOf(current);
    const QVariant onlineBefore = data(index(row), OtherOnlineRole);
    const QVariant lastSeenBefore = data(index(row), OtherLastSeenRole);
    const QVariant nameBefore = data(index(row), NameRole);
    QList<int> roles;
    const auto set = [&roles](auto &field, const auto &value, int role) {
        if (field != value) {
            field = value;
            roles.append(role);
        }
    };
    if (room.id != 0)
        set(current.id, room.id, RoomIdRole);
    if (!room.uuid.isEmpty())
        set(current.uuid, room.uuid, RoomUuidRole);
    if (room.kind != current.kind) {
        current.kind = room.kind;
        roles << KindRole << IsDirectRole;
    }
    if (!room.name.isEmpty())
        current.name = room.name;
    set(current.other.id, room.other.id, OtherPersonIdRole);
    current.other = room.other;
    set(current.unreadCount, room.unreadCount, UnreadCountRole);
    if (room.lastMessage
        && (!current.lastMessage || timeKey(room.lastMessage->createdAt) >= timeKey(current.lastMessage->createdAt))) {
        lastMessageRoles(current.lastMessage, room.lastMessage, roles);
        current.lastMessage = room.lastMessage;
    }
    if (timeKey(room.lastActivity) > timeKey(current.lastActivity))
        current.lastActivity = room.lastActivity;
    if (data(index(row), NameRole) != nameBefore)
        roles.append(NameRole);
    if (data(index(row), OtherOnlineRole) != onlineBefore)
        roles.append(OtherOnlineRole);
    if (data(index(row), OtherLastSeenRole) != lastSeenBefore)
        roles.append(OtherLastSeenRole);
    if (activityOf(current) != before)
        roles.append(LastActivityRole);
    emitRoles(row, roles);
    if (roles.contains(LastActivityRole))
        placeRow(row);
    updateTotalUnread();
}

bool RoomListModel::removeRoom(const QString &roomKey)
{
    const int row = roomIndex(roomKey);
    if (row < 0)
        return false;
    removeRowAt(row);
    updateTotalUnread();
    return true;
}

bool RoomListModel::noteMessage(const ChatMessage &message, bool roomIsOpen)
{
    return noteMessageAt(message, roomIsOpen, false);
}

bool RoomListModel::noteMessageAt(const ChatMessage &message, bool roomIsOpen, bool lateAck)
{
    const int row = roomIndex(message.roomKey);
    if (row < 0)
        return false;
    RoomSummary &room = m_rooms[row];
    const std::optional<ChatMessage> &last = room.lastMessage;
    const bool same = last
        && ((!message.id.isEmpty() && message.id == last->id)
            || (!message.clientId.isEmpty() && message.clientId == last->clientId));
    ChatMessage m = message;
    if (!m.createdAt.isValid())
        m.createdAt = same ? last->createdAt : QDateTime::currentDateTimeUtc();
    const qint64 before = activityOf(room);
    QList<int> roles;
    // Same second: the later arrival is the newer message, except an ack, which
    // can come after messages that were written after it (servers without acks).
    const bool newer = lateAck ? timeKey(m.createdAt) > timeKey(last ? last->createdAt : QDateTime())
                               : timeKey(m.createdAt) >= timeKey(last ? last->createdAt : QDateTime());
    if (!last || same || newer) {
        const std::optional<ChatMessage> next = m;
        lastMessageRoles(room.lastMessage, next, roles);
        room.lastMessage = next;
    }
    if (!message.outgoing && !roomIsOpen && !same) {
        ++room.unreadCount;
        roles.append(UnreadCountRole);
    }
    if (activityOf(room) != before)
        roles.append(LastActivityRole);
    emitRoles(row, roles);
    if (roles.contains(LastActivityRole))
        placeRow(row);
    updateTotalUnread();
    return true;
}

bool RoomListModel::noteReceived(const ChatMessage &message)
{
    return noteMessage(message, !m_activeRoomKey.isEmpty() && message.roomKey == m_activeRoomKey);
}

bool RoomListModel::noteAcked(const QString &clientId, const ChatMessage &stored)
{
    ChatMessage message = stored;
    message.outgoing = true;
    if (!clientId.isEmpty())
        message.clientId = clientId;
    return noteMessageAt(message, true, true);
}

bool RoomListModel::markRead(const QString &roomKey)
{
    const int row = roomIndex(roomKey);
    if (row < 0 || m_rooms.at(row).unreadCount == 0)
        return false;
    m_rooms[row].unreadCount = 0;
    emitRoles(row, {UnreadCountRole});
    updateTotalUnread();
    return true;
}

int RoomListModel::roomIndex(const QString &roomKey) const
{
    return m_rowByKey.value(roomKey, -1);
}

std::optional<RoomSummary> RoomListModel::room(const QString &roomKey) const
{
    const int row = roomIndex(roomKey);
    if (row < 0)
        return std::nullopt;
    return m_rooms.at(row);
}

// --- internals --------------------------------------------------------------

qint64 RoomListModel::activityOf(const RoomSummary &room)
{
    const qint64 activity = timeKey(room.lastActivity);
    return room.lastMessage ? std::max(activity, timeKey(room.lastMessage->createdAt)) : activity;
}

void RoomListModel::reindex(int first, int last)
{
    for (int row = std::max(first, 0); row <= last && row < m_rooms.size(); ++row)
        m_rowByKey.insert(m_rooms.at(row).key, row);
}

int RoomListModel::insertPosition(qint64 activity) const
{
    // After every room at least as recent.
    const auto it = std::partition_point(m_rooms.cbegin(), m_rooms.cend(),
                                         [activity](const RoomSummary &r) { return activityOf(r) >= activity; });
    return int(it - m_rooms.cbegin());
}

void RoomListModel::insertRoom(RoomSummary room)
{
    const int position = insertPosition(activityOf(room));
    beginInsertRows({}, position, position);
    m_rooms.insert(position, std::move(room));
    reindex(position, int(m_rooms.size()) - 1);
    endInsertRows();
    emit countChanged();
}

void RoomListModel::removeRowAt(int row)
{
    beginRemoveRows({}, row, row);
    m_rowByKey.remove(m_rooms.at(row).key);
    m_rooms.removeAt(row);
    reindex(row, int(m_rooms.size()) - 1);
    endRemoveRows();
    emit countChanged();
}

void RoomListModel::placeRow(int row)
{
    const qint64 activity = activityOf(m_rooms.at(row));
    int target = row;
    while (target > 0 && activityOf(m_rooms.at(target - 1)) < activity)
        --target;
    if (target == row) {
        while (target + 1 < m_rooms.size() && activityOf(m_rooms.at(target + 1)) > activity)
            ++target;
    }
    if (target == row)
        return;
    beginMoveRows({}, row, row, {}, target < row ? target : target + 1);
    m_rooms.move(row, target);
    reindex(std::min(row, target), std::max(row, target));
    endMoveRows();
}

void RoomListModel::emitRoles(int row, const QList<int> &roles)
{
    if (roles.isEmpty())
        return;
    QList<int> unique = roles;
    std::sort(unique.begin(), unique.end());
    unique.erase(std::unique(unique.begin(), unique.end()), unique.end());
    const QModelIndex at = index(row);
    emit dataChanged(at, at, unique);
}

void RoomListModel::presenceChanged(const QString &personId)
{
    for (int row = 0; row < m_rooms.size(); ++row) {
        if (m_rooms.at(row).other.id == personId)
            emitRoles(row, {OtherOnlineRole, OtherLastSeenRole});
    }
}

void RoomListModel::updateTotalUnread()
{
    int total = 0;
    for (const RoomSummary &room : std::as_const(m_rooms))
        total += room.unreadCount;
    if (total == m_totalUnread)
        return;
    m_totalUnread = total;
    emit totalUnreadChanged();
}

} // namespace natter::client
