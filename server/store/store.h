#pragma once

// The server's one conversation store (Qt Sql): SQLite by default, PostgreSQL
// when outgrown. Every statement uses bound values; every exec() is checked.
// The store knows nothing about JSON frames or dialects.

#include "databaseurl.h"
#include "records.h"
#include "storeresult.h"

#include <QHash>
#include <QObject>
#include <QSqlDatabase>

#include <memory>
#include <optional>

namespace natter::server {

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
    // Statements executed on this connection so far (BEGIN/COMMIT included):
    // for tests and benchmarks that count what an operation costs.
    qint64 statementCount() const { return m_statementCount; }

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

    // --- messages and marks -------------------------------------------
    // One row per message: the room's next seq is taken in the same statement
    // (MAX + 1 on the (room, seq) index), so seqs are gap-free. Conflict if
    // (sender, clientId) already exists (clientId non-empty; an empty one is
    // stored as NULL and never conflicts). latitude/longitude are kept for
    // locations only.
    std::optional<MessageRecord> insertMessage(const NewMessage &message);
    // Group commit: every message and mark in one transaction. Per message
    // the stored record, or nullopt where (sender, clientId) was stored
    // before (nothing written for it, no seq taken). Marks move forward only.
    // nullopt overall (lastError) when the transaction failed: nothing of it
    // is stored.
    std::optional<QList<std::optional<MessageRecord>>> commitBatch(const QList<NewMessage> &messages,
                                                                   const QList<MarkAdvance> &marks);
    std::optional<MessageRecord> messageById(qint64 id);
    std::optional<MessageRecord> messageByClientId(qint64 senderId, const QString &clientId);
    // Newest first: the page whose newest is `offset` messages below the
    // room's newest (a keyset on seq: seq <= last - offset, no SQL OFFSET).
    QList<MessageRecord> messages(qint64 roomId, int limit, int offset = 0);
    // Newest first, seq < beforeSeq (0: from the newest).
    QList<MessageRecord> messagesBefore(qint64 roomId, qint64 beforeSeq, int limit);
    // Oldest first, seq > afterSeq (catch-up after a reconnect).
    QList<MessageRecord> messagesAfter(qint64 roomId, qint64 afterSeq, int limit);
    std::optional<MessageRecord> lastMessage(qint64 roomId);
    // The newest message of each room in one query (rooms without any are absent).
    QHash<qint64, MessageRecord> lastMessages(const QList<qint64> &roomIds);
    qint64 lastSeq(qint64 roomId); // 0 for an empty room
    QHash<qint64, qint64> lastSeqs(); // room → newest seq, for every room with messages
    // The setting every node shares: the stored value, or `proposed` when
    // none was stored yet (then stored: the first node to ask sets it).
    std::optional<QString> sharedSetting(const QString &name, const QString &proposed);
    int messageCount(qint64 roomId);
    // Messages created at or after `since` in the user's active rooms (their
    // own included), and how many of those rooms had any.
    int messageCountSince(qint64 userId, const QDateTime &since);
    int activeRoomCountSince(qint64 userId, const QDateTime &since);
    // Messages created at or after `since` in one room.
    int messageCountInRoomSince(qint64 roomId, const QDateTime &since);

    // A member's mark; a member who never received anything has none (NotFound).
    std::optional<MarkRecord> mark(qint64 roomId, qint64 userId);
    QList<MarkRecord> marks(qint64 roomId); // by user id
    // Moves the mark forward to `seq` (Read also moves delivered). The mark
    // after, if it moved; nullopt if not (lastError None: nothing to move).
    std::optional<MarkRecord> advanceMark(const MarkAdvance &advance);
    // Messages from others in the room above the user's read mark, sent since
    // the user's membership began (earlier ones are not theirs to read).
    int unreadCount(qint64 roomId, qint64 userId);
    // The same for each of the user's active rooms, in one query.
    QHash<qint64, int> unreadCounts(qint64 userId);

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

signals:
    // After a committed change, for caches of the rows (the hub's directory).
    void membershipChanged(qint64 roomId, qint64 userId);
    void userChanged(qint64 userId);

private:
    class Private;
    std::unique_ptr<Private> d;
    StoreError m_lastError = StoreError::None;
    QString m_lastErrorText;
    qint64 m_statementCount = 0;
    friend class Private;
};

} // namespace natter::server
