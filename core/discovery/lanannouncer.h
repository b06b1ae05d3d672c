#pragma once

// Sends a server's LanBeacon every channel interval (and once at start) to the
// channel's multicast group on each up IPv4 interface, and as broadcast, so it
// is heard where multicast is not routed.

#include "discoverychannel.h"
#include "lanbeacon.h"

#include <QObject>
#include <QSet>
#include <QTimer>
#include <QUdpSocket>

namespace natter::discovery {

class LanAnnouncer : public QObject
{
    Q_OBJECT
public:
    explicit LanAnnouncer(LanBeacon beacon, DiscoveryChannel channel = {}, QObject *parent = nullptr);

    // The address the server listens on. Any (the default): announce on every
    // interface. A specific address: announce only through the interface that
    // owns it, from that address (loopback: only this machine hears it).
    void setServerAddress(const QHostAddress &address) { m_serverAddress = address; }

    bool start(); // false (see errorString) when the socket cannot be bound
    void stop();
    bool isRunning() const { return m_timer.isActive(); }
    QString errorString() const { return m_error; }
    const LanBeacon &beacon() const { return m_beacon; }
    // What later announcements say (e.g. a reloaded certificate's fingerprint).
    void setBeacon(LanBeacon beacon) { m_beacon = std::move(beacon); }

signals:
    // After each round; `sent` counts the datagrams that left.
    void announced(int sent);

private:
    void announce();
    bool sendTo(const QHostAddress &destination, const QByteArray &datagram);
    bool announcesOn(const QNetworkInterface &interface) const;

    LanBeacon m_beacon;
    DiscoveryChannel m_channel;
    QHostAddress m_serverAddress = QHostAddress::AnyIPv4;
    QUdpSocket m_socket;
    QTimer m_timer;
    QString m_error;
    QSet<QString> m_reportedFailures; // log each failing destination once, not every round
    bool m_reportedSilence = false;
};

} // namespace natter::discovery
