#pragma once

// Exponential backoff with jitter: initial, initial·factor, … up to the
// maximum, each spread by ±jitter so many clients don't reconnect in step.

#include <QRandomGenerator>
#include <chrono>

namespace natter::client {

class ReconnectPolicy
{
public:
    ReconnectPolicy(std::chrono::milliseconds initial = std::chrono::milliseconds(500),
                    std::chrono::milliseconds maximum = std::chrono::seconds(30), double factor = 2.0,
                    double jitter = 0.2);

    std::chrono::milliseconds nextDelay(); // counts an attempt
    void reset();
    int attempts() const { return m_attempts; }
    // For deterministic tests.
    void setRandomGenerator(QRandomGenerator generator) { m_random = generator; }

private:
    std::chrono::milliseconds m_initial;
    std::chrono::milliseconds m_maximum;
    double m_factor;
    double m_jitter;
    int m_attempts = 0;
    QRandomGenerator m_random;
};

} // namespace natter::client
