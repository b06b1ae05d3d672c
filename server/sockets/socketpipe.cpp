#include "socketpipe.h"

#include <QAbstractSocket>
#include <QTimer>
#include <QWebSocket>

namespace natter::server {

namespace {
// A client that reads nothing at all after "too slow" is cut off this much later.
constexpr std::chrono::seconds tooSlowGrace{5};
// How long a refused socket may take to finish its closing handshake.
constexpr std::chrono::seconds refusalGrace{5};
} // namespace

void SocketPipe::closeAndDispose(quint16 code, const QString &reason,
                                 const QByteArray &lastFrame)
{
    connect(this, &SocketPipe::disconnected, this, &QObject::deleteLater);
    QTimer::singleShot(refusalGrace, this, &QObject::deleteLater);
    if (!lastFrame.isEmpty())
        send(lastFrame);
    close(code, reason);
}

QtWebSocketPipe::QtWebSocketPipe(std::unique_ptr<QWebSocket> socket)
    : m_socket(socket.release())
{
    m_socket->setParent(this);
    connect(m_socket, &QWebSocket::textMessageReceived, this, &SocketPipe::textReceived);
    connect(m_socket, &QWebSocket::binaryMessageReceived, this, &SocketPipe::binaryReceived);
    connect(m_socket, &QWebSocket::disconnected, this, &SocketPipe::disconnected);
}

QtWebSocketPipe::~QtWebSocketPipe()
{
    m_socket->disconnect(this);
    m_socket->abort();
}

bool QtWebSocketPipe::canMoveThreads() const
{
    return m_socket->findChild<QAbstractSocket *>() != nullptr;
}

void QtWebSocketPipe::send(const QByteArray &utf8Frame)
{
    if (m_tooSlow)
        return;
    m_socket->sendTextMessage(QString::fromUtf8(utf8Frame));
    const qint64 unsent = m_socket->bytesToWrite();
    if (unsent <= m_maxSendBuffer)
        return;
    // Memory stays bounded: nothing more is queued; the close frame goes after
    // what is queued.
    m_tooSlow = true;
    m_socket->close(QWebSocketProtocol::CloseCodePolicyViolated, QStringLiteral("too slow"));
    QTimer::singleShot(tooSlowGrace, this, &QtWebSocketPipe::abort);
    emit tooSlow(unsent);
}

void QtWebSocketPipe::close(quint16 code, const QString &reason)
{
    m_socket->close(QWebSocketProtocol::CloseCode(code), reason); // Qt takes the enum: converted last
}

void QtWebSocketPipe::abort()
{
    m_socket->abort();
}

} // namespace natter::server
