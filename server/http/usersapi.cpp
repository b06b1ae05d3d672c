#include "usersapi.h"

#include "authenticator.h"
#include "httputil.h"
#include "hub.h"
#include "servercontext.h"
#include "storequeries.h"
#include "userjson.h"

#include <QHttpServer>
#include <QJsonArray>
#include <QUrlQuery>
#include <algorithm>

namespace natter::server {

UsersApi::UsersApi(ServerContext &context)
    : m_context(context)
{
}

void UsersApi::registerRoutes(QHttpServer &server)
{
    server.route(QStringLiteral("/api/users"), QHttpServerRequest::Method::Get,
                 [this](const QHttpServerRequest &request) {
        const auto caller = m_context.auth.authenticate(request);
        if (!caller)
            return http::error(http::Status::Unauthorized, QStringLiteral("Authentication required"));
        const QUrlQuery query(request.url());
        int limit = defaultLimit;
        if (query.hasQueryItem(QStringLiteral("limit"))) {
            bool ok = false;
            limit = query.queryItemValue(QStringLiteral("limit")).toInt(&ok);
            if (!ok || limit < 1)
                return http::error(http::Status::BadRequest, QStringLiteral("limit must be a positive integer"));
        }
        limit = std::min(limit, maximumLimit);
        const QString search = query.queryItemValue(QStringLiteral("search"), QUrl::FullyDecoded).trimmed();
        const auto found = m_context.queries.searchUsers(search, caller->user.id, limit);
        if (!found)
            return http::error(http::Status::InternalServerError, QStringLiteral("Could not search users"));
        QJsonArray people;
        for (const UserRecord &user : *found)
            people.append(json::person(user, m_context.hub.isOnline(user.id)));
        return QHttpServerResponse(people);
    });
}

} // namespace natter::server
