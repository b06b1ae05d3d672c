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
// An empty secret makes issue() return "" and verify() reject everything.
class TokenService
{
public:
    explicit TokenService(QByteArray secret,
                          std::chrono::seconds lifetime = std::chrono::hours(24 * 30));

    // Empty on failure, and for userId <= 0 or an empty sessionId (verify()
    // would refuse such a token anyway).
    QString issue(qint64 userId, const QString &username, const QString &sessionId,
                  const QDateTime &now = QDateTime::currentDateTimeUtc()) const;
    // Accepts only HS256 signed with our secret, exp > now (whole seconds),
    // iat present, sub a positive decimal string, jti non-empty. `username`
    // is optional (empty if absent).
    std::optional<TokenClaims> verify(const QString &token,
                                      const QDateTime &now = QDateTime::currentDateTimeUtc()) const;
    std::chrono::seconds lifetime() const { return m_lifetime; }
    // Before the server serves anyone (the nodes of a cluster sign with one secret).
    void setSecret(QByteArray secret) { m_secret = std::move(secret); }

private:
    QByteArray m_secret;
    std::chrono::seconds m_lifetime;
};

// The signing secret, generated (libsodium randombytes, 32 bytes) on first
// start and kept in DIR/jwt-secret with mode 0600. Returns empty on failure,
// with a reason in *error.
// File format: raw bytes, no encoding; the whole file is the HMAC key, used
// verbatim. Nodes that must accept each other's tokens share one copy of the
// file. An existing file shorter than 32 bytes is refused; one readable by
// group/others is chmod-ed to 0600 (a warning is logged if that fails).
QByteArray loadOrCreateSecret(const QString &dataDir, QString *error = nullptr);

} // namespace natter::server
