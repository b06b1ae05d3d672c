#include "socketsession.h"

#include "hub.h"
#include "servercontext.h"
#include "serverconfig.h"
#include "socketthreads.h"

#include <QLoggingCategory>

namespace natter::server {

namespace {
Q_LOGGING_CATEGORY(lcSessions, "natter.server.sessions")
}

SocketSession::SocketSession(ServerContext &context, std::unique_ptr<SocketPipe> socket, QObject *parent)
    : QObject(parent)
    , m_context(context)
    , m_socket(std::move(socket), context.sockets.next(), context.config.maxSendBuffer)
{
    connect(&m_socket, &SocketLink::disconnected, this, &SocketSession::finish);
    connect(&m_socket, &SocketLink::tooSlow, this, &SocketSession::closedTooSlow);
}

SocketSession::~SocketSession()
{
    detachFromHub();
    m_socket.disconnect(this);
}

bool SocketSession::mayConnect(qint64 userId)
{
    const int allowed = m_context.config.maxConnectionsPerUser;
    if (allowed <= 0 || m_context.hub.sessionsOf(userId).size() < allowed)
        return true;
    qCInfo(lcSessions, "user %lld already has %d connections: refused", userId, allowed);
    refuseTooManyConnections();
    return false;
}

void SocketSession::refuseTooManyConnections()
{
    m_socket.close(QWebSocketProtocol::CloseCodePolicyViolated, QStringLiteral("Too many connections"));
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
    m_socket.sendText(frame);
}

void SocketSession::send(const QByteArray &utf8Frame)
{
    m_socket.sendText(utf8Frame);
}

void SocketSession::closedTooSlow(qint64 unsentBytes)
{
    // The link has closed it with 1008 and drops anything sent from now on.
    qCInfo(lcSessions, "user %lld reads too slowly (%lld bytes unsent): closed with 1008", m_userId, unsentBytes);
    detachFromHub();
}

void SocketSession::closeGoingAway()
{
    m_socket.close(QWebSocketProtocol::CloseCodeGoingAway, QStringLiteral("Server shutting down"));
}

void SocketSession::finish()
{
    detachFromHub();
    onClosed();
    deleteLater();
}

} // namespace natter::server
