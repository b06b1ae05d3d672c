#pragma once

// One `/cable` connection (spec 000): a user with any number of
// MessageChannel subscriptions, each a room (the lobby without room_id).
// See cableendpoint.h for the commands and cableformat.h for the frames.

#include "socketsession.h"
#include "records.h"
#include "timerwheel.h"

#include <QJsonObject>
#include <QList>
#include <QObject>
#include <memory>

namespace natter::server {

struct PostOutcome;

struct ServerContext;

class CableSession : public SocketSession
{
    Q_OBJECT
public:
    CableSession(ServerContext &context, std::unique_ptr<SocketPipe> socket, UserRecord user,
                 QObject *parent = nullptr);

    bool followsRoom(qint64 roomId) const override;
    void deliverMessage(const MessageEvent &event, FrameCache &frames) override;
    // ActionCable has no receipts, typing or presence frames.
    void deliverStatus(const StatusEvent &, FrameCache &) override { }
    void deliverTyping(const TypingEvent &, FrameCache &) override { }
    void deliverPresence(const PresenceEvent &, FrameCache &) override { }
    // On the lobby's subscription (every user's channel), else on the room's own.
    void deliverRoomEvent(const RoomEvent &event, FrameCache &frames) override;
    void closeGoingAway() override;

private:
    struct Subscription
    {
        QString key;  // the identifier text, as Rails keys subscriptions
        QString json; // the identifier as the client sent it, as JSON text to echo
        qint64 roomId = 0;
    };
    // The identifier of a command: its key and echo form; nullopt when
    // missing or neither a string nor an object.
    struct Identifier
    {
        QString key;
        QString json;
        QJsonObject params; // empty when the text is not a JSON object
    };
    static std::optional<Identifier> identifierOf(const QJsonObject &command);

    void handleText(const QString &text);
    void subscribe(const QJsonObject &command);
    void unsubscribe(const QJsonObject &command);
    void perform(const QJsonObject &command);
    void post(Subscription target, NewMessage message, const QString &tempId);
    void answerPost(const PostOutcome &outcome, Subscription target, const QString &tempId);
    std::optional<qint64> roomFor(const QJsonObject &params);
    Subscription *find(const QString &key);
    void sendError(const QString &message, const QString &command = {},
                   const QString &tempId = {});
    void onClosed() override;
    void sendPing();

    UserRecord m_user;
    QList<Subscription> m_subscriptions; // in subscription order; a handful at most
    engine::WheelDeadline m_ping{[this] { sendPing(); }};
};

} // namespace natter::server
