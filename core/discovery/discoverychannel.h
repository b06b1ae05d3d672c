#pragma once

// Where Natter's LAN beacons travel: one IPv4 multicast group and UDP port
// (plus broadcast to the same port, for networks without multicast routing).
// Announcer and browser must agree on it; tests pick their own port.

#include <QHostAddress>
#include <chrono>

namespace natter::discovery {

struct DiscoveryChannel
{
    static constexpr quint16 defaultPort = 47474;
    static QHostAddress defaultGroup() { return QHostAddress(QStringLiteral("239.255.74.74")); }

    QHostAddress group = defaultGroup(); // in 239.255.0.0/16, the site-local scope
    quint16 port = defaultPort;
    // How often a server announces itself; a browser drops a server it has
    // not heard for a little over three of these.
    std::chrono::milliseconds interval{2000};

    std::chrono::milliseconds expiry() const { return interval * 7 / 2; }
};

} // namespace natter::discovery
