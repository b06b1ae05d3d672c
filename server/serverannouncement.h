#pragma once

// Announcing a running ChatServer on the LAN: its main port and the dialect
// doors on that port. Shared by `natter --headless` and the app's hosting.

#include "discoverychannel.h"
#include "lanannouncer.h"

#include <memory>

namespace natter::server {
class ChatServer;
}

namespace natter::server {

// The beacon for `server` (which must be running), named `name`, with the id
// kept in the server's data directory.
discovery::LanBeacon beaconFor(const server::ChatServer &server, const QString &name);

// An announcer for `server`, already started; nullptr (with `error`) when it
// cannot start.
// The same for a beacon made earlier (beaconFor on the server's thread), for a
// server that runs on another thread than the announcer.
std::unique_ptr<discovery::LanAnnouncer> announceBeacon(const discovery::LanBeacon &beacon,
                                                        const QHostAddress &serverAddress,
                                                        const discovery::DiscoveryChannel &channel, QString *error);
std::unique_ptr<discovery::LanAnnouncer> announceServer(const server::ChatServer &server, const QString &name,
                                                        const discovery::DiscoveryChannel &channel,
                                                        QString *error);

} // namespace natter::server
