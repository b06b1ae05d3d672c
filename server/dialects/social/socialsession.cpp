#include "socialsession.h"

#include "httputil.h"
#include "hub.h"
#include "servercontext.h"
#include "socialformat.h"

#include <QJsonDocument>
#include <QJsonParseError>
#include <cmath>

namespace natter::server {
namespace {

QString str(const char *latin1) { return QString::fromLatin1(latin1); }

bool isInteger(const QJsonValue &value)
{
    if (!value.isDouble())
        return false;
    const double number = value.toDouble();
    return std::isfinite(number) && std::trunc(number) == number;
}

} // namespace

SocialSession::SocialSession(ServerContext &context, std::unique_ptr<SocketPipe> socket,
                             UserRecord user, QObject *parent)
    : SocketSession(context, std::move(socket), parent)
    , m_user(std::move(user))
{
    connect(&m_socket, &SocketLink::textReceived, this, &SocialSession::handleText);
    connect(&m_socket, &SocketLink::binaryReceived, this,
            [this] { sendError(str("Binary frames are not supported")); });
    // The spec sends nothing on connect: the session simply starts listening.
    if (!mayConnect(m_user.id))
        return;
    attachToHub(m_user.id);
    m_context.hub.followMemberRooms(this);
}


bool SocialSession::followsRoom(qint64 roomId) const
{
    // Every room the user is an active member of (the hub's directory, in memory).
    const auto membership = m_context.hub.directory().membership(roomId, m_user.id);
    return membership && membership->state == MembershipState::Active;
}

void SocialSession::sendError(const QString &message)
{
    send(social::errorFrame(message));
}

// Spec 002 says bad frames are "ignored": nothing is stored or delivered and
// the connection stays open. Natter also tells the sender why, with
// {"type":"error","message":...}, which a spec client skips as an unknown type.
void SocialSession::handleText(const QString &text)
{
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(text.toUtf8(), &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject())
        return sendError(str("Invalid JSON"));
    const QJsonObject frame = document.object();
    const QJsonValue typeValue = frame.value(str("type"));
    if (!typeValue.isString())
        return sendError(str("Missing field: type"));
    const QString type = typeValue.toString();
    if (type == u"private")
        return handlePrivate(frame);
    if (type == u"group")
        return handleGroup(frame);
    if (type == u"broadcast")
        return handleBroadcast(frame);
    sendError(str("Unknown message type: ") + type);
}

std::optional<QString> SocialSession::contentOf(const QJsonObject &frame)
{
    const QJsonValue content = frame.value(str("content"));
    if (!content.isString()) {
        const bool missing = content.isUndefined() || content.isNull();
        sendError(missing ? str("Missing field: content") : str("Invalid field: content"));
        return std::nullopt;
    }
    if (content.toString().trimmed().isEmpty()) {
        sendError(str("Message cannot be empty"));
        return std::nullopt;
    }
    // Optional; when given it must be unix seconds. The server's own time is
    // what every recipient and the history see, so all dialects agree.
    const QJsonValue timestamp = frame.value(str("timestamp"));
    if (!timestamp.isUndefined() && !timestamp.isNull() && !isInteger(timestamp)) {
        sendError(str("Invalid field: timestamp"));
        return std::nullopt;
    }
    return content.toString();
}

void SocialSession::handlePrivate(const QJsonObject &frame)
{
    const QJsonValue toValue = frame.value(str("to"));
    if (toValue.isUndefined() || toValue.isNull())
        return sendError(str("Missing field: to"));
    // An integer user id (a numeric string is accepted too).
    const std::optional<qint64> to = http::positiveId(toValue);
    if (!to)
        return sendError(str("Invalid field: to"));
    const std::optional<QString> content = contentOf(frame);
    if (!content)
        return;
    if (*to == m_user.id)
        return sendError(str("Cannot send a private message to yourself"));
    if (!m_context.hub.directory().user(*to))
        return sendError(str("User not found"));
    // The direct room of the two users, created on the first message.
    const std::optional<RoomRecord> room = m_context.hub.directRoomFor(m_user.id, *to);
    if (!room)
        return sendError(str("Message sending failed"));
    post(room->id, *content, str("You cannot send messages to this user"));
}

void SocialSession::handleGroup(const QJsonObject &frame)
{
    const QJsonValue groupValue = frame.value(str("group_id"));
    if (groupValue.isUndefined() || groupValue.isNull())
        return sendError(str("Missing field: group_id"));
    // The spec prints a string ("456"); an integer is accepted too.
    const std::optional<qint64> groupId = http::positiveId(groupValue);
    if (!groupId)
        return sendError(str("Invalid field: group_id"));
    const std::optional<QString> content = contentOf(frame);
    if (!content)
        return;
    const QString notMember = str("You are not a member of this group");
    const auto room = m_context.hub.directory().room(*groupId);
    if (!room || room->kind != RoomKind::Group)
        return sendError(notMember);
    post(room->id, *content, notMember);
}

void SocialSession::handleBroadcast(const QJsonObject &frame)
{
    const std::optional<QString> content = contentOf(frame);
    if (!content)
        return;
    // The role as it is now, not as it was at connect.
    const std::optional<UserRecord> sender = m_context.hub.directory().user(m_user.id);
    if (!sender || sender->role != UserRole::Admin)
        return sendError(str("Only admins can broadcast"));
    m_context.hub.broadcast(*sender, *content);
}

void SocialSession::post(qint64 roomId, const QString &content, const QString &notMemberError)
{
    NewMessage message;
    message.roomId = roomId;
    message.senderId = m_user.id;
    message.kind = MessageKind::Text;
    message.body = content;
    m_context.hub.postMessage(message, this, this, [this, notMemberError](const PostOutcome &outcome) {
        switch (outcome.result) {
        case PostOutcome::Result::Posted:
        case PostOutcome::Result::Duplicate:
            return; // "Sender receives no confirmation"
        case PostOutcome::Result::NotMember:
            return sendError(notMemberError);
        case PostOutcome::Result::Invalid:
        case PostOutcome::Result::RateLimited:
        case PostOutcome::Result::Blocked:
            return sendError(outcome.error);
        case PostOutcome::Result::Failed:
            return sendError(str("Message sending failed"));
        }
    });
}

void SocialSession::deliverMessage(const MessageEvent &event, FrameCache &frames)
{
    // "all accepted group members except sender"; a private message is not
    // echoed back either (on any of the sender's social connections).
    if (event.message.senderId == m_user.id)
        return;
    // Encoded once for every social recipient: in a direct room the only
    // recipient is the member who is not the sender, which is this user, so
    // `to` is the same for every session that gets here.
    send(frames.frame(social::dialectName, [&] {
        return social::frame(social::message(event.message, event.sender, event.room, m_user.id));
    }));
}

void SocialSession::deliverNotification(const NotificationEvent &event, FrameCache &frames)
{
    send(frames.frame(social::dialectName, [&event] {
        return social::frame(social::notification(event.notification));
    }));
}

// Natter's extra notification subtype `room_update`, live only (not stored):
// a room appeared or a membership in it changed. Groups by `group_id`, a
// direct room by the other member (`user_id`), as this dialect addresses them.
void SocialSession::deliverRoomEvent(const RoomEvent &event, FrameCache &)
{
    QJsonObject frame{{str("type"), str("notification")},
                      {str("subtype"), str("room_update")},
                      {str("change"), event.change == RoomEvent::Change::Created ? str("created") : str("membership")},
                      {str("member_id"), event.userId},
                      {str("state"), event.state ? toString(*event.state) : str("removed")},
                      {str("message"), event.room.kind == RoomKind::Group
                                           ? str("Group '%1' changed").arg(event.room.name)
                                           : str("A conversation changed")},
                      {str("timestamp"), event.at.toSecsSinceEpoch()}};
    if (event.room.kind == RoomKind::Group) {
        frame.insert(str("group_id"), QString::number(event.room.id));
    } else {
        for (const MembershipRecord &member : m_context.hub.directory().members(event.room.id)) {
            if (member.userId != m_user.id)
                frame.insert(str("user_id"), member.userId);
        }
    }
    send(social::frame(frame));
}

void SocialSession::deliverBroadcast(const BroadcastEvent &event, FrameCache &frames)
{
    send(frames.frame(social::dialectName, [&event] {
        return social::frame(social::broadcast(event));
    }));
}

} // namespace natter::server
