#include "userjson.h"

#include "httputil.h"

namespace natter::server::json {

QJsonObject account(const UserRecord &user)
{
    return {{QStringLiteral("id"), user.id},
            {QStringLiteral("uuid"), user.uuid.toString(QUuid::WithoutBraces)},
            {QStringLiteral("username"), user.username},
            {QStringLiteral("display_name"), user.displayName},
            {QStringLiteral("role"), toString(user.role)}};
}

QJsonObject person(const UserRecord &user, bool online)
{
    return {{QStringLiteral("id"), user.id},
            {QStringLiteral("uuid"), user.uuid.toString(QUuid::WithoutBraces)},
            {QStringLiteral("username"), user.username},
            {QStringLiteral("display_name"), user.displayName},
            {QStringLiteral("online"), online},
            {QStringLiteral("last_seen"), http::timestamp(user.lastSeen)}};
}

QString roomUuid(const RoomRecord &room)
{
    return room.uuid.toString(QUuid::WithoutBraces);
}

} // namespace natter::server::json
