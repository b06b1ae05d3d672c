#pragma once

// The `cable` dialect (spec 000, ActionCable) as a client.
//
// Wire. One socket, `/cable?token=JWT`, asking for the `actioncable-v1-json`
// subprotocol (a server that answers without one is accepted, as Natter's is).
// The server greets with {"type":"welcome"}; only then does the adapter
// subscribe (markReady). Each room is a MessageChannel subscription whose
// identifier is a JSON *string* holding JSON:
//   {"command":"subscribe","identifier":"{\"channel\":\"MessageChannel\"}"}               the lobby
//   {"command":"subscribe","identifier":"{\"channel\":\"MessageChannel\",\"room_id\":N}"} room N
// confirm_subscription → subscribed(roomKey); reject_subscription → errorOccurred.
// Sends are {"command":"message","identifier":...,"data":"<JSON text>"} with
// data.action send_message (data.message, as the spec shows), send_stamp
// (data.stamp_id) or send_location (data.latitude, data.longitude), plus
// data.temp_id = OutgoingMessage::clientId.
//
// Room keys: "lobby" for the bare MessageChannel, otherwise the room_id as
// decimal text ("42"). Against Natter the lobby is also an ordinary room with
// an integer id (it appears so in listRooms); both keys reach the same room,
// and a client should use one of them.
//
// Heartbeat. The server pings every 3 s ({"type":"ping"}). Any frame counts as
// a sign of life; a silence longer than staleThreshold() (default 6 s, two ping
// intervals; also before the welcome) counts as a dead link: the socket is
// dropped and WebSocketBackend reconnects with backoff and re-subscribes.
// {"type":"disconnect","reconnect":false} stops for good (giveUp); with
// reconnect:true the socket is closed and reconnected.
//
// Acks. The spec has none. Natter's server broadcasts the stored message to
// every subscription of the room, the sender's included, with the sender's
// temp_id: that echo is the ack (messageAcked, with the stored id), not a
// messageReceived. A re-send with the same temp id is answered with the stored
// message again (the server de-duplicates); the same message arriving once more
// after its ack (echo and catch-up both carry it) is dropped, not reported as
// news. Natter's {"type":"error","temp_id"}
// frame → sendFailed. A server that is not Natter echoes no temp_id: our own
// message is recognised in its broadcast by sender, room and content
// (EchoMatcher; where the token does not say who we are, a broadcast of the
// same content within 10 s of the send is ours, and its sender is learnt as
// self). Such a server cannot drop a re-sent message, so a send is written
// once: a repeat of its client id (MessageSender's ack timeout, a reconnect)
// waits for the echo instead, until the sender gives up (abandonSend) and the
// user's Retry writes it anew.
//
// Natter's extras (used only once the server proved to be Natter: a Natter
// password sign-in, or a successful room list): the room list
// (GET /api/v1.0/chat/rooms/) and history/catch-up from the rooms REST
// (GET /api/v1.0/chat/rooms/{id}/messages/). After each confirm_subscription
// the newest page is fetched: what arrived while away shows up (models drop
// what they have by id), and our own messages in it acknowledge pending sends
// by temp id. Against any other server listRooms gives the lobby plus what
// was subscribed, and there is no history.
//
// Stamps: loadStamps() → GET /api/stamp_messages (Bearer, the session cookie,
// If-None-Match) → stampsLoaded; a 304 answers from the cached catalogue,
// which stamps() returns. People are keyed by the server's user id
// (message.user.id). Typing, receipts, presence: the spec has none.
//
// Room actions (WebSocketBackend, Natter's REST, once the server proved to be
// Natter): people and rooms keyed by Natter's ids, as above.

#include "echomatcher.h"
#include "natterrest.h"
#include "websocketbackend.h"

#include <QHash>
#include <QTimer>
#include <chrono>
#include <optional>

namespace natter::client {

class CableBackend : public WebSocketBackend
{
    Q_OBJECT
public:
    explicit CableBackend(Settings settings, QObject *parent = nullptr);

    QString dialect() const override { return QStringLiteral("cable"); }
    Capabilities capabilities() const override;
    QList<ConversationKind> conversationKinds() const override;
    std::optional<RoomSummary> conversationRoom(const QString &kind, const QString &address,
                                                QString *problem) const override;
    RoomSummary roomForMessage(const ChatMessage &message) const override;

    void disconnectFromServer() override;
    void abandonSend(const QString &clientId) override;
    bool canSendTo(const QString &roomKey) const override;
    void listRooms() override;
    void send(const OutgoingMessage &message) override;
    void setTyping(const QString &, bool) override { } // not in the spec
    void markStatus(const QString &, const QString &, DeliveryStatus) override { } // not in the spec
    void loadHistory(const QString &roomKey, const QString &beforeId, int limit) override;
    void loadStamps() override;

    // The catalogue as last loaded (empty before the first stampsLoaded).
    QList<Stamp> stamps() const { return m_stamps; }

    // How long the link may stay silent before it counts as dead.
    std::chrono::milliseconds staleThreshold() const { return m_staleThreshold; }
    void setStaleThreshold(std::chrono::milliseconds threshold) { m_staleThreshold = threshold; }

    static QString lobbyKey() { return QStringLiteral("lobby"); }
    // The identifier of a room key, as JSON text (the value of "identifier").
    static QString identifierFor(const QString &roomKey);
    // The room key an identifier (JSON text in a string, or an object) names;
    // nullopt for anything but a MessageChannel.
    static std::optional<QString> roomKeyFor(const QJsonValue &identifier);

protected:
    QString defaultPath() const override { return QStringLiteral("/cable"); }
    QWebSocketHandshakeOptions handshakeOptions() const override;
    void onOpened() override;
    void onText(const QString &text) override;
    void onClosed() override;
    void subscribeNow(const QString &roomKey) override;

private:
    void handleMessage(const QString &roomKey, const QJsonValue &payload);
    void handleDisconnect(const QJsonObject &frame);
    void catchUpRoom(const QString &roomKey);
    std::optional<qint64> natterRoomId(const QString &roomKey) const;
    bool isSelf(const Person &person) const;
    void learnSelf(const Person &sender);
    void deliver(ChatMessage message);
    void stale();

    QNetworkAccessManager m_stampNetwork; // its own requests: If-None-Match
    QTimer m_staleTimer;
    std::chrono::milliseconds m_staleThreshold{6000};
    QSet<QString> m_confirmed;         // room keys confirmed on this connection
    EchoMatcher m_echoes;              // sent, not yet acknowledged
    natterrest::RecentSet m_recentAcks; // client ids acknowledged lately
    natterrest::RecentSet m_seenIds;    // message ids delivered lately (live and catch-up overlap)
    bool m_natter = false;             // the server has Natter's REST extras
    qint64 m_lobbyRoomId = 0;          // learned from the lobby's messages (Natter adds room_id)
    QList<Stamp> m_stamps;
    QByteArray m_stampsEtag;
};

} // namespace natter::client
