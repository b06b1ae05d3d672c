#include "hostingcontroller.h"

#include "chatserver.h"
#include "lanannouncer.h"
#include "serverannouncement.h"
#include "domain.h"
#include "hostcertificate.h"
#include "tlstrust.h"
#include "store.h"

#include <QDir>
#include <QNetworkInterface>
#include <QUrl>

namespace natter::desktop {

HostingController::HostingController(const QString &dataDir, QObject *parent)
    : QObject(parent)
    , m_dataDir(dataDir)
{
}

HostingController::~HostingController()
{
    m_announcer.reset();
    if (m_server)
        m_server->stop();
}

QString HostingController::fingerprint() const
{
    return m_server ? client::displayFingerprint(m_server->tlsFingerprint()) : QString();
}

QByteArray HostingController::tlsFingerprint() const
{
    return m_server ? m_server->tlsFingerprint() : QByteArray();
}

bool HostingController::running() const
{
    return m_server && m_server->isRunning() && !m_stopping;
}

int HostingController::port() const
{
    return m_server ? m_server->port() : 0;
}

QStringList HostingController::addresses() const
{
    if (!m_server)
        return {};
    const QHostAddress bound = m_server->address();
    const QString port = QString::number(m_server->port());
    if (bound != QHostAddress::AnyIPv4 && bound != QHostAddress::Any)
        return {bound.toString() + u':' + port};
    QStringList all;
    for (const QString &address : localAddresses())
        all.append(address + u':' + port);
    all.append(QStringLiteral("127.0.0.1:") + port);
    return all;
}

QStringList HostingController::localAddresses() const
{
    QStringList lan;
    for (const QHostAddress &address : QNetworkInterface::allAddresses()) {
        if (address.protocol() == QAbstractSocket::IPv4Protocol && !address.isLoopback())
            lan.append(address.toString());
    }
    return lan;
}

QString HostingController::address() const
{
    const QStringList all = addresses();
    return all.isEmpty() ? QString() : all.first();
}

QUrl HostingController::localUrl() const
{
    if (!m_server)
        return {};
    QHostAddress host = m_server->address();
    if (host == QHostAddress::AnyIPv4 || host == QHostAddress::Any)
        host = QHostAddress::LocalHost;
    QUrl url;
    url.setScheme(m_server->isSecure() ? QStringLiteral("https") : QStringLiteral("http"));
    url.setHost(host.toString());
    url.setPort(m_server->port());
    return url;
}

bool HostingController::start(const QString &serverName, const QString &listenAddress, int port)
{
    if (running())
        return true;
    m_error.clear();
    QHostAddress address;
    if (!address.setAddress(listenAddress) || port < 0 || port > 65535) {
        m_error = tr("'%1' is not an address this computer can listen on.").arg(listenAddress);
        emit runningChanged();
        return false;
    }
    if (!QDir().mkpath(m_dataDir)) {
        m_error = tr("Cannot create the folder %1.").arg(m_dataDir);
        emit runningChanged();
        return false;
    }
    server::ServerConfig config;
    config.name = serverName;
    config.listenAddress = address;
    config.listenPort = quint16(port);
    config.dataDir = m_dataDir;
    config.database = server::DatabaseUrl::sqlite(QDir(m_dataDir).filePath(QStringLiteral("natter.db")));
    // TLS by default: a self-signed certificate made the first time, its
    // fingerprint announced on the LAN and shown in the hosting banner.
    QString tlsError;
    const auto certificate = tls::ensureHostCertificate(m_dataDir, serverName, localAddresses(), &tlsError);
    if (!certificate) {
        m_error = tr("Cannot make the server's TLS certificate: %1").arg(tlsError);
        emit runningChanged();
        return false;
    }
    config.tlsCertificateFile = certificate->certificate;
    config.tlsKeyFile = certificate->key;
    m_server = std::make_unique<server::ChatServer>(config);
    if (!m_server->start()) {
        m_error = m_server->errorString();
        m_server.reset();
        emit runningChanged();
        return false;
    }
    m_name = serverName;
    m_connected = 0;
    m_announceError.clear();
    m_announcer = server::announceServer(*m_server, serverName, discovery::DiscoveryChannel{}, &m_announceError);
    connect(m_server.get(), &server::ChatServer::sessionCountChanged, this, [this](int count) {
        m_connected = count;
        emit connectedCountChanged();
    });
    connect(m_server.get(), &server::ChatServer::stopped, this, [this] {
        m_stopping = false;
        m_server.release()->deleteLater();
        m_connected = 0;
        emit connectedCountChanged();
        emit runningChanged();
        emit stopped();
    });
    emit runningChanged();
    return true;
}

void HostingController::stop()
{
    if (!m_server || m_stopping)
        return;
    m_stopping = true;
    m_announcer.reset();
    emit runningChanged();
    m_server->shutdown();
}

bool HostingController::makeAdmin(const QString &username)
{
    if (!m_server)
        return false;
    const auto user = m_server->store().userByName(username);
    return user && m_server->store().setUserRole(user->id, UserRole::Admin);
}

} // namespace natter::desktop
