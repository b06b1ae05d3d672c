#include "hub.h"

#include "roomdirectory.h"
#include "store.h"
#include "typingtracker.h"

#include <QLoggingCategory>
#include <QScopedValueRollback>
#include <QTimerEvent>

Q_LOGGING_CATEGORY(lcHub, "natter.server.hub")

namespace natter::server {

Hub::Hub(Store &store, std::chrono::milliseconds typingExpiry, std::chrono::milliseconds commitWindow,
         QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_directory(std::make_unique<RoomDirectory>(store))
    , m_typing(std::make_unique<TypingTracker>(typingExpiry))
    , m_commitWindow(commitWindow)
    , m_typingExpiry(typingExpiry)
{
    connect(m_typing.get(), &TypingTracker::changed, this, &Hub::typingChanged);
    // After the directory's own connection (made first): it is current by then.
    connect(&m_store, &Store::membershipChanged, this, &Hub::followedMembershipChanged);
}

Hub::~Hub()
{
    // What was accepted is still written; the sessions are gone or going.
    m_sessionsByUser.clear();
    flush();
}

void Hub::attach(ClientSession *session)
{
    QList<ClientSession *> &sessions = m_sessionsByUser[session->userId()];
    if (sessions.contains(session))
        return;
    sessions.append(session);
    if (sessions.size() == 1) {
        emit presenceChangedHere(session->userId(), true);
        if (!m_onlineElsewhere.contains(session->userId()))
            announcePresence(session->userId(), true);
    }
    emit sessionCountChanged(sessionCount());
}

void Hub::detach(ClientSession *session)
{
    // A queued post keeps its place (it is written), but its origin is gone.
    for (QueuedPost &post : m_queuedPosts) {
        if (post.origin == session)
            post.origin = nullptr;
    }
    unfollowAll(session);
    const qint64 userId = session->userId();
    auto it = m_sessionsByUser.find(userId);
    if (it == m_sessionsByUser.end() || !it->removeOne(session))
        return;
    if (it->isEmpty()) {
        m_sessionsByUser.erase(it);
        m_typing->clearUser(userId);
        if (!m_store.setLastSeen(userId, QDateTime::currentDateTimeUtc()))
            qCWarning(lcHub) << "could not store last_seen:" << m_store.lastErrorText();
        emit presenceChangedHere(userId, false);
        if (!m_onlineElsewhere.contains(userId))
            announcePresence(userId, false);
    }
    emit sessionCountChanged(sessionCount());
}

bool Hub::isOnline(qint64 userId) const
{
    return m_sessionsByUser.contains(userId) || m_onlineElsewhere.contains(userId);
}

QSet<qint64> Hub::usersHere() const
{
    QSet<qint64> users;
    users.reserve(m_sessionsByUser.size());
    for (auto it = m_sessionsByUser.cbegin(); it != m_sessionsByUser.cend(); ++it)
        users.insert(it.key());
    return users;
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
    flush();
    QList<ClientSession *> all;
    for (const auto &sessions : std::as_const(m_sessionsByUser))
        all += sessions;
    for (ClientSession *session : std::as_const(all))
        session->closeGoingAway();
}

// ---- who follows which room ----------------------------------------------------

void Hub::follow(ClientSession *session, qint64 roomId)
{
    if (!m_sessionsByUser.value(session->userId()).contains(session))
        return; // only attached sessions: detach() is where a follow ends
    QList<qint64> &rooms = m_followed[session];
    if (rooms.contains(roomId))
        return;
    rooms.append(roomId);
    m_followers[roomId].append(session);
}

void Hub::unfollow(ClientSession *session, qint64 roomId)
{
    auto rooms = m_followed.find(session);
    if (rooms == m_followed.end() || !rooms->removeOne(roomId))
        return;
    if (rooms->isEmpty())
        m_followed.erase(rooms);
    auto followers = m_followers.find(roomId);
    followers->removeOne(session);
    if (followers->isEmpty())
        m_followers.erase(followers);
}

void Hub::followMemberRooms(ClientSession *session)
{
    if (!m_sessionsByUser.value(session->userId()).contains(session))
        return;
    QList<ClientSession *> &whole = m_memberRoomFollowers[session->userId()];
    if (whole.contains(session))
        return;
    whole.append(session);
    for (const RoomRecord &room : m_store.roomsOfUser(session->userId()))
        follow(session, room.id);
}

void Hub::followedMembershipChanged(qint64 roomId, qint64 userId)
{
    const QList<ClientSession *> sessions = m_memberRoomFollowers.value(userId);
    if (sessions.isEmpty())
        return;
    const auto membership = m_directory->membership(roomId, userId);
    const bool active = membership && membership->state == MembershipState::Active;
    for (ClientSession *session : sessions) {
        if (active)
            follow(session, roomId);
        else
            unfollow(session, roomId);
    }
}

void Hub::unfollowAll(ClientSession *session)
{
    const QList<qint64> rooms = m_followed.take(session);
    for (qint64 roomId : rooms) {
        auto followers = m_followers.find(roomId);
        followers->removeOne(session);
        if (followers->isEmpty())
            m_followers.erase(followers);
    }
    auto whole = m_memberRoomFollowers.find(session->userId());
    if (whole != m_memberRoomFollowers.end() && whole->removeOne(session) && whole->isEmpty())
        m_memberRoomFollowers.erase(whole);
}

// ---- posting ----------------------------------------------------------------

bool Hub::hasQueued(const ClientSession *origin) const
{
    return origin && std::any_of(m_queuedPosts.cbegin(), m_queuedPosts.cend(),
                                 [origin](const QueuedPost &post) { return post.origin == origin; });
}

void Hub::queueDecided(const ClientSession *origin, QObject *context, PostOutcome outcome, PostDone done)
{
    if (!hasQueued(origin))
        return done(outcome);
    m_queuedPosts.append({{}, origin, context, context != nullptr, std::move(done), std::move(outcome)});
}

void Hub::answerInOrder(const ClientSession *origin, QObject *context, std::function<void()> answer)
{
    queueDecided(origin, context, {}, [answer = std::move(answer)](const PostOutcome &) { answer(); });
}

void Hub::postMessage(const NewMessage &message, const ClientSession *origin, QObject *context, PostDone done)
{
    PostOutcome outcome;
    const bool hasContent = message.kind == MessageKind::Location || !message.body.trimmed().isEmpty();
    if (!hasContent) {
        outcome.result = PostOutcome::Result::Invalid;
        outcome.error = QStringLiteral("Message cannot be empty");
        return queueDecided(origin, context, outcome, std::move(done));
    }
    if (!m_sendLimit.take(message.senderId)) {
        outcome.result = PostOutcome::Result::RateLimited;
        outcome.retryAfter = std::max(m_sendLimit.retryAfter(message.senderId), std::chrono::milliseconds(1));
        outcome.error = QStringLiteral("Too many messages: wait %1 ms").arg(outcome.retryAfter.count());
        return queueDecided(origin, context, outcome, std::move(done));
    }
    const QList<MembershipRecord> members = m_directory->members(message.roomId);
    bool active = false;
    for (const MembershipRecord &member : members) {
        if (member.userId == message.senderId) {
            active = member.state == MembershipState::Active;
        } else if (member.state == MembershipState::Blocked) {
            outcome.result = PostOutcome::Result::Blocked;
            outcome.error = QStringLiteral("You have been blocked");
            return queueDecided(origin, context, outcome, std::move(done));
        }
    }
    if (!active && m_seqOrdered) {
        const auto current = membershipRechecked(message.roomId, message.senderId);
        active = current && current->state == MembershipState::Active;
    }
    if (!active) {
        outcome.result = PostOutcome::Result::NotMember;
        return queueDecided(origin, context, outcome, std::move(done));
    }
    m_queuedPosts.append({message, origin, context, context != nullptr, std::move(done), std::nullopt});
    scheduleFlush();
}

void Hub::setSendLimit(double perSecond, int burst)
{
    m_sendLimit = RateLimiter(perSecond, burst);
}

PostOutcome Hub::postMessageNow(const NewMessage &message)
{
    PostOutcome outcome;
    bool finished = false;
    postMessage(message, nullptr, nullptr, [&](const PostOutcome &result) {
        outcome = result;
        finished = true;
    });
    if (!finished)
        flush();
    return outcome;
}

void Hub::scheduleFlush()
{
    if (!m_flushTimer.isActive())
        m_flushTimer.start(int(m_commitWindow.count()), Qt::PreciseTimer, this);
}

void Hub::timerEvent(QTimerEvent *event)
{
    if (event->timerId() != m_flushTimer.timerId())
        return QObject::timerEvent(event);
    flush();
}

void Hub::flush()
{
    m_flushTimer.stop();
    if (m_queuedPosts.isEmpty() && m_queuedMarks.isEmpty())
        return;
    // Take the queue first: callbacks and fan-out may post again (next batch).
    const QList<QueuedPost> posts = std::exchange(m_queuedPosts, {});
    const auto marks = std::exchange(m_queuedMarks, {});

    QList<NewMessage> messages;
    messages.reserve(posts.size());
    for (const QueuedPost &post : posts) {
        if (!post.decided)
            messages.append(post.message);
    }
    QList<MarkAdvance> advances;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    for (auto it = marks.cbegin(); it != marks.cend(); ++it) {
        const auto [roomId, userId] = it.key();
        if (it->readSeq > 0)
            advances.append({roomId, userId, DeliveryStatus::Read, it->readSeq, now});
        if (it->deliveredSeq > it->readSeq)
            advances.append({roomId, userId, DeliveryStatus::Delivered, it->deliveredSeq, now});
    }

    ++m_commits;
    const auto stored = m_store.commitBatch(messages, advances);
    if (!stored) {
        qCWarning(lcHub) << "group commit failed:" << m_store.lastErrorText() << "-" << posts.size()
                         << "messages not acknowledged";
        PostOutcome failed;
        failed.result = PostOutcome::Result::Failed;
        failed.error = QStringLiteral("Message sending failed");
        for (const QueuedPost &post : posts) {
            if (!post.hasContext || post.context)
                post.done(post.decided.value_or(failed));
        }
        return; // the marks stay where they were; a receipt sent again moves them
    }

    // Committed: the marks' cache, then acks and fan-out.
    QList<MarkRecord> movedMarks;
    QList<StatusEvent> statusEvents;
    for (auto it = marks.cbegin(); it != marks.cend(); ++it) {
        const auto [roomId, userId] = it.key();
        MarkRecord &mark = marksOf(roomId)[userId];
        mark.roomId = roomId;
        mark.userId = userId;
        const qint64 delivered = std::max({mark.deliveredUpTo, it->deliveredSeq, it->readSeq});
        if (delivered > mark.deliveredUpTo) {
            mark.deliveredUpTo = delivered;
            mark.deliveredAt = now;
        }
        if (it->readSeq > mark.readUpTo) {
            mark.readUpTo = it->readSeq;
            mark.readAt = now;
        }
        movedMarks.append(mark);
        statusEvents += it->events;
    }
    if (!movedMarks.isEmpty()) {
        deliverStatusEvents(statusEvents);
        emit marksCommitted(movedMarks, statusEvents);
    }
    qsizetype row = 0;
    for (const QueuedPost &post : posts) {
        PostOutcome outcome;
        if (post.decided) {
            outcome = *post.decided;
        } else if (const auto &record = stored->at(row++)) {
            outcome.result = PostOutcome::Result::Posted;
            outcome.message = *record;
            m_typing->set(post.message.roomId, post.message.senderId, false);
            deliverCommitted(outcome.message, post.origin);
            emit messagePosted(outcome.message);
        } else if (auto existing = m_store.messageByClientId(post.message.senderId, post.message.clientId)) {
            // A re-sent client id acknowledges the stored message and delivers nothing twice.
            outcome.result = PostOutcome::Result::Duplicate;
            outcome.message = *existing;
        } else {
            outcome.result = PostOutcome::Result::Failed;
            outcome.error = QStringLiteral("Message sending failed");
        }
        if (!post.hasContext || post.context)
            post.done(outcome);
    }
}

void Hub::deliverStatusEvents(const QList<StatusEvent> &events)
{
    for (const StatusEvent &event : events) {
        FrameCache frames;
        for (qint64 to : {event.authorId, event.updatedBy}) {
            const QList<ClientSession *> sessions = m_sessionsByUser.value(to);
            for (ClientSession *session : sessions) {
                if (session->followsRoom(event.roomId))
                    session->deliverStatus(event, frames);
            }
        }
    }
}

void Hub::deliverCommitted(const MessageRecord &stored, const ClientSession *origin)
{
    if (!m_seqOrdered) {
        remember(stored);
        return fanOutMessage(stored, origin);
    }
    qint64 &delivered = m_deliveredSeq[stored.roomId];
    if (stored.seq <= delivered)
        return; // brought from the database to fill a gap already
    if (stored.seq > delivered + 1) {
        // Committed before this one (a seq is taken under the room's lock) on
        // another node, not heard of yet: from the database, in order, a page
        // at a time. A very long gap (the bus was away for long) brings its
        // newest messages; clients catch up on the rest by seq.
        constexpr qint64 longestGap = 10'000;
        constexpr int page = 500;
        qint64 after = std::max(delivered, stored.seq - 1 - longestGap);
        while (after < stored.seq - 1) {
            const QList<MessageRecord> missing
                = m_store.messagesAfter(stored.roomId, after, int(std::min<qint64>(page, stored.seq - 1 - after)));
            const qint64 before = after;
            for (const MessageRecord &earlier : missing) {
                if (earlier.seq <= after || earlier.seq >= stored.seq)
                    break;
                remember(earlier);
                fanOutMessage(earlier, nullptr);
                after = earlier.seq;
            }
            if (after == before)
                break; // the database failed: what is missing is caught up by seq
        }
    }
    m_deliveredSeq[stored.roomId] = stored.seq; // the reference may be stale after fan-out
    remember(stored);
    fanOutMessage(stored, origin);
}

void Hub::fanOutMessage(const MessageRecord &stored, const ClientSession *origin)
{
    MessageEvent event;
    event.message = stored;
    event.sender = m_directory->user(stored.senderId).value_or(UserRecord{});
    event.room = m_directory->room(stored.roomId).value_or(RoomRecord{});
    event.origin = origin;
    fanOutToFollowers(stored.roomId, [&event](ClientSession *session, FrameCache &frames) {
        session->deliverMessage(event, frames);
    });
    // Whoever has yet to approve the thread sees a request, not a message.
    FrameCache requestFrames;
    const QList<MembershipRecord> members = m_directory->members(stored.roomId);
    for (const MembershipRecord &member : members) {
        if (member.state != MembershipState::Requested)
            continue;
        const QList<ClientSession *> sessions = m_sessionsByUser.value(member.userId);
        for (ClientSession *session : sessions)
            session->deliverMessageRequest(event, requestFrames);
    }
}

// ---- receipts -----------------------------------------------------------------

QHash<qint64, MarkRecord> &Hub::marksOf(qint64 roomId)
{
    auto it = m_marks.find(roomId);
    if (it != m_marks.end())
        return it.value();
    QHash<qint64, MarkRecord> marks;
    for (const MarkRecord &mark : m_store.marks(roomId))
        marks.insert(mark.userId, mark);
    return m_marks.insert(roomId, marks).value();
}

MarkRecord Hub::markOf(qint64 roomId, qint64 userId)
{
    MarkRecord mark = marksOf(roomId).value(userId);
    mark.roomId = roomId;
    mark.userId = userId;
    return mark;
}

std::optional<MarkRecord> Hub::othersMark(qint64 roomId, qint64 viewerId)
{
    const QHash<qint64, MarkRecord> &marks = marksOf(roomId);
    std::optional<MarkRecord> least;
    for (const MembershipRecord &member : m_directory->members(roomId)) {
        if (member.userId == viewerId || member.state != MembershipState::Active)
            continue;
        const MarkRecord theirs = marks.value(member.userId);
        if (!least) {
            least = theirs;
            least->roomId = roomId;
            least->userId = 0;
            continue;
        }
        least->deliveredUpTo = std::min(least->deliveredUpTo, theirs.deliveredUpTo);
        least->readUpTo = std::min(least->readUpTo, theirs.readUpTo);
    }
    return least;
}

void Hub::remember(const MessageRecord &message)
{
    m_recent.insert(message.id, {message.roomId, message.seq, message.senderId, message.createdAt});
    m_recentOrder.push_back(message.id);
    if (qsizetype(m_recentOrder.size()) > recentMessagesKept) {
        m_recent.remove(m_recentOrder.front());
        m_recentOrder.pop_front();
    }
}

std::optional<Hub::RecentMessage> Hub::recentMessage(qint64 messageId)
{
    if (const auto it = m_recent.constFind(messageId); it != m_recent.constEnd())
        return *it;
    const std::optional<MessageRecord> stored = m_store.messageById(messageId); // an old one
    if (!stored)
        return std::nullopt;
    return RecentMessage{stored->roomId, stored->seq, stored->senderId, stored->createdAt};
}

ReceiptOutcome Hub::updateReceipt(qint64 userId, qint64 messageId, DeliveryStatus status, qint64 inRoom)
{
    if (status != DeliveryStatus::Delivered && status != DeliveryStatus::Read)
        return ReceiptOutcome::Unchanged;
    const std::optional<RecentMessage> message = recentMessage(messageId);
    if (!message)
        return m_store.lastError() == StoreError::NotFound ? ReceiptOutcome::NotFound : ReceiptOutcome::Failed;
    if (inRoom != 0 && message->roomId != inRoom)
        return ReceiptOutcome::NotFound;
    auto membership = m_directory->membership(message->roomId, userId);
    if ((!membership || membership->state != MembershipState::Active) && m_seqOrdered)
        membership = membershipRechecked(message->roomId, userId);
    if (!membership || membership->state != MembershipState::Active)
        return ReceiptOutcome::NotFound; // not visible to this user
    if (message->senderId == userId)
        return ReceiptOutcome::Forbidden; // nobody receipts their own message
    if (message->createdAt < membership->since)
        return ReceiptOutcome::NotFound; // sent before they joined: not theirs to receipt

    const MarkRecord committed = marksOf(message->roomId).value(userId);
    QueuedMark &queued = m_queuedMarks[{message->roomId, userId}];
    const qint64 deliveredNow = std::max({committed.deliveredUpTo, queued.deliveredSeq, queued.readSeq});
    const qint64 readNow = std::max(committed.readUpTo, queued.readSeq);
    const bool moves = status == DeliveryStatus::Read ? message->seq > readNow : message->seq > deliveredNow;
    if (!moves) {
        if (queued.deliveredSeq == 0 && queued.readSeq == 0)
            m_queuedMarks.remove({message->roomId, userId});
        return ReceiptOutcome::Unchanged;
    }
    if (status == DeliveryStatus::Read)
        queued.readSeq = message->seq;
    else
        queued.deliveredSeq = message->seq;
    queued.events.append({messageId, message->roomId, message->seq, message->senderId, userId, status,
                          QDateTime::currentDateTimeUtc()});
    scheduleFlush();
    return ReceiptOutcome::Updated;
}

Hub::ViewedStatus Hub::statusFor(const MessageRecord &message, qint64 viewerId)
{
    ViewedStatus viewed;
    const QHash<qint64, MarkRecord> &marks = marksOf(message.roomId);
    auto fromMark = [&message](const MarkRecord &mark) {
        ViewedStatus status;
        status.status = mark.statusOf(message.seq);
        if (status.status >= DeliveryStatus::Delivered)
            status.deliveredAt = mark.deliveredAt;
        if (status.status == DeliveryStatus::Read)
            status.readAt = mark.readAt;
        return status;
    };
    if (message.senderId != viewerId)
        return fromMark(marks.value(viewerId));
    // Our own: the least advanced of those who were members when it was sent.
    bool anyone = false;
    viewed.status = DeliveryStatus::Read;
    for (const MembershipRecord &member : m_directory->members(message.roomId)) {
        if (member.userId == viewerId || member.state != MembershipState::Active || member.since > message.createdAt)
            continue;
        anyone = true;
        const ViewedStatus theirs = fromMark(marks.value(member.userId));
        viewed.status = std::min(viewed.status, theirs.status);
        viewed.deliveredAt = std::max(viewed.deliveredAt, theirs.deliveredAt);
        viewed.readAt = std::max(viewed.readAt, theirs.readAt);
    }
    if (!anyone)
        return {};
    if (viewed.status < DeliveryStatus::Delivered)
        viewed.deliveredAt = {};
    if (viewed.status < DeliveryStatus::Read)
        viewed.readAt = {};
    return viewed;
}

// ---- rooms, memberships, notifications ------------------------------------------

StoreResult<UserRecord> Hub::registerUser(const QString &username, const QString &displayName,
                                          const QByteArray &passwordHash, UserRole role)
{
    auto user = m_store.createUser(username, displayName, passwordHash, role);
    if (!user)
        return StoreResult<UserRecord>::failure(m_store.lastError(), m_store.lastErrorText());
    if (const auto lobby = m_directory->lobby())
        announceRoomChange(RoomEvent::Change::Membership, lobby->id, user->id);
    return *user;
}

StoreResult<RoomRecord> Hub::createGroup(const QString &name, qint64 creatorId)
{
    auto group = m_store.createGroup(name, creatorId);
    if (!group)
        return StoreResult<RoomRecord>::failure(m_store.lastError(), m_store.lastErrorText());
    announceRoomChange(RoomEvent::Change::Created, group->id, creatorId);
    return *group;
}

StoreResult<Hub::DirectRoom> Hub::openDirectRoom(qint64 initiator, qint64 other, MembershipState otherState)
{
    if (auto existing = m_directory->directRoom(initiator, other))
        return DirectRoom{*existing, false};
    if (!m_directory->user(other))
        return StoreResult<DirectRoom>::failure(StoreError::NotFound);
    auto created = m_store.createDirectRoom(initiator, other, otherState);
    if (!created) {
        const StoreError error = m_store.lastError();
        const QString why = m_store.lastErrorText();
        if (error == StoreError::Conflict) {
            if (auto raced = m_directory->directRoom(initiator, other)) // created meanwhile
                return DirectRoom{*raced, false};
        }
        return StoreResult<DirectRoom>::failure(error, why);
    }
    announceRoomChange(RoomEvent::Change::Created, created->id, initiator);
    return DirectRoom{*created, true};
}

StoreResult<RoomRecord> Hub::directRoomFor(qint64 initiator, qint64 other, MembershipState otherState)
{
    const auto room = openDirectRoom(initiator, other, otherState);
    if (!room)
        return StoreResult<RoomRecord>::failure(room.error(), room.errorText());
    return room->room;
}

bool Hub::markNotificationsRead(qint64 userId)
{
    return m_store.markNotificationsRead(userId);
}

void Hub::announceRoomChange(RoomEvent::Change change, qint64 roomId, qint64 userId)
{
    deliverRoomChange(change, roomId, userId);
    emit roomChanged(change, roomId, userId);
}

void Hub::deliverRoomChange(RoomEvent::Change change, qint64 roomId, qint64 userId)
{
    RoomEvent event;
    event.change = change;
    event.room = m_directory->room(roomId).value_or(RoomRecord{});
    event.userId = userId;
    if (const auto membership = m_directory->membership(roomId, userId))
        event.state = membership->state;
    event.at = QDateTime::currentDateTimeUtc();
    // A new room: every member (a requested side too); a membership: that
    // member and the active ones. The lobby's members are everyone: only the
    // new member hears of it.
    QList<qint64> to{userId};
    if (!event.room.isLobby) {
        for (const MembershipRecord &member : m_directory->members(roomId)) {
            const bool told = change == RoomEvent::Change::Created || member.state == MembershipState::Active;
            if (member.userId != userId && told)
                to.append(member.userId);
        }
    }
    FrameCache frames;
    for (qint64 user : std::as_const(to)) {
        const QList<ClientSession *> sessions = m_sessionsByUser.value(user);
        for (ClientSession *session : sessions)
            session->deliverRoomEvent(event, frames);
    }
}

std::optional<NotificationRecord> Hub::notify(qint64 userId, const QString &type,
                                              const QString &message, const QJsonObject &payload)
{
    const auto stored = m_store.addNotification(userId, type, message, payload);
    if (!stored) {
        qCWarning(lcHub) << "notification not stored:" << m_store.lastErrorText();
        return std::nullopt;
    }
    deliverNotification(*stored);
    emit notified(*stored);
    return stored;
}

void Hub::deliverNotification(const NotificationRecord &notification)
{
    const NotificationEvent event{notification};
    FrameCache frames;
    const QList<ClientSession *> sessions = m_sessionsByUser.value(notification.userId);
    for (ClientSession *session : sessions)
        session->deliverNotification(event, frames);
}

int Hub::broadcast(const UserRecord &sender, const QString &content)
{
    const BroadcastEvent event{sender, content, QDateTime::currentDateTimeUtc()};
    const int reached = int(m_sessionsByUser.size());
    deliverBroadcast(event);
    emit broadcasted(event);
    return reached;
}

void Hub::deliverBroadcast(const BroadcastEvent &event)
{
    FrameCache frames;
    const auto users = m_sessionsByUser.keys();
    for (qint64 userId : users) {
        const QList<ClientSession *> sessions = m_sessionsByUser.value(userId);
        for (ClientSession *session : sessions)
            session->deliverBroadcast(event, frames);
    }
}

MembershipOutcome Hub::inviteToGroup(qint64 inviterId, qint64 groupId, qint64 inviteeId)
{
    const auto group = m_directory->room(groupId);
    const auto inviterMembership = membershipRechecked(groupId, inviterId);
    membershipRechecked(groupId, inviteeId);
    if (!group || group->kind != RoomKind::Group || !inviterMembership
        || inviterMembership->state != MembershipState::Active)
        return MembershipOutcome::NotFound;
    if (group->isLobby)
        return MembershipOutcome::Forbidden; // everyone is in the lobby already
    if (!m_directory->user(inviteeId))
        return MembershipOutcome::NotFound;
    if (const auto existing = m_directory->membership(groupId, inviteeId)) {
        if (existing->state == MembershipState::Active || existing->state == MembershipState::Invited)
            return MembershipOutcome::Conflict;
    }
    if (!m_store.setMembership(groupId, inviteeId, MembershipState::Invited))
        return MembershipOutcome::Failed;
    announceRoomChange(RoomEvent::Change::Membership, groupId, inviteeId);
    notify(inviteeId, QStringLiteral("group_invite"),
           QStringLiteral("You were invited to join group '%1'").arg(group->name),
           {{QStringLiteral("group_id"), groupId},
            {QStringLiteral("group_name"), group->name},
            {QStringLiteral("invited_by"), inviterId}});
    return MembershipOutcome::Done;
}

MembershipOutcome Hub::answerInvitation(qint64 userId, qint64 groupId, bool accept)
{
    const auto membership = membershipRechecked(groupId, userId);
    if (!membership || membership->state != MembershipState::Invited)
        return MembershipOutcome::NotFound;
    const bool stored = accept ? m_store.setMembership(groupId, userId, MembershipState::Active)
                               : m_store.removeMembership(groupId, userId);
    if (!stored)
        return MembershipOutcome::Failed;
    announceRoomChange(RoomEvent::Change::Membership, groupId, userId);
    // Answered: the invitation is no longer news on any dialect.
    if (!m_store.markGroupNotificationsRead(userId, QStringLiteral("group_invite"), groupId))
        qCWarning(lcHub) << "could not mark the invitation read:" << m_store.lastErrorText();
    return MembershipOutcome::Done;
}

MembershipOutcome Hub::setThreadState(qint64 userId, qint64 roomId, MembershipState state)
{
    const auto room = m_directory->room(roomId);
    const auto membership = membershipRechecked(roomId, userId);
    if (!room || room->kind != RoomKind::Direct || !membership)
        return MembershipOutcome::NotFound;
    if (membership->state == state)
        return MembershipOutcome::Done;
    if (!m_store.setMembership(roomId, userId, state))
        return MembershipOutcome::Failed;
    announceRoomChange(RoomEvent::Change::Membership, roomId, userId);
    return MembershipOutcome::Done;
}

// ---- typing, presence, fan-out ------------------------------------------------------

void Hub::setTyping(qint64 userId, qint64 roomId, bool typing)
{
    if (m_typing->set(roomId, userId, typing) || !typing || !m_seqOrdered)
        return;
    // Still typing: the other nodes' trackers expire too unless told, at
    // most every half expiry.
    QDeadlineTimer &next = m_typingRefreshes[{roomId, userId}];
    if (!next.hasExpired())
        return;
    next.setRemainingTime(m_typingExpiry / 2);
    emit typingChangedHere(roomId, userId, true);
}

QList<qint64> Hub::typingUsers(qint64 roomId) const
{
    return m_typing->typingIn(roomId);
}

void Hub::fanOutToFollowers(qint64 roomId, const std::function<void(ClientSession *, FrameCache &)> &deliver)
{
    FrameCache frames;
    // Copy (shared, not deep): a delivery may close a session and detach it.
    const QList<ClientSession *> followers = m_followers.value(roomId);
    for (ClientSession *session : followers) {
        const auto membership = m_directory->membership(roomId, session->userId());
        if (membership && membership->state == MembershipState::Active && session->followsRoom(roomId))
            deliver(session, frames);
    }
}

void Hub::announcePresence(qint64 userId, bool online)
{
    PresenceEvent event;
    event.user = m_directory->user(userId).value_or(UserRecord{});
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
    // Typing another node reported ends here too (set off or expired); only
    // what happens here is told to the others.
    const bool elsewhere = m_applyingRemoteTyping || m_typingElsewhere.contains({roomId, userId});
    if (!typing) {
        m_typingElsewhere.remove({roomId, userId});
        m_typingRefreshes.remove({roomId, userId});
    } else if (!elsewhere) {
        m_typingRefreshes[{roomId, userId}].setRemainingTime(m_typingExpiry / 2);
    }
    else if (m_applyingRemoteTyping)
        m_typingElsewhere.insert({roomId, userId});
    if (!elsewhere)
        emit typingChangedHere(roomId, userId, typing);
    TypingEvent event;
    event.roomId = roomId;
    event.user = m_directory->user(userId).value_or(UserRecord{});
    event.typing = typing;
    event.at = QDateTime::currentDateTimeUtc();
    fanOutToFollowers(roomId, [&event](ClientSession *session, FrameCache &frames) {
        session->deliverTyping(event, frames);
    });
}

} // namespace natter::server

namespace natter::server {

// ---- several nodes --------------------------------------------------------------------

std::optional<MembershipRecord> Hub::membershipRechecked(qint64 roomId, qint64 userId)
{
    // Another node may have changed it a moment ago, before its news came:
    // membership changes and refusals read the row itself.
    if (m_seqOrdered)
        m_directory->refreshMembership(roomId, userId);
    return m_directory->membership(roomId, userId);
}

void Hub::deliverInSeqOrder(QHash<qint64, qint64> delivered)
{
    m_seqOrdered = true;
    m_deliveredSeq = std::move(delivered);
}

void Hub::deliverRemoteMessage(const MessageRecord &message)
{
    // The sender's sends count against their limit here too, wherever they were made.
    m_sendLimit.take(message.senderId);
    {
        const QScopedValueRollback remote(m_applyingRemoteTyping, true);
        m_typing->set(message.roomId, message.senderId, false);
    }
    deliverCommitted(message, nullptr);
}

void Hub::deliverRemoteMarks(const QList<MarkRecord> &marks, const QList<StatusEvent> &events)
{
    for (const MarkRecord &moved : marks) {
        const auto room = m_marks.find(moved.roomId);
        if (room == m_marks.end())
            continue; // not cached: read from the database when first needed
        MarkRecord &mark = (*room)[moved.userId];
        mark.roomId = moved.roomId;
        mark.userId = moved.userId;
        if (moved.deliveredUpTo > mark.deliveredUpTo) {
            mark.deliveredUpTo = moved.deliveredUpTo;
            mark.deliveredAt = moved.deliveredAt;
        }
        if (moved.readUpTo > mark.readUpTo) {
            mark.readUpTo = moved.readUpTo;
            mark.readAt = moved.readAt;
        }
    }
    deliverStatusEvents(events);
}

void Hub::deliverRemoteTyping(qint64 roomId, qint64 userId, bool typing)
{
    const QScopedValueRollback remote(m_applyingRemoteTyping, true);
    m_typing->set(roomId, userId, typing);
}

void Hub::membershipChangedElsewhere(qint64 roomId, qint64 userId)
{
    m_directory->refreshMembership(roomId, userId);
    followedMembershipChanged(roomId, userId);
}

void Hub::userChangedElsewhere(qint64 userId)
{
    m_directory->forgetUser(userId);
}

void Hub::setOnlineElsewhere(qint64 userId, bool online)
{
    const bool before = isOnline(userId);
    if (online)
        m_onlineElsewhere.insert(userId);
    else
        m_onlineElsewhere.remove(userId);
    if (isOnline(userId) != before)
        announcePresence(userId, !before);
}

void Hub::resynchronise()
{
    m_directory->forgetAll();
    m_marks.clear();
    m_recent.clear();
    m_recentOrder.clear();
    catchUpFromDatabase();
    // Followers of all their rooms: memberships may have changed meanwhile.
    for (auto it = m_memberRoomFollowers.cbegin(); it != m_memberRoomFollowers.cend(); ++it) {
        for (const RoomRecord &room : m_store.roomsOfUser(it.key())) {
            for (ClientSession *session : it.value())
                follow(session, room.id);
        }
    }
}

void Hub::catchUpFromDatabase()
{
    if (!m_seqOrdered)
        return;
    const QHash<qint64, qint64> committed = m_store.lastSeqs();
    for (auto it = committed.cbegin(); it != committed.cend(); ++it) {
        if (it.value() <= m_deliveredSeq.value(it.key()))
            continue;
        // The newest committed message, through the gate: it brings those before it.
        const QList<MessageRecord> newest = m_store.messagesBefore(it.key(), it.value() + 1, 1);
        if (!newest.isEmpty())
            deliverCommitted(newest.constFirst(), nullptr);
    }
}

} // namespace natter::server
