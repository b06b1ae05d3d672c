#pragma once

// One authenticated connection, of any dialect, as the hub sees it. A session
// holds no global state: everything it needs comes through the hub.

#include "framecache.h"
#include "hubevents.h"

namespace natter::server {

class ClientSession
{
public:
    virtual ~ClientSession() = default;

    virtual qint64 userId() const = 0;
    // Room events (messages, status, typing) reach the session only for rooms it follows.
    virtual bool followsRoom(qint64 roomId) const = 0;

    virtual void deliverMessage(const MessageEvent &event, FrameCache &frames) = 0;
    virtual void deliverStatus(const StatusEvent &event, FrameCache &frames) = 0;
    virtual void deliverTyping(const TypingEvent &event, FrameCache &frames) = 0;
    virtual void deliverPresence(const PresenceEvent &event, FrameCache &frames) = 0;

    // Events not every dialect has: the default ignores them.
    virtual void deliverNotification(const NotificationEvent &, FrameCache &) { }
    virtual void deliverBroadcast(const BroadcastEvent &, FrameCache &) { }
    // Rooms and memberships that changed (dialects with a channel for it push it).
    virtual void deliverRoomEvent(const RoomEvent &, FrameCache &) { }
    // A message in a direct room whose membership for this user is still
    // `requested` (gateway message requests): not yet a normal message.
    virtual void deliverMessageRequest(const MessageEvent &, FrameCache &) { }

    // Server shutdown: close with 1001 (going away).
    virtual void closeGoingAway() = 0;
};

} // namespace natter::server
