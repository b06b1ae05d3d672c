#include "frontdoor.h"

#include "connectionsperaddress.h"
#include "tlscredentials.h"

#include <QSslSocket>
#include <QTcpSocket>
#include <QTimer>
#include <QUrl>
#include <optional>

using namespace Qt::StringLiterals;

namespace natter::server {
namespace {

constexpr QByteArrayView headEnd{"\r\n\r\n"};
constexpr char tlsHandshakeRecord = 0x16; // the first byte of a ClientHello

// A complete request head ("GET /cable?token=… HTTP/1.1\r\nHost: …\r\n…") as the
// QNetworkRequest a server-side QWebSocket carries, if it asks for a WebSocket upgrade.
std::optional<QNetworkRequest> webSocketUpgrade(QByteArrayView head, bool secure)
{
    const QList<QByteArray> lines = head.toByteArray().split('\n');
    const QList<QByteArray> requestLine = lines.first().trimmed().split(' ');
    if (requestLine.size() != 3 || requestLine[0] != "GET")
        return std::nullopt;

    QNetworkRequest request;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const qsizetype colon = lines[i].indexOf(':');
        if (colon <= 0)
            continue;
        const QByteArray name = lines[i].first(colon).trimmed();
        const QByteArray value = lines[i].sliced(colon + 1).trimmed();
        // QNetworkRequest keeps one value per name: join repeated headers as HTTP allows.
        const QByteArray earlier = request.rawHeader(name);
        const QByteArrayView separator = name.compare("cookie", Qt::CaseInsensitive) == 0 ? "; " : ", ";
        request.setRawHeader(name, earlier.isEmpty() ? value : earlier + separator + value);
    }
    if (request.rawHeader("Upgrade").compare("websocket", Qt::CaseInsensitive) != 0)
        return std::nullopt;

    QUrl url = QUrl::fromEncoded(requestLine[1]);
    url.setScheme(secure ? u"wss"_s : u"ws"_s);
    if (url.host().isEmpty())
        url.setAuthority(QString::fromLatin1(request.rawHeader("Host")));
    request.setUrl(url);
    return request;
}

} // namespace

FrontDoor::FrontDoor(UpgradeClaim claim, const tls::TlsCredentials *tls, Limits limits, QObject *parent)
    : QTcpServer(parent)
    , m_claim(std::move(claim))
    , m_tls(tls)
    , m_limits(limits)
{
}

void FrontDoor::incomingConnection(qintptr handle)
{
    QTcpSocket *socket = m_tls ? new QSslSocket(this) : new QTcpSocket(this);
    if (!socket->setSocketDescriptor(handle)) {
        delete socket;
        return;
    }
    if (m_limits.perAddress && !m_limits.perAddress->admit(socket->peerAddress(), socket)) {
        // Plain HTTP can be told why; a TLS client would only see garbage.
        if (!m_tls) {
            socket->write("HTTP/1.1 429 Too Many Requests\r\nRetry-After: 10\r\n"
                          "Content-Length: 0\r\nConnection: close\r\n\r\n");
            socket->disconnectFromHost();
            connect(socket, &QTcpSocket::disconnected, socket, &QObject::deleteLater);
        } else {
            socket->abort();
            socket->deleteLater();
        }
        return;
    }
    // Chat frames are small and often several in a row: with Nagle's
    // algorithm the second waits for the peer's delayed ACK (up to 40 ms).
    socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
    auto *deadline = new QTimer(socket);
    deadline->setSingleShot(true);
    connect(deadline, &QTimer::timeout, socket, [socket] {
        socket->abort();
        socket->deleteLater();
    });
    deadline->start(m_limits.headTimeout); // the TLS handshake counts against it too
    if (auto *tlsSocket = qobject_cast<QSslSocket *>(socket)) {
        connect(tlsSocket, &QSslSocket::readyRead, this, [this, tlsSocket, deadline] {
            if (tlsSocket->isEncrypted())
                inspect(tlsSocket, deadline);
            else if (tlsSocket->mode() == QSslSocket::UnencryptedMode)
                startTls(tlsSocket, deadline);
        });
        // A failed handshake (plain bytes after all, an old protocol) ends the connection.
        connect(tlsSocket, &QSslSocket::errorOccurred, tlsSocket, [tlsSocket](QAbstractSocket::SocketError error) {
            if (error == QAbstractSocket::SslHandshakeFailedError || error == QAbstractSocket::SslInternalError)
                tlsSocket->abort();
        });
    } else {
        connect(socket, &QTcpSocket::readyRead, this, [this, socket, deadline] { inspect(socket, deadline); });
    }
    connect(socket, &QTcpSocket::disconnected, this, [socket] { socket->deleteLater(); });
}

void FrontDoor::startTls(QSslSocket *socket, QTimer *deadline)
{
    // In unencrypted mode QSslSocket peeks at the transport without consuming
    // anything, so the handshake still sees the whole ClientHello.
    char first = 0;
    if (socket->peek(&first, 1) != 1)
        return;
    if (first != tlsHandshakeRecord) {
        delete deadline;
        return refusePlainHttp(socket);
    }
    socket->setSslConfiguration(m_tls->serverConfiguration());
    socket->startServerEncryption();
}

void FrontDoor::refusePlainHttp(QTcpSocket *socket)
{
    disconnect(socket, &QTcpSocket::readyRead, this, nullptr);
    constexpr QByteArrayView body = "This port speaks HTTPS only: use https:// (wss:// for WebSockets).\n";
    socket->write("HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\n"
                  "Connection: close\r\nContent-Length: "
                  + QByteArray::number(body.size()) + "\r\n\r\n" + body.toByteArray());
    socket->disconnectFromHost();
}

void FrontDoor::inspect(QTcpSocket *socket, QTimer *deadline)
{
    // Peek only: whoever gets the socket reads the request itself.
    const QByteArray buffered = socket->peek(m_limits.maxHeadBytes);
    const qsizetype end = buffered.indexOf(headEnd);
    if (end < 0) {
        if (buffered.size() >= m_limits.maxHeadBytes)
            refuseOversizedHead(socket);
        return;
    }
    socket->disconnect(this);
    delete deadline;
    const std::optional<QNetworkRequest> upgrade = webSocketUpgrade(QByteArrayView(buffered).first(end), m_tls != nullptr);
    if (upgrade && m_claim(socket, *upgrade, end + headEnd.size()))
        return;
    passOn(socket);
}

void FrontDoor::refuseOversizedHead(QTcpSocket *socket)
{
    disconnect(socket, &QTcpSocket::readyRead, this, nullptr);
    socket->write("HTTP/1.1 431 Request Header Fields Too Large\r\n"
                  "Content-Length: 0\r\nConnection: close\r\n\r\n");
    socket->disconnectFromHost();
}

void FrontDoor::passOn(QTcpSocket *socket)
{
    addPendingConnection(socket); // QHttpServer takes it at once (pendingConnectionAvailable)
    // QHttpServer reads on readyRead, but the request is already buffered: nothing
    // new may arrive. Qt's own hand-over to QWebSocketServer nudges it the same way.
    if (socket->bytesAvailable() > 0)
        emit socket->readyRead();
}

} // namespace natter::server
