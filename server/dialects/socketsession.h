#pragma once

// What every dialect's connection shares: it owns its WebSocket (through a
// SocketLink: the transport's I/O may run on a socket thread, the session runs
// here), joins the hub (presence) once the user is known, leaves it when the
// socket closes, and then deletes itself. Dialects add their protocol on top.

#include "clientsession.h"
#include "socketlink.h"
#include "socketpipe.h"

#include <QObject>
#include <memory>

namespace natter::server {

struct ServerContext;

class SocketSession : public QObject, public ClientSession
{
    Q_OBJECT
public:
    ~SocketSession() override;

    // Known from attachToHub(); 0 before (e.g. a gateway socket not yet identified).
    qint64 userId() const final { return m_userId; }
    // Server shutdown: close with 1001.
    void closeGoingAway() override;

protected:
    SocketSession(ServerContext &context, std::unique_ptr<SocketPipe> socket, QObject *parent);

    // Whether the user may open one more connection (config.maxConnectionsPerUser);
    // if not, the connection is refused (refuseTooManyConnections) and the
    // dialect stops there. Call it before the dialect's welcome.
    bool mayConnect(qint64 userId);
    // Default: close 1008 "Too many connections".
    virtual void refuseTooManyConnections();
    // From now on the hub counts the user online and fans events out to us.
    void attachToHub(qint64 userId);
    void detachFromHub();
    // The socket has closed; the session is about to delete itself. Stop timers here.
    virtual void onClosed() { }
    // Every frame to the client goes here: a client whose unsent bytes pass
    // config.maxSendBuffer is closed with 1008 "too slow" and gets nothing more
    // (it catches up from history when it reconnects).
    void send(const QString &frame);
    // A frame shared by every recipient (FrameCache::utf8Frame): queued as is.
    void send(const QByteArray &utf8Frame);

    ServerContext &m_context;
    SocketLink m_socket;

private:
    void finish();
    void closedTooSlow(qint64 unsentBytes);

    qint64 m_userId = 0;
    bool m_attached = false;
};

} // namespace natter::server
