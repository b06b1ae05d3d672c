#pragma once

// The hub's memory of rooms, memberships and users, so that posting and
// fanning out read no SQL. Each room (its record and every membership) and
// each user is read once, on first use, and kept current from the store's
// change signals: a changed membership is read again alone, a changed user
// is forgotten until next used. Lookups return copies or references valid
// until the next call that may warm the cache.

#include "records.h"

#include <QHash>
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

private:
    struct CachedRoom
    {
        RoomRecord room;
        QList<MembershipRecord> members;
    };
    CachedRoom *warm(qint64 roomId);
    void refreshMembership(qint64 roomId, qint64 userId);

    Store &m_store;
    QHash<qint64, CachedRoom> m_rooms;
    QHash<qint64, UserRecord> m_users;
    QHash<QUuid, qint64> m_roomIdsByUuid; // a room's uuid never changes
};

} // namespace natter::server
