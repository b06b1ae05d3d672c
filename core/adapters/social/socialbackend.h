#pragma once

// The `social` dialect (spec 002) as a client: one WebSocket at /ws
// authenticated by the session cookie, `private` / `group` / `broadcast` /
// `notification` frames, and the spec's HTTP API for history and
// notifications.
//
// Sign-in: a Natter password login (POST /api/auth/login gives the
// `natter_session` cookie), or the cookie the user gives ("natter_session=…",
// or a bare value, which is taken as natter_session's). The cookie goes in the
// handshake's Cookie header, and the server's own origin (http://host:port) as
// Origin, because servers that check Origin for cookie-authenticated upgrades
// (Natter does) accept exactly that. With only a token and no cookie, the
// token goes as `Authorization: Bearer` (a Natter extension).
// An upgrade answered 401 or 403 gives up (retrying would not help); a socket
// closed right after opening (the spec's "connection is immediately closed",
// or 1008) is checked against GET /api/notifications, and 401 there gives up too.
//
// Room keys:
//   - a group: its group id, as the spec's `group_id` string ("456").
//     "group:456" is accepted as an alias on input.
//   - a private conversation: "user:<other user's id>" ("user:123"). A send may
//     also give the id in OutgoingMessage::recipientId (the key is then ignored).
//   - broadcasts: the key "broadcast" (messageReceived; they are not stored
//     by the server, so they have no history).
// A private frame names the sender only in Natter's extra `from` field (the
// spec's `to` is the recipient, i.e. us); without it the conversation cannot be
// told and the key is "user:unknown".
//
// Acknowledgement. The spec says "Sender receives no confirmation", so there
// is no ack frame. Acking as soon as the frame is written would be instant but
// would claim as stored a message that dies in a dropped connection, and the
// ack would carry no server id, so the same message would show twice once the
// history brings it back. Instead a send is confirmed from the spec's history
// REST (GET /api/messages/private|group): shortly after the write (and again
// at growing intervals, ~8 s in all) the adapter reads the newest page(s), back
// to just before the send, and looks for our own message with that text (own:
// Natter's `from` is us, or for private messages `to` is the other user, which
// the spec's fields alone tell). The first match not yet claimed by another
// send acks it with the stored message (server id, time). Costs: one small
// REST read per burst of sends and ~200–300 ms of latency; an identical text
// sent to the same room from the same account on another device in the
// minutes before could confirm ours instead, and in group history without
// `from` (a spec-only server) any member's identical text could. A server-side error frame (Natter's {"type":"error"}) while
// exactly one send is unconfirmed fails that send with the server's reason; an
// unconfirmed send fails with sendFailed after the last check. Because the
// wire has no client id the server cannot drop duplicates: a client id is
// written at most once per link (a repeat only checks the history again);
// after a reconnect it is written again only if a history that could be read
// does not have it. A server that echoes our own message live (a group
// broadcast to the sender too, or a private frame whose `to` is the other
// user) confirms it from that frame; a group frame with no sender counts as
// ours only within 10 s of writing the same text. Pages may come newest or
// oldest first (the spec does not say); a check learns which from the times.
//
// Natter's live notification subtype `room_update` (a room appeared, or a
// membership in it changed) is not a notification to show: it triggers
// listRooms(), so the room list follows without polling.
//
// Catch-up after a (re)connection: the newest history page of every
// subscribed room (messageReceived, oldest first; the models drop what they
// have by id) and the newest unread notifications. Messages carry Natter's
// `id`; without one the adapter derives a stable id from room, time, sender and
// text so live frames and history still match.
//
// History pages by the spec's limit/offset (newest first); the offset follows
// messages that arrived live in between so pages neither overlap nor skip.
// The room list uses Natter's GET /api/v1.0/chat/rooms/ (group rooms → group
// id, direct rooms → "user:<other id>"); a server without it lists no rooms.
// Room actions (WebSocketBackend, Natter's REST): people by user id, a new
// direct room as "user:<id>", a group by its id.
// No receipts, typing or presence exist in this spec. Dead links are detected
// with WebSocket-level pings (control frames every server answers).

#include "websocketbackend.h"

#include <QBasicTimer>
#include <QDateTime>
#include <QElapsedTimer>
#include <QHash>
#include <QList>

namespace natter::client {

class SocialBackend : public WebSocketBackend
{
    Q_OBJECT
public:
    explicit SocialBackend(Settings settings, QObject *parent = nullptr);
    ~SocialBackend() override;

    QString dialect() const override { return QStringLiteral("social"); }
    Capabilities capabilities() const override;
    QList<ConversationKind> conversationKinds() const override;
    std::optional<RoomSummary> conversationRoom(const QString &kind, const QString &address,
                                                QString *problem) const override;
    RoomSummary roomForMessage(const ChatMessage &message) const override;
    bool canReplyIn(const QString &roomKey) const override
    {
        return roomKey != broadcastKey && roomKey != QStringLiteral("user:unknown");
    }

    void listRooms() override;
    void send(const OutgoingMessage &message) override;
    void abandonSend(const QString &clientId) override;
    void setTyping(const QString &roomKey, bool typing) override;
    void markStatus(const QString &roomKey, const QString &messageId, DeliveryStatus status) override;
    void loadHistory(const QString &roomKey, const QString &beforeId, int limit) override;

    // Additive, spec 002's other endpoints:
    // GET /api/notifications → notificationsListed
    void listNotifications(int limit = 20, int offset = 0);
    // POST /api/notifications/read → notificationsMarkedRead
    void markNotificationsRead();
    // POST /api/groups/invite → groupRequestFinished(u"invite", …) and actionFinished
    void inviteToGroup(const QString &groupId, const QString &userId, const QString &groupName = {});
    void inviteToGroup(const QString &roomKey, const Person &person) override;
    // Natter's POST /api/groups/accept|decline → groupRequestFinished(u"accept"|u"decline", …)
    // and actionFinished; an accepted group → roomCreated.
    void answerInvitation(const QString &groupId, bool accept) override;
    // Social has its own: live notification frames and the list it loads on connecting.
    // The unread notifications of GET /api/notifications (→ notificationReceived each).
    void fetchNotifications() override;
    // A `broadcast` frame (admins). Not stored and not confirmed by the server.
    void sendBroadcast(const QString &text);

    static QString groupKey(const QString &groupId) { return groupId; }
    static QString userKey(const QString &userId) { return QStringLiteral("user:") + userId; }
    static inline const QString broadcastKey = QStringLiteral("broadcast");

    // When the confirmation checks run after a write (offsets from the write);
    // after the last one an unconfirmed send fails. For tests.
    void setConfirmationSchedule(const QList<int> &offsetsMs) { m_confirmSchedule = offsetsMs; }
    // The WebSocket ping interval (a link silent for two intervals is dropped).
    void setPingInterval(int ms) { m_pingInterval = ms; }

signals:
    void notificationsListed(const QList<natter::client::Notification> &notifications);
    void notificationsMarkedRead(bool ok);
    void groupRequestFinished(const QString &action, const QString &groupId, bool ok, const QString &error);

protected:
    QString defaultPath() const override { return QStringLiteral("/ws"); }
    QNetworkRequest handshakeRequest() override;
    void onOpened() override;
    void onText(const QString &text) override;
    void onClosed() override;
    void subscribeNow(const QString &roomKey) override;
    void catchUp() override;
    void timerEvent(QTimerEvent *event) override;
    RoomSummary keyedRoom(RoomSummary room) const override;
    void withNatterRoomId(const QString &roomKey, std::function<void(std::optional<qint64>)> then) override;

private:
    struct Target
    {
        bool group = false;
        QString id; // group id, or the other user's id
        bool valid() const { return !id.isEmpty(); }
        QString key() const { return group ? groupKey(id) : userKey(id); }
    };
    struct Pending
    {
        QString clientId;
        QString roomKey;
        QString text;
        QDateTime firstWrite; // in server time (local + the estimated skew)
        QElapsedTimer sinceWrite;
        int nextCheck = 0;  // index into m_confirmSchedule
        bool written = false;
        bool writtenOnThisLink = false; // the server has it: never written twice on one link
        bool reportedFailed = false;
        bool writeAfterCheck = false; // a re-send: write only if the history does not have it
        QString serverError;
    };
    using PageHandler = std::function<void(bool ok, const QList<ChatMessage> &newestFirst, int rawCount)>;

    static Target targetOf(const QString &roomKey, const QString &recipientId = {});
    QString cookieHeader() const;
    void checkSignIn();
    void resolveSelf();
    void fetchPage(const Target &target, int limit, int offset, PageHandler handler);
    // Pages back from the newest until messages older than `since` (or the start, or pagesLeft pages).
    void collectSince(const Target &target, const QDateTime &since, int offset, const QList<ChatMessage> &collected,
                      int pagesLeft, std::function<void(bool ok, const QList<ChatMessage> &newestFirst)> done);
    ChatMessage messageFromJson(const QJsonObject &object, const QString &fallbackKey) const;
    Notification notificationFromJson(const QJsonObject &object, bool live) const;
    void handleError(const QString &message);
    void write(Pending &pending);
    void scheduleChecks();
    void checkRoom(const QString &roomKey, bool failOnMiss = false);
    // Acks pending sends found in a page; returns the page without the messages it claimed.
    QList<ChatMessage> confirmFrom(const QString &roomKey, const QList<ChatMessage> &newestFirst);
    bool confirmLiveEcho(const ChatMessage &message);
    void acknowledge(const QString &clientId, const ChatMessage &message);
    void noteSkew(const QByteArray &dateHeader);
    void countLive(const QString &roomKey);

    QHash<QString, Pending> m_pending; // by client id, until acked
    QStringList m_pendingOrder;        // client ids in send order
    QSet<QString> m_claimedIds;        // server message ids that confirmed a send
    QSet<QString> m_oldestFirst;       // room keys whose history pages start from the oldest
    QSet<QString> m_checking;          // rooms with a history check in flight
    QSet<QString> m_recheck;           // rooms to check again when the current one returns
    QList<int> m_confirmSchedule{200, 700, 1700, 3700, 7700};
    QBasicTimer m_confirmTimer;
    qint64 m_skewMs = 0; // server clock − local clock, from HTTP Date headers

    struct Cursor
    {
        int offset = 0; // messages already paged past (newest first)
        int live = 0;   // messages that arrived since, pushing older ones further back
    };
    QHash<QString, Cursor> m_history;

    QBasicTimer m_pingTimer;
    QElapsedTimer m_lastHeard;
    QElapsedTimer m_openedAt;
    int m_pingInterval = 30'000;
    QElapsedTimer m_lastBroadcast;
    bool m_handshakeFailed = false;
    bool m_natter = false; // the server answered Natter's REST (room list, who we are): it lists rooms
    bool m_closeHandshake = false; // a close frame came on this connection
    QString m_handshakeError;
};

} // namespace natter::client
