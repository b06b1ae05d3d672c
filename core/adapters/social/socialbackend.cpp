#include "wirevalues.h"
#include "socialbackend.h"

#include "cable/natterrest.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLoggingCategory>
#include <QTimerEvent>
#include <algorithm>
#include <memory>

Q_LOGGING_CATEGORY(lcSocial, "natter.client.social")

namespace natter::client {
namespace {

QString str(const char *text) { return QString::fromLatin1(text); }

constexpr qint64 matchWindowSecs = 600;           // a confirming message is at most this much older than the send
constexpr qint64 forgetFailedMs = 10 * 60 * 1000; // unconfirmed sends are forgotten after this
constexpr int shortLivedMs = 2000;                // closed this soon after opening: maybe refused
constexpr int checkPageSize = 50;                 // history page size of a confirmation check
constexpr int checkPages = 5;                     // at most this many pages back
constexpr int checkPagesOldestFirst = 40;         // a server listing oldest first: pages forward to the end
constexpr qint64 liveEchoWindowMs = 10'000;       // an echo from an unknown sender is ours only this soon
constexpr qint64 pageBackSecs = 120;              // paging back stops this long before the send (clock skew)

} // namespace

SocialBackend::SocialBackend(Settings settings, QObject *parent)
    : WebSocketBackend(std::move(settings), parent)
{
    connect(&socket(), qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), this,
            [this](QAbstractSocket::SocketError) {
        if (isReady())
            return;
        m_handshakeFailed = true;
        m_handshakeError = socket().errorString();
        qCDebug(lcSocial) << "connection failed:" << m_handshakeError;
    });
    connect(&socket(), &QWebSocket::pong, this, [this] { m_lastHeard.restart(); });
    // QWebSocket keeps the last close code and error across connections: note
    // what happened on this one.
    connect(&socket(), &QWebSocket::aboutToClose, this, [this] { m_closeHandshake = true; });
}

SocialBackend::~SocialBackend() = default;

Backend::Capabilities SocialBackend::capabilities() const
{
    Capabilities capabilities = Capability::History | Capability::Groups | Capability::Notifications
        | Capability::DirectByPerson;
    if (m_natter)
        capabilities |= Capability::RoomList | Capability::CreateRooms | Capability::PeopleSearch
            | Capability::RoomEvents; // Natter's room_update notifications
    else
        capabilities |= Capability::OpenByAddress; // spec 002 lists nothing: a group or a person by number
    return capabilities;
}

QList<ConversationKind> SocialBackend::conversationKinds() const
{
    return {{str("group"), str("Group"), str("The group's number, such as 7")},
            {str("person"), str("Person"), str("The person's user number, such as 12")}};
}

std::optional<RoomSummary> SocialBackend::conversationRoom(const QString &kind, const QString &address,
                                                           QString *problem) const
{
    bool numeric = false;
    const qint64 number = address.trimmed().toLongLong(&numeric);
    const bool person = kind == u"person";
    if ((!person && kind != u"group") || !numeric || number <= 0) {
        if (problem)
            *problem = person ? str("A person is opened by their user number, such as 12.")
                              : str("A group is opened by its number, such as 7.");
        return std::nullopt;
    }
    return openedRoom(person ? userKey(QString::number(number)) : groupKey(QString::number(number)));
}

RoomSummary SocialBackend::roomForMessage(const ChatMessage &message) const
{
    RoomSummary room;
    room.key = message.roomKey;
    room.lastActivity = message.createdAt;
    if (message.roomKey == broadcastKey) {
        room.kind = RoomKind::Group;
        room.name = str("Announcements");
    } else if (message.roomKey.startsWith(u"user:")) {
        room.kind = RoomKind::Direct;
        room.other.id = message.roomKey.mid(5);
        if (room.other.id == u"unknown") {
            // Spec 002's private frames do not say who sent them.
            room.other.id.clear();
            room.name = str("Private messages");
        } else {
            if (!message.outgoing)
                room.other = message.sender;
            room.other.id = message.roomKey.mid(5);
            room.name = !room.other.displayName.isEmpty() ? room.other.displayName
                : !room.other.username.isEmpty()          ? room.other.username
                                                          : str("Person ") + room.other.id;
        }
    } else {
        room.kind = RoomKind::Group;
        room.name = str("Group ") + message.roomKey;
    }
    return room;
}

SocialBackend::Target SocialBackend::targetOf(const QString &roomKey, const QString &recipientId)
{
    if (!recipientId.isEmpty())
        return {false, recipientId};
    if (roomKey.startsWith(u"user:"))
        return {false, roomKey.mid(5)};
    if (roomKey.startsWith(u"group:"))
        return {true, roomKey.mid(6)};
    if (roomKey.isEmpty() || roomKey == broadcastKey)
        return {};
    return {true, roomKey};
}

QString SocialBackend::cookieHeader() const
{
    const QString value = cookie().trimmed();
    if (value.isEmpty() || value.contains(u'='))
        return value;
    return QStringLiteral("natter_session=") + value; // a bare session value
}

QNetworkRequest SocialBackend::handshakeRequest()
{
    // Called for every attempt, right before the socket opens.
    m_handshakeFailed = false;
    m_handshakeError.clear();
    m_closeHandshake = false;
    QNetworkRequest request(webSocketUrl());
    const QString cookieValue = cookieHeader();
    if (!cookieValue.isEmpty())
        request.setRawHeader("Cookie", cookieValue.toUtf8());
    else if (!token().isEmpty())
        request.setRawHeader("Authorization", "Bearer " + token().toUtf8());
    // The server's own origin, which a server checking Origin on cookie upgrades accepts.
    const QUrl origin = settings().serverUrl.adjusted(QUrl::RemovePath | QUrl::RemoveQuery | QUrl::RemoveFragment
                                                      | QUrl::RemoveUserInfo);
    request.setRawHeader("Origin", origin.toString(QUrl::FullyEncoded).toUtf8());
    return request;
}

void SocialBackend::onOpened()
{
    m_lastHeard.start();
    m_openedAt.start();
    m_pingTimer.start(m_pingInterval, this);
    // Spec 002: a connection that stays open is authenticated; nothing is greeted.
    resolveSelf();
    markReady();
}

void SocialBackend::onClosed()
{
    m_pingTimer.stop();
    for (Pending &pending : m_pending)
        pending.writtenOnThisLink = false;
    const bool shortLived = !m_openedAt.isValid() || m_openedAt.elapsed() < shortLivedMs;
    const bool refused = m_handshakeFailed
        || (m_closeHandshake && socket().closeCode() == QWebSocketProtocol::CloseCodePolicyViolated);
    const QString why = m_handshakeError;
    m_lastHeard.invalidate();
    m_openedAt.invalidate();
    m_handshakeFailed = false;
    m_handshakeError.clear();
    m_closeHandshake = false;
    // A refused upgrade (QWebSocket reports the status in its error text): retrying would not help.
    if (why.contains(u"status code: 401") || why.contains(u"status code: 403"))
        return giveUp(str("The server refused the connection: ") + why);
    // "If invalid, connection is immediately closed": ask the spec's REST whether the session is valid.
    if (refused || shortLived)
        checkSignIn();
}

void SocialBackend::checkSignIn()
{
    QUrlQuery query;
    query.addQueryItem(str("limit"), str("1"));
    httpGet(str("/api/notifications"), query, [this](int status, const QByteArray &) {
        if (status == 401)
            giveUp(str("Session refused by the server (401): sign in again"));
    });
}

void SocialBackend::resolveSelf()
{
    if (natterUserId() > 0) {
        m_natter = true;
        Person me = self();
        me.id = QString::number(natterUserId());
        if (me.username.isEmpty())
            me.username = settings().signIn.username;
        me.online = true;
        setSelf(me);
        return;
    }
    if (!self().id.isEmpty())
        return;
    // A user-given cookie: Natter's /api/auth/me tells who we are (other servers: unknown).
    httpGet(str("/api/auth/me"), {}, [this](int status, const QByteArray &body) {
        if (status != 200)
            return;
        const QJsonObject me = QJsonDocument::fromJson(body).object();
        m_natter = true;
        setSelf({idString(me.value(str("id"))), me.value(str("username")).toString(),
                 me.value(str("display_name")).toString(), true, {}});
    });
}

void SocialBackend::subscribeNow(const QString &roomKey)
{
    // One socket carries every room the user belongs to.
    emit subscribed(roomKey);
}

void SocialBackend::timerEvent(QTimerEvent *event)
{
    if (event->timerId() == m_pingTimer.timerId()) {
        if (m_lastHeard.isValid() && m_lastHeard.elapsed() > 2 * qint64(m_pingInterval) + 1000) {
            qCInfo(lcSocial) << "no pong for two intervals: dropping the link";
            socket().abort();
            return;
        }
        socket().ping();
        return;
    }
    if (event->timerId() == m_confirmTimer.timerId())
        return scheduleChecks();
    WebSocketBackend::timerEvent(event);
}

// ---- incoming frames ------------------------------------------------------

ChatMessage SocialBackend::messageFromJson(const QJsonObject &object, const QString &fallbackKey) const
{
    const QString type = object.value(str("type")).toString();
    const QString me = self().id;
    ChatMessage message;
    message.kind = MessageKind::Text; // Natter renders stamps and locations as text here
    message.text = object.value(str("content")).toString();
    message.createdAt = parseWireTime(object.value(str("timestamp")));
    message.status = DeliveryStatus::Sent;
    message.sender.id = idString(object.value(str("from")));
    if (message.sender.id.isEmpty())
        message.sender.id = idString(object.value(str("sender_id")));
    message.sender.username = object.value(str("from_username")).toString();
    message.sender.displayName = message.sender.username;

    if (type == u"group") {
        message.roomKey = groupKey(idString(object.value(str("group_id"))));
        if (message.roomKey.isEmpty())
            message.roomKey = fallbackKey;
    } else if (type == u"broadcast") {
        message.roomKey = broadcastKey;
    } else {
        const QString to = idString(object.value(str("to")));
        const Target fallback = targetOf(fallbackKey);
        QString other;
        if (!fallback.group && fallback.valid()) {
            // History with a known user: `to` (the recipient) tells the direction even without `from`.
            other = fallback.id;
            const bool fromOther = message.sender.id.isEmpty() ? (to.isEmpty() || to != other)
                                                               : message.sender.id == other;
            if (fromOther) {
                message.sender.id = other;
            } else {
                message.outgoing = true;
                if (message.sender.id.isEmpty())
                    message.sender.id = me;
            }
        } else if (!message.sender.id.isEmpty()) {
            other = (!me.isEmpty() && message.sender.id == me) ? to : message.sender.id;
        } else if (!to.isEmpty() && !me.isEmpty() && to != me) {
            other = to; // `to` is not us: our own message, echoed
            message.sender.id = me;
        }
        message.roomKey = other.isEmpty() ? str("user:unknown") : userKey(other);
    }
    if (!me.isEmpty() && message.sender.id == me) {
        message.outgoing = true;
        message.sender = self();
    }

    message.id = idString(object.value(str("id")));
    if (message.id.isEmpty()) {
        // No server id: a stable one from what identifies the message, so that
        // the live frame and the history give the same.
        const QString basis = message.roomKey + u'\n' + QString::number(message.createdAt.toSecsSinceEpoch()) + u'\n'
            + message.sender.id + u'\n' + message.text;
        message.id = str("social-")
            + QString::fromLatin1(QCryptographicHash::hash(basis.toUtf8(), QCryptographicHash::Sha1).toHex().left(20));
    }
    return message;
}

Notification SocialBackend::notificationFromJson(const QJsonObject &object, bool live) const
{
    Notification notification;
    notification.id = idString(object.value(str("id")));
    notification.message = object.value(str("message")).toString();
    if (live) {
        notification.type = object.value(str("subtype")).toString();
        notification.createdAt = parseWireTime(object.value(str("timestamp")));
        const QString group = idString(object.value(str("group_id")));
        notification.roomKey = group.isEmpty() ? QString() : groupKey(group);
    } else {
        notification.type = object.value(str("type")).toString();
        notification.read = object.value(str("is_read")).toBool();
        notification.createdAt = parseWireTime(object.value(str("created_at")));
        const QString group = idString(object.value(str("data")).toObject().value(str("group_id")));
        notification.roomKey = group.isEmpty() ? QString() : groupKey(group);
    }
    // Spec 002's live frames carry no id and its list does: one id from what the
    // notification says, so the same one live and listed is one row.
    const QString basis = notification.type + u'\n' + notification.message + u'\n'
        + QString::number(notification.createdAt.toSecsSinceEpoch());
    notification.id = str("social-")
        + QString::fromLatin1(QCryptographicHash::hash(basis.toUtf8(), QCryptographicHash::Sha1).toHex().left(20));
    return notification;
}

void SocialBackend::onText(const QString &text)
{
    m_lastHeard.restart();
    const QJsonObject frame = QJsonDocument::fromJson(text.toUtf8()).object();
    const QString type = frame.value(str("type")).toString();
    if (type == u"private" || type == u"group" || type == u"broadcast") {
        const ChatMessage message = messageFromJson(frame, {});
        countLive(message.roomKey);
        if (!confirmLiveEcho(message))
            emit messageReceived(message);
    } else if (type == u"notification") {
        // Natter's room_update: a room or membership changed; the room list says how it stands now.
        if (frame.value(str("subtype")).toString() == u"room_update")
            return listRooms();
        emit notificationReceived(notificationFromJson(frame, true));
    } else if (type == u"error") {
        handleError(frame.value(str("message")).toString()); // Natter's; the spec ignores bad frames silently
    } else {
        qCDebug(lcSocial) << "ignoring frame" << type;
    }
}

// ---- sending and confirming -----------------------------------------------

void SocialBackend::send(const OutgoingMessage &message)
{
    if (message.kind != MessageKind::Text)
        return emit sendFailed(message.clientId, str("This server takes text messages only"));
    const Target target = targetOf(message.roomKey, message.recipientId);
    if (!target.valid())
        return emit sendFailed(message.clientId, str("Unknown conversation: ") + message.roomKey);
    if (message.text.trimmed().isEmpty())
        return emit sendFailed(message.clientId, str("Message cannot be empty"));
    if (!isReady())
        return emit sendFailed(message.clientId, str("Not connected"));

    auto it = m_pending.find(message.clientId);
    if (it != m_pending.end() && it->written) {
        // Written before and not confirmed: the server cannot drop a duplicate
        // (no client id on the wire). On this link it has it (the link is
        // ordered and reliable): only look again. After a reconnect it may
        // not: write only if a readable history shows it is not there.
        it->writeAfterCheck = !it->writtenOnThisLink;
        it->reportedFailed = false;
        return checkRoom(it->roomKey);
    }
    if (it == m_pending.end()) {
        Pending pending;
        pending.clientId = message.clientId;
        pending.roomKey = target.key();
        pending.text = message.text;
        it = m_pending.insert(message.clientId, pending);
        m_pendingOrder.append(message.clientId);
    }
    write(*it);
}

void SocialBackend::write(Pending &pending)
{
    if (!isReady())
        return; // goes again (through a history check) after the reconnect
    const Target target = targetOf(pending.roomKey);
    QJsonObject frame;
    if (target.group) {
        frame = {{str("type"), str("group")}, {str("group_id"), target.id}};
    } else {
        bool numeric = false;
        const qint64 to = target.id.toLongLong(&numeric);
        frame = {{str("type"), str("private")}, {str("to"), numeric ? QJsonValue(to) : QJsonValue(target.id)}};
    }
    frame.insert(str("content"), pending.text);
    frame.insert(str("timestamp"), QDateTime::currentSecsSinceEpoch());
    sendJson(frame);
    if (!pending.firstWrite.isValid())
        pending.firstWrite = QDateTime::currentDateTimeUtc();
    pending.written = true;
    pending.writtenOnThisLink = true;
    pending.writeAfterCheck = false;
    pending.reportedFailed = false;
    pending.serverError.clear();
    pending.nextCheck = 0;
    pending.sinceWrite.start();
    if (!m_confirmTimer.isActive())
        m_confirmTimer.start(50, this);
}

void SocialBackend::sendBroadcast(const QString &text)
{
    if (!isReady() || text.trimmed().isEmpty())
        return;
    sendJson({{str("type"), str("broadcast")}, {str("content"), text},
              {str("timestamp"), QDateTime::currentSecsSinceEpoch()}});
    m_lastBroadcast.start();
}

// Runs the due history checks; stops when no send waits for one.
void SocialBackend::scheduleChecks()
{
    QSet<QString> rooms;
    bool waiting = false;
    for (auto it = m_pending.begin(); it != m_pending.end();) {
        Pending &pending = *it;
        if (pending.reportedFailed && pending.sinceWrite.isValid() && pending.sinceWrite.elapsed() > forgetFailedMs) {
            m_pendingOrder.removeOne(pending.clientId);
            it = m_pending.erase(it);
            continue;
        }
        if (pending.written && !pending.reportedFailed && pending.nextCheck < m_confirmSchedule.size()) {
            waiting = true;
            if (pending.sinceWrite.elapsed() >= m_confirmSchedule.at(pending.nextCheck)) {
                ++pending.nextCheck;
                rooms.insert(pending.roomKey);
            }
        }
        ++it;
    }
    for (const QString &room : std::as_const(rooms))
        checkRoom(room);
    if (!waiting)
        m_confirmTimer.stop();
}

void SocialBackend::checkRoom(const QString &roomKey, bool failOnMiss)
{
    if (m_checking.contains(roomKey)) {
        m_recheck.insert(roomKey);
        return;
    }
    // Back to the earliest unconfirmed write in this room (a busy group may
    // have moved it past the first page).
    QDateTime since;
    for (const Pending &pending : std::as_const(m_pending)) {
        if (pending.roomKey == roomKey && pending.firstWrite.isValid()
            && (!since.isValid() || pending.firstWrite < since))
            since = pending.firstWrite;
    }
    m_checking.insert(roomKey);
    collectSince(targetOf(roomKey), since, 0, {}, checkPages,
                 [this, roomKey, failOnMiss](bool ok, const QList<ChatMessage> &page) {
        m_checking.remove(roomKey);
        if (ok)
            confirmFrom(roomKey, page);
        if (m_recheck.remove(roomKey))
            return checkRoom(roomKey, failOnMiss);
        const QStringList order = m_pendingOrder;
        for (const QString &clientId : order) {
            auto it = m_pending.find(clientId);
            if (it == m_pending.end() || it->roomKey != roomKey)
                continue;
            if (it->writeAfterCheck) {
                // Not in a history we could read: write it again. A history we
                // cannot read proves nothing: the send waits (MessageSender
                // asks again, then gives up) rather than risk a second copy.
                it->writeAfterCheck = false;
                if (ok)
                    write(*it);
                continue;
            }
            const bool lastCheckDone = it->nextCheck >= m_confirmSchedule.size();
            const bool refused = failOnMiss && !it->serverError.isEmpty();
            if (it->written && !it->reportedFailed && (lastCheckDone || refused)) {
                it->reportedFailed = true;
                emit sendFailed(clientId, it->serverError.isEmpty()
                                              ? str("The server did not confirm the message")
                                              : it->serverError);
            }
        }
    });
}

QList<ChatMessage> SocialBackend::confirmFrom(const QString &roomKey, const QList<ChatMessage> &newestFirst)
{
    QList<ChatMessage> rest;
    for (auto message = newestFirst.crbegin(); message != newestFirst.crend(); ++message) {
        if (m_claimedIds.contains(message->id))
            continue; // confirmed one of our sends before
        const bool maybeOurs = message->outgoing || (message->sender.id.isEmpty() && targetOf(roomKey).group);
        QString matched;
        if (maybeOurs) {
            for (const QString &clientId : std::as_const(m_pendingOrder)) {
                const Pending &pending = m_pending[clientId];
                if (pending.roomKey != roomKey || !pending.written || pending.text != message->text)
                    continue;
                if (message->createdAt.isValid() && pending.firstWrite.isValid()
                    && message->createdAt.toSecsSinceEpoch() < pending.firstWrite.toSecsSinceEpoch() - matchWindowSecs)
                    continue;
                matched = clientId;
                break;
            }
        }
        if (matched.isEmpty()) {
            rest.prepend(*message);
            continue;
        }
        acknowledge(matched, *message);
        countLive(roomKey);
    }
    return rest;
}

void SocialBackend::acknowledge(const QString &clientId, const ChatMessage &message)
{
    m_claimedIds.insert(message.id);
    m_pending.remove(clientId);
    m_pendingOrder.removeOne(clientId);
    ChatMessage stored = message;
    stored.clientId = clientId;
    stored.outgoing = true;
    if (stored.sender.id.isEmpty())
        stored.sender = self();
    emit messageAcked(clientId, stored);
}

// A server that sends our own message back to us (a group echo; a private
// frame whose `to` is the other user): that is the ack. From an unknown
// sender (a group frame without Natter's `from`) only a send of the same text
// written moments before counts, so another member's identical text later on
// stays news.
bool SocialBackend::confirmLiveEcho(const ChatMessage &message)
{
    if (m_claimedIds.contains(message.id))
        return true; // the history confirmed it already: the same message, not news
    const bool fromUs = message.outgoing;
    const bool unknownSender = message.sender.id.isEmpty() && targetOf(message.roomKey).group;
    if (!fromUs && !unknownSender)
        return false;
    for (const QString &clientId : std::as_const(m_pendingOrder)) {
        const Pending &pending = m_pending[clientId];
        if (pending.roomKey != message.roomKey || !pending.written || pending.text != message.text)
            continue;
        if (!fromUs && (!pending.sinceWrite.isValid() || pending.sinceWrite.elapsed() > liveEchoWindowMs))
            continue;
        acknowledge(clientId, message);
        return true;
    }
    return false;
}

void SocialBackend::abandonSend(const QString &clientId)
{
    m_pending.remove(clientId);
    m_pendingOrder.removeOne(clientId);
}

void SocialBackend::handleError(const QString &message)
{
    emit errorOccurred(message);
    // The frame that caused it is one of our writes that produced nothing else.
    if (m_lastBroadcast.isValid() && m_lastBroadcast.elapsed() < 5000)
        return;
    QStringList unconfirmed;
    for (const QString &clientId : std::as_const(m_pendingOrder)) {
        Pending &pending = m_pending[clientId];
        if (pending.written && !pending.reportedFailed && !pending.writeAfterCheck) {
            pending.serverError = message;
            unconfirmed.append(clientId);
        }
    }
    if (unconfirmed.size() == 1)
        checkRoom(m_pending.value(unconfirmed.first()).roomKey, true);
}

// ---- history, catch-up, rooms, notifications ------------------------------

void SocialBackend::collectSince(const Target &target, const QDateTime &since, int offset,
                                 const QList<ChatMessage> &collected, int pagesLeft,
                                 std::function<void(bool ok, const QList<ChatMessage> &newestFirst)> done)
{
    fetchPage(target, checkPageSize, offset,
              [this, target, since, offset, collected, pagesLeft, done = std::move(done)](
                  bool ok, const QList<ChatMessage> &page, int raw) mutable {
        if (!ok)
            return done(false, collected);
        QList<ChatMessage> all = collected + page;
        if (m_oldestFirst.contains(target.key())) {
            // Offsets count from the oldest: the newest are on the last page.
            const int pagesDone = offset / checkPageSize + 1;
            if (raw < checkPageSize || pagesDone >= checkPagesOldestFirst) {
                sortNewestFirst(all);
                return done(true, all);
            }
            return collectSince(target, since, offset + raw, all, pagesLeft, std::move(done));
        }
        // Newest first: the page's last message is its oldest.
        const bool reachedSince = !since.isValid() || page.isEmpty() || !page.last().createdAt.isValid()
            || page.last().createdAt.toSecsSinceEpoch() < since.toSecsSinceEpoch() - pageBackSecs;
        if (raw < checkPageSize || reachedSince || pagesLeft <= 1)
            return done(true, all);
        collectSince(target, since, offset + raw, all, pagesLeft - 1, std::move(done));
    });
}

void SocialBackend::fetchPage(const Target &target, int limit, int offset, PageHandler handler)
{
    if (!target.valid())
        return handler(false, {}, 0);
    QUrlQuery query;
    query.addQueryItem(target.group ? str("group") : str("user"), target.id);
    query.addQueryItem(str("limit"), QString::number(limit));
    query.addQueryItem(str("offset"), QString::number(offset));
    const QString key = target.key();
    httpGet(target.group ? str("/api/messages/group") : str("/api/messages/private"), query,
            [this, key, handler = std::move(handler)](int status, const QByteArray &body) {
        if (status != 200)
            return handler(false, {}, 0);
        const QJsonArray array = QJsonDocument::fromJson(body).array();
        QList<ChatMessage> messages;
        for (const QJsonValue &value : array) {
            ChatMessage message = messageFromJson(value.toObject(), key);
            message.roomKey = key;
            messages.append(message);
        }
        // The spec does not say which end a page starts from: learn it.
        if (messages.size() >= 2 && messages.first().createdAt.isValid() && messages.last().createdAt.isValid()
            && messages.first().createdAt != messages.last().createdAt) {
            if (messages.first().createdAt < messages.last().createdAt)
                m_oldestFirst.insert(key);
            else
                m_oldestFirst.remove(key);
        }
        sortNewestFirst(messages);
        handler(true, messages, int(array.size()));
    });
}

void SocialBackend::countLive(const QString &roomKey)
{
    auto it = m_history.find(roomKey);
    if (it != m_history.end())
        ++it->live;
}

void SocialBackend::loadHistory(const QString &roomKey, const QString &beforeId, int limit)
{
    const Target target = targetOf(roomKey);
    if (!target.valid())
        return emit historyLoaded(roomKey, {}, true); // broadcasts are not stored
    if (limit <= 0)
        limit = 50;
    const QString key = target.key();
    const Cursor cursor = m_history.value(key);
    const int offset = beforeId.isEmpty() ? 0 : cursor.offset + cursor.live;
    fetchPage(target, limit, offset,
              [this, roomKey, key, beforeId, limit, offset](bool ok, const QList<ChatMessage> &page, int raw) {
        if (!ok) {
            emit errorOccurred(str("Could not load the history of ") + roomKey);
            return emit historyLoaded(roomKey, {}, false);
        }
        m_history.insert(key, Cursor{offset + raw, 0});
        QList<ChatMessage> older;
        for (const ChatMessage &message : page) {
            if (beforeId.isEmpty() || olderThan(message.id, beforeId))
                older.append(message);
        }
        emit historyLoaded(roomKey, older, raw < limit);
    });
}

void SocialBackend::catchUp()
{
    QSet<QString> rooms;
    for (const QString &room : subscriptions()) {
        if (targetOf(room).valid())
            rooms.insert(targetOf(room).key());
    }
    for (const Pending &pending : std::as_const(m_pending))
        rooms.insert(pending.roomKey);
    for (const QString &room : std::as_const(rooms)) {
        fetchPage(targetOf(room), 50, 0, [this, room](bool ok, const QList<ChatMessage> &page, int) {
            if (!ok)
                return;
            const QList<ChatMessage> rest = confirmFrom(room, page);
            const bool subscribedRoom = subscriptions().contains(room)
                || subscriptions().contains(str("group:") + room);
            if (!subscribedRoom)
                return;
            for (auto it = rest.crbegin(); it != rest.crend(); ++it)
                emit messageReceived(*it);
        });
    }
    // Unread notifications that came while away (the model drops known ids).
    QUrlQuery query;
    query.addQueryItem(str("limit"), str("20"));
    httpGet(str("/api/notifications"), query, [this](int status, const QByteArray &body) {
        if (status != 200)
            return;
        const QJsonArray array = QJsonDocument::fromJson(body).array();
        for (qsizetype i = array.size() - 1; i >= 0; --i) {
            const Notification notification = notificationFromJson(array.at(i).toObject(), false);
            if (!notification.read)
                emit notificationReceived(notification);
        }
    });
}

void SocialBackend::listRooms()
{
    // Natter's room list (spec 002 has none): every room with id and uuid.
    natterrest::fetchRooms(
        [this](const QString &path, const QUrlQuery &query, ReplyHandler handler) { httpGet(path, query, std::move(handler)); },
        [this](const QList<RoomSummary> &natterRooms, bool ok) {
        if (!ok) {
            // Not a Natter server, or the server did not answer: keep what is shown.
            qCInfo(lcSocial) << "no room list from this server";
            return;
        }
        m_natter = true;
        QList<RoomSummary> rooms;
        for (const RoomSummary &natterRoom : natterRooms) {
            if (natterRoom.kind == RoomKind::Direct && natterRoom.other.id.isEmpty())
                continue; // a direct room without its other member has no social address
            RoomSummary room = keyedRoom(natterRoom);
            if (room.lastMessage) {
                room.lastMessage->roomKey = room.key;
                room.lastMessage->outgoing = !self().id.isEmpty() && room.lastMessage->sender.id == self().id;
            }
            rooms.append(room);
        }
        emit roomsListed(rooms);
    });
}

void SocialBackend::fetchNotifications()
{
    // What came while we were away: the unread ones of the list.
    QUrlQuery query;
    query.addQueryItem(str("limit"), str("20"));
    httpGet(str("/api/notifications"), query, [this](int status, const QByteArray &body) {
        if (status != 200)
            return;
        for (const QJsonValue &value : QJsonDocument::fromJson(body).array()) {
            const Notification notification = notificationFromJson(value.toObject(), false);
            if (!notification.read)
                emit notificationReceived(notification);
        }
    });
}

void SocialBackend::listNotifications(int limit, int offset)
{
    QUrlQuery query;
    query.addQueryItem(str("limit"), QString::number(limit));
    query.addQueryItem(str("offset"), QString::number(offset));
    httpGet(str("/api/notifications"), query, [this](int status, const QByteArray &body) {
        QList<Notification> notifications;
        if (status != 200) {
            emit errorOccurred(str("Could not load notifications: ") + httpErrorText(status, body));
        } else {
            for (const QJsonValue &value : QJsonDocument::fromJson(body).array())
                notifications.append(notificationFromJson(value.toObject(), false));
        }
        emit notificationsListed(notifications);
    });
}

void SocialBackend::markNotificationsRead()
{
    httpPost(str("/api/notifications/read"), {}, [this](int status, const QByteArray &) {
        emit notificationsMarkedRead(status == 204 || status == 200);
    });
}

RoomSummary SocialBackend::keyedRoom(RoomSummary room) const
{
    room.key = room.kind == RoomKind::Direct && !room.other.id.isEmpty() ? userKey(room.other.id)
                                                                         : groupKey(QString::number(room.id));
    return room;
}

void SocialBackend::withNatterRoomId(const QString &roomKey, std::function<void(std::optional<qint64>)> then)
{
    const Target target = targetOf(roomKey);
    const qint64 id = target.group ? target.id.toLongLong() : 0;
    then(id > 0 ? std::optional<qint64>(id) : std::nullopt);
}

void SocialBackend::inviteToGroup(const QString &groupId, const QString &userId, const QString &groupName)
{
    QJsonObject body{{str("group_id"), groupId.toLongLong()}, {str("user_id"), userId.toLongLong()}};
    if (!groupName.isEmpty())
        body.insert(str("group_name"), groupName);
    httpPost(str("/api/groups/invite"), body, [this, groupId](int status, const QByteArray &reply) {
        const bool ok = status == 201 || status == 200;
        const QString error = ok ? QString() : httpErrorText(status, reply);
        emit groupRequestFinished(str("invite"), groupId, ok, error);
        finishAction(str("invite"), groupKey(groupId), ok, error);
    });
}

void SocialBackend::inviteToGroup(const QString &roomKey, const Person &person)
{
    const Target target = targetOf(roomKey);
    if (!target.group)
        return failAction(str("invite"), roomKey, str("Only groups take invitations: ") + roomKey);
    withNatterUserId(person, str("invite"), roomKey, [this, target](qint64 userId) {
        inviteToGroup(target.id, QString::number(userId));
    });
}

void SocialBackend::answerInvitation(const QString &groupId, bool accept)
{
    const QString action = accept ? str("accept") : str("decline");
    const Target target = targetOf(groupId);
    if (!target.group)
        return failAction(action, groupId, str("Not a group: ") + groupId);
    httpPost(str("/api/groups/") + action, {{str("group_id"), target.id.toLongLong()}},
             [this, groupId, action, accept](int status, const QByteArray &reply) {
        const bool ok = status == 200 || status == 204;
        const QString error = ok ? QString() : httpErrorText(status, reply);
        emit groupRequestFinished(action, groupId, ok, error);
        finishAction(action, groupId, ok, error);
        if (!ok || !accept)
            return;
        const QJsonObject group = QJsonDocument::fromJson(reply).object();
        RoomSummary room;
        room.id = targetOf(groupId).id.toLongLong();
        room.key = groupKey(QString::number(room.id));
        room.uuid = group.value(str("room_uuid")).toString();
        room.name = group.value(str("group_name")).toString();
        room.kind = RoomKind::Group;
        room.lastActivity = QDateTime::currentDateTimeUtc();
        emit roomCreated(room);
    });
}

void SocialBackend::setTyping(const QString &, bool)
{
    // Spec 002 has no typing frames.
}

void SocialBackend::markStatus(const QString &, const QString &, DeliveryStatus)
{
    // Spec 002 has no receipts.
}

} // namespace natter::client
