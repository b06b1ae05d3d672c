#pragma once

// A server-side WebSocket on its raw descriptor (RFC 6455), with as little
// held per connection as possible while it idles: no read buffer (reads go
// to a per-thread scratch buffer; only an incomplete frame's bytes are kept),
// no write buffer (queued frames are the senders' implicitly shared payloads,
// each with its own few header bytes), and one socket notifier (a second one
// only once a write had to wait). What is queued during one event-loop pass
// goes out with one sendmsg when the pass is done (as QTcpSocket writes once
// per pass): a fan-out of 64 frames to a socket is one system call, not 64.
//
// It is served on the event loop of whichever thread it lives on; the
// SocketLink moves it to a socket thread (the notifier and timers move with
// it). Strictness, enforced here and answered with a close frame:
//   1002 unmasked client frames, RSV bits, reserved opcodes, control frames
//        over 125 bytes or fragmented, a continuation without a start or a new
//        message inside a fragmented one, close codes not valid on the wire,
//        a close payload of one byte;
//   1007 invalid UTF-8 in a text message (checked frame by frame, so also
//        across fragments) or in a close reason;
//   1009 a frame or a message over `maxMessageBytes`.
// Pings get a pong with the same payload (pongs count against the send bound
// like any frame: a client that pings and never reads is closed as too slow);
// a close frame gets its code echoed
// and the descriptor closed once the echo is out. After a protocol error the
// close frame goes out, the write side is shut, and what still comes in is
// discarded until the client closes (at most a grace period).

#include "socketpipe.h"
#include "websocketframing.h"

#include <QByteArray>
#include <vector>

class QSocketNotifier;
class QTcpSocket;
class QNetworkRequest;

namespace natter::server {

class WebSocketConnection final : public SocketPipe
{
    Q_OBJECT
public:
    // Owns `fd` (connected, non-blocking) from now on. `handshakeResponse`
    // (the 101; none if empty) is written first; `early` is what the client sent after its
    // request head, served as if just read.
    WebSocketConnection(int fd, QByteArray handshakeResponse, QByteArray early, qint64 maxMessageBytes);
    ~WebSocketConnection() override;

    // The upgrade of a plain HTTP connection whose request head `socket` has
    // buffered (`headBytes` long, ending with the blank line), or null if the
    // request is not a valid RFC 6455 opening handshake (left untouched then).
    // On a plain socket the connection takes over its descriptor and the
    // socket is closed (the caller deletes it); a QSslSocket goes to a
    // TlsBridge (which owns it from then on) and the connection serves the
    // bridge's socket pair.
    // the 101 names the first subprotocol the client asks for that is one of
    // `subprotocols`, and none if none matches or none was asked for.
    static std::unique_ptr<WebSocketConnection> upgrade(QTcpSocket &socket, qsizetype headBytes,
                                                        const QNetworkRequest &request,
                                                        const QStringList &subprotocols, qint64 maxMessageBytes);

    void send(const QByteArray &utf8Frame) override;
    void close(quint16 code, const QString &reason) override;
    void abort() override;

protected:
    bool event(QEvent *event) override;
    void timerEvent(QTimerEvent *event) override;

private:
    enum class Parse { More, Stop };
    class Watch;
    class FlushQueue;
    struct OutFrame
    {
        std::array<char, 10> header{};
        quint8 headerSize = 0;
        QByteArray payload;
        qsizetype size() const { return headerSize + payload.size(); }
    };

    void processEarly();
    void readReady();
    void writeReady();
    // Frames in `input`; returns how many bytes were used (the rest is an incomplete frame).
    qsizetype consume(QByteArrayView input, Parse &state);
    Parse handleFrame(quint8 opcode, bool final, QByteArray payload);
    Parse handleData(quint8 opcode, bool final, QByteArray payload);
    Parse handleClose(const QByteArray &payload);
    Parse fail(QWebSocketProtocol::CloseCode code, const QString &reason);

    // False (and closed 1008 "too slow") once the unsent bytes pass the bound.
    bool withinSendBound();
    void enqueue(OutFrame frame);
    void enqueueFrame(quint8 opcode, const QByteArray &payload);
    void flush();
    void drained();
    void startGrace(int milliseconds);
    // Closes the descriptor and says disconnected() (queued; not from the destructor).
    void finish(bool notify = true);

    int m_fd;
    qint64 m_maxMessageBytes;
    Watch *m_readNotifier = nullptr;  // child
    Watch *m_writeNotifier = nullptr; // child, made the first time a write has to wait

    QByteArray m_partial;       // an incomplete frame's bytes (empty while idle)
    QByteArray m_message;       // a fragmented text message so far
    qint64 m_messageBytes = 0;  // a fragmented message's size so far (text or binary)
    quint8 m_messageOpcode = 0; // Text or Binary while a fragmented message is open, else 0
    websocket::Utf8Validator m_utf8; // a fragmented text message's, across its frames

    std::vector<OutFrame> m_out; // frames not yet written, oldest first (from m_outFirst)
    size_t m_outFirst = 0;
    qsizetype m_firstWritten = 0; // bytes of m_out[m_outFirst] already written
    qint64 m_unsent = 0;

    bool m_flushQueued = false;   // in this thread's FlushQueue
    bool m_awaitingWritable = false; // a write had to wait: the write notifier flushes
    int m_graceTimer = 0;
    bool m_closeSent = false;     // nothing is queued after the close frame
    bool m_closeReceived = false; // the client's close frame came: its input is over
    bool m_failed = false;        // a protocol error: input is discarded until EOF
};

} // namespace natter::server
