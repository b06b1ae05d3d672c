#pragma once

// One port: an HTTP server with the REST routes and the dialect doors mounted
// on it, behind a FrontDoor that sees every connection's first request head.
// A WebSocket upgrade for a door that admits it is served by our own
// transport (WebSocketConnection), which also selects the door's subprotocol
// (cable's actioncable-v1-json; QHttpServer 6.4 cannot): on the raw
// descriptor on plain ports, through a TlsBridge on TLS ones. Upgrades
// QHttpServer runs (a WebSocket asked for after a request on a kept-alive
// connection) reach the endpoints as QtWebSocketPipe; either way the
// endpoint gets an UpgradedSocket.

#include "frontdoor.h"

#include <QHostAddress>
#include <QNetworkRequest>
#include <map>
#include <memory>
#include <vector>

class QHttpServer;
class QTcpSocket;
class QWebSocket;

namespace natter::tls {
class TlsCredentials;
}

namespace natter::server {

class DialectEndpoint;

class Listener
{
public:
    // `maxFrameBytes`: the incoming frame and message limit of every socket.
    // `tls`: null for plain HTTP, else the credentials (outliving the listener) every connection is served with.
    // `doorLimits`: request heads and connections per address (FrontDoor).
    Listener(qint64 maxFrameBytes, const tls::TlsCredentials *tls, FrontDoor::Limits doorLimits = {});
    ~Listener();
    Listener(const Listener &) = delete;
    Listener &operator=(const Listener &) = delete;

    QHttpServer &http() { return *m_http; }
    // Registers the endpoint's routes and takes its upgrades from now on.
    void mount(std::unique_ptr<DialectEndpoint> endpoint);
    bool listen(const QHostAddress &address, quint16 port);
    quint16 port() const;
    // Stops accepting connections; open sockets stay.
    void close();
    // Ends every session (they are children of their endpoints).
    void clearEndpoints();

private:
    void takeHttpUpgrades();
    bool claimUpgrade(QTcpSocket *socket, const QNetworkRequest &upgrade, qsizetype headBytes);
    DialectEndpoint *endpointFor(const QString &path) const;
    void accept(DialectEndpoint &endpoint, std::unique_ptr<QWebSocket> socket) const;

    qint64 m_maxFrameBytes;
    const tls::TlsCredentials *m_tls;
    FrontDoor::Limits m_doorLimits;
    std::unique_ptr<QHttpServer> m_http;
    std::vector<std::unique_ptr<DialectEndpoint>> m_endpoints;
};

} // namespace natter::server
