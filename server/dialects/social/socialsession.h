#pragma once

// One `/ws` connection of the `social` dialect (spec 002): a user who follows
// every room they are an active member of — direct rooms as `private`, groups
// (the lobby included) as `group` — and gets notifications and broadcasts.

#include "socketsession.h"
#include "records.h"

#include <QObject>
#include <QSet>
#include <memory>

namespace natter::server {

struct ServerContext;

class SocialSession : public SocketSession
{
    Q_OBJECT
public:
    SocialSession(ServerContext &context, std::unique_ptr<SocketPipe> socket, UserRecord user,
                  QObject *parent = nullptr);

    bool followsRoom(qint64 roomId) const override;
    void deliverMessage(const MessageEvent &event, FrameCache &frames) override;
    // Spec 002 has no receipts, typing or presence frames.
    void deliverStatus(const StatusEvent &, FrameCache &) override { }
    void deliverTyping(const TypingEvent &, FrameCache &) override { }
    void deliverPresence(const PresenceEvent &, FrameCache &) override { }
    void deliverNotification(const NotificationEvent &event, FrameCache &frames) override;
    void deliverBroadcast(const BroadcastEvent &event, FrameCache &frames) override;
    void deliverRoomEvent(const RoomEvent &event, FrameCache &frames) override;

private:
    void handleText(const QString &text);
    void handlePrivate(const QJsonObject &frame);
    void handleGroup(const QJsonObject &frame);
    void handleBroadcast(const QJsonObject &frame);
    // The `content` (and optional `timestamp`) every client frame carries;
    // nullopt after sending the error.
    std::optional<QString> contentOf(const QJsonObject &frame);
    void post(qint64 roomId, const QString &content, const QString &notMemberError);
    void sendError(const QString &message);

    UserRecord m_user;
    // Rooms known to have this user as an active member: loaded at connect,
    // grown when the hub delivers a room joined since (an accepted
    // invitation, a new direct room or group).
};

} // namespace natter::server
