#include "wirevalues.h"
#include "roomsbackend.h"

#include "cable/natterrest.h"

#include "natterlogin.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QNetworkReply>
#include <QTimer>
#include <QUrlQuery>
#include <QWebSocket>

Q_LOGGING_CATEGORY(lcRooms, "natter.client.rooms")

namespace natter::client {
namespace {

QString str(const char *text) { return QString::fromLatin1(text); }

} // namespace

// One room's socket: opens, answers pings, pings the server, reconnects with backoff.
class RoomsBackend::RoomConnection : public QObject
{
public:
    RoomConnection(RoomsBackend &backend, QString roomKey)
        : m_backend(backend)
        , m_roomKey(std::move(roomKey))
        , m_policy(backend.m_policy)
    {
        backend.tlsTrust().guard(m_socket, backend.serverHost(), [this](const TlsProblem &problem) {
            m_backend.m_tlsProblem = problem;
        });
        connect(&m_socket, &QWebSocket::textMessageReceived, this, [this](const QString &text) {
            m_silence.start(); // any frame proves the link is alive
            const QJsonObject frame = QJsonDocument::fromJson(text.toUtf8()).object();
            if (frame.value(str("type")).toString() == u"connection_established") {
                m_established = true;
                m_policy.reset();
                const double interval = frame.value(str("heartbeat_interval")).toDouble(30);
                m_heartbeat.start(std::max(200, static_cast<int>(interval * 1000)));
                m_backend.noteLinkUp();
            }
            m_backend.handleFrame(m_roomKey, frame);
        });
        connect(&m_socket, &QWebSocket::disconnected, this, [this] {
            m_heartbeat.stop();
            m_established = false;
            if (m_closing || !m_backend.m_wanted)
                return;
            if (m_backend.m_tlsProblem)
                return m_backend.refuseTls(); // deletes this connection: nothing after it
            if (m_socket.closeCode() == QWebSocketProtocol::CloseCodePolicyViolated) {
                // Refused (token or membership): retrying would not help.
                emit m_backend.errorOccurred(QStringLiteral("Room %1 refused: %2").arg(m_roomKey, m_socket.closeReason()));
                return;
            }
            m_reconnect.start(static_cast<int>(m_policy.nextDelay().count()));
            m_backend.noteLinkDown();
        });
        m_reconnect.setSingleShot(true);
        connect(&m_reconnect, &QTimer::timeout, this, &RoomConnection::open);
        connect(&m_heartbeat, &QTimer::timeout, this, [this] {
            // Two intervals without a single frame: the link is dead, start over.
            if (m_silence.isValid() && m_silence.elapsed() > 2 * m_heartbeat.interval() + 1000) {
                m_socket.abort();
                return;
            }
            sendJson({{str("type"), str("ping")},
                      {str("timestamp"), QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs)}});
        });
    }

    ~RoomConnection() override
    {
        m_closing = true;
        m_socket.abort();
    }

    void open()
    {
        QUrl url = m_backend.settings().serverUrl;
        url.setScheme(url.scheme() == u"https" ? str("wss") : str("ws"));
        const QString base = m_backend.settings().path.isEmpty() ? str("/ws/chat") : m_backend.settings().path;
        url.setPath(base + u'/' + m_roomKey + u'/');
        QUrlQuery query;
        query.addQueryItem(str("token"), m_backend.m_token);
        url.setQuery(query);
        m_socket.open(url);
    }

    void close()
    {
        m_closing = true;
        m_reconnect.stop();
        m_socket.close();
    }

    bool isEstablished() const { return m_established; }
    void sendJson(const QJsonObject &object)
    {
        m_socket.sendTextMessage(QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact)));
    }

private:
    RoomsBackend &m_backend;
    QString m_roomKey;
    QWebSocket m_socket;
    ReconnectPolicy m_policy;
    QTimer m_reconnect;
    QTimer m_heartbeat;
    QElapsedTimer m_silence;
    bool m_established = false;
    bool m_closing = false;
};

RoomsBackend::RoomsBackend(Settings settings, QObject *parent)
    : Backend(std::move(settings), parent)
    , m_token(this->settings().signIn.token)
{
    tlsTrust().watch(m_network, this, [this](const TlsProblem &problem) { m_tlsProblem = problem; });
}

RoomsBackend::~RoomsBackend()
{
    m_wanted = false;
    m_rooms.clear();
}

Backend::Capabilities RoomsBackend::capabilities() const
{
    return Capability::Receipts | Capability::Typing | Capability::Presence | Capability::History
        | Capability::RoomList | Capability::Groups | Capability::CreateRooms | Capability::PeopleSearch
        | Capability::Notifications;
}

QNetworkRequest RoomsBackend::request(const QString &path, const QString &query) const
{
    QUrl url = settings().serverUrl;
    url.setPath(path);
    if (!query.isEmpty())
        url.setQuery(query);
    QNetworkRequest request(url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    request.setRawHeader("Authorization", "Bearer " + m_token.toUtf8());
    tlsTrust().prepare(request);
    return request;
}

void RoomsBackend::connectToServer()
{
    if (m_wanted)
        return;
    m_wanted = true;
    setConnectionState(ConnectionState::Connecting);
    const SignIn &signIn = settings().signIn;
    if (signIn.password.isEmpty() || !m_token.isEmpty())
        return verifyToken();
    m_tlsProblem.reset();
    auto *login = new NatterLogin(m_network, tlsTrust(), this);
    connect(login, &NatterLogin::succeeded, this,
            [this, login](const QString &token, const QString &, qint64 userId, const QString &,
                          const QString &displayName) {
        login->deleteLater();
        m_token = token;
        setSelf({QString::number(userId), settings().signIn.username, displayName, true, {}});
        verifyToken();
    });
    connect(login, &NatterLogin::failed, this, [this, login](int, const QString &reason) {
        login->deleteLater();
        if (m_tlsProblem)
            return refuseTls();
        giveUp(QStringLiteral("Sign-in refused: ") + reason);
    });
    login->signIn(settings().serverUrl, signIn.username, signIn.password);
}

void RoomsBackend::refuseTls()
{
    const TlsProblem problem = *m_tlsProblem;
    m_tlsProblem.reset();
    emit tlsRefused(problem); // before giveUp's Disconnected: whoever shows it sees why first
    giveUp(problem.message);
}

void RoomsBackend::giveUp(const QString &reason)
{
    m_wanted = false;
    m_rooms.clear();
    emit errorOccurred(reason);
    setConnectionState(ConnectionState::Disconnected);
}

// The spec's REST API answers 401 to a bad token: that is our sign-in check.
void RoomsBackend::verifyToken()
{
    QNetworkReply *reply = m_network.get(request(str("/api/v1.0/chat/stats/")));
    connect(reply, &QNetworkReply::finished, this, [this, reply] {
        reply->deleteLater();
        if (!m_wanted)
            return;
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (m_tlsProblem)
            return refuseTls();
        if (status == 401 || status == 403)
            return giveUp(str("Authentication failed"));
        if (status != 200) {
            // Server unreachable: try again later; the rooms' sockets retry on their own.
            emit errorOccurred(str("Connection failed: ") + reply->errorString());
            setConnectionState(ConnectionState::Reconnecting);
            QTimer::singleShot(2000, this, [this] {
                if (m_wanted)
                    verifyToken();
            });
            return;
        }
        const QJsonObject stats = QJsonDocument::fromJson(reply->readAll()).object();
        if (self().id.isEmpty())
            setSelf({idString(stats.value(str("user_id"))), {}, {}, true, {}});
        setConnectionState(ConnectionState::Connected);
        emit connected();
        for (const QString &room : m_rooms.keys())
            openRoom(room);
    });
}

void RoomsBackend::disconnectFromServer()
{
    m_wanted = false;
    for (const auto &room : std::as_const(m_rooms))
        room->close();
    m_rooms.clear();
    setConnectionState(ConnectionState::Disconnected);
}

void RoomsBackend::listRooms()
{
    const natterrest::Get get = [this](const QString &path, const QUrlQuery &query,
                                       std::function<void(int, const QByteArray &)> handler) {
        restCall(m_network.get(request(path, query.toString(QUrl::FullyEncoded))), std::move(handler));
    };
    natterrest::fetchRooms(get, [this](QList<RoomSummary> rooms, bool ok) {
        // A failed fetch says nothing about the rooms: keep what is shown (and cached).
        if (!ok)
            return emit errorOccurred(str("Could not load the room list"));
        for (RoomSummary &room : rooms) {
            room.key = QString::number(room.id);
            if (room.lastMessage) {
                room.lastMessage->roomKey = room.key;
                room.lastMessage->outgoing = room.lastMessage->sender.id == self().id;
            }
        }
        emit roomsListed(rooms);
    });
}

void RoomsBackend::subscribe(const QString &roomKey)
{
    if (m_rooms.contains(roomKey))
        return;
    m_rooms.insert(roomKey, std::make_shared<RoomConnection>(*this, roomKey));
    if (connectionState() == ConnectionState::Connected)
        openRoom(roomKey);
}

// The server is reachable while any room's link is up: with every link down
// the account shows as reconnecting, and the first link back makes it
// connected again (and catches up, as after any reconnect).
void RoomsBackend::noteLinkDown()
{
    if (connectionState() != ConnectionState::Connected)
        return;
    for (const auto &room : std::as_const(m_rooms)) {
        if (room->isEstablished())
            return;
    }
    setConnectionState(ConnectionState::Reconnecting);
}

void RoomsBackend::noteLinkUp()
{
    if (connectionState() != ConnectionState::Reconnecting || !m_wanted)
        return;
    setConnectionState(ConnectionState::Connected);
    emit connected();
}

void RoomsBackend::openRoom(const QString &roomKey)
{
    if (const auto room = m_rooms.value(roomKey))
        room->open();
}

bool RoomsBackend::canSendTo(const QString &roomKey) const
{
    const auto room = m_rooms.value(roomKey);
    return room && room->isEstablished();
}

void RoomsBackend::send(const OutgoingMessage &message)
{
    const auto room = m_rooms.value(message.roomKey);
    if (message.kind != MessageKind::Text)
        return emit sendFailed(message.clientId, str("This server takes text messages only"));
    if (!room || !room->isEstablished())
        return emit sendFailed(message.clientId, str("Not connected"));
    // Written once per client id: a server that prints no temp_id cannot drop a second copy.
    if (m_echoes.isWritten(message.clientId) || m_recentAcks.contains(message.clientId))
        return;
    if (!message.clientId.isEmpty())
        m_echoes.note(message.clientId, message.roomKey, EchoMatcher::Fingerprint::of(message));
    room->sendJson({{str("type"), str("message")},
                    {str("content"), message.text},
                    {str("temp_id"), message.clientId},
                    {str("timestamp"), QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs)}});
}

void RoomsBackend::setTyping(const QString &roomKey, bool typing)
{
    if (const auto room = m_rooms.value(roomKey); room && room->isEstablished())
        room->sendJson({{str("type"), typing ? str("typing_on") : str("typing_off")},
                        {str("timestamp"), QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs)}});
}

void RoomsBackend::markStatus(const QString &roomKey, const QString &messageId, DeliveryStatus status)
{
    const auto room = m_rooms.value(roomKey);
    if (!room || !room->isEstablished())
        return;
    if (status != DeliveryStatus::Delivered && status != DeliveryStatus::Read)
        return;
    room->sendJson({{str("type"), status == DeliveryStatus::Read ? str("message_read") : str("message_delivered")},
                    {str("message_id"), messageId.toLongLong()},
                    {str("timestamp"), QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs)}});
}

ChatMessage RoomsBackend::messageFromRest(const QJsonObject &object) const
{
    ChatMessage message;
    message.roomKey = idString(object.value(str("room")));
    message.id = idString(object.value(str("id")));
    message.clientId = object.value(str("temp_id")).toString();
    const QJsonObject sender = object.value(str("sender")).toObject();
    message.sender = {idString(sender.value(str("id"))), sender.value(str("username")).toString(),
                      sender.value(str("display_name")).toString(), sender.value(str("is_online")).toBool(),
                      parseWireTime(sender.value(str("last_seen")))};
    message.outgoing = message.sender.id == self().id;
    message.kind = messageKindFromString(object.value(str("kind")).toString()).value_or(MessageKind::Text);
    message.text = object.value(str("content")).toString();
    message.stampId = object.value(str("stamp_id")).toString();
    message.latitude = object.value(str("latitude")).toDouble();
    message.longitude = object.value(str("longitude")).toDouble();
    message.createdAt = parseWireTime(object.value(str("created_at")));
    message.status = deliveryStatusFromString(object.value(str("status")).toString()).value_or(DeliveryStatus::Sent);
    return message;
}

ChatMessage RoomsBackend::messageFromFrame(const QString &roomKey, const QJsonObject &object) const
{
    ChatMessage message;
    message.roomKey = roomKey;
    message.id = idString(object.value(str("id")));
    message.clientId = object.value(str("temp_id")).toString();
    message.sender.id = idString(object.value(str("sender_id")));
    message.sender.username = object.value(str("sender_username")).toString();
    message.sender.displayName = object.value(str("sender_display_name")).toString();
    if (message.sender.displayName.isEmpty())
        message.sender.displayName = message.sender.username;
    message.outgoing = message.sender.id == self().id;
    message.kind = messageKindFromString(object.value(str("kind")).toString()).value_or(MessageKind::Text);
    message.text = object.value(str("content")).toString();
    message.stampId = object.value(str("stamp_id")).toString();
    message.latitude = object.value(str("latitude")).toDouble();
    message.longitude = object.value(str("longitude")).toDouble();
    message.createdAt = parseWireTime(object.value(str("created_at")));
    message.status = deliveryStatusFromString(object.value(str("status")).toString()).value_or(DeliveryStatus::Sent);
    return message;
}

void RoomsBackend::handleFrame(const QString &roomKey, const QJsonObject &frame)
{
    const QString type = frame.value(str("type")).toString();
    if (type == u"connection_established") {
        if (self().id.isEmpty())
            setSelf({idString(frame.value(str("user_id"))), {}, {}, true, {}});
        emit subscribed(roomKey);
        catchUp(roomKey);
    } else if (type == u"message") {
        deliver(messageFromFrame(roomKey, frame.value(str("message")).toObject()));
    } else if (type == u"message_status_update") {
        if (const auto status = deliveryStatusFromString(frame.value(str("status")).toString()))
            emit statusChanged(roomKey, idString(frame.value(str("message_id"))), *status);
    } else if (type == u"typing") {
        const Person who{idString(frame.value(str("user_id"))), frame.value(str("username")).toString(),
                         frame.value(str("username")).toString(), true, {}};
        if (who.id != self().id)
            emit typingChanged(roomKey, who, frame.value(str("is_typing")).toBool());
    } else if (type == u"user_status_change") {
        emit presenceChanged({idString(frame.value(str("user_id"))), frame.value(str("username")).toString(),
                              frame.value(str("username")).toString(), frame.value(str("is_online")).toBool(),
                              parseWireTime(frame.value(str("last_seen")))});
    } else if (type == u"ping") {
        if (const auto room = m_rooms.value(roomKey))
            room->sendJson({{str("type"), str("pong")},
                            {str("timestamp"), frame.value(str("timestamp"))},
                            {str("client_time"), QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs)}});
    } else if (type == u"error") {
        emit errorOccurred(frame.value(str("message")).toString());
    } else if (type == u"reconnect_suggested") {
        qCInfo(lcRooms) << "server suggests reconnecting room" << roomKey;
    }
    // pong, connection_status, health_check_response: nothing to do.
}

void RoomsBackend::abandonSend(const QString &clientId)
{
    m_echoes.forget(clientId);
}

// Our own message echoed (live or in catch-up) is the ack of its send; anything else is news.
void RoomsBackend::deliver(ChatMessage message)
{
    const auto sender = EchoMatcher::senderOf(message.sender, self());
    if (const auto clientId = m_echoes.claim(message.roomKey, EchoMatcher::Fingerprint::of(message), sender,
                                             message.clientId)) {
        m_recentAcks.insert(*clientId);
        message.clientId = *clientId;
        message.outgoing = true;
        return emit messageAcked(*clientId, message);
    }
    if (!message.clientId.isEmpty() && m_recentAcks.contains(message.clientId))
        return; // the copy catch-up lists of one acked already
    // A message that arrives live while the room's catch-up page is on its
    // way comes in that page too: once is enough.
    if (!message.id.isEmpty() && !m_delivered.insert(message.roomKey + u'/' + message.id))
        return;
    emit messageReceived(message);
}

void RoomsBackend::fetchPage(const QString &roomKey, int page,
                             std::function<void(const QList<ChatMessage> &, bool last)> done)
{
    QNetworkReply *reply = m_network.get(
        request(QStringLiteral("/api/v1.0/chat/rooms/%1/messages/").arg(roomKey), QStringLiteral("page=%1").arg(page)));
    connect(reply, &QNetworkReply::finished, this, [this, reply, done = std::move(done)] {
        reply->deleteLater();
        const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        if (status == 404)
            return done({}, true); // past the last page
        const QJsonObject body = QJsonDocument::fromJson(reply->readAll()).object();
        QList<ChatMessage> messages;
        for (const QJsonValue &value : body.value(str("results")).toArray())
            messages.append(messageFromRest(value.toObject()));
        done(messages, body.value(str("next")).isNull() || !body.contains(str("next")));
    });
}

// After (re)connecting: the newest page, so whatever arrived while away shows up.
// The model drops what it already has (by id), and our own messages acknowledge
// their pending sends (by temp id).
void RoomsBackend::catchUp(const QString &roomKey)
{
    fetchPage(roomKey, 1, [this](const QList<ChatMessage> &messages, bool) {
        for (auto it = messages.crbegin(); it != messages.crend(); ++it)
            deliver(*it);
    });
}

void RoomsBackend::loadHistory(const QString &roomKey, const QString &beforeId, int limit)
{
    Q_UNUSED(limit) // the spec pages by 20
    const int page = beforeId.isEmpty() ? 1 : m_nextHistoryPage.value(roomKey, 2);
    fetchPage(roomKey, page, [this, roomKey, page, beforeId](const QList<ChatMessage> &messages, bool last) {
        m_nextHistoryPage.insert(roomKey, page + 1);
        QList<ChatMessage> older;
        for (const ChatMessage &message : messages) {
            if (beforeId.isEmpty() || message.id.toLongLong() < beforeId.toLongLong())
                older.append(message);
        }
        emit historyLoaded(roomKey, older, last);
    });
}

// ---- room actions ------------------------------------------------------------

void RoomsBackend::restCall(QNetworkReply *reply, NatterActions::ReplyHandler handler)
{
    connect(reply, &QNetworkReply::finished, this, [reply, handler = std::move(handler)] {
        reply->deleteLater();
        handler(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), reply->readAll());
    });
}

NatterActions RoomsBackend::natterActions()
{
    return NatterActions(
        NatterActions::PersonKey::NatterId,
        [this](const QString &path, const QUrlQuery &query, NatterActions::ReplyHandler handler) {
            restCall(m_network.get(request(path, query.toString(QUrl::FullyEncoded))), std::move(handler));
        },
        [this](const QString &path, const QJsonObject &body, NatterActions::ReplyHandler handler) {
            restCall(m_network.post(request(path), QJsonDocument(body).toJson(QJsonDocument::Compact)),
                     std::move(handler));
        });
}

void RoomsBackend::searchPeople(const QString &query)
{
    natterActions().searchPeople(query, [this, query](bool ok, const QString &error, const QList<Person> &people) {
        if (!ok)
            return failAction(str("search"), query, error);
        emit peopleFound(query, people);
    });
}

void RoomsBackend::startDirectChat(const Person &person)
{
    natterActions().resolveUserId(person, [this, person](std::optional<qint64> userId, const QString &error) {
        if (!userId)
            return failAction(str("direct"), person.id, error);
        natterActions().openDirectRoom(*userId, [this, person](bool ok, const QString &error, RoomSummary room) {
            if (!ok)
                return failAction(str("direct"), person.id, error);
            room.key = QString::number(room.id);
            emit roomCreated(room);
        });
    });
}

void RoomsBackend::createGroup(const QString &name, const QList<Person> &members)
{
    natterActions().createGroup(name, [this, name, members](bool ok, const QString &error, RoomSummary room) {
        if (!ok)
            return failAction(str("group"), name, error);
        room.key = QString::number(room.id);
        emit roomCreated(room);
        for (const Person &member : members)
            inviteToGroup(room.key, member);
    });
}

void RoomsBackend::inviteToGroup(const QString &roomKey, const Person &person)
{
    const qint64 groupId = roomKey.toLongLong();
    if (groupId <= 0)
        return failAction(str("invite"), roomKey, str("Unknown group: ") + roomKey);
    natterActions().resolveUserId(person, [this, roomKey, groupId](std::optional<qint64> userId, const QString &error) {
        if (!userId)
            return failAction(str("invite"), roomKey, error);
        natterActions().invite(groupId, *userId, [this, roomKey](bool ok, const QString &error) {
            finishAction(str("invite"), roomKey, ok, error);
        });
    });
}

void RoomsBackend::fetchNotifications()
{
    natterActions().listUnreadNotifications([this](bool ok, const QList<Notification> &notifications) {
        if (!ok)
            return;
        for (const Notification &notification : notifications)
            emit notificationReceived(notification);
    });
}

void RoomsBackend::answerInvitation(const QString &roomKey, bool accept)
{
    const QString action = accept ? str("accept") : str("decline");
    const qint64 groupId = roomKey.toLongLong();
    if (groupId <= 0)
        return failAction(action, roomKey, str("Unknown group: ") + roomKey);
    natterActions().answerInvitation(groupId, accept, [this, action, roomKey, accept](bool ok, const QString &error,
                                                                                      RoomSummary room) {
        finishAction(action, roomKey, ok, error);
        if (!ok || !accept)
            return;
        room.key = roomKey;
        emit roomCreated(room);
    });
}

} // namespace natter::client
