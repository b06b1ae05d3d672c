#include "gatewayformat.h"

#include "httputil.h"
#include "messagetext.h"

#include <QJsonDocument>

namespace natter::server::gateway {

namespace {
QString str(const char *latin1) { return QString::fromLatin1(latin1); }
} // namespace

QString closeReason(CloseCode code)
{
    switch (code) {
    case UnknownError:
        return str("UNKNOWN_ERROR");
    case UnknownOpcode:
        return str("UNKNOWN_OPCODE");
    case DecodeError:
        return str("DECODE_ERROR");
    case NotAuthenticated:
        return str("NOT_AUTHENTICATED");
    case AuthenticationFailed:
        return str("AUTHENTICATION_FAILED");
    case AlreadyAuthenticated:
        return str("ALREADY_AUTHENTICATED");
    case RateLimited:
        return str("RATE_LIMITED");
    case SessionTimeout:
        return str("SESSION_TIMEOUT");
    }
    return str("UNKNOWN_ERROR");
}

std::pair<QString, QString> splitName(const UserRecord &user)
{
    const QString name = user.displayName.trimmed();
    if (name.isEmpty())
        return {user.username, QString()};
    const qsizetype space = name.indexOf(u' ');
    if (space < 0)
        return {name, QString()};
    return {name.left(space), name.mid(space + 1).trimmed()};
}

QString text(const QJsonObject &payload)
{
    return QString::fromUtf8(QJsonDocument(payload).toJson(QJsonDocument::Compact));
}

QString payload(Opcode opcode, const QJsonValue &data)
{
    return text({{str("o"), static_cast<int>(opcode)}, {str("d"), data}});
}

QString dispatch(QLatin1StringView event, const QJsonObject &data)
{
    return text({{str("o"), static_cast<int>(Dispatch)},
                 {str("e"), QString(event)},
                 {str("d"), data}});
}

QJsonObject user(const UserRecord &user)
{
    const auto [first, last] = splitName(user);
    return {{str("id"), user.uuid.toString(QUuid::WithoutBraces)},
            {str("first_name"), first},
            {str("last_name"), last},
            {str("username"), user.username}};
}

QJsonObject message(const MessageRecord &message, const UserRecord &sender, const RoomRecord &room)
{
    QJsonObject object{{str("message_id"), message.id},
                       {str("thread_id"), room.uuid.toString(QUuid::WithoutBraces)},
                       {str("room_id"), message.roomId},
                       {str("from"), user(sender)},
                       {str("message"), messageText(message)},
                       {str("timestamp"), http::timestamp(message.createdAt)},
                       {str("kind"), toString(message.kind)}};
    if (!message.clientId.isEmpty())
        object.insert(str("nonce"), message.clientId);
    return object;
}

QString messageFrame(const MessageEvent &event)
{
    return dispatch(QLatin1StringView("MESSAGE"), message(event.message, event.sender, event.room));
}

QString messageRequestFrame(const MessageEvent &event)
{
    return dispatch(QLatin1StringView("MESSAGE_REQUEST"),
                    message(event.message, event.sender, event.room));
}

QString errorFrame(QLatin1StringView code, const QString &message, QLatin1StringView event,
                   const QJsonValue &nonce)
{
    QJsonObject data{{str("code"), QString(code)}, {str("message"), message}};
    if (!event.isEmpty())
        data.insert(str("event"), QString(event));
    if (!nonce.isUndefined() && !nonce.isNull())
        data.insert(str("nonce"), nonce);
    return dispatch(QLatin1StringView("ERROR"), data);
}

} // namespace natter::server::gateway
