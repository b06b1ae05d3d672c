#pragma once

// The `rooms` dialect (spec 003) as a client: REST under /api/v1.0/chat/ and
// one WebSocket per room, /ws/chat/{room_id}/?token=. Room keys are the
// integer room ids as strings, people Natter's user ids. Room actions through
// Natter's REST (natteractions.h): POST rooms/ is the dialect's own way to open
// a direct room; groups and invitations are Natter's /api/groups routes.

#include "backend.h"
#include "cable/natterrest.h"
#include "echomatcher.h"
#include "natteractions.h"
#include "reconnectpolicy.h"

#include <QHash>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <memory>

namespace natter::client {

class RoomsBackend : public Backend
{
    Q_OBJECT
public:
    explicit RoomsBackend(Settings settings, QObject *parent = nullptr);
    ~RoomsBackend() override;

    QString dialect() const override { return QStringLiteral("rooms"); }
    Capabilities capabilities() const override;

    void connectToServer() override;
    void disconnectFromServer() override;
    bool canSendTo(const QString &roomKey) const override;
    void listRooms() override;
    void subscribe(const QString &roomKey) override;
    void send(const OutgoingMessage &message) override;
    void abandonSend(const QString &clientId) override;
    void setTyping(const QString &roomKey, bool typing) override;
    void markStatus(const QString &roomKey, const QString &messageId, DeliveryStatus status) override;
    void loadHistory(const QString &roomKey, const QString &beforeId, int limit) override;

    void searchPeople(const QString &query) override;
    void startDirectChat(const Person &person) override;
    void createGroup(const QString &name, const QList<Person> &members) override;
    void inviteToGroup(const QString &roomKey, const Person &person) override;
    void answerInvitation(const QString &roomKey, bool accept) override;
    void fetchNotifications() override;

    // The backoff each room's socket starts from.
    ReconnectPolicy &reconnectPolicy() { return m_policy; }

private:
    class RoomConnection;
    friend class RoomConnection;

    void verifyToken();
    void noteLinkDown();
    void noteLinkUp();
    void openRoom(const QString &roomKey);
    void deliver(ChatMessage message);
    void handleFrame(const QString &roomKey, const QJsonObject &frame);
    void catchUp(const QString &roomKey);
    void fetchPage(const QString &roomKey, int page,
                   std::function<void(const QList<ChatMessage> &, bool last)> done);
    ChatMessage messageFromRest(const QJsonObject &object) const;
    ChatMessage messageFromFrame(const QString &roomKey, const QJsonObject &message) const;
    QNetworkRequest request(const QString &path, const QString &query = {}) const;
    void giveUp(const QString &reason);
    void refuseTls(); // the certificate was refused: stop and say why
    NatterActions natterActions();
    void restCall(QNetworkReply *reply, NatterActions::ReplyHandler handler);

    QNetworkAccessManager m_network;
    ReconnectPolicy m_policy;
    QString m_token;
    bool m_wanted = false;
    QHash<QString, std::shared_ptr<RoomConnection>> m_rooms;
    QHash<QString, int> m_nextHistoryPage; // per room: the next REST page to load
    // Sent, waiting for the echo that is their ack: by temp_id where the frame
    // carries it (Natter), else by sender, room and content (spec 003 prints none).
    EchoMatcher m_echoes;
    QSet<QString> m_recentAcks;            // acked client ids: a later copy (catch-up) is not news
    natterrest::RecentSet m_delivered;     // "room/id" lately delivered: live frames and catch-up pages overlap
    std::optional<TlsProblem> m_tlsProblem;  // why the last handshake was refused
};

} // namespace natter::client
