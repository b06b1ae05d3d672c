#pragma once

// The `natter` dialect (docs/natter-protocol.md) as a client: Natter's own
// door, one WebSocket per account at /ws/natter carrying every room.
//
// Wire. After the socket opens the adapter says `hello` with the highest
// gap-free seq it holds per room; the server answers `welcome` and one
// `sync`: the room list (→ roomsListed), what was missed (→ messageReceived,
// in seq order per room; a room with `more` is paged forward with `history`),
// the marks, unread notifications. Then the link is ready. Everything after
// is pushed: messages, marks (→ statusChanged of our own messages up to the
// mark), typing, presence, rooms created or joined (→ roomCreated),
// invitations and notifications. No room-list polling (Capability::RoomEvents).
//
// Requests carry an id and get one `ack` or `error`; each has a 10 s timeout
// and fails when the link goes. Sends carry our client id: the server stores
// a client id once, so a re-send after a timeout or a reconnect never makes a
// second copy (it is answered `duplicate`).
//
// Room keys are Natter's room ids in decimal; people are keyed by Natter's
// user id (Person::natterId as well).

#include "websocketbackend.h"

#include <QBasicTimer>
#include <QElapsedTimer>
#include <QHash>
#include <QMap>
#include <QSet>
#include <functional>

namespace natter::client {

class NatterBackend : public WebSocketBackend
{
    Q_OBJECT
public:
    explicit NatterBackend(Settings settings, QObject *parent = nullptr);

    QString dialect() const override { return QStringLiteral("natter"); }
    Capabilities capabilities() const override;

    void listRooms() override;
    void send(const OutgoingMessage &message) override;
    void setTyping(const QString &roomKey, bool typing) override;
    void markStatus(const QString &roomKey, const QString &messageId, DeliveryStatus status) override;
    void loadHistory(const QString &roomKey, const QString &beforeId, int limit) override;

    void searchPeople(const QString &query) override;
    void startDirectChat(const Person &person) override;
    void createGroup(const QString &name, const QList<Person> &members) override;
    void inviteToGroup(const QString &roomKey, const Person &person) override;
    void answerInvitation(const QString &roomKey, bool accept) override;
    void answerMessageRequest(const QString &threadKey, bool approve) override;
    void fetchNotifications() override { } // pushed, and in every sync
    // The server's stamp catalogue (GET /api/stamp_messages, every Natter server has it).
    void loadStamps() override;

    // How many `sync` exchanges and `history` pages the last connection took (benchmarks).
    int syncPagesFetched() const { return m_pagesFetched; }

signals:
    // The sync of this connection is applied and every `more` room paged (tests, benchmarks).
    void caughtUp();

protected:
    QString defaultPath() const override { return QStringLiteral("/ws/natter"); }
    void onOpened() override;
    void onText(const QString &text) override;
    void onClosed() override;
    void subscribeNow(const QString &roomKey) override;
    void timerEvent(QTimerEvent *event) override;

private:
    using Reply = std::function<void(const QJsonObject &reply, const QString &error)>;
    struct Pending
    {
        Reply reply;
        qint64 deadline = 0; // ms since the link's clock started
    };

    // Sends a request; `reply` gets the ack (error empty) or the error's code and text.
    void request(QJsonObject frame, Reply reply);
    void failPending(const QString &error);
    void applySync(const QJsonObject &sync);
    void pageForward(const QString &roomKey, qint64 after);
    void finishedPaging();
    ChatMessage toMessage(const QJsonObject &message) const;
    static Notification toNotification(const QJsonObject &notification);
    void deliver(const ChatMessage &message, qint64 seq);
    RoomSummary toRoom(const QJsonObject &entry) const;
    Person toPerson(const QJsonObject &person) const;
    void applyMark(const QJsonObject &mark);
    void applyRoomEvent(const QJsonObject &event);
    // roomCreated once per room: the ack of our own action and the pushed
    // event both tell of it.
    void announceRoom(const RoomSummary &room);
    // The answer to our own action: the app opens the room, so roomCreated
    // comes even for a room it knows (unless the push just announced it).
    void answerWithRoom(const RoomSummary &room);

    QHash<QString, Pending> m_pending; // request id → its reply
    qint64 m_nextRequest = 0;
    QElapsedTimer m_clock;
    QBasicTimer m_timeouts;
    // Per room: the highest gap-free seq held, and our own messages by seq (for marks).
    QHash<QString, qint64> m_heldSeq;
    QHash<QString, QMap<qint64, QString>> m_ownBySeq;
    QHash<QString, qint64> m_seqOfMessage; // message id → seq (for markStatus / loadHistory)
    QHash<QString, DeliveryStatus> m_reported; // own message id → last status told
    QSet<QString> m_knownRooms; // active rooms the app has been told of (sync, roomCreated)
    QSet<QString> m_pushedRooms; // announced by a push before our action's ack came
    int m_paging = 0;
    int m_pagesFetched = 0;
};

} // namespace natter::client
