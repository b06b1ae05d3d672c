#pragma once

// The server's one conversation store (Qt Sql): SQLite by default, PostgreSQL
// when outgrown. Every statement uses bound values; every exec() is checked.
// The store knows nothing about JSON frames or dialects.

#include "databaseurl.h"
#include "records.h"

#include <QObject>
#include <QSqlDatabase>

#include <memory>
#include <optional>

namespace natter::server {

enum class StoreError {
    None,
    Conflict, // a unique key already exists (username, membership…)
    NotFound,
    Database, // the database refused or failed; details in lastErrorText()
};

class Store : public QObject
{
    Q_OBJECT
public:
    explicit Store(QObject *parent = nullptr);
    ~Store() override;

    // Opens the database and applies pending migrations. SQLite: WAL,
    // foreign_keys=ON, synchronous=NORMAL, busy timeout (the file's directory
    // is created if missing). Fails if the schema is newer than this build.
    // Every store has its own Qt Sql connection; use it from one thread.
    bool open(const DatabaseUrl &url);
    void close();
    bool isOpen() const;
    QString driverName() const; // "QSQLITE" or "QPSQL"
    int schemaVersion() const;  // highest applied migration
    static int latestSchemaVersion();

    // Of the last call (each call resets it). A unique violation is Conflict;
    // a missing row, or one referenced by an insert (unknown user/room), is
    // NotFound. Calls returning int yield 0 on error.
    StoreError lastError() const { return m_lastError; }
    QString lastErrorText() const { return m_lastErrorText; }

    // --- users ---------------------------------------------------------
    // New users join the lobby (the group every user belongs to).
    std::optional<UserRecord> createUser(const QString &username, const QString &displayName,
                                         const QByteArray &passwordHash, UserRole role);
    std::optional<UserRecord> userById(qint64 id);
    std::optional<UserRecord> userByUuid(const QUuid &uuid);
    std::optional<UserRecord> userByName(const QString &username);
    QList<UserRecord> users();
    // Users whose username or display name contains `text` (case-insensitive;
    // SQLite folds ASCII letters only), except `excludedUserId`, by username,
    // at most `limit`. An empty text matches everyone.
    QList<UserRecord> searchUsers(const QString &text, qint64 excludedUserId, int limit);
    bool setUserRole(qint64 userId, UserRole role);
    bool setPasswordHash(qint64 userId, const QByteArray &passwordHash);
    bool setLastSeen(qint64 userId, const QDateTime &when);

    // --- auth sessions (a token is valid while its session row exists) --
    bool createSession(const QString &sessionId, qint64 userId, const QDateTime &expiresAt);
    // True while the row exists for that user and expiresAt > now.
    bool sessionIsValid(const QString &sessionId, qint64 userId, const QDateTime &now);
    // False with NotFound if there was no such session.
    bool deleteSession(const QString &sessionId);

    // --- rooms and memberships -----------------------------------------
    std::optional<RoomRecord> lobby(); // created by the first migration
    std::optional<RoomRecord> roomById(qint64 id);
    std::optional<RoomRecord> roomByUuid(const QUuid &uuid);
    // A group; the creator becomes an active member.
    std::optional<RoomRecord> createGroup(const QString &name, qint64 creatorId);
    // The direct room of two users, if it exists.
    std::optional<RoomRecord> directRoom(qint64 userA, qint64 userB);
    // Creates the direct room: `initiator` active, `other` in `otherState`.
    // Conflict if it already exists. With initiator == other it is a room
    // with oneself and a single active membership.
    std::optional<RoomRecord> createDirectRoom(qint64 initiator, qint64 other,
                                               MembershipState otherState
                                               = MembershipState::Active);
    // Insert or update one membership; `since` restarts when the state changes.
    bool setMembership(qint64 roomId, qint64 userId, MembershipState state);
    std::optional<MembershipRecord> membership(qint64 roomId, qint64 userId);
    // Ends a membership (a declined invitation); NotFound if there was none.
    bool removeMembership(qint64 roomId, qint64 userId);
    // Members of a room, optionally only those in `state`.
    QList<MembershipRecord> members(qint64 roomId,
                                    std::optional<MembershipState> state = std::nullopt);
    // Rooms the user is a member of in `state` (default: active), ordered by id.
    QList<RoomRecord> roomsOfUser(qint64 userId,
                                  MembershipState state = MembershipState::Active);
    // Ids of users who share at least one active room with `userId` (not the
    // user), ascending. The lobby does not count: everyone shares it.
    QList<qint64> contactsOf(qint64 userId);

    // --- messages and receipts -----------------------------------------
    // One transaction: the message plus a `sent` receipt per recipient (each
    // id once; the sender gets none). Conflict if (sender, clientId) already
    // exists (clientId non-empty; an empty one is stored as NULL and never
    // conflicts). latitude/longitude are kept for locations only.
    std::optional<MessageRecord> insertMessage(const NewMessage &message,
                                               const QList<qint64> &recipientIds);
    std::optional<MessageRecord> messageById(qint64 id);
    std::optional<MessageRecord> messageByClientId(qint64 senderId, const QString &clientId);
    // Newest first. `offset` skips the newest `offset` messages; limit <= 0: none.
    QList<MessageRecord> messages(qint64 roomId, int limit, int offset = 0);
    // Oldest first, id > afterId (catch-up after a reconnect).
    QList<MessageRecord> messagesAfter(qint64 roomId, qint64 afterId, int limit);
    std::optional<MessageRecord> lastMessage(qint64 roomId);
    int messageCount(qint64 roomId);
    // Messages created at or after `since` in the user's active rooms (their
    // own included), and how many of those rooms had any.
    int messageCountSince(qint64 userId, const QDateTime &since);
    int activeRoomCountSince(qint64 userId, const QDateTime &since);
    // Messages created at or after `since` in one room.
    int messageCountInRoomSince(qint64 roomId, const QDateTime &since);

    std::optional<ReceiptRecord> receipt(qint64 messageId, qint64 userId);
    QList<ReceiptRecord> receipts(qint64 messageId);
    // Moves the receipt forward only (sent → delivered → read; read implies
    // delivered, so it sets delivered_at if still null). Returns the new record
    // if it changed, nullopt if not (unchanged, or no receipt: lastError()
    // tells which). Only Delivered and Read move a receipt.
    std::optional<ReceiptRecord> advanceReceipt(qint64 messageId, qint64 userId,
                                                DeliveryStatus status, const QDateTime &when);
    // Messages from others in the room whose receipt for `userId` is not read.
    // Messages without a receipt for the user (from before they joined) don't count.
    int unreadCount(qint64 roomId, qint64 userId);

    // --- notifications ---------------------------------------------------
    std::optional<NotificationRecord> addNotification(qint64 userId, const QString &type,
                                                      const QString &message,
                                                      const QJsonObject &payload);
    // Newest first.
    QList<NotificationRecord> notifications(qint64 userId, int limit, int offset);
    bool markNotificationsRead(qint64 userId);
    // The user's unread notifications of `type` whose payload names group `groupId` (e.g. the
    // invitation once it is answered).
    bool markGroupNotificationsRead(qint64 userId, const QString &type, qint64 groupId);

private:
    class Private;
    std::unique_ptr<Private> d;
    StoreError m_lastError = StoreError::None;
    QString m_lastErrorText;
    friend class Private;
};

} // namespace natter::server
