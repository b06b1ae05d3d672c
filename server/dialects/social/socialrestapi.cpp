#include "socialrestapi.h"

#include "authenticator.h"
#include "httputil.h"
#include "hub.h"
#include "servercontext.h"
#include "serverconfig.h"
#include "socialaccess.h"
#include "socialformat.h"
#include "storequeries.h"

#include <QHttpServer>
#include <QJsonArray>
#include <QUrlQuery>

namespace natter::server {
namespace {

using Method = QHttpServerRequest::Method;

QString str(const char *latin1) { return QString::fromLatin1(latin1); }

QHttpServerResponse unauthorized()
{
    return http::error(http::Status::Unauthorized, str("Authentication required"));
}

QHttpServerResponse badRequest(const QString &message)
{
    return http::error(http::Status::BadRequest, message);
}

struct Paging
{
    int limit = 0;
    int offset = 0;
};

// `limit` (1…maxLimit; larger is capped) and `offset` (>= 0) from the query.
std::optional<Paging> paging(const QUrlQuery &query, int defaultLimit, QString *problem)
{
    Paging result{defaultLimit, 0};
    if (query.hasQueryItem(str("limit"))) {
        bool ok = false;
        const qint64 limit = query.queryItemValue(str("limit")).toLongLong(&ok);
        if (!ok || limit < 1) {
            *problem = str("limit must be a positive integer");
            return std::nullopt;
        }
        result.limit = static_cast<int>(std::min<qint64>(limit, SocialRestApi::maxLimit));
    }
    if (query.hasQueryItem(str("offset"))) {
        bool ok = false;
        const int offset = query.queryItemValue(str("offset")).toInt(&ok);
        if (!ok || offset < 0) {
            *problem = str("offset must be a non-negative integer");
            return std::nullopt;
        }
        result.offset = offset;
    }
    return result;
}

// A required positive id from the query (`user`, `group`).
std::optional<qint64> queryId(const QUrlQuery &query, const QString &name, QString *problem)
{
    const QString text = query.queryItemValue(name);
    if (text.isEmpty()) {
        *problem = name + str(" is required");
        return std::nullopt;
    }
    bool ok = false;
    const qint64 id = text.toLongLong(&ok);
    if (!ok || id <= 0) {
        *problem = name + str(" must be a positive integer");
        return std::nullopt;
    }
    return id;
}

// A required positive id from a JSON body (a number or a numeric string).
std::optional<qint64> bodyId(const QJsonObject &body, const QString &name, QString *problem)
{
    const QJsonValue value = body.value(name);
    if (value.isUndefined() || value.isNull()) {
        *problem = name + str(" is required");
        return std::nullopt;
    }
    const std::optional<qint64> id = http::positiveId(value);
    if (!id)
        *problem = name + str(" must be a positive integer");
    return id;
}

} // namespace

SocialRestApi::SocialRestApi(ServerContext &context, QObject *parent)
    : QObject(parent)
    , m_context(context)
{
}

void SocialRestApi::registerRoutes(QHttpServer &server)
{
    server.route(str("/api/messages/private"), Method::Get,
                 [this](const QHttpServerRequest &request) { return privateHistory(request); });
    server.route(str("/api/messages/group"), Method::Get,
                 [this](const QHttpServerRequest &request) { return groupHistory(request); });
    server.route(str("/api/groups/invite"), Method::Post,
                 [this](const QHttpServerRequest &request) { return invite(request); });
    server.route(str("/api/groups/accept"), Method::Post,
                 [this](const QHttpServerRequest &request) { return answerInvitation(request, true); });
    server.route(str("/api/groups/decline"), Method::Post,
                 [this](const QHttpServerRequest &request) { return answerInvitation(request, false); });
    server.route(str("/api/notifications"), Method::Get,
                 [this](const QHttpServerRequest &request) { return notifications(request); });
    server.route(str("/api/notifications/read"), Method::Post,
                 [this](const QHttpServerRequest &request) { return markNotificationsRead(request); });
}

std::optional<AuthContext> SocialRestApi::postCaller(const QHttpServerRequest &request,
                                                     std::optional<QHttpServerResponse> &refusal)
{
    std::optional<AuthContext> caller = m_context.auth.authenticate(request);
    if (!caller) {
        refusal.emplace(unauthorized());
        return std::nullopt;
    }
    const auto headers = social::OriginHeaders::from(request);
    if (!social::originAllowed(m_context.config.allowedOrigins, headers.origin, headers.host)) {
        refusal.emplace(http::error(http::Status::Forbidden, str("Origin not allowed")));
        return std::nullopt;
    }
    return caller;
}

QHttpServerResponse SocialRestApi::history(const QHttpServerRequest &request,
                                           const RoomRecord &room, qint64 viewerId)
{
    QString problem;
    const std::optional<Paging> page = paging(QUrlQuery(request.url()), 50, &problem);
    if (!page)
        return badRequest(problem);

    // In a direct room `to` is the member who did not send the message.
    QList<qint64> memberIds;
    if (room.kind == RoomKind::Direct) {
        for (const MembershipRecord &member : m_context.queries.members(room.id))
            memberIds.append(member.userId);
    }
    QHash<qint64, UserRecord> senders;
    QJsonArray result;
    for (const MessageRecord &message : m_context.queries.messages(room.id, page->limit, page->offset)) {
        auto sender = senders.find(message.senderId);
        if (sender == senders.end())
            sender = senders.insert(message.senderId,
                                    m_context.queries.userById(message.senderId).value_or(UserRecord{}));
        qint64 to = viewerId;
        for (qint64 memberId : std::as_const(memberIds)) {
            if (memberId != message.senderId)
                to = memberId;
        }
        result.append(social::message(message, *sender, room, to));
    }
    return QHttpServerResponse(result);
}

QHttpServerResponse SocialRestApi::privateHistory(const QHttpServerRequest &request)
{
    const auto caller = m_context.auth.authenticate(request);
    if (!caller)
        return unauthorized();
    QString problem;
    const QUrlQuery query(request.url());
    const std::optional<qint64> userId = queryId(query, str("user"), &problem);
    if (!userId)
        return badRequest(problem);
    if (!paging(query, 50, &problem))
        return badRequest(problem);
    if (!m_context.queries.userById(*userId))
        return http::error(http::Status::NotFound, str("User not found"));
    // No direct room yet (no message so far), or one the caller has not
    // joined (a message request waiting for approval): no history.
    const auto room = m_context.queries.directRoom(caller->user.id, *userId);
    const auto membership = room ? m_context.queries.membership(room->id, caller->user.id)
                                 : std::nullopt;
    if (!membership || membership->state != MembershipState::Active)
        return QHttpServerResponse(QJsonArray());
    return history(request, *room, caller->user.id);
}

QHttpServerResponse SocialRestApi::groupHistory(const QHttpServerRequest &request)
{
    const auto caller = m_context.auth.authenticate(request);
    if (!caller)
        return unauthorized();
    QString problem;
    const QUrlQuery query(request.url());
    const std::optional<qint64> groupId = queryId(query, str("group"), &problem);
    if (!groupId)
        return badRequest(problem);
    if (!paging(query, 50, &problem))
        return badRequest(problem);
    // Not a group, or one the caller is not an active member of: 404, which
    // does not tell whether such a group exists.
    const auto room = m_context.queries.roomById(*groupId);
    const auto membership = room ? m_context.queries.membership(room->id, caller->user.id)
                                 : std::nullopt;
    if (!room || room->kind != RoomKind::Group || !membership
        || membership->state != MembershipState::Active)
        return http::error(http::Status::NotFound, str("Group not found"));
    return history(request, *room, caller->user.id);
}

QHttpServerResponse SocialRestApi::invite(const QHttpServerRequest &request)
{
    std::optional<QHttpServerResponse> refusal;
    const auto caller = postCaller(request, refusal);
    if (!caller)
        return std::move(*refusal);
    QString problem;
    const auto body = http::jsonBody(request, &problem);
    if (!body)
        return badRequest(problem);
    const std::optional<qint64> groupId = bodyId(*body, str("group_id"), &problem);
    if (!groupId)
        return badRequest(problem);
    const std::optional<qint64> userId = bodyId(*body, str("user_id"), &problem);
    if (!userId)
        return badRequest(problem);
    // Optional and informative only: the notification names the group by its
    // stored name.
    const QJsonValue groupName = body->value(str("group_name"));
    if (!groupName.isUndefined() && !groupName.isNull() && !groupName.isString())
        return badRequest(str("group_name must be a string"));

    switch (m_context.hub.inviteToGroup(caller->user.id, *groupId, *userId)) {
    case MembershipOutcome::Done: {
        const auto group = m_context.queries.roomById(*groupId);
        return http::json({{str("group_id"), *groupId},
                           {str("user_id"), *userId},
                           {str("group_name"), group ? group->name : QString()},
                           {str("status"), str("invited")}},
                          http::Status::Created);
    }
    case MembershipOutcome::NotFound:
        return http::error(http::Status::NotFound, str("Group or user not found"));
    case MembershipOutcome::Forbidden:
        return http::error(http::Status::Forbidden, str("Nobody can be invited to this group"));
    case MembershipOutcome::Conflict:
        return http::error(http::Status::Conflict, str("The user is already a member or invited"));
    case MembershipOutcome::Failed:
        break;
    }
    return http::error(http::Status::InternalServerError, str("Server error"));
}

QHttpServerResponse SocialRestApi::answerInvitation(const QHttpServerRequest &request, bool accept)
{
    std::optional<QHttpServerResponse> refusal;
    const auto caller = postCaller(request, refusal);
    if (!caller)
        return std::move(*refusal);
    QString problem;
    const auto body = http::jsonBody(request, &problem);
    if (!body)
        return badRequest(problem);
    const std::optional<qint64> groupId = bodyId(*body, str("group_id"), &problem);
    if (!groupId)
        return badRequest(problem);

    switch (m_context.hub.answerInvitation(caller->user.id, *groupId, accept)) {
    case MembershipOutcome::Done: {
        if (!accept)
            return http::noContent();
        // The user's social connections follow the group from now on (see
        // SocialSession::followsRoom).
        const auto group = m_context.queries.roomById(*groupId);
        return http::json({{str("group_id"), *groupId},
                           {str("group_name"), group ? group->name : QString()},
                           {str("room_uuid"), group ? group->uuid.toString(QUuid::WithoutBraces)
                                                    : QString()},
                           {str("status"), str("active")}});
    }
    case MembershipOutcome::NotFound:
    case MembershipOutcome::Forbidden:
    case MembershipOutcome::Conflict:
        return http::error(http::Status::NotFound, str("No invitation to this group"));
    case MembershipOutcome::Failed:
        break;
    }
    return http::error(http::Status::InternalServerError, str("Server error"));
}

QHttpServerResponse SocialRestApi::notifications(const QHttpServerRequest &request)
{
    const auto caller = m_context.auth.authenticate(request);
    if (!caller)
        return unauthorized();
    QString problem;
    const std::optional<Paging> page = paging(QUrlQuery(request.url()), 20, &problem);
    if (!page)
        return badRequest(problem);
    QJsonArray result;
    for (const NotificationRecord &notification :
         m_context.queries.notifications(caller->user.id, page->limit, page->offset))
        result.append(social::storedNotification(notification));
    return QHttpServerResponse(result);
}

QHttpServerResponse SocialRestApi::markNotificationsRead(const QHttpServerRequest &request)
{
    std::optional<QHttpServerResponse> refusal;
    const auto caller = postCaller(request, refusal);
    if (!caller)
        return std::move(*refusal);
    if (!m_context.hub.markNotificationsRead(caller->user.id))
        return http::error(http::Status::InternalServerError, str("Server error"));
    return http::noContent();
}

} // namespace natter::server
