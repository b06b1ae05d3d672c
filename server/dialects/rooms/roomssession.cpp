#include "roomssession.h"

#include "httputil.h"
#include "hub.h"
#include "roomsformat.h"
#include "servercontext.h"
#include "serverconfig.h"

#include <QJsonDocument>
#include <QJsonParseError>

namespace natter::server {
namespace {

constexpr int maxTempIdLength = 128;

QString str(const char *latin1) { return QString::fromLatin1(latin1); }

// How long a client may say nothing at all (not even pong) before it counts as gone.
std::chrono::milliseconds silenceLimit(const ServerConfig &config)
{
    return 3 * config.heartbeatInterval + config.pingTimeout;
}

} // namespace

RoomsSession::RoomsSession(ServerContext &context, std::unique_ptr<SocketPipe> socket,
                           UserRecord user, qint64 roomId, QObject *parent)
    : SocketSession(context, std::move(socket), parent)
    , m_user(std::move(user))
    , m_roomId(roomId)
    , m_lastActivity(QDateTime::currentDateTimeUtc())
{
    m_connected.start();

    connect(&m_socket, &SocketLink::textReceived, this, &RoomsSession::handleText);
    connect(&m_socket, &SocketLink::binaryReceived, this,
            [this] { sendError(str("Binary frames are not supported")); });

    if (!mayConnect(m_user.id))
        return;
    const ServerConfig &config = m_context.config;
    sendObject({{str("type"), str("connection_established")},
                {str("room_id"), m_roomId},
                {str("user_id"), m_user.id},
                {str("timestamp"), http::timestamp(QDateTime::currentDateTimeUtc())},
                {str("heartbeat_interval"), rooms::seconds(config.heartbeatInterval)},
                {str("connection_timeout"), rooms::seconds(config.connectionTimeout)}});
    m_heartbeat.start(m_context.timers, config.heartbeatInterval);
    expectFrameSoon();
    attachToHub(m_user.id);
    m_context.hub.follow(this, m_roomId);
}


void RoomsSession::onClosed()
{
    m_heartbeat.stop();
    m_pongDeadline.stop();
    m_quiet.stop();
}

void RoomsSession::expectFrameSoon()
{
    const ServerConfig &config = m_context.config;
    m_quiet.start(m_context.timers, std::min(config.connectionTimeout, silenceLimit(config)));
}

void RoomsSession::sendObject(const QJsonObject &object)
{
    send(rooms::frame(object));
}

void RoomsSession::sendError(const QString &message)
{
    send(rooms::errorFrame(message));
}

void RoomsSession::handleText(const QString &text)
{
    m_lastActivity = QDateTime::currentDateTimeUtc();
    expectFrameSoon();

    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(text.toUtf8(), &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject())
        return sendError(str("Invalid JSON"));
    const QJsonObject frame = document.object();
    const QJsonValue typeValue = frame.value(str("type"));
    if (!typeValue.isString())
        return sendError(str("Missing field: type"));
    const QString type = typeValue.toString();

    if (type == u"message")
        return handleSend(frame);
    if (type == u"typing_on" || type == u"typing_off")
        return m_context.hub.setTyping(m_user.id, m_roomId, type == u"typing_on");
    if (type == u"message_read")
        return handleReceipt(frame, DeliveryStatus::Read);
    if (type == u"message_delivered")
        return handleReceipt(frame, DeliveryStatus::Delivered);
    if (type == u"ping") {
        const QJsonValue clientTime = frame.value(str("timestamp"));
        const QJsonValue now = http::timestamp(QDateTime::currentDateTimeUtc());
        return sendObject({{str("type"), str("pong")},
                           {str("timestamp"), clientTime.isString() ? clientTime : now},
                           {str("server_time"), now}});
    }
    if (type == u"pong") {
        m_missedPongs = 0;
        m_pongDeadline.stop();
        return;
    }
    if (type == u"connection_check") {
        return sendObject(
            {{str("type"), str("connection_status")},
             {str("status"), str("healthy")},
             {str("duration_seconds"), m_connected.elapsed() / 1000},
             {str("last_activity"), http::timestamp(m_lastActivity)},
             {str("timestamp"), http::timestamp(QDateTime::currentDateTimeUtc())}});
    }
    sendError(str("Unknown message type: ") + type);
}

void RoomsSession::handleSend(const QJsonObject &frame)
{
    const QJsonValue content = frame.value(str("content"));
    if (!content.isString())
        return sendError(str("Missing field: content"));
    const int limit = m_context.config.messageSizeLimit;
    if (content.toString().size() > limit)
        return sendError(str("Message too long (max %1 characters)").arg(limit));

    QString tempId;
    const QJsonValue tempValue = frame.value(str("temp_id"));
    if (tempValue.isString())
        tempId = tempValue.toString();
    else if (tempValue.isDouble())
        tempId = QString::number(tempValue.toInteger());
    else if (!tempValue.isUndefined() && !tempValue.isNull())
        return sendError(str("temp_id must be a string"));
    if (tempId.size() > maxTempIdLength)
        return sendError(str("temp_id is too long"));

    NewMessage message;
    message.roomId = m_roomId;
    message.senderId = m_user.id;
    message.kind = MessageKind::Text;
    message.body = content.toString();
    message.clientId = tempId;
    m_context.hub.postMessage(message, this, this, [this](const PostOutcome &outcome) {
        switch (outcome.result) {
        case PostOutcome::Result::Posted:
            return; // the fan-out reached this session too: that is the ack
        case PostOutcome::Result::Duplicate: {
            // Acknowledge again to this sender only; nobody else sees it twice.
            MessageEvent event{outcome.message, m_user,
                               m_context.hub.directory().room(m_roomId).value_or(RoomRecord{})};
            send(rooms::messageFrame(event));
            return;
        }
        case PostOutcome::Result::Invalid:
        case PostOutcome::Result::RateLimited:
        case PostOutcome::Result::Blocked:
            return sendError(outcome.error);
        case PostOutcome::Result::NotMember:
            return sendError(str("You are not a member of this room"));
        case PostOutcome::Result::Failed:
            return sendError(str("Message sending failed"));
        }
    });
}

void RoomsSession::handleReceipt(const QJsonObject &frame, DeliveryStatus status)
{
    const std::optional<qint64> messageId = http::positiveId(frame.value(str("message_id")));
    if (!messageId)
        return sendError(str("Missing field: message_id"));
    // Receipts are for messages of this connection's room only.
    switch (m_context.hub.updateReceipt(m_user.id, *messageId, status, m_roomId)) {
    case ReceiptOutcome::Updated:
    case ReceiptOutcome::Unchanged:
        return;
    case ReceiptOutcome::NotFound:
        return sendError(str("Message not found"));
    case ReceiptOutcome::Forbidden:
        return sendError(str("Cannot mark your own message"));
    case ReceiptOutcome::Failed:
        return sendError(str("Status update failed"));
    }
}

void RoomsSession::sendHealthCheck()
{
    sendObject({{str("type"), str("health_check_response")},
                {str("room_id"), m_roomId},
                {str("user_id"), m_user.id},
                {str("connection_duration"), m_connected.elapsed() / 1000},
                {str("last_activity"), http::timestamp(m_lastActivity)},
                {str("is_alive"), m_socket.isOpen()},
                {str("timestamp"), http::timestamp(QDateTime::currentDateTimeUtc())}});
}

void RoomsSession::sendPing()
{
    sendObject({{str("type"), str("ping")},
                {str("timestamp"), http::timestamp(QDateTime::currentDateTimeUtc())},
                {str("sequence"), ++m_pingSequence}});
    m_heartbeat.start(m_context.timers, m_context.config.heartbeatInterval);
    if (!m_pongDeadline.isActive())
        m_pongDeadline.start(m_context.timers, m_context.config.pingTimeout);
}

void RoomsSession::pingTimedOut()
{
    const ServerConfig &config = m_context.config;
    ++m_missedPongs;
    if (m_missedPongs >= config.missedPongsBeforeReconnect) {
        sendObject({{str("type"), str("reconnect_suggested")},
                    {str("reason"), str("ping_timeout")},
                    {str("attempts"), m_missedPongs},
                    {str("max_attempts"), config.maxReconnectAttempts}});
    }
    if (m_missedPongs >= config.maxReconnectAttempts)
        m_socket.close(QWebSocketProtocol::CloseCodeGoingAway, str("Ping timeout"));
}

void RoomsSession::quietTooLong()
{
    const ServerConfig &config = m_context.config;
    if (config.connectionTimeout <= silenceLimit(config))
        return m_socket.close(QWebSocketProtocol::CloseCodeNormal, str("Connection timeout"));
    sendObject({{str("type"), str("reconnect_suggested")},
                {str("reason"), str("ping_timeout")},
                {str("attempts"), m_missedPongs},
                {str("max_attempts"), config.maxReconnectAttempts}});
    m_socket.close(QWebSocketProtocol::CloseCodeGoingAway, str("Ping timeout"));
}

void RoomsSession::deliverMessage(const MessageEvent &event, FrameCache &frames)
{
    send(
        frames.frame(QLatin1StringView("rooms"), [&event] { return rooms::messageFrame(event); }));
}

void RoomsSession::deliverStatus(const StatusEvent &event, FrameCache &frames)
{
    send(
        frames.frame(QLatin1StringView("rooms"), [&event] { return rooms::statusFrame(event); }));
}

void RoomsSession::deliverTyping(const TypingEvent &event, FrameCache &frames)
{
    if (event.user.id == m_user.id)
        return; // nobody needs to be told they are typing
    send(
        frames.frame(QLatin1StringView("rooms"), [&event] { return rooms::typingFrame(event); }));
}

void RoomsSession::deliverPresence(const PresenceEvent &event, FrameCache &frames)
{
    // The room shows the presence of its members only.
    if (event.user.id == m_user.id || !m_context.hub.directory().membership(m_roomId, event.user.id))
        return;
    send(
        frames.frame(QLatin1StringView("rooms"), [&event] { return rooms::presenceFrame(event); }));
}

} // namespace natter::server
