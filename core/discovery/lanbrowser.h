#pragma once

// Listens on a DiscoveryChannel: joins the multicast group on every interface
// that can take it, receives broadcasts on the same port, and reports each
// valid beacon with the address it came from. Junk is dropped quietly.

#include "discoverychannel.h"
#include "lanbeacon.h"

#include <QObject>
#include <QUdpSocket>

namespace natter::discovery {

class LanBrowser : public QObject
{
    Q_OBJECT
public:
    explicit LanBrowser(DiscoveryChannel channel = {}, QObject *parent = nullptr);

    // false (see errorString) when the port cannot be bound. Port 0 in the
    // channel binds a port the OS picks (tests): see boundPort().
    bool start();
    void stop();
    bool isListening() const { return m_socket.state() == QAbstractSocket::BoundState; }
    quint16 boundPort() const { return m_socket.localPort(); }
    int joinedInterfaceCount() const { return m_joinedInterfaces; }
    QString errorString() const { return m_error; }

signals:
    void beaconReceived(const natter::discovery::LanBeacon &beacon, const QHostAddress &sender);

private:
    void readDatagrams();
    void joinGroupEverywhere();

    DiscoveryChannel m_channel;
    QUdpSocket m_socket;
    int m_joinedInterfaces = 0;
    QString m_error;
};

} // namespace natter::discovery
