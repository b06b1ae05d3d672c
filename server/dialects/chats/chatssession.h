#pragma once

// One `/chats/ws` connection (spec 001): a user, the chats (rooms by UUID)
// this connection subscribed to, and the spec's two actions.
//
// Decisions where the spec is silent (tested in tst_chatsdialect):
// - Incoming messages reach a connection only for chats it subscribed to
//   (followsRoom). Sending needs active membership, not a subscription.
// - A message is not echoed to the connection that sent it (that one gets
//   message_response); the sender's other subscribed connections get it.
// - Frames that are not a JSON object close the connection with 1007
//   ("Malformed JSON" / "Expected a JSON object"); binary frames with 1003.
// - The server closes with 1001 when it shuts down.

#include "socketsession.h"
#include "records.h"

#include <QJsonObject>
#include <QObject>
#include <QVarLengthArray>
#include <memory>

namespace natter::server {

struct ServerContext;

class ChatsSession : public SocketSession
{
    Q_OBJECT
public:
    ChatsSession(ServerContext &context, std::unique_ptr<SocketPipe> socket, UserRecord user,
                 QObject *parent = nullptr);

    bool followsRoom(qint64 roomId) const override;
    void deliverMessage(const MessageEvent &event, FrameCache &frames) override;
    // The spec has no receipts, typing or presence frames.
    void deliverStatus(const StatusEvent &, FrameCache &) override { }
    void deliverTyping(const TypingEvent &, FrameCache &) override { }
    void deliverPresence(const PresenceEvent &, FrameCache &) override { }
    void closeGoingAway() override;

private:
    void handleText(const QString &text);
    void handleSubscribe(const QJsonObject &frame);
    void handleMessage(const QJsonObject &frame);
    // The room a chat id names, if this user is an active member of it.
    std::optional<RoomRecord> accessibleRoom(const QJsonValue &chatId);
    void sendError(QLatin1StringView error);
    void reply(const QString &frame);
    void closeWith(QWebSocketProtocol::CloseCode code, const QString &reason);

    UserRecord m_user;
    // Room ids, ascending; a few fit inside the session (no allocation per idle connection).
    QVarLengthArray<qint64, 4> m_subscribed;
    bool m_closing = false;    // frames after a close decision are ignored
};

} // namespace natter::server
