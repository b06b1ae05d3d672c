#include "lanbrowser.h"

#include <QLoggingCategory>
#include <QNetworkDatagram>
#include <QNetworkInterface>

Q_LOGGING_CATEGORY(lcBrowser, "natter.discovery.browser", QtInfoMsg)

namespace natter::discovery {

LanBrowser::LanBrowser(DiscoveryChannel channel, QObject *parent)
    : QObject(parent)
    , m_channel(std::move(channel))
{
    connect(&m_socket, &QUdpSocket::readyRead, this, &LanBrowser::readDatagrams);
}

bool LanBrowser::start()
{
    if (isListening())
        return true;
    // Every Natter app on this machine listens on the same port.
    if (!m_socket.bind(QHostAddress(QHostAddress::AnyIPv4), m_channel.port,
                       QAbstractSocket::ShareAddress | QAbstractSocket::ReuseAddressHint)) {
        m_error = QStringLiteral("Cannot listen for LAN servers on UDP port %1: %2")
                      .arg(m_channel.port)
                      .arg(m_socket.errorString());
        return false;
    }
    joinGroupEverywhere();
    return true;
}

void LanBrowser::stop()
{
    m_socket.close();
    m_joinedInterfaces = 0;
}

void LanBrowser::joinGroupEverywhere()
{
    m_joinedInterfaces = 0;
    for (const QNetworkInterface &interface : QNetworkInterface::allInterfaces()) {
        const auto flags = interface.flags();
        // Linux takes multicast on lo although lo does not claim the flag.
        const bool capable = flags.testFlag(QNetworkInterface::CanMulticast)
            || flags.testFlag(QNetworkInterface::IsLoopBack);
        if (!flags.testFlag(QNetworkInterface::IsUp) || !capable)
            continue;
        const auto entries = interface.addressEntries();
        const bool hasIpv4 = std::any_of(entries.cbegin(), entries.cend(), [](const QNetworkAddressEntry &entry) {
            return entry.ip().protocol() == QAbstractSocket::IPv4Protocol;
        });
        if (!hasIpv4)
            continue;
        // One interface refusing must not cost the others.
        if (m_socket.joinMulticastGroup(m_channel.group, interface))
            ++m_joinedInterfaces;
        else
            qCDebug(lcBrowser) << "cannot join" << m_channel.group << "on" << interface.name() << ':'
                               << m_socket.errorString();
    }
    if (m_joinedInterfaces == 0)
        qCInfo(lcBrowser) << "joined the discovery group on no interface; hearing broadcasts only";
}

void LanBrowser::readDatagrams()
{
    while (m_socket.hasPendingDatagrams()) {
        // Read one byte past the limit so that oversize datagrams show as such.
        const QNetworkDatagram datagram = m_socket.receiveDatagram(LanBeacon::maxDatagramBytes + 1);
        if (!datagram.isValid())
            continue;
        const auto beacon = LanBeacon::decode(datagram.data());
        if (!beacon) {
            qCDebug(lcBrowser) << "ignored a datagram that is not a beacon from" << datagram.senderAddress();
            continue;
        }
        bool isIpv4 = false;
        const quint32 ipv4 = datagram.senderAddress().toIPv4Address(&isIpv4);
        emit beaconReceived(*beacon, isIpv4 ? QHostAddress(ipv4) : datagram.senderAddress());
    }
}

} // namespace natter::discovery
