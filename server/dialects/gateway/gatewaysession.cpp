#include "gatewaysession.h"

#include "authenticator.h"
#include "gatewaythreads.h"
#include "httputil.h"
#include "hub.h"
#include "servercontext.h"
#include "serverconfig.h"

#include <QJsonDocument>
#include <QJsonParseError>
#include <cmath>

namespace natter::server {

using namespace gateway;

namespace {

constexpr int maxNonceLength = 128;
constexpr std::chrono::milliseconds closeHandshake{5000};
constexpr QLatin1StringView dialectName{"gateway"};
constexpr QLatin1StringView sendMessageEvent{"SEND_MESSAGE"};

QString str(const char *latin1) { return QString::fromLatin1(latin1); }

// The opcode: an integral JSON number, nothing else.
std::optional<int> opcodeOf(const QJsonValue &value)
{
    if (!value.isDouble())
        return std::nullopt;
    const double number = value.toDouble();
    if (std::trunc(number) != number || number < 0 || number > 65535)
        return std::nullopt;
    return static_cast<int>(number);
}

// d.nonce (or d.temp_id): a string or an integer. Undefined when absent,
// nullopt when it has another type.
std::optional<QJsonValue> nonceOf(const QJsonObject &data)
{
    QJsonValue nonce = data.value(str("nonce"));
    if (nonce.isUndefined() || nonce.isNull())
        nonce = data.value(str("temp_id"));
    if (nonce.isUndefined() || nonce.isNull())
        return QJsonValue(QJsonValue::Undefined);
    if (nonce.isString())
        return nonce;
    if (nonce.isDouble() && std::trunc(nonce.toDouble()) == nonce.toDouble())
        return QJsonValue(QString::number(nonce.toInteger()));
    return std::nullopt;
}

} // namespace

GatewaySession::GatewaySession(ServerContext &context, std::unique_ptr<SocketPipe> socket,
                               QObject *parent)
    : SocketSession(context, std::move(socket), parent)
{
    m_clock.start();
    connect(&m_socket, &SocketLink::textReceived, this, &GatewaySession::handleText);
    // Payloads are JSON text: a binary frame cannot be decoded.
    connect(&m_socket, &SocketLink::binaryReceived, this, [this] {
        if (!m_closing && withinRateLimit())
            closeWith(DecodeError);
    });

    const ServerConfig &config = m_context.config;
    send(payload(Hello, QJsonObject{{str("heartbeat_interval"),
                                                          static_cast<qint64>(config.gatewayHeartbeatInterval.count())}}));
    m_silence.start(m_context.timers, config.gatewayIdentifyTimeout);
}

void GatewaySession::onClosed()
{
    m_closing = true;
    m_silence.stop();
    m_closeDeadline.stop();
}

void GatewaySession::closeWith(CloseCode code)
{
    if (m_closing)
        return;
    m_closing = true;
    m_silence.stop();
    // No events after the close frame: the session leaves the hub at once.
    detachFromHub();
    m_socket.close(quint16(code), closeReason(code));
    m_closeDeadline.start(m_context.timers, closeHandshake);
}

void GatewaySession::closeGoingAway()
{
    if (m_closing)
        return;
    m_closing = true;
    m_silence.stop();
    m_socket.close(QWebSocketProtocol::CloseCodeGoingAway, str("Server shutting down"));
    m_closeDeadline.start(m_context.timers, closeHandshake);
}

void GatewaySession::silenceTimedOut()
{
    closeWith(SessionTimeout);
}

void GatewaySession::expectPayloadSoon()
{
    const ServerConfig &config = m_context.config;
    m_silence.start(m_context.timers, 3 * config.gatewayHeartbeatInterval + config.pingTimeout);
}

// A sliding window: at most gatewayRateLimit payloads in any gatewayRateWindow.
bool GatewaySession::withinRateLimit()
{
    const qint64 now = m_clock.elapsed();
    const qint64 windowStart = now - m_context.config.gatewayRateWindow.count();
    while (!m_recentPayloads.isEmpty() && m_recentPayloads.constFirst() <= windowStart)
        m_recentPayloads.removeFirst();
    if (m_recentPayloads.size() >= m_context.config.gatewayRateLimit) {
        closeWith(RateLimited);
        return false;
    }
    m_recentPayloads.append(now);
    return true;
}

void GatewaySession::handleText(const QString &text)
{
    if (m_closing || !withinRateLimit())
        return;
    if (m_user)
        expectPayloadSoon(); // any payload proves the client is there

    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(text.toUtf8(), &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject())
        return closeWith(DecodeError);
    const QJsonObject frame = document.object();
    const std::optional<int> opcode = opcodeOf(frame.value(str("o")));
    if (!opcode)
        return closeWith(DecodeError);
    const QJsonValue data = frame.value(str("d"));

    switch (*opcode) {
    case Heartbeat: // allowed before IDENTIFY, as gateways do
        send(payload(HeartbeatAck, QJsonValue::Null));
        return;
    case Identify:
        if (m_user)
            return closeWith(AlreadyAuthenticated);
        return handleIdentify(data);
    case Dispatch: {
        if (!m_user)
            return closeWith(NotAuthenticated);
        const QJsonValue event = frame.value(str("e"));
        if (!event.isString())
            return closeWith(DecodeError);
        return handleDispatch(event.toString(), data);
    }
    default: // HELLO, INVALID_SESSION, HEARTBEAT_ACK are the server's; anything else is unknown
        return closeWith(UnknownOpcode);
    }
}

void GatewaySession::handleIdentify(const QJsonValue &data)
{
    if (!data.isObject())
        return closeWith(DecodeError);
    const QJsonObject identify = data.toObject();
    const QJsonValue token = identify.value(str("token"));
    const QJsonValue properties = identify.value(str("properties"));
    if ((!token.isUndefined() && !token.isString())
        || (!properties.isUndefined() && !properties.isObject()))
        return closeWith(DecodeError);

    const std::optional<AuthContext> caller =
        token.toString().isEmpty() ? std::nullopt
                                   : m_context.auth.authenticateToken(token.toString());
    if (!caller) {
        // INVALID_SESSION first (d: false, nothing to resume), then the close.
        send(payload(InvalidSession, false));
        return closeWith(AuthenticationFailed);
    }
    if (!mayConnect(caller->user.id))
        return;
    m_user = caller->user;
    m_properties = properties.toObject();

    QJsonObject self = gateway::user(*m_user);
    self.insert(str("display_name"), m_user->displayName);
    self.insert(str("role"), toString(m_user->role).toUpper());
    send(
        dispatch(QLatin1StringView("READY"),
                 {{str("user"), self},
                  {str("threads"), threadsOf(m_context, m_user->id)},
                  {str("heartbeat_interval"),
                   static_cast<qint64>(m_context.config.gatewayHeartbeatInterval.count())}}));
    attachToHub(m_user->id);
    m_context.hub.followMemberRooms(this);
    expectPayloadSoon();
}

void GatewaySession::handleDispatch(const QString &event, const QJsonValue &data)
{
    if (event == sendMessageEvent)
        return handleSendMessage(data);
    // The spec defines no other client event: a client bug, not a user's mistake.
    closeWith(UnknownError);
}

void GatewaySession::sendError(QLatin1StringView code, const QString &message,
                               const QJsonValue &nonce)
{
    send(errorFrame(code, message, sendMessageEvent, nonce));
}

void GatewaySession::handleSendMessage(const QJsonValue &data)
{
    if (!data.isObject())
        return closeWith(DecodeError);
    const QJsonObject send = data.toObject();
    const QJsonValue to = send.value(str("to"));
    const QJsonValue text = send.value(str("message"));
    const std::optional<QJsonValue> nonce = nonceOf(send);
    if (!to.isString() || !text.isString() || !nonce)
        return closeWith(DecodeError);

    // Well-formed but refused: an ERROR dispatch, nothing stored, the connection stays.
    if (nonce->toString().size() > maxNonceLength)
        return sendError(error::invalidMessage, str("nonce is too long"), *nonce);
    const QString body = text.toString();
    if (body.trimmed().isEmpty())
        return sendError(error::invalidMessage, str("Message cannot be empty"), *nonce);
    const int limit = m_context.config.messageSizeLimit;
    if (body.size() > limit)
        return sendError(error::invalidMessage,
                         str("Message too long (max %1 characters)").arg(limit), *nonce);
    const QUuid recipientUuid = QUuid::fromString(to.toString());
    const std::optional<UserRecord> recipient =
        recipientUuid.isNull() ? std::nullopt : m_context.hub.directory().userByUuid(recipientUuid);
    if (!recipient)
        return sendError(error::unknownRecipient, str("No user with that id"), *nonce);

    // The first message between two users opens a thread the recipient must approve.
    const std::optional<RoomRecord> room =
        m_context.hub.directRoomFor(m_user->id, recipient->id, MembershipState::Requested);
    if (!room)
        return sendError(error::sendFailed, str("Message sending failed"), *nonce);

    NewMessage message;
    message.roomId = room->id;
    message.senderId = m_user->id;
    message.kind = MessageKind::Text;
    message.body = body;
    message.clientId = nonce->toString();
    m_context.hub.postMessage(message, this, this,
                              [this, room = *room, recipient = *recipient, nonce = *nonce](const PostOutcome &outcome) {
        answerSend(outcome, room, recipient, nonce);
    });
}

void GatewaySession::answerSend(const PostOutcome &outcome, const RoomRecord &room, const UserRecord &recipient,
                                const QJsonValue &nonce)
{
    if (m_closing || !m_user)
        return;
    switch (outcome.result) {
    case PostOutcome::Result::Posted:
    case PostOutcome::Result::Duplicate: {
        // Committed: acknowledge to this session (a re-sent nonce gets the same id again).
        const auto recipientMembership = m_context.hub.directory().membership(room.id, recipient.id);
        const bool requested = recipientMembership
            && recipientMembership->state == MembershipState::Requested;
        QJsonObject sent{{str("message_id"), outcome.message.id},
                         {str("thread_id"), room.uuid.toString(QUuid::WithoutBraces)},
                         {str("room_id"), room.id},
                         {str("to"), recipient.uuid.toString(QUuid::WithoutBraces)},
                         {str("timestamp"), http::timestamp(outcome.message.createdAt)},
                         {str("request"), requested},
                         {str("duplicate"), outcome.result == PostOutcome::Result::Duplicate}};
        if (!nonce.isUndefined())
            sent.insert(str("nonce"), nonce);
        send(dispatch(QLatin1StringView("MESSAGE_SENT"), sent));
        return;
    }
    case PostOutcome::Result::Blocked:
        return sendError(error::blocked, outcome.error, nonce);
    case PostOutcome::Result::NotMember: {
        const auto own = m_context.hub.directory().membership(room.id, m_user->id);
        if (own && own->state == MembershipState::Requested)
            return sendError(error::notApproved, str("Approve the message request first"), nonce);
        if (own && own->state == MembershipState::Blocked)
            return sendError(error::blocked, str("You blocked this thread"), nonce);
        return sendError(error::sendFailed, str("Message sending failed"), nonce);
    }
    case PostOutcome::Result::Invalid:
        return sendError(error::invalidMessage, outcome.error, nonce);
    case PostOutcome::Result::RateLimited:
        return closeWith(RateLimited); // the spec's answer to a client that sends too fast
    case PostOutcome::Result::Failed:
        return sendError(error::sendFailed, str("Message sending failed"), nonce);
    }
}

bool GatewaySession::followsRoom(qint64 roomId) const
{
    // Threads only: the gateway has no groups.
    const auto room = m_context.hub.directory().room(roomId);
    return room && room->kind == RoomKind::Direct;
}

void GatewaySession::deliverMessage(const MessageEvent &event, FrameCache &frames)
{
    if (m_closing || !m_user)
        return;
    // The session that sent it gets MESSAGE_SENT instead; the sender's other
    // sessions see their own message as a MESSAGE.
    if (event.origin == this)
        return;
    send(frames.frame(dialectName, [&event] { return messageFrame(event); }));
}

// Natter's extra dispatch THREAD_UPDATE: a thread (direct room) was opened,
// approved or blocked, so both sides can show its state without polling.
void GatewaySession::deliverRoomEvent(const RoomEvent &event, FrameCache &frames)
{
    if (m_closing || !m_user || event.room.kind != RoomKind::Direct)
        return;
    const auto member = m_context.hub.directory().user(event.userId);
    send(frames.frame(dialectName, [&] {
        return dispatch(QLatin1StringView("THREAD_UPDATE"),
                        {{str("thread_id"), event.room.uuid.toString(QUuid::WithoutBraces)},
                         {str("room_id"), event.room.id},
                         {str("user"), member ? member->uuid.toString(QUuid::WithoutBraces) : QString()},
                         {str("state"), event.state ? toString(*event.state) : str("removed")}});
    }));
}

void GatewaySession::deliverMessageRequest(const MessageEvent &event, FrameCache &frames)
{
    if (m_closing || !m_user)
        return;
    send(
        frames.frame(dialectName, [&event] { return messageRequestFrame(event); }));
}

} // namespace natter::server
