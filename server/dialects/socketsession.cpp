#include "socketsession.h"

#include "hub.h"
#include "servercontext.h"

namespace natter::server {

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
