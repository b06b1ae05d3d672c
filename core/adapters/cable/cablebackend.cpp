#include "wirevalues.h"
#include "cablebackend.h"

#include "natterrest.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QNetworkReply>

Q_LOGGING_CATEGORY(lcCable, "natter.client.cable")

namespace natter::client {
namespace {

QString str(const char *text) { return QString::fromLatin1(text); }

QString compact(const QJsonObject &object)
{
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

const QString channelName = QStringLiteral("MessageChannel");

} // namespace

CableBackend::CableBackend(Settings settings, QObject *parent)
    : WebSocketBackend(std::move(settings), parent)
{
    m_staleTimer.setSingleShot(true);
    connect(&m_staleTimer, &QTimer::timeout, this, &CableBackend::stale);
    // A stamp fetch refused by TLS just fails; the socket's refusal is what stops the adapter.
    tlsTrust().watch(m_stampNetwork, this, [](const TlsProblem &) { });
}

Backend::Capabilities CableBackend::capabilities() const
{
    Capabilities capabilities = Capability::Stamps | Capability::Locations;
    if (m_natter)
        capabilities |= Capability::RoomList | Capability::History | Capability::Groups | Capability::CreateRooms
            | Capability::PeopleSearch | Capability::Notifications | Capability::RoomEvents; // room_update on the lobby
    else
        capabilities |= Capability::OpenByAddress; // spec 000 lists no rooms: they open by their id
    return capabilities;
}

QList<ConversationKind> CableBackend::conversationKinds() const
{
    return {{str("room"), str("Room"), str("The room's id as the server names it, such as 42 or general")}};
}

std::optional<RoomSummary> CableBackend::conversationRoom(const QString &kind, const QString &address,
                                                          QString *problem) const
{
    const QString id = address.trimmed();
    if (kind != u"room" || id.isEmpty() || id.contains(u' ')) {
        if (problem)
            *problem = str("A room is opened by its id as the server names it, such as 42 or general (no spaces).");
        return std::nullopt;
    }
    return openedRoom(id);
}

RoomSummary CableBackend::roomForMessage(const ChatMessage &message) const
{
    RoomSummary room;
    room.key = message.roomKey;
    room.kind = RoomKind::Group;
    room.name = message.roomKey == lobbyKey() ? str("Lobby") : str("Room ") + message.roomKey;
    room.lastActivity = message.createdAt;
    return room;
}

QString CableBackend::identifierFor(const QString &roomKey)
{
    QJsonObject params{{str("channel"), channelName}};
    if (roomKey != lobbyKey()) {
        bool numeric = false;
        const qint64 roomId = roomKey.toLongLong(&numeric);
        params.insert(str("room_id"), numeric ? QJsonValue(roomId) : QJsonValue(roomKey));
    }
    return compact(params);
}

std::optional<QString> CableBackend::roomKeyFor(const QJsonValue &identifier)
{
    QJsonObject params;
    if (identifier.isString())
        params = QJsonDocument::fromJson(identifier.toString().toUtf8()).object();
    else if (identifier.isObject())
        params = identifier.toObject(); // the spec's printed form
    if (params.value(str("channel")).toString() != channelName)
        return std::nullopt;
    const QJsonValue room = params.value(str("room_id"));
    if (room.isUndefined() || room.isNull())
        return lobbyKey();
    return idString(room);
}

QWebSocketHandshakeOptions CableBackend::handshakeOptions() const
{
    QWebSocketHandshakeOptions options;
    options.setSubprotocols({str("actioncable-v1-json")});
    return options;
}

void CableBackend::disconnectFromServer()
{
    m_staleTimer.stop();
    m_echoes.clear();
    WebSocketBackend::disconnectFromServer();
}

void CableBackend::abandonSend(const QString &clientId)
{
    m_echoes.forget(clientId);
}

bool CableBackend::canSendTo(const QString &roomKey) const
{
    return isReady() && m_confirmed.contains(roomKey);
}

void CableBackend::onOpened()
{
    if (natterUserId() != 0)
        m_natter = true;
    if (self().id.isEmpty()) {
        const QJsonObject claims = natterrest::jwtClaims(token());
        QString claimedId = idString(claims.value(str("sub")));
        for (const char *name : {"user_id", "id"}) {
            if (claimedId.isEmpty())
                claimedId = idString(claims.value(str(name)));
        }
        Person me;
        me.id = natterUserId() != 0 ? QString::number(natterUserId()) : claimedId;
        me.username = settings().signIn.username.isEmpty() ? claims.value(str("username")).toString()
                                                           : settings().signIn.username;
        me.displayName = me.username;
        me.online = true;
        setSelf(me);
    }
    m_confirmed.clear();
    m_staleTimer.start(m_staleThreshold); // the welcome counts as the first sign of life
}

void CableBackend::onClosed()
{
    m_staleTimer.stop();
    m_confirmed.clear();
    // Natter drops a re-sent temp id, so what was in flight may go again; any
    // other server cannot, so a write stays written (at most once) until its
    // echo comes or the sender gives up on it.
    if (m_natter)
        m_echoes.clear();
}

void CableBackend::stale()
{
    if (socket().state() == QAbstractSocket::UnconnectedState)
        return;
    qCInfo(lcCable) << "no frame for" << m_staleThreshold.count() << "ms: reconnecting";
    socket().abort(); // → disconnected → WebSocketBackend reconnects with backoff
}

void CableBackend::subscribeNow(const QString &roomKey)
{
    sendJson({{str("command"), str("subscribe")}, {str("identifier"), identifierFor(roomKey)}});
}

void CableBackend::onText(const QString &text)
{
    m_staleTimer.start(m_staleThreshold); // any frame proves the link is alive
    const QJsonDocument document = QJsonDocument::fromJson(text.toUtf8());
    if (!document.isObject()) {
        qCWarning(lcCable) << "ignoring a frame that is not a JSON object:" << text.left(200);
        return;
    }
    const QJsonObject frame = document.object();
    const QString type = frame.value(str("type")).toString();
    if (type == u"welcome") {
        if (!isReady())
            markReady();
    } else if (type == u"ping") {
        // The timer restarted above is all a ping is for.
    } else if (type == u"confirm_subscription") {
        if (const auto key = roomKeyFor(frame.value(str("identifier")))) {
            m_confirmed.insert(*key);
            emit subscribed(*key);
            catchUpRoom(*key);
        }
    } else if (type == u"reject_subscription") {
        if (const auto key = roomKeyFor(frame.value(str("identifier")))) {
            m_confirmed.remove(*key);
            emit errorOccurred(QStringLiteral("Subscription to room %1 was rejected").arg(*key));
        }
    } else if (type == u"disconnect") {
        handleDisconnect(frame);
    } else if (type == u"error") {
        // Natter's extra: a refused command, with the temp id of a refused send.
        const QString message = frame.value(str("message")).toString();
        const QString tempId = idString(frame.value(str("temp_id")));
        if (!tempId.isEmpty() && m_echoes.isWritten(tempId)) {
            m_echoes.forget(tempId);
            emit sendFailed(tempId, message);
        }
        else
            emit errorOccurred(message);
    } else if (type.isEmpty() && frame.contains(str("message"))) {
        if (const auto key = roomKeyFor(frame.value(str("identifier"))))
            handleMessage(*key, frame.value(str("message")));
    }
}

void CableBackend::handleDisconnect(const QJsonObject &frame)
{
    const QString reason = frame.value(str("reason")).toString();
    if (frame.value(str("reconnect")) == QJsonValue(false))
        return giveUp(QStringLiteral("The server closed the connection for good: %1")
                          .arg(reason.isEmpty() ? str("no reason given") : reason));
    qCInfo(lcCable) << "server asks to reconnect:" << reason;
    socket().close(QWebSocketProtocol::CloseCodeNormal); // → disconnected → reconnect
}

bool CableBackend::isSelf(const Person &person) const
{
    return EchoMatcher::senderOf(person, self()) == EchoMatcher::Sender::Us;
}

// A server whose token does not say who we are: the sender of our own echo is us.
void CableBackend::learnSelf(const Person &sender)
{
    Person me = self();
    if (!me.id.isEmpty() || sender.id.isEmpty())
        return;
    me.id = sender.id;
    if (me.username.isEmpty())
        me.username = sender.username;
    if (me.displayName.isEmpty())
        me.displayName = sender.displayName.isEmpty() ? me.username : sender.displayName;
    setSelf(me);
}

void CableBackend::handleMessage(const QString &roomKey, const QJsonValue &payload)
{
    // Natter's room_update on the lobby: a room or membership changed; the room
    // list (and a group invitation among the notifications) says how it stands now.
    if (payload.toObject().value(str("type")).toString() == u"room_update") {
        listRooms();
        fetchNotifications();
        return;
    }
    ChatMessage message;
    message.roomKey = roomKey;
    if (payload.isObject()) {
        const QJsonObject object = payload.toObject();
        message.id = idString(object.value(str("id")));
        message.clientId = idString(object.value(str("temp_id")));
        const QJsonObject user = object.value(str("user")).toObject();
        message.sender.id = idString(user.isEmpty() ? object.value(str("user_id")) : user.value(str("id")));
        message.sender.username = (user.isEmpty() ? object : user).value(str("username")).toString();
        message.sender.displayName = user.value(str("display_name")).toString();
        if (message.sender.displayName.isEmpty())
            message.sender.displayName = message.sender.username;
        message.stampId = idString(object.value(str("stamp_id")));
        const bool located = object.contains(str("latitude")) && object.contains(str("longitude"));
        const auto kind = messageKindFromString(object.value(str("kind")).toString());
        message.kind = kind.value_or(!message.stampId.isEmpty() ? MessageKind::Stamp
                                     : located                  ? MessageKind::Location
                                                                : MessageKind::Text);
        message.text = object.value(str("message")).toString();
        message.latitude = object.value(str("latitude")).toDouble();
        message.longitude = object.value(str("longitude")).toDouble();
        message.createdAt = parseWireTime(object.value(str("created_at")));
        if (roomKey == lobbyKey() && object.value(str("room_id")).isDouble())
            m_lobbyRoomId = object.value(str("room_id")).toInteger();
    } else if (payload.isString()) {
        message.text = payload.toString(); // a server that broadcasts bare text
    } else {
        return;
    }
    if (!message.createdAt.isValid())
        message.createdAt = QDateTime::currentDateTimeUtc();
    deliver(message);
}

// Our own message echoed is the ack of its send (EchoMatcher: by temp id
// where the frame has one, else by sender, room and content); anything else is
// news, once: live frames and catch-up overlap.
void CableBackend::deliver(ChatMessage message)
{
    const auto sender = EchoMatcher::senderOf(message.sender, self());
    if (const auto clientId = m_echoes.claim(message.roomKey, EchoMatcher::Fingerprint::of(message), sender,
                                             message.clientId)) {
        learnSelf(message.sender);
        m_recentAcks.insert(*clientId);
        m_seenIds.insert(message.roomKey + u'/' + message.id);
        message.clientId = *clientId;
        message.outgoing = true;
        message.status = DeliveryStatus::Sent;
        return emit messageAcked(*clientId, message);
    }
    message.outgoing = sender == EchoMatcher::Sender::Us;
    // The same stored message again (the echo after catch-up acked it, or the
    // other way round): the ack has it already.
    if (!message.clientId.isEmpty() && m_recentAcks.contains(message.clientId))
        return;
    if (!message.id.isEmpty() && !m_seenIds.insert(message.roomKey + u'/' + message.id))
        return;
    emit messageReceived(message);
}

void CableBackend::send(const OutgoingMessage &message)
{
    if (!canSendTo(message.roomKey))
        return emit sendFailed(message.clientId, str("Not subscribed to this room"));
    QJsonObject data;
    switch (message.kind) {
    case MessageKind::Text:
        data = {{str("action"), str("send_message")}, {str("message"), message.text}};
        break;
    case MessageKind::Stamp: {
        bool numeric = false;
        const qint64 stampId = message.stampId.toLongLong(&numeric);
        data = {{str("action"), str("send_stamp")},
                {str("stamp_id"), numeric ? QJsonValue(stampId) : QJsonValue(message.stampId)}};
        break;
    }
    case MessageKind::Location:
        data = {{str("action"), str("send_location")},
                {str("latitude"), message.latitude},
                {str("longitude"), message.longitude}};
        break;
    }
    // Natter answers a repeat with the stored message; any other server would store it twice.
    if (m_echoes.isWritten(message.clientId) || (!m_natter && m_recentAcks.contains(message.clientId))) {
        qCDebug(lcCable) << "not writing" << message.clientId << "again: waiting for its echo";
        return;
    }
    if (!message.clientId.isEmpty()) {
        data.insert(str("temp_id"), message.clientId);
        m_echoes.note(message.clientId, message.roomKey, EchoMatcher::Fingerprint::of(message));
    }
    // ActionCable's `data` is JSON text inside the frame, like the identifier.
    sendJson({{str("command"), str("message")},
              {str("identifier"), identifierFor(message.roomKey)},
              {str("data"), compact(data)}});
}

std::optional<qint64> CableBackend::natterRoomId(const QString &roomKey) const
{
    if (roomKey == lobbyKey())
        return m_lobbyRoomId > 0 ? std::optional<qint64>(m_lobbyRoomId) : std::nullopt;
    bool numeric = false;
    const qint64 roomId = roomKey.toLongLong(&numeric);
    return numeric && roomId > 0 ? std::optional<qint64>(roomId) : std::nullopt;
}

// Natter only: the newest page after each (re)subscription, oldest first.
void CableBackend::catchUpRoom(const QString &roomKey)
{
    const auto roomId = natterRoomId(roomKey);
    if (!m_natter || !roomId)
        return;
    natterrest::fetchHistory(
        [this](const QString &path, const QUrlQuery &query, ReplyHandler handler) { httpGet(path, query, std::move(handler)); },
        *roomId, {}, 20, [this, roomKey](const QList<ChatMessage> &messages, bool, bool ok) {
        if (!ok)
            return;
        for (auto it = messages.crbegin(); it != messages.crend(); ++it) {
            ChatMessage message = *it;
            message.roomKey = roomKey;
            deliver(message);
        }
    });
}

void CableBackend::loadHistory(const QString &roomKey, const QString &beforeId, int limit)
{
    const auto roomId = natterRoomId(roomKey);
    if (!m_natter || !roomId)
        return emit historyLoaded(roomKey, {}, true); // the spec has no history
    natterrest::fetchHistory(
        [this](const QString &path, const QUrlQuery &query, ReplyHandler handler) { httpGet(path, query, std::move(handler)); },
        *roomId, beforeId, limit, [this, roomKey](QList<ChatMessage> messages, bool complete, bool ok) {
        if (!ok)
            emit errorOccurred(QStringLiteral("History of room %1 is not available").arg(roomKey));
        for (ChatMessage &message : messages) {
            message.roomKey = roomKey;
            message.outgoing = isSelf(message.sender);
        }
        emit historyLoaded(roomKey, messages, complete || !ok);
    });
}

void CableBackend::listRooms()
{
    natterrest::fetchRooms(
        [this](const QString &path, const QUrlQuery &query, ReplyHandler handler) { httpGet(path, query, std::move(handler)); },
        [this](QList<RoomSummary> rooms, bool ok) {
        if (ok) {
            m_natter = true;
            for (RoomSummary &room : rooms) {
                room.key = QString::number(room.id);
                if (room.lastMessage)
                    room.lastMessage->roomKey = room.key;
            }
            return emit roomsListed(rooms);
        }
        // A Natter server that failed to answer this time: keep the real list shown.
        if (m_natter)
            return emit errorOccurred(str("Could not load the room list"));
        // Not Natter: the spec knows the lobby and whatever room ids we were given.
        QList<RoomSummary> known;
        RoomSummary lobby;
        lobby.key = lobbyKey();
        lobby.name = str("Lobby");
        known.append(lobby);
        for (const QString &key : subscriptions()) {
            if (key == lobbyKey())
                continue;
            RoomSummary room;
            room.key = key;
            room.id = key.toLongLong();
            room.name = QStringLiteral("Room %1").arg(key);
            known.append(room);
        }
        emit roomsListed(known);
    });
}

void CableBackend::loadStamps()
{
    QNetworkRequest request(httpUrl(str("/api/stamp_messages")));
    request.setRawHeader("Accept", "application/json");
    request.setAttribute(QNetworkRequest::CookieLoadControlAttribute, QNetworkRequest::Manual);
    request.setAttribute(QNetworkRequest::CookieSaveControlAttribute, QNetworkRequest::Manual);
    if (!token().isEmpty())
        request.setRawHeader("Authorization", "Bearer " + token().toUtf8());
    if (!cookie().isEmpty())
        request.setRawHeader("Cookie", cookie().toUtf8());
    if (!m_stampsEtag.isEmpty() && !m_stamps.isEmpty())
        request.setRawHeader("If-None-Match", m_stampsEtag);
    tlsTrust().prepare(request);
    QNetworkReply *reply = m_stampNetwork.get(request);
    connect(reply, &QNetworkReply::finished, this, [this, reply] {
        reply->deleteLater();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (status == 304)
            return emit stampsLoaded(m_stamps);
        const QJsonDocument document = QJsonDocument::fromJson(reply->readAll());
        if (status != 200 || (!document.isArray() && !document.isObject())) {
            emit errorOccurred(QStringLiteral("Stamps are not available (HTTP %1)").arg(status));
            return;
        }
        // An array of stamps, or an object holding one.
        QJsonArray array = document.array();
        if (document.isObject()) {
            for (const char *name : {"stamp_messages", "stamps", "data"}) {
                if (document.object().value(str(name)).isArray()) {
                    array = document.object().value(str(name)).toArray();
                    break;
                }
            }
        }
        QList<Stamp> stamps;
        for (const QJsonValue &value : std::as_const(array)) {
            const QJsonObject object = value.toObject();
            Stamp stamp{idString(object.value(str("id"))), object.value(str("name")).toString(),
                        object.value(str("emoji")).toString()};
            if (!stamp.id.isEmpty())
                stamps.append(stamp);
        }
        m_stamps = stamps;
        m_stampsEtag = reply->rawHeader("ETag");
        emit stampsLoaded(m_stamps);
    });
}

} // namespace natter::client
