#include "roomdirectory.h"

#include "store.h"

#include <algorithm>

namespace natter::server {

RoomDirectory::RoomDirectory(Store &store, QObject *parent)
    : QObject(parent)
    , m_store(store)
{
    connect(&m_store, &Store::membershipChanged, this, &RoomDirectory::refreshMembership);
    connect(&m_store, &Store::userChanged, this, [this](qint64 userId) { m_users.remove(userId); });
}

RoomDirectory::CachedRoom *RoomDirectory::warm(qint64 roomId)
{
    auto it = m_rooms.find(roomId);
    if (it != m_rooms.end())
        return &it.value();
    const std::optional<RoomRecord> room = m_store.roomById(roomId);
    if (!room)
        return nullptr; // not cached: a room created later is found then
    return &m_rooms.insert(roomId, CachedRoom{*room, m_store.members(roomId)}).value();
}

std::optional<RoomRecord> RoomDirectory::room(qint64 roomId)
{
    const CachedRoom *cached = warm(roomId);
    return cached ? std::optional<RoomRecord>(cached->room) : std::nullopt;
}

std::optional<RoomRecord> RoomDirectory::roomByUuid(const QUuid &uuid)
{
    if (const auto it = m_roomIdsByUuid.constFind(uuid); it != m_roomIdsByUuid.constEnd())
        return room(*it);
    std::optional<RoomRecord> found = m_store.roomByUuid(uuid);
    if (found)
        m_roomIdsByUuid.insert(uuid, found->id);
    return found;
}

const QList<MembershipRecord> &RoomDirectory::members(qint64 roomId)
{
    static const QList<MembershipRecord> none;
    const CachedRoom *cached = warm(roomId);
    return cached ? cached->members : none;
}

namespace {
// Members are kept ordered by user id (as the store returns them).
auto firstNotBefore(const QList<MembershipRecord> &members, qint64 userId)
{
    return std::lower_bound(members.cbegin(), members.cend(), userId,
                            [](const MembershipRecord &member, qint64 id) { return member.userId < id; });
}
} // namespace

std::optional<MembershipRecord> RoomDirectory::membership(qint64 roomId, qint64 userId)
{
    const QList<MembershipRecord> &all = members(roomId);
    const auto it = firstNotBefore(all, userId);
    if (it == all.cend() || it->userId != userId)
        return std::nullopt;
    return *it;
}

std::optional<UserRecord> RoomDirectory::user(qint64 userId)
{
    auto it = m_users.constFind(userId);
    if (it != m_users.constEnd())
        return it.value();
    std::optional<UserRecord> user = m_store.userById(userId);
    if (user)
        m_users.insert(userId, *user);
    return user;
}

std::optional<UserRecord> RoomDirectory::userByUuid(const QUuid &uuid)
{
    if (const auto it = m_userIdsByUuid.constFind(uuid); it != m_userIdsByUuid.constEnd())
        return user(*it);
    std::optional<UserRecord> found = m_store.userByUuid(uuid);
    if (found) {
        m_userIdsByUuid.insert(uuid, found->id);
        m_users.insert(found->id, *found);
    }
    return found;
}

std::optional<RoomRecord> RoomDirectory::lobby()
{
    if (m_lobbyId == 0) {
        const std::optional<RoomRecord> found = m_store.lobby();
        if (!found)
            return std::nullopt;
        m_lobbyId = found->id;
    }
    return room(m_lobbyId);
}

std::optional<RoomRecord> RoomDirectory::directRoom(qint64 userA, qint64 userB)
{
    const QPair<qint64, qint64> key{std::min(userA, userB), std::max(userA, userB)};
    if (const auto it = m_directRoomIds.constFind(key); it != m_directRoomIds.constEnd())
        return room(*it);
    std::optional<RoomRecord> found = m_store.directRoom(userA, userB);
    if (found)
        m_directRoomIds.insert(key, found->id);
    return found;
}

void RoomDirectory::forgetAll()
{
    // Uuids, direct rooms and the lobby never change: they stay.
    m_rooms.clear();
    m_users.clear();
}

void RoomDirectory::refreshMembership(qint64 roomId, qint64 userId)
{
    auto it = m_rooms.find(roomId);
    if (it == m_rooms.end())
        return; // read in full when first used
    const auto current = m_store.membership(roomId, userId);
    if (!current && m_store.lastError() != StoreError::NotFound)
        return; // the database failed: what is cached stays until the next change
    QList<MembershipRecord> &members = it->members;
    members.removeIf([userId](const MembershipRecord &member) { return member.userId == userId; });
    if (current)
        members.insert(firstNotBefore(members, userId) - members.cbegin(), *current);
}

} // namespace natter::server
