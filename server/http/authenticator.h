#pragma once

// Who is calling: the token from `?token=`, `Authorization: Bearer`, or the
// session cookie, checked against the token service and the session table.

#include "records.h"

#include <QHttpServerRequest>
#include <QNetworkRequest>
#include <optional>

namespace natter::server {

class Store;
class TokenService;

struct AuthContext
{
    UserRecord user;
    QString sessionId;
};

// Where a token may come from, in the order they are tried.
struct Credentials
{
    QString queryToken;
    QString bearerToken;
    QString cookieToken;

    static Credentials from(const QHttpServerRequest &request);
    static Credentials from(const QNetworkRequest &upgradeRequest); // a server-side QWebSocket
};

class Authenticator
{
public:
    static constexpr QLatin1StringView cookieName{"natter_session"};

    // `secureCookies`: the server serves TLS, so cookies carry Secure.
    Authenticator(Store &store, const TokenService &tokens, bool secureCookies = false);

    std::optional<AuthContext> authenticate(const Credentials &credentials) const;
    std::optional<AuthContext> authenticate(const QHttpServerRequest &request) const
    {
        return authenticate(Credentials::from(request));
    }
    std::optional<AuthContext> authenticateToken(const QString &token) const;

    // A new session for the user and its signed token; empty on failure.
    QString startSession(const UserRecord &user) const;
    bool endSession(const AuthContext &context) const;

    // Set-Cookie values: the session cookie (HttpOnly, SameSite=Lax, Secure
    // under TLS) and its removal.
    QByteArray sessionCookie(const QString &token) const;
    QByteArray clearedSessionCookie() const;

private:
    Store &m_store;
    const TokenService &m_tokens;
    bool m_secureCookies;
};

} // namespace natter::server
