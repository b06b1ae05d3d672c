#include "accountsapi.h"

#include "hub.h"

#include "authenticator.h"
#include "chatserver.h"
#include "httputil.h"
#include "passwordhasher.h"
#include "servercontext.h"
#include "serverconfig.h"
#include "store.h"
#include "userjson.h"

#include <QHttpServer>
#include <QRegularExpression>

namespace natter::server {
namespace {

constexpr int minimumPasswordLength = 8;

bool isValidUsername(const QString &username)
{
    static const QRegularExpression pattern(QStringLiteral("^[A-Za-z0-9_.-]{2,32}$"));
    return pattern.match(username).hasMatch();
}

// The body of a successful register/login, with the session cookie.
QHttpServerResponse signedIn(const Authenticator &auth, const UserRecord &user, const QString &token,
                             http::Status status)
{
    QHttpServerResponse response = http::json(
        {{QStringLiteral("token"), token}, {QStringLiteral("user"), json::account(user)}}, status);
    response.addHeader("Set-Cookie", auth.sessionCookie(token));
    return response;
}

} // namespace

AccountsApi::AccountsApi(ServerContext &context)
    : m_context(context)
{
}

void AccountsApi::registerRoutes(QHttpServer &server)
{
    // Natter's own introduction, for clients that join by address: a server that
    // answers this speaks every dialect at the paths it lists.
    server.route(QStringLiteral("/api/natter"), QHttpServerRequest::Method::Get, [this] {
        QJsonObject paths;
        for (const Mount &mount : effectiveMounts(m_context.config)) {
            if (mount.port == Mount::mainPort && !paths.contains(mount.dialect))
                paths.insert(mount.dialect, mount.path);
        }
        return http::json({{QStringLiteral("natter"), 1},
                           {QStringLiteral("name"), m_context.config.name},
                           {QStringLiteral("registration"), m_context.config.registrationOpen},
                           {QStringLiteral("dialects"), paths}});
    });
    server.route(QStringLiteral("/api/auth/register"), QHttpServerRequest::Method::Post,
                 [this](const QHttpServerRequest &request) {
        if (!m_context.config.registrationOpen)
            return http::error(http::Status::Forbidden, QStringLiteral("Registration is closed"));
        QString problem;
        const auto body = http::jsonBody(request, &problem);
        if (!body)
            return http::error(http::Status::BadRequest, problem);
        const QString username = body->value(QStringLiteral("username")).toString();
        const QString password = body->value(QStringLiteral("password")).toString();
        QString displayName = body->value(QStringLiteral("display_name")).toString().trimmed();
        if (username.isEmpty() || password.isEmpty())
            return http::error(http::Status::BadRequest,
                               QStringLiteral("username and password are required"));
        if (!isValidUsername(username))
            return http::error(http::Status::BadRequest,
                               QStringLiteral("username must be 2-32 letters, digits, '_', '.' or '-'"));
        if (password.size() < minimumPasswordLength)
            return http::error(http::Status::BadRequest,
                               QStringLiteral("password must be at least %1 characters")
                                   .arg(minimumPasswordLength));
        if (displayName.isEmpty())
            displayName = username;
        if (m_context.store.userByName(username))
            return http::error(http::Status::Conflict, QStringLiteral("username already taken"));

        const QByteArray hash = m_context.passwords.hash(password);
        if (hash.isEmpty())
            return http::error(http::Status::InternalServerError, QStringLiteral("Could not hash the password"));
        const auto user = m_context.hub.registerUser(username, displayName, hash, UserRole::User);
        if (!user) {
            if (m_context.store.lastError() == StoreError::Conflict)
                return http::error(http::Status::Conflict, QStringLiteral("username already taken"));
            return http::error(http::Status::InternalServerError, QStringLiteral("Could not create the account"));
        }
        const QString token = m_context.auth.startSession(*user);
        if (token.isEmpty())
            return http::error(http::Status::InternalServerError, QStringLiteral("Could not start a session"));
        return signedIn(m_context.auth, *user, token, http::Status::Created);
    });

    server.route(QStringLiteral("/api/auth/login"), QHttpServerRequest::Method::Post,
                 [this](const QHttpServerRequest &request) {
        QString problem;
        const auto body = http::jsonBody(request, &problem);
        if (!body)
            return http::error(http::Status::BadRequest, problem);
        const QString username = body->value(QStringLiteral("username")).toString();
        const QString password = body->value(QStringLiteral("password")).toString();
        if (username.isEmpty() || password.isEmpty())
            return http::error(http::Status::BadRequest,
                               QStringLiteral("username and password are required"));
        const auto user = m_context.store.userByName(username);
        // One answer for unknown user and wrong password: no account probing.
        if (!user || !m_context.passwords.verify(password, user->passwordHash))
            return http::error(http::Status::Unauthorized, QStringLiteral("Invalid username or password"));
        const QString token = m_context.auth.startSession(*user);
        if (token.isEmpty())
            return http::error(http::Status::InternalServerError, QStringLiteral("Could not start a session"));
        return signedIn(m_context.auth, *user, token, http::Status::Ok);
    });

    server.route(QStringLiteral("/api/auth/logout"), QHttpServerRequest::Method::Post,
                 [this](const QHttpServerRequest &request) {
        const auto caller = m_context.auth.authenticate(request);
        if (!caller)
            return http::error(http::Status::Unauthorized, QStringLiteral("Authentication required"));
        if (!m_context.auth.endSession(*caller))
            return http::error(http::Status::InternalServerError, QStringLiteral("Could not end the session"));
        QHttpServerResponse response = http::noContent();
        response.addHeader("Set-Cookie", m_context.auth.clearedSessionCookie());
        return response;
    });

    server.route(QStringLiteral("/api/auth/me"), QHttpServerRequest::Method::Get,
                 [this](const QHttpServerRequest &request) {
        const auto caller = m_context.auth.authenticate(request);
        if (!caller)
            return http::error(http::Status::Unauthorized, QStringLiteral("Authentication required"));
        return http::json(json::account(caller->user));
    });
}

} // namespace natter::server
