#include "socketlink.h"

#include "socketthreads.h"

#include <QThread>

namespace natter::server {

using Command = SocketWorker::Command;

SocketLink::SocketLink(std::unique_ptr<SocketPipe> transport, SocketWorker *worker, qint64 maxSendBuffer,
                       QObject *parent)
    : QObject(parent)
{
    if (worker && !transport->canMoveThreads()) {
        qCWarning(lcSockets, "a WebSocket without its transport as a child: served on the server's thread");
        worker = nullptr;
    }
    m_pipe = transport.release();
    m_pipe->setMaxSendBuffer(maxSendBuffer);
    // Connected before the move: with a socket thread these are queued connections,
    // delivered here in the order the socket thread emitted them.
    connect(m_pipe, &SocketPipe::textReceived, this, &SocketLink::textReceived);
    connect(m_pipe, &SocketPipe::binaryReceived, this, &SocketLink::binaryReceived);
    connect(m_pipe, &SocketPipe::tooSlow, this, [this](qint64 unsentBytes) {
        m_open = false;
        emit tooSlow(unsentBytes);
    });
    connect(m_pipe, &SocketPipe::disconnected, this, [this] {
        m_open = false;
        emit disconnected();
    });
    m_pipe->setParent(this);
    if (!worker)
        return;
    // The handshake may still have queued calls here that read the socket
    // (QWebSocketServer handles readyRead queued, WebSocketConnection the bytes
    // that came with the head): the socket moves after them.
    // Until then it is served here.
    QMetaObject::invokeMethod(this, [this, worker] { moveTo(worker); }, Qt::QueuedConnection);
}

void SocketLink::moveTo(SocketWorker *worker)
{
    if (!m_open)
        return; // closed meanwhile: it ends here
    m_pipe->setParent(nullptr);
    m_pipe->moveToThread(worker->thread());
    m_worker = worker;
    m_worker->post({Command::Kind::Adopt, m_pipe, {}, {}});
}

SocketLink::~SocketLink()
{
    m_pipe->disconnect(this);
    if (m_worker)
        m_worker->post({Command::Kind::Release, m_pipe, {}, {}});
    // Without a worker the pipe is a child: it aborts the socket as it goes.
}

void SocketLink::sendText(const QByteArray &utf8Frame)
{
    if (!m_open)
        return;
    if (m_worker)
        m_worker->post({Command::Kind::Send, m_pipe, utf8Frame, {}});
    else
        m_pipe->send(utf8Frame);
}

void SocketLink::close(quint16 code, const QString &reason)
{
    if (m_worker)
        m_worker->post({Command::Kind::Close, m_pipe, {}, reason, code});
    else
        m_pipe->close(code, reason);
}

void SocketLink::abort()
{
    if (m_worker)
        m_worker->post({Command::Kind::Abort, m_pipe, {}, {}});
    else
        m_pipe->abort();
}

} // namespace natter::server
