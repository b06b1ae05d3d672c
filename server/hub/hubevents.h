#pragma once

// What the hub tells sessions. Each event is encoded at most once per dialect
// (see FrameCache), however many sessions receive it.

#include "records.h"

#include <optional>

namespace natter::server {

class ClientSession;

struct MessageEvent
{
    MessageRecord message;
    UserRecord sender;
    RoomRecord room;
    // The session that posted it (null for REST and tools): compared, never
    // used, so a dialect can tell its own echo.
    const ClientSession *origin = nullptr;
};

struct StatusEvent
{
    qint64 messageId = 0;
    qint64 roomId = 0;
    qint64 seq = 0;       // the message's: the mark of `updatedBy` is now up to here
    qint64 authorId = 0;  // who wrote the message
    qint64 updatedBy = 0; // whose receipt changed
    DeliveryStatus status = DeliveryStatus::Sent;
    QDateTime at;
};

struct TypingEvent
{
    qint64 roomId = 0;
    UserRecord user;
    bool typing = false;
    QDateTime at;
};

struct PresenceEvent
{
    UserRecord user; // lastSeen set when going offline
    bool online = false;
};

// A stored notification (e.g. group_invite), pushed live to its user.
struct NotificationEvent
{
    NotificationRecord notification;
};

// A room appeared (Created: to every member), or someone's membership in it
// changed (invited, joined, declined, approved, blocked: to that member and
// the room's active members).
struct RoomEvent
{
    enum class Change { Created, Membership };
    Change change = Change::Created;
    RoomRecord room;
    qint64 userId = 0;                     // whose membership
    std::optional<MembershipState> state;  // nullopt: the membership ended
    QDateTime at;
};

// An announcement to every connected user; never stored.
struct BroadcastEvent
{
    UserRecord sender;
    QString content;
    QDateTime at;
};

} // namespace natter::server
