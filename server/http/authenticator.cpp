#include "authenticator.h"

#include "httputil.h"
#include "store.h"
#include "tokenservice.h"

#include <QUrlQuery>
#include <QUuid>

namespace natter::server {
namespace {

QString bearerFrom(const QByteArray &authorization)
{
    static constexpr QByteArrayView prefix{"Bearer "};
    if (authorization.size() <= prefix.size()
        || !authorization.startsWith(prefix))
        return {};
    return QString::fromUtf8(authorization.mid(prefix.size()).trimmed());
}

QString queryTokenFrom(const QUrl &url)
{
    return QUrlQuery(url).queryItemValue(QStringLiteral("token"), QUrl::FullyDecoded);
}

} // namespace

Credentials Credentials::from(const QHttpServerRequest &request)
{
    return {queryTokenFrom(request.url()),
            bearerFrom(http::header(request, "authorization")),
            http::cookie(request, QByteArrayView(Authenticator::cookieName.data(), Authenticator::cookieName.size()))};
}

Credentials Credentials::from(const QNetworkRequest &upgradeRequest)
{
    QList<QByteArray> cookieLines;
    QByteArray authorization;
    for (const QByteArray &name : upgradeRequest.rawHeaderList()) {
        if (name.compare("cookie", Qt::CaseInsensitive) == 0)
            cookieLines.append(upgradeRequest.rawHeader(name));
        else if (name.compare("authorization", Qt::CaseInsensitive) == 0)
            authorization = upgradeRequest.rawHeader(name);
    }
    return {queryTokenFrom(upgradeRequest.url()), bearerFrom(authorization),
            http::cookie(cookieLines, QByteArrayView(Authenticator::cookieName.data(), Authenticator::cookieName.size()))};
}

Authenticator::Authenticator(Store &store, const TokenService &tokens, bool secureCookies)
    : m_store(store)
    , m_tokens(tokens)
    , m_secureCookies(secureCookies)
{
}

std::optional<AuthContext> Authenticator::authenticate(const Credentials &credentials) const
{
    for (const QString *token :
         {&credentials.queryToken, &credentials.bearerToken, &credentials.cookieToken}) {
        if (!token->isEmpty())
            return authenticateToken(*token);
    }
    return std::nullopt;
}

std::optional<AuthContext> Authenticator::authenticateToken(const QString &token) const
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const std::optional<TokenClaims> claims = m_tokens.verify(token, now);
    if (!claims)
        return std::nullopt;
    // A logged-out session revokes its token even before `exp`.
    if (!m_store.sessionIsValid(claims->sessionId, claims->userId, now))
        return std::nullopt;
    std::optional<UserRecord> user = m_store.userById(claims->userId);
    if (!user)
        return std::nullopt;
    return AuthContext{*std::move(user), claims->sessionId};
}

QString Authenticator::startSession(const UserRecord &user) const
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const QString sessionId = QUuid::createUuid().toString(QUuid::WithoutBraces);
    const QDateTime expiresAt = now.addSecs(m_tokens.lifetime().count());
    if (!m_store.createSession(sessionId, user.id, expiresAt))
        return {};
    return m_tokens.issue(user.id, user.username, sessionId, now);
}

bool Authenticator::endSession(const AuthContext &context) const
{
    return m_store.deleteSession(context.sessionId);
}

QByteArray Authenticator::sessionCookie(const QString &token) const
{
    QByteArray value(cookieName.data(), cookieName.size());
    value += '=' + token.toUtf8() + "; Path=/; HttpOnly; SameSite=Lax; Max-Age="
        + QByteArray::number(m_tokens.lifetime().count());
    if (m_secureCookies)
        value += "; Secure";
    return value;
}

QByteArray Authenticator::clearedSessionCookie() const
{
    return QByteArray(cookieName.data(), cookieName.size()) + "=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0"
        + (m_secureCookies ? "; Secure" : "");
}

} // namespace natter::server
