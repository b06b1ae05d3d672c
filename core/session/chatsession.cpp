#include "chatsession.h"

#include "localcache.h"
#include "messagemodel.h"
#include "messagerequestmodel.h"
#include "messagesender.h"
#include "notificationmodel.h"
#include "outbox.h"
#include "presencetracker.h"
#include "roomlistmodel.h"
#include "typingcache.h"

namespace natter::client {

ChatSession::ChatSession(std::unique_ptr<Backend> backend, const QString &storagePath, QObject *parent)
    : QObject(parent)
    , m_backend(std::move(backend))
    , m_storagePath(storagePath)
    , m_outbox(std::make_unique<Outbox>())
    , m_cache(std::make_unique<LocalCache>())
    , m_rooms(std::make_unique<RoomListModel>())
    , m_typing(std::make_unique<TypingCache>())
    , m_presence(std::make_unique<PresenceTracker>())
    , m_notifications(std::make_unique<NotificationModel>())
    , m_requests(std::make_unique<MessageRequestModel>())
{
    m_sender = std::make_unique<MessageSender>(*m_backend, *m_outbox);
    m_rooms->setPresenceTracker(m_presence.get());
    Backend *backendPtr = m_backend.get();

    connect(backendPtr, &Backend::connected, this, [this] { m_backend->listRooms(); });
    // Rooms someone else creates reach us through the room list on dialects
    // that have no per-user channel: look again now and then while connected.
    m_roomRefresh.setInterval(roomRefreshInterval);
    connect(&m_roomRefresh, &QTimer::timeout, this, [this] { m_backend->listRooms(); });
    connect(backendPtr, &Backend::connectionStateChanged, this, [this](Backend::ConnectionState state) {
        if (state == Backend::ConnectionState::Connected)
            m_roomRefresh.start();
        else
            m_roomRefresh.stop();
    });
    connect(backendPtr, &Backend::roomsListed, this, [this](const QList<RoomSummary> &rooms) {
        m_rooms->setRooms(rooms);
        m_cache->saveRooms(rooms);
        for (const RoomSummary &room : rooms) {
            if (room.kind == RoomKind::Direct && !room.other.id.isEmpty() && !m_presence->knows(room.other.id))
                m_presence->setPresence(room.other);
            // Every room's events, not only the open one's: unread counts,
            // previews, delivered receipts and notifications need them.
            if (!m_subscribed.contains(room.key)) {
                m_subscribed.insert(room.key);
                m_backend->subscribe(room.key);
            }
        }
    });
    connect(backendPtr, &Backend::connectionStateChanged, this, [this](Backend::ConnectionState state) {
        // Backends re-subscribe what they had after a reconnect; a new connection starts afresh.
        if (state == Backend::ConnectionState::Disconnected)
            m_subscribed.clear();
    });
    connect(backendPtr, &Backend::messageReceived, this, &ChatSession::onMessage);
    connect(m_sender.get(), &MessageSender::acknowledged, this, [this](const QString &clientId, const ChatMessage &stored) {
        m_cache->saveAck(clientId, stored);
        if (MessageModel *model = m_open.value(stored.roomKey))
            model->acknowledge(clientId, stored);
        m_rooms->noteAcked(clientId, stored);
    });
    connect(m_sender.get(), &MessageSender::failed, this, [this](const QString &clientId, const QString &reason) {
        if (const auto entry = m_outbox->entry(clientId)) {
            if (MessageModel *model = m_open.value(entry->message.roomKey))
                model->markFailed(clientId, reason);
        }
    });
    connect(backendPtr, &Backend::statusChanged, this,
            [this](const QString &roomKey, const QString &messageId, DeliveryStatus status) {
        m_cache->updateStatus(roomKey, messageId, status);
        if (MessageModel *model = m_open.value(roomKey))
            model->setStatus(messageId, status);
    });
    connect(backendPtr, &Backend::typingChanged, m_typing.get(), &TypingCache::setTyping);
    connect(backendPtr, &Backend::presenceChanged, m_presence.get(), &PresenceTracker::setPresence);
    connect(backendPtr, &Backend::historyLoaded, this,
            [this](const QString &roomKey, const QList<ChatMessage> &messages, bool complete) {
        m_cache->saveHistory(roomKey, messages, complete);
        if (MessageModel *model = m_open.value(roomKey))
            model->applyHistory(roomKey, messages, complete);
    });
    connect(backendPtr, &Backend::notificationReceived, m_notifications.get(), &NotificationModel::add);
    connect(backendPtr, &Backend::messageRequestReceived, m_requests.get(), &MessageRequestModel::add);
}

ChatSession::~ChatSession()
{
    m_backend->disconnectFromServer();
}

bool ChatSession::start()
{
    const QString account = m_backend->dialect() + u':' + m_backend->settings().signIn.username
        + m_backend->settings().signIn.token.left(24);
    const QString server = m_backend->settings().serverUrl.toString();
    if (!m_outbox->open(m_storagePath, account, server) || !m_cache->open(m_storagePath, account, server)) {
        m_storageError = m_outbox->lastError();
        return false;
    }
    m_rooms->setRooms(m_cache->rooms());
    m_backend->connectToServer();
    return true;
}

MessageModel *ChatSession::openRoom(const QString &roomKey)
{
    if (MessageModel *open = m_open.value(roomKey))
        return open;
    auto *model = new MessageModel(roomKey, this);
    m_open.insert(roomKey, model);
    // Cached first: shown at once, also offline.
    model->appendHistory(m_cache->messages(roomKey, pageSize), m_cache->historyComplete(roomKey)
                                                                  && m_cache->messageCount(roomKey) <= pageSize);
    const Person self = m_backend->self();
    for (const Outbox::Entry &entry : m_outbox->entries(roomKey)) {
        model->addLocalEcho(entry.message, self, entry.enqueuedAt);
        if (entry.state == Outbox::State::Failed)
            model->markFailed(entry.message.clientId, entry.lastError);
    }
    connect(model, &MessageModel::historyRequested, this,
            [this, model](const QString &beforeId) { onHistoryRequested(model, beforeId); });
    m_backend->subscribe(roomKey);
    m_rooms->setActiveRoomKey(roomKey);
    return model;
}

void ChatSession::closeRoom(const QString &roomKey)
{
    if (MessageModel *model = m_open.take(roomKey))
        model->deleteLater();
    if (m_rooms->activeRoomKey() == roomKey)
        m_rooms->setActiveRoomKey({});
}

void ChatSession::onHistoryRequested(MessageModel *model, const QString &beforeId)
{
    const QString roomKey = model->roomKey();
    // The cache answers first; the network when the cache has nothing older.
    const QList<ChatMessage> cached = m_cache->messages(roomKey, pageSize, beforeId);
    if (!cached.isEmpty())
        return model->appendHistory(cached, false);
    if (m_backend->can(Backend::Capability::History))
        m_backend->loadHistory(roomKey, beforeId, pageSize);
    else
        model->appendHistory({}, true);
}

void ChatSession::onMessage(const ChatMessage &message)
{
    m_cache->saveMessage(message);
    MessageModel *model = m_open.value(message.roomKey);
    const bool open = model && m_rooms->activeRoomKey() == message.roomKey;
    if (model)
        model->addIncoming(message);
    m_rooms->noteMessage(message, open);
    m_typing->noteMessage(message);
    if (!message.outgoing) {
        acknowledgeReceipt(message, open);
        emit messageArrived(message);
    }
}

void ChatSession::acknowledgeReceipt(const ChatMessage &message, bool roomIsOpen)
{
    if (message.id.isEmpty() || !m_backend->can(Backend::Capability::Receipts))
        return;
    m_backend->markStatus(message.roomKey, message.id, DeliveryStatus::Delivered);
    if (roomIsOpen && m_sendReadReceipts)
        m_backend->markStatus(message.roomKey, message.id, DeliveryStatus::Read);
}

QString ChatSession::send(OutgoingMessage message)
{
    // Durable first: the outbox has it before anything goes out.
    message.clientId = m_sender->send(message);
    if (message.clientId.isEmpty())
        return {};
    if (MessageModel *model = m_open.value(message.roomKey))
        model->addLocalEcho(message, m_backend->self());
    return message.clientId;
}

QString ChatSession::sendText(const QString &roomKey, const QString &text, const QString &recipientId)
{
    if (text.trimmed().isEmpty())
        return {};
    OutgoingMessage message;
    message.roomKey = roomKey;
    message.recipientId = recipientId;
    message.text = text;
    if (m_sendTyping)
        m_backend->setTyping(roomKey, false);
    return send(message);
}

QString ChatSession::sendStamp(const QString &roomKey, const QString &stampId, const QString &recipientId)
{
    OutgoingMessage message;
    message.roomKey = roomKey;
    message.recipientId = recipientId;
    message.kind = MessageKind::Stamp;
    message.stampId = stampId;
    return send(message);
}

QString ChatSession::sendLocation(const QString &roomKey, double latitude, double longitude, const QString &recipientId)
{
    OutgoingMessage message;
    message.roomKey = roomKey;
    message.recipientId = recipientId;
    message.kind = MessageKind::Location;
    message.latitude = latitude;
    message.longitude = longitude;
    return send(message);
}

bool ChatSession::retry(const QString &clientId)
{
    const auto entry = m_outbox->entry(clientId);
    if (!entry || !m_sender->retry(clientId))
        return false;
    if (MessageModel *model = m_open.value(entry->message.roomKey))
        model->retry(clientId);
    return true;
}

void ChatSession::setTyping(const QString &roomKey, bool typing)
{
    if (m_sendTyping && m_backend->can(Backend::Capability::Typing))
        m_backend->setTyping(roomKey, typing);
}

} // namespace natter::client
