#include "listener.h"

#include "connectionsperaddress.h"

#include "dialectendpoint.h"
#include "frontdoor.h"
#include "websocketconnection.h"

#include <QHttpServer>
#include <QTcpServer>
#include <QTcpSocket>
#include <QWebSocket>

namespace natter::server {
namespace {

// A QWebSocket does not own the QTcpSocket it was upgraded from: make that
// socket its child, so it goes when the session deletes the QWebSocket.
// The QWebSocket takes its TCP socket as a child, so that the two live, move
// to a socket thread and go together.
void adoptTransport(QWebSocket &webSocket, const QObject &holder,
                    Qt::FindChildOptions options = Qt::FindDirectChildrenOnly)
{
    const auto transports = holder.findChildren<QTcpSocket *>(options);
    for (QTcpSocket *transport : transports) {
        if (transport->peerPort() == webSocket.peerPort() && transport->peerAddress() == webSocket.peerAddress()) {
            transport->setParent(&webSocket);
            return;
        }
    }
}

} // namespace

Listener::Listener(qint64 maxFrameBytes, const tls::TlsCredentials *tls, FrontDoor::Limits doorLimits)
    : m_maxFrameBytes(maxFrameBytes)
    , m_tls(tls)
    , m_doorLimits(doorLimits)
    , m_http(std::make_unique<QHttpServer>())
{
    QObject::connect(m_http.get(), &QHttpServer::newWebSocketConnection, m_http.get(),
                     [this] { takeHttpUpgrades(); });
}

Listener::~Listener()
{
    clearEndpoints();
}

void Listener::mount(std::unique_ptr<DialectEndpoint> endpoint)
{
    endpoint->registerRoutes(*m_http);
    m_endpoints.push_back(std::move(endpoint));
}

bool Listener::listen(const QHostAddress &address, quint16 port)
{
    auto door = std::make_unique<FrontDoor>(
        [this](QTcpSocket *socket, const QNetworkRequest &upgrade, qsizetype headBytes) {
            return claimUpgrade(socket, upgrade, headBytes);
        },
        m_tls, m_doorLimits);
    if (!door->listen(address, port))
        return false;
    m_http->bind(door.release()); // parents it to the HTTP server
    return true;
}

quint16 Listener::port() const
{
    const QList<QTcpServer *> servers = m_http->servers();
    return servers.isEmpty() ? 0 : servers.first()->serverPort();
}

void Listener::close()
{
    for (QTcpServer *server : m_http->servers())
        server->close();
}

void Listener::clearEndpoints()
{
    m_endpoints.clear();
}

void Listener::takeHttpUpgrades()
{
    while (std::unique_ptr<QWebSocket> socket = m_http->nextPendingWebSocketConnection()) {
        DialectEndpoint *owner = endpointFor(socket->requestUrl().path());
        if (!owner) {
            socket->close(QWebSocketProtocol::CloseCodePolicyViolated, QStringLiteral("Unknown path"));
            socket.release()->deleteLater();
            continue;
        }
        adoptTransport(*socket, *m_http, Qt::FindChildrenRecursively);
        accept(*owner, std::move(socket));
    }
}

bool Listener::claimUpgrade(QTcpSocket *socket, const QNetworkRequest &upgrade, qsizetype headBytes)
{
    DialectEndpoint *owner = endpointFor(upgrade.url().path());
    // Not ours, or refused before the upgrade: QHttpServer's route answers as before.
    if (!owner || !owner->admitsUpgrade(upgrade))
        return false;
    // Plain and TLS alike: our own transport (TLS through a TlsBridge).
    std::unique_ptr<WebSocketConnection> connection =
        WebSocketConnection::upgrade(*socket, headBytes, upgrade, owner->subprotocols(), m_maxFrameBytes);
    if (!connection)
        return false; // not a valid opening handshake: QHttpServer answers it as before
    if (!m_tls) {
        ConnectionsPerAddress::transfer(socket, connection.get()); // the connection lives on in it
        socket->deleteLater(); // it has handed over its descriptor
    }
    UpgradedSocket upgraded{upgrade, QString::fromUtf8(upgrade.rawHeader("Origin")), std::move(connection)};
    owner->accept(std::move(upgraded));
    return true;
}

DialectEndpoint *Listener::endpointFor(const QString &path) const
{
    for (const auto &endpoint : m_endpoints) {
        if (endpoint->handlesPath(path))
            return endpoint.get();
    }
    return nullptr;
}

void Listener::accept(DialectEndpoint &endpoint, std::unique_ptr<QWebSocket> socket) const
{
    socket->setMaxAllowedIncomingFrameSize(static_cast<quint64>(m_maxFrameBytes));
    socket->setMaxAllowedIncomingMessageSize(static_cast<quint64>(m_maxFrameBytes));
    UpgradedSocket upgraded{socket->request(), socket->origin(), nullptr};
    upgraded.transport = std::make_unique<QtWebSocketPipe>(std::move(socket));
    endpoint.accept(std::move(upgraded));
}

} // namespace natter::server
