#include "chatsformat.h"

#include "httputil.h"
#include "messagetext.h"

#include <QJsonDocument>

namespace natter::server::chats {
namespace {
QString str(const char *latin1) { return QString::fromLatin1(latin1); }
} // namespace

QString frame(const QJsonObject &object)
{
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

QString chatId(const QUuid &roomUuid)
{
    return roomUuid.toString(QUuid::WithoutBraces);
}

QJsonObject subscribeResult(const QJsonValue &requestedId, const QString &error)
{
    QJsonObject result{{str("chat_id"), requestedId},
                       {str("status"), error.isEmpty() ? str("success") : str("error")}};
    if (!error.isEmpty())
        result.insert(str("error"), error);
    return result;
}

QString subscribeResponse(const QJsonArray &results)
{
    return frame({{str("action"), str("subscribe_response")}, {str("results"), results}});
}

QString messageResponse(const MessageRecord &message, const RoomRecord &room)
{
    return frame({{str("action"), str("message_response")},
                  {str("status"), str("success")},
                  {str("chat_id"), chatId(room.uuid)},
                  {str("id"), message.id},
                  {str("timestamp"), http::timestamp(message.createdAt)}});
}

QString incomingMessage(const MessageEvent &event)
{
    return frame({{str("from"), event.sender.username},
                  {str("message"), messageText(event.message)},
                  {str("chat_id"), chatId(event.room.uuid)},
                  {str("id"), event.message.id},
                  {str("room_id"), event.message.roomId},
                  {str("timestamp"), http::timestamp(event.message.createdAt)}});
}

QString errorFrame(QLatin1StringView message)
{
    return frame({{str("error"), QString(message)}, {str("status"), str("error")}});
}

} // namespace natter::server::chats
