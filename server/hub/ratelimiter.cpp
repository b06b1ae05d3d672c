#include "ratelimiter.h"

#include <algorithm>
#include <cmath>

namespace natter::server {

namespace {
// How often full buckets are swept out.
constexpr std::chrono::seconds sweepInterval{30};
} // namespace

RateLimiter::RateLimiter(double ratePerSecond, int burst)
    : m_rate(ratePerSecond)
    , m_burst(std::max(1, burst))
{
}

double RateLimiter::refilled(const Bucket &bucket, Clock::time_point now) const
{
    const double seconds = std::chrono::duration<double>(now - bucket.updated).count();
    return std::min(m_burst, bucket.tokens + std::max(0.0, seconds) * m_rate);
}

bool RateLimiter::take(qint64 key, Clock::time_point now)
{
    if (!enabled())
        return true;
    if (now - m_lastSweep >= sweepInterval)
        forgetFullBuckets(now);
    auto it = m_buckets.find(key);
    if (it == m_buckets.end())
        it = m_buckets.insert(key, {m_burst, now});
    const double tokens = refilled(*it, now);
    it->updated = now;
    if (tokens < 1.0) {
        it->tokens = tokens;
        return false;
    }
    it->tokens = tokens - 1.0;
    return true;
}

std::chrono::milliseconds RateLimiter::retryAfter(qint64 key, Clock::time_point now) const
{
    const auto it = m_buckets.constFind(key);
    if (!enabled() || it == m_buckets.constEnd())
        return std::chrono::milliseconds(0);
    const double missing = 1.0 - refilled(*it, now);
    if (missing <= 0)
        return std::chrono::milliseconds(0);
    return std::chrono::milliseconds(qint64(std::ceil(missing / m_rate * 1000.0)));
}

void RateLimiter::forgetFullBuckets(Clock::time_point now)
{
    m_lastSweep = now;
    m_buckets.removeIf([this, now](const auto &entry) { return refilled(entry.value(), now) >= m_burst; });
}

} // namespace natter::server
