#pragma once

// A wire-level fake of a dialect's server for adapter tests: a QWebSocketServer
// on 127.0.0.1 (a port the OS picks) that records every client frame per
// connection and lets the test inject server frames and closes. It stands for
// a third-party server that implements only the spec. Header-only, no moc:
// tests wait on its state with QTRY_*.

#include <QJsonDocument>
#include <QJsonObject>
#include <QUrl>
#include <QWebSocket>
#include <QWebSocketServer>
#include <memory>
#include <vector>

namespace natter::test {

class FakeWsServer
{
public:
    struct Connection
    {
        std::unique_ptr<QWebSocket> socket;
        QUrl url;            // path and query the client asked for
        QString subprotocol; // what the handshake agreed on
        QStringList frames;  // client → server text frames, in order
        bool closed = false;
    };

    explicit FakeWsServer(const QStringList &subprotocols = {})
        : m_server(QStringLiteral("fake"), QWebSocketServer::NonSecureMode)
    {
        m_server.setSupportedSubprotocols(subprotocols);
        QObject::connect(&m_server, &QWebSocketServer::newConnection, &m_server, [this] {
            while (m_server.hasPendingConnections())
                accept(m_server.nextPendingConnection());
        });
    }

    ~FakeWsServer()
    {
        for (const auto &connection : m_connections) {
            connection->socket->disconnect();
            connection->socket->abort();
        }
        m_connections.clear(); // before the server, which parents the sockets
    }

    bool listen() { return m_server.listen(QHostAddress::LocalHost, 0); }
    // http://127.0.0.1:PORT: what a client's Settings::serverUrl names.
    QUrl serverUrl() const
    {
        QUrl url(QStringLiteral("http://127.0.0.1"));
        url.setPort(m_server.serverPort());
        return url;
    }

    int count() const { return static_cast<int>(m_connections.size()); }
    Connection &at(int index) { return *m_connections.at(static_cast<size_t>(index)); }
    Connection &last() { return *m_connections.back(); }

    // The client frame as a JSON object (empty when it is not one).
    QJsonObject frame(int connection, int index)
    {
        return QJsonDocument::fromJson(at(connection).frames.value(index).toUtf8()).object();
    }

    void sendText(int connection, const QString &text) { at(connection).socket->sendTextMessage(text); }
    void send(int connection, const QJsonObject &object)
    {
        sendText(connection, QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact)));
    }
    void close(int connection, QWebSocketProtocol::CloseCode code, const QString &reason = {})
    {
        at(connection).socket->close(code, reason);
    }

private:
    void accept(QWebSocket *socket)
    {
        auto connection = std::make_unique<Connection>();
        Connection *raw = connection.get();
        raw->socket.reset(socket);
        raw->url = socket->requestUrl();
        raw->subprotocol = socket->subprotocol();
        QObject::connect(socket, &QWebSocket::textMessageReceived, socket,
                         [raw](const QString &text) { raw->frames.append(text); });
        QObject::connect(socket, &QWebSocket::disconnected, socket, [raw] { raw->closed = true; });
        m_connections.push_back(std::move(connection));
    }

    QWebSocketServer m_server;
    std::vector<std::unique_ptr<Connection>> m_connections; // destroyed before m_server
};

} // namespace natter::test
