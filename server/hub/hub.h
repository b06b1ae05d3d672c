#pragma once

// The domain service: every dialect's commands end here, and every event
// fans out from here to the sessions of the room's members, whatever their
// dialect. Post = validate, commit, then ack and fan out.

#include "clientsession.h"
#include "records.h"

#include <QHash>
#include <QObject>
#include <QSet>
#include <chrono>
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
    Hub(Store &store, std::chrono::milliseconds typingExpiry, QObject *parent = nullptr);
    ~Hub() override;

    Store &store() { return m_store; }

    // Sessions: presence is online while a user has any attached session.
    void attach(ClientSession *session);
    void detach(ClientSession *session);
    bool isOnline(qint64 userId) const;
    QList<ClientSession *> sessionsOf(qint64 userId) const;
    int sessionCount() const;
    void closeAllSessions(); // 1001 to every session, e.g. at shutdown

    PostOutcome postMessage(const NewMessage &message);

    // A recipient's receipt moves forward; the room's sessions see the change.
    ReceiptOutcome updateReceipt(qint64 userId, qint64 messageId, DeliveryStatus status);

    // The direct room of two users; created when missing, the initiator
    // active and the other in `otherState` (Requested for a gateway thread).
    std::optional<RoomRecord> directRoomFor(qint64 initiator, qint64 other,
                                            MembershipState otherState = MembershipState::Active);

    // Stores a notification and pushes it to the user's sessions.
    std::optional<NotificationRecord> notify(qint64 userId, const QString &type,
                                             const QString &message, const QJsonObject &payload);
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

    // The status a message has for the user looking at it: the viewer's own
    // receipt for others' messages, the least advanced recipient's for their own.
    struct ViewedStatus
    {
        DeliveryStatus status = DeliveryStatus::Sent;
        QDateTime deliveredAt;
        QDateTime readAt;
    };
    ViewedStatus statusFor(const MessageRecord &message, qint64 viewerId);

signals:
    void messagePosted(const natter::server::MessageRecord &message);
    void sessionCountChanged(int count);

private:
    void fanOutToRoom(qint64 roomId, const std::function<void(ClientSession *, FrameCache &)> &deliver);
    // To the sessions of the active members among `members` that follow the room.
    void fanOutToMembers(qint64 roomId, const QList<MembershipRecord> &members,
                         const std::function<void(ClientSession *, FrameCache &)> &deliver);
    void announcePresence(qint64 userId, bool online);
    void typingChanged(qint64 roomId, qint64 userId, bool typing);

    Store &m_store;
    std::unique_ptr<TypingTracker> m_typing;
    QHash<qint64, QList<ClientSession *>> m_sessionsByUser;
};

} // namespace natter::server
