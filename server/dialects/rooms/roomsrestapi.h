#pragma once

// Spec 003's REST API under /api/v1.0/chat/, for the caller's rooms only.
// Natter's extra: POST rooms/ {"participant": id} opens (or finds) a direct room.

#include "hub.h"
#include "records.h"

#include <QHttpServerRequest>
#include <QHttpServerResponse>
#include <QJsonObject>
#include <QObject>

class QHttpServer;

namespace natter::server {

struct ServerContext;
class RoomsEndpoint;

class RoomsRestApi : public QObject
{
    Q_OBJECT
public:
    static constexpr int pageSize = 20;

    RoomsRestApi(ServerContext &context, RoomsEndpoint &endpoint, QObject *parent = nullptr);
    void registerRoutes(QHttpServer &server);

private:
    QHttpServerResponse listRooms(const QHttpServerRequest &request);
    QHttpServerResponse openDirectRoom(const QHttpServerRequest &request);
    QHttpServerResponse roomDetails(qint64 roomId, const QHttpServerRequest &request);
    QHttpServerResponse roomMessages(qint64 roomId, const QHttpServerRequest &request);
    QHttpServerResponse sendMessage(const QHttpServerRequest &request);
    QHttpServerResponse stats(const QHttpServerRequest &request);
    QHttpServerResponse roomHealth(qint64 roomId, const QHttpServerRequest &request);
    QHttpServerResponse broadcastHealth(const QHttpServerRequest &request);

    // What a room list reads for all its rooms at once (one query each).
    struct RoomFacts
    {
        std::optional<MessageRecord> lastMessage;
        int unread = 0;
    };
    QJsonObject roomObject(const RoomRecord &room, qint64 viewerId, const RoomFacts &facts);
    QJsonObject roomObject(const RoomRecord &room, qint64 viewerId);
    QJsonObject userObject(const UserRecord &user);
    QJsonObject messageObject(const MessageRecord &message, qint64 viewerId);
    // The caller's active room, or nullopt (the caller gets 404 either way:
    // a room you are not in does not exist for you).
    std::optional<RoomRecord> visibleRoom(qint64 roomId, qint64 userId);

    ServerContext &m_context;
    RoomsEndpoint &m_endpoint;
};

} // namespace natter::server
