#include "accountsapi.h"

#include "hub.h"

#include "authenticator.h"
#include "chatserver.h"
#include "clusterrelay.h"
#include "httputil.h"
#include "passwordhasher.h"
#include "passwordworkers.h"
#include "servercontext.h"
#include "serverconfig.h"
#include "storequeries.h"
#include "userjson.h"

#include <QHttpServer>
#include <QHttpServerResponder>
#include <QRegularExpression>
#include <QUuid>

#include <memory>

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
    // What an unknown username is checked against: as slow as a real one.
    , m_decoyHash(context.passwords.hasher().hash(QUuid::createUuid().toString()))
    , m_failedLogins(context.config.loginFailuresPerUsername, context.config.loginFailuresPerAddress,
                     context.config.loginBackoffMax)
{
}

void AccountsApi::registered(QHttpServerResponder &&responder, const QString &username, const QString &displayName,
                             const QByteArray &hash)
{
    if (hash.isEmpty())
        return http::error(http::Status::InternalServerError, QStringLiteral("Could not hash the password"))
            .write(std::move(responder));
    const auto user = m_context.hub.registerUser(username, displayName, hash, UserRole::User);
    if (!user) {
        // Taken while the hash was made (two sign-ups for one name), or the store failed.
        if (user.error() == StoreError::Conflict)
            return http::error(http::Status::Conflict, QStringLiteral("username already taken"))
                .write(std::move(responder));
        return http::error(http::Status::InternalServerError, QStringLiteral("Could not create the account"))
            .write(std::move(responder));
    }
    const QString token = m_context.auth.startSession(*user);
    if (token.isEmpty())
        return http::error(http::Status::InternalServerError, QStringLiteral("Could not start a session"))
            .write(std::move(responder));
    signedIn(m_context.auth, *user, token, http::Status::Created).write(std::move(responder));
}

void AccountsApi::loggedIn(QHttpServerResponder &&responder, const QString &username, const QString &address,
                           bool passwordMatches)
{
    // Read again: the account may have gone while the hash was checked.
    const auto user = passwordMatches ? m_context.queries.userByName(username) : std::nullopt;
    if (!user) {
        m_failedLogins.failed(username, address);
        return http::error(http::Status::Unauthorized, QStringLiteral("Invalid username or password"))
            .write(std::move(responder));
    }
    m_failedLogins.succeeded(username, address);
    const QString token = m_context.auth.startSession(*user);
    if (token.isEmpty())
        return http::error(http::Status::InternalServerError, QStringLiteral("Could not start a session"))
            .write(std::move(responder));
    signedIn(m_context.auth, *user, token, http::Status::Ok).write(std::move(responder));
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
        QJsonObject about{{QStringLiteral("natter"), 1},
                          {QStringLiteral("name"), m_context.config.name},
                          {QStringLiteral("node"), m_context.config.nodeName},
                           {QStringLiteral("registration"), m_context.config.registrationOpen},
                          {QStringLiteral("dialects"), paths}};
        if (m_context.cluster) {
            about.insert(QStringLiteral("cluster"),
                         m_context.cluster->isDegraded() ? QStringLiteral("degraded") : QStringLiteral("ok"));
        }
        return http::json(about);
    });
    // Register and log in hash on PasswordWorkers' pool: the answer goes out when
    // the hash is done, and nothing else on this thread waits for it. The client's
    // socket is the continuation's context: a client that left gets nothing.
    server.route(QStringLiteral("/api/auth/register"), QHttpServerRequest::Method::Post,
                 [this](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
        const auto refuse = [&responder](http::Status status, const QString &why) {
            http::error(status, why).write(std::move(responder));
        };
        if (!m_context.config.registrationOpen)
            return refuse(http::Status::Forbidden, QStringLiteral("Registration is closed"));
        QString problem;
        const auto body = http::jsonBody(request, &problem);
        if (!body)
            return refuse(http::Status::BadRequest, problem);
        const QString username = body->value(QStringLiteral("username")).toString();
        const QString password = body->value(QStringLiteral("password")).toString();
        QString displayName = body->value(QStringLiteral("display_name")).toString().trimmed();
        if (username.isEmpty() || password.isEmpty())
            return refuse(http::Status::BadRequest, QStringLiteral("username and password are required"));
        if (!isValidUsername(username))
            return refuse(http::Status::BadRequest,
                          QStringLiteral("username must be 2-32 letters, digits, '_', '.' or '-'"));
        if (password.size() < minimumPasswordLength)
            return refuse(http::Status::BadRequest,
                          QStringLiteral("password must be at least %1 characters").arg(minimumPasswordLength));
        if (displayName.isEmpty())
            displayName = username;
        if (m_context.queries.userByName(username))
            return refuse(http::Status::Conflict, QStringLiteral("username already taken"));

        auto pending = std::make_shared<QHttpServerResponder>(std::move(responder));
        m_context.passwords.hash(password, pending->socket(),
                                 [this, pending, username, displayName](const QByteArray &hash) {
            registered(std::move(*pending), username, displayName, hash);
        });
    });

    server.route(QStringLiteral("/api/auth/login"), QHttpServerRequest::Method::Post,
                 [this](const QHttpServerRequest &request, QHttpServerResponder &&responder) {
        QString problem;
        const auto body = http::jsonBody(request, &problem);
        if (!body)
            return http::error(http::Status::BadRequest, problem).write(std::move(responder));
        const QString username = body->value(QStringLiteral("username")).toString();
        const QString password = body->value(QStringLiteral("password")).toString();
        if (username.isEmpty() || password.isEmpty())
            return http::error(http::Status::BadRequest, QStringLiteral("username and password are required"))
                .write(std::move(responder));
        // Too many failures for this name or from this address: no password is checked.
        const QString address = request.remoteAddress().toString();
        if (const auto wait = m_failedLogins.waitFor(username, address); wait.count() > 0)
            return http::tooManyRequests(QStringLiteral("Too many failed logins: try again in %1 s")
                                             .arg((wait.count() + 999) / 1000),
                                         wait)
                .write(std::move(responder));
        const auto user = m_context.queries.userByName(username);
        // One answer for unknown user and wrong password (after as long a wait: a
        // hash is checked either way), so accounts cannot be probed.
        const QByteArray storedHash = user ? user->passwordHash : m_decoyHash;
        auto pending = std::make_shared<QHttpServerResponder>(std::move(responder));
        m_context.passwords.verify(password, storedHash, pending->socket(),
                                   [this, pending, username, address, known = user.has_value()](bool matches) {
            loggedIn(std::move(*pending), username, address, known && matches);
        });
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
