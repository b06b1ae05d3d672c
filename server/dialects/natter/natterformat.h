#pragma once

// The JSON objects of the `natter` dialect (docs/natter-protocol.md): one
// encoder per object, shared by the session's replies, its sync and its
// pushed events.

#include "hubevents.h"
#include "records.h"

#include <QJsonArray>
#include <QJsonObject>

namespace natter::server {
class RoomDirectory;
}

namespace natter::server::natterdialect {

inline constexpr QLatin1StringView dialectName{"natter"};
inline constexpr int protocolVersion = 1;

// {id, username, display_name}
QJsonObject personRef(const UserRecord &user);
// ROOM: {id, uuid, kind, name, lobby, created_by, created_at, last_seq, members_count[, members]}
// (a direct room lists its two members, so a client can name it after the other).
QJsonObject room(const RoomRecord &room, qint64 lastSeq, RoomDirectory &directory);
// MESSAGE: {id, room, seq, kind, text | stamp | lat,lng, from, client_id?, created_at}
QJsonObject message(const MessageRecord &message, const UserRecord &sender);
// MARK: {delivered_up_to, read_up_to}
QJsonObject mark(const MarkRecord &mark);
QJsonObject notification(const NotificationRecord &notification);

// Server frames pushed from hub events.
QJsonObject messageFrame(const MessageEvent &event, bool request);
QJsonObject markFrame(const StatusEvent &event);
QJsonObject typingFrame(const TypingEvent &event);
QJsonObject presenceFrame(const PresenceEvent &event, bool online);
QJsonObject broadcastFrame(const BroadcastEvent &event);

QString frame(const QJsonObject &object);

} // namespace natter::server::natterdialect
