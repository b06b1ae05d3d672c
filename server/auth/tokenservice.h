#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QString>
#include <chrono>
#include <optional>

namespace natter::server {

struct TokenClaims
{
    qint64 userId = 0;   // "sub" (decimal string in the token)
    QString username;    // "username"
    QString sessionId;   // "jti"
    QDateTime issuedAt;  // "iat"
    QDateTime expiresAt; // "exp"
};

// JWT HS256 through libjwt. The algorithm is pinned: a token signed with any
// other algorithm (or "none") is rejected, and so is one whose `exp` is past.
class TokenService
{
public:
    explicit TokenService(QByteArray secret,
                          std::chrono::seconds lifetime = std::chrono::hours(24 * 30));

    QString issue(qint64 userId, const QString &username, const QString &sessionId,
                  const QDateTime &now = QDateTime::currentDateTimeUtc()) const;
    std::optional<TokenClaims> verify(const QString &token,
                                      const QDateTime &now = QDateTime::currentDateTimeUtc()) const;
    std::chrono::seconds lifetime() const { return m_lifetime; }

private:
    QByteArray m_secret;
    std::chrono::seconds m_lifetime;
};

// The signing secret, generated (libsodium randombytes, 32 bytes) on first
// start and kept in DIR/jwt-secret with mode 0600. Returns empty on failure.
QByteArray loadOrCreateSecret(const QString &dataDir, QString *error = nullptr);

} // namespace natter::server
