#include "backend.h"

namespace natter::client {

Backend::Backend(Settings settings, QObject *parent)
    : QObject(parent)
    , m_settings(std::move(settings))
{
}

void Backend::setConnectionState(ConnectionState state)
{
    if (m_state == state)
        return;
    m_state = state;
    emit connectionStateChanged(state);
}

namespace {

QString notSupported(const QString &what)
{
    return what + QStringLiteral(" is not supported by this server");
}

bool isKeyedAction(const QString &action)
{
    static const QStringList keyed{QStringLiteral("invite"), QStringLiteral("accept"), QStringLiteral("decline"),
                                   QStringLiteral("approve"), QStringLiteral("block")};
    return keyed.contains(action);
}

} // namespace

void Backend::failAction(const QString &action, const QString &key, const QString &reason)
{
    emit actionFailed(action, key, reason);
    if (isKeyedAction(action))
        emit actionFinished(action, key, false, reason);
}

void Backend::finishAction(const QString &action, const QString &key, bool ok, const QString &error)
{
    if (!ok)
        return failAction(action, key, error);
    emit actionFinished(action, key, true, {});
}

std::optional<RoomSummary> Backend::conversationRoom(const QString &, const QString &, QString *problem) const
{
    if (problem)
        *problem = notSupported(QStringLiteral("Opening a conversation by its id"));
    return std::nullopt;
}

RoomSummary Backend::roomForMessage(const ChatMessage &message) const
{
    RoomSummary room;
    room.key = message.roomKey;
    room.kind = RoomKind::Group;
    room.name = message.roomKey;
    room.lastActivity = message.createdAt;
    return room;
}

RoomSummary Backend::openedRoom(const QString &roomKey) const
{
    ChatMessage none;
    none.roomKey = roomKey;
    RoomSummary room = roomForMessage(none);
    room.lastActivity = QDateTime::currentDateTimeUtc();
    return room;
}

void Backend::searchPeople(const QString &query)
{
    failAction(QStringLiteral("search"), query, notSupported(QStringLiteral("Searching for people")));
}

void Backend::startDirectChat(const Person &person)
{
    failAction(QStringLiteral("direct"), person.id, notSupported(QStringLiteral("Starting a chat")));
}

void Backend::createGroup(const QString &name, const QList<Person> &)
{
    failAction(QStringLiteral("group"), name, notSupported(QStringLiteral("Creating a group")));
}

void Backend::inviteToGroup(const QString &roomKey, const Person &)
{
    failAction(QStringLiteral("invite"), roomKey, notSupported(QStringLiteral("Inviting to a group")));
}

void Backend::answerInvitation(const QString &roomKey, bool accept)
{
    failAction(accept ? QStringLiteral("accept") : QStringLiteral("decline"), roomKey,
               notSupported(QStringLiteral("Answering an invitation")));
}

void Backend::answerMessageRequest(const QString &threadKey, bool approve)
{
    failAction(approve ? QStringLiteral("approve") : QStringLiteral("block"), threadKey,
               notSupported(QStringLiteral("Answering a message request")));
}

} // namespace natter::client
