#include "hub.h"

#include "store.h"
#include "typingtracker.h"

#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcHub, "natter.server.hub")

namespace natter::server {

Hub::Hub(Store &store, std::chrono::milliseconds typingExpiry, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_typing(std::make_unique<TypingTracker>(typingExpiry))
{
    connect(m_typing.get(), &TypingTracker::changed, this, &Hub::typingChanged);
}

Hub::~Hub() = default;

void Hub::attach(ClientSession *session)
{
    QList<ClientSession *> &sessions = m_sessionsByUser[session->userId()];
    if (sessions.contains(session))
        return;
    sessions.append(session);
    if (sessions.size() == 1)
        announcePresence(session->userId(), true);
    emit sessionCountChanged(sessionCount());
}

void Hub::detach(ClientSession *session)
{
    const qint64 userId = session->userId();
    auto it = m_sessionsByUser.find(userId);
    if (it == m_sessionsByUser.end() || !it->removeOne(session))
        return;
    if (it->isEmpty()) {
        m_sessionsByUser.erase(it);
        m_typing->clearUser(userId);
        if (!m_store.setLastSeen(userId, QDateTime::currentDateTimeUtc()))
            qCWarning(lcHub) << "could not store last_seen:" << m_store.lastErrorText();
        announcePresence(userId, false);
    }
    emit sessionCountChanged(sessionCount());
}

bool Hub::isOnline(qint64 userId) const
{
    return m_sessionsByUser.contains(userId);
}

QList<ClientSession *> Hub::sessionsOf(qint64 userId) const
{
    return m_sessionsByUser.value(userId);
}

int Hub::sessionCount() const
{
    int count = 0;
    for (const auto &sessions : m_sessionsByUser)
        count += static_cast<int>(sessions.size());
    return count;
}

void Hub::closeAllSessions()
{
    QList<ClientSession *> all;
    for (const auto &sessions : std::as_const(m_sessionsByUser))
        all += sessions;
    for (ClientSession *session : std::as_const(all))
        session->closeGoingAway();
}

PostOutcome Hub::postMessage(const NewMessage &message)
{
    PostOutcome outcome;
    const bool hasContent = message.kind == MessageKind::Location || !message.body.trimmed().isEmpty();
    if (!hasContent) {
        outcome.result = PostOutcome::Result::Invalid;
        outcome.error = QStringLiteral("Message cannot be empty");
        return outcome;
    }
    const auto membership = m_store.membership(message.roomId, message.senderId);
    if (!membership || membership->state != MembershipState::Active) {
        outcome.result = PostOutcome::Result::NotMember;
        return outcome;
    }
    const QList<MembershipRecord> everyone = m_store.members(message.roomId);
    for (const MembershipRecord &member : everyone) {
        if (member.userId != message.senderId && member.state == MembershipState::Blocked) {
            outcome.result = PostOutcome::Result::Blocked;
            outcome.error = QStringLiteral("You have been blocked");
            return outcome;
        }
    }
    // A re-sent client id acknowledges the stored message and delivers nothing twice.
    if (!message.clientId.isEmpty()) {
        if (auto existing = m_store.messageByClientId(message.senderId, message.clientId)) {
            outcome.result = PostOutcome::Result::Duplicate;
            outcome.message = *existing;
            return outcome;
        }
    }

    QList<qint64> recipients;
    for (const MembershipRecord &member : everyone) {
        if (member.userId != message.senderId && member.state == MembershipState::Active)
            recipients.append(member.userId);
    }
    std::optional<MessageRecord> stored = m_store.insertMessage(message, recipients);
    if (!stored) {
        if (m_store.lastError() == StoreError::Conflict) {
            if (auto existing = m_store.messageByClientId(message.senderId, message.clientId)) {
                outcome.result = PostOutcome::Result::Duplicate;
                outcome.message = *existing;
                return outcome;
            }
        }
        qCWarning(lcHub) << "message not stored:" << m_store.lastErrorText();
        outcome.result = PostOutcome::Result::Failed;
        outcome.error = QStringLiteral("Message sending failed");
        return outcome;
    }

    // Committed: now it may be acknowledged and fanned out.
    outcome.result = PostOutcome::Result::Posted;
    outcome.message = *stored;
    m_typing->set(message.roomId, message.senderId, false);

    MessageEvent event;
    event.message = *stored;
    event.sender = m_store.userById(message.senderId).value_or(UserRecord{});
    event.room = m_store.roomById(message.roomId).value_or(RoomRecord{});
    // The members were read before the commit: no second query on the hot path.
    fanOutToMembers(message.roomId, everyone, [&event](ClientSession *session, FrameCache &frames) {
        session->deliverMessage(event, frames);
    });
    // Whoever has yet to approve the thread sees a request, not a message.
    FrameCache requestFrames;
    for (const MembershipRecord &member : everyone) {
        if (member.state != MembershipState::Requested)
            continue;
        const QList<ClientSession *> sessions = m_sessionsByUser.value(member.userId);
        for (ClientSession *session : sessions)
            session->deliverMessageRequest(event, requestFrames);
    }
    emit messagePosted(*stored);
    return outcome;
}

ReceiptOutcome Hub::updateReceipt(qint64 userId, qint64 messageId, DeliveryStatus status)
{
    const std::optional<MessageRecord> message = m_store.messageById(messageId);
    if (!message)
        return ReceiptOutcome::NotFound;
    const auto membership = m_store.membership(message->roomId, userId);
    if (!membership || membership->state != MembershipState::Active)
        return ReceiptOutcome::NotFound; // not visible to this user
    if (message->senderId == userId)
        return ReceiptOutcome::Forbidden; // nobody receipts their own message

    const QDateTime now = QDateTime::currentDateTimeUtc();
    const std::optional<ReceiptRecord> receipt =
        m_store.advanceReceipt(messageId, userId, status, now);
    if (!receipt) {
        switch (m_store.lastError()) {
        case StoreError::None:
            return ReceiptOutcome::Unchanged;
        case StoreError::NotFound:
            return ReceiptOutcome::NotFound; // joined after it was sent
        default:
            qCWarning(lcHub) << "receipt not stored:" << m_store.lastErrorText();
            return ReceiptOutcome::Failed;
        }
    }
    const StatusEvent event{messageId, message->roomId, message->senderId, userId,
                            receipt->status, now};
    fanOutToRoom(message->roomId, [&event](ClientSession *session, FrameCache &frames) {
        session->deliverStatus(event, frames);
    });
    return ReceiptOutcome::Updated;
}

std::optional<RoomRecord> Hub::directRoomFor(qint64 initiator, qint64 other,
                                             MembershipState otherState)
{
    if (auto existing = m_store.directRoom(initiator, other))
        return existing;
    if (!m_store.userById(other))
        return std::nullopt;
    auto created = m_store.createDirectRoom(initiator, other, otherState);
    if (!created && m_store.lastError() == StoreError::Conflict)
        return m_store.directRoom(initiator, other); // created meanwhile
    return created;
}

std::optional<NotificationRecord> Hub::notify(qint64 userId, const QString &type,
                                              const QString &message, const QJsonObject &payload)
{
    const auto stored = m_store.addNotification(userId, type, message, payload);
    if (!stored) {
        qCWarning(lcHub) << "notification not stored:" << m_store.lastErrorText();
        return std::nullopt;
    }
    const NotificationEvent event{*stored};
    FrameCache frames;
    const QList<ClientSession *> sessions = m_sessionsByUser.value(userId);
    for (ClientSession *session : sessions)
        session->deliverNotification(event, frames);
    return stored;
}

int Hub::broadcast(const UserRecord &sender, const QString &content)
{
    const BroadcastEvent event{sender, content, QDateTime::currentDateTimeUtc()};
    FrameCache frames;
    const auto users = m_sessionsByUser.keys();
    for (qint64 userId : users) {
        const QList<ClientSession *> sessions = m_sessionsByUser.value(userId);
        for (ClientSession *session : sessions)
            session->deliverBroadcast(event, frames);
    }
    return static_cast<int>(users.size());
}

MembershipOutcome Hub::inviteToGroup(qint64 inviterId, qint64 groupId, qint64 inviteeId)
{
    const auto group = m_store.roomById(groupId);
    const auto inviterMembership = m_store.membership(groupId, inviterId);
    if (!group || group->kind != RoomKind::Group || !inviterMembership
        || inviterMembership->state != MembershipState::Active)
        return MembershipOutcome::NotFound;
    if (group->isLobby)
        return MembershipOutcome::Forbidden; // everyone is in the lobby already
    if (!m_store.userById(inviteeId))
        return MembershipOutcome::NotFound;
    if (const auto existing = m_store.membership(groupId, inviteeId)) {
        if (existing->state == MembershipState::Active || existing->state == MembershipState::Invited)
            return MembershipOutcome::Conflict;
    }
    if (!m_store.setMembership(groupId, inviteeId, MembershipState::Invited))
        return MembershipOutcome::Failed;
    notify(inviteeId, QStringLiteral("group_invite"),
           QStringLiteral("You were invited to join group '%1'").arg(group->name),
           {{QStringLiteral("group_id"), groupId},
            {QStringLiteral("group_name"), group->name},
            {QStringLiteral("invited_by"), inviterId}});
    return MembershipOutcome::Done;
}

MembershipOutcome Hub::answerInvitation(qint64 userId, qint64 groupId, bool accept)
{
    const auto membership = m_store.membership(groupId, userId);
    if (!membership || membership->state != MembershipState::Invited)
        return MembershipOutcome::NotFound;
    const bool stored = accept ? m_store.setMembership(groupId, userId, MembershipState::Active)
                               : m_store.removeMembership(groupId, userId);
    if (!stored)
        return MembershipOutcome::Failed;
    // Answered: the invitation is no longer news on any dialect.
    if (!m_store.markGroupNotificationsRead(userId, QStringLiteral("group_invite"), groupId))
        qCWarning(lcHub) << "could not mark the invitation read:" << m_store.lastErrorText();
    return MembershipOutcome::Done;
}

MembershipOutcome Hub::setThreadState(qint64 userId, qint64 roomId, MembershipState state)
{
    const auto room = m_store.roomById(roomId);
    const auto membership = m_store.membership(roomId, userId);
    if (!room || room->kind != RoomKind::Direct || !membership)
        return MembershipOutcome::NotFound;
    if (membership->state == state)
        return MembershipOutcome::Done;
    if (!m_store.setMembership(roomId, userId, state))
        return MembershipOutcome::Failed;
    return MembershipOutcome::Done;
}

void Hub::setTyping(qint64 userId, qint64 roomId, bool typing)
{
    m_typing->set(roomId, userId, typing);
}

QList<qint64> Hub::typingUsers(qint64 roomId) const
{
    return m_typing->typingIn(roomId);
}

Hub::ViewedStatus Hub::statusFor(const MessageRecord &message, qint64 viewerId)
{
    ViewedStatus viewed;
    if (message.senderId != viewerId) {
        if (const auto receipt = m_store.receipt(message.id, viewerId))
            viewed = {receipt->status, receipt->deliveredAt, receipt->readAt};
        return viewed;
    }
    const QList<ReceiptRecord> receipts = m_store.receipts(message.id);
    if (receipts.isEmpty())
        return viewed;
    viewed.status = DeliveryStatus::Read;
    for (const ReceiptRecord &receipt : receipts) {
        viewed.status = std::min(viewed.status, receipt.status);
        viewed.deliveredAt = std::max(viewed.deliveredAt, receipt.deliveredAt);
        viewed.readAt = std::max(viewed.readAt, receipt.readAt);
    }
    if (viewed.status < DeliveryStatus::Delivered)
        viewed.deliveredAt = {};
    if (viewed.status < DeliveryStatus::Read)
        viewed.readAt = {};
    return viewed;
}

void Hub::fanOutToRoom(qint64 roomId,
                       const std::function<void(ClientSession *, FrameCache &)> &deliver)
{
    fanOutToMembers(roomId, m_store.members(roomId, MembershipState::Active), deliver);
}

void Hub::fanOutToMembers(qint64 roomId, const QList<MembershipRecord> &members,
                          const std::function<void(ClientSession *, FrameCache &)> &deliver)
{
    FrameCache frames;
    for (const MembershipRecord &member : members) {
        if (member.state != MembershipState::Active)
            continue;
        // Copy: a delivery may close a session and detach it.
        const QList<ClientSession *> sessions = m_sessionsByUser.value(member.userId);
        for (ClientSession *session : sessions) {
            if (session->followsRoom(roomId))
                deliver(session, frames);
        }
    }
}

void Hub::announcePresence(qint64 userId, bool online)
{
    PresenceEvent event;
    event.user = m_store.userById(userId).value_or(UserRecord{});
    event.online = online;
    FrameCache frames;
    for (qint64 contact : m_store.contactsOf(userId)) {
        const QList<ClientSession *> sessions = m_sessionsByUser.value(contact);
        for (ClientSession *session : sessions)
            session->deliverPresence(event, frames);
    }
}

void Hub::typingChanged(qint64 roomId, qint64 userId, bool typing)
{
    TypingEvent event;
    event.roomId = roomId;
    event.user = m_store.userById(userId).value_or(UserRecord{});
    event.typing = typing;
    event.at = QDateTime::currentDateTimeUtc();
    fanOutToRoom(roomId, [&event](ClientSession *session, FrameCache &frames) {
        session->deliverTyping(event, frames);
    });
}

} // namespace natter::server
