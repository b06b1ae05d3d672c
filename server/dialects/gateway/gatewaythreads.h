#pragma once

// Threads (spec 004) are direct rooms addressed by their UUID. A thread is
// `requested` while its recipient has not approved it, `blocked` once either
// side blocked it, `active` otherwise. Used by READY and the /thread routes.

#include "records.h"

#include <QJsonArray>
#include <QJsonObject>
#include <optional>

namespace natter::server {
struct ServerContext;
}

namespace natter::server::gateway {

// The member states a user may hold in a thread and still see it.
bool seesThread(MembershipState state);

// {id (uuid), room_id, state, membership (the viewer's own state), opened_by
// (uuid of the side that sent the first message), other (user), participants,
// last_message (as MESSAGE shows it, or null), created_at}
QJsonObject thread(ServerContext &context, const RoomRecord &room, qint64 viewerId);
// The user's threads, most recent activity first.
QJsonArray threadsOf(ServerContext &context, qint64 userId);
// The thread with that UUID if the user is one of its members; nullopt
// otherwise (a thread you are not in does not exist for you).
std::optional<RoomRecord> visibleThread(ServerContext &context, const QString &uuid, qint64 userId);

} // namespace natter::server::gateway
