#include "clusterrelay.h"

#include "hub.h"
#include "redisbus.h"
#include "store.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QTimerEvent>
#include <QUuid>

Q_LOGGING_CATEGORY(lcCluster, "natter.server.cluster")

using namespace Qt::StringLiterals;

namespace natter::server {

namespace {

// The wire between nodes: one JSON object per event, {"n": node, "t": type, …}.
// Times are milliseconds since the epoch; enums by their domain names.

qint64 millis(const QDateTime &time)
{
    return time.isValid() ? time.toMSecsSinceEpoch() : 0;
}

QDateTime fromMillis(const QJsonValue &value)
{
    const qint64 ms = value.toInteger();
    return ms ? QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC) : QDateTime();
}

QJsonObject encode(const MessageRecord &message)
{
    QJsonObject object{{u"id"_s, message.id}, {u"room"_s, message.roomId}, {u"sender"_s, message.senderId},
                       {u"kind"_s, toString(message.kind)}, {u"body"_s, message.body},
                       {u"at"_s, millis(message.createdAt)}, {u"seq"_s, message.seq}};
    if (message.kind == MessageKind::Location) {
        object.insert(u"lat"_s, message.latitude);
        object.insert(u"lon"_s, message.longitude);
    }
    if (!message.clientId.isEmpty())
        object.insert(u"cid"_s, message.clientId);
    return object;
}

MessageRecord decodeMessage(const QJsonObject &object)
{
    MessageRecord message;
    message.id = object.value(u"id"_s).toInteger();
    message.roomId = object.value(u"room"_s).toInteger();
    message.senderId = object.value(u"sender"_s).toInteger();
    message.kind = messageKindFromString(object.value(u"kind"_s).toString()).value_or(MessageKind::Text);
    message.body = object.value(u"body"_s).toString();
    message.latitude = object.value(u"lat"_s).toDouble();
    message.longitude = object.value(u"lon"_s).toDouble();
    message.clientId = object.value(u"cid"_s).toString();
    message.createdAt = fromMillis(object.value(u"at"_s));
    message.seq = object.value(u"seq"_s).toInteger();
    return message;
}

QJsonArray ids(const QSet<qint64> &set)
{
    QJsonArray array;
    for (qint64 id : set)
        array.append(id);
    return array;
}

} // namespace

ClusterRelay::ClusterRelay(const RedisUrl &redis, QString nodeName, Hub &hub, Store &store, QObject *parent)
    : QObject(parent)
    , m_hub(hub)
    , m_store(store)
    , m_nodeName(std::move(nodeName))
    , m_nodeId(QUuid::createUuid().toString(QUuid::WithoutBraces))
    , m_bus(std::make_unique<RedisBus>(redis))
{
    connect(m_bus.get(), &RedisBus::received, this, &ClusterRelay::received);
    connect(m_bus.get(), &RedisBus::connectedChanged, this, &ClusterRelay::busConnectedChanged);

    // What this node does, for the others.
    connect(&m_hub, &Hub::messagePosted, this, [this](const MessageRecord &message) {
        publish("message", encode(message));
    });
    connect(&m_hub, &Hub::marksCommitted, this,
            [this](const QList<MarkRecord> &marks, const QList<StatusEvent> &events) {
        QJsonArray markArray;
        for (const MarkRecord &mark : marks) {
            markArray.append(QJsonObject{{u"room"_s, mark.roomId}, {u"user"_s, mark.userId},
                                         {u"d"_s, mark.deliveredUpTo}, {u"r"_s, mark.readUpTo},
                                         {u"dat"_s, millis(mark.deliveredAt)}, {u"rat"_s, millis(mark.readAt)}});
        }
        QJsonArray eventArray;
        for (const StatusEvent &event : events) {
            eventArray.append(QJsonObject{{u"id"_s, event.messageId}, {u"room"_s, event.roomId},
                                          {u"seq"_s, event.seq}, {u"author"_s, event.authorId},
                                          {u"by"_s, event.updatedBy}, {u"status"_s, toString(event.status)},
                                          {u"at"_s, millis(event.at)}});
        }
        publish("marks", {{u"marks"_s, markArray}, {u"events"_s, eventArray}});
    });
    connect(&m_hub, &Hub::roomChanged, this, [this](RoomEvent::Change change, qint64 roomId, qint64 userId) {
        publish("room", {{u"created"_s, change == RoomEvent::Change::Created}, {u"room"_s, roomId},
                         {u"user"_s, userId}});
    });
    connect(&m_hub, &Hub::typingChangedHere, this, [this](qint64 roomId, qint64 userId, bool typing) {
        publish("typing", {{u"room"_s, roomId}, {u"user"_s, userId}, {u"on"_s, typing}});
    });
    connect(&m_hub, &Hub::presenceChangedHere, this, [this](qint64 userId, bool online) {
        publish("presence", {{u"user"_s, userId}, {u"on"_s, online}});
    });
    connect(&m_hub, &Hub::notified, this, [this](const NotificationRecord &notification) {
        publish("notification", {{u"id"_s, notification.id}, {u"user"_s, notification.userId},
                                 {u"type"_s, notification.type}, {u"message"_s, notification.message},
                                 {u"payload"_s, notification.payload}, {u"read"_s, notification.isRead},
                                 {u"at"_s, millis(notification.createdAt)}});
    });
    connect(&m_hub, &Hub::broadcasted, this, [this](const BroadcastEvent &event) {
        publish("broadcast", {{u"sender"_s, event.sender.id}, {u"content"_s, event.content},
                              {u"at"_s, millis(event.at)}});
    });
    // The rows behind those events, so the other nodes' directories stay current.
    connect(&m_store, &Store::membershipChanged, this, [this](qint64 roomId, qint64 userId) {
        publish("membership", {{u"room"_s, roomId}, {u"user"_s, userId}});
    });
    connect(&m_store, &Store::userChanged, this, [this](qint64 userId) {
        publish("user", {{u"user"_s, userId}});
    });
}

ClusterRelay::~ClusterRelay()
{
    // The others stop counting this node's users at once, not after the TTL.
    disconnect(m_bus.get(), nullptr, this, nullptr);
    publish("bye", {});
    m_bus->flush(std::chrono::milliseconds(200));
}

bool ClusterRelay::start()
{
    const QHash<qint64, qint64> lastSeqs = m_store.lastSeqs();
    if (m_store.lastError() != StoreError::None)
        return false;
    m_hub.deliverInSeqOrder(lastSeqs);
    m_bus->start();
    m_heartbeat.start(int(heartbeat.count()), this);
    qCInfo(lcCluster).noquote() << "node" << m_nodeName << "joining the cluster on" << m_bus->url().toString();
    return true;
}

bool ClusterRelay::isDegraded() const
{
    return !m_bus->isConnected();
}

void ClusterRelay::publish(const char *type, QJsonObject body)
{
    body.insert(u"n"_s, m_nodeId);
    body.insert(u"t"_s, QLatin1StringView(type));
    m_bus->publish(QJsonDocument(body).toJson(QJsonDocument::Compact));
}

void ClusterRelay::busConnectedChanged(bool connected)
{
    if (!connected) {
        qCWarning(lcCluster).noquote() << "cluster: degraded (Redis unreachable): serving this node's sessions only";
        return;
    }
    m_heardSelf.start();
    if (m_everConnected) {
        qCInfo(lcCluster) << "cluster: ok again; resynchronising from the database";
        m_hub.resynchronise();
        // What this node published while its link was going may be lost: the others read again too.
        publish("back", {});
    } else {
        qCInfo(lcCluster) << "cluster: ok";
        m_hub.catchUpFromDatabase(); // committed elsewhere between start and subscribe
    }
    m_everConnected = true;
    beat(); // the others learn who is here at once
}

void ClusterRelay::timerEvent(QTimerEvent *event)
{
    if (event->timerId() != m_heartbeat.timerId())
        return QObject::timerEvent(event);
    beat();
    expirePeers();
    // Connected, yet our own beats do not come back: the subscriber is deaf.
    if (m_bus->isConnected() && m_heardSelf.isValid() && m_heardSelf.hasExpired(3 * heartbeat.count())) {
        qCWarning(lcCluster) << "cluster: hearing nothing from Redis; connecting again";
        m_heardSelf.invalidate();
        m_bus->restart();
    }
}

void ClusterRelay::beat()
{
    publish("beat", {{u"name"_s, m_nodeName}, {u"users"_s, ids(m_hub.usersHere())}});
}

void ClusterRelay::expirePeers()
{
    QStringList gone;
    for (auto it = m_peers.cbegin(); it != m_peers.cend(); ++it) {
        if (it->expires.hasExpired())
            gone.append(it.key());
    }
    for (const QString &node : std::as_const(gone)) {
        qCWarning(lcCluster).noquote() << "node" << m_peers.value(node).name << "not heard from for"
                                       << presenceTtl.count() << "ms: its users count as offline";
        peerUsers(node, {});
        m_peers.remove(node);
    }
    // It may have died between a commit and its publish: what it committed
    // reaches this node's sessions from the database.
    if (!gone.isEmpty())
        m_hub.catchUpFromDatabase();
}

void ClusterRelay::countElsewhere(qint64 userId, int delta)
{
    int &count = m_nodesElsewhere[userId];
    const bool before = count > 0;
    count += delta;
    const bool after = count > 0;
    if (count <= 0)
        m_nodesElsewhere.remove(userId);
    if (before != after)
        m_hub.setOnlineElsewhere(userId, after);
}

void ClusterRelay::peerUsers(const QString &node, const QSet<qint64> &users)
{
    Peer &peer = m_peers[node];
    peer.expires.setRemainingTime(presenceTtl);
    const QSet<qint64> before = std::exchange(peer.users, users);
    for (qint64 userId : before) {
        if (!users.contains(userId))
            countElsewhere(userId, -1);
    }
    for (qint64 userId : users) {
        if (!before.contains(userId))
            countElsewhere(userId, +1);
    }
}

void ClusterRelay::peerUser(const QString &node, qint64 userId, bool online)
{
    Peer &peer = m_peers[node];
    peer.expires.setRemainingTime(presenceTtl);
    if (online == peer.users.contains(userId))
        return;
    if (online)
        peer.users.insert(userId);
    else
        peer.users.remove(userId);
    countElsewhere(userId, online ? +1 : -1);
}

void ClusterRelay::received(const QByteArray &payload)
{
    const QJsonObject event = QJsonDocument::fromJson(payload).object();
    const QString node = event.value(u"n"_s).toString();
    if (node == m_nodeId) {
        m_heardSelf.start();
        return; // our own: delivered here already
    }
    if (node.isEmpty())
        return;
    const QString type = event.value(u"t"_s).toString();
    const auto id = [&event](const QString &key) { return event.value(key).toInteger(); };

    if (type == u"message"_s) {
        m_hub.deliverRemoteMessage(decodeMessage(event));
    } else if (type == u"marks"_s) {
        QList<MarkRecord> marks;
        for (const QJsonValue &value : event.value(u"marks"_s).toArray()) {
            const QJsonObject mark = value.toObject();
            marks.append({mark.value(u"room"_s).toInteger(), mark.value(u"user"_s).toInteger(),
                          mark.value(u"d"_s).toInteger(), mark.value(u"r"_s).toInteger(),
                          fromMillis(mark.value(u"dat"_s)), fromMillis(mark.value(u"rat"_s))});
        }
        QList<StatusEvent> events;
        for (const QJsonValue &value : event.value(u"events"_s).toArray()) {
            const QJsonObject status = value.toObject();
            events.append({status.value(u"id"_s).toInteger(), status.value(u"room"_s).toInteger(),
                           status.value(u"seq"_s).toInteger(), status.value(u"author"_s).toInteger(),
                           status.value(u"by"_s).toInteger(),
                           deliveryStatusFromString(status.value(u"status"_s).toString())
                               .value_or(DeliveryStatus::Delivered),
                           fromMillis(status.value(u"at"_s))});
        }
        m_hub.deliverRemoteMarks(marks, events);
    } else if (type == u"room"_s) {
        m_hub.deliverRoomChange(event.value(u"created"_s).toBool() ? RoomEvent::Change::Created
                                                                         : RoomEvent::Change::Membership,
                                      id(u"room"_s), id(u"user"_s));
    } else if (type == u"membership"_s) {
        m_hub.membershipChangedElsewhere(id(u"room"_s), id(u"user"_s));
    } else if (type == u"user"_s) {
        m_hub.userChangedElsewhere(id(u"user"_s));
    } else if (type == u"typing"_s) {
        m_hub.deliverRemoteTyping(id(u"room"_s), id(u"user"_s), event.value(u"on"_s).toBool());
    } else if (type == u"presence"_s) {
        peerUser(node, id(u"user"_s), event.value(u"on"_s).toBool());
    } else if (type == u"beat"_s) {
        QSet<qint64> users;
        for (const QJsonValue &value : event.value(u"users"_s).toArray())
            users.insert(value.toInteger());
        m_peers[node].name = event.value(u"name"_s).toString();
        peerUsers(node, users);
    } else if (type == u"back"_s) {
        // Its news of the last moments may be lost: read everything again.
        m_hub.resynchronise();
    } else if (type == u"bye"_s) {
        peerUsers(node, {});
        m_peers.remove(node);
        m_hub.catchUpFromDatabase();
    } else if (type == u"notification"_s) {
        NotificationRecord notification;
        notification.id = id(u"id"_s);
        notification.userId = id(u"user"_s);
        notification.type = event.value(u"type"_s).toString();
        notification.message = event.value(u"message"_s).toString();
        notification.payload = event.value(u"payload"_s).toObject();
        notification.isRead = event.value(u"read"_s).toBool();
        notification.createdAt = fromMillis(event.value(u"at"_s));
        m_hub.deliverNotification(notification);
    } else if (type == u"broadcast"_s) {
        BroadcastEvent broadcast;
        broadcast.sender = m_hub.directory().user(id(u"sender"_s)).value_or(UserRecord{});
        broadcast.content = event.value(u"content"_s).toString();
        broadcast.at = fromMillis(event.value(u"at"_s));
        m_hub.deliverBroadcast(broadcast);
    } else {
        qCWarning(lcCluster) << "unknown event from node" << node << ":" << type;
    }
}

} // namespace natter::server
