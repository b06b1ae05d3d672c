#pragma once

#include <QByteArray>
#include <QString>

namespace natter::server {

// argon2id through libsodium (crypto_pwhash_str / _verify). The stored string
// carries its own salt and parameters.
class PasswordHasher
{
public:
    // Interactive limits in production; tests may lower them for speed.
    enum class Strength { Interactive, Minimal };
    explicit PasswordHasher(Strength strength = Strength::Interactive);

    QByteArray hash(const QString &password) const; // empty on failure
    bool verify(const QString &password, const QByteArray &storedHash) const;

    // True when storedHash was made with other parameters than this hasher's
    // strength (or is not an argon2id string), so a caller that has just
    // verified the password may store hash(password) in its place.
    bool needsRehash(const QByteArray &storedHash) const;

    // sodium_init(); thread-safe, safe to call more than once. hash() and
    // verify() call it themselves. False only if libsodium cannot start.
    static bool initialise();

private:
    Strength m_strength;
};

} // namespace natter::server
