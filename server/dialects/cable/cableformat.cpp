#include "cableformat.h"

#include "httputil.h"
#include "messagetext.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace natter::server::cable {

QString frame(const QJsonObject &object)
{
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

QString jsonText(const QJsonValue &value)
{
    if (value.isObject())
        return frame(value.toObject());
    // A one-element array is the shortest document that holds any value: strip the brackets.
    const QByteArray array = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(array.mid(1, array.size() - 2));
}

QString welcomeFrame()
{
    return frame({{QStringLiteral("type"), QStringLiteral("welcome")}});
}

QString pingFrame(qint64 unixSeconds)
{
    return frame({{QStringLiteral("type"), QStringLiteral("ping")},
                  {QStringLiteral("message"), unixSeconds}});
}

namespace {

QString subscriptionFrame(const QString &identifierJson, QLatin1StringView type)
{
    return QStringLiteral("{\"identifier\":") + identifierJson + QStringLiteral(",\"type\":\"")
        + type + QStringLiteral("\"}");
}

} // namespace

QString confirmFrame(const QString &identifierJson)
{
    return subscriptionFrame(identifierJson, QLatin1StringView("confirm_subscription"));
}

QString rejectFrame(const QString &identifierJson)
{
    return subscriptionFrame(identifierJson, QLatin1StringView("reject_subscription"));
}

QString disconnectFrame(const QString &reason, bool reconnect)
{
    return frame({{QStringLiteral("type"), QStringLiteral("disconnect")},
                  {QStringLiteral("reason"), reason},
                  {QStringLiteral("reconnect"), reconnect}});
}

QString errorFrame(const QString &message, const QString &command, const QString &tempId)
{
    QJsonObject object{{QStringLiteral("type"), QStringLiteral("error")},
                       {QStringLiteral("message"), message}};
    if (!command.isEmpty())
        object.insert(QStringLiteral("command"), command);
    if (!tempId.isEmpty())
        object.insert(QStringLiteral("temp_id"), tempId);
    return frame(object);
}

QString messageBody(const MessageEvent &event)
{
    const MessageRecord &stored = event.message;
    QJsonObject body{{QStringLiteral("id"), stored.id},
                     {QStringLiteral("room_id"), stored.roomId},
                     {QStringLiteral("room_uuid"), event.room.uuid.toString(QUuid::WithoutBraces)},
                     {QStringLiteral("kind"), toString(stored.kind)},
                     {QStringLiteral("message"), messageText(stored)},
                     {QStringLiteral("user"),
                      QJsonObject{{QStringLiteral("id"), event.sender.id},
                                  {QStringLiteral("username"), event.sender.username},
                                  {QStringLiteral("display_name"), event.sender.displayName}}},
                     {QStringLiteral("created_at"), http::timestamp(stored.createdAt)}};
    if (stored.kind == MessageKind::Stamp) {
        bool numeric = false;
        const qint64 stampId = stored.body.toLongLong(&numeric);
        body.insert(QStringLiteral("stamp_id"), numeric ? QJsonValue(stampId) : QJsonValue(stored.body));
    }
    if (stored.kind == MessageKind::Location) {
        body.insert(QStringLiteral("latitude"), stored.latitude);
        body.insert(QStringLiteral("longitude"), stored.longitude);
    }
    if (!stored.clientId.isEmpty())
        body.insert(QStringLiteral("temp_id"), stored.clientId);
    return frame(body);
}

QString roomUpdateBody(const RoomEvent &event)
{
    return frame({{QStringLiteral("type"), QStringLiteral("room_update")},
                  {QStringLiteral("change"), event.change == RoomEvent::Change::Created ? QStringLiteral("created")
                                                                                      : QStringLiteral("membership")},
                  {QStringLiteral("room_id"), event.room.id},
                  {QStringLiteral("room_uuid"), event.room.uuid.toString(QUuid::WithoutBraces)},
                  {QStringLiteral("member_id"), event.userId},
                  {QStringLiteral("state"), event.state ? toString(*event.state) : QStringLiteral("removed")},
                  {QStringLiteral("created_at"), http::timestamp(event.at)}});
}

QString wrapMessage(const QString &identifierJson, const QString &body)
{
    return QStringLiteral("{\"identifier\":") + identifierJson + QStringLiteral(",\"message\":")
        + body + u'}';
}

} // namespace natter::server::cable
