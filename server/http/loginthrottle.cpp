#include "loginthrottle.h"

#include <algorithm>

namespace natter::server {

namespace {
using std::chrono::duration_cast;
using std::chrono::milliseconds;

milliseconds remaining(LoginThrottle::Clock::time_point until, LoginThrottle::Clock::time_point now)
{
    return until > now ? duration_cast<milliseconds>(until - now) + milliseconds(1) : milliseconds(0);
}
} // namespace

LoginThrottle::LoginThrottle(int allowedPerUsername, int allowedPerAddress, std::chrono::seconds maxWait)
    : m_allowedPerUsername(allowedPerUsername)
    , m_allowedPerAddress(allowedPerAddress)
    , m_maxWait(maxWait)
{
}

milliseconds LoginThrottle::waitFor(const QString &username, const QString &address, Clock::time_point now)
{
    if (now - m_lastSweep >= m_maxWait)
        forgetStale(now);
    milliseconds wait(0);
    if (const auto it = m_byUsername.constFind(username.toLower()); it != m_byUsername.constEnd())
        wait = std::max(wait, remaining(it->blockedUntil, now));
    if (const auto it = m_byAddress.constFind(address); it != m_byAddress.constEnd())
        wait = std::max(wait, remaining(it->blockedUntil, now));
    return wait;
}

void LoginThrottle::failed(const QString &username, const QString &address, Clock::time_point now)
{
    record(m_byUsername, username.toLower(), m_allowedPerUsername, now);
    record(m_byAddress, address, m_allowedPerAddress, now);
}

void LoginThrottle::succeeded(const QString &username, const QString &address)
{
    m_byUsername.remove(username.toLower());
    m_byAddress.remove(address);
}

void LoginThrottle::record(QHash<QString, Failures> &table, const QString &key, int allowed, Clock::time_point now)
{
    if (allowed <= 0)
        return; // this limit is off
    Failures &failures = table[key];
    ++failures.count;
    failures.lastFailure = now;
    const int beyond = failures.count - allowed; // 1 for the first failure past the allowance
    if (beyond <= 0)
        return;
    const auto wait = std::min<std::chrono::seconds>(m_maxWait, std::chrono::seconds(1LL << std::min(beyond - 1, 30)));
    failures.blockedUntil = now + wait;
}

void LoginThrottle::forgetStale(Clock::time_point now)
{
    m_lastSweep = now;
    const auto stale = [this, now](const auto &entry) {
        return entry.value().blockedUntil <= now && now - entry.value().lastFailure >= m_maxWait;
    };
    m_byUsername.removeIf(stale);
    m_byAddress.removeIf(stale);
}

} // namespace natter::server
