#pragma once

// Spec 002's HTTP API (auth: session cookie, Bearer or ?token=):
//   GET  /api/messages/private?user=&limit=&offset=   history with one user
//   GET  /api/messages/group?group=&limit=&offset=    history of a group
//   POST /api/groups/invite   {group_id, user_id, group_name?}   201
//   POST /api/groups/accept   {group_id}                         200
//   POST /api/groups/decline  {group_id}                         204
//   GET  /api/notifications?limit=&offset=
//   POST /api/notifications/read                                 204
// History: newest first; `limit` default 50 (notifications 20), at most 200;
// `offset` skips that many of the newest. Errors are {"error": "..."}.

#include "records.h"

#include <QHttpServerRequest>
#include <QHttpServerResponse>
#include <QObject>

class QHttpServer;

namespace natter::server {

struct AuthContext;
struct ServerContext;

class SocialRestApi : public QObject
{
    Q_OBJECT
public:
    static constexpr int maxLimit = 200;

    SocialRestApi(ServerContext &context, QObject *parent = nullptr);
    void registerRoutes(QHttpServer &server);

private:
    QHttpServerResponse privateHistory(const QHttpServerRequest &request);
    QHttpServerResponse groupHistory(const QHttpServerRequest &request);
    QHttpServerResponse invite(const QHttpServerRequest &request);
    QHttpServerResponse answerInvitation(const QHttpServerRequest &request, bool accept);
    QHttpServerResponse notifications(const QHttpServerRequest &request);
    QHttpServerResponse markNotificationsRead(const QHttpServerRequest &request);

    // The caller of a state-changing request: authenticated and, when a
    // browser sent it, from an allowed Origin. nullopt with `refusal` set.
    std::optional<AuthContext> postCaller(const QHttpServerRequest &request,
                                          std::optional<QHttpServerResponse> &refusal);
    QHttpServerResponse history(const QHttpServerRequest &request, const RoomRecord &room,
                                qint64 viewerId);

    ServerContext &m_context;
};

} // namespace natter::server
