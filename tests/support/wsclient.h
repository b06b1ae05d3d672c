#pragma once

// A real QWebSocket client that records every frame, for asserting what a
// dialect sends. Waiting is always on signals, never on sleeps.

#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QUrl>
#include <QWebSocket>
#include <functional>

namespace natter::test {

class WsClient : public QObject
{
    Q_OBJECT
public:
    explicit WsClient(QObject *parent = nullptr);

    // Opens and waits for the connection; false if it did not open.
    bool open(const QUrl &url, const QList<QPair<QByteArray, QByteArray>> &headers = {});
    void sendJson(const QJsonObject &object);
    void sendText(const QString &text);

    // Waits until a frame (received since the last take) matches; removes and returns it.
    std::optional<QJsonObject> waitFor(const std::function<bool(const QJsonObject &)> &match,
                                       int timeoutMs = 5000);
    std::optional<QJsonObject> waitForType(const QString &type, int timeoutMs = 5000);
    // Frames received and not yet taken.
    QList<QJsonObject> pending() const { return m_frames; }
    qsizetype countPending(const std::function<bool(const QJsonObject &)> &match) const;
    void clear() { m_frames.clear(); }

    bool waitForDisconnect(int timeoutMs = 5000);
    bool isConnected() const { return m_socket.state() == QAbstractSocket::ConnectedState; }
    QWebSocketProtocol::CloseCode closeCode() const { return m_socket.closeCode(); }
    QString closeReason() const { return m_socket.closeReason(); }
    QWebSocket &socket() { return m_socket; }

private:
    QWebSocket m_socket;
    QList<QJsonObject> m_frames;
};

// Sends a WebSocket upgrade by hand and returns the server's answer head
// (status line and headers, without the blank line) or status line
// ("HTTP/1.1 101 Switching Protocols", "HTTP/1.1 401 Unauthorized"…).
QByteArray rawUpgradeHead(const QUrl &url, const QList<QByteArray> &extraHeaders = {});
QByteArray rawUpgradeStatusLine(const QUrl &url, const QList<QByteArray> &extraHeaders = {});
// A header's value in such a head (case-insensitive name); empty if absent.
QByteArray headerValue(const QByteArray &head, const QByteArray &name);

} // namespace natter::test
