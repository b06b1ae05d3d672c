#pragma once

// The JSON shapes of spec 002 (`social`), for WebSocket frames and the HTTP
// history. The spec's fields keep their names and types (`to` an integer,
// `group_id` a string in messages and an integer in notifications,
// `timestamp` unix seconds); Natter adds `id`, `from`, `from_username`,
// `room_id`, `room_uuid` and `kind` so a client can tell messages apart.

#include "hubevents.h"

#include <QJsonObject>

namespace natter::server::social {

inline constexpr QLatin1StringView dialectName{"social"};

QString frame(const QJsonObject &object); // compact JSON text

// A stored message as spec 002 shows it: `private` in a direct room (`to` is
// the recipient, the member who is not the sender), `group` in a group room.
QJsonObject message(const MessageRecord &message, const UserRecord &sender,
                    const RoomRecord &room, qint64 recipientId);
QJsonObject notification(const NotificationRecord &notification); // the live frame
QJsonObject storedNotification(const NotificationRecord &notification); // GET /api/notifications
QJsonObject broadcast(const BroadcastEvent &event);
QString errorFrame(const QString &message);

} // namespace natter::server::social
