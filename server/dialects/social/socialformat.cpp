#include "socialformat.h"

#include "messagetext.h"

#include <QJsonDocument>

namespace natter::server::social {
namespace {

QString str(const char *latin1) { return QString::fromLatin1(latin1); }

qint64 unixSeconds(const QDateTime &when)
{
    return when.isValid() ? when.toSecsSinceEpoch() : QDateTime::currentSecsSinceEpoch();
}

} // namespace

QString frame(const QJsonObject &object)
{
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

QJsonObject message(const MessageRecord &message, const UserRecord &sender,
                    const RoomRecord &room, qint64 recipientId)
{
    QJsonObject object;
    if (room.kind == RoomKind::Direct) {
        object.insert(str("type"), str("private"));
        object.insert(str("to"), recipientId);
    } else {
        object.insert(str("type"), str("group"));
        object.insert(str("group_id"), QString::number(room.id));
        object.insert(str("group_name"), room.name);
    }
    object.insert(str("content"), messageText(message));
    object.insert(str("timestamp"), unixSeconds(message.createdAt));
    object.insert(str("id"), message.id);
    object.insert(str("from"), message.senderId);
    object.insert(str("from_username"), sender.username);
    object.insert(str("room_id"), room.id);
    object.insert(str("room_uuid"), room.uuid.toString(QUuid::WithoutBraces));
    object.insert(str("kind"), toString(message.kind));
    return object;
}

QJsonObject notification(const NotificationRecord &notification)
{
    // The payload's fields (group_id, group_name, invited_by…) first, so the
    // spec's own fields always win a name clash.
    QJsonObject object = notification.payload;
    object.insert(str("type"), str("notification"));
    object.insert(str("subtype"), notification.type);
    object.insert(str("message"), notification.message);
    object.insert(str("timestamp"), unixSeconds(notification.createdAt));
    object.insert(str("id"), notification.id);
    return object;
}

QJsonObject storedNotification(const NotificationRecord &notification)
{
    return {{str("id"), notification.id},
            {str("type"), notification.type},
            {str("message"), notification.message},
            {str("is_read"), notification.isRead},
            // The spec's example: "2023-01-01T12:00:00Z" (UTC, whole seconds).
            {str("created_at"), notification.createdAt.toUTC().toString(Qt::ISODate)},
            {str("data"), notification.payload}};
}

QJsonObject broadcast(const BroadcastEvent &event)
{
    return {{str("type"), str("broadcast")},
            {str("content"), event.content},
            {str("timestamp"), unixSeconds(event.at)},
            {str("from"), event.sender.id},
            {str("from_username"), event.sender.username}};
}

QString errorFrame(const QString &message)
{
    return frame({{str("type"), str("error")},
                  {str("message"), message},
                  {str("timestamp"), QDateTime::currentSecsSinceEpoch()}});
}

} // namespace natter::server::social
