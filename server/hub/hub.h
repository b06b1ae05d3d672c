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
#include "roomdirectory.h"

#include <QBasicTimer>
#include <QHash>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <chrono>
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
        Failed,    // the store failed; nothing acknowledged
    };
    Result result = Result::Failed;
    MessageRecord message;
    QString error;

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

    Store &store() { return m_store; }
    RoomDirectory &directory() { return *m_directory; }

    // Sessions: presence is online while a user has any attached session.
    void attach(ClientSession *session);
    void detach(ClientSession *session);
    bool isOnline(qint64 userId) const;
    QList<ClientSession *> sessionsOf(qint64 userId) const;
    int sessionCount() const;
    void closeAllSessions(); // 1001 to every session, e.g. at shutdown

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
    // or sent before they joined.
    ReceiptOutcome updateReceipt(qint64 userId, qint64 messageId, DeliveryStatus status);

    // Writes others see go through here, each with a RoomEvent to the sessions
    // concerned. Failures leave the store's lastError() to tell why.
    //
    // A new account (a member of the lobby).
    std::optional<UserRecord> registerUser(const QString &username, const QString &displayName,
                                           const QByteArray &passwordHash, UserRole role);
    // A group with its creator as the one active member.
    std::optional<RoomRecord> createGroup(const QString &name, qint64 creatorId);
    // The direct room of two users; created when missing, the initiator
    // active and the other in `otherState` (Requested for a gateway thread).
    struct DirectRoom
    {
        RoomRecord room;
        bool created = false;
    };
    std::optional<DirectRoom> openDirectRoom(qint64 initiator, qint64 other,
                                             MembershipState otherState = MembershipState::Active);
    std::optional<RoomRecord> directRoomFor(qint64 initiator, qint64 other,
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

    // For tests and benchmarks: how many group commits ran.
    qint64 commitCount() const { return m_commits; }

signals:
    void messagePosted(const natter::server::MessageRecord &message);
    void sessionCountChanged(int count);

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
        QList<MembershipRecord> members;  // as validated
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

    void scheduleFlush();
    void fanOutMessage(const MessageRecord &stored, const QueuedPost &post);
    // To the sessions of the active members among `members` that follow the room.
    void fanOutToMembers(qint64 roomId, const QList<MembershipRecord> &members,
                         const std::function<void(ClientSession *, FrameCache &)> &deliver);
    void announcePresence(qint64 userId, bool online);
    void announceRoomChange(RoomEvent::Change change, qint64 roomId, qint64 userId);
    void typingChanged(qint64 roomId, qint64 userId, bool typing);
    QHash<qint64, MarkRecord> &marksOf(qint64 roomId);

    Store &m_store;
    std::unique_ptr<RoomDirectory> m_directory;
    std::unique_ptr<TypingTracker> m_typing;
    QHash<qint64, QList<ClientSession *>> m_sessionsByUser;

    std::chrono::milliseconds m_commitWindow;
    QBasicTimer m_flushTimer;
    QList<QueuedPost> m_queuedPosts;
    QHash<QPair<qint64, qint64>, QueuedMark> m_queuedMarks; // (room, user)
    QHash<qint64, QHash<qint64, MarkRecord>> m_marks;        // room → user → mark, as committed
    qint64 m_commits = 0;
};

} // namespace natter::server
