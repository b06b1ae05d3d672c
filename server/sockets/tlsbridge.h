#pragma once

// TLS ports get the same WebSocket transport as plain ones (our own
// WebSocketConnection: masking, RSV bits, opcodes, UTF-8 and sizes checked,
// the slow-consumer bound), which works on a raw descriptor. The bridge
// terminates TLS in front of it: what the client's QSslSocket decrypts goes
// into one end of a local socket pair, the connection serves the other end,
// and what the connection writes is encrypted back to the client.
//
// Backpressure both ways: the TLS socket reads at most a bounded buffer
// ahead, and the bridge stops taking the connection's bytes while the TLS
// socket has more than a bound unsent, so a slow client fills the pair and
// the connection's own bound ("too slow") applies as on a plain port.
//
// The bridge lives on the thread that accepted the connection and deletes
// itself once both sides are done: the client's close frame is still
// delivered after the connection has let go of its end.

#include <QObject>
#include <memory>

class QSocketNotifier;
class QSslSocket;

namespace natter::server {

class TlsBridge final : public QObject
{
    Q_OBJECT
public:
    // Takes `tls` (encrypted, its request head already read) and returns the
    // descriptor of the pair's other end for the WebSocket connection, or -1.
    static int bridge(QSslSocket *tls);

private:
    TlsBridge(QSslSocket *tls, int fd);
    ~TlsBridge() override;

    void fromClient();  // decrypted bytes → the pair
    void toPairWritable();
    void fromPair();    // the connection's bytes → encrypted to the client
    void clientDrained();
    qint64 unsentToClient() const;
    void clientGone();
    void pairClosed();
    void finishIfDone();

    QSslSocket *m_tls;         // child
    int m_fd;                  // our end of the pair
    QSocketNotifier *m_readable; // child
    QSocketNotifier *m_writable; // child
    QByteArray m_toPair;       // decrypted bytes the pair could not take yet
    bool m_clientGone = false;
    bool m_pairClosed = false;
    bool m_pairWriteFailed = false; // the connection closed its end; its last frames are still read
};

} // namespace natter::server
