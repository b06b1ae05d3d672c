#include "scriptsession.h"

#include "messagesender.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QTimerEvent>
#include <algorithm>
#include <memory>

namespace natter::client {
namespace {

QString str(const char *text) { return QString::fromLatin1(text); }

// Room and message ids may come as numbers or strings.
QString idOf(const QJsonValue &value)
{
    if (value.isDouble())
        return QString::number(value.toInteger());
    return value.toString();
}

QJsonObject person(const Person &who)
{
    return {{str("id"), who.id}, {str("username"), who.username}, {str("name"), who.displayName}};
}

} // namespace

ScriptSession::ScriptSession(Backend &backend, MessageSender &sender, QObject *parent)
    : QObject(parent)
    , m_backend(backend)
    , m_sender(sender)
{
    connect(&backend, &Backend::connected, this, [this] {
        emit event({{str("event"), str("connected")}, {str("user"), person(m_backend.self())}});
        m_everConnected = true;
        for (const QJsonObject &held : std::exchange(m_beforeConnect, {}))
            command(held);
    });
    connect(&backend, &Backend::subscribed, this, [this](const QString &room) {
        emit event({{str("event"), str("subscribed")}, {str("room"), room}});
    });
    connect(&backend, &Backend::messageReceived, this,
            [this](const ChatMessage &message) { emit event(messageEvent(message)); });
    connect(&sender, &MessageSender::acknowledged, this, [this](const QString &clientId, const ChatMessage &stored) {
        emit event({{str("event"), str("ack")}, {str("temp_id"), clientId}, {str("id"), stored.id},
                    {str("room"), stored.roomKey}});
        finishIfDrained();
    });
    connect(&sender, &MessageSender::failed, this, [this](const QString &clientId, const QString &reason) {
        emit event({{str("event"), str("failed")}, {str("temp_id"), clientId}, {str("reason"), reason}});
        finishIfDrained();
    });
    connect(&backend, &Backend::statusChanged, this,
            [this](const QString &room, const QString &messageId, DeliveryStatus status) {
        emit event({{str("event"), str("status")}, {str("room"), room}, {str("id"), messageId},
                    {str("status"), toString(status)}});
    });
    connect(&backend, &Backend::typingChanged, this, [this](const QString &room, const Person &who, bool typing) {
        emit event({{str("event"), str("typing")}, {str("room"), room}, {str("user"), person(who)},
                    {str("on"), typing}});
    });
    connect(&backend, &Backend::presenceChanged, this, [this](const Person &who) {
        QJsonObject presence{{str("event"), str("presence")}, {str("user"), person(who)}, {str("online"), who.online}};
        if (who.lastSeen.isValid())
            presence.insert(str("last_seen"), who.lastSeen.toUTC().toString(Qt::ISODateWithMs));
        emit event(presence);
    });
    connect(&backend, &Backend::roomsListed, this, [this](const QList<RoomSummary> &rooms) {
        QJsonArray list;
        for (const RoomSummary &room : rooms) {
            list.append(QJsonObject{{str("room"), room.key}, {str("id"), room.id}, {str("uuid"), room.uuid},
                                    {str("name"), room.name}, {str("kind"), toString(room.kind)},
                                    {str("unread"), room.unreadCount}});
        }
        emit event({{str("event"), str("rooms")}, {str("rooms"), list}});
    });
    connect(&backend, &Backend::historyLoaded, this,
            [this](const QString &room, const QList<ChatMessage> &messages, bool complete) {
        QJsonArray list;
        for (const ChatMessage &message : messages)
            list.append(messageEvent(message));
        emit event({{str("event"), str("history")}, {str("room"), room}, {str("messages"), list},
                    {str("complete"), complete}});
    });
    connect(&backend, &Backend::notificationReceived, this, [this](const Notification &notification) {
        emit event({{str("event"), str("notification")}, {str("type"), notification.type},
                    {str("message"), notification.message}, {str("room"), notification.roomKey}});
    });
    connect(&backend, &Backend::messageRequestReceived, this, [this](const MessageRequest &request) {
        emit event({{str("event"), str("message_request")}, {str("room"), request.threadKey},
                    {str("from"), person(request.from)}, {str("text"), request.text}});
    });
    connect(&backend, &Backend::tlsRefused, this, [this](const TlsProblem &problem) {
        emit event({{str("event"), str("tls_refused")}, {str("kind"), tlsProblemKindName(problem.kind)},
                    {str("host"), problem.host}, {str("fingerprint"), displayFingerprint(problem.fingerprint)},
                    {str("message"), problem.message}});
    });
    connect(&backend, &Backend::roomCreated, this, [this](const RoomSummary &room) {
        QJsonObject appeared{{str("event"), str("room")}, {str("room"), room.key}, {str("id"), room.id},
                             {str("name"), room.name}, {str("kind"), toString(room.kind)}};
        if (!room.other.id.isEmpty())
            appeared.insert(str("other"), person(room.other));
        emit event(appeared);
    });
    connect(&backend, &Backend::actionFinished, this,
            [this](const QString &action, const QString &key, bool ok, const QString &problem) {
        QJsonObject finished{{str("event"), str("action")}, {str("action"), action}, {str("room"), key},
                             {str("ok"), ok}};
        if (!problem.isEmpty())
            finished.insert(str("error"), problem);
        emit event(finished);
    });
    connect(&backend, &Backend::actionFailed, this, [this](const QString &action, const QString &, const QString &reason) {
        error(action + str(": ") + reason);
    });
    connect(&backend, &Backend::peopleFound, this, [this](const QString &query, const QList<Person> &people) {
        const auto waiting = m_searches.values(query);
        m_searches.remove(query);
        for (const auto &then : waiting)
            then(people);
    });
    connect(&backend, &Backend::errorOccurred, this, &ScriptSession::error);
    connect(&backend, &Backend::connectionStateChanged, this, [this](Backend::ConnectionState state) {
        if (state == Backend::ConnectionState::Reconnecting)
            emit event({{str("event"), str("disconnected")}, {str("reconnecting"), true}});
        if (state == Backend::ConnectionState::Disconnected && !m_finished) {
            // The backend gave up (refused sign-in…): lost for good.
            emit event({{str("event"), str("disconnected")}, {str("reconnecting"), false}});
            m_finished = true;
            emit finished(1);
        }
    });
}

QJsonObject ScriptSession::messageEvent(const ChatMessage &message)
{
    QJsonObject object{{str("event"), str("message")},
                       {str("room"), message.roomKey},
                       {str("id"), message.id},
                       {str("from"), message.sender.username.isEmpty() ? message.sender.id : message.sender.username},
                       {str("from_id"), message.sender.id},
                       {str("text"), message.text},
                       {str("kind"), toString(message.kind)},
                       {str("outgoing"), message.outgoing}};
    if (!message.clientId.isEmpty())
        object.insert(str("temp_id"), message.clientId);
    if (message.createdAt.isValid())
        object.insert(str("created_at"), message.createdAt.toUTC().toString(Qt::ISODateWithMs));
    if (message.kind == MessageKind::Stamp)
        object.insert(str("stamp"), message.stampId);
    if (message.kind == MessageKind::Location) {
        object.insert(str("lat"), message.latitude);
        object.insert(str("lng"), message.longitude);
    }
    return object;
}

void ScriptSession::error(const QString &message)
{
    emit event({{str("event"), str("error")}, {str("message"), message}});
}

void ScriptSession::handleLine(const QByteArray &line)
{
    if (line.trimmed().isEmpty())
        return;
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(line, &parseError);
    if (parseError.error != QJsonParseError::NoError || !document.isObject())
        return error(str("not a JSON object: ") + QString::fromUtf8(line.trimmed().left(200)));
    command(document.object());
}

void ScriptSession::command(const QJsonObject &command)
{
    const QString name = command.value(str("cmd")).toString();
    static const QStringList known{str("send"), str("stamp"), str("location"), str("typing"), str("read"),
                                   str("rooms"), str("history"), str("subscribe"), str("direct"),
                                   str("group"), str("invite"), str("answer"), str("thread")};
    if (!known.contains(name))
        return error(name.isEmpty() ? str("missing \"cmd\"") : QStringLiteral("unknown cmd '%1'").arg(name));
    const QString room = idOf(command.value(str("room")));
    const bool needsRoom = name == u"send" || name == u"stamp" || name == u"location" || name == u"typing"
        || name == u"read" || name == u"history" || name == u"subscribe" || name == u"invite"
        || name == u"answer" || name == u"thread";
    if (needsRoom && room.isEmpty() && !(name == u"send" && command.contains(str("to"))))
        return error(QStringLiteral("'%1' needs \"room\"").arg(name));

    if (name == u"send" || name == u"stamp" || name == u"location") {
        OutgoingMessage message;
        message.roomKey = room;
        message.recipientId = idOf(command.value(str("to")));
        message.clientId = idOf(command.value(str("temp_id")));
        if (name == u"send") {
            message.text = command.value(str("text")).toString();
            if (message.text.trimmed().isEmpty())
                return error(str("'send' needs a non-empty \"text\""));
        } else if (name == u"stamp") {
            message.kind = MessageKind::Stamp;
            message.stampId = idOf(command.value(str("stamp")));
            if (message.stampId.isEmpty())
                return error(str("'stamp' needs \"stamp\""));
        } else {
            message.kind = MessageKind::Location;
            const QJsonValue lat = command.value(str("lat"));
            const QJsonValue lng = command.value(str("lng"));
            if (!lat.isDouble() || !lng.isDouble())
                return error(str("'location' needs numeric \"lat\" and \"lng\""));
            message.latitude = lat.toDouble();
            message.longitude = lng.toDouble();
        }
        if (m_sender.send(message).isEmpty())
            error(str("could not queue the message"));
        return;
    }
    // Sends are queued in the outbox; everything else needs the connection.
    if (!m_everConnected) {
        m_beforeConnect.append(command);
        return;
    }
    if (name == u"typing")
        return m_backend.setTyping(room, command.value(str("on")).toBool(true));
    if (name == u"read") {
        const QString messageId = idOf(command.value(str("message")));
        if (messageId.isEmpty())
            return error(str("'read' needs \"message\""));
        return m_backend.markStatus(room, messageId, DeliveryStatus::Read);
    }
    if (name == u"rooms")
        return m_backend.listRooms();
    if (name == u"direct" || name == u"group" || name == u"invite" || name == u"answer" || name == u"thread")
        return roomAction(name, command);
    if (name == u"history")
        return m_backend.loadHistory(room, idOf(command.value(str("before"))), command.value(str("limit")).toInt(50));
    m_backend.subscribe(room); // "subscribe", the last of the known commands
}

void ScriptSession::roomAction(const QString &name, const QJsonObject &command)
{
    const QString room = idOf(command.value(str("room")));
    if (name == u"answer" || name == u"thread") {
        const QJsonValue yes = command.value(name == u"answer" ? str("accept") : str("approve"));
        if (!yes.isBool())
            return error(name == u"answer" ? str("'answer' needs \"accept\": true or false")
                                           : str("'thread' needs \"approve\": true or false"));
        if (name == u"answer")
            return m_backend.answerInvitation(room, yes.toBool());
        return m_backend.answerMessageRequest(room, yes.toBool());
    }
    QStringList usernames;
    if (name == u"group") {
        for (const QJsonValue &member : command.value(str("members")).toArray())
            usernames.append(member.toString());
    } else {
        usernames.append(command.value(str("user")).toString());
    }
    if (usernames.contains(QString()))
        return error(QStringLiteral("'%1' names people by username (\"user\" / \"members\")").arg(name));
    const QString groupName = command.value(str("name")).toString();
    if (name == u"group" && groupName.trimmed().isEmpty())
        return error(str("'group' needs a \"name\""));
    withPeople(usernames, [this, name, room, groupName](const QList<Person> &people) {
        if (name == u"direct")
            return m_backend.startDirectChat(people.first());
        if (name == u"invite")
            return m_backend.inviteToGroup(room, people.first());
        m_backend.createGroup(groupName, people);
    });
}

void ScriptSession::withPeople(const QStringList &usernames, std::function<void(const QList<Person> &)> then)
{
    if (usernames.isEmpty())
        return then({});
    auto found = std::make_shared<QList<Person>>();
    auto left = std::make_shared<qsizetype>(usernames.size());
    auto failed = std::make_shared<bool>(false);
    for (const QString &username : usernames) {
        m_searches.insert(username, [this, username, found, left, failed, then](const QList<Person> &people) {
            const auto match = std::find_if(people.cbegin(), people.cend(),
                                            [&username](const Person &who) { return who.username == username; });
            if (match == people.cend()) {
                *failed = true;
                error(QStringLiteral("no one called '%1' on this server").arg(username));
            } else {
                found->append(*match);
            }
            if (--*left == 0 && !*failed)
                then(*found);
        });
        m_backend.searchPeople(username);
    }
}

void ScriptSession::finishInput(std::chrono::milliseconds timeout)
{
    m_inputDone = true;
    m_deadline.start(static_cast<int>(timeout.count()), this);
    finishIfDrained();
}

void ScriptSession::finishIfDrained()
{
    if (!m_inputDone || m_finished || m_sender.pendingCount() > 0)
        return;
    m_finished = true;
    m_deadline.stop();
    emit finished(0);
}

void ScriptSession::timerEvent(QTimerEvent *event)
{
    if (event->timerId() != m_deadline.timerId())
        return QObject::timerEvent(event);
    m_deadline.stop();
    if (m_finished)
        return;
    m_finished = true;
    emit finished(0); // waited long enough; what is still queued stays in the outbox
}

} // namespace natter::client
