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
#include <chrono>
#include <memory>

namespace natter::client {

class LocalCache;
class MessageModel;
class MessageRequestModel;
class MessageSender;
class NotificationModel;
class Outbox;
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
    Q_PROPERTY(bool sendReadReceipts MEMBER m_sendReadReceipts NOTIFY settingsChanged)
    Q_PROPERTY(bool sendTyping MEMBER m_sendTyping NOTIFY settingsChanged)

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

    static constexpr int pageSize = 50;
    // How often the room list is fetched again while connected.
    static constexpr std::chrono::seconds roomRefreshInterval{15};

signals:
    void settingsChanged();
    void messageArrived(const natter::client::ChatMessage &message); // for desktop notifications

private:
    QString send(OutgoingMessage message);
    void onMessage(const ChatMessage &message);
    void onHistoryRequested(MessageModel *model, const QString &beforeId);
    void acknowledgeReceipt(const ChatMessage &message, bool roomIsOpen);

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
    QHash<QString, MessageModel *> m_open; // children of this object
    QSet<QString> m_subscribed;
    QTimer m_roomRefresh;
    bool m_sendReadReceipts = true;
    bool m_sendTyping = true;
};

} // namespace natter::client
