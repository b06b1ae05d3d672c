#pragma once

// A token bucket per key (a user, an address): `rate` tokens a second, at
// most `burst` saved up. take() spends one if there is one. Keys whose bucket
// is full again are forgotten, so memory follows the keys active lately.
// One thread; the clock is passed in, so tests need not wait.

#include <QHash>
#include <chrono>

namespace natter::server {

class RateLimiter
{
public:
    using Clock = std::chrono::steady_clock;

    // rate <= 0: no limit (take() always succeeds).
    RateLimiter(double ratePerSecond, int burst);

    bool enabled() const { return m_rate > 0; }
    // Spends a token for `key`; false (nothing spent) when none is left.
    bool take(qint64 key, Clock::time_point now = Clock::now());
    // How long until `key` has a token again (zero if it has one now).
    std::chrono::milliseconds retryAfter(qint64 key, Clock::time_point now = Clock::now()) const;
    // Keys remembered now (tests).
    qsizetype trackedKeys() const { return m_buckets.size(); }

private:
    struct Bucket
    {
        double tokens = 0;
        Clock::time_point updated;
    };
    double refilled(const Bucket &bucket, Clock::time_point now) const;
    void forgetFullBuckets(Clock::time_point now);

    double m_rate;
    double m_burst;
    QHash<qint64, Bucket> m_buckets;
    Clock::time_point m_lastSweep;
};

} // namespace natter::server
