#pragma once

// The hub's memory of rooms, memberships and users, so that posting and
// fanning out read no SQL. Each room (its record and every membership) and
// each user is read once, on first use, and kept current from the store's
// change signals: a changed membership is read again alone, a changed user
// is forgotten until next used. Lookups return copies or references valid
// until the next call that may warm the cache.

#include "records.h"

#include <QHash>
#include <QPair>
#include <QObject>
#include <optional>

namespace natter::server {

class Store;

class RoomDirectory : public QObject
{
    Q_OBJECT
public:
    explicit RoomDirectory(Store &store, QObject *parent = nullptr);

    std::optional<RoomRecord> room(qint64 roomId);
    std::optional<RoomRecord> roomByUuid(const QUuid &uuid);
    // Every membership of the room, whatever its state, ordered by user id
    // (empty for no such room).
    const QList<MembershipRecord> &members(qint64 roomId);
    // O(log members).
    std::optional<MembershipRecord> membership(qint64 roomId, qint64 userId);
    std::optional<UserRecord> user(qint64 userId);
    std::optional<UserRecord> userByUuid(const QUuid &uuid);
    // The group every user belongs to.
    std::optional<RoomRecord> lobby();
    // The direct room of two users (either order; a == b: one's room with
    // oneself), if it exists. Found once, then kept: a direct room never goes.
    std::optional<RoomRecord> directRoom(qint64 userA, qint64 userB);

    // Changes made elsewhere (another node): read again when next used.
    void refreshMembership(qint64 roomId, qint64 userId);
    void forgetUser(qint64 userId) { m_users.remove(userId); }
    void forgetAll();

private:
    struct CachedRoom
    {
        RoomRecord room;
        QList<MembershipRecord> members;
    };
    CachedRoom *warm(qint64 roomId);

    Store &m_store;
    QHash<qint64, CachedRoom> m_rooms;
    QHash<qint64, UserRecord> m_users;
    QHash<QUuid, qint64> m_roomIdsByUuid; // a room's uuid never changes
    QHash<QUuid, qint64> m_userIdsByUuid; // nor a user's
    QHash<QPair<qint64, qint64>, qint64> m_directRoomIds; // (lower user id, higher) → room
    qint64 m_lobbyId = 0;
};

} // namespace natter::server
