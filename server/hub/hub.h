#pragma once

// The domain service: every dialect's commands end here, and every event
// fans out from here to the sessions of the room's members, whatever their
// dialect. Post = validate (from memory), commit (grouped), then ack and fan out.
//
// Group commit. Posts and receipts are queued and written together: the
// queue is flushed in one transaction when the commit window
// (ServerConfig::commitWindow; 0, the default, = once the current event-loop
// pass is done) has passed since the first entry, or at once by postMessageNow(). Only after COMMIT are
// posts acknowledged (their callbacks run) and fanned out; a failed commit
// fails every post of the batch (Result::Failed) and acknowledges none.
//
// Receipts are per-(room, member) marks (MarkRecord): a receipt moves the
// reader's mark up to the message's seq; receipts queued together coalesce
// into one write per mark. A message's status is derived from the marks
// (statusFor). Status changes go to the author's sessions and the reader's
// own sessions, not to the whole room.
//
// Reads on the hot path come from memory: rooms, memberships and users from
// the RoomDirectory (kept current by the store's change signals), marks from
// the hub's own cache (every mark write goes through the hub).

#include "clientsession.h"
#include "records.h"
#include "ratelimiter.h"
#include "roomdirectory.h"
#include "storeresult.h"

#include <QBasicTimer>
#include <QDeadlineTimer>
#include <QHash>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <chrono>
#include <deque>
#include <functional>
#include <memory>

namespace natter::server {

class Store;
class TypingTracker;

struct PostOutcome
{
    enum class Result {
        Posted,    // committed and fanned out
        Duplicate, // (sender, client id) seen before: the stored message, delivered to nobody again
        NotMember, // no active membership in the room (or no such room)
        Blocked,   // the other side of a direct room blocked the sender; nothing stored
        Invalid,   // empty or malformed content; `error` says why
        RateLimited, // the sender sent more than the limit allows; nothing stored, `retryAfter` says when
        Failed,    // the store failed; nothing acknowledged
    };
    Result result = Result::Failed;
    MessageRecord message;
    QString error;
    std::chrono::milliseconds retryAfter{0}; // RateLimited: when the next one will be taken

    bool accepted() const { return result == Result::Posted || result == Result::Duplicate; }
};

enum class ReceiptOutcome { Updated, Unchanged, NotFound, Forbidden, Failed };
enum class MembershipOutcome { Done, NotFound, Forbidden, Conflict, Failed };

class Hub : public QObject
{
    Q_OBJECT
public:
    using PostDone = std::function<void(const PostOutcome &)>;

    Hub(Store &store, std::chrono::milliseconds typingExpiry,
        std::chrono::milliseconds commitWindow = std::chrono::milliseconds(0), QObject *parent = nullptr);
    ~Hub() override;

    RoomDirectory &directory() { return *m_directory; }

    // Sessions: presence is online while a user has any attached session.
    void attach(ClientSession *session);
    void detach(ClientSession *session);
    bool isOnline(qint64 userId) const; // here or, with several nodes, on any
    QSet<qint64> usersHere() const; // with a session on this node
    QList<ClientSession *> sessionsOf(qint64 userId) const;
    int sessionCount() const;
    void closeAllSessions(); // 1001 to every session, e.g. at shutdown

    // Which rooms an attached session follows: room events (messages,
    // typing) walk the room's followers only, not its members, so a room of
    // ten thousand with three online costs three. A follow ends with
    // unfollow() or detach(). The session's followsRoom() still has the last
    // word; a follower must be an active member to be told anything.
    void follow(ClientSession *session, qint64 roomId);
    void unfollow(ClientSession *session, qint64 roomId);
    // Every room the session's user is an active member of, now and as
    // memberships change (dialects that carry all of a user's rooms).
    void followMemberRooms(ClientSession *session);
    // Sessions following the room now (tests).
    int followerCount(qint64 roomId) const { return int(m_followers.value(roomId).size()); }

    // At most `perSecond` messages a second per user (all their connections and
    // doors together), `burst` of them at once; 0: no limit (the default).
    void setSendLimit(double perSecond, int burst);

    // Queues the message for the next group commit. `done` runs once: at once
    // for what fails validation, after the commit otherwise, and only while
    // `context` lives. The fan-out marks the event with `origin` (the posting
    // session) so a dialect can tell its own echo.
    void postMessage(const NewMessage &message, const ClientSession *origin, QObject *context, PostDone done);
    // The same, committed before it returns (REST, tools, tests).
    PostOutcome postMessageNow(const NewMessage &message);
    // Runs `answer` after everything `origin` has queued so far is answered
    // (at once when nothing is queued): for dialects that answer in request
    // order (chats has no client ids), an early refusal waits its turn.
    void answerInOrder(const ClientSession *origin, QObject *context, std::function<void()> answer);
    // Commits whatever is queued now.
    void flush();

    // A recipient's receipt moves their mark forward (queued; written with the
    // next group commit). NotFound: no such message, not visible to the user,
    // sent before they joined, or (inRoom != 0) not in that room. Recent
    // messages are known from memory; only a receipt for an old one reads SQL.
    ReceiptOutcome updateReceipt(qint64 userId, qint64 messageId, DeliveryStatus status, qint64 inRoom = 0);

    // Writes others see go through here, each with a RoomEvent to the sessions
    // concerned. A failed write says why in its result.
    //
    // A new account (a member of the lobby). Conflict: the username is taken.
    StoreResult<UserRecord> registerUser(const QString &username, const QString &displayName,
                                           const QByteArray &passwordHash, UserRole role);
    // A group with its creator as the one active member.
    StoreResult<RoomRecord> createGroup(const QString &name, qint64 creatorId);
    // The direct room of two users; created when missing, the initiator
    // active and the other in `otherState` (Requested for a gateway thread).
    struct DirectRoom
    {
        RoomRecord room;
        bool created = false;
    };
    // NotFound: no such other user.
    StoreResult<DirectRoom> openDirectRoom(qint64 initiator, qint64 other,
                                           MembershipState otherState = MembershipState::Active);
    StoreResult<RoomRecord> directRoomFor(qint64 initiator, qint64 other,
                                          MembershipState otherState = MembershipState::Active);

    // Stores a notification and pushes it to the user's sessions.
    std::optional<NotificationRecord> notify(qint64 userId, const QString &type,
                                             const QString &message, const QJsonObject &payload);
    bool markNotificationsRead(qint64 userId);
    // To every connected session; not stored. Returns how many users it reached.
    int broadcast(const UserRecord &sender, const QString &content);

    // Group invitations: the inviter must be an active member of the group
    // (not the lobby); the invitee gets an `invited` membership and a
    // `group_invite` notification. Accept makes it active, decline removes it.
    MembershipOutcome inviteToGroup(qint64 inviterId, qint64 groupId, qint64 inviteeId);
    MembershipOutcome answerInvitation(qint64 userId, qint64 groupId, bool accept);

    // A message request (direct room where `userId` is `requested`) approved
    // (active) or blocked. `userId` must be the requested side.
    MembershipOutcome setThreadState(qint64 userId, qint64 roomId, MembershipState state);

    // Typing ends by itself unless refreshed within the expiry.
    void setTyping(qint64 userId, qint64 roomId, bool typing);
    QList<qint64> typingUsers(qint64 roomId) const;

    // The status a message has for the user looking at it: from the viewer's
    // own mark for others' messages; for their own, the least advanced mark
    // among the room's other active members (a direct room: the other one's).
    struct ViewedStatus
    {
        DeliveryStatus status = DeliveryStatus::Sent;
        QDateTime deliveredAt;
        QDateTime readAt;
    };
    ViewedStatus statusFor(const MessageRecord &message, qint64 viewerId);
    // A member's mark as committed (zeros when they have none), and the least
    // advanced mark among the room's other active members: what the status of
    // the viewer's own messages derives from (nullopt when nobody else is in).
    MarkRecord markOf(qint64 roomId, qint64 userId);
    std::optional<MarkRecord> othersMark(qint64 roomId, qint64 viewerId);

    // For tests and benchmarks: how many group commits ran.
    qint64 commitCount() const { return m_commits; }

    // ---- several nodes (ClusterRelay) ----------------------------------------------
    // What other nodes committed or saw, delivered to this node's sessions as
    // if it had happened here. Nothing is written: the other node did that.
    //
    // Per-room order: with ordered delivery on, messages reach sessions in
    // seq order only. A message whose predecessors were not heard of yet
    // (seqs are given in commit order, so they are committed) brings them
    // from the database first; one heard of again later is not delivered
    // twice. `delivered` is each room's last seq when the node starts.
    void deliverInSeqOrder(QHash<qint64, qint64> delivered);
    void deliverRemoteMessage(const MessageRecord &message);
    void deliverRemoteMarks(const QList<MarkRecord> &marks, const QList<StatusEvent> &events);
    void deliverRoomChange(RoomEvent::Change change, qint64 roomId, qint64 userId);
    void deliverRemoteTyping(qint64 roomId, qint64 userId, bool typing);
    void deliverNotification(const NotificationRecord &notification);
    void deliverBroadcast(const BroadcastEvent &event);
    // A membership or user another node changed: the directory reads it again.
    void membershipChangedElsewhere(qint64 roomId, qint64 userId);
    void userChangedElsewhere(qint64 userId);
    // Whether the user has a session on another node.
    void setOnlineElsewhere(qint64 userId, bool online);
    // After a time without news from the other nodes: caches are read again
    // and every message committed meanwhile is delivered in order.
    void resynchronise();
    // Messages committed but never heard of (a node died between its commit
    // and its publish), delivered in order now.
    void catchUpFromDatabase();

signals:
    // Committed on this node (not for messages other nodes committed).
    void messagePosted(const natter::server::MessageRecord &message);
    void sessionCountChanged(int count);
    // Changes made on this node, for the other nodes (ClusterRelay).
    void marksCommitted(const QList<natter::server::MarkRecord> &marks,
                        const QList<natter::server::StatusEvent> &events);
    void roomChanged(natter::server::RoomEvent::Change change, qint64 roomId, qint64 userId);
    void typingChangedHere(qint64 roomId, qint64 userId, bool typing);
    // The user's first session on this node came or the last one went.
    void presenceChangedHere(qint64 userId, bool online);
    void notified(const natter::server::NotificationRecord &notification);
    void broadcasted(const natter::server::BroadcastEvent &event);

protected:
    void timerEvent(QTimerEvent *event) override;

private:
    struct QueuedPost
    {
        NewMessage message;
        const ClientSession *origin = nullptr;
        QPointer<QObject> context;
        bool hasContext = false; // a null context means "no guard", not "gone"
        PostDone done;
        std::optional<PostOutcome> decided; // refused before the commit: answered in its turn only
    };
    bool hasQueued(const ClientSession *origin) const;
    void queueDecided(const ClientSession *origin, QObject *context, PostOutcome outcome, PostDone done);
    struct QueuedMark
    {
        qint64 deliveredSeq = 0;
        qint64 readSeq = 0;
        QList<StatusEvent> events; // sent after the commit
    };

    // What a receipt needs of a message, for the newest messages posted here.
    struct RecentMessage
    {
        qint64 roomId = 0;
        qint64 seq = 0;
        qint64 senderId = 0;
        QDateTime createdAt;
    };
    static constexpr qsizetype recentMessagesKept = 16384;
    void remember(const MessageRecord &message);
    std::optional<RecentMessage> recentMessage(qint64 messageId);

    void scheduleFlush();
    // Through the seq gate when it is on (deliverInSeqOrder), then fanOutMessage.
    void deliverCommitted(const MessageRecord &stored, const ClientSession *origin);
    void fanOutMessage(const MessageRecord &stored, const ClientSession *origin);
    void deliverStatusEvents(const QList<StatusEvent> &events);
    // To the room's followers that are active members and follow it.
    void fanOutToFollowers(qint64 roomId, const std::function<void(ClientSession *, FrameCache &)> &deliver);
    void followedMembershipChanged(qint64 roomId, qint64 userId);
    void unfollowAll(ClientSession *session);
    void announcePresence(qint64 userId, bool online);
    void announceRoomChange(RoomEvent::Change change, qint64 roomId, qint64 userId);
    void typingChanged(qint64 roomId, qint64 userId, bool typing);
    QHash<qint64, MarkRecord> &marksOf(qint64 roomId);
    // The membership as the directory has it; with several nodes read again first.
    std::optional<MembershipRecord> membershipRechecked(qint64 roomId, qint64 userId);

    Store &m_store;
    std::unique_ptr<RoomDirectory> m_directory;
    std::unique_ptr<TypingTracker> m_typing;
    RateLimiter m_sendLimit{0, 1};
    QHash<qint64, QList<ClientSession *>> m_sessionsByUser;
    QHash<qint64, QList<ClientSession *>> m_followers;         // room → sessions following it
    QHash<const ClientSession *, QList<qint64>> m_followed;    // session → rooms it follows
    QHash<qint64, QList<ClientSession *>> m_memberRoomFollowers; // user → sessions following all their rooms
    QHash<qint64, RecentMessage> m_recent;                      // message id → what receipts need
    std::deque<qint64> m_recentOrder;                            // oldest first, for eviction

    std::chrono::milliseconds m_commitWindow;
    QBasicTimer m_flushTimer;
    QList<QueuedPost> m_queuedPosts;
    QHash<QPair<qint64, qint64>, QueuedMark> m_queuedMarks; // (room, user)
    QHash<qint64, QHash<qint64, MarkRecord>> m_marks;        // room → user → mark, as committed
    qint64 m_commits = 0;

    // Several nodes: seqs delivered per room (when ordered), users with a
    // session on another node, typing that another node reported.
    bool m_seqOrdered = false; // true exactly when this node is one of several
    QHash<qint64, qint64> m_deliveredSeq;
    QSet<qint64> m_onlineElsewhere;
    QSet<QPair<qint64, qint64>> m_typingElsewhere; // (room, user)
    QHash<QPair<qint64, qint64>, QDeadlineTimer> m_typingRefreshes; // typing here: when to tell the others again
    std::chrono::milliseconds m_typingExpiry;
    bool m_applyingRemoteTyping = false;
};

} // namespace natter::server
