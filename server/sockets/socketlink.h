#pragma once

// A session's WebSocket, wherever it is served. The session and the hub stay
// on the server's thread; the socket's I/O (framing, UTF-8, the write calls)
// runs on one of the socket threads when there are any (`--threads N`, N > 1),
// else right here. Either way the session sees the same thing: frames go out
// in the order sent, frames come in as signals on the session's thread, and a
// client whose unsent bytes pass the bound is closed with 1008 "too slow"
// (tooSlow() tells the session, which then sends nothing more).
//
// With a socket thread, the link never touches the transport: every call is
// a command in that thread's queue (SocketWorker), executed in order there.

#include <QObject>
#include <QWebSocketProtocol>
#include <memory>

namespace natter::server {

class SocketPipe;
class SocketWorker;

class SocketLink : public QObject
{
    Q_OBJECT
public:
    // Takes the upgraded connection (still on this thread); `worker` null serves it here.
    SocketLink(std::unique_ptr<SocketPipe> transport, SocketWorker *worker, qint64 maxSendBuffer,
               QObject *parent = nullptr);
    // Aborts the connection if it is still open; the socket goes on its thread.
    ~SocketLink() override;

    // Dropped once the link is no longer open (closed, or too slow). A frame
    // several sessions send (FrameCache) should come as the one shared UTF-8
    // array: it is queued as it is, never copied per recipient.
    void sendText(const QByteArray &utf8Frame);
    void sendText(const QString &frame) { sendText(frame.toUtf8()); }
    // `code` as on the wire (SocketPipe::close): a dialect's own codes are outside the enum.
    void close(quint16 code, const QString &reason);
    void abort();
    // Until disconnected() (or tooSlow()).
    bool isOpen() const { return m_open; }

signals:
    void textReceived(const QString &text);
    void binaryReceived();
    void tooSlow(qint64 unsentBytes);
    void disconnected();

private:
    void moveTo(SocketWorker *worker);

    SocketWorker *m_worker = nullptr; // null: served on this thread
    SocketPipe *m_pipe = nullptr;  // on the socket's thread; never dereferenced here when m_worker is set
    bool m_open = true;
};

} // namespace natter::server
