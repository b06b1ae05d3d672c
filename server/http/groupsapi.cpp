#include "groupsapi.h"

#include "hub.h"

#include "authenticator.h"
#include "httputil.h"
#include "servercontext.h"
#include "store.h"
#include "userjson.h"

#include <QHttpServer>

namespace natter::server {

GroupsApi::GroupsApi(ServerContext &context)
    : m_context(context)
{
}

void GroupsApi::registerRoutes(QHttpServer &server)
{
    server.route(QStringLiteral("/api/groups"), QHttpServerRequest::Method::Post,
                 [this](const QHttpServerRequest &request) {
        const auto caller = m_context.auth.authenticate(request);
        if (!caller)
            return http::error(http::Status::Unauthorized, QStringLiteral("Authentication required"));
        QString problem;
        const auto body = http::jsonBody(request, &problem);
        if (!body)
            return http::error(http::Status::BadRequest, problem);
        const QString name = body->value(QStringLiteral("name")).toString().trimmed();
        if (name.isEmpty())
            return http::error(http::Status::BadRequest, QStringLiteral("name is required"));
        if (name.size() > 100)
            return http::error(http::Status::BadRequest, QStringLiteral("name is longer than 100 characters"));
        const auto group = m_context.hub.createGroup(name, caller->user.id);
        if (!group)
            return http::error(http::Status::InternalServerError, QStringLiteral("Could not create the group"));
        return http::json({{QStringLiteral("id"), group->id},
                           {QStringLiteral("uuid"), json::roomUuid(*group)},
                           {QStringLiteral("name"), group->name}},
                          http::Status::Created);
    });
}

} // namespace natter::server
