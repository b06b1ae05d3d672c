#include "chatsession.h"

#include "localcache.h"
#include "messagemodel.h"
#include "messagerequestmodel.h"
#include "messagesender.h"
#include "notificationmodel.h"
#include "outbox.h"
#include "peoplemodel.h"
#include "presencetracker.h"
#include "roomlistmodel.h"
#include "typingcache.h"

using namespace Qt::StringLiterals;

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
    , m_people(std::make_unique<PeopleModel>())
{
    m_sender = std::make_unique<MessageSender>(*m_backend, *m_outbox);
    m_capabilities = m_backend->capabilities();
    m_rooms->setPresenceTracker(m_presence.get());
    Backend *backendPtr = m_backend.get();

    connect(backendPtr, &Backend::connected, this, [this] {
        noteCapabilities();
        followKnownRooms();
        m_backend->listRooms();
        m_backend->fetchNotifications();
    });
    // Rooms someone else creates reach us through the room list on dialects
    // that push nothing about rooms: look again now and then while connected.
    m_roomRefresh.setInterval(roomRefreshInterval);
    connect(&m_roomRefresh, &QTimer::timeout, this, [this] {
        m_backend->listRooms();
        m_backend->fetchNotifications();
    });
    connect(backendPtr, &Backend::connectionStateChanged, this, &ChatSession::updateRoomRefresh);
    connect(backendPtr, &Backend::roomsListed, this, [this](const QList<RoomSummary> &rooms) {
        noteCapabilities(); // a room list may prove the server is Natter's
        if (!m_backend->can(Backend::Capability::RoomList)) {
            // Only what the adapter knows (a lobby, what we follow): add to what
            // the user opened and what came by itself, never replace it.
            for (const RoomSummary &room : rooms) {
                if (!room.key.isEmpty() && m_rooms->roomIndex(room.key) < 0)
                    addRoom(room);
            }
            return;
        }
        m_rooms->setRooms(rooms);
        m_cache->saveRooms(rooms);
        for (const RoomSummary &room : rooms) {
            if (room.kind == RoomKind::Direct && !room.other.id.isEmpty() && !m_presence->knows(room.other.id))
                m_presence->setPresence(room.other);
            // Every room's events, not only the open one's: unread counts,
            // previews, delivered receipts and notifications need them.
            if (!room.key.isEmpty() && !m_subscribed.contains(room.key)) {
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
    connect(m_sender.get(), &MessageSender::acknowledged, this, &ChatSession::onAcknowledged);
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
    connect(backendPtr, &Backend::approvalPending, this, [this](const QString &roomKey, bool pending) {
        const bool changed = pending != m_awaitingApproval.contains(roomKey);
        if (pending)
            m_awaitingApproval.insert(roomKey);
        else
            m_awaitingApproval.remove(roomKey);
        if (changed)
            emit approvalStateChanged(roomKey);
    });

    connect(backendPtr, &Backend::peopleFound, this, [this](const QString &query, const QList<Person> &people) {
        if (query == m_peopleQuery)
            m_people->setPeople(people);
    });
    connect(backendPtr, &Backend::roomCreated, this, &ChatSession::onRoomCreated);
    connect(backendPtr, &Backend::actionFinished, this,
            [this](const QString &action, const QString &key, bool ok, const QString &) {
        onActionFinished(action, key, ok);
    });
    connect(backendPtr, &Backend::actionFailed, this,
            [this](const QString &, const QString &, const QString &reason) { emit actionFailed(reason); });
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
    if (!roomKey.isEmpty()) // no room open yet: nothing to follow (an empty key is no room on any dialect)
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
    // A conversation that started by itself (a private or group message, a
    // message request) is a room at once.
    if (!message.roomKey.isEmpty() && m_rooms->roomIndex(message.roomKey) < 0)
        addRoom(m_backend->roomForMessage(message));
    bool added = false;
    const bool cached = m_cache->saveMessage(message, &added);
    MessageModel *model = m_open.value(message.roomKey);
    const bool open = model && m_rooms->activeRoomKey() == message.roomKey;
    if (model)
        model->addIncoming(message);
    // A message already known (adapters replay recent ones after every
    // reconnect to catch up) is not news: no unread count, receipt or
    // notification again. Without a cache every message counts as new.
    if (cached && !added)
        return;
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

void ChatSession::onAcknowledged(const QString &clientId, const ChatMessage &stored)
{
    m_cache->saveAck(clientId, stored);
    m_rooms->noteAcked(clientId, stored);
    if (MessageModel *model = m_open.value(stored.roomKey))
        return void(model->acknowledge(clientId, stored));
    // Sent from a room known by another key (a gateway draft whose first
    // message opened the thread): the model holding the echo takes the ack.
    for (MessageModel *model : std::as_const(m_open)) {
        if (model->rowOfClientId(clientId) < 0)
            continue;
        ChatMessage echo = stored;
        echo.roomKey = model->roomKey();
        model->acknowledge(clientId, echo);
    }
}

void ChatSession::updateRoomRefresh()
{
    const bool polls = m_backend->connectionState() == Backend::ConnectionState::Connected
        && !m_backend->can(Backend::Capability::RoomEvents);
    if (!polls)
        m_roomRefresh.stop();
    else if (!m_roomRefresh.isActive())
        m_roomRefresh.start();
}

void ChatSession::noteCapabilities()
{
    const Backend::Capabilities now = m_backend->capabilities();
    if (now == m_capabilities)
        return;
    m_capabilities = now;
    updateRoomRefresh();
    emit capabilitiesChanged();
}

// ---- room actions ------------------------------------------------------------

Person ChatSession::personFor(const QString &personId) const
{
    if (const auto found = m_people->person(personId))
        return *found;
    for (const RoomSummary &room : m_rooms->rooms()) {
        if (room.kind == RoomKind::Direct && room.other.id == personId)
            return room.other;
    }
    Person person;
    person.id = personId;
    return person;
}

void ChatSession::searchPeople(const QString &query)
{
    m_peopleQuery = query;
    m_backend->searchPeople(query);
}

void ChatSession::startDirectChat(const QString &personId)
{
    m_backend->startDirectChat(personFor(personId));
}

void ChatSession::createGroup(const QString &name, const QStringList &personIds)
{
    if (name.trimmed().isEmpty())
        return emit actionFailed(QStringLiteral("A group needs a name"));
    QList<Person> members;
    for (const QString &personId : personIds)
        members.append(personFor(personId));
    m_backend->createGroup(name.trimmed(), members);
}

void ChatSession::inviteToGroup(const QString &roomKey, const QString &personId)
{
    m_backend->inviteToGroup(roomKey, personFor(personId));
}

void ChatSession::answerInvitation(const QString &roomKey, bool accept)
{
    m_backend->answerInvitation(roomKey, accept);
}

void ChatSession::answerMessageRequest(const QString &threadKey, bool approve)
{
    m_backend->answerMessageRequest(threadKey, approve);
}

void ChatSession::onRoomCreated(const RoomSummary &room)
{
    if (room.key.isEmpty())
        return;
    // Created or joined just now: follow it afresh even if we asked before (an
    // invitation accepted makes a refused subscription good).
    const bool followed = m_subscribed.contains(room.key);
    addRoom(room);
    if (followed)
        m_backend->subscribe(room.key);
    emit roomCreated(room.key);
}

QVariantList ChatSession::conversationKinds() const
{
    QVariantList kinds;
    if (!canOpenByAddress())
        return kinds;
    for (const ConversationKind &kind : m_backend->conversationKinds())
        kinds.append(QVariantMap{{u"id"_s, kind.id}, {u"label"_s, kind.label}, {u"hint"_s, kind.hint}});
    return kinds;
}

QString ChatSession::openConversation(const QString &kind, const QString &address)
{
    QString problem;
    const std::optional<RoomSummary> room = m_backend->conversationRoom(kind, address.trimmed(), &problem);
    if (!room || room->key.isEmpty()) {
        emit actionFailed(problem.isEmpty() ? tr("That is not something this server can open.") : problem);
        return {};
    }
    // Known already (opened before, or it came by itself): just open it.
    if (m_rooms->roomIndex(room->key) < 0)
        addRoom(*room);
    emit roomCreated(room->key);
    return room->key;
}

void ChatSession::followKnownRooms()
{
    // Without a room list the rooms the user opened (kept in the cache) are the list.
    if (m_backend->can(Backend::Capability::RoomList))
        return;
    for (const RoomSummary &room : m_rooms->rooms()) {
        if (!room.key.isEmpty() && !m_subscribed.contains(room.key)) {
            m_subscribed.insert(room.key);
            m_backend->subscribe(room.key);
        }
    }
}

void ChatSession::addRoom(const RoomSummary &room)
{
    if (room.key.isEmpty())
        return;
    // One direct room per pair of people: a row for the same person under
    // another key (a gateway draft, now a thread) is that room's old name.
    m_rooms->upsertRoom(room);
    m_cache->saveRoom(room);
    if (room.kind == RoomKind::Direct && !room.other.id.isEmpty()) {
        QStringList replaced;
        for (const RoomSummary &known : m_rooms->rooms()) {
            if (known.key != room.key && known.kind == RoomKind::Direct && known.other.id == room.other.id)
                replaced.append(known.key);
        }
        // The new row exists already: a window showing an old one follows it.
        for (const QString &oldKey : std::as_const(replaced)) {
            m_rooms->removeRoom(oldKey);
            m_cache->removeRoom(oldKey);
            emit roomReplaced(oldKey, room.key);
        }
        if (!m_presence->knows(room.other.id))
            m_presence->setPresence(room.other);
    }
    if (!m_subscribed.contains(room.key)) {
        m_subscribed.insert(room.key);
        m_backend->subscribe(room.key);
    }
}

void ChatSession::onActionFinished(const QString &action, const QString &key, bool ok)
{
    if (action == u"accept" || action == u"decline") {
        for (const Notification &notification : m_notifications->notifications()) {
            if (notification.roomKey != key)
                continue;
            if (ok)
                m_notifications->remove(notification.id);
            else
                m_notifications->markRead(notification.id);
        }
    } else if ((action == u"approve" || action == u"block") && ok) {
        m_requests->remove(key);
    }
}

} // namespace natter::client
