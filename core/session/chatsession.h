#pragma once

// One signed-in account on one server: the backend, the durable outbox, the
// local cache and the models the UI shows, wired together. Rooms and recent
// messages come from the cache first (instantly, offline too), then from the
// network. QML talks to this object and its models, never to the backend.

#include "backend.h"

#include <QHash>
#include <QObject>
#include <QSet>
#include <QTimer>
#include <QVariantList>
#include <chrono>
#include <memory>

namespace natter::client {

class LocalCache;
class MessageModel;
class MessageRequestModel;
class MessageSender;
class NotificationModel;
class Outbox;
class PeopleModel;
class PresenceTracker;
class RoomListModel;
class TypingCache;

class ChatSession : public QObject
{
    Q_OBJECT
    Q_PROPERTY(natter::client::RoomListModel *rooms READ rooms CONSTANT)
    Q_PROPERTY(natter::client::TypingCache *typing READ typing CONSTANT)
    Q_PROPERTY(natter::client::PresenceTracker *presence READ presence CONSTANT)
    Q_PROPERTY(natter::client::NotificationModel *notifications READ notifications CONSTANT)
    Q_PROPERTY(natter::client::MessageRequestModel *messageRequests READ messageRequests CONSTANT)
    Q_PROPERTY(natter::client::PeopleModel *people READ people CONSTANT)
    Q_PROPERTY(bool sendReadReceipts MEMBER m_sendReadReceipts NOTIFY settingsChanged)
    // What the dialect (and server) can do, for hiding what it lacks. They may
    // change once connected (some adapters learn the server is Natter's).
    Q_PROPERTY(bool canSearchPeople READ canSearchPeople NOTIFY capabilitiesChanged)
    Q_PROPERTY(bool canStartDirectChats READ canStartDirectChats NOTIFY capabilitiesChanged)
    Q_PROPERTY(bool canCreateGroups READ canCreateGroups NOTIFY capabilitiesChanged)
    Q_PROPERTY(bool hasGroups READ hasGroups NOTIFY capabilitiesChanged)
    Q_PROPERTY(bool hasStamps READ hasStamps NOTIFY capabilitiesChanged)
    Q_PROPERTY(bool hasLocations READ hasLocations NOTIFY capabilitiesChanged)
    Q_PROPERTY(bool hasMessageRequests READ hasMessageRequests NOTIFY capabilitiesChanged)
    Q_PROPERTY(bool hasNotifications READ hasNotifications NOTIFY capabilitiesChanged)
    Q_PROPERTY(bool hasTyping READ hasTyping NOTIFY capabilitiesChanged)
    Q_PROPERTY(bool hasReceipts READ hasReceipts NOTIFY capabilitiesChanged)
    Q_PROPERTY(bool hasPresence READ hasPresence NOTIFY capabilitiesChanged)
    Q_PROPERTY(bool sendTyping MEMBER m_sendTyping NOTIFY settingsChanged)
    // Conversations open by their id here (the server lists none): "Open by id"
    // in New chat, with one entry per kind: {id, label, hint} (ConversationKind).
    Q_PROPERTY(bool canOpenByAddress READ canOpenByAddress NOTIFY capabilitiesChanged)
    Q_PROPERTY(QVariantList conversationKinds READ conversationKinds NOTIFY capabilitiesChanged)

public:
    // `storagePath`: the SQLite file for this account's outbox and cache.
    ChatSession(std::unique_ptr<Backend> backend, const QString &storagePath, QObject *parent = nullptr);
    ~ChatSession() override;

    Backend &backend() { return *m_backend; }
    RoomListModel *rooms() const { return m_rooms.get(); }
    TypingCache *typing() const { return m_typing.get(); }
    PresenceTracker *presence() const { return m_presence.get(); }
    NotificationModel *notifications() const { return m_notifications.get(); }
    MessageRequestModel *messageRequests() const { return m_requests.get(); }
    PeopleModel *people() const { return m_people.get(); }

    bool canSearchPeople() const { return m_backend->can(Backend::Capability::PeopleSearch); }
    bool canStartDirectChats() const { return m_backend->can(Backend::Capability::CreateRooms); }
    bool canCreateGroups() const { return canStartDirectChats() && hasGroups(); }
    bool hasGroups() const { return m_backend->can(Backend::Capability::Groups); }
    bool hasStamps() const { return m_backend->can(Backend::Capability::Stamps); }
    bool hasLocations() const { return m_backend->can(Backend::Capability::Locations); }
    bool hasMessageRequests() const { return m_backend->can(Backend::Capability::MessageRequests); }
    bool hasNotifications() const { return m_backend->can(Backend::Capability::Notifications); }
    bool hasTyping() const { return m_backend->can(Backend::Capability::Typing); }
    bool hasReceipts() const { return m_backend->can(Backend::Capability::Receipts); }
    bool hasPresence() const { return m_backend->can(Backend::Capability::Presence); }
    bool canOpenByAddress() const { return m_backend->can(Backend::Capability::OpenByAddress); }
    QVariantList conversationKinds() const;
    QString storageError() const { return m_storageError; }

    // Opens the storage, shows the cached rooms, connects. False if the storage can't open.
    bool start();

    // The room's messages: the newest cached page at once, queued sends as
    // pending rows, then whatever the network brings. Owned by the session.
    Q_INVOKABLE natter::client::MessageModel *openRoom(const QString &roomKey);
    Q_INVOKABLE void closeRoom(const QString &roomKey);

    Q_INVOKABLE QString sendText(const QString &roomKey, const QString &text, const QString &recipientId = {});
    Q_INVOKABLE QString sendStamp(const QString &roomKey, const QString &stampId, const QString &recipientId = {});
    Q_INVOKABLE QString sendLocation(const QString &roomKey, double latitude, double longitude,
                                     const QString &recipientId = {});
    Q_INVOKABLE bool retry(const QString &clientId);
    Q_INVOKABLE void setTyping(const QString &roomKey, bool typing);

    // Room actions. A room created or joined shows in `rooms` and comes as
    // roomCreated(roomKey); a failure as actionFailed(message).
    // The people model's answer for `query` (answers to older queries are dropped).
    Q_INVOKABLE void searchPeople(const QString &query);
    // `personId` as PeopleModel's personId (or any person id of this dialect).
    Q_INVOKABLE void startDirectChat(const QString &personId);
    Q_INVOKABLE void createGroup(const QString &name, const QStringList &personIds = {});
    Q_INVOKABLE void inviteToGroup(const QString &roomKey, const QString &personId);
    // The invitation's notification goes once answered (read, if the answer failed).
    Q_INVOKABLE void answerInvitation(const QString &roomKey, bool accept);
    // The conversation at `address` (of a kind in conversationKinds): shown in
    // `rooms` at once, remembered in the cache, its messages followed; then
    // roomCreated(key) so the UI opens it. A wrong address: actionFailed(why).
    Q_INVOKABLE QString openConversation(const QString &kind, const QString &address);
    // Our message request in this room waits for the other side (Backend::approvalPending).
    Q_INVOKABLE bool isAwaitingApproval(const QString &roomKey) const { return m_awaitingApproval.contains(roomKey); }
    // False for a room whose messages cannot be answered (Backend::canReplyIn).
    Q_INVOKABLE bool canReplyIn(const QString &roomKey) const { return m_backend->canReplyIn(roomKey); }
    // The request leaves messageRequests once answered.
    Q_INVOKABLE void answerMessageRequest(const QString &threadKey, bool approve);

    static constexpr int pageSize = 50;
    // How often the room list is fetched again while connected.
    static constexpr std::chrono::seconds roomRefreshInterval{15};
    // Whether the room list is polled now (connected, and the server pushes no room events).
    bool pollsRoomList() const { return m_roomRefresh.isActive(); }

signals:
    void settingsChanged();
    void messageArrived(const natter::client::ChatMessage &message); // for desktop notifications
    void roomCreated(const QString &roomKey); // created or joined: the UI may open it
    // A row under another key was this room (a gateway draft that is a thread now): the UI follows.
    void roomReplaced(const QString &oldKey, const QString &newKey);
    void actionFailed(const QString &message);
    void capabilitiesChanged();
    void approvalStateChanged(const QString &roomKey);

private:
    QString send(OutgoingMessage message);
    void onMessage(const ChatMessage &message);
    void onHistoryRequested(MessageModel *model, const QString &beforeId);
    void acknowledgeReceipt(const ChatMessage &message, bool roomIsOpen);
    void onAcknowledged(const QString &clientId, const ChatMessage &stored);
    void onRoomCreated(const RoomSummary &room);
    // Shows, caches and follows `room` (replacing a direct room's older row for the same person).
    void addRoom(const RoomSummary &room);
    void followKnownRooms();
    void onActionFinished(const QString &action, const QString &key, bool ok);
    Person personFor(const QString &personId) const;
    void noteCapabilities();
    // The room list is polled only while connected to a server that pushes no room events.
    void updateRoomRefresh();

    std::unique_ptr<Backend> m_backend;
    QString m_storagePath;
    QString m_storageError;
    std::unique_ptr<Outbox> m_outbox;
    std::unique_ptr<LocalCache> m_cache;
    std::unique_ptr<MessageSender> m_sender;
    std::unique_ptr<RoomListModel> m_rooms;
    std::unique_ptr<TypingCache> m_typing;
    std::unique_ptr<PresenceTracker> m_presence;
    std::unique_ptr<NotificationModel> m_notifications;
    std::unique_ptr<MessageRequestModel> m_requests;
    std::unique_ptr<PeopleModel> m_people;
    QString m_peopleQuery; // the latest search
    Backend::Capabilities m_capabilities;
    QHash<QString, MessageModel *> m_open; // children of this object
    QSet<QString> m_subscribed;
    QSet<QString> m_awaitingApproval;
    QTimer m_roomRefresh;
    bool m_sendReadReceipts = true;
    bool m_sendTyping = true;
};

} // namespace natter::client
