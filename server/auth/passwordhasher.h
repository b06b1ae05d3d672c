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

    static bool initialise(); // sodium_init(); safe to call more than once

private:
    Strength m_strength;
};

} // namespace natter::server
