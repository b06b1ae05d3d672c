#pragma once

// The `gateway` dialect (spec 004) as a client: an opcode gateway. Payloads
// are {"o": opcode, "d": data, "e": event (o = 0 only)}.
//
//   connect → HELLO (o 10) → IDENTIFY (o 2, {token, properties {os, device}})
//   → READY (o 0, e READY) → Connected
//
// Path: /gateway by default (Natter mounts the gateway there because `social`
// owns /ws); the spec's /ws, or anything else, with Settings::path.
// The token: the user's, or the one a Natter password login issues.
//
// Room keys are thread UUIDs (`thread_id`). A send is addressed to a person:
// OutgoingMessage::recipientId is the recipient's UUID; without it, the other
// member of the thread named by roomKey (known from READY's threads, GET
// /thread, or messages seen) is used.
//
// Acks: SEND_MESSAGE carries our client id as `nonce` (a field the spec does
// not show; Natter echoes it in MESSAGE_SENT and de-duplicates re-sends with
// the same nonce). MESSAGE_SENT is matched to its send by the echoed nonce, or,
// from a server that does not echo it, in send order (a gateway answers each
// SEND_MESSAGE in turn). messageAcked carries `message_id` as the id and
// `thread_id` (when given) as the room key. Natter's ERROR dispatch with a
// nonce (refused: unknown recipient, blocked, not approved…) → sendFailed.
//
// Natter's THREAD_UPDATE dispatch (a thread opened, approved or blocked) →
// listRooms(), so the room list follows without polling.
// Events: MESSAGE → messageReceived (roomKey = thread_id); MESSAGE_REQUEST →
// messageRequestReceived (a first message from someone, waiting for a TUTOR to
// approve or block the thread: approveThread()/blockThread(), POST
// /thread/{id}/approve|block → threadAnswered). READY's threads (a Natter
// extra) in state "requested" for us are reported as message requests again
// after every connection, so none is missed while offline.
//
// Heartbeat: the spec has no heartbeat opcode (Natter accepts an extra o = 1,
// but a spec server would close with UNKNOWN_OPCODE), so the adapter sends
// none. HELLO's heartbeat_interval paces WebSocket-level pings instead; a link
// silent for two intervals is dropped and reconnected.
//
// Close codes: 4004 AUTHENTICATION_FAILED (or INVALID_SESSION before the close),
// 4003 NOT_AUTHENTICATED and 4005 ALREADY_AUTHENTICATED → give up (retrying
// would not help); 4008 RATE_LIMITED → reconnect after a long delay
// (rateLimitedDelay, 30 s by default); 4009 SESSION_TIMEOUT, 4000 and the rest →
// reconnect with the usual backoff.
//
// History: GET /thread/{id} (Natter pages it with ?limit=&offset=, newest
// `limit` after skipping `offset`, oldest first); catch-up after a
// (re)connection reads the newest page of every subscribed thread (the models
// drop known ids). Threads list: GET /thread → roomsListed.
//
// Room actions: people are keyed by UUID (searchPeople through Natter's
// directory). startDirectChat gives the existing thread with that person, or,
// as the spec opens threads only with a first message (which may become a
// message request), a draft room keyed "user:<uuid>": a send there goes to that
// person, and once MESSAGE_SENT names the thread, roomCreated gives the thread
// (the draft's messages are acked under the thread's key). Groups are not
// threads: no groups, no invitations. answerMessageRequest = approve/block.

#include "websocketbackend.h"

#include <QBasicTimer>
#include <QElapsedTimer>
#include <QHash>
#include <QList>
#include <chrono>

namespace natter::client {

class GatewayBackend : public WebSocketBackend
{
    Q_OBJECT
public:
    explicit GatewayBackend(Settings settings, QObject *parent = nullptr);
    ~GatewayBackend() override;

    QString dialect() const override { return QStringLiteral("gateway"); }
    Capabilities capabilities() const override;
    QList<ConversationKind> conversationKinds() const override;
    std::optional<RoomSummary> conversationRoom(const QString &kind, const QString &address,
                                                QString *problem) const override;
    RoomSummary roomForMessage(const ChatMessage &message) const override;

    bool canSendTo(const QString &roomKey) const override;
    void listRooms() override;
    void send(const OutgoingMessage &message) override;
    void setTyping(const QString &roomKey, bool typing) override;
    void markStatus(const QString &roomKey, const QString &messageId, DeliveryStatus status) override;
    void loadHistory(const QString &roomKey, const QString &beforeId, int limit) override;

    // Answer a message request (the caller must be a TUTOR). → threadAnswered and actionFinished
    void approveThread(const QString &threadKey);
    void blockThread(const QString &threadKey);
    void answerMessageRequest(const QString &threadKey, bool approve) override;

    void startDirectChat(const Person &person) override;
    // Groups are not threads (spec 004): the Backend defaults (not supported).
    void createGroup(const QString &name, const QList<Person> &members) override
    {
        Backend::createGroup(name, members);
    }
    void inviteToGroup(const QString &roomKey, const Person &person) override
    {
        Backend::inviteToGroup(roomKey, person);
    }
    void answerInvitation(const QString &roomKey, bool accept) override { Backend::answerInvitation(roomKey, accept); }

    static QString draftKey(const QString &personUuid) { return QStringLiteral("user:") + personUuid; }

    // IDENTIFY's properties.
    static QString identifyOs();
    static QString identifyDevice() { return QStringLiteral("desktop"); }

    // The wait before reconnecting after 4008 RATE_LIMITED.
    void setRateLimitedDelay(std::chrono::milliseconds delay) { m_rateLimitedDelay = delay; }

signals:
    // approved: which answer was asked for; ok: the server took it (error says why not).
    void threadAnswered(const QString &threadKey, bool approved, bool ok, const QString &error);

protected:
    QString defaultPath() const override { return QStringLiteral("/gateway"); }
    QNetworkRequest handshakeRequest() override;
    void onOpened() override;
    void onText(const QString &text) override;
    void onClosed() override;
    void subscribeNow(const QString &roomKey) override;
    void catchUp() override;
    std::chrono::milliseconds nextReconnectDelay() override;
    void timerEvent(QTimerEvent *event) override;
    NatterActions::PersonKey personKey() const override { return NatterActions::PersonKey::Uuid; }

private:
    struct InFlight
    {
        QString clientId;
        QString roomKey;
        QString recipient;
        QString text;
    };

    void handleDispatch(const QString &event, const QJsonObject &data);
    void handleReady(const QJsonObject &data);
    void handleSent(const QJsonObject &data);
    void handleError(const QJsonObject &data);
    ChatMessage messageFromJson(const QJsonObject &data) const;
    Person personFromJson(const QJsonObject &user) const;
    RoomSummary threadFromJson(const QJsonObject &thread);
    void rememberThread(const QString &threadKey, const QString &otherUuid);
    // A draft's first message opened this thread: roomCreated with it.
    void announceThread(const QString &threadKey, qint64 roomId, const QString &otherUuid);
    void answerThread(const QString &threadKey, bool approve);
    void fetchThread(const QString &threadKey, int limit, int offset,
                     std::function<void(bool ok, const QList<ChatMessage> &newestFirst, int raw)> handler);

    QList<InFlight> m_inFlight;             // sent, waiting for MESSAGE_SENT (send order)
    QHash<QString, QString> m_threadOther;  // thread UUID → the other member's UUID
    bool m_helloSeen = false;
    bool m_natter = false; // READY listed threads (Natter's): it has a people directory too
    bool m_invalidSession = false;
    bool m_closeHandshake = false; // a close frame came on this connection
    bool m_rateLimited = false;
    std::chrono::milliseconds m_rateLimitedDelay{30'000};

    struct Cursor
    {
        int offset = 0;
        int live = 0;
    };
    QHash<QString, Cursor> m_history;

    QBasicTimer m_pingTimer;
    QBasicTimer m_helloTimer; // no HELLO in time: drop the link and retry
    QElapsedTimer m_lastHeard;
    int m_pingInterval = 41'250;
};

} // namespace natter::client
