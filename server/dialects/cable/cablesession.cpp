#include "cablesession.h"

#include "cableformat.h"
#include "httputil.h"
#include "hub.h"
#include "servercontext.h"
#include "serverconfig.h"
#include "stampcatalogue.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonParseError>
#include <cmath>

namespace natter::server {
namespace {

constexpr int maxTempIdLength = 128;

QString str(const char *latin1) { return QString::fromLatin1(latin1); }

std::optional<QJsonObject> parseObject(const QString &text)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(text.toUtf8(), &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject())
        return std::nullopt;
    return document.object();
}

// A coordinate given as a number or a numeric string.
std::optional<double> coordinate(const QJsonValue &value)
{
    double number = 0;
    if (value.isDouble()) {
        number = value.toDouble();
    } else if (value.isString()) {
        bool ok = false;
        number = value.toString().trimmed().toDouble(&ok);
        if (!ok)
            return std::nullopt;
    } else {
        return std::nullopt;
    }
    return std::isfinite(number) ? std::optional<double>(number) : std::nullopt;
}

const QString commandSubscribe = QStringLiteral("subscribe");
const QString commandUnsubscribe = QStringLiteral("unsubscribe");
const QString commandMessage = QStringLiteral("message");

} // namespace

CableSession::CableSession(ServerContext &context, std::unique_ptr<SocketPipe> socket,
                           UserRecord user, QObject *parent)
    : SocketSession(context, std::move(socket), parent)
    , m_user(std::move(user))
{
    connect(&m_socket, &SocketLink::textReceived, this, &CableSession::handleText);
    connect(&m_socket, &SocketLink::binaryReceived, this,
            [this] { sendError(str("Binary frames are not supported")); });

    if (!mayConnect(m_user.id))
        return;
    send(cable::welcomeFrame());
    m_ping.start(m_context.timers, m_context.config.cablePingInterval);
    attachToHub(m_user.id);
}


void CableSession::onClosed()
{
    m_ping.stop();
    m_subscriptions.clear();
}

void CableSession::closeGoingAway()
{
    // What Rails sends when its server restarts: the client may come back.
    send(cable::disconnectFrame(str("server_restart"), true));
    m_socket.close(QWebSocketProtocol::CloseCodeGoingAway, str("Server shutting down"));
}

void CableSession::sendPing()
{
    send(cable::pingFrame(QDateTime::currentSecsSinceEpoch()));
    m_ping.start(m_context.timers, m_context.config.cablePingInterval);
}

void CableSession::sendError(const QString &message, const QString &command, const QString &tempId)
{
    send(cable::errorFrame(message, command, tempId));
}

bool CableSession::followsRoom(qint64 roomId) const
{
    return std::any_of(m_subscriptions.cbegin(), m_subscriptions.cend(),
                       [roomId](const Subscription &s) { return s.roomId == roomId; });
}

CableSession::Subscription *CableSession::find(const QString &key)
{
    for (Subscription &subscription : m_subscriptions) {
        if (subscription.key == key)
            return &subscription;
    }
    return nullptr;
}

std::optional<CableSession::Identifier> CableSession::identifierOf(const QJsonObject &command)
{
    const QJsonValue value = command.value(str("identifier"));
    Identifier identifier;
    if (value.isString()) {
        // The wire form: JSON text inside a JSON string, kept verbatim.
        identifier.key = value.toString();
        identifier.json = cable::jsonText(value);
        identifier.params = parseObject(identifier.key).value_or(QJsonObject{});
        return identifier;
    }
    if (value.isObject()) {
        // The spec's printed form: the object itself. Its compact text is the key,
        // so it meets the same identifier sent as a string.
        identifier.params = value.toObject();
        identifier.key = cable::jsonText(value);
        identifier.json = identifier.key;
        return identifier;
    }
    return std::nullopt;
}

void CableSession::handleText(const QString &text)
{
    const std::optional<QJsonObject> command = parseObject(text);
    if (!command)
        return sendError(str("Invalid JSON"));
    const QJsonValue name = command->value(str("command"));
    if (!name.isString())
        return sendError(str("Missing field: command"));
    if (name.toString() == commandSubscribe)
        return subscribe(*command);
    if (name.toString() == commandUnsubscribe)
        return unsubscribe(*command);
    if (name.toString() == commandMessage)
        return perform(*command);
    sendError(str("Unknown command: ") + name.toString(), name.toString());
}

std::optional<qint64> CableSession::roomFor(const QJsonObject &params)
{
    if (params.value(str("channel")).toString() != cable::channelName)
        return std::nullopt;
    const QJsonValue roomValue = params.value(str("room_id"));
    if (roomValue.isUndefined() || roomValue.isNull()) {
        const std::optional<RoomRecord> lobby = m_context.hub.directory().lobby();
        return lobby ? std::optional<qint64>(lobby->id) : std::nullopt;
    }
    const std::optional<qint64> roomId = http::positiveId(roomValue);
    if (!roomId)
        return std::nullopt;
    const auto membership = m_context.hub.directory().membership(*roomId, m_user.id);
    if (!membership || membership->state != MembershipState::Active)
        return std::nullopt;
    return roomId;
}

void CableSession::subscribe(const QJsonObject &command)
{
    const std::optional<Identifier> identifier = identifierOf(command);
    if (!identifier)
        return sendError(str("Missing field: identifier"), commandSubscribe);
    if (find(identifier->key))
        return send(cable::confirmFrame(identifier->json)); // one subscription, confirmed again
    const std::optional<qint64> roomId = roomFor(identifier->params);
    if (!roomId)
        return send(cable::rejectFrame(identifier->json));
    const int allowed = m_context.config.maxSubscriptionsPerConnection;
    if (allowed > 0 && m_subscriptions.size() >= allowed) {
        // Rails' own refusal, and a reason in Natter's error frame.
        send(cable::rejectFrame(identifier->json));
        return sendError(str("Too many subscriptions (at most %1 per connection)").arg(allowed), commandSubscribe);
    }
    m_subscriptions.append({identifier->key, identifier->json, *roomId});
    m_context.hub.follow(this, *roomId);
    send(cable::confirmFrame(identifier->json));
}

void CableSession::unsubscribe(const QJsonObject &command)
{
    const std::optional<Identifier> identifier = identifierOf(command);
    if (!identifier)
        return sendError(str("Missing field: identifier"), commandUnsubscribe);
    const Subscription *subscription = find(identifier->key);
    if (!subscription)
        return sendError(str("Not subscribed to this identifier"), commandUnsubscribe);
    const qint64 roomId = subscription->roomId;
    m_subscriptions.removeIf([&identifier](const Subscription &s) { return s.key == identifier->key; });
    if (!followsRoom(roomId)) // two identifiers may name one room
        m_context.hub.unfollow(this, roomId);
}

void CableSession::perform(const QJsonObject &command)
{
    const std::optional<Identifier> identifier = identifierOf(command);
    if (!identifier)
        return sendError(str("Missing field: identifier"), commandMessage);

    // Rails clients send `data` as JSON text; the spec prints it as an object.
    QJsonObject data;
    const QJsonValue dataValue = command.value(str("data"));
    if (dataValue.isString()) {
        const std::optional<QJsonObject> parsed = parseObject(dataValue.toString());
        if (!parsed)
            return sendError(str("Invalid data: expected a JSON object"), commandMessage);
        data = *parsed;
    } else if (dataValue.isObject()) {
        data = dataValue.toObject();
    } else {
        return sendError(str("Missing field: data"), commandMessage);
    }

    QString tempId;
    QJsonValue tempValue = data.value(str("temp_id"));
    if (tempValue.isUndefined() || tempValue.isNull())
        tempValue = data.value(str("client_id"));
    if (tempValue.isString())
        tempId = tempValue.toString();
    else if (tempValue.isDouble())
        tempId = QString::number(tempValue.toInteger());
    else if (!tempValue.isUndefined() && !tempValue.isNull())
        return sendError(str("temp_id must be a string or a number"), commandMessage);
    if (tempId.size() > maxTempIdLength) {
        return sendError(str("temp_id is too long (max %1 characters)").arg(maxTempIdLength),
                         commandMessage);
    }

    const Subscription *subscription = find(identifier->key);
    if (!subscription)
        return sendError(str("Not subscribed to this identifier"), commandMessage, tempId);

    const QJsonValue actionValue = data.value(str("action"));
    if (!actionValue.isString())
        return sendError(str("Missing field: action"), commandMessage, tempId);
    const QString action = actionValue.toString();

    NewMessage message;
    message.roomId = subscription->roomId;
    message.senderId = m_user.id;
    message.clientId = tempId;
    if (action == u"send_message") {
        const QJsonValue text = data.value(str("message"));
        if (!text.isString())
            return sendError(str("Missing field: message"), commandMessage, tempId);
        message.kind = MessageKind::Text;
        message.body = text.toString();
    } else if (action == u"send_stamp") {
        const QJsonValue stampValue = data.value(str("stamp_id"));
        if (stampValue.isUndefined() || stampValue.isNull())
            return sendError(str("Missing field: stamp_id"), commandMessage, tempId);
        const std::optional<qint64> stampId = http::positiveId(stampValue);
        if (!stampId || !cable::findStamp(*stampId)) {
            return sendError(str("Unknown stamp: ") + cable::jsonText(stampValue), commandMessage,
                             tempId);
        }
        message.kind = MessageKind::Stamp;
        message.body = QString::number(*stampId);
    } else if (action == u"send_location") {
        struct Axis
        {
            const char *name;
            double limit;
            double *target;
        };
        for (const Axis &axis : {Axis{"latitude", 90, &message.latitude},
                                 Axis{"longitude", 180, &message.longitude}}) {
            const QJsonValue value = data.value(str(axis.name));
            if (value.isUndefined() || value.isNull())
                return sendError(str("Missing field: ") + str(axis.name), commandMessage, tempId);
            const std::optional<double> number = coordinate(value);
            if (!number || std::abs(*number) > axis.limit)
                return sendError(str("Invalid ") + str(axis.name), commandMessage, tempId);
            *axis.target = *number;
        }
        message.kind = MessageKind::Location;
    } else {
        return sendError(str("Unknown action: ") + action, commandMessage, tempId);
    }
    post(*subscription, std::move(message), tempId);
}

void CableSession::post(Subscription target, NewMessage message, const QString &tempId)
{
    // `target` is a copy: the subscriptions may change while the hub fans out.
    m_context.hub.postMessage(message, this, this,
                              [this, target, tempId](const PostOutcome &outcome) { answerPost(outcome, target, tempId); });
}

void CableSession::answerPost(const PostOutcome &outcome, Subscription target, const QString &tempId)
{
    switch (outcome.result) {
    case PostOutcome::Result::Posted:
        return; // the fan-out reached this subscription too: that is the ack
    case PostOutcome::Result::Duplicate: {
        // The stored message again, to the sender only; nobody else sees it twice. It goes
        // to a subscription of its own room when there is one (the temp id may have
        // been re-sent on another identifier).
        const MessageEvent event{outcome.message, m_user,
                                 m_context.hub.directory().room(outcome.message.roomId).value_or(RoomRecord{})};
        for (const Subscription &subscription : std::as_const(m_subscriptions)) {
            if (subscription.roomId == outcome.message.roomId) {
                target = subscription;
                break;
            }
        }
        return send(cable::wrapMessage(target.json, cable::messageBody(event)));
    }
    case PostOutcome::Result::Invalid:
    case PostOutcome::Result::RateLimited:
    case PostOutcome::Result::Blocked:
        return sendError(outcome.error, commandMessage, tempId);
    case PostOutcome::Result::NotMember:
        return sendError(str("You are not a member of this room"), commandMessage, tempId);
    case PostOutcome::Result::Failed:
        return sendError(str("Message sending failed"), commandMessage, tempId);
    }
}

void CableSession::deliverRoomEvent(const RoomEvent &event, FrameCache &frames)
{
    const std::optional<RoomRecord> lobby = m_context.hub.directory().lobby();
    const Subscription *channel = nullptr;
    for (const Subscription &subscription : std::as_const(m_subscriptions)) {
        if (lobby && subscription.roomId == lobby->id) {
            channel = &subscription;
            break;
        }
        if (subscription.roomId == event.room.id && !channel)
            channel = &subscription;
    }
    if (!channel)
        return; // nothing this client listens on can carry it
    send(cable::wrapMessage(channel->json, frames.text(cable::dialectName, [&event] {
        return cable::roomUpdateBody(event);
    })));
}

void CableSession::deliverMessage(const MessageEvent &event, FrameCache &frames)
{
    QString body; // encoded once per event for every cable session, on first need
    for (const Subscription &subscription : std::as_const(m_subscriptions)) {
        if (subscription.roomId != event.message.roomId)
            continue;
        if (body.isNull())
            body = frames.text(cable::dialectName, [&event] { return cable::messageBody(event); });
        // Each subscription hears it under its own identifier (two subscriptions
        // may name the same room, and every client spells its identifier its own way).
        send(cable::wrapMessage(subscription.json, body));
    }
}

} // namespace natter::server
