#include "roomsformat.h"

#include "httputil.h"
#include "messagetext.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace natter::server::rooms {

using http::timestamp;

QString frame(const QJsonObject &object)
{
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

QJsonValue seconds(std::chrono::milliseconds duration)
{
    if (duration.count() % 1000 == 0)
        return static_cast<qint64>(duration.count() / 1000);
    return static_cast<double>(duration.count()) / 1000.0;
}

QJsonObject user(const UserRecord &user, bool online)
{
    return {{QStringLiteral("id"), user.id},
            {QStringLiteral("uuid"), user.uuid.toString(QUuid::WithoutBraces)},
            {QStringLiteral("username"), user.username},
            {QStringLiteral("display_name"), user.displayName},
            {QStringLiteral("imageUrls"), QJsonArray()},
            {QStringLiteral("is_online"), online},
            {QStringLiteral("last_seen"), timestamp(user.lastSeen)}};
}

QJsonObject typingUser(const UserRecord &user)
{
    return {{QStringLiteral("id"), user.id},
            {QStringLiteral("username"), user.username},
            {QStringLiteral("display_name"), user.displayName}};
}

namespace {

// Extra fields for stamps and locations, so a Natter client can show them.
void addKindFields(QJsonObject &object, const MessageRecord &message)
{
    object.insert(QStringLiteral("kind"), toString(message.kind));
    if (message.kind == MessageKind::Stamp)
        object.insert(QStringLiteral("stamp_id"), message.body);
    if (message.kind == MessageKind::Location) {
        object.insert(QStringLiteral("latitude"), message.latitude);
        object.insert(QStringLiteral("longitude"), message.longitude);
    }
}

QJsonValue clientId(const MessageRecord &message)
{
    return message.clientId.isEmpty() ? QJsonValue(QJsonValue::Null) : QJsonValue(message.clientId);
}

} // namespace

QJsonObject message(const MessageRecord &message, const UserRecord &sender, bool senderOnline,
                    const Hub::ViewedStatus &status)
{
    const QDateTime updatedAt = std::max({message.createdAt, status.deliveredAt, status.readAt});
    QJsonObject object{{QStringLiteral("id"), message.id},
                       {QStringLiteral("room"), message.roomId},
                       {QStringLiteral("sender"), user(sender, senderOnline)},
                       {QStringLiteral("content"), messageText(message)},
                       {QStringLiteral("status"), toString(status.status)},
                       {QStringLiteral("status_display"), displayName(status.status)},
                       {QStringLiteral("sent_at"), timestamp(message.createdAt)},
                       {QStringLiteral("delivered_at"), timestamp(status.deliveredAt)},
                       {QStringLiteral("read_at"), timestamp(status.readAt)},
                       {QStringLiteral("is_read"), status.status == DeliveryStatus::Read},
                       {QStringLiteral("created_at"), timestamp(message.createdAt)},
                       {QStringLiteral("updated_at"), timestamp(updatedAt)},
                       {QStringLiteral("temp_id"), clientId(message)},
                       // Natter's extra: the message's place in its room (gap-free, from 1).
                       {QStringLiteral("seq"), message.seq}};
    addKindFields(object, message);
    return object;
}

QJsonObject lastMessage(const MessageRecord &message, DeliveryStatus status)
{
    return {{QStringLiteral("id"), message.id},
            {QStringLiteral("content"), messageText(message)},
            {QStringLiteral("sender_id"), message.senderId},
            {QStringLiteral("status"), toString(status)},
            {QStringLiteral("created_at"), timestamp(message.createdAt)}};
}

QString messageFrame(const MessageEvent &event)
{
    const MessageRecord &stored = event.message;
    QJsonObject body{{QStringLiteral("id"), stored.id},
                     {QStringLiteral("content"), messageText(stored)},
                     {QStringLiteral("sender_id"), stored.senderId},
                     {QStringLiteral("sender_username"), event.sender.username},
                     {QStringLiteral("sender_display_name"), event.sender.displayName},
                     {QStringLiteral("status"), toString(DeliveryStatus::Sent)},
                     {QStringLiteral("created_at"), timestamp(stored.createdAt)},
                     {QStringLiteral("room_id"), stored.roomId},
                     {QStringLiteral("temp_id"), clientId(stored)},
                     {QStringLiteral("seq"), stored.seq}};
    addKindFields(body, stored);
    const QString deliveryId = QStringLiteral("msg_%1_%2").arg(stored.id).arg(
        static_cast<double>(stored.createdAt.toMSecsSinceEpoch()) / 1000.0, 0, 'f', 3);
    return frame({{QStringLiteral("type"), QStringLiteral("message")},
                  {QStringLiteral("message"), body},
                  {QStringLiteral("delivery_id"), deliveryId}});
}

QString statusFrame(const StatusEvent &event)
{
    return frame({{QStringLiteral("type"), QStringLiteral("message_status_update")},
                  {QStringLiteral("message_id"), event.messageId},
                  {QStringLiteral("status"), toString(event.status)},
                  {QStringLiteral("timestamp"), timestamp(event.at)},
                  {QStringLiteral("updated_by"), event.updatedBy}});
}

QString typingFrame(const TypingEvent &event)
{
    return frame({{QStringLiteral("type"), QStringLiteral("typing")},
                  {QStringLiteral("user_id"), event.user.id},
                  {QStringLiteral("username"), event.user.username},
                  {QStringLiteral("is_typing"), event.typing},
                  {QStringLiteral("timestamp"), timestamp(event.at)}});
}

QString presenceFrame(const PresenceEvent &event)
{
    return frame({{QStringLiteral("type"), QStringLiteral("user_status_change")},
                  {QStringLiteral("user_id"), event.user.id},
                  {QStringLiteral("username"), event.user.username},
                  {QStringLiteral("is_online"), event.online},
                  {QStringLiteral("last_seen"), timestamp(event.user.lastSeen)}});
}

QString errorFrame(const QString &message)
{
    return frame({{QStringLiteral("type"), QStringLiteral("error")},
                  {QStringLiteral("message"), message},
                  {QStringLiteral("timestamp"), timestamp(QDateTime::currentDateTimeUtc())}});
}

} // namespace natter::server::rooms
