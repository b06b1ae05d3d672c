#pragma once

// The `chats` dialect (spec 001) as a client.
//
// Wire. One socket, `/chats/ws?token=JWT`. There is no greeting: the link is
// ready once open. Subscriptions go out as one frame per event-loop pass,
//   {"action":"subscribe","chat_ids":["<uuid>", ...]}
// and each entry of the subscribe_response's `results` gives subscribed(uuid)
// for "success" or errorOccurred("Chat <uuid>: <error>") (e.g. "no access").
// Sends: {"action":"message","chat_id":"<uuid>","text":"..."} (text only).
// Incoming {"from","message","chat_id"} → messageReceived, the sender named
// by username (Person::id = username). Natter adds id, room_id and timestamp,
// used when present.
//
// Room keys: the chat UUID, exactly as the server spells it.
//
// Acks. message_response {"status":"success"} carries no correlation id in the
// spec, so acks are matched in send order: the server answers every message
// frame with exactly one message_response or one error frame, in order, so the
// oldest unanswered send is the one answered. messageAcked carries what we know
// (our text, the room, and Natter's extra id/timestamp when present). An error
// frame {"error": ..., "status":"error"} whose text is one a send can cause
// ("Couldn't send message", "no access", "Message cannot be empty",
// "Missing chat_id") fails the oldest unanswered send (sendFailed); any other
// error (e.g. "Unknown action"), or one with no send waiting, is errorOccurred.
// A reconnect forgets unanswered sends: MessageSender sends them again. The spec
// has no client id, so if the link dropped after the server stored a message
// but before its response arrived, the re-send stores it twice.
//
// Close codes. The spec closes the connection on malformed JSON and on
// authentication errors, without naming codes. 1008 (policy violation, what
// Natter sends for a bad token) stops for good (giveUp); any other close
// (1001 going away, 1007 malformed JSON, a dropped link) reconnects with
// backoff and re-subscribes.
//
// Natter's extras (once the server proved to be Natter: a Natter password
// sign-in or a successful room list): listRooms from GET /api/v1.0/chat/rooms/
// (rooms carry their uuid), and history/catch-up from the rooms REST: after
// each successful subscription the newest page is fetched, so what arrived
// while away shows up; a message already delivered (same id) is not repeated.
// Against any other server
// listRooms gives back the chats subscribed (less the refused ones), and there
// is no history. Typing, receipts, presence, stamps: not in the spec.
//
// Room actions (WebSocketBackend, Natter's REST): people by username, rooms by
// UUID; a group not listed yet (an invitation to answer) may also be named by
// Natter's integer id.

#include "cable/natterrest.h"
#include "websocketbackend.h"

#include <QHash>
#include <QList>
#include <functional>
#include <optional>

namespace natter::client {

class ChatsBackend : public WebSocketBackend
{
    Q_OBJECT
public:
    explicit ChatsBackend(Settings settings, QObject *parent = nullptr);

    QString dialect() const override { return QStringLiteral("chats"); }
    Capabilities capabilities() const override;
    QList<ConversationKind> conversationKinds() const override;
    std::optional<RoomSummary> conversationRoom(const QString &kind, const QString &address,
                                                QString *problem) const override;
    RoomSummary roomForMessage(const ChatMessage &message) const override;

    void listRooms() override;
    void send(const OutgoingMessage &message) override;
    void setTyping(const QString &, bool) override { } // not in the spec
    void markStatus(const QString &, const QString &, DeliveryStatus) override { } // not in the spec
    void loadHistory(const QString &roomKey, const QString &beforeId, int limit) override;

    // The error texts of spec 001 that answer a send.
    static bool isSendError(const QString &error);

protected:
    QString defaultPath() const override { return QStringLiteral("/chats/ws"); }
    void onOpened() override;
    void onText(const QString &text) override;
    void onClosed() override;
    void subscribeNow(const QString &roomKey) override;
    NatterActions::PersonKey personKey() const override { return NatterActions::PersonKey::Username; }
    RoomSummary keyedRoom(RoomSummary room) const override;
    void withNatterRoomId(const QString &roomKey, std::function<void(std::optional<qint64>)> then) override;

private:
    struct InFlight
    {
        QString clientId;
        QString roomKey;
        QString text;
    };

    void flushSubscriptions();
    void handleSubscribeResponse(const QJsonObject &frame);
    void handleMessageResponse(const QJsonObject &frame);
    void handleError(const QString &error);
    void handleIncoming(const QJsonObject &frame);
    void deliver(const ChatMessage &message); // once per id
    void catchUpRoom(const QString &roomKey);
    // Natter's integer id of a chat: from the room list, fetched when not known yet.
    void withRoomId(const QString &roomKey, std::function<void(std::optional<qint64>)> then);
    natterrest::Get restGet();

    QList<InFlight> m_inFlight;      // sent, unanswered, in send order
    QStringList m_subscribeBatch;    // chat ids to subscribe in the next frame
    QSet<QString> m_refused;         // chats the server refused
    QHash<QString, qint64> m_roomIds; // chat uuid → Natter's room id
    natterrest::RecentSet m_seenIds;  // "chat/id" delivered lately (live and catch-up overlap)
    bool m_natter = false;
    bool m_framesOnThisLink = false;
};

} // namespace natter::client
