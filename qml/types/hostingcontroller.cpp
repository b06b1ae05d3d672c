#include "hostingcontroller.h"

#include "chatserver.h"
#include "lanannouncer.h"
#include "lanbeacon.h"
#include "serverannouncement.h"
#include "domain.h"
#include "hostcertificate.h"
#include "tlstrust.h"
#include "store.h"
#include "epolleventdispatcher.h"
#include "threadsanitizer.h"

#include <QDir>
#include <QPointer>
#include <QScopeGuard>
#include <QNetworkInterface>
#include <QUrl>

namespace natter::desktop {

HostingController::HostingController(const QString &dataDir, QObject *parent)
    : QObject(parent)
    , m_dataDir(dataDir)
{
    m_thread.setObjectName(QStringLiteral("natter-hosted-server"));
    // As headless: the server's sockets on epoll, not on a poll() of them all per pass.
    if (auto dispatcher = engine::createServerEventDispatcher())
        m_thread.setEventDispatcher(dispatcher.release());
}

HostingController::~HostingController()
{
    m_announcer.reset();
    if (m_server) {
        // Stopped and deleted on its own thread, before that thread ends.
        server::ChatServer *server = m_server;
        m_server = nullptr;
        QMetaObject::invokeMethod(server, [server] { delete server; }, Qt::BlockingQueuedConnection);
    }
    m_thread.quit();
    m_thread.wait();
}

QString HostingController::fingerprint() const
{
    return m_server ? client::displayFingerprint(m_started.fingerprint) : QString();
}

QByteArray HostingController::tlsFingerprint() const
{
    return m_server ? m_started.fingerprint : QByteArray();
}

bool HostingController::running() const
{
    return m_server && !m_stopping;
}

int HostingController::port() const
{
    return m_server ? m_started.port : 0;
}

QStringList HostingController::addresses() const
{
    if (!m_server)
        return {};
    const QHostAddress bound = m_started.address;
    const QString port = QString::number(m_started.port);
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
    QHostAddress host = m_started.address;
    if (host == QHostAddress::AnyIPv4 || host == QHostAddress::Any)
        host = QHostAddress::LocalHost;
    QUrl url;
    url.setScheme(m_started.secure ? QStringLiteral("https") : QStringLiteral("http"));
    url.setHost(host.toString());
    url.setPort(m_started.port);
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
    if (!m_thread.isRunning())
        m_thread.start();
    auto *server = new server::ChatServer(config);
    server->moveToThread(&m_thread);
    // The one wait on the server's thread: until it listens (or could not).
    bool listening = false;
    QString error;
    Started started;
    discovery::LanBeacon beacon;
    QMetaObject::invokeMethod(server, [&] {
        // What this writes is read here once the call returns, ordered by the
        // QSemaphore the blocking call waits on, which ThreadSanitizer cannot see
        // (Qt is not instrumented; threadsanitizer.h).
        const auto handBack = qScopeGuard([&] { tsan::release(&listening); });
        listening = server->start();
        if (!listening) {
            error = server->errorString();
            return;
        }
        started = {server->port(), server->address(), server->isSecure(), server->tlsFingerprint(),
                   server->config().tlsKeyFile};
        beacon = server::beaconFor(*server, serverName);
    }, Qt::BlockingQueuedConnection);
    tsan::acquire(&listening);
    if (!listening) {
        m_error = error;
        QMetaObject::invokeMethod(server, [server] { delete server; }, Qt::BlockingQueuedConnection);
        emit runningChanged();
        return false;
    }
    m_server = server;
    m_started = started;
    m_name = serverName;
    m_connected = 0;
    m_announceError.clear();
    m_announcer = server::announceBeacon(beacon, started.address, discovery::DiscoveryChannel{}, &m_announceError);
    // Cross-thread: these arrive queued, on this thread.
    connect(m_server, &server::ChatServer::sessionCountChanged, this, [this](int count) {
        m_connected = count;
        emit connectedCountChanged();
    });
    connect(m_server, &server::ChatServer::stopped, this, [this] {
        if (!m_server)
            return;
        m_stopping = false;
        m_server->deleteLater(); // on its own thread
        m_server = nullptr;
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
    QMetaObject::invokeMethod(m_server, [server = m_server] { server->shutdown(); });
}

void HostingController::makeAdmin(const QString &username)
{
    if (!m_server)
        return emit adminMade(username, false);
    QPointer<HostingController> self(this);
    QMetaObject::invokeMethod(m_server, [server = m_server, username, self] {
        const auto user = server->store().userByName(username);
        const bool ok = user && server->store().setUserRole(user->id, UserRole::Admin);
        // Back on the GUI thread, if the controller is still there.
        QMetaObject::invokeMethod(self.data(), [self, username, ok] {
            if (self)
                emit self->adminMade(username, ok);
        });
    });
}

} // namespace natter::desktop
