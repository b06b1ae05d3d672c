#include "chatssession.h"

#include "chatsformat.h"
#include "hub.h"
#include "serverconfig.h"
#include "servercontext.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QUuid>
#include <algorithm>

namespace natter::server {
namespace {
QString str(const char *latin1) { return QString::fromLatin1(latin1); }
} // namespace

ChatsSession::ChatsSession(ServerContext &context, std::unique_ptr<SocketPipe> socket,
                           UserRecord user, QObject *parent)
    : SocketSession(context, std::move(socket), parent)
    , m_user(std::move(user))
{
    connect(&m_socket, &SocketLink::textReceived, this, &ChatsSession::handleText);
    connect(&m_socket, &SocketLink::binaryReceived, this, [this] {
        closeWith(QWebSocketProtocol::CloseCodeDatatypeNotSupported,
                  str("Binary frames are not supported"));
    });
    if (mayConnect(m_user.id))
        attachToHub(m_user.id);
}


void ChatsSession::closeGoingAway()
{
    closeWith(QWebSocketProtocol::CloseCodeGoingAway, str("Server shutting down"));
}

void ChatsSession::closeWith(QWebSocketProtocol::CloseCode code, const QString &reason)
{
    m_closing = true;
    m_socket.close(code, reason);
}

// Spec 001 answers carry no ids: every answer goes out in request order,
// after those of messages still waiting for their group commit.
void ChatsSession::reply(const QString &frame)
{
    m_context.hub.answerInOrder(this, this, [this, frame] { send(frame); });
}

void ChatsSession::sendError(QLatin1StringView error)
{
    reply(chats::errorFrame(error));
}

void ChatsSession::handleText(const QString &text)
{
    if (m_closing)
        return; // e.g. a frame that arrived with the malformed one: nothing more is acted on
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(text.toUtf8(), &parseError);
    // "Connection will be closed on malformed JSON" (spec 001).
    if (parseError.error != QJsonParseError::NoError)
        return closeWith(QWebSocketProtocol::CloseCodeWrongDatatype, str("Malformed JSON"));
    if (!document.isObject())
        return closeWith(QWebSocketProtocol::CloseCodeWrongDatatype, str("Expected a JSON object"));
    const QJsonObject frame = document.object();
    const QJsonValue action = frame.value(str("action"));
    if (action == QJsonValue(str("subscribe")))
        return handleSubscribe(frame);
    if (action == QJsonValue(str("message")))
        return handleMessage(frame);
    sendError(chats::unknownAction); // unknown, missing or not a string
}

std::optional<RoomRecord> ChatsSession::accessibleRoom(const QJsonValue &chatId)
{
    if (!chatId.isString())
        return std::nullopt;
    const QUuid uuid = QUuid::fromString(chatId.toString().trimmed());
    if (uuid.isNull())
        return std::nullopt;
    RoomDirectory &directory = m_context.hub.directory();
    std::optional<RoomRecord> room = directory.roomByUuid(uuid);
    if (!room)
        return std::nullopt;
    const auto membership = directory.membership(room->id, m_user.id);
    if (!membership || membership->state != MembershipState::Active)
        return std::nullopt;
    return room;
}

bool ChatsSession::followsRoom(qint64 roomId) const
{
    return std::binary_search(m_subscribed.cbegin(), m_subscribed.cend(), roomId);
}

void ChatsSession::handleSubscribe(const QJsonObject &frame)
{
    const QJsonValue chatIds = frame.value(str("chat_ids"));
    if (!chatIds.isArray())
        return sendError(chats::missingChatId);
    // One result per requested id, in request order, each id echoed as sent.
    QJsonArray results;
    for (const QJsonValue &chatId : chatIds.toArray()) {
        if (const std::optional<RoomRecord> room = accessibleRoom(chatId)) {
            const auto at = std::lower_bound(m_subscribed.begin(), m_subscribed.end(), room->id);
            const bool isNew = at == m_subscribed.end() || *at != room->id;
            const int allowed = m_context.config.maxSubscriptionsPerConnection;
            if (isNew && allowed > 0 && m_subscribed.size() >= allowed) {
                results.append(chats::subscribeResult(chatId, chats::tooManySubscriptions));
                continue;
            }
            if (isNew) {
                m_subscribed.insert(at, room->id);
                m_context.hub.follow(this, room->id);
            }
            results.append(chats::subscribeResult(chatId));
        } else {
            results.append(chats::subscribeResult(chatId, chats::noAccess));
        }
    }
    reply(chats::subscribeResponse(results));
}

void ChatsSession::handleMessage(const QJsonObject &frame)
{
    // Checked in this order: the fields, then access, then the hub.
    const QJsonValue chatId = frame.value(str("chat_id"));
    if (!chatId.isString() || chatId.toString().trimmed().isEmpty())
        return sendError(chats::missingChatId);
    const QJsonValue text = frame.value(str("text"));
    if (!text.isString() || text.toString().trimmed().isEmpty())
        return sendError(chats::emptyMessage);
    const std::optional<RoomRecord> room = accessibleRoom(chatId);
    if (!room)
        return sendError(chats::noAccess);

    NewMessage message;
    message.roomId = room->id;
    message.senderId = m_user.id;
    message.kind = MessageKind::Text;
    message.body = text.toString();
    // After the group commit: the fan-out skips this connection (its event's
    // origin), which gets message_response instead.
    m_context.hub.postMessage(message, this, this, [this, room = *room](const PostOutcome &outcome) {
        switch (outcome.result) {
        case PostOutcome::Result::Posted:
        case PostOutcome::Result::Duplicate: // no client ids in this dialect: not expected
            send(chats::messageResponse(outcome.message, room));
            return;
        case PostOutcome::Result::NotMember:
            return sendError(chats::noAccess); // left the room meanwhile
        case PostOutcome::Result::Invalid:
            return sendError(chats::emptyMessage);
        case PostOutcome::Result::RateLimited:
            return sendError(chats::rateLimited);
        case PostOutcome::Result::Blocked:
        case PostOutcome::Result::Failed:
            return sendError(chats::couldNotSend);
        }
    });
}

void ChatsSession::deliverMessage(const MessageEvent &event, FrameCache &frames)
{
    if (event.origin == this)
        return; // the sending connection itself: it gets message_response instead
    // The same frame for every recipient: encoded once per fan-out.
    send(frames.frame(QLatin1StringView("chats"),
                                           [&event] { return chats::incomingMessage(event); }));
}

} // namespace natter::server
