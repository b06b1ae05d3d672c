#include "wirevalues.h"
#include "gatewaybackend.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QSysInfo>
#include <QTimerEvent>
#include <algorithm>

Q_LOGGING_CATEGORY(lcGateway, "natter.client.gateway")

namespace natter::client {
namespace {

QString str(const char *text) { return QString::fromLatin1(text); }

enum Opcode { Dispatch = 0, Identify = 2, InvalidSession = 9, Hello = 10, HeartbeatAck = 11 };
enum CloseCode : int {
    NotAuthenticated = 4003,
    AuthenticationFailed = 4004,
    AlreadyAuthenticated = 4005,
    RateLimited = 4008,
};

constexpr int helloTimeoutMs = 15'000;

} // namespace

GatewayBackend::GatewayBackend(Settings settings, QObject *parent)
    : WebSocketBackend(std::move(settings), parent)
{
    connect(&socket(), &QWebSocket::pong, this, [this] { m_lastHeard.restart(); });
    // QWebSocket keeps the last close code across connections: only a close
    // handshake on this connection tells what the server meant.
    connect(&socket(), &QWebSocket::aboutToClose, this, [this] { m_closeHandshake = true; });
}

GatewayBackend::~GatewayBackend() = default;

Backend::Capabilities GatewayBackend::capabilities() const
{
    Capabilities capabilities = Capability::MessageRequests | Capability::DirectByPerson | Capability::History
        | Capability::RoomList | Capability::CreateRooms;
    if (m_natter)
        capabilities |= Capability::PeopleSearch | Capability::RoomEvents; // Natter's THREAD_UPDATE
    else
        capabilities |= Capability::OpenByAddress; // spec 004 has no directory: a person by their UUID
    return capabilities;
}

QList<ConversationKind> GatewayBackend::conversationKinds() const
{
    return {{str("person"), str("Person"), str("Their user id, a UUID such as 1b4e28ba-2fa1-11d2-883f-0016d3cca427")}};
}

std::optional<RoomSummary> GatewayBackend::conversationRoom(const QString &kind, const QString &address,
                                                            QString *problem) const
{
    const QString id = address.trimmed();
    if (kind != u"person" || id.isEmpty() || id.contains(u' ')) {
        if (problem)
            *problem = str("A person is reached by their user id, a UUID such as 1b4e28ba-2fa1-11d2-883f-0016d3cca427.");
        return std::nullopt;
    }
    // The thread with them, if one is known; else a draft the first message turns into one.
    QString key = draftKey(id);
    for (auto it = m_threadOther.cbegin(); it != m_threadOther.cend(); ++it) {
        if (it.value() == id)
            key = it.key();
    }
    RoomSummary room;
    room.key = key;
    room.uuid = key == draftKey(id) ? QString() : key;
    room.kind = RoomKind::Direct;
    room.other.id = id;
    room.name = str("Person ") + id.left(8);
    room.lastActivity = QDateTime::currentDateTimeUtc();
    return room;
}

RoomSummary GatewayBackend::roomForMessage(const ChatMessage &message) const
{
    RoomSummary room;
    room.key = message.roomKey;
    room.uuid = message.roomKey;
    room.kind = RoomKind::Direct;
    if (!message.outgoing)
        room.other = message.sender;
    else
        room.other.id = m_threadOther.value(message.roomKey);
    room.name = !room.other.displayName.isEmpty() ? room.other.displayName
        : !room.other.username.isEmpty()          ? room.other.username
                                                  : message.roomKey;
    room.lastActivity = message.createdAt;
    return room;
}

QString GatewayBackend::identifyOs()
{
    return QSysInfo::productType();
}

QNetworkRequest GatewayBackend::handshakeRequest()
{
    m_closeHandshake = false; // a new attempt
    // The token goes in IDENTIFY, not in the URL.
    return QNetworkRequest(webSocketUrl());
}

void GatewayBackend::onOpened()
{
    m_helloSeen = false;
    m_invalidSession = false;
    m_closeHandshake = false;
    m_lastHeard.start();
    m_helloTimer.start(helloTimeoutMs, this);
}

void GatewayBackend::onClosed()
{
    m_pingTimer.stop();
    m_helloTimer.stop();
    m_lastHeard.invalidate();
    // Whatever was not acknowledged goes again after the reconnect (same nonce).
    m_inFlight.clear();
    const int code = m_closeHandshake ? int(socket().closeCode()) : int(QWebSocketProtocol::CloseCodeAbnormalDisconnection);
    const QString reason = m_closeHandshake ? socket().closeReason() : QString();
    m_closeHandshake = false;
    if (m_invalidSession || code == AuthenticationFailed || code == NotAuthenticated || code == AlreadyAuthenticated) {
        m_invalidSession = false;
        return giveUp(QStringLiteral("The gateway refused the session (%1 %2)")
                          .arg(code)
                          .arg(reason.isEmpty() ? str("AUTHENTICATION_FAILED") : reason));
    }
    if (code == RateLimited) {
        m_rateLimited = true;
        emit errorOccurred(str("Rate limited by the server: reconnecting later"));
    }
}

std::chrono::milliseconds GatewayBackend::nextReconnectDelay()
{
    const std::chrono::milliseconds usual = reconnectPolicy().nextDelay();
    if (!m_rateLimited)
        return usual;
    m_rateLimited = false;
    return std::max(usual, m_rateLimitedDelay);
}

void GatewayBackend::timerEvent(QTimerEvent *event)
{
    if (event->timerId() == m_pingTimer.timerId()) {
        if (m_lastHeard.isValid() && m_lastHeard.elapsed() > 2 * qint64(m_pingInterval) + 1000) {
            qCInfo(lcGateway) << "no pong for two heartbeat intervals: dropping the link";
            socket().abort();
            return;
        }
        socket().ping();
        return;
    }
    if (event->timerId() == m_helloTimer.timerId()) {
        m_helloTimer.stop();
        if (!m_helloSeen) {
            qCInfo(lcGateway) << "no HELLO: dropping the link";
            socket().abort();
        }
        return;
    }
    WebSocketBackend::timerEvent(event);
}

void GatewayBackend::onText(const QString &text)
{
    m_lastHeard.restart();
    const QJsonObject payload = QJsonDocument::fromJson(text.toUtf8()).object();
    const QJsonValue opcode = payload.value(str("o"));
    if (!opcode.isDouble()) {
        qCDebug(lcGateway) << "ignoring a payload without an opcode";
        return;
    }
    const QJsonValue data = payload.value(str("d"));
    switch (opcode.toInt()) {
    case Hello: {
        m_helloSeen = true;
        m_helloTimer.stop();
        const int interval = data.toObject().value(str("heartbeat_interval")).toInt();
        if (interval > 0)
            m_pingInterval = std::max(1000, interval);
        m_pingTimer.start(m_pingInterval, this);
        sendJson({{str("o"), Identify},
                  {str("d"), QJsonObject{{str("token"), token()},
                                         {str("properties"), QJsonObject{{str("os"), identifyOs()},
                                                                         {str("device"), identifyDevice()}}}}}});
        return;
    }
    case InvalidSession:
        // Natter sends it right before closing with 4004; the close gives up.
        m_invalidSession = true;
        return;
    case HeartbeatAck:
        return;
    case Dispatch:
        return handleDispatch(payload.value(str("e")).toString(), data.toObject());
    default:
        qCDebug(lcGateway) << "ignoring opcode" << opcode.toInt();
    }
}

void GatewayBackend::handleDispatch(const QString &event, const QJsonObject &data)
{
    if (event == u"READY") {
        handleReady(data);
    } else if (event == u"MESSAGE_SENT") {
        handleSent(data);
    } else if (event == u"MESSAGE") {
        const ChatMessage message = messageFromJson(data);
        if (!message.outgoing) {
            rememberThread(message.roomKey, message.sender.id);
            emit approvalPending(message.roomKey, false); // they write back: approved
        }
        if (auto it = m_history.find(message.roomKey); it != m_history.end())
            ++it->live;
        // Our own message from another connection, or one this connection is still waiting for.
        const auto pending = std::find_if(m_inFlight.begin(), m_inFlight.end(), [&message](const InFlight &f) {
            return message.outgoing && !message.clientId.isEmpty() && f.clientId == message.clientId;
        });
        if (pending != m_inFlight.end()) {
            m_inFlight.erase(pending);
            emit messageAcked(message.clientId, message);
        } else {
            emit messageReceived(message);
        }
    } else if (event == u"MESSAGE_REQUEST") {
        // The first message of someone new: a request to answer, and a message in its thread.
        const ChatMessage message = messageFromJson(data);
        rememberThread(message.roomKey, message.sender.id);
        emit messageRequestReceived({message.roomKey, message.sender, message.text, message.createdAt});
        emit messageReceived(message);
    } else if (event == u"ERROR") {
        handleError(data);
    } else if (event == u"THREAD_UPDATE") {
        listRooms(); // Natter's: a thread opened, approved or blocked; the list says how it stands
    } else {
        qCDebug(lcGateway) << "ignoring event" << event;
    }
}

void GatewayBackend::handleReady(const QJsonObject &data)
{
    if (isReady())
        return;
    Person me = personFromJson(data.value(str("user")).toObject());
    me.online = true;
    setSelf(me);
    m_natter = data.contains(str("threads"));
    // Natter adds the threads: learn who is on the other side of each, and
    // report requests waiting for our answer (they may have come while offline).
    for (const QJsonValue &value : data.value(str("threads")).toArray()) {
        const QJsonObject thread = value.toObject();
        const RoomSummary summary = threadFromJson(thread);
        if (thread.value(str("membership")).toString() == u"requested" && summary.lastMessage) {
            emit messageRequestReceived(
                {summary.key, summary.other, summary.lastMessage->text, summary.lastMessage->createdAt});
        }
    }
    markReady();
}

void GatewayBackend::handleSent(const QJsonObject &data)
{
    const QString nonce = idString(data.value(str("nonce")));
    auto it = m_inFlight.begin();
    if (!nonce.isEmpty())
        it = std::find_if(m_inFlight.begin(), m_inFlight.end(), [&nonce](const InFlight &f) { return f.clientId == nonce; });
    if (it == m_inFlight.end()) {
        qCDebug(lcGateway) << "MESSAGE_SENT for nothing in flight" << nonce;
        return;
    }
    const InFlight sent = *it;
    m_inFlight.erase(it);

    ChatMessage stored;
    stored.roomKey = data.value(str("thread_id")).toString();
    if (stored.roomKey.isEmpty())
        stored.roomKey = sent.roomKey;
    else
        rememberThread(stored.roomKey, sent.recipient);
    if (sent.roomKey != stored.roomKey && sent.roomKey.startsWith(u"user:")) {
        announceThread(stored.roomKey, data.value(str("room_id")).toInteger(), sent.recipient);
        // Spec 004: a first message is a request to the other side until they approve it.
        if (!m_natter)
            emit approvalPending(stored.roomKey, true);
    }
    stored.id = idString(data.value(str("message_id")));
    stored.clientId = sent.clientId;
    stored.sender = self();
    stored.outgoing = true;
    stored.text = sent.text;
    stored.createdAt = parseWireTime(data.value(str("timestamp")));
    if (!stored.createdAt.isValid())
        stored.createdAt = QDateTime::currentDateTimeUtc();
    stored.status = DeliveryStatus::Sent;
    if (auto cursor = m_history.find(stored.roomKey); cursor != m_history.end())
        ++cursor->live;
    emit messageAcked(sent.clientId, stored);
}

// Natter's ERROR dispatch {code, message, event, nonce}: a SEND_MESSAGE it refused.
void GatewayBackend::handleError(const QJsonObject &data)
{
    const QString nonce = idString(data.value(str("nonce")));
    QString reason = data.value(str("message")).toString();
    const QString code = data.value(str("code")).toString();
    if (reason.isEmpty())
        reason = code;
    auto it = m_inFlight.end();
    if (!nonce.isEmpty())
        it = std::find_if(m_inFlight.begin(), m_inFlight.end(), [&nonce](const InFlight &f) { return f.clientId == nonce; });
    else if (data.value(str("event")).toString() == u"SEND_MESSAGE" && !m_inFlight.isEmpty())
        it = m_inFlight.begin(); // answered in send order
    if (it == m_inFlight.end())
        return emit errorOccurred(reason);
    const QString clientId = it->clientId;
    m_inFlight.erase(it);
    emit sendFailed(clientId, reason);
}

Person GatewayBackend::personFromJson(const QJsonObject &user) const
{
    Person person;
    person.id = idString(user.value(str("id")));
    person.username = user.value(str("username")).toString();
    person.displayName = user.value(str("display_name")).toString();
    if (person.displayName.isEmpty()) {
        const QString full = user.value(str("first_name")).toString() + u' ' + user.value(str("last_name")).toString();
        person.displayName = full.trimmed();
    }
    if (person.displayName.isEmpty())
        person.displayName = person.username;
    return person;
}

ChatMessage GatewayBackend::messageFromJson(const QJsonObject &data) const
{
    ChatMessage message;
    message.roomKey = data.value(str("thread_id")).toString();
    message.id = idString(data.value(str("message_id")));
    message.sender = personFromJson(data.value(str("from")).toObject());
    message.outgoing = !self().id.isEmpty() && message.sender.id == self().id;
    if (message.outgoing)
        message.clientId = idString(data.value(str("nonce")));
    message.kind = MessageKind::Text; // stamps and locations arrive as text
    message.text = data.value(str("message")).toString();
    message.createdAt = parseWireTime(data.value(str("timestamp")));
    message.status = DeliveryStatus::Sent;
    return message;
}

RoomSummary GatewayBackend::threadFromJson(const QJsonObject &thread)
{
    RoomSummary room;
    room.key = thread.value(str("id")).toString();
    room.uuid = room.key;
    room.id = thread.value(str("room_id")).toInteger();
    room.kind = RoomKind::Direct;
    QJsonObject other = thread.value(str("other")).toObject();
    if (other.isEmpty()) {
        for (const QJsonValue &value : thread.value(str("participants")).toArray()) {
            if (idString(value.toObject().value(str("id"))) != self().id)
                other = value.toObject();
        }
    }
    room.other = personFromJson(other);
    room.name = room.other.displayName.isEmpty() ? room.key : room.other.displayName;
    const QJsonObject last = thread.value(str("last_message")).toObject();
    if (!last.isEmpty()) {
        room.lastMessage = messageFromJson(last);
        room.lastMessage->roomKey = room.key;
        room.lastActivity = room.lastMessage->createdAt;
    } else {
        room.lastActivity = parseWireTime(thread.value(str("created_at")));
    }
    rememberThread(room.key, room.other.id);
    return room;
}

void GatewayBackend::rememberThread(const QString &threadKey, const QString &otherUuid)
{
    if (!threadKey.isEmpty() && !otherUuid.isEmpty() && otherUuid != self().id)
        m_threadOther.insert(threadKey, otherUuid);
}

void GatewayBackend::announceThread(const QString &threadKey, qint64 roomId, const QString &otherUuid)
{
    RoomSummary thread;
    thread.key = threadKey;
    thread.uuid = threadKey;
    thread.id = roomId;
    thread.kind = RoomKind::Direct;
    thread.other.id = otherUuid;
    thread.name = otherUuid;
    thread.lastActivity = QDateTime::currentDateTimeUtc();
    // The other person's name comes with the thread list.
    httpGet(str("/thread"), {}, [this, thread](int status, const QByteArray &body) mutable {
        if (status == 200) {
            for (const QJsonValue &value : QJsonDocument::fromJson(body).array()) {
                if (value.toObject().value(str("id")).toString() == thread.key)
                    thread = threadFromJson(value.toObject());
            }
        }
        emit roomCreated(thread);
    });
}

void GatewayBackend::subscribeNow(const QString &roomKey)
{
    // Every thread's events come on the one connection.
    emit subscribed(roomKey);
}

bool GatewayBackend::canSendTo(const QString &roomKey) const
{
    Q_UNUSED(roomKey)
    return connectionState() == ConnectionState::Connected;
}

void GatewayBackend::send(const OutgoingMessage &message)
{
    if (message.kind != MessageKind::Text)
        return emit sendFailed(message.clientId, str("This server takes text messages only"));
    if (message.text.trimmed().isEmpty())
        return emit sendFailed(message.clientId, str("Message cannot be empty"));
    QString recipient = message.recipientId;
    if (recipient.isEmpty() && message.roomKey.startsWith(u"user:"))
        recipient = message.roomKey.mid(5);
    if (recipient.isEmpty())
        recipient = m_threadOther.value(message.roomKey);
    if (recipient.isEmpty())
        return emit sendFailed(message.clientId, str("Unknown recipient for thread ") + message.roomKey);
    if (!isReady())
        return emit sendFailed(message.clientId, str("Not connected"));

    QJsonObject data{{str("to"), recipient}, {str("message"), message.text}};
    if (!message.clientId.isEmpty())
        data.insert(str("nonce"), message.clientId); // Natter echoes it in MESSAGE_SENT
    m_inFlight.append({message.clientId, message.roomKey, recipient, message.text});
    sendJson({{str("o"), Dispatch}, {str("e"), str("SEND_MESSAGE")}, {str("d"), data}});
}

void GatewayBackend::fetchThread(const QString &threadKey, int limit, int offset,
                                 std::function<void(bool, const QList<ChatMessage> &, int)> handler)
{
    QUrlQuery query;
    query.addQueryItem(str("limit"), QString::number(limit));
    query.addQueryItem(str("offset"), QString::number(offset));
    httpGet(str("/thread/") + threadKey, query,
            [this, threadKey, handler = std::move(handler)](int status, const QByteArray &body) {
        if (status != 200)
            return handler(false, {}, 0);
        const QJsonArray array = QJsonDocument::fromJson(body).array();
        QList<ChatMessage> messages;
        for (const QJsonValue &value : array) {
            ChatMessage message = messageFromJson(value.toObject());
            if (message.roomKey.isEmpty())
                message.roomKey = threadKey;
            if (!message.outgoing)
                rememberThread(threadKey, message.sender.id);
            messages.append(message);
        }
        sortNewestFirst(messages);
        handler(true, messages, int(array.size()));
    });
}

void GatewayBackend::catchUp()
{
    for (const QString &thread : subscriptions()) {
        if (thread.startsWith(u"user:"))
            continue; // not a thread yet
        fetchThread(thread, 50, 0, [this](bool ok, const QList<ChatMessage> &page, int) {
            if (!ok)
                return;
            for (auto it = page.crbegin(); it != page.crend(); ++it)
                emit messageReceived(*it);
        });
    }
}

void GatewayBackend::loadHistory(const QString &roomKey, const QString &beforeId, int limit)
{
    if (limit <= 0)
        limit = 50;
    const Cursor cursor = m_history.value(roomKey);
    const int offset = beforeId.isEmpty() ? 0 : cursor.offset + cursor.live;
    fetchThread(roomKey, limit, offset,
                [this, roomKey, beforeId, limit, offset](bool ok, const QList<ChatMessage> &page, int raw) {
        if (!ok) {
            emit errorOccurred(str("Could not load the thread ") + roomKey);
            return emit historyLoaded(roomKey, {}, false);
        }
        m_history.insert(roomKey, Cursor{offset + raw, 0});
        QList<ChatMessage> older;
        for (const ChatMessage &message : page) {
            if (beforeId.isEmpty() || olderThan(message.id, beforeId))
                older.append(message);
        }
        // Fewer than asked: the start of the thread. More: a server that does
        // not page and sent the whole thread.
        emit historyLoaded(roomKey, older, raw < limit || raw > limit);
    });
}

void GatewayBackend::listRooms()
{
    httpGet(str("/thread"), {}, [this](int status, const QByteArray &body) {
        QList<RoomSummary> rooms;
        if (status != 200) {
            emit errorOccurred(str("Could not list threads: ") + httpErrorText(status, body));
            return emit roomsListed(rooms);
        }
        for (const QJsonValue &value : QJsonDocument::fromJson(body).array())
            rooms.append(threadFromJson(value.toObject()));
        emit roomsListed(rooms);
    });
}

void GatewayBackend::approveThread(const QString &threadKey)
{
    answerThread(threadKey, true);
}

void GatewayBackend::blockThread(const QString &threadKey)
{
    answerThread(threadKey, false);
}

void GatewayBackend::answerThread(const QString &threadKey, bool approve)
{
    const QString path = str("/thread/") + threadKey + (approve ? str("/approve") : str("/block"));
    httpPost(path, {}, [this, threadKey, approve](int status, const QByteArray &body) {
        const bool ok = status == 200 || status == 201 || status == 204;
        const QString error = ok ? QString() : httpErrorText(status, body);
        emit threadAnswered(threadKey, approve, ok, error);
        finishAction(approve ? str("approve") : str("block"), threadKey, ok, error);
    });
}

void GatewayBackend::answerMessageRequest(const QString &threadKey, bool approve)
{
    answerThread(threadKey, approve);
}

void GatewayBackend::startDirectChat(const Person &person)
{
    if (person.id.isEmpty())
        return failAction(str("direct"), person.id, str("Unknown person"));
    httpGet(str("/thread"), {}, [this, person](int status, const QByteArray &body) {
        if (status != 200)
            return failAction(str("direct"), person.id, httpErrorText(status, body));
        for (const QJsonValue &value : QJsonDocument::fromJson(body).array()) {
            const RoomSummary thread = threadFromJson(value.toObject());
            if (thread.other.id == person.id)
                return emit roomCreated(thread);
        }
        // No thread yet: the first message opens it.
        RoomSummary draft;
        draft.key = draftKey(person.id);
        draft.kind = RoomKind::Direct;
        draft.other = person;
        draft.name = person.displayName.isEmpty() ? person.username : person.displayName;
        draft.lastActivity = QDateTime::currentDateTimeUtc();
        emit roomCreated(draft);
    });
}

void GatewayBackend::setTyping(const QString &, bool)
{
    // Spec 004 has no typing events.
}

void GatewayBackend::markStatus(const QString &, const QString &, DeliveryStatus)
{
    // Spec 004 has no receipts.
}

} // namespace natter::client
