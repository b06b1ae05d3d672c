#pragma once

// One WebSocket connection, on the thread that serves it: sends text frames
// with the slow-consumer bound, closes, aborts, and relays what the client
// says. Two transports implement it: WebSocketConnection (our own RFC 6455
// framing on the raw descriptor, for every upgrade the front door takes on a
// plain listener) and QtWebSocketPipe (a QWebSocket: TLS listeners and
// upgrades QHttpServer runs, e.g. after a kept-alive request).
//
// Contract for both: frames go out in the order sent; once the unsent bytes
// pass the bound (setMaxSendBuffer) the client is closed with 1008 "too slow"
// after what is queued, tooSlow() is emitted once and nothing more is sent;
// disconnected() is emitted once, when the connection is gone (also after
// abort()), and never from the destructor.

#include <QObject>
#include <QWebSocketProtocol>
#include <memory>

class QWebSocket;

namespace natter::server {

class SocketPipe : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;

    // `utf8Frame`: one text message. Implicitly shared: queued, never copied.
    virtual void send(const QByteArray &utf8Frame) = 0;
    // `code` as on the wire: a QWebSocketProtocol::CloseCode or a dialect's own
    // (gateway's 4000-4999), which is outside the enum's range (holding one in
    // a CloseCode is undefined behaviour: UBSan's -fsanitize=enum).
    virtual void close(quint16 code, const QString &reason) = 0;
    virtual void abort() = 0;
    // Whether it may be moved to a socket thread.
    virtual bool canMoveThreads() const { return true; }

    void setMaxSendBuffer(qint64 bytes) { m_maxSendBuffer = bytes; }

    // For refusals before any session exists: sends `lastFrame` (if not
    // empty), closes, and deletes itself once disconnected (at the latest
    // after a grace period).
    void closeAndDispose(quint16 code, const QString &reason,
                         const QByteArray &lastFrame = {});

signals:
    void textReceived(const QString &text);
    void binaryReceived();
    void tooSlow(qint64 unsentBytes);
    void disconnected();

protected:
    qint64 m_maxSendBuffer = 1024 * 1024;
};

// A QWebSocket behind the SocketPipe interface.
class QtWebSocketPipe final : public SocketPipe
{
    Q_OBJECT
public:
    explicit QtWebSocketPipe(std::unique_ptr<QWebSocket> socket);
    ~QtWebSocketPipe() override;

    void send(const QByteArray &utf8Frame) override;
    void close(quint16 code, const QString &reason) override;
    void abort() override;
    // Only when its TCP socket is its child and moves with it.
    bool canMoveThreads() const override;

private:
    QWebSocket *m_socket; // child
    bool m_tooSlow = false;
};

} // namespace natter::server
