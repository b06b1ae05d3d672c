#include "tlsbridge.h"

#include <QSocketNotifier>
#include <QSslSocket>
#include <QTimer>
#include <cerrno>
#include <chrono>
#include <sys/socket.h>
#include <unistd.h>

namespace natter::server {
namespace {

// How far each side may run ahead of the other.
constexpr qint64 clientReadAhead = 64 * 1024;
constexpr qint64 clientWriteBehind = 256 * 1024;
constexpr std::chrono::seconds closeGrace{10};

} // namespace

int TlsBridge::bridge(QSslSocket *tls)
{
    int pair[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, pair) != 0)
        return -1;
    new TlsBridge(tls, pair[1]);
    return pair[0];
}

TlsBridge::TlsBridge(QSslSocket *tls, int fd)
    : m_tls(tls)
    , m_fd(fd)
    , m_readable(new QSocketNotifier(fd, QSocketNotifier::Read, this))
    , m_writable(new QSocketNotifier(fd, QSocketNotifier::Write, this))
{
    m_tls->disconnect(); // whoever listened so far (the front door) is done with it
    m_tls->setParent(this);
    m_tls->setReadBufferSize(clientReadAhead);
    m_writable->setEnabled(false);
    connect(m_readable, &QSocketNotifier::activated, this, &TlsBridge::fromPair);
    connect(m_writable, &QSocketNotifier::activated, this, &TlsBridge::toPairWritable);
    connect(m_tls, &QSslSocket::readyRead, this, &TlsBridge::fromClient);
    // Encrypted bytes wait in the TCP socket, plain ones in the TLS socket: both count.
    connect(m_tls, &QSslSocket::bytesWritten, this, &TlsBridge::clientDrained);
    connect(m_tls, &QSslSocket::encryptedBytesWritten, this, &TlsBridge::clientDrained);
    connect(m_tls, &QSslSocket::disconnected, this, &TlsBridge::clientGone);
    connect(m_tls, &QSslSocket::errorOccurred, this, [this](QAbstractSocket::SocketError error) {
        // A broken record or the client's close_notify leave the socket
        // "connected": the client is gone all the same.
        if (error == QAbstractSocket::SslInternalError || error == QAbstractSocket::SslHandshakeFailedError)
            m_tls->abort();
        if (error == QAbstractSocket::RemoteHostClosedError || m_tls->state() != QAbstractSocket::ConnectedState)
            clientGone();
    });
    // What the client sent after its head is already decrypted and waiting.
    if (m_tls->bytesAvailable() > 0)
        QMetaObject::invokeMethod(this, &TlsBridge::fromClient, Qt::QueuedConnection);
}

TlsBridge::~TlsBridge()
{
    if (m_fd >= 0)
        ::close(m_fd);
}

qint64 TlsBridge::unsentToClient() const
{
    return m_tls->bytesToWrite() + m_tls->encryptedBytesToWrite();
}

void TlsBridge::fromClient()
{
    // Only while the pair takes everything: otherwise the TLS socket keeps at
    // most its read-ahead and the kernel the rest (the client's window closes).
    if (m_fd < 0 || m_pairWriteFailed || !m_toPair.isEmpty())
        return;
    m_toPair = m_tls->readAll();
    toPairWritable();
}

void TlsBridge::toPairWritable()
{
    while (!m_toPair.isEmpty() && m_fd >= 0 && !m_pairWriteFailed) {
        const ssize_t sent = ::send(m_fd, m_toPair.constData(), size_t(m_toPair.size()), MSG_NOSIGNAL);
        if (sent < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                break;
            // The connection has stopped reading (it closed its end): drop what
            // it would not take, but keep reading its last frames until the end.
            m_pairWriteFailed = true;
            m_toPair.clear();
            break;
        }
        m_toPair.remove(0, sent);
    }
    m_writable->setEnabled(!m_toPair.isEmpty() && !m_pairWriteFailed);
    if (!m_toPair.isEmpty() || m_fd < 0)
        return;
    if (m_clientGone) {
        ::shutdown(m_fd, SHUT_WR); // after the last bytes: the connection sees the end
    } else if (m_tls->bytesAvailable() > 0) {
        // Qt emits readyRead once for what it buffered: take the rest now.
        QMetaObject::invokeMethod(this, &TlsBridge::fromClient, Qt::QueuedConnection);
    }
}

void TlsBridge::fromPair()
{
    char buffer[16 * 1024];
    for (;;) {
        const ssize_t got = ::recv(m_fd, buffer, sizeof buffer, 0);
        if (got == 0)
            return pairClosed();
        if (got < 0) {
            if (errno == EINTR)
                continue;
            if (errno != EAGAIN && errno != EWOULDBLOCK)
                pairClosed();
            return;
        }
        if (m_clientGone)
            continue; // nobody to tell: read on to the end
        m_tls->write(buffer, got);
        if (unsentToClient() >= clientWriteBehind) {
            m_readable->setEnabled(false); // a slow client: the pair fills, the connection's bound applies
            return;
        }
    }
}

void TlsBridge::clientDrained()
{
    if (!m_pairClosed && unsentToClient() < clientWriteBehind)
        m_readable->setEnabled(true);
    finishIfDone();
}

void TlsBridge::clientGone()
{
    if (m_clientGone)
        return;
    m_clientGone = true;
    if (!m_pairClosed)
        m_readable->setEnabled(true); // read the connection's end, whatever was waiting
    toPairWritable(); // what is decrypted still reaches the connection, then the end
    finishIfDone();
}

void TlsBridge::pairClosed()
{
    if (m_pairClosed)
        return;
    m_pairClosed = true;
    m_readable->setEnabled(false);
    m_writable->setEnabled(false);
    ::close(m_fd);
    m_fd = -1;
    m_toPair.clear();
    // The connection's last frames (its close frame) are in the TLS socket's
    // buffer; a client that never reads them is let go after a grace period.
    if (!m_clientGone) {
        m_tls->disconnectFromHost();
        QTimer::singleShot(closeGrace, this, [this] {
            m_tls->abort();
            clientGone();
        });
    }
    finishIfDone();
}

void TlsBridge::finishIfDone()
{
    if (m_pairClosed && (m_clientGone || m_tls->state() == QAbstractSocket::UnconnectedState))
        deleteLater();
}

} // namespace natter::server
