#include "passwordhasher.h"

#include <sodium.h>

namespace natter::server {

namespace {

struct Limits
{
    unsigned long long opsLimit;
    size_t memLimit;
};

Limits limitsFor(PasswordHasher::Strength strength)
{
    if (strength == PasswordHasher::Strength::Minimal)
        return {crypto_pwhash_OPSLIMIT_MIN, crypto_pwhash_MEMLIMIT_MIN};
    return {crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE};
}

// The password's UTF-8 bytes, wiped when this goes out of scope so the
// plaintext does not linger in freed heap memory.
class Utf8Password
{
public:
    explicit Utf8Password(const QString &password)
        : m_bytes(password.toUtf8())
    {
    }
    ~Utf8Password() { sodium_memzero(m_bytes.data(), size_t(m_bytes.size())); }
    Utf8Password(const Utf8Password &) = delete;
    Utf8Password &operator=(const Utf8Password &) = delete;

    const char *data() const { return m_bytes.constData(); }
    unsigned long long size() const { return static_cast<unsigned long long>(m_bytes.size()); }

private:
    QByteArray m_bytes;
};

// libsodium reads the stored hash as a C string: an embedded NUL or an
// over-long value cannot be a string it produced, so refuse it up front.
bool isPlausibleHashString(const QByteArray &storedHash)
{
    return !storedHash.isEmpty() && storedHash.size() < qsizetype(crypto_pwhash_STRBYTES)
        && !storedHash.contains('\0');
}

} // namespace

PasswordHasher::PasswordHasher(Strength strength)
    : m_strength(strength)
{
}

bool PasswordHasher::initialise()
{
    // A function-local static is initialised exactly once, even when several
    // threads get here at the same time. sodium_init() returns 1 when already
    // initialised (e.g. by another library), which is also success.
    static const bool ok = sodium_init() >= 0;
    return ok;
}

QByteArray PasswordHasher::hash(const QString &password) const
{
    if (!initialise())
        return {};
    const Limits limits = limitsFor(m_strength);
    const Utf8Password utf8(password);
    char out[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str_alg(out, utf8.data(), utf8.size(), limits.opsLimit, limits.memLimit,
            crypto_pwhash_ALG_ARGON2ID13)
        != 0) {
        return {}; // out of memory
    }
    return QByteArray(out);
}

bool PasswordHasher::verify(const QString &password, const QByteArray &storedHash) const
{
    if (!initialise() || !isPlausibleHashString(storedHash))
        return false;
    const Utf8Password utf8(password);
    return crypto_pwhash_str_verify(storedHash.constData(), utf8.data(), utf8.size()) == 0;
}

bool PasswordHasher::needsRehash(const QByteArray &storedHash) const
{
    if (!initialise() || !isPlausibleHashString(storedHash))
        return true;
    const Limits limits = limitsFor(m_strength);
    // 1 = other parameters, -1 = not an argon2id string: both mean rehash.
    return crypto_pwhash_str_needs_rehash(storedHash.constData(), limits.opsLimit, limits.memLimit)
        != 0;
}

} // namespace natter::server
