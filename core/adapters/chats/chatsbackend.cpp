#include "wirevalues.h"
#include "chatsbackend.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QTimer>
#include <QUuid>
#include <algorithm>
#include <utility>

Q_LOGGING_CATEGORY(lcChats, "natter.client.chats")

namespace natter::client {
namespace {
QString str(const char *text) { return QString::fromLatin1(text); }
} // namespace

ChatsBackend::ChatsBackend(Settings settings, QObject *parent)
    : WebSocketBackend(std::move(settings), parent)
{
}

Backend::Capabilities ChatsBackend::capabilities() const
{
    if (m_natter)
        return Capability::RoomList | Capability::History | Capability::Groups | Capability::CreateRooms
            | Capability::PeopleSearch | Capability::Notifications;
    return Capability::OpenByAddress; // spec 001 lists no chats: they open by their UUID
}

QList<ConversationKind> ChatsBackend::conversationKinds() const
{
    return {{str("chat"), str("Chat"), str("The chat's id, a UUID such as 1b4e28ba-2fa1-11d2-883f-0016d3cca427")}};
}

std::optional<RoomSummary> ChatsBackend::conversationRoom(const QString &kind, const QString &address,
                                                          QString *problem) const
{
    const QUuid uuid = QUuid::fromString(address.trimmed());
    if (kind != u"chat" || uuid.isNull()) {
        if (problem)
            *problem = str("A chat is opened by its id, a UUID such as 1b4e28ba-2fa1-11d2-883f-0016d3cca427.");
        return std::nullopt;
    }
    return openedRoom(uuid.toString(QUuid::WithoutBraces));
}

RoomSummary ChatsBackend::roomForMessage(const ChatMessage &message) const
{
    RoomSummary room;
    room.key = message.roomKey;
    room.uuid = message.roomKey;
    room.kind = RoomKind::Group;
    room.name = str("Chat ") + message.roomKey.left(8);
    room.lastActivity = message.createdAt;
    return room;
}

bool ChatsBackend::isSendError(const QString &error)
{
    return error == u"Couldn't send message" || error == u"no access" || error == u"Message cannot be empty"
        || error == u"Missing chat_id";
}

natterrest::Get ChatsBackend::restGet()
{
    return [this](const QString &path, const QUrlQuery &query, ReplyHandler handler) {
        httpGet(path, query, std::move(handler));
    };
}

void ChatsBackend::onOpened()
{
    if (natterUserId() != 0)
        m_natter = true;
    if (self().id.isEmpty()) {
        // People are named by username in this dialect.
        Person me;
        me.username = settings().signIn.username;
        if (me.username.isEmpty())
            me.username = natterrest::jwtClaims(token()).value(str("username")).toString();
        me.id = me.username;
        me.displayName = me.username;
        me.online = true;
        setSelf(me);
    }
    m_inFlight.clear();
    m_subscribeBatch.clear();
    m_framesOnThisLink = false;
    markReady(); // no greeting in this dialect: open is ready
}

void ChatsBackend::onClosed()
{
    m_inFlight.clear(); // nothing more will answer them; MessageSender sends them again
    m_subscribeBatch.clear();
    const auto code = socket().closeCode();
    qCInfo(lcChats) << "closed:" << code << socket().closeReason();
    if (code == QWebSocketProtocol::CloseCodePolicyViolated && !m_framesOnThisLink) {
        const QString reason = socket().closeReason();
        giveUp(str("Connection refused: ") + (reason.isEmpty() ? str("authentication failed") : reason));
    }
}

void ChatsBackend::subscribeNow(const QString &roomKey)
{
    // Everything subscribed in this loop pass goes out in one frame.
    if (m_subscribeBatch.contains(roomKey))
        return;
    m_subscribeBatch.append(roomKey);
    if (m_subscribeBatch.size() == 1)
        QTimer::singleShot(0, this, &ChatsBackend::flushSubscriptions);
}

void ChatsBackend::flushSubscriptions()
{
    if (m_subscribeBatch.isEmpty() || !isReady())
        return;
    const QStringList chatIds = std::exchange(m_subscribeBatch, {});
    sendJson({{str("action"), str("subscribe")}, {str("chat_ids"), QJsonArray::fromStringList(chatIds)}});
}

void ChatsBackend::send(const OutgoingMessage &message)
{
    if (!isReady())
        return emit sendFailed(message.clientId, str("Not connected"));
    if (message.kind != MessageKind::Text)
        return emit sendFailed(message.clientId, str("This server takes text messages only"));
    if (message.text.trimmed().isEmpty())
        return emit sendFailed(message.clientId, str("Message cannot be empty")); // the spec's own words
    m_inFlight.append({message.clientId, message.roomKey, message.text});
    sendJson({{str("action"), str("message")}, {str("chat_id"), message.roomKey}, {str("text"), message.text}});
}

void ChatsBackend::onText(const QString &text)
{
    m_framesOnThisLink = true;
    const QJsonDocument document = QJsonDocument::fromJson(text.toUtf8());
    if (!document.isObject()) {
        qCWarning(lcChats) << "ignoring a frame that is not a JSON object:" << text.left(200);
        return;
    }
    const QJsonObject frame = document.object();
    const QString action = frame.value(str("action")).toString();
    if (action == u"subscribe_response")
        return handleSubscribeResponse(frame);
    if (action == u"message_response")
        return handleMessageResponse(frame);
    if (frame.value(str("error")).isString())
        return handleError(frame.value(str("error")).toString());
    if (frame.contains(str("chat_id")) && frame.contains(str("message")))
        return handleIncoming(frame);
    qCDebug(lcChats) << "ignoring an unknown frame:" << text.left(200);
}

void ChatsBackend::handleSubscribeResponse(const QJsonObject &frame)
{
    for (const QJsonValue &value : frame.value(str("results")).toArray()) {
        const QJsonObject result = value.toObject();
        const QString chatId = result.value(str("chat_id")).toString();
        if (result.value(str("status")).toString() == u"success") {
            m_refused.remove(chatId);
            emit subscribed(chatId);
            catchUpRoom(chatId);
        } else {
            m_refused.insert(chatId);
            const QString error = result.value(str("error")).toString();
            // Spec 001's codes, said as sentences (the code stays, for whoever reports it).
            if (error == u"no access")
                emit errorOccurred(QStringLiteral("This server does not let you into chat %1 (\"no access\"): check "
                                                  "the id, or ask to be added.").arg(chatId));
            else
                emit errorOccurred(QStringLiteral("This server refused to follow chat %1 (\"%2\").")
                                       .arg(chatId, error.isEmpty() ? str("no reason given") : error));
        }
    }
}

void ChatsBackend::handleMessageResponse(const QJsonObject &frame)
{
    const QString status = frame.value(str("status")).toString();
    if (status != u"success") {
        const QString error = frame.value(str("error")).toString();
        return handleError(error.isEmpty() ? str("Couldn't send message") : error);
    }
    if (m_inFlight.isEmpty()) {
        qCWarning(lcChats) << "message_response with no send waiting";
        return;
    }
    const InFlight sent = m_inFlight.takeFirst(); // no correlation id: answers come in send order
    ChatMessage stored;
    stored.roomKey = frame.value(str("chat_id")).isString() ? frame.value(str("chat_id")).toString() : sent.roomKey;
    stored.id = idString(frame.value(str("id"))); // Natter's extra; empty otherwise
    stored.clientId = sent.clientId;
    stored.sender = self();
    stored.outgoing = true;
    stored.kind = MessageKind::Text;
    stored.text = sent.text;
    stored.createdAt = parseWireTime(frame.value(str("timestamp")));
    if (!stored.createdAt.isValid())
        stored.createdAt = QDateTime::currentDateTimeUtc();
    stored.status = DeliveryStatus::Sent;
    if (!stored.id.isEmpty())
        m_seenIds.insert(stored.roomKey + u'/' + stored.id); // catch-up will not bring it again
    emit messageAcked(sent.clientId, stored);
}

void ChatsBackend::handleError(const QString &error)
{
    if (isSendError(error) && !m_inFlight.isEmpty()) {
        const InFlight failed = m_inFlight.takeFirst();
        return emit sendFailed(failed.clientId, error);
    }
    emit errorOccurred(error);
}

void ChatsBackend::handleIncoming(const QJsonObject &frame)
{
    ChatMessage message;
    message.roomKey = frame.value(str("chat_id")).toString();
    message.id = idString(frame.value(str("id")));
    const QString from = frame.value(str("from")).toString();
    message.sender = {from, from, from, false, {}};
    message.outgoing = !from.isEmpty() && from == self().username;
    message.text = frame.value(str("message")).toString();
    message.createdAt = parseWireTime(frame.value(str("timestamp")));
    if (!message.createdAt.isValid())
        message.createdAt = QDateTime::currentDateTimeUtc();
    if (frame.value(str("room_id")).isDouble() && !message.roomKey.isEmpty())
        m_roomIds.insert(message.roomKey, frame.value(str("room_id")).toInteger());
    deliver(message);
}

void ChatsBackend::deliver(const ChatMessage &message)
{
    if (!message.id.isEmpty() && !m_seenIds.insert(message.roomKey + u'/' + message.id))
        return;
    emit messageReceived(message);
}

void ChatsBackend::withRoomId(const QString &roomKey, std::function<void(std::optional<qint64>)> then)
{
    if (const qint64 id = m_roomIds.value(roomKey))
        return then(id);
    natterrest::fetchRooms(restGet(), [this, roomKey, then](const QList<RoomSummary> &rooms, bool ok) {
        if (ok) {
            m_natter = true;
            for (const RoomSummary &room : rooms)
                m_roomIds.insert(room.uuid, room.id);
        }
        const qint64 id = m_roomIds.value(roomKey);
        then(id > 0 ? std::optional<qint64>(id) : std::nullopt);
    });
}

RoomSummary ChatsBackend::keyedRoom(RoomSummary room) const
{
    room.key = room.uuid;
    if (!room.other.username.isEmpty())
        room.other.id = room.other.username;
    return room;
}

void ChatsBackend::withNatterRoomId(const QString &roomKey, std::function<void(std::optional<qint64>)> then)
{
    bool numeric = false;
    const qint64 id = roomKey.toLongLong(&numeric);
    if (numeric && id > 0)
        return then(id);
    withRoomId(roomKey, std::move(then));
}

// REST messages name people by Natter id; this dialect names them by username.
static ChatMessage rekeyed(ChatMessage message, const QString &roomKey, const Person &self)
{
    message.roomKey = roomKey;
    message.sender.id = message.sender.username;
    message.outgoing = !message.sender.username.isEmpty() && message.sender.username == self.username;
    message.clientId.clear(); // this dialect has no client ids: never an ack
    return message;
}

// Natter only: the newest page after each successful subscription, oldest first.
void ChatsBackend::catchUpRoom(const QString &roomKey)
{
    if (!m_natter)
        return;
    withRoomId(roomKey, [this, roomKey](std::optional<qint64> roomId) {
        if (!roomId)
            return;
        natterrest::fetchHistory(restGet(), *roomId, {}, 20,
                                 [this, roomKey](const QList<ChatMessage> &messages, bool, bool ok) {
            if (!ok)
                return;
            for (auto it = messages.crbegin(); it != messages.crend(); ++it)
                deliver(rekeyed(*it, roomKey, self()));
        });
    });
}

void ChatsBackend::loadHistory(const QString &roomKey, const QString &beforeId, int limit)
{
    if (!m_natter)
        return emit historyLoaded(roomKey, {}, true); // the spec has no history
    withRoomId(roomKey, [this, roomKey, beforeId, limit](std::optional<qint64> roomId) {
        if (!roomId)
            return emit historyLoaded(roomKey, {}, true);
        natterrest::fetchHistory(restGet(), *roomId, beforeId, limit,
                                 [this, roomKey](QList<ChatMessage> messages, bool complete, bool ok) {
            if (!ok)
                emit errorOccurred(QStringLiteral("History of chat %1 is not available").arg(roomKey));
            for (ChatMessage &message : messages)
                message = rekeyed(message, roomKey, self());
            emit historyLoaded(roomKey, messages, complete || !ok);
        });
    });
}

void ChatsBackend::listRooms()
{
    natterrest::fetchRooms(restGet(), [this](QList<RoomSummary> rooms, bool ok) {
        if (ok) {
            m_natter = true;
            for (RoomSummary &room : rooms) {
                room.key = room.uuid;
                room.other.id = room.other.username; // people are usernames here
                if (room.lastMessage) {
                    room.lastMessage->roomKey = room.key;
                    room.lastMessage->sender.id.clear(); // a Natter id, not a username
                }
                m_roomIds.insert(room.uuid, room.id);
            }
            return emit roomsListed(rooms);
        }
        // Any other server: the chats we subscribed to, less the refused ones.
        QList<RoomSummary> known;
        for (const QString &key : subscriptions()) {
            if (m_refused.contains(key))
                continue;
            RoomSummary room;
            room.key = key;
            room.uuid = key;
            room.name = key;
            known.append(room);
        }
        std::sort(known.begin(), known.end(), [](const RoomSummary &a, const RoomSummary &b) { return a.key < b.key; });
        emit roomsListed(known);
    });
}

} // namespace natter::client
