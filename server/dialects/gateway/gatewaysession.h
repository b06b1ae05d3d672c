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
    // The spec's close for "too much": 4008 RATE_LIMITED.
    void refuseTooManyConnections() override { closeWith(gateway::RateLimited); }

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
    void silenceTimedOut();
    void expectPayloadSoon();

    std::optional<UserRecord> m_user; // set by IDENTIFY
    QJsonObject m_properties;         // IDENTIFY's properties (os, device)
    // No IDENTIFY within the identify timeout, or (identified) no payload at all
    // for three heartbeat intervals and the ping timeout: 4009 SESSION_TIMEOUT.
    engine::WheelDeadline m_silence{[this] { silenceTimedOut(); }};
    // The peer did not finish the closing handshake.
    engine::WheelDeadline m_closeDeadline{[this] { m_socket.abort(); }};
    QElapsedTimer m_clock;
    QList<qint64> m_recentPayloads;   // m_clock times of the payloads in the rate window
    bool m_closing = false;
};

} // namespace natter::server
