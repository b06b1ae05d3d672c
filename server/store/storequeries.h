#pragma once

// The store as dialects and REST routes see it: reads only. Every write goes
// through the hub (Hub), which keeps its caches current and tells the sessions
// concerned; the accounts' sign-in sessions go through the Authenticator.
// Each call forwards to the Store; see store.h for what each one answers.

#include "store.h"

namespace natter::server {

class StoreQueries
{
public:
    explicit StoreQueries(Store &store) : m_store(store) { }
    StoreQueries(const StoreQueries &) = delete;
    StoreQueries &operator=(const StoreQueries &) = delete;

    // users
    std::optional<UserRecord> userById(qint64 id) { return m_store.userById(id); }
    std::optional<UserRecord> userByUuid(const QUuid &uuid) { return m_store.userByUuid(uuid); }
    std::optional<UserRecord> userByName(const QString &username) { return m_store.userByName(username); }
    StoreResult<QList<UserRecord>> searchUsers(const QString &text, qint64 excludedUserId, int limit)
    {
        QList<UserRecord> found = m_store.searchUsers(text, excludedUserId, limit);
        if (m_store.lastError() != StoreError::None)
            return StoreResult<QList<UserRecord>>::failure(m_store.lastError(), m_store.lastErrorText());
        return found;
    }

    // rooms and memberships
    std::optional<RoomRecord> lobby() { return m_store.lobby(); }
    std::optional<RoomRecord> roomById(qint64 id) { return m_store.roomById(id); }
    std::optional<RoomRecord> roomByUuid(const QUuid &uuid) { return m_store.roomByUuid(uuid); }
    std::optional<RoomRecord> directRoom(qint64 userA, qint64 userB) { return m_store.directRoom(userA, userB); }
    std::optional<MembershipRecord> membership(qint64 roomId, qint64 userId)
    {
        return m_store.membership(roomId, userId);
    }
    QList<MembershipRecord> members(qint64 roomId, std::optional<MembershipState> state = std::nullopt)
    {
        return m_store.members(roomId, state);
    }
    QList<RoomRecord> roomsOfUser(qint64 userId, MembershipState state = MembershipState::Active)
    {
        return m_store.roomsOfUser(userId, state);
    }

    // messages
    std::optional<MessageRecord> messageById(qint64 id) { return m_store.messageById(id); }
    QList<MessageRecord> messages(qint64 roomId, int limit, int offset = 0)
    {
        return m_store.messages(roomId, limit, offset);
    }
    QList<MessageRecord> messagesBefore(qint64 roomId, qint64 beforeSeq, int limit)
    {
        return m_store.messagesBefore(roomId, beforeSeq, limit);
    }
    QList<MessageRecord> messagesAfter(qint64 roomId, qint64 afterSeq, int limit)
    {
        return m_store.messagesAfter(roomId, afterSeq, limit);
    }
    std::optional<MessageRecord> lastMessage(qint64 roomId) { return m_store.lastMessage(roomId); }
    QHash<qint64, MessageRecord> lastMessages(const QList<qint64> &roomIds) { return m_store.lastMessages(roomIds); }
    int messageCount(qint64 roomId) { return m_store.messageCount(roomId); }
    int messageCountSince(qint64 userId, const QDateTime &since) { return m_store.messageCountSince(userId, since); }
    int activeRoomCountSince(qint64 userId, const QDateTime &since)
    {
        return m_store.activeRoomCountSince(userId, since);
    }
    int messageCountInRoomSince(qint64 roomId, const QDateTime &since)
    {
        return m_store.messageCountInRoomSince(roomId, since);
    }
    int unreadCount(qint64 roomId, qint64 userId) { return m_store.unreadCount(roomId, userId); }
    QHash<qint64, int> unreadCounts(qint64 userId) { return m_store.unreadCounts(userId); }

    // notifications
    QList<NotificationRecord> notifications(qint64 userId, int limit, int offset)
    {
        return m_store.notifications(userId, limit, offset);
    }

private:
    Store &m_store;
};

} // namespace natter::server
