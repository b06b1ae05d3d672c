#include "tokenservice.h"

#include "passwordhasher.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <QtGlobal>

#include <jwt.h>
#include <sodium.h>

#include <algorithm>
#include <cstdlib>
#include <memory>

#ifdef Q_OS_UNIX
#include <sys/stat.h>
#endif

namespace natter::server {

namespace {

// ---- libjwt ownership -------------------------------------------------------

struct JwtFree
{
    void operator()(jwt_t *jwt) const { jwt_free(jwt); }
};
using JwtPtr = std::unique_ptr<jwt_t, JwtFree>;

// libjwt 1.10 hands out malloc()ed strings (it has no jwt_free_str yet).
struct CStringFree
{
    void operator()(char *text) const { std::free(text); }
};
using CStringPtr = std::unique_ptr<char, CStringFree>;

// ---- token shape -------------------------------------------------------------

// Far above any token we issue; bounds the work done on hostile input.
constexpr qsizetype MaxTokenLength = 4096;
// Enough for any positive qint64 without overflow checks.
constexpr qsizetype MaxDecimalDigits = 18;

bool isBase64UrlOrDot(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'
        || c == '_' || c == '.';
}

// header.payload.signature in base64url, all three non-empty. Checked before
// libjwt sees the text: it rules out unsigned ("none") tokens, embedded NULs
// (libjwt would stop reading at the first one) and other junk up front.
bool hasCompactJwsShape(const QByteArray &token)
{
    if (token.isEmpty() || token.size() > MaxTokenLength)
        return false;
    if (!std::all_of(token.cbegin(), token.cend(), isBase64UrlOrDot))
        return false;
    const QList<QByteArray> parts = token.split('.');
    return parts.size() == 3 && std::none_of(parts.cbegin(), parts.cend(), [](const QByteArray &p) {
        return p.isEmpty();
    });
}

// Canonical positive decimal: digits only, no sign, no leading zero.
std::optional<qint64> parsePositiveDecimal(QByteArrayView text)
{
    if (text.isEmpty() || text.size() > MaxDecimalDigits || text.front() == '0')
        return std::nullopt;
    qint64 value = 0;
    for (const char c : text) {
        if (c < '0' || c > '9')
            return std::nullopt;
        value = value * 10 + (c - '0');
    }
    return value;
}

// A claim that must be a JSON string; libjwt returns null for other types.
std::optional<QString> stringClaim(jwt_t *jwt, const char *name)
{
    const char *value = jwt_get_grant(jwt, name);
    if (!value)
        return std::nullopt;
    return QString::fromUtf8(value);
}

// A claim that must be a positive JSON integer. jwt_get_grant_int() cannot
// tell 0 from "0", 1.5 or a string, so read the claim's JSON text instead.
std::optional<qint64> positiveIntClaim(jwt_t *jwt, const char *name)
{
    const CStringPtr json(jwt_get_grants_json(jwt, name));
    if (!json)
        return std::nullopt;
    return parsePositiveDecimal(QByteArrayView(json.get()));
}

JwtPtr decodeHs256(const QByteArray &token, const QByteArray &secret)
{
    // With no key libjwt skips the signature check, so never call it keyless.
    if (secret.isEmpty() || !hasCompactJwsShape(token))
        return nullptr;
    jwt_t *raw = nullptr;
    const int rc = jwt_decode(&raw, token.constData(),
        reinterpret_cast<const unsigned char *>(secret.constData()), int(secret.size()));
    JwtPtr jwt(raw);
    if (rc != 0 || !jwt)
        return nullptr;
    // Pin the algorithm: whatever libjwt accepted, only HS256 is ours.
    if (jwt_get_alg(jwt.get()) != JWT_ALG_HS256)
        return nullptr;
    return jwt;
}

std::optional<TokenClaims> readClaims(jwt_t *jwt)
{
    const std::optional<QString> sub = stringClaim(jwt, "sub");
    const std::optional<QString> jti = stringClaim(jwt, "jti");
    const std::optional<qint64> iat = positiveIntClaim(jwt, "iat");
    const std::optional<qint64> exp = positiveIntClaim(jwt, "exp");
    if (!sub || !jti || jti->isEmpty() || !iat || !exp)
        return std::nullopt;
    const std::optional<qint64> userId = parsePositiveDecimal(sub->toUtf8());
    if (!userId)
        return std::nullopt;

    TokenClaims claims;
    claims.userId = *userId;
    claims.username = stringClaim(jwt, "username").value_or(QString());
    claims.sessionId = *jti;
    claims.issuedAt = QDateTime::fromSecsSinceEpoch(*iat, Qt::UTC);
    claims.expiresAt = QDateTime::fromSecsSinceEpoch(*exp, Qt::UTC);
    return claims;
}

} // namespace

// ---- TokenService ------------------------------------------------------------

TokenService::TokenService(QByteArray secret, std::chrono::seconds lifetime)
    : m_secret(std::move(secret))
    , m_lifetime(lifetime)
{
}

QString TokenService::issue(
    qint64 userId, const QString &username, const QString &sessionId, const QDateTime &now) const
{
    // Refuse to mint what verify() would refuse to accept.
    if (m_secret.isEmpty() || userId <= 0 || sessionId.isEmpty() || !now.isValid()
        || m_lifetime.count() <= 0) {
        return {};
    }
    const qint64 issuedAt = now.toSecsSinceEpoch();
    const qint64 expiresAt = issuedAt + m_lifetime.count();
    if (issuedAt <= 0)
        return {};

    jwt_t *raw = nullptr;
    if (jwt_new(&raw) != 0)
        return {};
    const JwtPtr jwt(raw);
    const bool built = jwt_add_grant(jwt.get(), "sub", QByteArray::number(userId).constData()) == 0
        && jwt_add_grant(jwt.get(), "username", username.toUtf8().constData()) == 0
        && jwt_add_grant(jwt.get(), "jti", sessionId.toUtf8().constData()) == 0
        && jwt_add_grant_int(jwt.get(), "iat", long(issuedAt)) == 0
        && jwt_add_grant_int(jwt.get(), "exp", long(expiresAt)) == 0
        && jwt_set_alg(jwt.get(), JWT_ALG_HS256,
               reinterpret_cast<const unsigned char *>(m_secret.constData()), int(m_secret.size()))
            == 0;
    if (!built)
        return {};
    const CStringPtr encoded(jwt_encode_str(jwt.get()));
    return encoded ? QString::fromLatin1(encoded.get()) : QString();
}

std::optional<TokenClaims> TokenService::verify(const QString &token, const QDateTime &now) const
{
    if (!now.isValid())
        return std::nullopt;
    const JwtPtr jwt = decodeHs256(token.toUtf8(), m_secret);
    if (!jwt)
        return std::nullopt;
    std::optional<TokenClaims> claims = readClaims(jwt.get());
    if (!claims || claims->expiresAt.toSecsSinceEpoch() <= now.toSecsSinceEpoch())
        return std::nullopt;
    return claims;
}

// ---- signing secret ------------------------------------------------------------

namespace {

constexpr qsizetype SecretBytes = 32;
constexpr auto OwnerOnly = QFileDevice::ReadOwner | QFileDevice::WriteOwner;
constexpr auto AnyoneButOwner = QFileDevice::ReadGroup | QFileDevice::WriteGroup
    | QFileDevice::ExeGroup | QFileDevice::ReadOther | QFileDevice::WriteOther
    | QFileDevice::ExeOther;

void setError(QString *error, const QString &text)
{
    if (error)
        *error = text;
}

// QSaveFile creates its temporary file with mode 0666 & ~umask, so with the
// usual umask 022 the secret's inode would be world-readable until we chmod
// it, and a reader who opened it in that window keeps access. A umask of 077
// for just the open() makes it 0600 from birth. The umask is process-wide; the
// window is tiny and can only make other files stricter, never looser.
class OwnerOnlyUmask
{
public:
#ifdef Q_OS_UNIX
    OwnerOnlyUmask()
        : m_previous(::umask(077))
    {
    }
    ~OwnerOnlyUmask()
    {
        ::umask(m_previous);
    }
#else
    OwnerOnlyUmask() = default;
#endif
    OwnerOnlyUmask(const OwnerOnlyUmask &) = delete;
    OwnerOnlyUmask &operator=(const OwnerOnlyUmask &) = delete;

private:
#ifdef Q_OS_UNIX
    mode_t m_previous;
#endif
};

QByteArray readExistingSecret(const QString &path, QString *error)
{
    QFile file(path);
    if ((file.permissions() & AnyoneButOwner) && !file.setPermissions(OwnerOnly)) {
        // E.g. a read-only mounted secret owned by root: usable, but say so.
        qWarning("natter: cannot restrict %s to mode 0600: %s", qPrintable(path),
            qPrintable(file.errorString()));
    }
    if (!file.open(QIODevice::ReadOnly)) {
        setError(error, QStringLiteral("cannot read %1: %2").arg(path, file.errorString()));
        return {};
    }
    QByteArray secret = file.readAll();
    if (secret.size() < SecretBytes) {
        setError(error,
            QStringLiteral("%1 holds %2 bytes; a signing secret needs at least %3")
                .arg(path)
                .arg(secret.size())
                .arg(SecretBytes));
        return {};
    }
    return secret;
}

QByteArray createSecret(const QString &dataDir, const QString &path, QString *error)
{
    if (!QDir().mkpath(dataDir)) {
        setError(error, QStringLiteral("cannot create directory %1").arg(dataDir));
        return {};
    }
    QByteArray secret(SecretBytes, Qt::Uninitialized);
    randombytes_buf(secret.data(), size_t(secret.size()));

    QSaveFile file(path);
    bool opened = false;
    {
        const OwnerOnlyUmask umaskGuard;
        opened = file.open(QIODevice::WriteOnly);
    }
    // setPermissions() also pins 0600 where umask does not apply.
    if (!opened || !file.setPermissions(OwnerOnly) || file.write(secret) != secret.size()
        || !file.commit()) {
        setError(error, QStringLiteral("cannot write %1: %2").arg(path, file.errorString()));
        return {};
    }
    return secret;
}

} // namespace

QByteArray loadOrCreateSecret(const QString &dataDir, QString *error)
{
    if (!PasswordHasher::initialise()) { // randombytes needs libsodium started
        setError(error, QStringLiteral("libsodium failed to initialise"));
        return {};
    }
    const QString path = QDir(dataDir).filePath(QStringLiteral("jwt-secret"));
    if (QFileInfo::exists(path))
        return readExistingSecret(path, error);
    return createSecret(dataDir, path, error);
}

} // namespace natter::server
