#pragma once

#include "records.h"

#include <QJsonObject>

namespace natter::server::json {

// {id, uuid, username, display_name, role}: the account as auth routes return it.
QJsonObject account(const UserRecord &user);
// {id, uuid, username, display_name, online, last_seen}: someone to talk to (the people directory).
QJsonObject person(const UserRecord &user, bool online);
QString roomUuid(const RoomRecord &room); // without braces

} // namespace natter::server::json
