#include "socketsession.h"

#include "hub.h"
#include "servercontext.h"
#include "serverconfig.h"

#include <QLoggingCategory>
#include <QTimer>

namespace natter::server {

namespace {
Q_LOGGING_CATEGORY(lcSessions, "natter.server.sessions")
}

SocketSession::SocketSession(ServerContext &context, std::unique_ptr<QWebSocket> socket, QObject *parent)
    : QObject(parent)
    , m_context(context)
    , m_socket(std::move(socket))
{
    connect(m_socket.get(), &QWebSocket::disconnected, this, &SocketSession::finish);
}

SocketSession::~SocketSession()
{
    detachFromHub();
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
    }
}

void SocketSession::attachToHub(qint64 userId)
{
    if (m_attached)
        return;
    m_userId = userId;
    m_attached = true;
    m_context.hub.attach(this);
}

void SocketSession::detachFromHub()
{
    if (!m_attached)
        return;
    m_attached = false;
    m_context.hub.detach(this);
}

void SocketSession::send(const QString &frame)
{
    if (m_tooSlow)
        return;
    m_socket->sendTextMessage(frame);
    if (m_socket->bytesToWrite() <= m_context.config.maxSendBuffer)
        return;
    // Memory stays bounded: nothing more is queued; the close frame goes after what
    // is queued, and a client that reads nothing at all is cut off soon after.
    m_tooSlow = true;
    qCInfo(lcSessions, "user %lld reads too slowly (%lld bytes unsent): closing with 1008", m_userId,
           m_socket->bytesToWrite());
    detachFromHub();
    m_socket->close(QWebSocketProtocol::CloseCodePolicyViolated, QStringLiteral("too slow"));
    QTimer::singleShot(std::chrono::seconds(5), this, [this] {
        if (m_socket)
            m_socket->abort();
    });
}

void SocketSession::closeGoingAway()
{
    m_socket->close(QWebSocketProtocol::CloseCodeGoingAway, QStringLiteral("Server shutting down"));
}

void SocketSession::finish()
{
    detachFromHub();
    onClosed();
    deleteLater();
}

} // namespace natter::server
