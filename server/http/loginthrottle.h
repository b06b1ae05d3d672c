#pragma once

// Failed logins slow the next attempts down: per username and per client
// address, after `allowed` failures each further failure doubles a wait
// (1 s, 2 s, 4 s … up to `maxWait`) during which every login for that name
// or from that address is refused (429, Retry-After) without checking the
// password. A successful login forgets both. Entries whose wait is over and
// that saw no failure for `maxWait` are dropped, so memory stays bounded by
// the recent failures. One thread; the clock is passed in for tests.

#include <QHash>
#include <QString>
#include <chrono>

namespace natter::server {

class LoginThrottle
{
public:
    using Clock = std::chrono::steady_clock;

    LoginThrottle(int allowedPerUsername, int allowedPerAddress, std::chrono::seconds maxWait);

    // How long `username` from `address` must still wait; zero: may try now.
    std::chrono::milliseconds waitFor(const QString &username, const QString &address,
                                      Clock::time_point now = Clock::now());
    void failed(const QString &username, const QString &address, Clock::time_point now = Clock::now());
    void succeeded(const QString &username, const QString &address);
    qsizetype trackedEntries() const { return m_byUsername.size() + m_byAddress.size(); }

private:
    struct Failures
    {
        int count = 0;
        Clock::time_point blockedUntil;
        Clock::time_point lastFailure;
    };
    void record(QHash<QString, Failures> &table, const QString &key, int allowed, Clock::time_point now);
    void forgetStale(Clock::time_point now);

    int m_allowedPerUsername;
    int m_allowedPerAddress;
    std::chrono::seconds m_maxWait;
    QHash<QString, Failures> m_byUsername; // folded to lower case
    QHash<QString, Failures> m_byAddress;
    Clock::time_point m_lastSweep;
};

} // namespace natter::server
