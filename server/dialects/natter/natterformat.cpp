#include "natterformat.h"

#include "httputil.h"
#include "roomdirectory.h"
#include "userjson.h"

#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace natter::server::natterdialect {

using http::timestamp;

QJsonObject personRef(const UserRecord &user)
{
    return {{u"id"_s, user.id}, {u"username"_s, user.username}, {u"display_name"_s, user.displayName}};
}

QJsonObject room(const RoomRecord &room, qint64 lastSeq, RoomDirectory &directory)
{
    const QList<MembershipRecord> &members = directory.members(room.id);
    qint64 active = 0;
    for (const MembershipRecord &member : members)
        active += member.state == MembershipState::Active ? 1 : 0;
    QJsonObject object{{u"id"_s, room.id},
                       {u"uuid"_s, json::roomUuid(room)},
                       {u"kind"_s, toString(room.kind)},
                       {u"name"_s, room.name},
                       {u"lobby"_s, room.isLobby},
                       {u"created_by"_s, room.createdBy},
                       {u"created_at"_s, timestamp(room.createdAt)},
                       {u"last_seq"_s, lastSeq},
                       {u"members_count"_s, active}};
    if (room.kind == RoomKind::Direct) {
        QJsonArray people;
        for (const MembershipRecord &member : members) {
            if (const std::optional<UserRecord> user = directory.user(member.userId))
                people.append(personRef(*user));
        }
        object.insert(u"members"_s, people);
    }
    return object;
}

QJsonObject message(const MessageRecord &message, const UserRecord &sender)
{
    QJsonObject object{{u"id"_s, message.id},
                       {u"room"_s, message.roomId},
                       {u"seq"_s, message.seq},
                       {u"kind"_s, toString(message.kind)},
                       {u"from"_s, personRef(sender)},
                       {u"created_at"_s, timestamp(message.createdAt)}};
    switch (message.kind) {
    case MessageKind::Text:
        object.insert(u"text"_s, message.body);
        break;
    case MessageKind::Stamp:
        object.insert(u"stamp"_s, message.body);
        break;
    case MessageKind::Location:
        object.insert(u"lat"_s, message.latitude);
        object.insert(u"lng"_s, message.longitude);
        break;
    }
    if (!message.clientId.isEmpty())
        object.insert(u"client_id"_s, message.clientId);
    return object;
}

QJsonObject mark(const MarkRecord &mark)
{
    return {{u"delivered_up_to"_s, mark.deliveredUpTo}, {u"read_up_to"_s, mark.readUpTo}};
}

QJsonObject notification(const NotificationRecord &notification)
{
    return {{u"id"_s, notification.id},
            {u"type"_s, notification.type},
            {u"message"_s, notification.message},
            {u"is_read"_s, notification.isRead},
            {u"created_at"_s, timestamp(notification.createdAt)},
            {u"data"_s, notification.payload}};
}

QJsonObject messageFrame(const MessageEvent &event, bool request)
{
    QJsonObject frame{{u"type"_s, u"message"_s}, {u"message"_s, message(event.message, event.sender)}};
    if (request)
        frame.insert(u"request"_s, true);
    return frame;
}

QJsonObject markFrame(const StatusEvent &event)
{
    const bool read = event.status == DeliveryStatus::Read;
    return {{u"type"_s, u"mark"_s},
            {u"room"_s, event.roomId},
            {u"user"_s, event.updatedBy},
            {read ? u"read_up_to"_s : u"delivered_up_to"_s, event.seq},
            {u"message"_s, event.messageId},
            {u"at"_s, timestamp(event.at)}};
}

QJsonObject typingFrame(const TypingEvent &event)
{
    return {{u"type"_s, u"typing"_s},
            {u"room"_s, event.roomId},
            {u"user"_s, personRef(event.user)},
            {u"on"_s, event.typing},
            {u"at"_s, timestamp(event.at)}};
}

QJsonObject presenceFrame(const PresenceEvent &event, bool online)
{
    return {{u"type"_s, u"presence"_s}, {u"user"_s, json::person(event.user, online)}};
}

QJsonObject broadcastFrame(const BroadcastEvent &event)
{
    return {{u"type"_s, u"broadcast"_s},
            {u"from"_s, personRef(event.sender)},
            {u"text"_s, event.content},
            {u"at"_s, timestamp(event.at)}};
}

QString frame(const QJsonObject &object)
{
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

} // namespace natter::server::natterdialect
