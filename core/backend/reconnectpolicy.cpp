#include "reconnectpolicy.h"

#include <algorithm>
#include <cmath>

namespace natter::client {

ReconnectPolicy::ReconnectPolicy(std::chrono::milliseconds initial, std::chrono::milliseconds maximum,
                                 double factor, double jitter)
    : m_initial(initial)
    , m_maximum(maximum)
    , m_factor(factor)
    , m_jitter(jitter)
    , m_random(QRandomGenerator::securelySeeded())
{
}

std::chrono::milliseconds ReconnectPolicy::nextDelay()
{
    const double base = std::min(static_cast<double>(m_maximum.count()),
                                 static_cast<double>(m_initial.count()) * std::pow(m_factor, m_attempts));
    ++m_attempts;
    const double spread = (m_random.generateDouble() * 2.0 - 1.0) * m_jitter; // [-jitter, +jitter)
    const double delay = std::clamp(base * (1.0 + spread), 1.0, static_cast<double>(m_maximum.count()));
    return std::chrono::milliseconds(static_cast<qint64>(delay));
}

void ReconnectPolicy::reset()
{
    m_attempts = 0;
}

} // namespace natter::client
