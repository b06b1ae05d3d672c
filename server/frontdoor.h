#pragma once

// A listening socket in front of QHttpServer. The front door waits for each
// connection's first request head, only peeking at it, and offers a WebSocket
// upgrade to `claim` (the listener: its own RFC 6455 transport takes the
// descriptor on a plain port, the decrypted stream through a TlsBridge on TLS);
// every other connection goes on to QHttpServer with its bytes untouched.
// Only a connection's first request is looked at: an upgrade that follows a
// request on a kept-alive connection is QHttpServer's, as before.
// With TLS credentials every connection is a QSslSocket: its first byte says
// whether it starts a TLS handshake (0x16); plain HTTP gets a 400 that says to
// use https://, and the head is inspected once the handshake is done.

#include <QNetworkRequest>
#include <QTcpServer>
#include <chrono>
#include <functional>

class QSslSocket;
class QTimer;

namespace natter::tls {
class TlsCredentials;
}

namespace natter::server {

class ConnectionsPerAddress;

class FrontDoor : public QTcpServer
{
    Q_OBJECT
public:
    // Takes over the socket and returns true, or returns false to leave it to
    // QHttpServer. The socket has buffered the request head, `headBytes` long.
    using UpgradeClaim =
        std::function<bool(QTcpSocket *socket, const QNetworkRequest &upgrade, qsizetype headBytes)>;

    struct Limits
    {
        // A head (after the TLS handshake, which counts too) not complete by
        // then is dropped (slowloris); a longer one gets 431.
        std::chrono::milliseconds headTimeout{10'000};
        qint64 maxHeadBytes = 32 * 1024;
        // Null: connections are not counted per address. Else one past its
        // limit gets 429 (plain HTTP) or is closed (TLS) at once.
        ConnectionsPerAddress *perAddress = nullptr;
    };

    // `tls`: null for plain HTTP; else outlives the door and is read at each handshake.
    FrontDoor(UpgradeClaim claim, const tls::TlsCredentials *tls, Limits limits, QObject *parent = nullptr);

protected:
    void incomingConnection(qintptr handle) override;

private:
    void startTls(QSslSocket *socket, QTimer *deadline);
    void refusePlainHttp(QTcpSocket *socket);
    void inspect(QTcpSocket *socket, QTimer *deadline);
    void refuseOversizedHead(QTcpSocket *socket);
    void passOn(QTcpSocket *socket);

    UpgradeClaim m_claim;
    const tls::TlsCredentials *m_tls;
    Limits m_limits;
};

} // namespace natter::server
