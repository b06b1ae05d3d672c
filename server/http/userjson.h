#pragma once

#include "records.h"

#include <QJsonObject>

namespace natter::server::json {

// {id, uuid, username, display_name, role}: the account as auth routes return it.
QJsonObject account(const UserRecord &user);
QString roomUuid(const RoomRecord &room); // without braces

} // namespace natter::server::json
