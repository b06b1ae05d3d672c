#pragma once

// One gateway connection (spec 004): HELLO on connect, IDENTIFY within the
// identify timeout, then READY and DISPATCH events. Protocol violations close
// the socket with the spec's 4000–4009 codes; refusals of a well-formed
// SEND_MESSAGE (unknown recipient, empty text, blocked…) are an ERROR
// dispatch and the connection stays open.

#include "socketsession.h"
#include "gatewayformat.h"
#include "records.h"
#include "timerwheel.h"

#include <QElapsedTimer>
#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <memory>
#include <optional>

namespace natter::server {

struct PostOutcome;

struct ServerContext;

class GatewaySession : public SocketSession
{
    Q_OBJECT
public:
    GatewaySession(ServerContext &context, std::unique_ptr<SocketPipe> socket,
                   QObject *parent = nullptr);

    bool isIdentified() const { return m_user.has_value(); }

    // Threads are direct rooms: group rooms (the lobby too) have no gateway shape.
    bool followsRoom(qint64 roomId) const override;
    void deliverMessage(const MessageEvent &event, FrameCache &frames) override;
    void deliverMessageRequest(const MessageEvent &event, FrameCache &frames) override;
    void deliverRoomEvent(const RoomEvent &event, FrameCache &frames) override;
    // The spec has no receipt, typing or presence events.
    void deliverStatus(const StatusEvent &, FrameCache &) override { }
    void deliverTyping(const TypingEvent &, FrameCache &) override { }
    void deliverPresence(const PresenceEvent &, FrameCache &) override { }
    void closeGoingAway() override;

private:
    void handleText(const QString &text);
    void handleIdentify(const QJsonValue &data);
    void handleDispatch(const QString &event, const QJsonValue &data);
    void handleSendMessage(const QJsonValue &data);
    void answerSend(const PostOutcome &outcome, const RoomRecord &room, const UserRecord &recipient,
                    const QJsonValue &nonce);
    bool withinRateLimit();
    void sendError(QLatin1StringView code, const QString &message, const QJsonValue &nonce);
    void closeWith(gateway::CloseCode code);
    void onClosed() override;
    void identifyTimedOut();

    std::optional<UserRecord> m_user; // set by IDENTIFY
    QJsonObject m_properties;         // IDENTIFY's properties (os, device)
    engine::WheelDeadline m_identifyDeadline{[this] { identifyTimedOut(); }};
    // The peer did not finish the closing handshake.
    engine::WheelDeadline m_closeDeadline{[this] { m_socket.abort(); }};
    QElapsedTimer m_clock;
    QList<qint64> m_recentPayloads;   // m_clock times of the payloads in the rate window
    mutable QHash<qint64, bool> m_directRooms; // room id → is direct (a room's kind never changes)
    bool m_closing = false;
};

} // namespace natter::server
