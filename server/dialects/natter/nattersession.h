#pragma once

// One `natter` connection (docs/natter-protocol.md): one account, every room
// it is a member of. Nothing is sent before the client's `hello`; then
// `welcome` and one `sync` (what the client missed by per-room seq, the room
// list, marks, unread notifications) go out in the same step as the session
// joins the hub, so no event falls between the snapshot and the live stream.
// Requests carry a client id and get exactly one `ack` or `error`; sends are
// deduplicated by (account, client_id) in the store.

#include "socketsession.h"
#include "records.h"
#include "timerwheel.h"

#include <QJsonObject>

namespace natter::server {

class NatterSession : public SocketSession
{
    Q_OBJECT
public:
    NatterSession(ServerContext &context, std::unique_ptr<SocketPipe> socket, UserRecord user,
                  QObject *parent = nullptr);

    bool followsRoom(qint64 roomId) const override;
    void deliverMessage(const MessageEvent &event, FrameCache &frames) override;
    void deliverMessageRequest(const MessageEvent &event, FrameCache &frames) override;
    void deliverStatus(const StatusEvent &event, FrameCache &frames) override;
    void deliverTyping(const TypingEvent &event, FrameCache &frames) override;
    void deliverPresence(const PresenceEvent &event, FrameCache &frames) override;
    void deliverNotification(const NotificationEvent &event, FrameCache &frames) override;
    void deliverBroadcast(const BroadcastEvent &event, FrameCache &frames) override;
    void deliverRoomEvent(const RoomEvent &event, FrameCache &frames) override;

    // Close codes of this dialect (besides the WebSocket ones).
    enum CloseCode : quint16 {
        UnsupportedVersion = 4000,
        HelloRequired = 4001,
        HelloTimeout = 4002,
        HeartbeatTimeout = 4003,
    };

protected:
    void onClosed() override;

private:
    // A request being answered: its id and type, echoed in the reply.
    struct Request
    {
        QString id;
        QString type;
        QJsonObject frame;
    };

    void handleText(const QString &text);
    void handleHello(const QJsonObject &frame);
    void handleRequest(const Request &request);
    void handleSend(const Request &request);
    void handleMark(const Request &request);
    void handleTyping(const QJsonObject &frame);
    void handleHistory(const Request &request);
    void handleRooms(const Request &request);
    void handleDirect(const Request &request);
    void handleGroup(const Request &request);
    void handleInvite(const Request &request);
    void handleAnswer(const Request &request);
    void handleThread(const Request &request);
    void handlePeople(const Request &request);

    void ack(const Request &request, QJsonObject fields = {});
    void fail(const Request &request, const QString &code, const QString &message, QJsonObject fields = {});
    void failAndClose(const QString &code, const QString &message, quint16 closeCode, const QString &reason,
                      QJsonObject fields = {});
    // The account's rooms as the sync and `rooms` list them; `known` (room →
    // the seq the client holds) adds what it missed, up to `limit` a room.
    QJsonArray roomEntries(const QHash<qint64, qint64> *known, int limit, QList<qint64> *listed);
    QJsonObject roomEntry(const RoomRecord &room, MembershipState state, qint64 lastSeq, int unread);
    QJsonObject roomObject(const RoomRecord &room);
    // The membership that lets the account read a room (any but invited), or nullopt.
    std::optional<MembershipState> readableState(qint64 roomId) const;
    void sendPing();

    UserRecord m_user;
    bool m_helloDone = false;
    bool m_refused = false; // too many connections: closing, nothing more is read
    qint64 m_pingsSent = 0;
    engine::WheelDeadline m_helloDeadline{[this] { failAndClose({}, {}, HelloTimeout, QStringLiteral("hello timeout")); }};
    engine::WheelDeadline m_silence{[this] { failAndClose({}, {}, HeartbeatTimeout, QStringLiteral("heartbeat timeout")); }};
    engine::WheelDeadline m_pingDue{[this] { sendPing(); }};
};

} // namespace natter::server
