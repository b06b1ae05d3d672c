#include "serverannouncement.h"

#include "chatserver.h"
#include "lanserverid.h"

namespace natter::server {

discovery::LanBeacon beaconFor(const server::ChatServer &server, const QString &name)
{
    discovery::LanBeacon beacon;
    beacon.id = discovery::LanServerId::loadOrCreate(server.config().dataDir);
    beacon.name = name.trimmed().left(100);
    beacon.port = server.port();
    beacon.tlsFingerprint = server.tlsFingerprint();
    // Doors on extra ports are left out: the beacon names one port.
    for (const server::Mount &mount : server::effectiveMounts(server.config())) {
        if (mount.port != server::Mount::mainPort || beacon.dialects.contains(mount.dialect))
            continue;
        beacon.dialects.append(mount.dialect);
        beacon.paths.insert(mount.dialect, mount.path);
    }
    return beacon;
}

std::unique_ptr<discovery::LanAnnouncer> announceBeacon(const discovery::LanBeacon &beacon,
                                                        const QHostAddress &serverAddress,
                                                        const discovery::DiscoveryChannel &channel, QString *error)
{
    auto announcer = std::make_unique<discovery::LanAnnouncer>(beacon, channel);
    announcer->setServerAddress(serverAddress);
    if (!announcer->start()) {
        *error = announcer->errorString();
        return nullptr;
    }
    return announcer;
}

std::unique_ptr<discovery::LanAnnouncer> announceServer(const server::ChatServer &server, const QString &name,
                                                        const discovery::DiscoveryChannel &channel,
                                                        QString *error)
{
    return announceBeacon(beaconFor(server, name), server.address(), channel, error);
}

} // namespace natter::server
