#pragma once

// One `/ws/chat/{room_id}/` connection: a user in one room (spec 003).

#include "socketsession.h"
#include "records.h"
#include "timerwheel.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QObject>
#include <memory>

namespace natter::server {

struct ServerContext;

class RoomsSession : public SocketSession
{
    Q_OBJECT
public:
    RoomsSession(ServerContext &context, std::unique_ptr<SocketPipe> socket, UserRecord user,
                 qint64 roomId, QObject *parent = nullptr);

    qint64 roomId() const { return m_roomId; }
    // health_check_response, as the REST health checks ask for.
    void sendHealthCheck();

    bool followsRoom(qint64 roomId) const override { return roomId == m_roomId; }
    void deliverMessage(const MessageEvent &event, FrameCache &frames) override;
    void deliverStatus(const StatusEvent &event, FrameCache &frames) override;
    void deliverTyping(const TypingEvent &event, FrameCache &frames) override;
    void deliverPresence(const PresenceEvent &event, FrameCache &frames) override;

private:
    void handleText(const QString &text);
    void handleSend(const QJsonObject &frame);
    void handleReceipt(const QJsonObject &frame, DeliveryStatus status);
    void sendPing();
    void pingTimedOut();
    void quietTooLong();
    void expectFrameSoon();
    void sendObject(const QJsonObject &object);
    void sendError(const QString &message);
    void onClosed() override;

    UserRecord m_user;
    qint64 m_roomId;
    QElapsedTimer m_connected;
    QDateTime m_lastActivity;
    engine::WheelDeadline m_heartbeat{[this] { sendPing(); }};
    engine::WheelDeadline m_pongDeadline{[this] { pingTimedOut(); }};
    // Restarted by every frame from the client; whichever limit is shorter
    // applies: the idle connection timeout (1000 "Connection timeout"), or
    // three heartbeats and the ping timeout without even a pong (the client
    // is gone: 1001 "Ping timeout", whatever the reconnect attempts allow).
    engine::WheelDeadline m_quiet{[this] { quietTooLong(); }};
    int m_pingSequence = 0;
    int m_missedPongs = 0;
};

} // namespace natter::server
