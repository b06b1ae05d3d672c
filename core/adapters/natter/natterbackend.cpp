#include "natterbackend.h"

#include "wirevalues.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QTimer>
#include <QTimerEvent>
#include <algorithm>

Q_LOGGING_CATEGORY(lcNatter, "natter.client.natter")

using namespace Qt::StringLiterals;

namespace natter::client {
namespace {

constexpr qint64 requestTimeoutMs = 10'000;
constexpr int pageSize = 100;

qint64 roomIdOf(const QString &roomKey)
{
    bool ok = false;
    const qint64 id = roomKey.toLongLong(&ok);
    return ok ? id : 0;
}

QString firstNonEmpty(std::initializer_list<QString> texts)
{
    for (const QString &text : texts) {
        if (!text.isEmpty())
            return text;
    }
    return {};
}

QString statusName(DeliveryStatus status)
{
    return status == DeliveryStatus::Read ? u"read"_s : u"delivered"_s;
}

} // namespace

NatterBackend::NatterBackend(Settings settings, QObject *parent)
    : WebSocketBackend(std::move(settings), parent)
{
}

Backend::Capabilities NatterBackend::capabilities() const
{
    return Capability::Receipts | Capability::Typing | Capability::Presence | Capability::History
        | Capability::RoomList | Capability::Groups | Capability::MessageRequests | Capability::Stamps
        | Capability::Locations | Capability::Notifications | Capability::CreateRooms
        | Capability::PeopleSearch | Capability::RoomEvents;
}

// ---- the link ----------------------------------------------------------------------

void NatterBackend::onOpened()
{
    m_paging = 0;
    m_pagesFetched = 0;
    failPending(u"The connection was lost"_s); // nothing of the last link will be answered
    m_clock.start();
    m_timeouts.start(1000, this);
    QJsonObject held;
    for (auto it = m_heldSeq.cbegin(); it != m_heldSeq.cend(); ++it)
        held.insert(it.key(), it.value());
    sendJson({{u"type"_s, u"hello"_s},
              {u"version"_s, 1},
              {u"rooms"_s, held},
              {u"limit"_s, pageSize},
              {u"client"_s, QJsonObject{{u"app"_s, u"natter"_s}}}});
}

void NatterBackend::onClosed()
{
    m_timeouts.stop();
    failPending(u"The connection was lost"_s);
    const int code = int(socket().closeCode());
    const QString reason = socket().closeReason();
    qCInfo(lcNatter) << "closed:" << code << reason;
    if (code == QWebSocketProtocol::CloseCodePolicyViolated && (reason == u"Invalid token" || reason == u"Token required"))
        giveUp(u"Connection refused: "_s + reason);
    else if (code == 4000)
        giveUp(u"This server speaks another version of Natter's protocol: update the app"_s);
}

void NatterBackend::subscribeNow(const QString &roomKey)
{
    // One socket carries every room: following one is a given once synced.
    QTimer::singleShot(0, this, [this, roomKey] {
        if (isReady())
            emit subscribed(roomKey);
    });
}

void NatterBackend::timerEvent(QTimerEvent *event)
{
    if (event->timerId() != m_timeouts.timerId())
        return WebSocketBackend::timerEvent(event);
    const qint64 now = m_clock.elapsed();
    QList<Reply> expired;
    for (auto it = m_pending.begin(); it != m_pending.end();) {
        if (it->deadline <= now) {
            expired.append(std::move(it->reply));
            it = m_pending.erase(it);
        } else {
            ++it;
        }
    }
    for (const Reply &reply : expired)
        reply({}, u"The server did not answer in time"_s);
}

void NatterBackend::request(QJsonObject frame, Reply reply)
{
    // history also pages the catch-up, before the link counts as ready.
    if (socket().state() != QAbstractSocket::ConnectedState
        || (!isReady() && frame.value(u"type"_s) != u"history"_s))
        return reply({}, u"Not connected"_s);
    const QString id = QString::number(++m_nextRequest);
    frame.insert(u"id"_s, id);
    m_pending.insert(id, {std::move(reply), m_clock.elapsed() + requestTimeoutMs});
    sendJson(frame);
}

void NatterBackend::failPending(const QString &error)
{
    m_pushedRooms.clear(); // no answer of ours will come to tell of them
    const auto pending = std::exchange(m_pending, {});
    for (const Pending &request : pending)
        request.reply({}, error);
}

void NatterBackend::onText(const QString &text)
{
    const QJsonObject frame = QJsonDocument::fromJson(text.toUtf8()).object();
    const QString type = frame.value(u"type"_s).toString();
    if (type == u"ack" || type == u"error") {
        const QString id = frame.value(u"id"_s).toString();
        const auto pending = m_pending.constFind(id);
        if (id.isEmpty() || pending == m_pending.cend()) {
            if (type == u"error")
                emit errorOccurred(frame.value(u"message"_s).toString());
            return;
        }
        const Reply reply = pending->reply;
        m_pending.erase(pending);
        if (type == u"ack")
            reply(frame, {});
        else // the server's words; its code when it gave none (never empty: empty means success)
            reply(frame, firstNonEmpty({frame.value(u"message"_s).toString(), frame.value(u"code"_s).toString(),
                                        u"The server refused the request"_s}));
        if (m_pending.isEmpty())
            m_pushedRooms.clear(); // no answer of ours is left to tell of them
        return;
    }
    if (type == u"message") {
        const QJsonObject message = frame.value(u"message"_s).toObject();
        ChatMessage chat = toMessage(message);
        if (frame.value(u"request"_s).toBool()) {
            emit messageRequestReceived({chat.roomKey, chat.sender, chat.text, chat.createdAt});
            return;
        }
        return deliver(chat, message.value(u"seq"_s).toInteger());
    }
    if (type == u"mark")
        return applyMark(frame);
    if (type == u"typing") {
        return emit typingChanged(QString::number(frame.value(u"room"_s).toInteger()),
                                  toPerson(frame.value(u"user"_s).toObject()), frame.value(u"on"_s).toBool());
    }
    if (type == u"presence")
        return emit presenceChanged(toPerson(frame.value(u"user"_s).toObject()));
    if (type == u"room")
        return applyRoomEvent(frame);
    if (type == u"notification")
        return emit notificationReceived(toNotification(frame.value(u"notification"_s).toObject()));
    if (type == u"ping")
        return sendJson({{u"type"_s, u"pong"_s}, {u"n"_s, frame.value(u"n"_s)}});
    if (type == u"welcome") {
        setSelf(toPerson(frame.value(u"user"_s).toObject()));
        return;
    }
    if (type == u"sync")
        return applySync(frame);
    qCDebug(lcNatter) << "ignoring a frame:" << text.left(200);
}

// ---- sync and catch-up -------------------------------------------------------------

void NatterBackend::applySync(const QJsonObject &sync)
{
    for (const QJsonValue &gone : sync.value(u"gone"_s).toArray())
        m_heldSeq.remove(idString(gone));
    QList<RoomSummary> rooms;
    struct Missed
    {
        QString roomKey;
        QJsonArray messages;
        bool more = false;
        QJsonObject others;
        bool request = false; // a message request waiting for our answer
    };
    QList<Missed> missed;
    for (const QJsonValue &value : sync.value(u"rooms"_s).toArray()) {
        const QJsonObject entry = value.toObject();
        const QString membership = entry.value(u"membership"_s).toString();
        const RoomSummary room = toRoom(entry);
        if (entry.value(u"reset"_s).toBool())
            m_heldSeq.remove(room.key);
        if (membership == u"active") {
            rooms.append(room);
            m_knownRooms.insert(room.key);
        }
        if (entry.contains(u"messages"_s))
            missed.append({room.key, entry.value(u"messages"_s).toArray(), entry.value(u"more"_s).toBool(),
                           entry.value(u"marks"_s)[u"others"_s].toObject(), membership == u"requested"});
    }
    emit roomsListed(rooms);
    markReady();
    for (const Missed &room : std::as_const(missed)) {
        qint64 last = m_heldSeq.value(room.roomKey);
        for (const QJsonValue &message : room.messages) {
            const qint64 seq = message[u"seq"_s].toInteger();
            const ChatMessage chat = toMessage(message.toObject());
            if (room.request && !chat.outgoing) {
                // As live: a request, not yet a message of a room of ours.
                emit messageRequestReceived({chat.roomKey, chat.sender, chat.text, chat.createdAt});
                continue;
            }
            deliver(chat, seq);
            last = std::max(last, seq);
        }
        if (!room.others.isEmpty())
            applyMark({{u"room"_s, roomIdOf(room.roomKey)}, {u"others"_s, room.others}});
        if (room.more)
            pageForward(room.roomKey, last);
    }
    for (const QJsonValue &value : sync.value(u"notifications"_s).toArray())
        emit notificationReceived(toNotification(value.toObject()));
    if (m_paging == 0)
        emit caughtUp();
}

void NatterBackend::pageForward(const QString &roomKey, qint64 after)
{
    ++m_paging;
    ++m_pagesFetched;
    request({{u"type"_s, u"history"_s}, {u"room"_s, roomIdOf(roomKey)}, {u"after"_s, after}, {u"limit"_s, pageSize}},
            [this, roomKey, after](const QJsonObject &reply, const QString &error) {
        --m_paging;
        if (!error.isEmpty()) {
            qCWarning(lcNatter) << "catching up room" << roomKey << "failed:" << error;
            return finishedPaging();
        }
        qint64 last = after;
        for (const QJsonValue &message : reply.value(u"messages"_s).toArray()) {
            const qint64 seq = message[u"seq"_s].toInteger();
            deliver(toMessage(message.toObject()), seq);
            last = std::max(last, seq);
        }
        if (reply.value(u"more"_s).toBool() && last > after)
            pageForward(roomKey, last);
        finishedPaging();
    });
}

void NatterBackend::finishedPaging()
{
    if (m_paging == 0)
        emit caughtUp();
}

void NatterBackend::deliver(const ChatMessage &message, qint64 seq)
{
    qint64 &held = m_heldSeq[message.roomKey];
    if (seq == held + 1)
        held = seq; // gap-free so far: what the next hello names
    if (message.outgoing)
        m_ownBySeq[message.roomKey].insert(seq, message.id);
    if (m_seqOfMessage.contains(message.id))
        return; // already delivered (a sync after a lost ack, a page that overlaps)
    m_seqOfMessage.insert(message.id, seq);
    emit messageReceived(message);
}

// ---- what the wire says, as the client keeps it ------------------------------------

Person NatterBackend::toPerson(const QJsonObject &person) const
{
    Person result;
    result.natterId = person.value(u"id"_s).toInteger();
    result.id = QString::number(result.natterId);
    result.username = person.value(u"username"_s).toString();
    result.displayName = person.value(u"display_name"_s).toString();
    result.online = person.value(u"online"_s).toBool();
    result.lastSeen = parseWireTime(person.value(u"last_seen"_s));
    return result;
}

Notification NatterBackend::toNotification(const QJsonObject &item)
{
    Notification notification;
    notification.id = idString(item.value(u"id"_s));
    notification.type = item.value(u"type"_s).toString();
    notification.message = item.value(u"message"_s).toString();
    notification.roomKey = idString(item.value(u"data"_s)[u"group_id"_s]);
    notification.read = item.value(u"is_read"_s).toBool();
    notification.createdAt = parseWireTime(item.value(u"created_at"_s));
    return notification;
}

ChatMessage NatterBackend::toMessage(const QJsonObject &message) const
{
    ChatMessage chat;
    chat.roomKey = QString::number(message.value(u"room"_s).toInteger());
    chat.id = idString(message.value(u"id"_s));
    chat.clientId = message.value(u"client_id"_s).toString();
    chat.sender = toPerson(message.value(u"from"_s).toObject());
    chat.outgoing = chat.sender.natterId != 0 && chat.sender.natterId == self().natterId;
    const QString kind = message.value(u"kind"_s).toString();
    if (kind == u"stamp") {
        chat.kind = MessageKind::Stamp;
        chat.stampId = message.value(u"stamp"_s).toString();
    } else if (kind == u"location") {
        chat.kind = MessageKind::Location;
        chat.latitude = message.value(u"lat"_s).toDouble();
        chat.longitude = message.value(u"lng"_s).toDouble();
    } else {
        chat.kind = MessageKind::Text;
        chat.text = message.value(u"text"_s).toString();
    }
    chat.createdAt = parseWireTime(message.value(u"created_at"_s));
    chat.status = DeliveryStatus::Sent;
    return chat;
}

RoomSummary NatterBackend::toRoom(const QJsonObject &entry) const
{
    const QJsonObject room = entry.contains(u"room"_s) ? entry.value(u"room"_s).toObject() : entry;
    RoomSummary summary;
    summary.id = room.value(u"id"_s).toInteger();
    summary.key = QString::number(summary.id);
    summary.uuid = room.value(u"uuid"_s).toString();
    summary.kind = room.value(u"kind"_s).toString() == u"direct" ? RoomKind::Direct : RoomKind::Group;
    summary.name = room.value(u"name"_s).toString();
    summary.unreadCount = entry.value(u"unread"_s).toInt();
    summary.lastActivity = parseWireTime(room.value(u"created_at"_s));
    if (summary.kind == RoomKind::Direct) {
        for (const QJsonValue &member : room.value(u"members"_s).toArray()) {
            const Person person = toPerson(member.toObject());
            if (person.natterId != self().natterId)
                summary.other = person;
        }
        summary.name = summary.other.displayName.isEmpty() ? summary.other.username : summary.other.displayName;
    }
    const QJsonArray messages = entry.value(u"messages"_s).toArray();
    if (!messages.isEmpty()) {
        const ChatMessage last = toMessage(messages.last().toObject());
        summary.lastActivity = last.createdAt;
        summary.lastMessage = last;
    }
    return summary;
}

void NatterBackend::applyMark(const QJsonObject &mark)
{
    // `others`: the least advanced mark of the room's other members, as the
    // server computed it for us; our own messages up to it have that status.
    const QJsonObject others = mark.value(u"others"_s).toObject();
    if (others.isEmpty())
        return;
    const QString roomKey = QString::number(mark.value(u"room"_s).toInteger());
    const qint64 delivered = others.value(u"delivered_up_to"_s).toInteger();
    const qint64 read = others.value(u"read_up_to"_s).toInteger();
    const QMap<qint64, QString> &own = m_ownBySeq[roomKey];
    for (auto it = own.cbegin(); it != own.cend() && it.key() <= delivered; ++it) {
        const DeliveryStatus status = it.key() <= read ? DeliveryStatus::Read : DeliveryStatus::Delivered;
        DeliveryStatus &told = m_reported[it.value()];
        if (status > told) {
            told = status;
            emit statusChanged(roomKey, it.value(), status);
        }
    }
}

void NatterBackend::applyRoomEvent(const QJsonObject &event)
{
    const QString mine = event.value(u"mine"_s).toString();
    const bool aboutMe = event.value(u"user"_s).toInteger() == self().natterId;
    const bool appeared = event.value(u"change"_s) == u"created"_s
        || (aboutMe && event.value(u"membership"_s) == u"active"_s);
    if (mine == u"active" && appeared)
        announceRoom(toRoom(event.value(u"room"_s).toObject()));
    if (aboutMe && event.value(u"membership"_s).isNull())
        m_knownRooms.remove(QString::number(event.value(u"room"_s)[u"id"_s].toInteger()));
}

void NatterBackend::announceRoom(const RoomSummary &room)
{
    if (m_knownRooms.contains(room.key))
        return;
    m_knownRooms.insert(room.key);
    if (!m_pending.isEmpty())
        m_pushedRooms.insert(room.key); // an action of ours may be answering about it
    emit roomCreated(room);
}

void NatterBackend::answerWithRoom(const RoomSummary &room)
{
    m_knownRooms.insert(room.key);
    if (m_pushedRooms.remove(room.key))
        return;
    emit roomCreated(room);
}

// ---- requests ----------------------------------------------------------------------

void NatterBackend::listRooms()
{
    request({{u"type"_s, u"rooms"_s}}, [this](const QJsonObject &reply, const QString &error) {
        if (!error.isEmpty())
            return emit errorOccurred(u"The room list is not available: "_s + error);
        QList<RoomSummary> rooms;
        for (const QJsonValue &entry : reply.value(u"rooms"_s).toArray()) {
            if (entry[u"membership"_s] == u"active"_s) {
                rooms.append(toRoom(entry.toObject()));
                m_knownRooms.insert(rooms.last().key);
            }
        }
        emit roomsListed(rooms);
    });
}

void NatterBackend::send(const OutgoingMessage &message)
{
    QJsonObject frame{{u"type"_s, u"send"_s}, {u"room"_s, roomIdOf(message.roomKey)},
                      {u"client_id"_s, message.clientId}};
    switch (message.kind) {
    case MessageKind::Text:
        frame.insert(u"text"_s, message.text);
        break;
    case MessageKind::Stamp:
        frame.insert(u"kind"_s, u"stamp"_s);
        frame.insert(u"stamp"_s, message.stampId);
        break;
    case MessageKind::Location:
        frame.insert(u"kind"_s, u"location"_s);
        frame.insert(u"lat"_s, message.latitude);
        frame.insert(u"lng"_s, message.longitude);
        break;
    }
    const QString clientId = message.clientId;
    request(frame, [this, clientId](const QJsonObject &reply, const QString &error) {
        if (!error.isEmpty())
            return emit sendFailed(clientId, error);
        const QJsonObject stored = reply.value(u"message"_s).toObject();
        ChatMessage chat = toMessage(stored);
        chat.clientId = clientId;
        chat.outgoing = true;
        const qint64 seq = stored.value(u"seq"_s).toInteger();
        qint64 &held = m_heldSeq[chat.roomKey];
        if (seq == held + 1)
            held = seq;
        m_ownBySeq[chat.roomKey].insert(seq, chat.id);
        m_seqOfMessage.insert(chat.id, seq);
        emit messageAcked(clientId, chat);
    });
}

void NatterBackend::setTyping(const QString &roomKey, bool typing)
{
    if (isReady())
        sendJson({{u"type"_s, u"typing"_s}, {u"room"_s, roomIdOf(roomKey)}, {u"on"_s, typing}});
}

void NatterBackend::markStatus(const QString &roomKey, const QString &messageId, DeliveryStatus status)
{
    const qint64 seq = m_seqOfMessage.value(messageId);
    if (seq <= 0 || (status != DeliveryStatus::Delivered && status != DeliveryStatus::Read))
        return;
    request({{u"type"_s, u"mark"_s}, {u"room"_s, roomIdOf(roomKey)}, {u"seq"_s, seq}, {u"status"_s, statusName(status)}},
            [roomKey](const QJsonObject &, const QString &error) {
        if (!error.isEmpty())
            qCInfo(lcNatter) << "mark in room" << roomKey << "not taken:" << error;
    });
}

void NatterBackend::loadHistory(const QString &roomKey, const QString &beforeId, int limit)
{
    QJsonObject frame{{u"type"_s, u"history"_s}, {u"room"_s, roomIdOf(roomKey)},
                      {u"limit"_s, std::clamp(limit, 1, pageSize)}};
    if (const qint64 before = m_seqOfMessage.value(beforeId); before > 0)
        frame.insert(u"before"_s, before);
    request(frame, [this, roomKey](const QJsonObject &reply, const QString &error) {
        if (!error.isEmpty()) {
            emit errorOccurred(u"History is not available: "_s + error);
            return emit historyLoaded(roomKey, {}, true);
        }
        QList<ChatMessage> messages;
        for (const QJsonValue &value : reply.value(u"messages"_s).toArray()) {
            ChatMessage message = toMessage(value.toObject());
            m_seqOfMessage.insert(message.id, value[u"seq"_s].toInteger());
            if (message.outgoing)
                m_ownBySeq[roomKey].insert(value[u"seq"_s].toInteger(), message.id);
            messages.prepend(message); // newest first
        }
        emit historyLoaded(roomKey, messages, !reply.value(u"more"_s).toBool());
    });
}

void NatterBackend::loadStamps()
{
    httpGet(u"/api/stamp_messages"_s, {}, [this](int status, const QByteArray &body) {
        const QJsonDocument document = QJsonDocument::fromJson(body);
        if (status != 200 || !document.isArray())
            return emit errorOccurred(u"Stamps are not available (HTTP %1)"_s.arg(status));
        QList<Stamp> stamps;
        for (const QJsonValue &value : document.array()) {
            Stamp stamp{idString(value[u"id"_s]), value[u"name"_s].toString(), value[u"emoji"_s].toString()};
            if (!stamp.id.isEmpty())
                stamps.append(stamp);
        }
        emit stampsLoaded(stamps);
    });
}

void NatterBackend::searchPeople(const QString &query)
{
    request({{u"type"_s, u"people"_s}, {u"query"_s, query}}, [this, query](const QJsonObject &reply, const QString &error) {
        if (!error.isEmpty())
            return failAction(u"search"_s, query, error);
        QList<Person> people;
        for (const QJsonValue &person : reply.value(u"people"_s).toArray())
            people.append(toPerson(person.toObject()));
        emit peopleFound(query, people);
    });
}

void NatterBackend::startDirectChat(const Person &person)
{
    const qint64 userId = person.natterId ? person.natterId : person.id.toLongLong();
    request({{u"type"_s, u"direct"_s}, {u"user"_s, userId}}, [this, person](const QJsonObject &reply, const QString &error) {
        if (!error.isEmpty())
            return failAction(u"direct"_s, person.id, error);
        answerWithRoom(toRoom(reply.value(u"room"_s).toObject()));
    });
}

void NatterBackend::createGroup(const QString &name, const QList<Person> &members)
{
    QJsonArray ids;
    for (const Person &member : members)
        ids.append(member.natterId ? member.natterId : member.id.toLongLong());
    request({{u"type"_s, u"group"_s}, {u"name"_s, name}, {u"members"_s, ids}},
            [this, name](const QJsonObject &reply, const QString &error) {
        if (!error.isEmpty())
            return failAction(u"group"_s, name, error);
        const RoomSummary room = toRoom(reply.value(u"room"_s).toObject());
        answerWithRoom(room);
        for (const QJsonValue &invited : reply.value(u"invited"_s).toArray()) {
            Q_UNUSED(invited)
            finishAction(u"invite"_s, room.key, true, {});
        }
        for (const QJsonValue &failed : reply.value(u"failed"_s).toArray())
            finishAction(u"invite"_s, room.key, false, failed[u"code"_s].toString());
    });
}

void NatterBackend::inviteToGroup(const QString &roomKey, const Person &person)
{
    const qint64 userId = person.natterId ? person.natterId : person.id.toLongLong();
    request({{u"type"_s, u"invite"_s}, {u"room"_s, roomIdOf(roomKey)}, {u"user"_s, userId}},
            [this, roomKey](const QJsonObject &, const QString &error) {
        finishAction(u"invite"_s, roomKey, error.isEmpty(), error);
    });
}

void NatterBackend::answerInvitation(const QString &roomKey, bool accept)
{
    request({{u"type"_s, u"answer_invitation"_s}, {u"room"_s, roomIdOf(roomKey)}, {u"accept"_s, accept}},
            [this, roomKey, accept](const QJsonObject &reply, const QString &error) {
        if (error.isEmpty() && accept)
            answerWithRoom(toRoom(reply.value(u"room"_s).toObject()));
        finishAction(accept ? u"accept"_s : u"decline"_s, roomKey, error.isEmpty(), error);
    });
}

void NatterBackend::answerMessageRequest(const QString &threadKey, bool approve)
{
    request({{u"type"_s, u"thread"_s}, {u"room"_s, roomIdOf(threadKey)},
             {u"action"_s, approve ? u"approve"_s : u"block"_s}},
            [this, threadKey, approve](const QJsonObject &, const QString &error) {
        finishAction(approve ? u"approve"_s : u"block"_s, threadKey, error.isEmpty(), error);
    });
}

} // namespace natter::client
