#include "lanannouncer.h"

#include <QLoggingCategory>
#include <QNetworkDatagram>
#include <QNetworkInterface>
#include <QVariant>

Q_LOGGING_CATEGORY(lcAnnouncer, "natter.discovery.announcer", QtInfoMsg)

namespace natter::discovery {
namespace {

bool isAnyAddress(const QHostAddress &address)
{
    return address == QHostAddress::AnyIPv4 || address == QHostAddress::Any
        || address == QHostAddress::AnyIPv6;
}

QList<QNetworkAddressEntry> ipv4Entries(const QNetworkInterface &interface)
{
    QList<QNetworkAddressEntry> entries;
    for (const QNetworkAddressEntry &entry : interface.addressEntries()) {
        if (entry.ip().protocol() == QAbstractSocket::IPv4Protocol)
            entries.append(entry);
    }
    return entries;
}

} // namespace

LanAnnouncer::LanAnnouncer(LanBeacon beacon, DiscoveryChannel channel, QObject *parent)
    : QObject(parent)
    , m_beacon(std::move(beacon))
    , m_channel(std::move(channel))
{
    m_timer.setInterval(m_channel.interval);
    connect(&m_timer, &QTimer::timeout, this, &LanAnnouncer::announce);
}

bool LanAnnouncer::start()
{
    if (isRunning())
        return true;
    // Bound to the server's own address, the datagrams carry it as their
    // sender, which is what browsers show.
    const QHostAddress bindAddress = isAnyAddress(m_serverAddress) ? QHostAddress(QHostAddress::AnyIPv4)
                                                                   : m_serverAddress;
    if (m_socket.state() != QAbstractSocket::BoundState && !m_socket.bind(bindAddress, 0)) {
        m_error = QStringLiteral("Cannot bind the LAN announcer to %1: %2")
                      .arg(bindAddress.toString(), m_socket.errorString());
        return false;
    }
    m_socket.setSocketOption(QAbstractSocket::MulticastTtlOption, 1); // never past the first router
    m_socket.setSocketOption(QAbstractSocket::MulticastLoopbackOption, 1); // apps on this machine hear it
    m_timer.start();
    announce();
    return true;
}

void LanAnnouncer::stop()
{
    m_timer.stop();
    m_socket.close();
}

bool LanAnnouncer::announcesOn(const QNetworkInterface &interface) const
{
    if (!interface.flags().testFlag(QNetworkInterface::IsUp))
        return false;
    const QList<QNetworkAddressEntry> entries = ipv4Entries(interface);
    if (isAnyAddress(m_serverAddress))
        return !entries.isEmpty();
    return std::any_of(entries.cbegin(), entries.cend(),
                       [this](const QNetworkAddressEntry &entry) { return entry.ip() == m_serverAddress; });
}

void LanAnnouncer::announce()
{
    const QByteArray datagram = m_beacon.encode();
    int sent = 0;
    QSet<QHostAddress> broadcastTargets;
    for (const QNetworkInterface &interface : QNetworkInterface::allInterfaces()) {
        if (!announcesOn(interface))
            continue;
        // Linux delivers multicast on lo although lo does not claim the flag.
        const auto flags = interface.flags();
        if (flags.testFlag(QNetworkInterface::CanMulticast) || flags.testFlag(QNetworkInterface::IsLoopBack)) {
            m_socket.setMulticastInterface(interface);
            if (sendTo(m_channel.group, datagram))
                ++sent;
        }
        if (flags.testFlag(QNetworkInterface::CanBroadcast)) {
            for (const QNetworkAddressEntry &entry : ipv4Entries(interface)) {
                if (!entry.broadcast().isNull())
                    broadcastTargets.insert(entry.broadcast());
            }
        }
    }
    if (isAnyAddress(m_serverAddress) && !broadcastTargets.isEmpty())
        broadcastTargets.insert(QHostAddress(QHostAddress::Broadcast));
    for (const QHostAddress &target : std::as_const(broadcastTargets)) {
        if (sendTo(target, datagram))
            ++sent;
    }
    if (sent == 0 && !m_reportedSilence) {
        m_reportedSilence = true;
        qCWarning(lcAnnouncer) << "no interface took the LAN beacon; the server is not announced";
    }
    emit announced(sent);
}

bool LanAnnouncer::sendTo(const QHostAddress &destination, const QByteArray &datagram)
{
    if (m_socket.writeDatagram(datagram, destination, m_channel.port) == datagram.size())
        return true;
    // An interface without a route is normal (e.g. broadcast in a bare
    // namespace): say it once, at debug level, and keep announcing elsewhere.
    const QString key = destination.toString() + u'/' + m_socket.multicastInterface().name();
    if (!m_reportedFailures.contains(key)) {
        m_reportedFailures.insert(key);
        qCDebug(lcAnnouncer) << "cannot send the beacon to" << destination << "via"
                             << m_socket.multicastInterface().name() << ':' << m_socket.errorString();
    }
    return false;
}

} // namespace natter::discovery
