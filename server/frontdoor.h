#pragma once

// A listening socket in front of QHttpServer. QHttpServer 6.4 runs WebSocket
// handshakes in a QWebSocketServer it keeps private, so its 101 can never
// select a subprotocol. The front door waits for each connection's first
// request head, only peeking at it, and offers a WebSocket upgrade to `claim`
// (which runs the handshake in a QWebSocketServer of our own); every other
// connection goes on to QHttpServer with its bytes untouched.
// Only a connection's first request is looked at: an upgrade that follows a
// request on a kept-alive connection is QHttpServer's, as before.

#include <QNetworkRequest>
#include <QTcpServer>
#include <chrono>
#include <functional>

class QTimer;

namespace natter::server {

class FrontDoor : public QTcpServer
{
    Q_OBJECT
public:
    // Takes over the socket and returns true, or returns false to leave it to QHttpServer.
    using UpgradeClaim = std::function<bool(QTcpSocket *socket, const QNetworkRequest &upgrade)>;

    // A head not complete by then is dropped; a longer one gets 431.
    static constexpr std::chrono::seconds headTimeout{10};
    static constexpr qint64 maxHeadBytes = 32 * 1024;

    explicit FrontDoor(UpgradeClaim claim, QObject *parent = nullptr);

protected:
    void incomingConnection(qintptr handle) override;

private:
    void inspect(QTcpSocket *socket, QTimer *deadline);
    void refuseOversizedHead(QTcpSocket *socket);
    void passOn(QTcpSocket *socket);

    UpgradeClaim m_claim;
};

} // namespace natter::server
